import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import TemplatesSettings from "./TemplatesSettings.svelte";

const builtin = {
  officeTemplates: false,
  version: null,
  folder: "/data/templates",
  templates: [{ file: "staff.toml", category: "staff", categories: ["staff"], kind: "card", widthMm: 85.6, heightMm: 53.98, hasBack: true }],
};

describe("TemplatesSettings", () => {
  it("lists the templates and sends a chosen file's text to be checked", async () => {
    const sent: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "list_templates") return builtin;
      if (cmd === "template_versions") return [];
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
    await waitFor(() => expect(screen.getByTestId("templates-source").textContent).toContain("communs"));
  });

  it("shows a refused template by its code and keeps the list", async () => {
    mockIPC((cmd) => {
      if (cmd === "list_templates") return builtin;
      if (cmd === "template_versions") return [];
      throw { code: "print.template_invalid", message: "template staff.toml, line 3: outside the card" };
    });
    render(TemplatesSettings);
    await screen.findAllByTestId("template-row");
    const file = new File(["x"], "staff.toml", { type: "text/plain" });
    await fireEvent.change(screen.getByTestId("template-file"), { target: { files: [file] } });
    expect((await screen.findByTestId("error-banner")).dataset.code).toBe("print.template_invalid");
    expect(screen.getAllByTestId("template-row")).toHaveLength(1);
  });

  it("lists the versions in the operator's words and puts an older one back", async () => {
    const restored: unknown[] = [];
    const versions = [
      { version: 3, files: ["staff.toml"], builtin: false, note: "designer: staff.toml", savedBy: "guichet", savedAt: "2026-11-02T09:30:00Z" },
      { version: 2, files: ["staff.toml"], builtin: true, note: "built-in", savedBy: "guichet", savedAt: "2026-11-01T09:30:00Z" },
      { version: 1, files: ["staff.toml"], builtin: false, note: "file: staff.toml", savedBy: "guichet", savedAt: "2026-10-01T09:30:00Z" },
    ];
    mockIPC((cmd, args) => {
      if (cmd === "list_templates") return { ...builtin, officeTemplates: true, version: 3 };
      if (cmd === "template_versions") return versions;
      if (cmd === "restore_template_version") {
        restored.push((args as { version: number }).version);
        return { ...builtin, officeTemplates: true, version: 4 };
      }
      throw { code: "test.unexpected", message: cmd };
    });
    render(TemplatesSettings);
    const rows = await screen.findAllByTestId("template-version");
    expect(rows).toHaveLength(3);
    expect(rows[0].textContent).toContain("concepteur : staff.toml");
    expect(rows[0].textContent).toContain("en service");
    expect(rows[1].textContent).toContain("modèles intégrés");
    expect(rows[2].textContent).toContain("fichier ajouté : staff.toml");
    const buttons = screen.getAllByTestId("template-version-restore");
    expect(buttons).toHaveLength(2);
    await fireEvent.click(buttons[1]);
    await waitFor(() => expect(restored).toEqual([1]));
    expect((await screen.findByRole("status")).textContent).toContain("Version 1");
  });
});
