// The idle lock: after the office's `lockAfterMinutes` without input (0 = off)
// the desk is locked in the backend (sensitive actions refused) and the lock
// screen hides everything until the operator's PIN is typed. An operator
// without a PIN cannot be locked out (there would be no way back in): the
// screen is then only masked, and says how to set a PIN.
import { commands } from "../ipc";
import { now } from "../time/clock";
import { desk, refreshSession, setSession } from "./session.svelte";

export const lock = $state({ masked: false, lastInput: now() });

/** Any input counts as presence. */
export function noteInput(): void {
  lock.lastInput = now();
}

/** Whether the lock screen covers the desk. */
export function lockShown(): boolean {
  return lock.masked || desk.session?.locked === true;
}

/** Locks now (the "Lock" button, Alt+L, or the idle timer). */
export async function lockNow(): Promise<void> {
  let session = desk.session;
  if (!session) {
    try {
      session = await refreshSession();
    } catch {
      session = null;
    }
  }
  if (session?.hasPin) {
    try {
      setSession(await commands.lockDesk());
      return;
    } catch {
      // The PIN was cleared meanwhile, or the database is gone: mask at least.
    }
  }
  lock.masked = true;
}

/** Idle for the policy's delay, with a delay set (0 = off). */
export function idleTooLong(now: number): boolean {
  const minutes = desk.session?.lockAfterMinutes ?? 0;
  return minutes > 0 && now - lock.lastInput >= minutes * 60_000;
}

/** Takes the mask off (only when there is no real lock). */
export function unmask(): void {
  lock.masked = false;
  noteInput();
}
