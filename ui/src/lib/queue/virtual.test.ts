import { describe, expect, it } from "vitest";
import { rowWindow, scrollToRow } from "./virtual";

describe("rowWindow", () => {
  it("draws only the rows in view plus a margin, even for 100 000 rows", () => {
    const w = rowWindow(100_000, 34, 34 * 50_000, 680, 8);
    expect(w.start).toBe(50_000 - 8);
    expect(w.end).toBe(50_000 + 21 + 8);
    expect(w.end - w.start).toBeLessThan(40);
    expect(w.padTop + (w.end - w.start) * 34 + w.padBottom).toBe(100_000 * 34);
  });

  it("stops at both ends", () => {
    expect(rowWindow(10, 34, 0, 680).start).toBe(0);
    expect(rowWindow(10, 34, 0, 680).end).toBe(10);
    expect(rowWindow(0, 34, 0, 680)).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
    const last = rowWindow(100, 34, 34 * 200, 680);
    expect(last.end).toBe(100);
    expect(last.padBottom).toBe(0);
  });

  it("scrolls just enough to show a row", () => {
    expect(scrollToRow(5, 34, 0, 340)).toBeNull();
    expect(scrollToRow(20, 34, 0, 340)).toBe(21 * 34 - 340);
    expect(scrollToRow(2, 34, 340, 340)).toBe(68);
  });
});
