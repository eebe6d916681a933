// The day every test runs on (src/test-setup.ts pins the clock to it before each
// test), and dates written relative to it, so no test depends on the day it runs.
import { addDays } from "./clock";

/** The pinned "today" of the tests: a plain weekday, far from any year or DST change. */
export const PINNED_TODAY = "2026-06-10";

/** The `YYYY-MM-DD` day `days` after the pinned today (`dayOffset(-1)`: yesterday). */
export function dayOffset(days: number): string {
  return addDays(PINNED_TODAY, days);
}
