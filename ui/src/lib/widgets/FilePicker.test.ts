import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { setLocale } from "../i18n/index.svelte";
import FilePicker from "./FilePicker.svelte";

const file = (name: string) => new File(["x"], name, { type: "text/csv" });

describe("FilePicker", () => {
  beforeEach(() => setLocale("fr"));

  it("speaks French: a button named by the field's label, and no file chosen yet", () => {
    render(FilePicker, { label: "Logo (PNG ou JPEG)", testid: "logo" });
    const button = screen.getByRole("button", { name: "Logo (PNG ou JPEG) — Choisir un fichier…" });
    expect(button.textContent?.trim()).toBe("Choisir un fichier…");
    const state = document.getElementById(button.getAttribute("aria-describedby") ?? "");
    expect(state?.textContent).toBe("Aucun fichier choisi");
    expect(state?.getAttribute("aria-live")).toBe("polite");
    expect(button.dataset.testid).toBe("logo-choose");
  });

  it("speaks English, in the plural when several files may be chosen", () => {
    setLocale("en");
    const first = render(FilePicker, { label: "Key file" });
    expect(screen.getByRole("button", { name: "Key file — Choose a file…" })).toBeTruthy();
    expect(screen.getByText("No file chosen")).toBeTruthy();
    first.unmount();
    render(FilePicker, { label: "Photos", multiple: true, testid: "photos" });
    expect(screen.getByRole("button", { name: "Photos — Choose files…" })).toBeTruthy();
    expect((screen.getByTestId("photos") as HTMLInputElement).multiple).toBe(true);
  });

  it("shows the chosen file's name and passes the change event on unchanged", async () => {
    const onchange = vi.fn((event: Event) => event.currentTarget);
    render(FilePicker, { label: "CSV", accept: ".csv", testid: "csv", onchange });
    const input = screen.getByTestId("csv") as HTMLInputElement;
    expect(input.type).toBe("file");
    expect(input.accept).toBe(".csv");
    await fireEvent.change(input, { target: { files: [file("demandes.csv")] } });
    expect(screen.getByText("demandes.csv")).toBeTruthy();
    expect(onchange).toHaveBeenCalledOnce();
    expect(onchange.mock.results[0].value).toBe(input);
  });

  it("counts several files", async () => {
    render(FilePicker, { multiple: true, testid: "photos" });
    await fireEvent.change(screen.getByTestId("photos"), { target: { files: [file("a.jpg"), file("b.jpg"), file("c.jpg")] } });
    expect(screen.getByText("3 fichiers choisis")).toBeTruthy();
  });

  it("says no file again once the caller clears the input", async () => {
    render(FilePicker, { label: "CSV", testid: "csv" });
    const input = screen.getByTestId("csv") as HTMLInputElement;
    await fireEvent.change(input, { target: { files: [file("demandes.csv")] } });
    expect(screen.getByText("demandes.csv")).toBeTruthy();
    input.value = "";
    expect(await screen.findByText("Aucun fichier choisi")).toBeTruthy();
    expect(screen.queryByText("demandes.csv")).toBeNull();
  });

  it("says no file when the caller clears the input in its own change handler", async () => {
    render(FilePicker, {
      testid: "tpl",
      onchange: (event) => {
        event.currentTarget.value = ""; // the same file may be chosen again
      },
    });
    await fireEvent.change(screen.getByTestId("tpl"), { target: { files: [file("modele.toml")] } });
    expect(await screen.findByText("Aucun fichier choisi")).toBeTruthy();
  });

  it("opens the input from the button, and keeps the input out of the Tab order", async () => {
    const click = vi.spyOn(HTMLInputElement.prototype, "click");
    try {
      render(FilePicker, { label: "CSV", testid: "csv" });
      const input = screen.getByTestId("csv") as HTMLInputElement;
      const button = screen.getByRole("button");
      expect(input.tabIndex).toBe(-1);
      expect(input.closest("label")).toBeNull();
      expect(button.tabIndex).toBe(0);
      await fireEvent.click(button);
      expect(click).toHaveBeenCalledOnce();
      expect(click.mock.contexts[0]).toBe(input);
    } finally {
      click.mockRestore();
    }
  });

  it("is disabled as a whole", () => {
    render(FilePicker, { disabled: true, testid: "csv" });
    expect((screen.getByRole("button") as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByTestId("csv") as HTMLInputElement).disabled).toBe(true);
  });

  it("reads a hint with the button", () => {
    const hint = document.createElement("p");
    hint.id = "names-hint";
    hint.textContent = "Each file is named after its holder.";
    document.body.appendChild(hint);
    try {
      render(FilePicker, { label: "Photos", describedby: "names-hint" });
      const ids = screen.getByRole("button").getAttribute("aria-describedby")?.split(" ") ?? [];
      expect(ids[0]).toBe("names-hint");
      expect(ids).toHaveLength(2);
    } finally {
      hint.remove();
    }
  });
});
