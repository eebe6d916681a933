import { describe, expect, it } from "vitest";
import { rowWindow, scrollToRow } from "./virtual";
import { toggled, withRange } from "./selection";
import { nextSort, queueQuery } from "./query";

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

describe("selection", () => {
  const order = ["a", "b", "c", "d", "e"];
  it("toggles one id", () => {
    expect([...toggled(new Set(["a"]), "b")]).toEqual(["a", "b"]);
    expect([...toggled(new Set(["a"]), "a")]).toEqual([]);
  });
  it("selects a range in either direction", () => {
    expect([...withRange(new Set(), order, "b", "d")].sort()).toEqual(["b", "c", "d"]);
    expect([...withRange(new Set(["a"]), order, "e", "c")].sort()).toEqual(["a", "c", "d", "e"]);
    expect([...withRange(new Set(), order, null, "c")]).toEqual(["c"]);
  });
});

describe("queue queries", () => {
  it("flips the direction on the same column and starts ascending on another", () => {
    expect(nextSort({ field: "submitted", direction: "desc" }, "submitted")).toEqual({
      field: "submitted",
      direction: "asc",
    });
    expect(nextSort({ field: "submitted", direction: "desc" }, "holder_name")).toEqual({
      field: "holder_name",
      direction: "asc",
    });
  });
  it("leaves empty filters out of the query", () => {
    const q = queueQuery({ filters: { kind: "", zone: "  ", category: "", expiringBefore: "" } });
    expect([q.kinds, q.zone, q.categories, q.badgeExpiringBefore]).toEqual([[], null, [], null]);
  });
});
