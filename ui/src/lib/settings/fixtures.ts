// The office's rules as the backend's get_policy sends them, for the tests of the
// screens that read them: one "staff" category with its usual rules, changed
// where a test needs it.
import type { CategoryRules } from "../ipc/generated/CategoryRules";

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
};

export function officePolicy(staff: Partial<typeof STAFF> = {}) {
  return {
    categories: [{ ...STAFF, ...staff }],
    badgeNumberFormat: { template: "B{seq:6}" },
    lockAfterMinutes: 0,
  };
}
