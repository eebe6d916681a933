// The column a refused row names, as the screen calls it: the backend names a
// file's column by its canonical header (`family_name`), a holder's field by its
// property (`givenNames`), an access-control log's by its own (`timestamp`).
import { t, type MessageKey } from "../i18n/index.svelte";

const COLUMNS = [
  "familyName",
  "givenNames",
  "email",
  "phone",
  "organisation",
  "unit",
  "category",
  "externalId",
  "presenceDays",
  "missionStart",
  "missionEnd",
  "kind",
  "zones",
  "services",
  "wantedFrom",
  "wantedUntil",
  "notes",
  "badge",
  "timestamp",
  "time",
  "door",
  "photo",
  "key",
] as const;

/** `family_name` → `familyName`. */
function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** The column's label in the UI's language; an unknown name (a newer backend) as it is. */
export function columnLabel(column: string | null): string {
  if (!column) return "";
  const name = camel(column);
  return (COLUMNS as readonly string[]).includes(name) ? t(`csv.col.${name}` as MessageKey) : column;
}
