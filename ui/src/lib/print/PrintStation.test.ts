import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import PrintStation from "./PrintStation.svelte";
import { setLocale } from "../i18n/index.svelte";
import { identifiersIn } from "../i18n/identifiers";
import { defaultPrintSettings, savePrintProfiles } from "./printer-settings";

// pdf.js needs a browser's canvas API, which jsdom lacks; no preview is drawn here.
vi.mock("pdfjs-dist", () => ({ getDocument: vi.fn(), GlobalWorkerOptions: {} }));

const EMPTY = {
  fr: { says: ["Aucun profil d’imprimante", "page d’étalonnage", "Réglages › Imprimantes"], button: "Page d’étalonnage" },
  en: { says: ["No printer profile", "calibration page", "Settings › Printers"], button: "Calibration page" },
} as const;

function desk(calls: { cmd: string; args: unknown }[]) {
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === "look_up_requests") return { rows: [], nextCursor: null };
    if (cmd === "list_printers") return [];
    if (cmd === "print_calibration") return { path: "/home/bob/Documents/Sésame/calibration.pdf", bytes: 2048 };
    throw { code: "test.unexpected", message: cmd };
  });
}

describe("PrintStation", () => {
  afterEach(() => setLocale("fr"));

  for (const locale of ["fr", "en"] as const) {
    it(`says in ${locale} that no printer profile is saved, with the calibration page at hand`, async () => {
      setLocale(locale);
      const calls: { cmd: string; args: unknown }[] = [];
      desk(calls);
      render(PrintStation);
      const empty = screen.getByTestId("print-profile-empty");
      const text = empty.textContent ?? "";
      for (const part of EMPTY[locale].says) expect(text).toContain(part);
      expect(identifiersIn(text)).toEqual([]);
      expect(screen.queryByTestId("print-profile")).toBeNull();

      const calibration = screen.getByTestId("print-calibration");
      expect(empty.contains(calibration)).toBe(true);
      expect(calibration.textContent?.trim()).toBe(EMPTY[locale].button);
      await fireEvent.click(calibration);
      expect((await screen.findByRole("status")).textContent).toContain("/home/bob/Documents/Sésame/calibration.pdf");
      expect(calls.some((c) => c.cmd === "print_calibration")).toBe(true);
    });
  }

  it("offers the saved profiles instead, and keeps the calibration page", () => {
    savePrintProfiles([{ ...defaultPrintSettings(), name: "Evolis", layout: "card" }]);
    desk([]);
    render(PrintStation);
    expect(screen.getByTestId("print-profile")).toBeTruthy();
    expect(screen.queryByTestId("print-profile-empty")).toBeNull();
    expect(screen.getByTestId("print-calibration")).toBeTruthy();
  });
});
