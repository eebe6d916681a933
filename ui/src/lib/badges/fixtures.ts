// Backend answers shared by the Badges screen's tests (shapes of the generated types).
export const HOLDER = "0190a0b0-0000-7000-8000-0000000000aa";

export function badge(number: string, overrides: Record<string, unknown> = {}) {
  return {
    id: `0190a0b0-0000-7000-8000-${number.replace(/\D/g, "").padStart(12, "0")}`,
    number,
    holderId: HOLDER,
    requestId: "0190a0b0-0000-7000-8000-0000000000r1",
    cardSerial: null,
    validFrom: "2026-01-01",
    validUntil: "2026-12-10",
    status: "active",
    zones: [],
    statusReason: null,
    version: 3,
    createdAt: "2026-01-01T09:00:00Z",
    updatedAt: "2026-01-01T09:00:00Z",
    ...overrides,
  };
}

export function badgeRow(number: string, overrides: Record<string, unknown> = {}) {
  return {
    badge: badge(number, overrides),
    familyName: "Dupont",
    givenNames: "Zoé",
    email: "zoe.dupont@example.org",
    organisation: "Labo",
    unit: "Chimie",
    category: "staff",
    externalId: null,
  };
}

/** A command the test did not expect: fails loudly in the component's error banner. */
export function unexpected(cmd: string): never {
  throw { code: "test.unexpected", message: cmd };
}

/** A housekeeping report with nothing done (what a quiet day records); `overrides` fills the steps a test needs. */
export function housekeepingReport(runOn: string, overrides: Record<string, unknown> = {}) {
  return {
    runOn,
    dryRun: false,
    operator: "housekeeping",
    expired: [],
    ruleChanges: [],
    visitsClosed: [],
    loansEnded: [],
    reminders: { badges: 0, queued: 0, alreadyQueued: 0, withoutEmail: 0, disabled: false, noticeDays: 30 },
    remindersDue: [],
    purge: null,
    directory: null,
    exports: [],
    exportsDue: [],
    failures: [],
    ...overrides,
  };
}

/**
 * A housekeeping run as `housekeeping_history` sends it: started at `time` (local)
 * on `day`, acting for that day unless the report says otherwise.
 */
export function housekeepingRun(id: number, day: string, overrides: Record<string, unknown> = {}, time = "06:00") {
  return {
    id,
    startedAt: new Date(`${day}T${time}:00`).toISOString(),
    report: housekeepingReport(day, overrides),
  };
}
