// French texts of the date fields. English has the same keys in ../en/dates.ts.
export const dates = {
  "dates.pattern.day_month_year": "jj/mm/aaaa",
  "dates.pattern.month_day_year": "mm/jj/aaaa",
  "dates.pattern.year_month_day": "aaaa-mm-jj",
  "dates.invalid": "Date illisible : écrivez-la {pattern} (ex. {example}).",
  "dates.beforeMin": "Date trop tôt : le {min} au plus tôt.",
  "dates.afterMax": "Date trop tard : le {max} au plus tard.",
};
