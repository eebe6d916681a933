import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import LockScreen from "./LockScreen.svelte";
import { desk } from "./session.svelte";
import { lock, noteInput } from "./lock.svelte";

const PIN = "4821";

function session(over: Record<string, unknown> = {}) {
  return {
    operator: "bob",
    displayName: "Bob Martin",
    role: "clerk",
    hasPin: true,
    countersignedBy: null,
    countersignAction: null, countersignTarget: null,
    countersignUntil: null,
    locked: false,
    lockAfterMinutes: 5,
    databaseLogin: false,
    ...over,
  };
}

/** A backend with one operator: records the calls, locks and unlocks like the service. */
function backend(start: Record<string, unknown> = {}) {
  const calls: string[] = [];
  let current = session(start);
  mockIPC((cmd, args) => {
    calls.push(cmd);
    if (cmd === "desk_session") return current;
    if (cmd === "lock_desk") {
      if (!current.hasPin) throw { code: "operator.pin_not_set", message: "no PIN for 'bob'" };
      current = { ...current, locked: true };
      return current;
    }
    if (cmd === "unlock_desk") {
      if ((args as { pin: string }).pin !== PIN) throw { code: "operator.pin_wrong", message: "wrong PIN for 'bob'" };
      current = { ...current, locked: false };
      return current;
    }
    throw { code: "test.unexpected", message: cmd };
  });
  return calls;
}

describe("LockScreen", () => {
  beforeEach(() => {
    // Only the idle timer and the clock are faked (vi.waitFor drives them while it polls).
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "Date"] });
    desk.session = null;
    lock.masked = false;
    noteInput();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("locks after the policy's idle delay, hides the desk, and opens only with the operator's PIN", async () => {
    const calls = backend();
    const { container } = render(LockScreen);
    const data = document.createElement("p");
    data.textContent = "DUPONT Marie";
    data.tabIndex = 0;
    container.prepend(data);
    await vi.waitFor(() => expect(desk.session?.lockAfterMinutes).toBe(5));

    // Input resets the delay: 4 minutes, a key press, 4 more minutes: still open.
    vi.advanceTimersByTime(4 * 60_000);
    await fireEvent.keyDown(window, { key: "a" });
    vi.advanceTimersByTime(4 * 60_000);
    await Promise.resolve();
    expect(screen.queryByTestId("lock-screen")).toBeNull();
    expect(calls).not.toContain("lock_desk");

    vi.advanceTimersByTime(60_000 + 5_000);
    expect(await vi.waitFor(() => screen.getByTestId("lock-screen"))).toBeTruthy();
    expect(calls).toContain("lock_desk");
    // Everything beside the lock screen is inert (no focus, no clicks, not read out).
    expect(data.inert).toBe(true);

    await fireEvent.input(screen.getByTestId("unlock-pin"), { target: { value: "0000" } });
    await fireEvent.click(screen.getByTestId("unlock-submit"));
    const banner = await vi.waitFor(() => screen.getByTestId("error-banner"));
    expect(banner.dataset.code).toBe("operator.pin_wrong");
    expect(screen.getByTestId("lock-screen")).toBeTruthy();
    expect((screen.getByTestId("unlock-pin") as HTMLInputElement).value).toBe("");

    await fireEvent.input(screen.getByTestId("unlock-pin"), { target: { value: PIN } });
    await fireEvent.click(screen.getByTestId("unlock-submit"));
    await vi.waitFor(() => expect(screen.queryByTestId("lock-screen")).toBeNull());
    expect(data.inert).toBe(false);
  });

  it("does not lock when the policy's delay is 0", async () => {
    const calls = backend({ lockAfterMinutes: 0 });
    render(LockScreen);
    await vi.waitFor(() => expect(desk.session).not.toBeNull());
    vi.advanceTimersByTime(8 * 60 * 60_000);
    await Promise.resolve();
    expect(screen.queryByTestId("lock-screen")).toBeNull();
    expect(calls).not.toContain("lock_desk");
  });

  it("Alt+L locks at once; a desk locked before a reload stays locked", async () => {
    const calls = backend();
    render(LockScreen);
    await vi.waitFor(() => expect(desk.session).not.toBeNull());
    await fireEvent.keyDown(window, { key: "l", altKey: true });
    expect(await vi.waitFor(() => screen.getByTestId("unlock-pin"))).toBeTruthy();
    expect(calls).toContain("lock_desk");

    // The window is reloaded: the backend still says locked.
    backend({ locked: true });
    desk.session = null;
    render(LockScreen);
    expect((await vi.waitFor(() => screen.getAllByTestId("lock-screen"))).length).toBeGreaterThan(0);
  });

  it("without a PIN, only masks the screen and says how to set one", async () => {
    const calls = backend({ hasPin: false, lockAfterMinutes: 1 });
    render(LockScreen);
    await vi.waitFor(() => expect(desk.session).not.toBeNull());
    vi.advanceTimersByTime(60_000 + 5_000);
    const masked = await vi.waitFor(() => screen.getByTestId("lock-no-pin"));
    expect(masked.textContent).toContain("Réglages › Sécurité › Mon code PIN");
    expect(screen.queryByTestId("unlock-pin")).toBeNull();
    expect(calls).not.toContain("lock_desk");
    await fireEvent.click(screen.getByTestId("unmask"));
    expect(screen.queryByTestId("lock-screen")).toBeNull();
  });
});
