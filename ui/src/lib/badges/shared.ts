// Small helpers shared by the Badges screen's tabs.
import { isMessageKey, t } from "../i18n/index.svelte";

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

/** Today at the desk as YYYY-MM-DD (local time, like the backend's "today"). */
export function todayIso(now: Date = new Date()): string {
  const month = String(now.getMonth() + 1).padStart(2, "0");
  const day = String(now.getDate()).padStart(2, "0");
  return `${now.getFullYear()}-${month}-${day}`;
}

/** The translated text of a backend error code carried in a result (a skipped row). */
export function codeText(code: string): string {
  const key = `errors.${code}`;
  return isMessageKey(key) ? t(key) : code;
}

/** Badge numbers typed or scanned one after another (spaces, commas, semicolons, lines). */
export function splitNumbers(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((n) => n.trim()).filter((n) => n !== ""))];
}
