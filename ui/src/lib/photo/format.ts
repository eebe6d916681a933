// Formatting of the photo checks for the operator, in the UI's language. The
// backend sends numbers and structured thresholds; the words are chosen here.
import type { Band } from "../ipc/generated/Band";
import type { CheckId } from "../ipc/generated/CheckId";
import type { CheckResult } from "../ipc/generated/CheckResult";
import type { FaceBox } from "../ipc/generated/FaceBox";
import type { Hint } from "../ipc/generated/Hint";
import type { PhotoReport } from "../ipc/generated/PhotoReport";
import { i18n, t, textOr } from "../i18n/index.svelte";

export function number(value: number): string {
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
export function hint(check: { hint: Hint | null }): string {
  if (!check.hint) return "";
  return i18n.locale === "fr" ? check.hint.fr : check.hint.en;
}

/** A check's name for the operator. */
export function checkLabel(id: CheckId): string {
  return t(`photo.check.${id}`);
}

/**
 * A check named by a plain string (the statistics carry the stored name): its label,
 * or the name itself for a check this UI does not know yet.
 */
export function checkName(id: string): string {
  return textOr(`photo.check.${id}`, id);
}

/** "Netteté, Couvre-chef". */
export function checkList(ids: readonly CheckId[]): string {
  return ids.map(checkLabel).join(", ");
}

/**
 * What the checks of a report mean for saving it, as the backend judges a save
 * (sesame-service `Judgement`): shown before saving, decided by the backend.
 * `blocking`: failed checks nothing overrides (no face, several faces);
 * `toOverride`: other failures, and warnings of checks that ask for the operator's
 * word (kind `warning`): saved only with a reason.
 */
export function judge(report: PhotoReport): { blocking: CheckId[]; toOverride: CheckId[] } {
  const blocking: CheckId[] = [];
  const toOverride: CheckId[] = [];
  for (const check of report.checks) {
    if (check.verdict === "fail") (check.kind === "blocking" ? blocking : toOverride).push(check.id);
    else if (check.verdict === "warn" && check.kind === "warning") toOverride.push(check.id);
  }
  if (!report.face && blocking.length === 0) blocking.push("face_count");
  return { blocking, toOverride };
}

/** A score or rate as a whole percentage ("42 %"). */
export function percent(ratio: number): string {
  return new Intl.NumberFormat(i18n.locale === "fr" ? "fr-FR" : "en-GB", {
    style: "percent",
    maximumFractionDigits: 0,
  }).format(ratio);
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
