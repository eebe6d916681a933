import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import TemplatesSettings from "./TemplatesSettings.svelte";

const builtin = {
  officeTemplates: false,
  folder: "/data/templates",
  templates: [{ file: "staff.toml", category: "staff", categories: ["staff"], kind: "card", widthMm: 85.6, heightMm: 53.98, hasBack: true }],
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
