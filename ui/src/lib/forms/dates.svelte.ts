// Dates as people at the desk type them: French writes day/month/year; English
// follows the office's choice (the rules' `englishDateOrder`), never the operating
// system's format. Values stay ISO (YYYY-MM-DD) everywhere else.
import type { Locale } from "../i18n/index.svelte";
import type { EnglishDateOrder } from "../ipc/generated/EnglishDateOrder";

export type DateOrder = EnglishDateOrder;

/** The office's order for English, loaded with the rules (day/month/year until then). */
export const officeDates = $state<{ englishOrder: DateOrder }>({ englishOrder: "day_month_year" });

export function setEnglishDateOrder(order: DateOrder | undefined): void {
  officeDates.englishOrder = order ?? "day_month_year";
}

/** The order a date field takes in `locale`. */
export function fieldOrder(locale: Locale): DateOrder {
  return locale === "fr" ? "day_month_year" : officeDates.englishOrder;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** `iso` (YYYY-MM-DD) as typed in `order`; "" for no date. */
export function formatTyped(iso: string, order: DateOrder): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return "";
  const [, y, m, d] = match;
  switch (order) {
    case "day_month_year":
      return `${d}/${m}/${y}`;
    case "month_day_year":
      return `${m}/${d}/${y}`;
    case "year_month_day":
      return `${y}-${m}-${d}`;
  }
}

/** The ISO date typed as `text` in `order` (separators / . - or space, or 8 digits),
 * or null when it is no real calendar date. */
export function parseTyped(text: string, order: DateOrder): string | null {
  const trimmed = text.trim();
  let parts: string[];
  if (/^\d{8}$/.test(trimmed)) {
    parts =
      order === "year_month_day"
        ? [trimmed.slice(0, 4), trimmed.slice(4, 6), trimmed.slice(6)]
        : [trimmed.slice(0, 2), trimmed.slice(2, 4), trimmed.slice(4)];
  } else {
    parts = trimmed.split(/[/.\-\s]+/);
  }
  if (parts.length !== 3 || parts.some((p) => !/^\d+$/.test(p))) return null;
  const [a, b, c] = parts.map(Number);
  const [year, month, day] =
    order === "day_month_year" ? [c, b, a] : order === "month_day_year" ? [c, a, b] : [a, b, c];
  const yearText = order === "year_month_day" ? parts[0] : parts[2];
  if (yearText.length !== 4 || month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}
