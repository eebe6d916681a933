import { describe, expect, it } from "vitest";
import { defaultPrintSettings, layoutOf, loadPrintSettings, printerOf, savePrintSettings } from "./printer-settings";

describe("print settings", () => {
  it("builds the backend's layouts", () => {
    const s = defaultPrintSettings();
    expect(layoutOf(s)).toMatchObject({ kind: "a4_sheet", columns: 2, rows: 5, cropMarks: true });
    expect(layoutOf({ ...s, layout: "card" })).toEqual({ kind: "card_printer" });
    expect(layoutOf({ ...s, layout: "day_pass" })).toEqual({ kind: "day_pass", paper: { paper: "a6" } });
  });

  it("keeps the printer offset on this machine", () => {
    savePrintSettings({ ...defaultPrintSettings(), offsetXMm: 1.5, offsetYMm: -0.5 });
    expect(printerOf(loadPrintSettings())).toEqual({
      offsetXMm: 1.5,
      offsetYMm: -0.5,
      backOffsetXMm: null,
      backOffsetYMm: null,
    });
  });
});
