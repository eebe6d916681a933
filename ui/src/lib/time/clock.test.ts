import { afterEach, describe, expect, it, vi } from "vitest";
import { addDays, localIsoDate, now, pinClock, today, unpinClock } from "./clock";
import { dayOffset, PINNED_TODAY } from "./testing";

describe("clock", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("is pinned to the same day for every test", () => {
    expect(today()).toBe(PINNED_TODAY);
    expect(localIsoDate(new Date(now()))).toBe(PINNED_TODAY);
  });

  it("pins a day at noon, or an exact instant", () => {
    pinClock("2031-02-28");
    expect(today()).toBe("2031-02-28");
    expect(new Date(now()).getHours()).toBe(12);
    pinClock(new Date(2030, 11, 31, 23, 59, 30));
    expect(today()).toBe("2030-12-31");
    expect(() => pinClock("not a date")).toThrow();
  });

  it("runs on from the pinned instant with Vitest's fake timers", () => {
    vi.useFakeTimers({ toFake: ["Date", "setTimeout"] });
    pinClock(new Date(2030, 11, 31, 23, 59, 30));
    const start = now();
    vi.advanceTimersByTime(45_000);
    expect(now() - start).toBe(45_000);
    expect(today()).toBe("2031-01-01");
  });

  it("reads the system clock again once unpinned", () => {
    unpinClock();
    expect(Math.abs(now() - Date.now())).toBeLessThan(1000);
    expect(today()).toBe(localIsoDate(new Date()));
  });

  it("counts days across months, years and leap days", () => {
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2027-12-31", 1)).toBe("2028-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(dayOffset(0)).toBe(PINNED_TODAY);
    expect(dayOffset(3)).toBe(addDays(PINNED_TODAY, 3));
    expect(() => addDays("21/11/2026", 1)).toThrow();
  });
});
