import { describe, expect, it, vi } from "vitest";
import { IpcError } from "../ipc";
import { ScreenAction } from "./screen-action.svelte";

/** A promise the test settles when it chooses, to look at the action while it runs. */
function deferred() {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("ScreenAction", () => {
  it("is busy while the work runs and clears the last outcome as it starts", async () => {
    const action = new ScreenAction();
    action.error = new Error("the previous action failed");
    action.notice = "the previous action's notice";
    const work = deferred();

    const done = action.run(() => work.promise);
    expect(action.busy).toBe(true);
    expect(action.error).toBeNull();
    expect(action.notice).toBe("");

    work.resolve();
    await expect(done).resolves.toBe(true);
    expect(action.busy).toBe(false);
    expect(action.error).toBeNull();
  });

  it("keeps the notice the work sets", async () => {
    const action = new ScreenAction();
    await action.run(async () => {
      action.notice = "saved";
    });
    expect(action.notice).toBe("saved");
  });

  it("keeps a failure for the screen instead of throwing it", async () => {
    const action = new ScreenAction();
    action.notice = "the previous action's notice";
    const refused = new IpcError("store.conflict", "changed meanwhile");

    await expect(action.run(() => Promise.reject(refused))).resolves.toBe(false);
    expect(action.error).toBe(refused);
    expect(action.notice).toBe("");
    expect(action.busy).toBe(false);

    // The next action starts without the failure.
    const work = deferred();
    const next = action.run(() => work.promise);
    expect(action.error).toBeNull();
    work.resolve();
    await expect(next).resolves.toBe(true);
  });

  it("keeps a failure thrown before the work's first await", async () => {
    const action = new ScreenAction();
    const failed = await action.run(async () => {
      throw new Error("bad input");
    });
    expect(failed).toBe(false);
    expect(action.error).toEqual(new Error("bad input"));
    expect(action.busy).toBe(false);
  });

  it("awaits onerror after a failure, with the error shown and the screen still busy", async () => {
    const seen: { error: unknown; shown: unknown; busy: boolean }[] = [];
    const lookup = deferred();
    const action = new ScreenAction({
      onerror: async (error) => {
        seen.push({ error, shown: action.error, busy: action.busy });
        await lookup.promise;
      },
    });
    const refused = new Error("several readers");

    const done = action.run(() => Promise.reject(refused));
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    expect(seen).toEqual([{ error: refused, shown: refused, busy: true }]);
    expect(action.busy).toBe(true);

    lookup.resolve();
    await expect(done).resolves.toBe(false);
    expect(action.busy).toBe(false);
    expect(action.error).toBe(refused);
  });

  it("does not call onerror when the work succeeds", async () => {
    let calls = 0;
    const action = new ScreenAction({ onerror: () => calls++ });
    await action.run(async () => {});
    expect(calls).toBe(0);
  });
});
