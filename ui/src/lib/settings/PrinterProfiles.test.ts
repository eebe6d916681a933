import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import PrinterProfiles from "./PrinterProfiles.svelte";
import { setLocale } from "../i18n/index.svelte";
import { identifiersIn } from "../i18n/identifiers";
import { defaultPrintSettings, savePrintProfiles } from "../print/printer-settings";

const EMPTY = {
  fr: {
    says: ["Aucun profil d’imprimante", "page d’étalonnage", "mesurez", "exactement sur la carte"],
    card: "Page d’étalonnage pour l’imprimante à cartes",
    a4: "Page d’étalonnage pour les planches A4",
    written: "Page d’étalonnage enregistrée",
  },
  en: {
    says: ["No printer profile", "calibration page", "measure", "exactly on the card"],
    card: "Calibration page for the card printer",
    a4: "Calibration page for A4 sheets",
    written: "Calibration page saved",
  },
} as const;

describe("PrinterProfiles", () => {
  afterEach(() => setLocale("fr"));

  for (const locale of ["fr", "en"] as const) {
    it(`explains in ${locale} what the calibration page is for when the desk has no profile, and writes one`, async () => {
      setLocale(locale);
      const asked: unknown[] = [];
      mockIPC((cmd, args) => {
        if (cmd === "print_calibration") {
          asked.push((args as { input: unknown }).input);
          return { path: "/home/bob/Documents/Sésame/calibration.pdf", bytes: 2048 };
        }
        throw { code: "test.unexpected", message: cmd };
      });
      render(PrinterProfiles);
      const empty = screen.getByTestId("printer-profiles-empty");
      const text = empty.textContent ?? "";
      for (const part of EMPTY[locale].says) expect(text).toContain(part);
      expect(identifiersIn(text)).toEqual([]);
      expect(screen.queryAllByTestId("printer-profile")).toHaveLength(0);

      const card = screen.getByTestId("printer-calibration-card");
      expect(card.textContent?.trim()).toBe(EMPTY[locale].card);
      expect(screen.getByTestId("printer-calibration-a4").textContent?.trim()).toBe(EMPTY[locale].a4);
      await fireEvent.click(card);
      const written = await screen.findByTestId("printer-calibration-written");
      expect(written.textContent).toContain(EMPTY[locale].written);
      expect(written.textContent).toContain("/home/bob/Documents/Sésame/calibration.pdf");
      expect(asked).toEqual([
        {
          layout: { kind: "card_printer" },
          printer: { offsetXMm: 0, offsetYMm: 0, backOffsetXMm: null, backOffsetYMm: null },
          locale,
        },
      ]);

      await fireEvent.click(screen.getByTestId("printer-calibration-a4"));
      await screen.findByTestId("printer-calibration-written");
      expect((asked[1] as { layout: { kind: string } }).layout.kind).toBe("a4_sheet");

      // The next step: adding a profile replaces the empty state with its fields.
      await fireEvent.click(screen.getByTestId("add-printer-profile"));
      expect(screen.getAllByTestId("printer-profile")).toHaveLength(1);
      expect(screen.queryByTestId("printer-profiles-empty")).toBeNull();
    });
  }

  it("shows the profiles, and no empty state, once one is saved", () => {
    savePrintProfiles([{ ...defaultPrintSettings(), name: "Evolis", layout: "card", offsetXMm: 0.6 }]);
    render(PrinterProfiles);
    expect(screen.getAllByTestId("printer-profile")).toHaveLength(1);
    expect(screen.queryByTestId("printer-profiles-empty")).toBeNull();
  });

  it("shows the backend's refusal when the calibration page cannot be written", async () => {
    mockIPC((cmd) => {
      if (cmd === "print_calibration") throw { code: "print.output_unwritable", message: "disk full" };
      throw { code: "test.unexpected", message: cmd };
    });
    render(PrinterProfiles);
    await fireEvent.click(screen.getByTestId("printer-calibration-a4"));
    expect((await screen.findByTestId("error-banner")).dataset.code).toBe("print.output_unwritable");
    expect(screen.queryByTestId("printer-calibration-written")).toBeNull();
  });
});
