import { afterEach, describe, expect, it } from "vitest";
import { fieldOrder, formatTyped, parseTyped, setEnglishDateOrder } from "./dates.svelte";

describe("typed dates", () => {
  afterEach(() => setEnglishDateOrder(undefined));

  it("reads French day/month/year whatever the separators, and only real days", () => {
    expect(parseTyped("24/12/2026", "day_month_year")).toBe("2026-12-24");
    expect(parseTyped("1.3.2027", "day_month_year")).toBe("2027-03-01");
    expect(parseTyped("29022028", "day_month_year")).toBe("2028-02-29");
    expect(parseTyped("29/02/2027", "day_month_year")).toBeNull();
    expect(parseTyped("12/24/2026", "day_month_year")).toBeNull();
    expect(parseTyped("24/12/26", "day_month_year")).toBeNull();
    expect(parseTyped("demain", "day_month_year")).toBeNull();
  });

  it("follows the office's order in English, never the system's", () => {
    expect(fieldOrder("fr")).toBe("day_month_year");
    expect(fieldOrder("en")).toBe("day_month_year");
    setEnglishDateOrder("month_day_year");
    expect(fieldOrder("fr")).toBe("day_month_year");
    expect(fieldOrder("en")).toBe("month_day_year");
    expect(parseTyped("12/24/2026", "month_day_year")).toBe("2026-12-24");
    expect(parseTyped("2026-12-24", "year_month_day")).toBe("2026-12-24");
    expect(formatTyped("2026-03-01", "day_month_year")).toBe("01/03/2026");
    expect(formatTyped("2026-03-01", "month_day_year")).toBe("03/01/2026");
    expect(formatTyped("2026-03-01", "year_month_day")).toBe("2026-03-01");
    expect(formatTyped("", "day_month_year")).toBe("");
  });
});
