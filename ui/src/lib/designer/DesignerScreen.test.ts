import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import DesignerScreen from "./DesignerScreen.svelte";
import type { TemplateDesign } from "../ipc/generated/TemplateDesign";

const design: TemplateDesign = {
  template: { category: "staff", label: { fr: "Personnel", en: "Staff" }, colour: "#1F5FAD" },
  front: [
    { type: "rect", x: 0, y: 0, width: 85.6, height: 10 },
    { type: "photo", x: 4, y: 13, width: 22, height: 29.33, corner_radius: 2 },
  ],
  back: [{ type: "text", x: 5, y: 5, width: 40, height: 8, field: "badge_number" }],
};

const policy = {
  categories: [
    { key: "staff", labelFr: "Personnel", labelEn: "Staff" },
    { key: "contractor", labelFr: "Prestataire", labelEn: "Contractor" },
  ],
};

function desk(saved: unknown[]) {
  mockIPC((cmd, args) => {
    if (cmd === "open_template_design") return { file: "staff.toml", design, text: "" };
    if (cmd === "get_policy") return policy;
    if (cmd === "template_images") return [];
    if (cmd === "add_template_image") {
      const upload = (args as { upload: { name: string; content: string } }).upload;
      if (!upload.content) throw { code: "print.template_image", message: upload.name };
      return [{ name: "Parking.png", bytes: 4, savedBy: "x", savedAt: "2026-11-02T09:30:00Z" }];
    }
    if (cmd === "preview_template_design") return { pdfBase64: "", pageCount: 1, requestLeftOut: null };
    if (cmd === "save_template_design") {
      saved.push((args as { input: unknown }).input);
      return { officeTemplates: true, folder: "/t", templates: [] };
    }
    throw { code: "test.unexpected", message: cmd };
  });
}

describe("DesignerScreen", () => {
  it("moves the photo with the keyboard, adds a conditional band and saves the design", async () => {
    const saved: unknown[] = [];
    desk(saved);
    render(DesignerScreen, { file: "staff.toml", onclose: () => {} });
    const layers = await screen.findAllByTestId("designer-layer");
    expect(layers).toHaveLength(2);

    await fireEvent.click(layers[1]);
    const canvas = screen.getByTestId("designer-canvas");
    for (let i = 0; i < 5; i++) await fireEvent.keyDown(canvas, { key: "ArrowRight", shiftKey: true });
    await fireEvent.keyDown(canvas, { key: "ArrowDown" });
    expect((screen.getByTestId("prop-x") as HTMLInputElement).value).toBe("9");
    expect((screen.getByTestId("prop-y") as HTMLInputElement).value).toBe("13.1");

    // Alt+arrows resize from the bottom-right corner.
    await fireEvent.keyDown(canvas, { key: "ArrowRight", altKey: true, shiftKey: true });
    expect((screen.getByTestId("prop-width") as HTMLInputElement).value).toBe("23");
    await fireEvent.click(screen.getByTestId("designer-undo"));
    expect((screen.getByTestId("prop-width") as HTMLInputElement).value).toBe("22");

    // Undo takes back the last nudge only.
    await fireEvent.click(screen.getByTestId("designer-undo"));
    expect((screen.getByTestId("prop-y") as HTMLInputElement).value).toBe("13");

    await fireEvent.click(screen.getByTestId("designer-serves-contractor"));
    await fireEvent.click(screen.getByTestId("designer-add-rect"));
    await fireEvent.click(screen.getByTestId("prop-conditional"));
    expect(screen.getByText("Choisissez au moins une valeur.")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("prop-when-contractor"));
    await fireEvent.click(screen.getByTestId("designer-save"));

    await waitFor(() => expect(saved).toHaveLength(1));
    const input = saved[0] as { file: string; design: TemplateDesign };
    expect(input.file).toBe("staff.toml");
    expect(input.design.template.category).toEqual(["staff", "contractor"]);
    expect(input.design.front[1]).toMatchObject({ type: "photo", x: 9, y: 13 });
    expect(input.design.front[2]).toMatchObject({ type: "rect", when: { field: "category", is: ["contractor"] } });
    expect(input.design.back).toEqual(design.back);
    expect((await screen.findByTestId("designer-saved")).textContent).toContain("staff.toml");
    expect((screen.getByTestId("designer-undo") as HTMLButtonElement).disabled).toBe(true);
  });

  it("keeps at least one category and removes the selected element with Delete", async () => {
    desk([]);
    render(DesignerScreen, { file: "staff.toml", onclose: () => {} });
    await screen.findAllByTestId("designer-layer");
    const staff = screen.getByTestId("designer-serves-staff") as HTMLInputElement;
    await fireEvent.click(staff);
    expect(staff.checked).toBe(true);

    await fireEvent.click(screen.getAllByTestId("designer-layer")[0]);
    await fireEvent.keyDown(screen.getByTestId("designer-canvas"), { key: "Delete" });
    expect(screen.getAllByTestId("designer-layer")).toHaveLength(1);
    await fireEvent.click(screen.getByTestId("designer-side-back"));
    expect(screen.getAllByTestId("designer-layer")[0].textContent).toContain("Numéro de badge");
  });

  it("adds a picture to the office's and shows it in the new image element", async () => {
    desk([]);
    render(DesignerScreen, { file: "staff.toml", onclose: () => {} });
    await screen.findAllByTestId("designer-layer");
    await fireEvent.click(screen.getByTestId("designer-add-image"));
    const select = screen.getByTestId("prop-image") as HTMLSelectElement;
    expect(select.value).toBe("logo.png");
    const file = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], "Parking.PNG", { type: "image/png" });
    await fireEvent.change(screen.getByTestId("prop-image-file"), { target: { files: [file] } });
    await waitFor(() => expect((screen.getByTestId("prop-image") as HTMLSelectElement).value).toBe("Parking.png"));
    expect(screen.getAllByTestId("designer-layer").at(-1)!.textContent).toContain("Parking.png");
  });

  it("puts several fields in one Data Matrix code", async () => {
    const saved: unknown[] = [];
    desk(saved);
    render(DesignerScreen, { file: "staff.toml", onclose: () => {} });
    await screen.findAllByTestId("designer-layer");
    await fireEvent.click(screen.getByTestId("designer-add-datamatrix"));
    await fireEvent.click(screen.getByTestId("prop-code-family_name"));
    await fireEvent.click(screen.getByTestId("designer-save"));
    await waitFor(() => expect(saved).toHaveLength(1));
    const input = saved[0] as { design: TemplateDesign };
    expect(input.design.front[2]).toMatchObject({ type: "datamatrix", fields: ["badge_number", "family_name"] });
    expect(input.design.front[2].field).toBeUndefined();
  });
});
