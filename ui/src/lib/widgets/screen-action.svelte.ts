// The action a screen runs from its buttons (save, test, deactivate, retry…), one at
// a time: the buttons wait while it runs, the last outcome (error, notice) goes as
// the next action starts, and a failure is kept for the screen's error banner rather
// than thrown, since a button's click handler has nobody to hand it to.

export interface ScreenActionOptions {
  /**
   * After a failure, once `error` holds it, awaited while the screen is still busy:
   * for what must be looked up again before the operator may try once more.
   */
  onerror?: (error: unknown) => unknown;
}

export class ScreenAction {
  /** An action is running: the buttons that start one are disabled. */
  busy = $state(false);
  /** Why the last action failed (a screen also puts a failed load here, for the same banner). */
  error = $state<unknown>(null);
  /** What the last action did, in words: set by the action's work, emptied when the next starts. */
  notice = $state("");

  readonly #options: ScreenActionOptions;

  constructor(options: ScreenActionOptions = {}) {
    this.#options = options;
  }

  /**
   * Runs `work` as the screen's action; resolves whether it succeeded. It never
   * rejects: a failure is in `error`, and what the work changed before it failed
   * stays as it is.
   */
  async run(work: () => Promise<unknown>): Promise<boolean> {
    this.busy = true;
    this.error = null;
    this.notice = "";
    try {
      await work();
      return true;
    } catch (e) {
      this.error = e;
      await this.#options.onerror?.(e);
      return false;
    } finally {
      this.busy = false;
    }
  }
}
