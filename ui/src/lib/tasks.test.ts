import { describe, expect, it, vi } from "vitest";
import { PROGRESS_EVERY_MS, runTask, SHOW_AFTER_MS, TaskCancelled, tasks, visibleTasks } from "./tasks.svelte";
import { now } from "./time/clock";

describe("long tasks", () => {
  it("shows a task only after half a second, and removes it when done", async () => {
    vi.useFakeTimers();
    try {
      let finish: (value: number) => void = () => {};
      const pending = runTask("task.csvImport", () => new Promise<number>((r) => (finish = r)));
      tasks.now = now();
      expect(visibleTasks()).toHaveLength(0);
      vi.advanceTimersByTime(SHOW_AFTER_MS + 10);
      tasks.now = now();
      expect(visibleTasks().map((t) => t.label)).toEqual(["task.csvImport"]);
      expect(visibleTasks()[0].cancel).toBeNull();
      finish(7);
      expect(await pending).toBe(7);
      expect(tasks.running).toHaveLength(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("lets the operator stop waiting for a cancellable task", async () => {
    const pending = runTask("task.preview", () => new Promise(() => {}), { cancellable: true });
    tasks.running[0].cancel?.();
    await expect(pending).rejects.toBeInstanceOf(TaskCancelled);
    expect(tasks.running).toHaveLength(0);
  });

  it("asks a task that reports progress how far it is, and stops asking when it ends", async () => {
    vi.useFakeTimers();
    try {
      let finish: () => void = () => {};
      const answers = [null, { done: 40, total: 100 }, { done: 90, total: 100 }];
      const progress = vi.fn(async () => answers.shift() ?? null);
      const pending = runTask("task.csvImport", () => new Promise<void>((r) => (finish = r)), { progress });
      expect(tasks.running[0].step).toBeNull();
      await vi.advanceTimersByTimeAsync(PROGRESS_EVERY_MS); // no answer yet: still no bar
      expect(tasks.running[0].step).toBeNull();
      await vi.advanceTimersByTimeAsync(PROGRESS_EVERY_MS);
      expect(tasks.running[0].step).toEqual({ done: 40, total: 100 });
      await vi.advanceTimersByTimeAsync(PROGRESS_EVERY_MS);
      expect(tasks.running[0].step).toEqual({ done: 90, total: 100 });
      finish();
      await pending;
      const asked = progress.mock.calls.length;
      await vi.advanceTimersByTimeAsync(PROGRESS_EVERY_MS * 3);
      expect(progress.mock.calls.length).toBe(asked);
    } finally {
      vi.useRealTimers();
    }
  });
});
