import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import PolicySettings from "./PolicySettings.svelte";
import { officePolicy } from "./fixtures";
import { setLocale } from "../i18n/index.svelte";
import { identifiersIn } from "../i18n/identifiers";
import type { Policy } from "../ipc/generated/Policy";

/** Every rule field the editor draws (nested groups too), as `prefix-field` test ids. */
function ruleIds(target: Record<string, unknown>, prefix: string, skip: string[]): string[] {
  return Object.entries(target).flatMap(([field, value]) => {
    if (skip.includes(field)) return [];
    const id = `${prefix}-${field}`;
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? [id, ...ruleIds(value as Record<string, unknown>, id, [])]
      : [id];
  });
}

describe("PolicySettings", () => {
  afterEach(() => setLocale("fr"));

  for (const locale of ["fr", "en"] as const) {
    it(`labels and explains every rule in ${locale}, with no internal name on screen`, async () => {
      setLocale(locale);
      const policy = officePolicy();
      mockIPC((cmd) => {
        if (cmd === "get_policy") return policy;
        throw { code: "test.unexpected", message: cmd };
      });
      const { container } = render(PolicySettings);
      await screen.findByTestId("policy-save");
      const ids = [
        ...ruleIds(policy as unknown as Record<string, unknown>, "policy", ["categories", "badgeNumberFormat"]),
        ...ruleIds(policy.categories[0] as unknown as Record<string, unknown>, "category-staff", ["key", "requiredDocuments"]),
      ];
      for (const id of ids) {
        expect(screen.getByTestId(`${id}-help`).textContent?.trim(), id).not.toBe("");
      }
      expect(identifiersIn(container.textContent ?? "")).toEqual([]);
    });
  }

  it("edits the expiry rules housekeeping applies by itself, beside the other delays, and saves them", async () => {
    const saved: Policy[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "get_policy") return officePolicy();
      if (cmd === "save_policy") {
        saved.push((args as { policy: Policy }).policy);
        return (args as { policy: Policy }).policy;
      }
      throw { code: "test.unexpected", message: cmd };
    });
    render(PolicySettings);
    const firstUse = await screen.findByTestId("category-staff-expireDaysAfterFirstUse");
    const unused = screen.getByTestId("category-staff-deactivateUnusedDays");
    const missionEnd = screen.getByTestId("category-staff-expireAtMissionEnd");
    expect(firstUse.closest("label")?.textContent).toContain("Expire après le premier passage (jours, 0 = jamais)");
    expect(unused.closest("label")?.textContent).toContain("Désactivé automatiquement après (jours sans passage, 0 = jamais)");
    expect(missionEnd.closest("label")?.textContent).toContain("Expire à la fin de mission");
    // Off by default: 0 days, not ticked.
    expect((firstUse as HTMLInputElement).value).toBe("0");
    expect((unused as HTMLInputElement).value).toBe("0");
    expect((missionEnd as HTMLInputElement).checked).toBe(false);
    // Each explained, and tied to its field for screen readers.
    const help = screen.getByTestId("category-staff-deactivateUnusedDays-help");
    expect(unused.getAttribute("aria-describedby")).toBe(help.id);
    expect(help.textContent).toContain("sans revue");
    expect(screen.getByTestId("category-staff-expireDaysAfterFirstUse-help").textContent).toContain("premier passage");
    expect(screen.getByTestId("category-staff-expireAtMissionEnd-help").textContent).toContain("fin de mission");

    await fireEvent.change(firstUse, { target: { value: "3" } });
    await fireEvent.change(unused, { target: { value: "180" } });
    await fireEvent.click(missionEnd);
    expect(screen.queryByTestId("category-staff-deactivate-too-soon")).toBeNull();
    await fireEvent.click(screen.getByTestId("policy-save"));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0].categories[0]).toMatchObject({
      expireDaysAfterFirstUse: 3,
      deactivateUnusedDays: 180,
      expireAtMissionEnd: true,
      inactivityDays: 90,
    });
    expect(await screen.findByTestId("policy-saved")).toBeTruthy();
  });

  it("warns when badges would be deactivated before the inactivity list shows them, and shows the refusal", async () => {
    const saved: Policy[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "get_policy") return officePolicy();
      if (cmd === "save_policy") {
        saved.push((args as { policy: Policy }).policy);
        throw {
          code: "settings.invalid_rules",
          message: "category 'staff': automatic deactivation after 30 days unused comes before the inactivity list shows the badge (90 days)",
        };
      }
      throw { code: "test.unexpected", message: cmd };
    });
    const { container } = render(PolicySettings);
    const unused = await screen.findByTestId("category-staff-deactivateUnusedDays");
    await fireEvent.change(unused, { target: { value: "30" } });
    const warning = await screen.findByTestId("category-staff-deactivate-too-soon");
    expect(warning.textContent).toContain("La désactivation automatique (30 jours)");
    expect(warning.textContent).toContain("(90 jours)");
    expect(identifiersIn(warning.textContent ?? "")).toEqual([]);
    // The backend has the last word: its refusal is shown, the rules stay as typed.
    await fireEvent.click(screen.getByTestId("policy-save"));
    const banner = await screen.findByTestId("error-banner");
    expect(banner.getAttribute("data-code")).toBe("settings.invalid_rules");
    expect(banner.textContent).toContain("Les règles d’éligibilité sont invalides.");
    expect(saved[0].categories[0].deactivateUnusedDays).toBe(30);
    expect(screen.queryByTestId("policy-saved")).toBeNull();
    // Back to 0 (never automatically) or at least the inactivity delay: no warning.
    await fireEvent.change(unused, { target: { value: "0" } });
    await waitFor(() => expect(screen.queryByTestId("category-staff-deactivate-too-soon")).toBeNull());
    await fireEvent.change(unused, { target: { value: "90" } });
    expect(screen.queryByTestId("category-staff-deactivate-too-soon")).toBeNull();
    expect(container.textContent).not.toContain("deactivateUnusedDays");
  });
});
