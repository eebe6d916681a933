import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import SettingsScreen from "./SettingsScreen.svelte";
import { setLocale } from "../i18n/index.svelte";
import { officePolicy, photoRules } from "./fixtures";
import type { OfficeInput } from "../ipc/generated/OfficeInput";
import type { OfficeSettings } from "../ipc/generated/OfficeSettings";

const policy = officePolicy();
const office: OfficeSettings = {
  name: "Bureau des badges",
  logoBase64: null,
  outputFolder: { path: "/srv/badges", fixed: true },
};

describe("SettingsScreen", () => {
  it("edits a category's rules and saves the whole policy", async () => {
    const saved: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "get_policy") return policy;
      if (cmd === "save_policy") {
        saved.push((args as { policy: unknown }).policy);
        return (args as { policy: unknown }).policy;
      }
      throw { code: "test.unexpected", message: cmd };
    });
    render(SettingsScreen);
    await fireEvent.click(screen.getByTestId("settings-tab-policy"));
    const min = await screen.findByTestId("category-staff-minPresenceDaysPerWeek");
    await fireEvent.change(min, { target: { value: "3" } });
    const domains = screen.getByTestId("category-staff-allowedEmailDomains");
    await fireEvent.change(domains, { target: { value: "univ.example.fr, cnrs.fr" } });
    await fireEvent.change(screen.getByTestId("policy-lockAfterMinutes"), { target: { value: "10" } });
    await fireEvent.click(screen.getByTestId("policy-save"));
    await waitFor(() => expect(saved).toHaveLength(1));
    const sent = saved[0] as typeof policy;
    expect(sent.categories[0].minPresenceDaysPerWeek).toBe(3);
    expect(sent.categories[0].allowedEmailDomains).toEqual(["univ.example.fr", "cnrs.fr"]);
    expect(sent.lockAfterMinutes).toBe(10);
    expect(await screen.findByTestId("policy-saved")).toBeTruthy();
  });

  it("labels and explains the office's photo override rule, and saves it with the policy", async () => {
    const saved: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "get_policy") return policy;
      if (cmd === "save_policy") {
        saved.push((args as { policy: unknown }).policy);
        return (args as { policy: unknown }).policy;
      }
      throw { code: "test.unexpected", message: cmd };
    });
    render(SettingsScreen);
    await fireEvent.click(screen.getByTestId("settings-tab-policy"));
    const box = await screen.findByTestId("policy-photo-overrideNeedsSupervisor");
    expect(box.closest("label")?.textContent).toContain("Enregistrer une photo malgré les contrôles demande un superviseur");
    const help = screen.getByTestId("policy-photo-overrideNeedsSupervisor-help");
    expect(box.getAttribute("aria-describedby")).toBe(help.id);
    expect(help.textContent).toContain("le motif est obligatoire");
    // No internal field name reaches the screen.
    const panel = screen.getByTestId("settings-policy").textContent ?? "";
    for (const name of ["overrideNeedsSupervisor", "retention", "idDocumentDaysAfterPrint", "closedRequestDays"]) {
      expect(panel).not.toMatch(new RegExp(`\\b${name}\\b`));
    }
    await fireEvent.click(box);
    await fireEvent.click(screen.getByTestId("policy-save"));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect((saved[0] as { photo: { overrideNeedsSupervisor: boolean } }).photo.overrideNeedsSupervisor).toBe(true);
  });

  it("has a Photo checks tab", async () => {
    mockIPC((cmd) => {
      if (cmd === "photo_check_stats") return { photosSaved: 0, photosOverridden: 0, checks: [] };
      if (cmd === "office_photo_rules") return photoRules();
      throw { code: "test.unexpected", message: cmd };
    });
    render(SettingsScreen);
    const tab = screen.getByTestId("settings-tab-photo");
    expect(tab.textContent).toBe("Contrôles photo");
    await fireEvent.click(tab);
    expect(await screen.findByTestId("photo-stats-none")).toBeTruthy();
    expect(await screen.findByTestId("photo-rules")).toBeTruthy();
  });

  it("shows a refused save by its code and keeps the form", async () => {
    mockIPC((cmd) => {
      if (cmd === "get_policy") return policy;
      throw { code: "operator.supervisor_required", message: "ChangeSettings needs a supervisor" };
    });
    render(SettingsScreen);
    await fireEvent.click(screen.getByTestId("settings-tab-policy"));
    await fireEvent.click(await screen.findByTestId("policy-save"));
    const banner = await screen.findByTestId("error-banner");
    expect(banner.dataset.code).toBe("operator.supervisor_required");
    expect(screen.getByTestId("category-staff")).toBeTruthy();
  });

  it("switches the language from the general tab", async () => {
    mockIPC((cmd) => (cmd === "office_settings" ? office : policy));
    render(SettingsScreen);
    await fireEvent.click(screen.getByTestId("settings-locale-en"));
    expect(await screen.findByText("Settings")).toBeTruthy();
  });

  it("renames the office and keeps a folder fixed by the administrator as it is", async () => {
    const saved: OfficeInput[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "office_settings") return office;
      if (cmd === "save_office_settings") {
        const input = (args as { input: OfficeInput }).input;
        saved.push(input);
        return { ...office, name: input.name };
      }
      throw { code: "test.unexpected", message: cmd };
    });
    render(SettingsScreen);
    const name = (await screen.findByTestId("office-name")) as HTMLInputElement;
    await waitFor(() => expect(name.value).toBe("Bureau des badges"));
    expect((screen.getByTestId("office-folder") as HTMLInputElement).readOnly).toBe(true);
    await fireEvent.input(name, { target: { value: "Service des cartes " } });
    await fireEvent.click(screen.getByTestId("office-save"));
    expect(await screen.findByTestId("office-saved")).toBeTruthy();
    expect(saved).toEqual([{ name: "Service des cartes", logoBase64: null, outputFolder: null }]);
  });

  it("has a Directory tab after the e-mails", async () => {
    setLocale("fr"); // (the language test above leaves English on)
    mockIPC((cmd) => {
      if (cmd === "directory_settings") {
        return {
          settings: {
            enabled: false, kind: "open_ldap", host: "", port: 389, security: "starttls", caCertificate: null,
            bindDn: null, baseDn: "", personFilter: "(objectClass=inetOrgPerson)", disabledFilter: null,
            attributes: {
              login: "uid", familyName: "sn", givenNames: "givenName", email: "mail", unit: "ou",
              externalId: "employeeNumber", photo: "jpegPhoto",
            },
            groups: [], syncInHousekeeping: false, timeoutSeconds: 10,
          },
          passwordStored: false,
          keyringProblem: null,
        };
      }
      if (cmd === "get_policy") return policy;
      if (cmd === "office_settings") return office;
      throw { code: "test.unexpected", message: cmd };
    });
    render(SettingsScreen);
    const tabs = screen.getAllByRole("tab").map((tab) => tab.textContent);
    expect(tabs.indexOf("Annuaire")).toBe(tabs.indexOf("E-mails aux titulaires") + 1);
    await fireEvent.click(screen.getByTestId("settings-tab-directory"));
    expect(await screen.findByTestId("directory-enabled")).toBeTruthy();
    expect(screen.getByTestId("directory-settings")).toBeTruthy();
  });
});
