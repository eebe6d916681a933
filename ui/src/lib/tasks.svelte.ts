// Long operations (imports, batch prints, exports) shown while they run: any task
// still running after half a second appears in the progress panel with its
// elapsed time. A task whose result only informs (a check, a preview) may be
// cancelled: the screen stops waiting and nothing is written. Tasks that write
// (an import, a print run) are all-or-nothing in the database and run to the end.
// A task that can say how far it is (a CSV import) is asked every
// PROGRESS_EVERY_MS, and the panel shows a bar.
import type { MessageKey } from "./i18n/index.svelte";
import { now } from "./time/clock";

/** How far a task is: `done` of `total`, and what it counted, in words. */
export interface TaskStep {
  done: number;
  total: number;
  detail?: { key: MessageKey; values: Record<string, string | number> };
}

export interface RunningTask {
  id: number;
  label: MessageKey;
  startedAt: number;
  cancel: (() => void) | null;
  step: TaskStep | null;
}

/** How often a task that reports its progress is asked (ms). */
export const PROGRESS_EVERY_MS = 300;

/** How long a task runs before the panel shows it (ms). */
export const SHOW_AFTER_MS = 500;

export const tasks = $state<{ running: RunningTask[]; now: number }>({ running: [], now: now() });

let nextId = 1;
let ticker: ReturnType<typeof setInterval> | undefined;

/** Thrown to the caller when the operator cancelled the task. */
export class TaskCancelled extends Error {
  constructor() {
    super("cancelled");
    this.name = "TaskCancelled";
  }
}

function startTicker() {
  if (ticker) return;
  ticker = setInterval(() => {
    tasks.now = now();
    if (tasks.running.length === 0 && ticker) {
      clearInterval(ticker);
      ticker = undefined;
    }
  }, 250);
}

/** Runs `work`, listed in the progress panel while it lasts. */
export function runTask<T>(
  label: MessageKey,
  work: () => Promise<T>,
  options: { cancellable?: boolean; progress?: () => Promise<TaskStep | null> } = {},
): Promise<T> {
  const id = nextId++;
  let cancel: (() => void) | null = null;
  const cancelled = new Promise<never>((_, reject) => {
    cancel = () => reject(new TaskCancelled());
  });
  tasks.running.push({
    id,
    label,
    startedAt: now(),
    cancel: options.cancellable ? cancel : null,
    step: null,
  });
  startTicker();
  const poller = options.progress ? pollProgress(id, options.progress) : undefined;
  const done = () => {
    if (poller) clearInterval(poller);
    tasks.running = tasks.running.filter((task) => task.id !== id);
  };
  const racing = options.cancellable ? Promise.race([work(), cancelled]) : work();
  return racing.finally(done);
}

/** Asks `progress` now and then while task `id` runs; a failed answer keeps the last one. */
function pollProgress(id: number, progress: () => Promise<TaskStep | null>) {
  let asking = false;
  return setInterval(() => {
    if (asking) return; // a slow answer is not asked again on top of itself
    asking = true;
    progress()
      .then((step) => {
        const task = tasks.running.find((running) => running.id === id);
        if (task && step) task.step = step;
      })
      .catch(() => {}) // the bar stays where it was; the task's own result says what went wrong
      .finally(() => (asking = false));
  }, PROGRESS_EVERY_MS);
}

/** The tasks old enough to be shown. */
export function visibleTasks(): RunningTask[] {
  return tasks.running.filter((task) => tasks.now - task.startedAt >= SHOW_AFTER_MS);
}
