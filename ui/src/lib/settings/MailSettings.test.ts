import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import MailSettings from "./MailSettings.svelte";
import { setLocale } from "../i18n/index.svelte";

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

  it("lists the host's e-mail on a visitor's arrival among the messages sent, and saves it ticked", async () => {
    const saved: { settings: { notify: string[] } }[] = [];
    const setup = {
      settings: {
        enabled: true,
        host: "smtp.univ.example.fr",
        port: 587,
        security: "starttls",
        fromAddress: "badges@univ.example.fr",
        fromName: "Bureau des badges",
        replyTo: null,
        username: null,
        defaultLanguage: "fr",
        notify: ["request_received"],
        timeoutSeconds: 30,
      },
      passwordStored: true,
      keyringProblem: null,
    };
    mockIPC((cmd, args) => {
      if (cmd === "mail_settings") return setup;
      if (cmd === "save_mail_settings") {
        saved.push((args as { input: { settings: { notify: string[] } } }).input);
        return setup;
      }
      throw { code: "test.unexpected", message: cmd };
    });
    render(MailSettings);
    const box = (await screen.findByLabelText("Arrivée d’un visiteur (à la personne visitée)")) as HTMLInputElement;
    expect(box.checked).toBe(false);
    await fireEvent.click(box);
    await fireEvent.click(screen.getByTestId("mail-save"));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0].settings.notify).toEqual(["request_received", "visitor_arrived"]);
    setLocale("en");
    try {
      expect(await screen.findByLabelText("Visitor arrived (to their host)")).toBe(box);
    } finally {
      setLocale("fr");
    }
  });
});
