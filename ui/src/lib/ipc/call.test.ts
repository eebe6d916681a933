import { describe, expect, it } from "vitest";
import { mockIPC } from "@tauri-apps/api/mocks";
import { call, IpcError } from "./call";

describe("call", () => {
  it("passes arguments through and returns the backend's value", async () => {
    mockIPC((cmd, args) => {
      if (cmd === "echo") return { got: (args as { value: number }).value };
    });
    await expect(call("echo", { value: 7 })).resolves.toEqual({ got: 7 });
  });

  it("turns a {code, message} rejection into an IpcError with that code", async () => {
    mockIPC(() => {
      throw { code: "request.illegal_transition", message: "cannot approve a refused request" };
    });
    const error = await call("anything", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcError);
    expect((error as IpcError).code).toBe("request.illegal_transition");
    expect((error as IpcError).detail).toBe("cannot approve a refused request");
  });

  it("turns Tauri's own string rejections into ipc.failed", async () => {
    mockIPC(() => {
      throw "command nope not found";
    });
    const error = (await call("nope", {}).catch((e: unknown) => e)) as IpcError;
    expect(error.code).toBe("ipc.failed");
    expect(error.detail).toContain("not found");
  });
});
