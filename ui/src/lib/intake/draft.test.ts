import { describe, expect, it } from "vitest";
import { emptyDraft, toNewRequest, validateDraft, type DraftRules } from "./draft";
import { dayOffset } from "../time/testing";

const rules: DraftRules = {
  minPresenceDaysPerWeek: 2,
  maxDayPassDays: 3,
  requireMissionEnd: true,
  allowedEmailDomains: ["univ.example.fr"],
};

const filled = () => ({ ...emptyDraft(), familyName: "Durand", givenNames: "Zoé" });

describe("intake validation", () => {
  it("accepts a complete draft", () => {
    expect(validateDraft({ ...filled(), missionEnd: dayOffset(385) }, rules)).toEqual({});
  });

  it("names the field and the reason", () => {
    const problems = validateDraft(
      { ...emptyDraft(), email: "zoe@gmail.com", missionStart: dayOffset(214), missionEnd: dayOffset(205) },
      rules,
    );
    expect(problems.familyName).toBe("intake.required");
    expect(problems.email).toBe("intake.emailDomain");
    expect(problems.missionEnd).toBe("intake.datesInverted");
  });

  it("accepts sub-domains of an allowed domain and any domain when none is set", () => {
    const draft = { ...filled(), missionEnd: dayOffset(385), email: "zoe@labo.univ.example.fr" };
    expect(validateDraft(draft, rules).email).toBeUndefined();
    expect(validateDraft({ ...draft, email: "z@x.org" }, { ...rules, allowedEmailDomains: [] }).email).toBeUndefined();
    expect(validateDraft({ ...draft, email: "not-an-address" }, rules).email).toBe("intake.emailInvalid");
  });

  it("asks for a mission end only where the category needs one", () => {
    expect(validateDraft(filled(), rules).missionEnd).toBe("intake.missionEndRequired");
    expect(validateDraft(filled(), { ...rules, requireMissionEnd: false }).missionEnd).toBeUndefined();
  });

  it("checks day pass dates against the category's longest pass", () => {
    const pass = { ...filled(), kind: "day_pass" as const };
    expect(validateDraft(pass, rules).wantedFrom).toBe("intake.required");
    const long = { ...pass, wantedFrom: dayOffset(208), wantedUntil: dayOffset(212) };
    expect(validateDraft(long, rules).wantedUntil).toBe("intake.dayPassTooLong");
    const ok = { ...pass, wantedFrom: dayOffset(208), wantedUntil: dayOffset(210) };
    expect(validateDraft(ok, rules)).toEqual({});
  });

  it("sends zones, services and day pass dates to the backend", () => {
    const request = toNewRequest({
      ...filled(),
      kind: "day_pass",
      zones: "Bât A, Parking ",
      services: "restauration",
      wantedFrom: dayOffset(208),
    }).request;
    expect(request.zones).toEqual(["Bât A", "Parking"]);
    expect(request.services).toEqual(["restauration"]);
    expect([request.wantedFrom, request.wantedUntil]).toEqual([dayOffset(208), dayOffset(208)]);
  });
});
