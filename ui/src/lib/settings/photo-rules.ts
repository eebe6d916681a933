// The office's photo check thresholds and override rates, as the Photo checks tab
// shows them. Pure functions, tested without a DOM.
import type { Band } from "../ipc/generated/Band";
import type { CheckId } from "../ipc/generated/CheckId";
import type { PhotoCheckRate } from "../ipc/generated/PhotoCheckRate";
import type { PhotoRules } from "../ipc/generated/PhotoRules";

/** Every threshold of `PhotoRules` (the badge frame is not a check). */
export type RuleKey = Exclude<keyof PhotoRules, "frame">;

/**
 * The check each threshold is for, in the order the editor lists them: a rule added
 * in Rust fails svelte-check here until it is named (and its check has a label).
 */
export const RULE_CHECKS: Record<RuleKey, CheckId> = {
  interEyeDistance: "inter_eye_distance",
  headHeight: "head_height",
  centring: "centring",
  eyeLine: "eye_line",
  roll: "roll",
  yaw: "yaw",
  pitch: "pitch",
  eyesOpen: "eyes_open",
  eyesVisible: "eyes_visible",
  mouthClosed: "mouth_closed",
  expression: "expression",
  headCovering: "head_covering",
  occlusion: "occlusion",
  sharpness: "sharpness",
  exposure: "exposure",
  clipping: "clipping",
  dynamicRange: "dynamic_range",
  illumination: "illumination",
  colour: "colour",
  backgroundUniformity: "background_uniformity",
  backgroundBrightness: "background_brightness",
  resolution: "resolution",
  compression: "compression",
};

export const RULE_KEYS = Object.keys(RULE_CHECKS) as RuleKey[];

/** A bound typed in a field: empty is unbounded (`null`); `undefined` when it is not a number. */
export function parseBound(text: string): number | null | undefined {
  const trimmed = text.trim().replace(",", ".");
  if (trimmed === "") return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

const inverted = (band: Band) => band.min !== null && band.max !== null && band.min > band.max;

/** The checks whose pass or warn band has its minimum above its maximum. */
export function invalidRules(rules: PhotoRules): CheckId[] {
  return RULE_KEYS.filter((key) => inverted(rules[key].pass) || inverted(rules[key].warn)).map((key) => RULE_CHECKS[key]);
}

/** A check's record with what the table shows: how often it stopped a photo, was overridden, and the rate. */
export interface OverrideRate extends PhotoCheckRate {
  stopped: number;
  overridden: number;
  /** Overridden over stopped, 0-1. */
  rate: number;
  /** Overridden often enough that its thresholds are probably wrong. */
  recalibrate: boolean;
}

/** From this share of overrides (over at least `MIN_STOPPED` photos) a check is flagged for review. */
export const OFTEN_OVERRIDDEN = 0.5;
export const MIN_STOPPED = 3;

/** The checks by override rate, the highest first (then the most overridden, the most stopped). */
export function overrideRates(checks: readonly PhotoCheckRate[]): OverrideRate[] {
  return checks
    .map((check) => {
      const stopped = check.refused + check.warned;
      const overridden = check.refusalsOverridden + check.warningsOverridden;
      const rate = stopped === 0 ? 0 : overridden / stopped;
      return { ...check, stopped, overridden, rate, recalibrate: stopped >= MIN_STOPPED && rate >= OFTEN_OVERRIDDEN };
    })
    .sort((a, b) => b.rate - a.rate || b.overridden - a.overridden || b.stopped - a.stopped);
}
