// For the tests of screens with date fields: what an operator types for an ISO date
// in the default (French) UI.
import { formatTyped } from "./dates.svelte";

export function typedDate(iso: string): string {
  return formatTyped(iso, "day_month_year");
}
