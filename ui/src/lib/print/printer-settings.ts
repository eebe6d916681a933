// The print station's choices that belong to this desk's printer: layout,
// gaps for the card stock, and the measured offset. Kept on this machine.
import type { Layout } from "../ipc/generated/Layout";
import type { PrinterProfile } from "../ipc/generated/PrinterProfile";

export type LayoutChoice = "a4" | "card" | "day_pass";

export interface PrintSettings {
  layout: LayoutChoice;
  gapXMm: number;
  gapYMm: number;
  cropMarks: boolean;
  offsetXMm: number;
  offsetYMm: number;
  printerName: string; // "" = save the PDF only
}

const KEY = "sesame.print.settings";

export function defaultPrintSettings(): PrintSettings {
  return { layout: "a4", gapXMm: 0, gapYMm: 0, cropMarks: true, offsetXMm: 0, offsetYMm: 0, printerName: "" };
}

export function loadPrintSettings(): PrintSettings {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? { ...defaultPrintSettings(), ...(JSON.parse(raw) as Partial<PrintSettings>) } : defaultPrintSettings();
  } catch {
    return defaultPrintSettings();
  }
}

export function savePrintSettings(settings: PrintSettings): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(settings));
  } catch {
    // Not remembered; still used for this print.
  }
}

export function layoutOf(settings: PrintSettings): Layout {
  switch (settings.layout) {
    case "card":
      return { kind: "card_printer" };
    case "day_pass":
      return { kind: "day_pass", paper: { paper: "a6" } };
    case "a4":
      return {
        kind: "a4_sheet",
        columns: 2,
        rows: 5,
        marginLeftMm: null,
        marginTopMm: null,
        gapXMm: Number(settings.gapXMm) || 0,
        gapYMm: Number(settings.gapYMm) || 0,
        cropMarks: settings.cropMarks,
      };
  }
}

export function printerOf(settings: PrintSettings): PrinterProfile {
  return {
    offsetXMm: Number(settings.offsetXMm) || 0,
    offsetYMm: Number(settings.offsetYMm) || 0,
    backOffsetXMm: null,
    backOffsetYMm: null,
  };
}

/** A named set of print settings for one printer and card stock, chosen at the print station. */
export interface PrintProfile extends PrintSettings {
  name: string;
}

const PROFILES_KEY = "sesame.print.profiles";

export function loadPrintProfiles(): PrintProfile[] {
  try {
    const raw = localStorage.getItem(PROFILES_KEY);
    const parsed = raw ? (JSON.parse(raw) as Partial<PrintProfile>[]) : [];
    return parsed
      .filter((p) => typeof p.name === "string" && p.name.trim() !== "")
      .map((p) => ({ ...defaultPrintSettings(), ...p, name: p.name!.trim() }));
  } catch {
    return [];
  }
}

export function savePrintProfiles(profiles: PrintProfile[]): void {
  try {
    localStorage.setItem(PROFILES_KEY, JSON.stringify(profiles));
  } catch {
    // Not remembered beyond this session.
  }
}

/** The print settings a profile sets (its name aside). */
export function settingsOfProfile(profile: PrintProfile): PrintSettings {
  const { name: _name, ...settings } = profile;
  return settings;
}
