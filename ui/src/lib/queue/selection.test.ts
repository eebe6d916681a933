import { describe, expect, it } from "vitest";
import { toggled, withRange } from "./selection";

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
