import { describe, expect, it, vi } from "vitest";
import { runTask, SHOW_AFTER_MS, TaskCancelled, tasks, visibleTasks } from "./tasks.svelte";
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
});
