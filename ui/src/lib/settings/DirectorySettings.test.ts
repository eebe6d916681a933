import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import DirectorySettings from "./DirectorySettings.svelte";
import { setLocale } from "../i18n/index.svelte";
import { identifiersIn, shownText } from "../i18n/identifiers";
import { officePolicy } from "./fixtures";
import { fr } from "../i18n/fr/index";
import { en } from "../i18n/en/index";
import type { DirectorySetup } from "../ipc/generated/DirectorySetup";
import type { DirectorySyncReport } from "../ipc/generated/DirectorySyncReport";
import type { DirectoryTest } from "../ipc/generated/DirectoryTest";
import type { SaveDirectorySettingsInput } from "../ipc/generated/SaveDirectorySettingsInput";

/** The settings of an office that has not set its directory up yet (the backend's defaults). */
function unset(): DirectorySetup {
  return {
    settings: {
      enabled: false,
      kind: "open_ldap",
      host: "",
      port: 389,
      security: "starttls",
      caCertificate: null,
      bindDn: null,
      baseDn: "",
      personFilter: "(objectClass=inetOrgPerson)",
      disabledFilter: null,
      attributes: {
        login: "uid",
        familyName: "sn",
        givenNames: "givenName",
        email: "mail",
        unit: "ou",
        externalId: "employeeNumber",
        photo: "jpegPhoto",
      },
      groups: [],
      syncInHousekeeping: false,
      timeoutSeconds: 10,
    },
    passwordStored: false,
    keyringProblem: null,
  };
}

const policy = (() => {
  const base = officePolicy();
  const visitor = { ...base.categories[0], key: "visitor", labelFr: "Visiteur", labelEn: "Visitor" };
  return { ...base, categories: [...base.categories, visitor] };
})();

const TESTED: DirectoryTest = {
  people: 1250,
  disabled: 12,
  byCategory: [
    { category: "staff", people: 900 },
    { category: "visitor", people: 40 },
  ],
};

const SYNCED: DirectorySyncReport = {
  dryRun: false,
  updated: [
    { holderId: "0190a0b0-0000-7000-8000-0000000000aa", name: "DUPONT Zoé", fields: ["email", "unit"] },
  ],
  unchanged: 41,
  leavers: 2,
  refused: [
    {
      badgeId: "0190a0b0-0000-7000-8000-000000000102",
      badgeNumber: "B000102",
      code: "store.version_conflict",
      message: "holder changed since it was read",
    },
  ],
};

type Call = { cmd: string; args: Record<string, unknown> };

/** A backend keeping the settings it is given; `overrides` answer some commands instead. */
function backend(overrides: Record<string, (args: Record<string, unknown>) => unknown> = {}, start = unset()) {
  let state = structuredClone(start);
  const calls: Call[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: args as Record<string, unknown> });
    if (cmd in overrides) return overrides[cmd](args as Record<string, unknown>);
    switch (cmd) {
      case "directory_settings":
        return structuredClone(state);
      case "get_policy":
        return policy;
      case "save_directory_settings": {
        const input = (args as { input: SaveDirectorySettingsInput }).input;
        state = { ...state, settings: input.settings, passwordStored: state.passwordStored || !!input.password };
        return structuredClone(state);
      }
      case "clear_directory_password":
        state = { ...state, passwordStored: false };
        return structuredClone(state);
      case "test_directory":
        return TESTED;
      case "sync_from_directory":
        return SYNCED;
      default:
        throw { code: "test.unexpected", message: cmd };
    }
  });
  return calls;
}

const input = (testid: string) => screen.getByTestId(testid) as HTMLInputElement;

describe("DirectorySettings", () => {
  afterEach(() => setLocale("fr"));

  it("fills Active Directory's attributes, follows the security with the port, and saves with the password apart", async () => {
    const calls = backend();
    render(DirectorySettings);
    await fireEvent.click(await screen.findByTestId("directory-enabled"));
    await fireEvent.change(screen.getByTestId("directory-kind"), { target: { value: "active_directory" } });
    expect(input("directory-attr-login").value).toBe("sAMAccountName");
    expect(input("directory-attr-unit").value).toBe("department");
    expect(input("directory-attr-externalId").value).toBe("employeeID");
    expect(input("directory-attr-photo").value).toBe("thumbnailPhoto");
    expect(input("directory-person-filter").value).toBe("(&(objectCategory=person)(objectClass=user))");
    expect(input("directory-disabled-filter").value).toBe("(userAccountControl:1.2.840.113556.1.4.803:=2)");

    // LDAPS moves the usual port to 636, and back; a port the operator chose stays.
    await fireEvent.change(screen.getByTestId("directory-security"), { target: { value: "tls" } });
    expect(input("directory-port").value).toBe("636");
    await fireEvent.change(screen.getByTestId("directory-security"), { target: { value: "starttls" } });
    expect(input("directory-port").value).toBe("389");
    await fireEvent.change(screen.getByTestId("directory-security"), { target: { value: "tls" } });
    await fireEvent.input(input("directory-port"), { target: { value: "3269" } });
    await fireEvent.change(screen.getByTestId("directory-security"), { target: { value: "starttls" } });
    expect(input("directory-port").value).toBe("3269");
    await fireEvent.change(screen.getByTestId("directory-security"), { target: { value: "tls" } });
    await fireEvent.input(input("directory-port"), { target: { value: "636" } });

    await fireEvent.input(input("directory-host"), { target: { value: "ad.univ.example.fr" } });
    await fireEvent.input(input("directory-base-dn"), { target: { value: "ou=people,dc=univ,dc=example" } });
    await fireEvent.input(input("directory-bind-dn"), { target: { value: "cn=sesame,ou=services,dc=univ,dc=example" } });
    await fireEvent.input(input("directory-password"), { target: { value: "s3cret" } });
    expect(screen.getByTestId("directory-password-state").textContent).toContain("Aucun mot de passe enregistré sur ce poste");

    // Two groups, the second given the visitors' category, then one removed.
    expect(screen.getByTestId("directory-groups-none")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("directory-group-add"));
    await fireEvent.click(screen.getByTestId("directory-group-add"));
    await fireEvent.input(input("directory-group-dn-0"), { target: { value: "cn=old,ou=groups,dc=univ,dc=example" } });
    await fireEvent.input(input("directory-group-dn-1"), { target: { value: "cn=guests,ou=groups,dc=univ,dc=example" } });
    const category = screen.getByTestId("directory-group-category-1") as HTMLSelectElement;
    expect([...category.options].map((o) => o.textContent)).toEqual(["Personnel", "Visiteur"]);
    await fireEvent.change(category, { target: { value: "visitor" } });
    await fireEvent.click(screen.getByTestId("directory-group-remove-0"));
    expect(screen.getAllByTestId("directory-group")).toHaveLength(1);
    await fireEvent.click(screen.getByTestId("directory-sync-housekeeping"));

    await fireEvent.click(screen.getByTestId("directory-save"));
    expect((await screen.findByTestId("directory-notice")).textContent).toBe("Enregistré.");
    const saved = calls.filter((c) => c.cmd === "save_directory_settings").map((c) => c.args.input);
    expect(saved).toEqual([
      {
        settings: {
          ...unset().settings,
          enabled: true,
          kind: "active_directory",
          host: "ad.univ.example.fr",
          port: 636,
          security: "tls",
          bindDn: "cn=sesame,ou=services,dc=univ,dc=example",
          baseDn: "ou=people,dc=univ,dc=example",
          personFilter: "(&(objectCategory=person)(objectClass=user))",
          disabledFilter: "(userAccountControl:1.2.840.113556.1.4.803:=2)",
          attributes: {
            login: "sAMAccountName",
            familyName: "sn",
            givenNames: "givenName",
            email: "mail",
            unit: "department",
            externalId: "employeeID",
            photo: "thumbnailPhoto",
          },
          groups: [{ groupDn: "cn=guests,ou=groups,dc=univ,dc=example", category: "visitor" }],
          syncInHousekeeping: true,
        },
        password: "s3cret",
      },
    ]);
    // The password field empties; the desk now has it, and can forget it.
    expect(input("directory-password").value).toBe("");
    expect(screen.getByTestId("directory-password-state").textContent).toContain("Mot de passe enregistré sur ce poste");
    await fireEvent.click(screen.getByTestId("directory-forget-password"));
    expect((await screen.findByTestId("directory-notice")).textContent).toContain("retiré du trousseau");
    expect(calls.some((c) => c.cmd === "clear_directory_password")).toBe(true);
    expect(screen.queryByTestId("directory-forget-password")).toBeNull();
  });

  it("sends no password when none was typed, and an emptied optional field as none", async () => {
    const start = unset();
    start.settings = { ...start.settings, enabled: true, host: "localhost", bindDn: "cn=admin,dc=example", caCertificate: "x" };
    start.passwordStored = true;
    const calls = backend({}, start);
    render(DirectorySettings);
    expect((await screen.findByTestId("directory-password")).getAttribute("placeholder")).toBe(
      "déjà enregistré dans le trousseau",
    );
    await fireEvent.input(input("directory-bind-dn"), { target: { value: "" } });
    await fireEvent.input(screen.getByTestId("directory-ca-certificate"), { target: { value: "" } });
    await fireEvent.click(screen.getByTestId("directory-save"));
    await screen.findByTestId("directory-notice");
    const sent = calls.find((c) => c.cmd === "save_directory_settings")?.args.input as SaveDirectorySettingsInput;
    expect([sent.password, sent.settings.bindDn, sent.settings.caCertificate]).toEqual([null, null, null]);
  });

  for (const locale of ["fr", "en"] as const) {
    it(`tests the connection and updates the holders, in ${locale}`, async () => {
      setLocale(locale);
      const calls = backend();
      render(DirectorySettings);
      await fireEvent.click(await screen.findByTestId("directory-test"));
      const tested = await screen.findByTestId("directory-test-result");
      expect(tested.textContent).toContain(
        locale === "fr"
          ? "L’annuaire répond : 1250 personne(s), dont 12 compte(s) désactivé(s)."
          : "The directory answers: 1250 people, 12 of them disabled.",
      );
      // Each category by its name, not its key (once the office's rules are read).
      await waitFor(() => expect(tested.textContent).toContain(locale === "fr" ? "Visiteur : 40" : "Visitor: 40"));
      expect(tested.textContent).toContain(locale === "fr" ? "Personnel : 900" : "Staff: 900");

      await fireEvent.click(screen.getByTestId("directory-sync"));
      const synced = await screen.findByTestId("directory-sync-result");
      expect(calls.find((c) => c.cmd === "sync_from_directory")?.args).toEqual({ dryRun: false });
      expect(screen.queryByTestId("directory-test-result")).toBeNull();
      expect(synced.textContent).toContain(
        locale === "fr"
          ? "1 titulaire(s) mis à jour, 41 inchangé(s), 2 départ(s) à examiner."
          : "1 holder(s) updated, 41 unchanged, 2 leaver(s) to review.",
      );
      expect(synced.textContent).toContain(locale === "fr" ? "Badges › Départs (annuaire)" : "Badges › Leavers (directory)");
      expect(within(synced).getByTestId("directory-sync-result-updated").textContent).toBe(
        locale === "fr" ? "DUPONT Zoé : e-mail, service" : "DUPONT Zoé: e-mail, unit",
      );
      const refused = within(synced).getByTestId("directory-sync-result-refused").textContent;
      expect(refused).toContain("B000102");
      expect(refused).toContain((locale === "fr" ? fr : en)["errors.store.version_conflict"]);
      expect(synced.textContent).not.toContain("holder changed since it was read");
      expect(identifiersIn(shownText(screen.getByTestId("directory-settings")))).toEqual([]);
    });
  }

  it("shows a refused test by its code, in words the operator can act on", async () => {
    backend({
      test_directory: () => {
        throw {
          code: "directory.certificate_refused",
          message: "the certificate of ldap.univ.example.fr:636 is not trusted: unable to get local issuer certificate",
        };
      },
    });
    render(DirectorySettings);
    await fireEvent.click(await screen.findByTestId("directory-test"));
    const banner = await screen.findByTestId("error-banner");
    expect(banner.dataset.code).toBe("directory.certificate_refused");
    expect(banner.textContent).toContain("ajoutez le certificat de l’autorité dans les réglages de l’annuaire");
    expect(screen.queryByTestId("directory-test-result")).toBeNull();
    // The form stays as it was.
    expect(screen.getByTestId("directory-host")).toBeTruthy();
  });

  it("offers a supervisor's countersign when a clerk saves", async () => {
    backend({
      save_directory_settings: () => {
        throw {
          code: "operator.supervisor_required",
          message: "'bob' is not a supervisor: change_settings needs a supervisor or a supervisor's countersign",
          countersign: { action: "change_settings", target: "directory" },
        };
      },
    });
    render(DirectorySettings);
    await fireEvent.click(await screen.findByTestId("directory-save"));
    const banner = await screen.findByTestId("error-banner");
    expect(banner.dataset.code).toBe("operator.supervisor_required");
    expect(within(banner).getByTestId("error-countersign")).toBeTruthy();
  });
});
