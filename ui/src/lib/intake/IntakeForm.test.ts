import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import IntakeForm from "./IntakeForm.svelte";
import { officePolicy } from "../settings/fixtures";

const policy = officePolicy({ allowedEmailDomains: ["univ.example.fr"] });

const created = { request: { id: "0190a0b0-0000-7000-8000-000000000009", version: 1 } };

function backend(calls: { cmd: string; args: unknown }[]) {
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    switch (cmd) {
      case "get_policy":
        return policy;
      case "create_request":
        return created;
      case "transition_request":
        return { ...created, request: { ...created.request, version: 2 } };
      case "add_request_document":
        return created;
      case "intake_draft":
        return null;
      case "save_intake_draft":
        return null;
      default:
        throw { code: "test.unexpected", message: cmd };
    }
  });
}

describe("IntakeForm", () => {
  it("names a refused e-mail domain in place as soon as the field is left", async () => {
    backend([]);
    render(IntakeForm, { props: { onsaved: () => {}, oncancel: () => {} } });
    await waitFor(() => expect(screen.getByRole("option", { name: "Personnel" })).toBeTruthy());
    const email = screen.getByLabelText("E-mail");
    await fireEvent.input(email, { target: { value: "zoe@gmail.com" } });
    await fireEvent.blur(email);
    expect((await screen.findByTestId("email-problem")).textContent).toContain("univ.example.fr");
  });

  it("proposes a day pass below the category's presence and switches to it", async () => {
    backend([]);
    render(IntakeForm, { props: { onsaved: () => {}, oncancel: () => {} } });
    await waitFor(() => expect(screen.getByRole("option", { name: "Personnel" })).toBeTruthy());
    await fireEvent.input(screen.getByLabelText("Jours de présence par semaine"), { target: { value: "1" } });
    await fireEvent.click(await screen.findByTestId("use-day-pass"));
    expect(screen.getByLabelText("Premier jour *")).toBeTruthy();
  });

  it("saves the request, then its consent and its ID scans, and keeps nothing as draft", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    backend(calls);
    const saved: (string | null)[] = [];
    render(IntakeForm, { props: { onsaved: (_n: string, id: string | null) => saved.push(id), oncancel: () => {} } });
    await waitFor(() => expect(screen.getByRole("option", { name: "Personnel" })).toBeTruthy());
    await fireEvent.input(screen.getByLabelText("Nom *"), { target: { value: "Durand" } });
    await fireEvent.input(screen.getByLabelText("Prénom(s) *"), { target: { value: "Zoé" } });
    await fireEvent.click(screen.getByTestId("consent"));
    const scan = new File([new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d])], "recto.pdf", { type: "application/pdf" });
    await fireEvent.change(screen.getByTestId("doc-front-input"), { target: { files: [scan] } });
    expect((await screen.findByTestId("doc-front-state")).textContent).toContain("recto.pdf");
    await fireEvent.click(screen.getByTestId("intake-submit"));
    await waitFor(() => expect(saved).toEqual([created.request.id]));
    expect(calls.map((c) => c.cmd).filter((c) => !c.includes("intake_draft"))).toEqual([
      "get_policy",
      "create_request",
      "transition_request",
      "add_request_document",
    ]);
    const doc = calls.find((c) => c.cmd === "add_request_document")?.args as {
      input: { kind: string; data: string };
    };
    expect(doc.input.kind).toBe("id_document_front");
    expect(atob(doc.input.data)).toBe("%PDF-");
    // The draft is forgotten by the backend once saved, and never kept in the webview.
    const drafts = calls.filter((c) => c.cmd === "save_intake_draft");
    expect(drafts.at(-1)?.args).toEqual({ draft: null });
    expect(localStorage.getItem("sesame.intake.draft")).toBeNull();
  });

  it("brings back the draft the backend kept, and sends typing there, not to the webview", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "get_policy") return policy;
      if (cmd === "intake_draft") return JSON.stringify({ familyName: "Gérard", givenNames: "Lou" });
      if (cmd === "save_intake_draft") return null;
      throw { code: "test.unexpected", message: cmd };
    });
    localStorage.setItem("sesame.intake.draft", JSON.stringify({ familyName: "Ancien" }));
    render(IntakeForm, { props: { onsaved: () => {}, oncancel: () => {} } });
    await waitFor(() => expect((screen.getByLabelText("Nom *") as HTMLInputElement).value).toBe("Gérard"));
    expect(localStorage.getItem("sesame.intake.draft")).toBeNull();
    await fireEvent.input(screen.getByLabelText("Prénom(s) *"), { target: { value: "Louise" } });
    await waitFor(() => {
      const saved = calls.filter((c) => c.cmd === "save_intake_draft").at(-1)?.args as { draft: string } | undefined;
      expect(saved && JSON.parse(saved.draft).givenNames).toBe("Louise");
    });
  });

  it("refuses a scan that is neither JPEG nor PDF before sending it", async () => {
    backend([]);
    render(IntakeForm, { props: { onsaved: () => {}, oncancel: () => {} } });
    const exe = new File([new Uint8Array([0x4d, 0x5a])], "virus.exe", { type: "application/x-msdownload" });
    await fireEvent.change(screen.getByTestId("doc-back-input"), { target: { files: [exe] } });
    expect((await screen.findByRole("alert")).textContent).toContain("JPEG");
  });
});
