import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import LeaversTab from "./LeaversTab.svelte";
import { badgeRow, unexpected } from "./fixtures";
import { setLocale } from "../i18n/index.svelte";
import { identifiersIn, shownText } from "../i18n/identifiers";
import { officePolicy } from "../settings/fixtures";

function leaver(number: string, cause: "gone" | "disabled", overrides: Record<string, unknown> = {}) {
  return { ...badgeRow(number, overrides), cause };
}

type Call = { cmd: string; args: Record<string, unknown> };

/** A backend whose directory lists `leavers` until they are deactivated. */
function backend(overrides: Record<string, (args: Record<string, unknown>) => unknown> = {}) {
  let leavers = [leaver("B000101", "gone"), leaver("B000102", "disabled", { status: "suspended" })];
  const calls: Call[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: args as Record<string, unknown> });
    if (cmd in overrides) return overrides[cmd](args as Record<string, unknown>);
    switch (cmd) {
      case "get_policy":
        return officePolicy();
      case "directory_leavers":
        return leavers;
      case "deactivate_leavers": {
        const { badges } = (args as { input: { badges: { id: string }[] } }).input;
        const gone = leavers.filter((l) => badges.some((b) => b.id === l.badge.id));
        leavers = leavers.filter((l) => !gone.includes(l));
        return {
          changed: gone.map((l) => ({ ...l, badge: { ...l.badge, status: "deactivated", version: 4 } })),
          skipped: [
            {
              badgeId: "0190a0b0-0000-7000-8000-000000000103",
              badgeNumber: "B000103",
              code: "directory.not_a_leaver",
              message: "badge B000103 is not on the leavers' list",
            },
          ],
        };
      }
      default:
        return unexpected(cmd);
    }
  });
  return calls;
}

describe("LeaversTab", () => {
  afterEach(() => setLocale("fr"));

  it("asks the directory only when told, then deactivates the badges chosen with a reason", async () => {
    const calls = backend();
    render(LeaversTab);
    await waitFor(() => expect(calls.some((c) => c.cmd === "get_policy")).toBe(true));
    expect(calls.some((c) => c.cmd === "directory_leavers")).toBe(false);
    expect(screen.queryByTestId("leavers-none")).toBeNull();

    await fireEvent.click(screen.getByTestId("leavers-check"));
    const rows = await screen.findAllByTestId("leaver-row");
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toContain("B000101");
    expect(rows[0].textContent).toContain("DUPONT Zoé");
    expect(rows[0].textContent).toContain("Personnel");
    expect(rows[0].textContent).toContain("actif");
    expect(rows[0].textContent).toContain("Absent de l’annuaire");
    expect(rows[1].textContent).toContain("suspendu");
    expect(rows[1].textContent).toContain("Compte désactivé");

    const deactivate = screen.getByTestId("leavers-deactivate") as HTMLButtonElement;
    expect(deactivate.disabled).toBe(true);
    await fireEvent.click(screen.getByTestId("leaver-select-B000102"));
    expect(deactivate.disabled).toBe(true); // no reason yet
    await fireEvent.input(screen.getByTestId("leavers-reason"), { target: { value: " Départ à la retraite " } });
    expect(deactivate.disabled).toBe(false);
    expect(deactivate.textContent).toContain("Désactiver les badges choisis (1)");
    await fireEvent.click(deactivate);

    const outcome = await screen.findByTestId("leavers-outcome");
    expect(outcome.textContent).toContain("1 badge(s) désactivé(s), 1 écarté(s).");
    expect(outcome.textContent).toContain("B000103 — Ce badge n’est plus sur la liste des départs");
    expect(calls.find((c) => c.cmd === "deactivate_leavers")?.args).toEqual({
      input: {
        badges: [{ id: badgeRow("B000102").badge.id, version: 3 }],
        badgeNumbers: [],
        reason: "Départ à la retraite",
      },
    });
    // The list is asked again: the deactivated badge has left it.
    await waitFor(() => expect(screen.getAllByTestId("leaver-row")).toHaveLength(1));
    expect(calls.filter((c) => c.cmd === "directory_leavers")).toHaveLength(2);
    expect((screen.getByTestId("leavers-reason") as HTMLInputElement).value).toBe("");
    expect((screen.getByTestId("leaver-select-B000101") as HTMLInputElement).checked).toBe(false);
  });

  it("selects every badge at once, and says when nobody left", async () => {
    let leavers = [leaver("B000101", "gone"), leaver("B000102", "disabled")];
    const calls = backend({
      directory_leavers: () => leavers,
      deactivate_leavers: () => {
        const changed = leavers;
        leavers = [];
        return { changed, skipped: [] };
      },
    });
    render(LeaversTab);
    await fireEvent.click(screen.getByTestId("leavers-check"));
    await screen.findAllByTestId("leaver-row");
    await fireEvent.click(screen.getByTestId("leavers-select-all"));
    expect((screen.getByTestId("leaver-select-B000101") as HTMLInputElement).checked).toBe(true);
    expect((screen.getByTestId("leaver-select-B000102") as HTMLInputElement).checked).toBe(true);
    await fireEvent.input(screen.getByTestId("leavers-reason"), { target: { value: "Fin de contrat" } });
    await fireEvent.click(screen.getByTestId("leavers-deactivate"));
    expect((await screen.findByTestId("leavers-none")).textContent).toContain("Aucun départ");
    const sent = calls.find((c) => c.cmd === "deactivate_leavers")?.args.input as { badges: unknown[] };
    expect(sent.badges).toHaveLength(2);
    expect(screen.getByTestId("leavers-outcome").textContent).toContain("2 badge(s) désactivé(s), 0 écarté(s).");
  });

  for (const locale of ["fr", "en"] as const) {
    it(`updates the holders from the directory and shows what changed, in ${locale}`, async () => {
      setLocale(locale);
      const calls = backend({
        sync_from_directory: () => ({
          dryRun: false,
          updated: [
            { holderId: "0190a0b0-0000-7000-8000-0000000000aa", name: "DUPONT Zoé", fields: ["familyName", "externalId"] },
          ],
          unchanged: 7,
          leavers: 2,
          refused: [],
        }),
      });
      render(LeaversTab);
      await fireEvent.click(screen.getByTestId("leavers-sync"));
      const result = await screen.findByTestId("leavers-sync-result");
      expect(calls.find((c) => c.cmd === "sync_from_directory")?.args).toEqual({ dryRun: false });
      expect(result.textContent).toContain(
        locale === "fr"
          ? "1 titulaire(s) mis à jour, 7 inchangé(s), 2 départ(s) à examiner."
          : "1 holder(s) updated, 7 unchanged, 2 leaver(s) to review.",
      );
      expect(within(result).getByTestId("leavers-sync-result-updated").textContent).toBe(
        locale === "fr" ? "DUPONT Zoé : nom, matricule" : "DUPONT Zoé: family name, staff number",
      );
      await fireEvent.click(screen.getByTestId("leavers-check"));
      await screen.findAllByTestId("leaver-row");
      expect(identifiersIn(shownText(screen.getByTestId("leavers-tab")))).toEqual([]);
    });
  }

  it("tells to set the directory up when the office has none", async () => {
    backend({
      directory_leavers: () => {
        throw { code: "directory.not_configured", message: "no directory is set up for this office (Settings › Directory)" };
      },
    });
    render(LeaversTab);
    await fireEvent.click(screen.getByTestId("leavers-check"));
    const banner = await screen.findByTestId("error-banner");
    expect(banner.dataset.code).toBe("directory.not_configured");
    expect(banner.textContent).toContain("renseignez-le dans Réglages › Annuaire");
    expect(screen.queryByTestId("leavers-none")).toBeNull();
  });
});
