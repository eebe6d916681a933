import { afterEach, describe, expect, it } from "vitest";
import { render } from "@testing-library/svelte";
import RefusedRows from "./RefusedRows.svelte";
import { setLocale } from "../i18n/index.svelte";
import type { RefusedRow } from "../ipc/generated/RefusedRow";

const ROWS: RefusedRow[] = [
  { row: 3, line: 4, column: "external_id", code: "import.duplicate_row", message: "same HR number and request kind as row 1" },
  { row: 5, line: 7, column: "givenNames", code: "holder.invalid_characters", message: "givenNames holds U+000A" },
  { row: 6, line: 8, column: "timestamp", code: "usage.invalid_timestamp", message: "31/02 cannot be read" },
];

describe("refused rows", () => {
  afterEach(() => setLocale("fr"));

  it("names columns and reasons in French, without the backend's names or English detail", () => {
    setLocale("fr");
    const { getByTestId } = render(RefusedRows, { rows: ROWS, testid: "refused" });
    const text = getByTestId("refused").textContent ?? "";
    expect(text).toContain("Matricule (RH)");
    expect(text).toContain("Prénom(s)");
    expect(text).toContain("Date et heure");
    expect(text).not.toMatch(/external_id|givenNames|timestamp|same HR number|cannot be read/);
  });

  it("adds the backend's detail on an English screen", () => {
    setLocale("en");
    const { getByTestId } = render(RefusedRows, { rows: ROWS, testid: "refused" });
    const text = getByTestId("refused").textContent ?? "";
    expect(text).toContain("HR number");
    expect(text).toContain("same HR number and request kind as row 1");
    expect(text).not.toMatch(/external_id/);
  });
});
