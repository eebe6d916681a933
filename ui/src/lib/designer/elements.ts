// What the designer says about an element: its name in the list, the sample text
// the canvas shows, its colour on screen, whether a condition lets it print for a
// category, and the new elements the toolbar adds.
import type { DesignElement } from "../ipc/generated/DesignElement";
import type { ElementType } from "../ipc/generated/ElementType";
import type { Field } from "../ipc/generated/Field";
import type { LocalText } from "../ipc/generated/LocalText";
import { i18n, t, type MessageKey } from "../i18n/index.svelte";

export const FIELDS: readonly Field[] = [
  "family_name",
  "given_names",
  "full_name",
  "role",
  "organisation",
  "category",
  "badge_number",
  "valid_from",
  "valid_until",
  "validity",
  "host",
  "office_name",
  "zones",
];

export const ELEMENT_TYPES: readonly ElementType[] = ["text", "rect", "photo", "image", "qr", "datamatrix", "pdf417", "barcode"];

export function fieldLabel(field: Field): string {
  return t(`designer.field.${field}` as MessageKey);
}

export function typeLabel(type: ElementType): string {
  return t(`designer.type.${type}` as MessageKey);
}

export function localText(text: LocalText | undefined): string {
  if (text === undefined) return "";
  if (typeof text === "string") return text;
  return i18n.locale === "en" ? (text.en ?? text.fr) : text.fr;
}

/** "Text: Family name", "Rectangle", "Photo"… as the element list names it. */
export function describe(e: DesignElement): string {
  const type = typeLabel(e.type);
  const named = (what: string) => t("designer.named", { type, what });
  if (e.type === "text") return named(e.field ? fieldLabel(e.field) : t("designer.quoted", { text: localText(e.text) }));
  const coded = e.fields ?? (e.field ? [e.field] : []);
  if ((e.type === "qr" || e.type === "barcode" || e.type === "datamatrix" || e.type === "pdf417") && coded.length > 0)
    return named(coded.map(fieldLabel).join(" + "));
  if (e.type === "image" && e.file) return named(e.file);
  return type;
}

/** What the canvas writes in a text box (the preview has the real text). */
export function sampleText(e: DesignElement): string {
  const text = e.field ? `‹${fieldLabel(e.field)}›` : localText(e.text);
  const prefixed = `${localText(e.prefix)}${text}`;
  return e.uppercase ? prefixed.toUpperCase() : prefixed;
}

/** A template colour ("#RRGGBB" or "cmyk(c, m, y, k)") as the screen shows it. */
export function previewColour(colour: string | undefined, fallback: string): string {
  if (!colour) return fallback;
  const value = colour.trim();
  if (/^#[0-9a-fA-F]{6}$/.test(value)) return value;
  const cmyk = /^cmyk\(([^)]*)\)$/i.exec(value);
  if (cmyk) {
    const [c, m, y, k] = cmyk[1].split(",").map((p) => parseFloat(p) / 100);
    if ([c, m, y, k].every((n) => Number.isFinite(n))) {
      const channel = (n: number) =>
        Math.round(255 * (1 - n) * (1 - k))
          .toString(16)
          .padStart(2, "0");
      return `#${channel(c)}${channel(m)}${channel(y)}`;
    }
  }
  return fallback;
}

/**
 * Whether a conditional element prints for a card of `category` (only the
 * category can be judged on screen: other fields count as matching).
 */
export function conditionHolds(e: DesignElement, category: string): boolean {
  const when = e.when;
  if (!when || when.field !== "category") return true;
  const norm = (s: string) => s.trim().toLowerCase();
  const listed = (values: string[] | undefined) => (values ?? []).some((v) => norm(v) === norm(category));
  if (when.is) return listed(when.is);
  if (when.is_not) return !listed(when.is_not);
  return true;
}

/** A new element of `type`, placed where it fits on any card. */
export function newElement(type: ElementType): DesignElement {
  switch (type) {
    case "text":
      return { type, x: 30, y: 20, width: 40, height: 6, field: "full_name", font_size: 10 };
    case "rect":
      return { type, x: 0, y: 44, width: 85.6, height: 9.98, colour: "#C0392B" };
    case "photo":
      return { type, x: 4, y: 13, width: 22, height: 29.33, corner_radius: 2 };
    case "image":
      return { type, x: 3, y: 1.5, width: 7, height: 7, file: "logo.png" };
    case "qr":
      return { type, x: 60, y: 25, size: 16, field: "badge_number" };
    case "barcode":
      return { type, x: 30, y: 40, width: 40, height: 8, field: "badge_number" };
    case "datamatrix":
      return { type, x: 62, y: 25, size: 14, field: "badge_number" };
    case "pdf417":
      return { type, x: 5, y: 38, width: 50, height: 12, fields: ["badge_number", "full_name"] };
  }
}

/** The categories a design prints, as a list. */
export function categoriesOf(category: string | string[]): string[] {
  return typeof category === "string" ? [category] : category;
}
