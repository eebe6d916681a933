// Formatting of the photo checks for the operator, in the UI's language. The
// backend sends numbers and structured thresholds; the words are chosen here.
import type { Band } from "../ipc/generated/Band";
import type { CheckResult } from "../ipc/generated/CheckResult";
import type { FaceBox } from "../ipc/generated/FaceBox";
import { i18n, t } from "../i18n/index.svelte";

function number(value: number): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return new Intl.NumberFormat(i18n.locale === "fr" ? "fr-FR" : "en-GB", {
    maximumFractionDigits: digits,
  }).format(value);
}

function band(b: Band): string {
  if (b.min !== null && b.max !== null) return t("photo.band.between", { min: number(b.min), max: number(b.max) });
  if (b.min !== null) return t("photo.band.atLeast", { min: number(b.min) });
  if (b.max !== null) return t("photo.band.atMost", { max: number(b.max) });
  return t("photo.band.any");
}

/** "OK ≥ 90 · alerte ≥ 40", or "exactement 1" for the face count. */
export function threshold(check: CheckResult): string {
  if (!check.rule) return t("photo.threshold.exactlyOne");
  return `${t("photo.threshold.pass", { band: band(check.rule.pass) })} · ${t("photo.threshold.warn", { band: band(check.rule.warn) })}`;
}

/** The measured value with its unit, or a dash when the check was skipped. */
export function measured(check: CheckResult): string {
  if (check.value === null) return "—";
  const unit = t(`photo.unit.${check.id}`);
  return unit === "" ? number(check.value) : `${number(check.value)} ${unit}`;
}

/** The hint in the UI's language (the backend sends both). */
export function hint(check: CheckResult): string {
  if (!check.hint) return "";
  return i18n.locale === "fr" ? check.hint.fr : check.hint.en;
}

/** A face box as percentages of its image, for an overlay that scales with it. */
export function boxPercent(face: FaceBox, width: number, height: number) {
  return {
    left: `${(face.x / width) * 100}%`,
    top: `${(face.y / height) * 100}%`,
    width: `${(face.width / width) * 100}%`,
    height: `${(face.height / height) * 100}%`,
  };
}
