import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import IntakeForm from "./IntakeForm.svelte";
import { officePolicy } from "../settings/fixtures";
import { setLocale } from "../i18n/index.svelte";
import type { DirectoryPerson } from "../ipc/generated/DirectoryPerson";

const policy = officePolicy({ allowedEmailDomains: ["univ.example.fr"] });

const created = { request: { id: "0190a0b0-0000-7000-8000-000000000009", version: 1 } };

function backend(
  calls: { cmd: string; args: unknown }[],
  overrides: Record<string, (args: Record<string, unknown>) => unknown> = {},
) {
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd in overrides) return overrides[cmd](args as Record<string, unknown>);
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
    // (Whether the office uses a directory is asked too: this backend has none.)
    expect(calls.map((c) => c.cmd).filter((c) => !c.includes("intake_draft") && c !== "directory_available")).toEqual([
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

  it("shows a person on the refused visitors' list refused, translated, with the draft kept", async () => {
    const saved: unknown[] = [];
    backend([], {
      create_request: () => {
        throw {
          code: "visit.refused_visitor",
          message: "Zoé Durand is on the refused visitors' list (badges volés): no badge without a supervisor lifting it",
        };
      },
    });
    render(IntakeForm, { props: { onsaved: () => saved.push(true), oncancel: () => {} } });
    await waitFor(() => expect(screen.getByRole("option", { name: "Personnel" })).toBeTruthy());
    await fireEvent.input(screen.getByLabelText("Nom *"), { target: { value: "Durand" } });
    await fireEvent.input(screen.getByLabelText("Prénom(s) *"), { target: { value: "Zoé" } });
    await fireEvent.click(screen.getByTestId("intake-submit"));
    const banner = await screen.findByTestId("error-banner");
    expect(banner.dataset.code).toBe("visit.refused_visitor");
    expect(banner.textContent).toContain("Cette personne figure sur la liste des visiteurs refusés");
    expect(banner.textContent).toContain("badges volés");
    expect(saved).toEqual([]);
    expect((screen.getByLabelText("Nom *") as HTMLInputElement).value).toBe("Durand");
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

  describe("with the office's directory", () => {
    const visitor = { ...policy.categories[0], key: "visitor", labelFr: "Visiteur", labelEn: "Visitor" };
    const twoCategories = { ...policy, categories: [...policy.categories, visitor] };
    const ZOE: DirectoryPerson = {
      dn: "uid=zdupont,ou=people,dc=univ,dc=example",
      login: "zdupont",
      familyName: "Dupont",
      givenNames: "Zoé",
      email: "zoe.dupont@univ.example.fr",
      unit: "Chimie",
      externalId: "E1234",
      category: "visitor",
      disabled: false,
    };
    const PAUL: DirectoryPerson = {
      dn: "uid=pdurand,ou=people,dc=univ,dc=example",
      login: "pdurand",
      familyName: "Durand",
      givenNames: "Paul",
      email: null,
      unit: null,
      externalId: null,
      category: "alumni",
      disabled: true,
    };
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const value = (label: string) => (screen.getByLabelText(label) as HTMLInputElement).value;

    it("searches once typing pauses and fills the holder's details from the person picked", async () => {
      const calls: { cmd: string; args: unknown }[] = [];
      backend(calls, {
        get_policy: () => twoCategories,
        directory_available: () => true,
        search_directory: () => [ZOE, PAUL],
      });
      render(IntakeForm, { props: { onsaved: () => {}, oncancel: () => {} } });
      await waitFor(() => expect(screen.getByRole("option", { name: "Visiteur" })).toBeTruthy());
      const search = await screen.findByLabelText("Chercher dans l’annuaire");
      expect(search).toBe(screen.getByTestId("directory-search"));
      const searches = () => calls.filter((c) => c.cmd === "search_directory");

      // One character is not enough to ask.
      await fireEvent.input(search, { target: { value: "d" } });
      await pause(400);
      expect(searches()).toHaveLength(0);
      // Typing on: only the text once typing pauses is asked.
      await fireEvent.input(search, { target: { value: "du" } });
      await fireEvent.input(search, { target: { value: "dup" } });
      const results = await screen.findAllByTestId("directory-result");
      expect(searches().map((c) => c.args)).toEqual([{ text: "dup" }]);
      expect(results).toHaveLength(2);
      expect(results[0].textContent).toContain("Zoé Dupont");
      expect(results[0].textContent).toContain("Chimie");
      expect(results[0].textContent).toContain("zoe.dupont@univ.example.fr");
      expect(results[0].textContent).toContain("Visiteur");
      expect(results[0].textContent).not.toContain("désactivé");
      expect(results[1].textContent).toContain("désactivé");

      // Enter searches at once: it does not save the request around the field.
      expect(await fireEvent.keyDown(search, { key: "Enter" })).toBe(false);
      expect(calls.some((c) => c.cmd === "create_request")).toBe(false);

      await fireEvent.click((await screen.findAllByTestId("directory-result"))[0]);
      expect(value("Nom *")).toBe("Dupont");
      expect(value("Prénom(s) *")).toBe("Zoé");
      expect(value("E-mail")).toBe("zoe.dupont@univ.example.fr");
      expect(value("Service / unité")).toBe("Chimie");
      expect(value("Matricule (RH)")).toBe("E1234");
      expect((screen.getByLabelText("Catégorie") as HTMLSelectElement).value).toBe("visitor");
      expect(screen.getByTestId("directory-picked").textContent).toContain("Zoé Dupont");
      expect(screen.queryAllByTestId("directory-result")).toHaveLength(0);
      expect((screen.getByTestId("directory-search") as HTMLInputElement).value).toBe("");

      // A category the form does not offer leaves the choice; a missing e-mail empties the field.
      await fireEvent.input(search, { target: { value: "durand" } });
      await fireEvent.click((await screen.findAllByTestId("directory-result"))[1]);
      expect(value("Nom *")).toBe("Durand");
      expect(value("E-mail")).toBe("");
      expect((screen.getByLabelText("Catégorie") as HTMLSelectElement).value).toBe("visitor");
      expect(screen.getByTestId("directory-picked").textContent).toContain("désactivé dans l’annuaire");

      // Escape empties the search first (the queue closes the form on the next one).
      await fireEvent.input(search, { target: { value: "dup" } });
      await screen.findAllByTestId("directory-result");
      expect(await fireEvent.keyDown(search, { key: "Escape" })).toBe(false);
      expect(screen.queryAllByTestId("directory-result")).toHaveLength(0);
      expect((search as HTMLInputElement).value).toBe("");
      expect(await fireEvent.keyDown(search, { key: "Escape" })).toBe(true);
    });

    for (const locale of ["fr", "en"] as const) {
      it(`says in place that the directory does not answer, and the form still works, in ${locale}`, async () => {
        setLocale(locale);
        const calls: { cmd: string; args: unknown }[] = [];
        backend(calls, {
          directory_available: () => true,
          search_directory: () => {
            throw { code: "directory.unreachable", message: "the directory server ldap.univ.example.fr:389 cannot be reached" };
          },
        });
        const saved: (string | null)[] = [];
        render(IntakeForm, { props: { onsaved: (_n: string, id: string | null) => saved.push(id), oncancel: () => {} } });
        await fireEvent.input(await screen.findByTestId("directory-search"), { target: { value: "dupont" } });
        const problem = await screen.findByTestId("directory-search-error");
        expect(problem.textContent).toContain(
          locale === "fr" ? "L’annuaire ne répond pas (serveur injoignable)" : "The directory does not answer (server unreachable)",
        );
        expect(problem.dataset.code).toBe("directory.unreachable");
        expect(screen.queryByTestId("error-banner")).toBeNull();
        await fireEvent.input(screen.getByLabelText(locale === "fr" ? "Nom *" : "Family name *"), { target: { value: "Dupont" } });
        await fireEvent.input(screen.getByLabelText(locale === "fr" ? "Prénom(s) *" : "Given name(s) *"), {
          target: { value: "Zoé" },
        });
        await fireEvent.click(screen.getByTestId("intake-submit"));
        await waitFor(() => expect(saved).toEqual([created.request.id]));
        setLocale("fr");
      });
    }

    it("shows no search when the office has no directory, or when asking fails", async () => {
      backend([], { directory_available: () => false });
      const first = render(IntakeForm, { props: { onsaved: () => {}, oncancel: () => {} } });
      await waitFor(() => expect(screen.getByRole("option", { name: "Personnel" })).toBeTruthy());
      expect(screen.queryByTestId("directory-search")).toBeNull();
      first.unmount();

      const calls: { cmd: string; args: unknown }[] = [];
      backend(calls, {
        directory_available: () => {
          throw { code: "store.busy", message: "database is locked" };
        },
      });
      render(IntakeForm, { props: { onsaved: () => {}, oncancel: () => {} } });
      await waitFor(() => expect(calls.some((c) => c.cmd === "directory_available")).toBe(true));
      await waitFor(() => expect(screen.getByRole("option", { name: "Personnel" })).toBeTruthy());
      expect(screen.queryByTestId("directory-search")).toBeNull();
      expect(screen.queryByTestId("error-banner")).toBeNull();
    });
  });
});
