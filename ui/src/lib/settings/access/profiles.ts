// What the access-export settings need beyond the generated types: the choices
// their menus offer, and a new profile started from a shipped format.
import type { BadgeStatus } from "../../ipc/generated/BadgeStatus";
import type { ExportDateFormat } from "../../ipc/generated/ExportDateFormat";
import type { ExportEncoding } from "../../ipc/generated/ExportEncoding";
import type { ExportField } from "../../ipc/generated/ExportField";
import type { ExportProfile } from "../../ipc/generated/ExportProfile";
import { isMessageKey, t, type MessageKey } from "../../i18n/index.svelte";

export const STATUSES: BadgeStatus[] = ["issued", "active", "suspended", "opposed", "expired", "deactivated", "returned"];

// Every field a column can hold (one missing here fails svelte-check, as a new
// field added in Rust must be offered and named).
const FIELDS: Record<ExportField, true> = {
  badgeNumber: true,
  holderId: true,
  cardSerial: true,
  facilityCode: true,
  familyName: true,
  givenNames: true,
  fullName: true,
  email: true,
  organisation: true,
  unit: true,
  category: true,
  externalId: true,
  validFrom: true,
  validUntil: true,
  status: true,
  zones: true,
  photoFile: true,
  photoPath: true,
  fixed: true,
};
export const EXPORT_FIELDS = Object.keys(FIELDS) as ExportField[];

export const ENCODINGS: ExportEncoding[] = ["utf8", "utf8Bom", "windows1252"];
export const DATE_FORMATS: ExportDateFormat[] = ["iso", "isoUtc", "dayMonthYear", "monthDayYear", "yearMonthDay"];

/** The delimiters offered, as the file writes them. */
export const DELIMITERS: { value: string; label: MessageKey }[] = [
  { value: ";", label: "access.delimiter.semicolon" },
  { value: ",", label: "access.delimiter.comma" },
  { value: "\t", label: "access.delimiter.tab" },
  { value: "|", label: "access.delimiter.pipe" },
];

/** A shipped format's name in the UI's language; a profile of no format is "custom". */
export function formatName(format: string | null): string {
  const key = `access.format.${format ?? "custom"}`;
  return isMessageKey(key) ? t(key) : t("access.format.custom");
}

/**
 * A new profile from a shipped format: its columns and file, named in the UI's
 * language, under an id no other profile has.
 */
export function profileFrom(format: ExportProfile, taken: string[]): ExportProfile {
  const profile = structuredClone(format);
  profile.name = formatName(format.format);
  let id = format.id;
  for (let n = 2; taken.includes(id); n++) id = `${format.id}-${n}`;
  profile.id = id;
  return profile;
}

/** Swaps a column with its neighbour (`by` −1: up, +1: down), when there is one. */
export function moveColumn<T>(columns: T[], index: number, by: -1 | 1): void {
  const other = index + by;
  if (other < 0 || other >= columns.length) return;
  [columns[index], columns[other]] = [columns[other], columns[index]];
}
