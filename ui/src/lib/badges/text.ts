// How the Badges tabs write a holder's name and read what the operator types
// (a delay in days, badge numbers scanned one after another).

/** "DUPONT Zoé": the family name as lists and the mail room sort it. */
export function holderName(familyName: string, givenNames: string): string {
  return `${familyName.trim().toUpperCase()} ${givenNames.trim()}`.trim();
}

/** A delay typed by the operator: a whole number of days, or null when left empty. */
export function parseDays(text: string): number | null | "invalid" {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  if (!/^\d+$/.test(trimmed)) return "invalid";
  const days = Number(trimmed);
  return days >= 1 && days <= 3650 ? days : "invalid";
}

/** Badge numbers typed or scanned one after another (spaces, commas, semicolons, lines). */
export function splitNumbers(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((n) => n.trim()).filter((n) => n !== ""))];
}

/** `list` with `value` added, or removed when it was there (a ticked or unticked box). */
export function toggle(list: readonly string[], value: string): string[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}
