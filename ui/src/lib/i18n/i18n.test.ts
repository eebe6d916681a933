import { describe, expect, it } from "vitest";
import { fr } from "./fr";
import { en } from "./en";
import { describeError, i18n, setLocale, t } from "./index.svelte";
import { IpcError } from "../ipc";

describe("i18n", () => {
  it("defaults to French", () => {
    expect(i18n.locale).toBe("fr");
    expect(t("nav.queue")).toBe("File des demandes");
  });

  it("switches to English and remembers the choice", () => {
    setLocale("en");
    expect(t("nav.queue")).toBe("Request queue");
    expect(localStorage.getItem("sesame.locale")).toBe("en");
    setLocale("fr");
  });

  it("fills placeholders", () => {
    expect(t("status.version", { version: "1.2.3" })).toBe("Version 1.2.3");
  });

  it("has the same keys in both languages, none empty", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
    for (const [key, text] of Object.entries(en)) expect(text, key).not.toBe("");
  });

  it("translates backend errors by code, never by message", () => {
    const known = describeError(new IpcError("paths.no_data_dir", "HOME is unset"));
    expect(known.text).toBe(fr["errors.paths.no_data_dir"]);
    expect(known.detail).toBe("HOME is unset");
    const unknown = describeError(new IpcError("brand.new_code", "something"));
    expect(unknown.text).toBe(fr["errors.unknown"]);
    expect(unknown.code).toBe("brand.new_code");
    const returned = describeError({ code: "print.printer_refused", message: "lp: no such printer" });
    expect(returned.text).toBe(fr["errors.print.printer_refused"]);
    expect(returned.detail).toBe("lp: no such printer");
  });
});
