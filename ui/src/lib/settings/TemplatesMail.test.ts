import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import TemplatesSettings from "./TemplatesSettings.svelte";
import MailSettings from "./MailSettings.svelte";

const builtin = {
  officeTemplates: false,
  folder: "/data/templates",
  templates: [{ file: "staff.toml", category: "staff", kind: "card", widthMm: 85.6, heightMm: 53.98, hasBack: true }],
};

describe("TemplatesSettings", () => {
  it("lists the templates and sends a chosen file's text to be checked", async () => {
    const sent: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "list_templates") return builtin;
      if (cmd === "install_template") {
        sent.push((args as { upload: unknown }).upload);
        return { ...builtin, officeTemplates: true };
      }
      throw { code: "test.unexpected", message: cmd };
    });
    render(TemplatesSettings);
    expect((await screen.findAllByTestId("template-row")).length).toBe(1);
    const file = new File(['[template]\ncategory = "staff"\n'], "staff.toml", { type: "text/plain" });
    await fireEvent.change(screen.getByTestId("template-file"), { target: { files: [file] } });
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({ fileName: "staff.toml", content: '[template]\ncategory = "staff"\n' });
    await waitFor(() => expect(screen.getByTestId("templates-source").textContent).toContain("/data/templates"));
  });

  it("shows a refused template by its code and keeps the list", async () => {
    mockIPC((cmd) => {
      if (cmd === "list_templates") return builtin;
      throw { code: "print.template_invalid", message: "template staff.toml, line 3: outside the card" };
    });
    render(TemplatesSettings);
    await screen.findAllByTestId("template-row");
    const file = new File(["x"], "staff.toml", { type: "text/plain" });
    await fireEvent.change(screen.getByTestId("template-file"), { target: { files: [file] } });
    expect((await screen.findByTestId("error-banner")).dataset.code).toBe("print.template_invalid");
    expect(screen.getAllByTestId("template-row")).toHaveLength(1);
  });
});

describe("MailSettings", () => {
  it("saves the SMTP settings with the password apart", async () => {
    const saved: unknown[] = [];
    const setup = {
      settings: {
        enabled: false,
        host: "",
        port: 587,
        security: "starttls",
        fromAddress: "",
        fromName: "Bureau des badges",
        replyTo: null,
        username: null,
        defaultLanguage: "fr",
        notify: ["request_received"],
        timeoutSeconds: 30,
      },
      passwordStored: false,
      keyringProblem: null,
    };
    mockIPC((cmd, args) => {
      if (cmd === "mail_settings") return setup;
      if (cmd === "save_mail_settings") {
        saved.push((args as { input: unknown }).input);
        return { ...setup, passwordStored: true };
      }
      throw { code: "test.unexpected", message: cmd };
    });
    render(MailSettings);
    await fireEvent.click(await screen.findByTestId("mail-enabled"));
    await fireEvent.input(screen.getByTestId("mail-host"), { target: { value: "smtp.univ.example.fr" } });
    await fireEvent.input(screen.getByLabelText("Mot de passe (gardé dans le trousseau du système)"), {
      target: { value: "pw" },
    });
    await fireEvent.click(screen.getByTestId("mail-save"));
    await waitFor(() => expect(saved).toHaveLength(1));
    const input = saved[0] as { settings: { enabled: boolean; host: string }; password: string };
    expect([input.settings.enabled, input.settings.host, input.password]).toEqual([
      true,
      "smtp.univ.example.fr",
      "pw",
    ]);
    expect(await screen.findByTestId("mail-notice")).toBeTruthy();
  });
});
