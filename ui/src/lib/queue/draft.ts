// The intake form's draft: what the operator typed, kept in localStorage so a
// refused save, a closed form or a crash loses nothing.
import type { MessageKey } from "../i18n/fr";
import type { NewRequest } from "../ipc/generated/NewRequest";
import type { RequestKind } from "../ipc/generated/RequestKind";

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

/** Field problems the form shows in place, before asking the backend. */
export function validateDraft(draft: Draft): Partial<Record<keyof Draft, MessageKey>> {
  const problems: Partial<Record<keyof Draft, MessageKey>> = {};
  if (draft.familyName.trim() === "") problems.familyName = "intake.required";
  if (draft.givenNames.trim() === "") problems.givenNames = "intake.required";
  if (draft.missionStart && draft.missionEnd && draft.missionEnd < draft.missionStart) {
    problems.missionEnd = "intake.datesInverted";
  }
  return problems;
}

const orNull = (value: string): string | null => (value.trim() === "" ? null : value.trim());

export function toNewRequest(draft: Draft): NewRequest {
  return {
    holderId: null,
    holder: {
      familyName: draft.familyName.trim(),
      givenNames: draft.givenNames.trim(),
      email: orNull(draft.email),
      phone: orNull(draft.phone),
      organisation: orNull(draft.organisation),
      unit: orNull(draft.unit),
      category: draft.category,
      externalId: orNull(draft.externalId),
      presenceDaysPerWeek: Number(draft.presenceDays),
      missionStart: orNull(draft.missionStart),
      missionEnd: orNull(draft.missionEnd),
    },
    request: {
      kind: draft.kind,
      zones: draft.zones
        .split(",")
        .map((z) => z.trim())
        .filter((z) => z !== ""),
      services: [],
      wantedFrom: null,
      wantedUntil: null,
      previousBadgeId: null,
      replacementCause: null,
      notes: orNull(draft.notes),
    },
  };
}
