import { describe, expect, it } from "vitest";
import { commaList, optional } from "./text";

describe("typed text", () => {
  it("sends an optional field left empty as null, trimmed otherwise", () => {
    expect([optional(""), optional("  "), optional(undefined), optional(null)]).toEqual([null, null, null, null]);
    expect(optional("  Labo ")).toBe("Labo");
  });

  it("splits a list typed with commas and drops the blanks", () => {
    expect(commaList("Bât A, Parking ,, ")).toEqual(["Bât A", "Parking"]);
    expect(commaList("")).toEqual([]);
  });
});
