// English texts of the date fields.
import type { dates as fr } from "../fr/dates";

export const dates: Record<keyof typeof fr, string> = {
  "dates.pattern.day_month_year": "dd/mm/yyyy",
  "dates.pattern.month_day_year": "mm/dd/yyyy",
  "dates.pattern.year_month_day": "yyyy-mm-dd",
  "dates.invalid": "Unreadable date: write it {pattern} (e.g. {example}).",
  "dates.beforeMin": "Too early: {min} at the earliest.",
  "dates.afterMax": "Too late: {max} at the latest.",
};
