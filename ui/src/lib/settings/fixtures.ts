// The office's rules as the backend's get_policy sends them, for the tests of the
// screens that read them: one "staff" category with its usual rules, changed
// where a test needs it. Typed by the generated types, so a rule added in Rust
// must appear here too (and then PolicySettings.test.ts asks for its label and help).
import type { CategoryRules } from "../ipc/generated/CategoryRules";
import type { Policy } from "../ipc/generated/Policy";

const STAFF = {
  key: "staff",
  labelFr: "Personnel",
  labelEn: "Staff",
  minPresenceDaysPerWeek: 2,
  maxValidityDays: 1825,
  maxDayPassDays: 5,
  requireMissionEnd: false,
  requirePhoto: true,
  requiredDocuments: [] as CategoryRules["requiredDocuments"],
  allowedEmailDomains: [] as string[],
  activationDays: 14,
  expiryNoticeDays: 30,
  inactivityDays: 90,
  dayPassNoticeHours: 24,
  temporaryBadgeDays: 0,
  renewalPhotoMaxAgeDays: 1095,
  expireDaysAfterFirstUse: 0,
  deactivateUnusedDays: 0,
  expireAtMissionEnd: false,
} satisfies CategoryRules;

export function officePolicy(staff: Partial<typeof STAFF> = {}) {
  return {
    categories: [{ ...STAFF, ...staff }],
    badgeNumberFormat: { template: "B{seq:6}" },
    lockAfterMinutes: 0,
    englishDateOrder: "day_month_year" as const,
    retention: { idDocumentDaysAfterPrint: 90, holderMonthsAfterBadgeEnd: 12, closedRequestDays: 180, outputFilesDays: 30 },
    photo: { overrideNeedsSupervisor: false },
  } satisfies Policy;
}

/** The office's photo thresholds as `office_photo_rules` sends them: every check's bands, the frame. */
export function photoRules() {
  const band = (min: number | null, max: number | null) => ({ min, max });
  const rule = (pass: [number | null, number | null], warn: [number | null, number | null]) => ({
    pass: band(...pass),
    warn: band(...warn),
  });
  return {
    frame: { widthPx: 413, heightPx: 531, headHeightRatio: 0.75, eyeLineFromBottom: 0.6, jpegQuality: 92 },
    interEyeDistance: rule([90, null], [40, null]),
    headHeight: rule([0.7, 0.8], [0.6, 0.9]),
    centring: rule([-5, 5], [-10, 10]),
    eyeLine: rule([50, 70], [45, 75]),
    roll: rule([-8, 8], [-12, 12]),
    yaw: rule([-8, 8], [-15, 15]),
    pitch: rule([-10, 10], [-15, 15]),
    eyesOpen: rule([0.18, null], [0.15, null]),
    eyesVisible: rule([null, 20], [null, 40]),
    mouthClosed: rule([null, 0.06], [null, 0.08]),
    expression: rule([null, 1.4], [null, 1.8]),
    headCovering: rule([null, 4.5], [null, null]),
    occlusion: rule([null, 30], [null, null]),
    sharpness: rule([35, null], [20, null]),
    exposure: rule([70, 200], [40, 225]),
    clipping: rule([null, 5], [null, 15]),
    dynamicRange: rule([5, null], [4, null]),
    illumination: rule([null, 24], [null, 30]),
    colour: rule([2.5, null], [1.5, null]),
    backgroundUniformity: rule([null, 11], [null, 14]),
    backgroundBrightness: rule([130, null], [100, null]),
    resolution: rule([0.9, null], [0.35, null]),
    compression: rule([null, 1.6], [null, 1.9]),
  };
}
