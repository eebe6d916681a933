// A file imported in two steps (the queue's CSV of requests, the access-control
// usage log): chosen, then checked at once (nothing written, and the operator may
// stop waiting), then imported on confirmation in one transaction, all or nothing.
import type { CsvImportInput } from "../ipc/generated/CsvImportInput";
import type { MessageKey } from "../i18n/index.svelte";
import { runTask, TaskCancelled, type TaskStep } from "../tasks.svelte";
import { fileToBase64 } from "./read";

export interface CheckedImportOptions<R> {
  /** The backend command: a dry run checks, the other imports. */
  send: (input: CsvImportInput) => Promise<R>;
  /** What the progress panel calls each step. */
  checkLabel: MessageKey;
  importLabel: MessageKey;
  /** After a real import (awaited: the screen may reload what it shows). */
  onimported: (report: R) => unknown;
  /** How far the running check (`dryRun`) or import is, when the backend can say. */
  progress?: (dryRun: boolean) => Promise<TaskStep | null>;
}

export class CheckedImport<R extends { dryRun: boolean }> {
  file = $state<File | null>(null);
  /** The last answer, for the file chosen now. */
  report = $state<R | null>(null);
  error = $state<unknown>(null);
  busy = $state(false);
  readonly #options: CheckedImportOptions<R>;

  constructor(options: CheckedImportOptions<R>) {
    this.#options = options;
  }

  /** The file input's `change`: keeps the file and checks it. */
  choose = (event: Event): void => {
    this.file = (event.currentTarget as HTMLInputElement).files?.[0] ?? null;
    this.report = null;
    if (this.file) this.run(true);
  };

  /** Checks (`dryRun`) or imports the chosen file. */
  async run(dryRun: boolean): Promise<void> {
    if (!this.file) return;
    const chosen = this.file;
    const { send, checkLabel, importLabel, onimported, progress } = this.#options;
    this.busy = true;
    this.error = null;
    try {
      const content = await fileToBase64(chosen);
      const answer = await runTask(dryRun ? checkLabel : importLabel, () => send({ content, dryRun }), {
        cancellable: dryRun,
        progress: progress && (() => progress(dryRun)),
      });
      // A report for a file the operator has since replaced must not show (and
      // must not arm "Import" for the new file).
      if (chosen !== this.file) return;
      this.report = answer;
      if (!dryRun) await onimported(answer);
    } catch (e) {
      if (!(e instanceof TaskCancelled)) this.error = e;
    } finally {
      this.busy = false;
    }
  }
}
