import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import PhotoChecksSettings from "./PhotoChecksSettings.svelte";
import CountersignHost from "../security/CountersignHost.svelte";
import { photoRules } from "./fixtures";
import { overrideRates } from "./photo-rules";
import { dayOffset } from "../time/testing";

type Call = { cmd: string; args: Record<string, unknown> };

const STATS = {
  photosSaved: 40,
  photosOverridden: 6,
  checks: [
    { check: "sharpness", refused: 2, refusalsOverridden: 0, warned: 5, warningsOverridden: 0 },
    { check: "head_covering", refused: 0, refusalsOverridden: 0, warned: 4, warningsOverridden: 4 },
    { check: "expression", refused: 3, refusalsOverridden: 2, warned: 0, warningsOverridden: 0 },
  ],
};

function backend(calls: Call[], overrides: Record<string, (args: Record<string, unknown>) => unknown> = {}) {
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: args as Record<string, unknown> });
    if (cmd in overrides) return overrides[cmd](args as Record<string, unknown>);
    switch (cmd) {
      case "photo_check_stats":
        return STATS;
      case "office_photo_rules":
        return photoRules();
      case "save_photo_rules":
        return (args as { rules: unknown }).rules;
      case "restore_default_photo_rules":
        return photoRules();
      default:
        throw { code: "test.unexpected", message: cmd };
    }
  });
}

describe("Photo checks settings", () => {
  it("lists the checks by override rate, the highest first, flagging the ones to recalibrate", async () => {
    backend([]);
    render(PhotoChecksSettings);
    const table = await screen.findByTestId("photo-stats");
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((r) => r.dataset.check)).toEqual(["head_covering", "expression", "sharpness"]);
    expect(rows[0].querySelector("th")?.textContent).toBe("Couvre-chef");
    expect(rows[0].textContent).toMatch(/100\s%/);
    expect(rows[0].textContent).toContain("à revoir");
    expect(rows[1].querySelector("th")?.textContent).toBe("Expression neutre");
    expect(rows[1].textContent).toMatch(/67\s%/);
    expect(rows[2].textContent).not.toContain("à revoir");
    expect(screen.getByTestId("photo-stats-summary").textContent).toMatch(/40 photo\(s\) enregistrée\(s\), dont 6 malgré un contrôle \(15\s%\)/);
    expect(screen.getByText(/souvent passé outre est sans doute mal réglé/)).toBeTruthy();
  });

  it("computes the override rate over refusals and warnings together", () => {
    const [only] = overrideRates([{ check: "pitch", refused: 3, refusalsOverridden: 1, warned: 1, warningsOverridden: 1 }]);
    expect([only.stopped, only.overridden, only.rate, only.recalibrate]).toEqual([4, 2, 0.5, true]);
  });

  it("edits a check's bands (empty is unbounded) and saves them through the supervisor's countersign", async () => {
    const calls: Call[] = [];
    let signed = false;
    backend(calls, {
      save_photo_rules: (args) => {
        if (!signed) {
          throw {
            code: "operator.supervisor_required",
            message: "'bob' is not a supervisor: change_settings needs a supervisor or a supervisor's countersign",
            countersign: { action: "change_settings", target: "photo-rules" },
          };
        }
        return args.rules;
      },
      countersign: (args) => {
        signed = true;
        const input = args.input as { supervisor: string; action: string };
        return {
          operator: "bob", displayName: "Bob", role: "clerk", hasPin: true, countersignedBy: input.supervisor,
          countersignAction: input.action, countersignTarget: null, countersignUntil: `${dayOffset(0)}T12:05:00Z`, locked: false, lockAfterMinutes: 0,
        };
      },
    });
    render(CountersignHost);
    render(PhotoChecksSettings);

    const row = await screen.findByTestId("photo-rule-sharpness");
    expect(row.textContent).toContain("Netteté");
    expect(row.textContent).toContain("(dérivée seconde relative)");
    const passMin = screen.getByTestId("photo-rule-sharpness-pass-min") as HTMLInputElement;
    expect(passMin.value).toBe("35");
    expect(passMin.getAttribute("aria-label")).toBe("Netteté, bon, minimum");
    await fireEvent.change(passMin, { target: { value: "30,5" } });
    await fireEvent.change(screen.getByTestId("photo-rule-sharpness-warn-min"), { target: { value: "" } });
    // Not a number: named under the table, saving held back until it is corrected.
    const warnMax = screen.getByTestId("photo-rule-roll-warn-max") as HTMLInputElement;
    await fireEvent.change(warnMax, { target: { value: "douze" } });
    expect(screen.getByTestId("photo-rules-not-a-number").textContent).toContain("« douze » n’est pas un nombre");
    expect(screen.getByTestId("photo-rules-not-a-number").textContent).toContain("Inclinaison de la tête");
    expect(warnMax.getAttribute("aria-invalid")).toBe("true");
    expect((screen.getByTestId("photo-rules-save") as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.change(warnMax, { target: { value: "12" } });
    expect(screen.queryByTestId("photo-rules-not-a-number")).toBeNull();

    await fireEvent.click(screen.getByTestId("photo-rules-save"));
    const dialog = await screen.findByTestId("countersign-dialog");
    expect(dialog.textContent).toContain("la modification des réglages");
    await fireEvent.input(screen.getByTestId("countersign-supervisor"), { target: { value: "alice" } });
    await fireEvent.input(screen.getByTestId("countersign-pin"), { target: { value: "4821" } });
    await fireEvent.click(screen.getByTestId("countersign-submit"));
    expect((await screen.findByTestId("photo-rules-saved")).textContent).toBe("Seuils enregistrés.");

    const saves = calls.filter((c) => c.cmd === "save_photo_rules");
    expect(saves).toHaveLength(2);
    const sent = saves[1].args.rules as ReturnType<typeof photoRules>;
    expect(sent.sharpness).toEqual({ pass: { min: 30.5, max: null }, warn: { min: null, max: null } });
    expect(sent.roll).toEqual(photoRules().roll);
    expect(sent.frame).toEqual(photoRules().frame);
  });

  it("refuses a band whose minimum is above its maximum before sending it", async () => {
    const calls: Call[] = [];
    backend(calls);
    render(PhotoChecksSettings);
    await fireEvent.change(await screen.findByTestId("photo-rule-exposure-pass-min"), { target: { value: "250" } });
    expect(screen.getByTestId("photo-rules-invalid").textContent).toContain("Exposition");
    expect((screen.getByTestId("photo-rules-save") as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId("photo-rule-exposure").classList.contains("invalid")).toBe(true);
  });

  it("goes back to the calibrated defaults after a confirmation", async () => {
    const calls: Call[] = [];
    const changed = { ...photoRules(), sharpness: { pass: { min: 10, max: null }, warn: { min: 5, max: null } } };
    backend(calls, { office_photo_rules: () => changed });
    render(PhotoChecksSettings);
    expect(((await screen.findByTestId("photo-rule-sharpness-pass-min")) as HTMLInputElement).value).toBe("10");
    await fireEvent.click(screen.getByTestId("photo-rules-defaults"));
    expect((await screen.findByTestId("photo-rules-defaults-dialog")).textContent).toContain("valeurs calibrées");
    await fireEvent.click(screen.getByTestId("photo-rules-defaults-confirm"));
    expect((await screen.findByTestId("photo-rules-saved")).textContent).toBe("Seuils calibrés rétablis.");
    expect(calls.filter((c) => c.cmd === "restore_default_photo_rules")).toHaveLength(1);
    await waitFor(() =>
      expect((screen.getByTestId("photo-rule-sharpness-pass-min") as HTMLInputElement).value).toBe("35"),
    );
  });
});
