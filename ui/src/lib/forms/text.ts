// What operators type, as the backend wants it: optional fields as null when
// left empty, lists typed with commas as arrays.

/** The text trimmed, or null when nothing is left (an optional field left empty). */
export function optional(text: string | null | undefined): string | null {
  const trimmed = text?.trim() ?? "";
  return trimmed === "" ? null : trimmed;
}

/** "Bât A, Parking ," → ["Bât A", "Parking"]: a list typed with commas, blanks dropped. */
export function commaList(text: string): string[] {
  return text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}
