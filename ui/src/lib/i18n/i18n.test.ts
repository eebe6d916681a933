import { describe, expect, it } from "vitest";
import { fr } from "./fr/index";
import { en } from "./en/index";
import { describeError, errorText, i18n, setLocale, t } from "./index.svelte";
import { IpcError } from "../ipc";

// Every catalogue file of each language, by file name (fr/queue.ts, en/queue.ts…).
const frFiles = import.meta.glob<Record<string, Record<string, string>>>("./fr/*.ts", { eager: true });
const enFiles = import.meta.glob<Record<string, Record<string, string>>>("./en/*.ts", { eager: true });
const texts = (module: Record<string, unknown>) =>
  Object.values(module).find((v): v is Record<string, string> => typeof v === "object" && v !== null) ?? {};
const byFeature = (files: typeof frFiles) =>
  Object.fromEntries(
    Object.entries(files)
      .filter(([path]) => !path.endsWith("/index.ts"))
      .map(([path, module]) => [path.replace(/^.*\//, ""), texts(module)]),
  );

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

  it("has the same files in both languages, each with the same keys, and no key in two files", () => {
    const french = byFeature(frFiles);
    const english = byFeature(enFiles);
    expect(Object.keys(english).sort()).toEqual(Object.keys(french).sort());
    for (const [file, keys] of Object.entries(french)) {
      expect(Object.keys(english[file]).sort(), file).toEqual(Object.keys(keys).sort());
    }
    const all = Object.values(french).flatMap((keys) => Object.keys(keys));
    expect(all.length).toBe(new Set(all).size);
    expect(all.length).toBe(Object.keys(fr).length);
  });

  it("keeps every backend error text, and only those, in errors.ts", () => {
    const errorKeys = Object.keys(byFeature(frFiles)["errors.ts"]);
    expect(errorKeys.every((key) => key.startsWith("errors."))).toBe(true);
    expect(errorKeys.sort()).toEqual(Object.keys(fr).filter((key) => key.startsWith("errors.")).sort());
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

  it("gives a code carried in a result its text, or the code itself when it has none", () => {
    expect(errorText("store.not_found")).toBe(fr["errors.store.not_found"]);
    expect(errorText("brand.new_code")).toBe("brand.new_code");
  });
});
