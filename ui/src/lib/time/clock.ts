// The one place the UI reads the current date and time. Anything that decides or
// defaults by "now" (the earliest day of a day pass, a date defaulting to today,
// the idle lock, a task's elapsed time) asks `today()` or `now()`, never `Date`,
// so a test can pin the clock and pass on any day it runs.

/** Set while pinned: the pinned instant minus the system clock at pin time (ms). */
let offset: number | null = null;

/** The current instant, in milliseconds since the epoch. */
export function now(): number {
  return Date.now() + (offset ?? 0);
}

/** Today at this desk as `YYYY-MM-DD` (the local day, like the backend's "today"). */
export function today(): string {
  return localIsoDate(new Date(now()));
}

/** The local day of `date` as `YYYY-MM-DD`. */
export function localIsoDate(date: Date): string {
  const month = String(date.getMonth() + 1).padStart(2, "0");
  const day = String(date.getDate()).padStart(2, "0");
  return `${date.getFullYear()}-${month}-${day}`;
}

/** The `YYYY-MM-DD` day `days` after `isoDate` (before it when negative). */
export function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T12:00:00`);
  if (Number.isNaN(date.getTime())) throw new Error(`not a YYYY-MM-DD date: ${isoDate}`);
  date.setDate(date.getDate() + days);
  return localIsoDate(date);
}

/**
 * Makes the clock read `at` from now on, and run on from there: waits and
 * Vitest's fake timers (with `Date` faked) still move it. A bare date pins noon
 * local time, so `today()` stays that day for the whole test whatever the time
 * zone; an instant (`2026-06-15T08:30:00`, a Date, epoch ms) pins exactly that.
 */
export function pinClock(at: string | number | Date): void {
  const instant =
    typeof at === "string" && /^\d{4}-\d{2}-\d{2}$/.test(at)
      ? new Date(`${at}T12:00:00`).getTime()
      : new Date(at).getTime();
  if (Number.isNaN(instant)) throw new Error(`cannot pin the clock to ${String(at)}`);
  offset = instant - Date.now();
}

/** Back to the system clock. */
export function unpinClock(): void {
  offset = null;
}
