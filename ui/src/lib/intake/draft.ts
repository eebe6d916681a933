// The intake form's draft: what the operator typed, kept by the backend in the
// desk's memory for the operator signed in (never in the webview's storage: it
// names a holder), so a refused save, a closed form or a reloaded window loses
// nothing. The backend forgets it when the desk locks or the operator signs out.
import type { MessageKey } from "../i18n/index.svelte";
import type { CategoryRules } from "../ipc/generated/CategoryRules";
import type { NewRequest } from "../ipc/generated/NewRequest";
import type { RequestKind } from "../ipc/generated/RequestKind";
import { commaList, optional } from "../forms/text";
import { commands } from "../ipc";

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

/** Where older versions kept the draft in the webview: emptied on sight. */
const LEGACY_DRAFT_KEY = "sesame.intake.draft";
/** Typing is sent to the backend this long after the last change. */
const SAVE_AFTER_MS = 300;

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

/** The draft the backend keeps for the operator, if any. */
export async function loadDraft(): Promise<Draft | null> {
  forgetLegacyDraft();
  try {
    const raw = await commands.intakeDraft();
    return raw ? { ...emptyDraft(), ...(JSON.parse(raw) as Partial<Draft>) } : null;
  } catch {
    return null;
  }
}

let pendingSave: ReturnType<typeof setTimeout> | undefined;

/** Keeps the draft, a moment after the last keystroke. */
export function saveDraft(draft: Draft): void {
  clearTimeout(pendingSave);
  const text = JSON.stringify(draft);
  pendingSave = setTimeout(() => {
    // Refused (signed out, locked): the form still works, only the safety net is gone.
    commands.saveIntakeDraft(text).catch(() => undefined);
  }, SAVE_AFTER_MS);
}

export function clearDraft(): void {
  clearTimeout(pendingSave);
  commands.saveIntakeDraft(null).catch(() => undefined);
}

function forgetLegacyDraft(): void {
  try {
    localStorage.removeItem(LEGACY_DRAFT_KEY);
  } catch {
    // No storage: nothing to forget.
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
