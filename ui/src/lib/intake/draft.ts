// The intake form's draft: what the operator typed, kept in localStorage so a
// refused save, a closed form or a crash loses nothing.
import type { MessageKey } from "../i18n/index.svelte";
import type { CategoryRules } from "../ipc/generated/CategoryRules";
import type { NewRequest } from "../ipc/generated/NewRequest";
import type { RequestKind } from "../ipc/generated/RequestKind";
import { commaList, optional } from "../forms/text";

export interface Draft {
  familyName: string;
  givenNames: string;
  email: string;
  phone: string;
  organisation: string;
  unit: string;
  category: string;
  externalId: string;
  kind: RequestKind;
  presenceDays: number;
  missionStart: string;
  missionEnd: string;
  zones: string;
  services: string;
  /** Day passes: the days wanted. */
  wantedFrom: string;
  wantedUntil: string;
  /** The holder agreed to the use of their image (recorded by the operator). */
  imageRightsConsent: boolean;
  notes: string;
}

const DRAFT_KEY = "sesame.intake.draft";

export function emptyDraft(): Draft {
  return {
    familyName: "",
    givenNames: "",
    email: "",
    phone: "",
    organisation: "",
    unit: "",
    category: "staff",
    externalId: "",
    kind: "new_badge",
    presenceDays: 5,
    missionStart: "",
    missionEnd: "",
    zones: "",
    services: "",
    wantedFrom: "",
    wantedUntil: "",
    imageRightsConsent: false,
    notes: "",
  };
}

export function loadDraft(): Draft | null {
  try {
    const raw = localStorage.getItem(DRAFT_KEY);
    return raw ? { ...emptyDraft(), ...(JSON.parse(raw) as Partial<Draft>) } : null;
  } catch {
    return null;
  }
}

export function saveDraft(draft: Draft): void {
  try {
    localStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
  } catch {
    // Storage full or unavailable: the form still works, only the safety net is gone.
  }
}

export function clearDraft(): void {
  try {
    localStorage.removeItem(DRAFT_KEY);
  } catch {
    // Nothing to clear.
  }
}

/** The rules of the chosen category the form can check as the operator types. */
export type DraftRules = Pick<
  CategoryRules,
  "minPresenceDaysPerWeek" | "maxDayPassDays" | "requireMissionEnd" | "allowedEmailDomains"
>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function daysBetween(from: string, until: string): number {
  return Math.round((Date.parse(`${until}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * Field problems the form shows in place, before asking the backend (which
 * checks the same rules again and has the last word).
 */
export function validateDraft(
  draft: Draft,
  rules?: DraftRules,
): Partial<Record<keyof Draft, MessageKey>> {
  const problems: Partial<Record<keyof Draft, MessageKey>> = {};
  if (draft.familyName.trim() === "") problems.familyName = "intake.required";
  if (draft.givenNames.trim() === "") problems.givenNames = "intake.required";
  const email = draft.email.trim();
  if (email !== "" && !EMAIL.test(email)) {
    problems.email = "intake.emailInvalid";
  } else if (email !== "" && rules && rules.allowedEmailDomains.length > 0) {
    const domain = email.slice(email.lastIndexOf("@") + 1).toLowerCase();
    const allowed = rules.allowedEmailDomains.some((d) => {
      const wanted = d.toLowerCase().replace(/^@/, "");
      return domain === wanted || domain.endsWith(`.${wanted}`);
    });
    if (!allowed) problems.email = "intake.emailDomain";
  }
  const presence = Number(draft.presenceDays);
  if (!Number.isInteger(presence) || presence < 0 || presence > 7) {
    problems.presenceDays = "intake.presenceRange";
  }
  if (draft.missionStart && draft.missionEnd && draft.missionEnd < draft.missionStart) {
    problems.missionEnd = "intake.datesInverted";
  } else if (
    rules?.requireMissionEnd &&
    draft.kind !== "day_pass" &&
    draft.kind !== "zone_access" &&
    draft.missionEnd === ""
  ) {
    problems.missionEnd = "intake.missionEndRequired";
  }
  if (draft.kind === "day_pass") {
    if (draft.wantedFrom === "") problems.wantedFrom = "intake.required";
    if (draft.wantedUntil !== "" && draft.wantedFrom !== "" && draft.wantedUntil < draft.wantedFrom) {
      problems.wantedUntil = "intake.datesInverted";
    } else if (
      rules &&
      draft.wantedFrom !== "" &&
      draft.wantedUntil !== "" &&
      daysBetween(draft.wantedFrom, draft.wantedUntil) + 1 > rules.maxDayPassDays
    ) {
      problems.wantedUntil = "intake.dayPassTooLong";
    }
  }
  return problems;
}

export function toNewRequest(draft: Draft): NewRequest {
  return {
    holderId: null,
    holder: {
      familyName: draft.familyName.trim(),
      givenNames: draft.givenNames.trim(),
      email: optional(draft.email),
      phone: optional(draft.phone),
      organisation: optional(draft.organisation),
      unit: optional(draft.unit),
      category: draft.category,
      externalId: optional(draft.externalId),
      presenceDaysPerWeek: Number(draft.presenceDays),
      missionStart: optional(draft.missionStart),
      missionEnd: optional(draft.missionEnd),
    },
    request: {
      kind: draft.kind,
      zones: commaList(draft.zones),
      services: commaList(draft.services),
      wantedFrom: draft.kind === "day_pass" ? optional(draft.wantedFrom) : null,
      wantedUntil: draft.kind === "day_pass" ? optional(draft.wantedUntil || draft.wantedFrom) : null,
      previousBadgeId: null,
      replacementCause: null,
      notes: optional(draft.notes),
    },
  };
}
