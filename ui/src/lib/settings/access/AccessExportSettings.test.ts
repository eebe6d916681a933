import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import AccessExportSettings from "./AccessExportSettings.svelte";
import { setLocale } from "../../i18n/index.svelte";
import { identifiersIn, shownText } from "../../i18n/identifiers";
import { officePolicy } from "../fixtures";
import { dayOffset } from "../../time/testing";
import type { AccessExportOutcome } from "../../ipc/generated/AccessExportOutcome";
import type { AccessExportSettings as Settings } from "../../ipc/generated/AccessExportSettings";
import type { ExportProfile } from "../../ipc/generated/ExportProfile";
import type { SaveAccessExportInput } from "../../ipc/generated/SaveAccessExportInput";

/** Genetec's import tool format, as `access_export_settings` sends it (shortened). */
function genetec(): ExportProfile {
  return {
    id: "genetec-import-tool",
    name: "Genetec Security Center — Import tool",
    format: "genetec-import-tool",
    selection: { statuses: [], zones: [], categories: [], changesOnly: true },
    columns: [
      { field: "holderId", header: "CardholderGuid", text: "" },
      { field: "givenNames", header: "FirstName", text: "" },
      { field: "familyName", header: "LastName", text: "" },
      { field: "cardSerial", header: "CardNumber", text: "" },
      { field: "photoFile", header: "Picture", text: "" },
    ],
    file: {
      delimiter: ",",
      encoding: "utf8",
      headerLine: true,
      dateFormat: "iso",
      zoneSeparator: "|",
      statusWords: [{ status: "active", word: "Active" }],
    },
    photos: { width: 240, height: 320 },
    everyDays: null,
    facilityCode: "",
  };
}

const RUN = {
  profileId: "genetec-import-tool",
  file: { path: "/home/bob/Documents/Sésame/controle-acces/genetec-import-tool/genetec-import-tool-20261205-0930.csv", bytes: 812 },
  folder: "/home/bob/Documents/Sésame/controle-acces/genetec-import-tool",
  badges: 12,
  photos: 11,
  withoutPhoto: ["B000007"],
  foldedLines: 0,
  since: null,
} satisfies AccessExportOutcome;

/** A backend keeping the profiles it is given; `refuse` answers a save with that error. */
function backend(refuse: { code: string; message: string } | null = null) {
  const state: Settings = { profiles: [], formats: [genetec()] };
  const calls: { cmd: string; args: unknown }[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    switch (cmd) {
      case "access_export_settings":
        return structuredClone(state);
      case "list_zones":
        return [];
      case "get_policy":
        return officePolicy();
      case "save_access_export_profile": {
        if (refuse) throw refuse;
        const { profile } = (args as { input: SaveAccessExportInput }).input;
        state.profiles = [{ profile, lastRun: null, folder: `/home/bob/Documents/Sésame/controle-acces/${profile.id}` }];
        return structuredClone(state);
      }
      case "run_access_export":
        state.profiles[0].lastRun = {
          id: "7a0c0a1e-4a53-4b1e-9a43-2f3d6c1b9e01",
          profileId: RUN.profileId,
          startedAt: `${dayOffset(0)}T09:30:00Z`,
          since: null,
          badges: RUN.badges,
          photos: RUN.photos,
          file: RUN.file.path,
          operator: "bob",
          scheduled: false,
        };
        return RUN;
      case "access_export_runs":
        return state.profiles[0].lastRun ? [state.profiles[0].lastRun] : [];
      default:
        throw { code: "test.unexpected", message: cmd };
    }
  });
  return { state, calls };
}

const TEXTS = {
  fr: {
    empty: "Aucun profil d’export",
    name: "Genetec Security Center — outil d’importation",
    run: "Exporter les changements",
    ran: "12 badge(s) et 11 photo(s) écrits dans",
    withoutPhoto: "Sans photo utilisable : B000007.",
    lastRun: "par bob : 12 badge(s), 11 photo(s).",
  },
  en: {
    empty: "No export profile yet",
    name: "Genetec Security Center — Import tool",
    run: "Export the changes",
    ran: "12 badge(s) and 11 photo(s) written to",
    withoutPhoto: "No usable photo: B000007.",
    lastRun: "by bob: 12 badge(s), 11 photo(s).",
  },
} as const;

describe("AccessExportSettings", () => {
  afterEach(() => setLocale("fr"));

  for (const locale of ["fr", "en"] as const) {
    it(`creates a profile from Genetec's format, runs it and shows what it wrote, in ${locale}`, async () => {
      setLocale(locale);
      const { calls } = backend();
      render(AccessExportSettings);
      expect((await screen.findByTestId("access-empty")).textContent).toContain(TEXTS[locale].empty);

      await fireEvent.click(screen.getByTestId("access-create"));
      const form = screen.getByTestId("access-profile-form");
      expect((screen.getByTestId("access-profile-name") as HTMLInputElement).value).toBe(TEXTS[locale].name);
      expect((screen.getByTestId("access-profile-id") as HTMLInputElement).value).toBe("genetec-import-tool");
      expect(within(form).getAllByTestId("access-column")).toHaveLength(5);
      expect(identifiersIn(shownText(form))).toEqual([]);

      // Only active badges, and a facility code for the site.
      await fireEvent.click(screen.getByTestId("access-status-active"));
      await fireEvent.input(screen.getByTestId("access-facility-code"), { target: { value: "117" } });
      await fireEvent.click(screen.getByTestId("access-profile-save"));
      const saved = calls.find((c) => c.cmd === "save_access_export_profile")!.args as { input: SaveAccessExportInput };
      expect(saved.input.replaces).toBeNull();
      expect(saved.input.profile.selection.statuses).toEqual(["active"]);
      expect(saved.input.profile.facilityCode).toBe("117");
      expect(saved.input.profile.photos).toEqual({ width: 240, height: 320 });
      expect(saved.input.profile.file.statusWords).toEqual([{ status: "active", word: "Active" }]);
      expect(saved.input.profile.columns.map((c) => c.header)).toEqual([
        "CardholderGuid",
        "FirstName",
        "LastName",
        "CardNumber",
        "Picture",
      ]);

      const profile = await screen.findByTestId("access-profile");
      expect(screen.queryByTestId("access-profile-form")).toBeNull();
      const run = within(profile).getByTestId("access-run");
      expect(run.textContent).toBe(TEXTS[locale].run);
      await fireEvent.click(run);
      const outcome = await screen.findByTestId("access-outcome");
      expect(outcome.textContent).toContain(TEXTS[locale].ran);
      expect(outcome.textContent).toContain(RUN.file.path);
      expect(screen.getByTestId("access-without-photo").textContent).toBe(TEXTS[locale].withoutPhoto);
      expect(calls.find((c) => c.cmd === "run_access_export")!.args).toEqual({
        input: { profileId: "genetec-import-tool", everything: false },
      });
      await waitFor(() => expect(screen.getByTestId("access-last-run").textContent).toContain(TEXTS[locale].lastRun));

      await fireEvent.click(screen.getByTestId("access-history"));
      const runs = await screen.findByTestId("access-runs");
      expect(within(runs).getAllByTestId("access-run-row")).toHaveLength(1);
      expect(identifiersIn(shownText(screen.getByTestId("settings-access")))).toEqual([]);
    });
  }

  it("reorders, removes and adds columns before saving", async () => {
    const { calls } = backend();
    render(AccessExportSettings);
    await fireEvent.click(await screen.findByTestId("access-create"));
    const rows = () => screen.getAllByTestId("access-column");
    // LastName up above FirstName, the picture column removed (and the photos with it).
    await fireEvent.click(within(rows()[2]).getByTitle("Monter"));
    await fireEvent.click(within(rows()[4]).getByTestId("access-column-remove"));
    await fireEvent.click(screen.getByTestId("access-photos"));
    await fireEvent.click(screen.getByTestId("access-column-add"));
    const added = rows()[4];
    const field = within(added).getByLabelText("Contenu") as HTMLSelectElement;
    await fireEvent.change(field, { target: { value: "fixed" } });
    expect((within(added).getByLabelText("En-tête") as HTMLInputElement).value).toBe("Texte fixe");
    await fireEvent.input(within(added).getByLabelText("En-tête"), { target: { value: "Partition" } });
    await fireEvent.input(within(added).getByLabelText("Texte fixe"), { target: { value: "Siège" } });
    await fireEvent.click(screen.getByTestId("access-profile-save"));

    const saved = calls.find((c) => c.cmd === "save_access_export_profile")!.args as { input: SaveAccessExportInput };
    expect(saved.input.profile.columns).toEqual([
      { field: "holderId", header: "CardholderGuid", text: "" },
      { field: "familyName", header: "LastName", text: "" },
      { field: "givenNames", header: "FirstName", text: "" },
      { field: "cardSerial", header: "CardNumber", text: "" },
      { field: "fixed", header: "Partition", text: "Siège" },
    ]);
    expect(saved.input.profile.photos).toBeNull();
  });

  it("keeps the form and names the problem when the backend refuses the profile", async () => {
    backend({ code: "access_export.no_header", message: "a column has no header" });
    render(AccessExportSettings);
    await fireEvent.click(await screen.findByTestId("access-create"));
    await fireEvent.input(screen.getByTestId("access-profile-name"), { target: { value: "Portes du siège" } });
    await fireEvent.click(screen.getByTestId("access-profile-save"));
    const banner = await screen.findByTestId("error-banner");
    expect(banner.dataset.code).toBe("access_export.no_header");
    expect(banner.textContent).toContain("Chaque colonne a besoin d’un en-tête.");
    expect((screen.getByTestId("access-profile-name") as HTMLInputElement).value).toBe("Portes du siège");
    expect(screen.queryByTestId("access-profile")).toBeNull();
  });
});
