// The rules screen edits the backend's Policy as it is: fields are found on the
// object itself, so a rule added in Rust (a number, a yes/no, a list) appears
// here with its label (`settings.rule.<field>`) without a new form, and with its
// explanation when one is written (`settings.ruleHelp.<field>`).
import { textOr } from "../i18n/index.svelte";

export type FieldKind = "number" | "boolean" | "text" | "choice" | "list" | "group";

/** Text rules that take one of a few values, each labelled `settings.ruleChoice.<field>.<value>`. */
const CHOICES: Record<string, readonly string[]> = {
  englishDateOrder: ["day_month_year", "month_day_year", "year_month_day"],
};

/** The values a choice rule takes ([] for any other field). */
export function fieldChoices(field: string): readonly string[] {
  return CHOICES[field] ?? [];
}

/** The label of one value of a choice rule. */
export function choiceLabel(field: string, value: string): string {
  return textOr(`settings.ruleChoice.${field}.${value}`, value);
}

export function fieldKind(value: unknown, field = ""): FieldKind | null {
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "string") return fieldChoices(field).length > 0 ? "choice" : "text";
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return "list";
  if (value !== null && typeof value === "object" && !Array.isArray(value)) return "group";
  return null;
}

/** The label of a rule field, translated when the catalogue has it. */
export function fieldLabel(field: string): string {
  return textOr(`settings.rule.${field}`, field);
}

/** What a rule does, when the catalogue explains it ("" otherwise). */
export function fieldHelp(field: string): string {
  return textOr(`settings.ruleHelp.${field}`, "");
}
