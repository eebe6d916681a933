import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import KeyCard from "./KeyCard.svelte";
import CountersignHost from "./CountersignHost.svelte";
import { setLocale } from "../i18n/index.svelte";
import { identifiersIn } from "../i18n/identifiers";
import type { DeskKeyStatus } from "../ipc/generated/DeskKeyStatus";

const FINGERPRINT = "3F2A-91C0-7B11-04DE";

/** A desk holding its key; `createdNow`: created at this start and never exported. */
function status(createdNow: boolean): DeskKeyStatus {
  return {
    key: { service: "fr.sesame.desk", account: "data-key", state: "present", fingerprint: FINGERPRINT, detail: null },
    createdNow,
    keptElsewhere: !createdNow,
    usage: { encrypted: { [FINGERPRINT]: 12 }, plain: 0, unreadable: 0 },
    missingKeys: [],
    healthy: true,
  };
}

/** A desk whose keyring holds no key (a second desk of a shared queue, before its import). */
function missing(): DeskKeyStatus {
  return {
    key: { service: "fr.sesame.desk", account: "data-key", state: "missing", fingerprint: null, detail: null },
    createdNow: false,
    keptElsewhere: false,
    usage: { encrypted: { [FINGERPRINT]: 3 }, plain: 0, unreadable: 0 },
    missingKeys: [FINGERPRINT],
    healthy: false,
  };
}

describe("KeyCard", () => {
  afterEach(() => setLocale("fr"));

  const GUIDES = {
    fr: {
      missing: ["pas de clé de chiffrement", "ni enregistrer ni afficher les photos", "importez le fichier"],
      missingAction: "Choisir le fichier de clé à importer",
      notExported: ["pas encore été exportée", "cet ordinateur est perdu", "deviennent illisibles"],
      notExportedAction: "Exporter la clé maintenant",
    },
    en: {
      missing: ["no encryption key", "neither store nor show ID photos", "import the file"],
      missingAction: "Choose the key file to import",
      notExported: ["not been exported yet", "this computer is lost", "becomes unreadable"],
      notExportedAction: "Export the key now",
    },
  } as const;

  for (const locale of ["fr", "en"] as const) {
    it(`explains in ${locale} what a desk without a key cannot do, and offers the import`, async () => {
      setLocale(locale);
      mockIPC((cmd) => {
        if (cmd === "key_status") return missing();
        throw { code: "test.unexpected", message: cmd };
      });
      render(KeyCard);
      const guide = await screen.findByTestId("data-key-missing");
      const text = guide.textContent ?? "";
      for (const part of GUIDES[locale].missing) expect(text).toContain(part);
      expect(identifiersIn(text)).toEqual([]);
      expect(screen.queryByTestId("data-key-not-exported")).toBeNull();
      // Nothing to export without a key: only the import remains, and the guide opens its file picker.
      expect(screen.queryByTestId("key-export")).toBeNull();
      const action = screen.getByTestId("data-key-missing-import");
      expect(action.textContent?.trim()).toBe(GUIDES[locale].missingAction);
      const picker = screen.getByTestId("key-import-file") as HTMLInputElement;
      let opened = 0;
      picker.addEventListener("click", () => opened++);
      await fireEvent.click(action);
      expect(opened).toBe(1);
    });

    it(`asks in ${locale} to export a key never exported, and why, with the export at hand`, async () => {
      setLocale(locale);
      mockIPC((cmd) => {
        if (cmd === "key_status") return status(true);
        throw { code: "test.unexpected", message: cmd };
      });
      render(KeyCard);
      const guide = await screen.findByTestId("data-key-not-exported");
      const text = guide.textContent ?? "";
      for (const part of GUIDES[locale].notExported) expect(text).toContain(part);
      expect(identifiersIn(text)).toEqual([]);
      expect(screen.queryByTestId("data-key-missing")).toBeNull();
      const action = screen.getByTestId("data-key-not-exported-export");
      expect(action.textContent?.trim()).toBe(GUIDES[locale].notExportedAction);
      await fireEvent.click(action);
      expect(document.activeElement).toBe(screen.getByTestId("key-export-passphrase"));
    });
  }

  it("shows no guide when the key is here and was exported", async () => {
    mockIPC((cmd) => {
      if (cmd === "key_status") return status(false);
      throw { code: "test.unexpected", message: cmd };
    });
    render(KeyCard);
    await screen.findByTestId("key-fingerprint");
    expect(screen.queryByTestId("data-key-missing")).toBeNull();
    expect(screen.queryByTestId("data-key-not-exported")).toBeNull();
    expect(screen.getByTestId("key-export")).toBeTruthy();
  });

  it("shows the key, exports it to a passphrase-protected file after a countersign, and shows the path", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    let exported = false;
    let signed = false;
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "key_status") return status(!exported);
      if (cmd === "export_key_file") {
        if (!signed) {
          throw {
            code: "operator.supervisor_required",
            message: "'bob' is not a supervisor: key_export needs a supervisor or a supervisor's countersign",
            countersign: { action: "key_export", target: "key" },
          };
        }
        exported = true;
        return { path: "/home/bob/Documents/Sésame/cle-sesame-2026-11-21-101503.sesamekey", bytes: 412 };
      }
      if (cmd === "countersign") {
        signed = true;
        return { operator: "bob", displayName: "Bob", role: "clerk", hasPin: true, countersignedBy: "alice",
          countersignAction: "key_export", countersignTarget: null, countersignUntil: null, locked: false, lockAfterMinutes: 0 };
      }
      throw { code: "test.unexpected", message: cmd };
    });
    render(KeyCard);
    render(CountersignHost);

    expect((await screen.findByTestId("key-fingerprint")).textContent).toBe(FINGERPRINT);
    expect(screen.getByTestId("key-state").dataset.state).toBe("present");
    expect(screen.getByTestId("data-key-not-exported")).toBeTruthy();
    expect(screen.getByTestId("key-usage").textContent).toContain("12 chiffrées");

    const submit = screen.getByTestId("key-export-submit") as HTMLButtonElement;
    // Too short, then two different passphrases: the export stays disabled.
    await fireEvent.input(screen.getByTestId("key-export-passphrase"), { target: { value: "court" } });
    await fireEvent.input(screen.getByTestId("key-export-passphrase-again"), { target: { value: "court" } });
    expect(submit.disabled).toBe(true);
    const passphrase = "cheval agrafe pile correcte";
    await fireEvent.input(screen.getByTestId("key-export-passphrase"), { target: { value: passphrase } });
    await fireEvent.input(screen.getByTestId("key-export-passphrase-again"), { target: { value: passphrase + "!" } });
    expect(submit.disabled).toBe(true);
    await fireEvent.input(screen.getByTestId("key-export-passphrase-again"), { target: { value: passphrase } });
    expect(submit.disabled).toBe(false);
    await fireEvent.click(submit);

    // Refused for want of a supervisor: the countersign dialog names the action.
    expect((await screen.findByTestId("countersign-dialog")).textContent).toContain("clé de chiffrement");
    await fireEvent.input(screen.getByTestId("countersign-supervisor"), { target: { value: "alice" } });
    await fireEvent.input(screen.getByTestId("countersign-pin"), { target: { value: "4821" } });
    await fireEvent.click(screen.getByTestId("countersign-submit"));

    const path = await screen.findByTestId("key-exported-path");
    expect(path.textContent).toBe("/home/bob/Documents/Sésame/cle-sesame-2026-11-21-101503.sesamekey");
    const sent = calls.filter((c) => c.cmd === "export_key_file");
    expect(sent).toHaveLength(2);
    expect(sent[1].args).toEqual({ input: { passphrase } });
    // The passphrase does not stay on screen, and the "export it" warning is gone.
    expect((screen.getByTestId("key-export-passphrase") as HTMLInputElement).value).toBe("");
    await waitFor(() => expect(screen.queryByTestId("data-key-not-exported")).toBeNull());
  });

  it("imports a key file's bytes, and replaces a different key only when asked", async () => {
    const imports: { content: string; passphrase: string; force: boolean }[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "key_status") return status(false);
      if (cmd === "import_key_file") {
        const input = (args as { input: (typeof imports)[number] }).input;
        imports.push(input);
        if (!input.force) throw { code: "vault.key_conflict", message: "this desk holds key 1111-2222-3333-4444" };
        return { fingerprint: FINGERPRINT, outcome: "replaced", replaced: "1111-2222-3333-4444" };
      }
      throw { code: "test.unexpected", message: cmd };
    });
    render(KeyCard);
    await screen.findByTestId("key-fingerprint");
    const file = new File(["SESAME-KEY v1\nabc\n"], "cle.sesamekey", { type: "text/plain" });
    await fireEvent.change(screen.getByTestId("key-import-file"), { target: { files: [file] } });
    await fireEvent.input(screen.getByTestId("key-import-passphrase"), { target: { value: "cheval agrafe pile correcte" } });
    await fireEvent.click(screen.getByTestId("key-import-submit"));

    expect((await screen.findByTestId("error-banner")).dataset.code).toBe("vault.key_conflict");
    expect(imports[0].force).toBe(false);
    expect(atob(imports[0].content)).toBe("SESAME-KEY v1\nabc\n");

    await fireEvent.click(screen.getByTestId("key-import-force"));
    await fireEvent.click(screen.getByTestId("key-import-submit"));
    expect((await screen.findByTestId("key-imported")).textContent).toContain("1111-2222-3333-4444");
    expect(imports[1].force).toBe(true);
  });
});
