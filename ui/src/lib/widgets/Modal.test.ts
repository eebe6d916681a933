import { describe, expect, it, vi } from "vitest";
import { createRawSnippet } from "svelte";
import { fireEvent, render, screen } from "@testing-library/svelte";
import Modal from "./Modal.svelte";

/** A form in the dialog: a reason field (focused first) and two buttons. */
const form = createRawSnippet(() => ({
  render: () => `<form>
    <p id="what">Cannot be undone.</p>
    <input data-testid="reason" data-autofocus />
    <button type="button" data-testid="cancel">Cancel</button>
    <button type="button" data-testid="confirm">Confirm</button>
  </form>`,
}));
const text = createRawSnippet(() => ({ render: () => "<p>Nothing to press.</p>" }));

function opener(): HTMLButtonElement {
  const button = document.createElement("button");
  button.textContent = "Open";
  document.body.appendChild(button);
  button.focus();
  return button;
}

describe("Modal", () => {
  it("is a modal dialog labelled by its title", () => {
    render(Modal, { title: "Erase the holder", testid: "dialog", children: form });
    const dialog = screen.getByRole("dialog", { name: "Erase the holder" });
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    expect(dialog.dataset.testid).toBe("dialog");
  });

  it("is an alert dialog described by its text when asked", () => {
    render(Modal, { title: "Purge", alert: true, describedby: "what", children: form });
    const dialog = screen.getByRole("alertdialog", { name: "Purge" });
    expect(dialog.getAttribute("aria-describedby")).toBe("what");
  });

  it("moves the focus in, to the field marked data-autofocus or else the dialog itself", () => {
    const first = render(Modal, { title: "With a field", children: form });
    expect(document.activeElement).toBe(screen.getByTestId("reason"));
    first.unmount();
    render(Modal, { title: "Without", children: text });
    expect(document.activeElement).toBe(screen.getByRole("dialog"));
  });

  it("keeps Tab and Shift+Tab inside the dialog", async () => {
    render(Modal, { title: "Trap", children: form });
    const dialog = screen.getByRole("dialog");
    screen.getByTestId("confirm").focus();
    await fireEvent.keyDown(dialog, { key: "Tab" });
    expect(document.activeElement).toBe(screen.getByTestId("reason"));
    await fireEvent.keyDown(dialog, { key: "Tab", shiftKey: true });
    expect(document.activeElement).toBe(screen.getByTestId("confirm"));
  });

  it("brings the focus back when it wanders to the page behind", async () => {
    const outside = opener();
    render(Modal, { title: "Trap", children: form });
    outside.focus();
    expect(document.activeElement).toBe(screen.getByTestId("reason"));
    outside.remove();
  });

  it("closes with Escape when it may, and gives the focus back to where it was", async () => {
    const button = opener();
    const onclose = vi.fn();
    const { unmount } = render(Modal, { title: "Close me", onclose, children: form });
    expect(document.activeElement).toBe(screen.getByTestId("reason"));
    const escape = new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true });
    screen.getByTestId("reason").dispatchEvent(escape);
    expect(onclose).toHaveBeenCalledOnce();
    expect(escape.defaultPrevented).toBe(true);
    unmount();
    expect(document.activeElement).toBe(button);
    button.remove();
  });

  it("ignores Escape without onclose, and lets the caller's key handler go first", async () => {
    render(Modal, { title: "Stay", children: form });
    const escape = new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true });
    screen.getByRole("dialog").dispatchEvent(escape);
    expect(escape.defaultPrevented).toBe(false);

    const onclose = vi.fn();
    const seen: string[] = [];
    render(Modal, {
      title: "Own keys",
      onclose,
      onkeydown: (event: KeyboardEvent) => {
        seen.push(event.key);
        event.preventDefault();
      },
      children: text,
    });
    await fireEvent.keyDown(screen.getByRole("dialog", { name: "Own keys" }), { key: "Escape" });
    expect(seen).toEqual(["Escape"]);
    expect(onclose).not.toHaveBeenCalled();
  });
});
