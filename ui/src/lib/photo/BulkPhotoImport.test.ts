import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import BulkPhotoImport from "./BulkPhotoImport.svelte";

type Call = { cmd: string; args: Record<string, unknown> };

const photoFile = (name: string) => new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])], name, { type: "image/jpeg" });

/** What the backend answers for one photo: a report line. */
function line(fileName: string, outcome: string, extra: Record<string, unknown> = {}) {
  return { fileName, key: fileName.replace(/\.jpg$/, ""), outcome, requestId: null, holder: null, code: null, checks: [], ...extra };
}

/** A call the test lets finish when it wants (a slow photo). */
function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("BulkPhotoImport", () => {
  it("imports one photo at a time with its progress, stops between two photos, resumes, and reports each", async () => {
    const calls: Call[] = [];
    const slow = deferred<unknown>();
    const answers: (() => unknown)[] = [
      () => line("A1.jpg", "saved", { holder: "DUPONT Zoé", requestId: "r1" }),
      () => slow.promise,
      () => line("A3.jpg", "refused", { code: "photo.no_open_request" }),
    ];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args: args as Record<string, unknown> });
      if (cmd === "plan_photo_import") {
        const names = (args as { input: { fileNames: string[] } }).input.fileNames;
        return { photos: names.map((fileName) => ({ fileName, key: fileName.replace(/\.jpg$/, "") })), refusedRows: [], missingFiles: [], unlistedFiles: [] };
      }
      if (cmd === "import_request_photo") return answers.shift()!();
      throw { code: "test.unexpected", message: cmd };
    });
    const onimported = vi.fn();
    render(BulkPhotoImport, { onclose: () => {}, onimported });

    await fireEvent.change(screen.getByTestId("photo-import-files"), {
      target: { files: [photoFile("A1.jpg"), photoFile("A2.jpg"), photoFile("A3.jpg")] },
    });
    expect((await screen.findByTestId("photo-import-plan-count")).textContent).toBe("3 photo(s) à importer.");
    expect(calls.find((c) => c.cmd === "plan_photo_import")?.args).toEqual({
      input: { key: "hr_id", list: null, fileNames: ["A1.jpg", "A2.jpg", "A3.jpg"] },
    });

    await fireEvent.click(screen.getByTestId("photo-import-start"));
    // The second photo is being checked: one done out of three, and a Stop.
    await waitFor(() => expect(calls.filter((c) => c.cmd === "import_request_photo")).toHaveLength(2));
    expect(screen.getByTestId("photo-import-progress-text").textContent?.trim()).toMatch(/^1 \/ 3 · \d+ s$/);
    expect((screen.getByTestId("photo-import-progress") as HTMLProgressElement).value).toBe(1);
    expect(screen.getByText("En cours : A2.jpg")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("photo-import-stop"));
    expect(screen.getByText("Arrêt après la photo en cours…")).toBeTruthy();
    slow.resolve(line("A2.jpg", "needs_desk", { holder: "MARTIN Léo", code: "photo.override_reason_required", checks: ["head_covering"] }));

    // Stopped after that photo: the third was never sent.
    expect((await screen.findByTestId("photo-import-stopped")).textContent).toContain("1 photo(s) non traitée(s)");
    expect(calls.filter((c) => c.cmd === "import_request_photo")).toHaveLength(2);
    expect(onimported).toHaveBeenCalledOnce(); // one photo was saved: the queue reloads

    const sent = calls.filter((c) => c.cmd === "import_request_photo").map((c) => c.args.input as Record<string, unknown>);
    expect(sent[0]).toMatchObject({ fileName: "A1.jpg", key: "A1", keyKind: "hr_id", dryRun: false });
    expect(String(sent[0].image).startsWith("data:image/jpeg;base64,")).toBe(true);

    await fireEvent.click(screen.getByTestId("photo-import-resume"));
    expect(await screen.findByTestId("photo-import-finished")).toBeTruthy();
    expect(calls.filter((c) => c.cmd === "import_request_photo").map((c) => (c.args.input as { fileName: string }).fileName))
      .toEqual(["A1.jpg", "A2.jpg", "A3.jpg"]);

    const rows = within(screen.getByTestId("photo-import-report")).getAllByRole("row").slice(1);
    expect(rows.map((r) => r.dataset.outcome)).toEqual(["saved", "needs_desk", "refused"]);
    expect(rows[0].textContent).toContain("DUPONT Zoé");
    expect(rows[0].textContent).toContain("Enregistrée");
    expect(rows[1].textContent).toContain("À traiter au poste photo");
    expect(rows[1].textContent).toContain("indiquez le motif de la dérogation");
    expect(rows[1].textContent).toContain("Contrôles : Couvre-chef");
    expect(rows[2].textContent).toContain("A3 (non trouvé)");
    expect(rows[2].textContent).toContain("Aucune demande en cours pour ce titulaire");
    const counts = screen.getByTestId("photo-import-counts");
    expect([...counts.querySelectorAll("[data-outcome]")].map((c) => c.textContent)).toEqual([
      "Enregistrée : 1", "À traiter au poste photo : 1", "Refusée : 1",
    ]);
    expect(onimported).toHaveBeenCalledOnce(); // nothing more saved
  });

  it("plans from a list, shows what does not add up, and checks in a dry run without saving", async () => {
    const calls: Call[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args: args as Record<string, unknown> });
      if (cmd === "plan_photo_import") {
        return {
          photos: [{ fileName: "zoe.jpg", key: "zoe.dupont@univ.fr" }],
          refusedRows: [{ row: 2, line: 3, column: "email", code: "import.missing_value", message: "the email column is empty" }],
          missingFiles: ["leo.jpg"],
          unlistedFiles: ["holiday.jpg"],
        };
      }
      if (cmd === "import_request_photo") return line("zoe.jpg", "accepted", { holder: "DUPONT Zoé" });
      throw { code: "test.unexpected", message: cmd };
    });
    const onimported = vi.fn();
    render(BulkPhotoImport, { onclose: () => {}, onimported });

    await fireEvent.change(screen.getByTestId("photo-import-key"), { target: { value: "email" } });
    const list = new File(["email;file\nzoe.dupont@univ.fr;zoe.jpg\n"], "photos.csv", { type: "text/csv" });
    await fireEvent.change(screen.getByTestId("photo-import-list"), { target: { files: [list] } });
    await fireEvent.change(screen.getByTestId("photo-import-files"), {
      target: { files: [photoFile("zoe.jpg"), photoFile("holiday.jpg")] },
    });
    await screen.findByTestId("photo-import-plan");
    const plan = calls.filter((c) => c.cmd === "plan_photo_import").at(-1)!.args.input as Record<string, unknown>;
    expect(plan.key).toBe("email");
    expect(atob(plan.list as string)).toBe("email;file\nzoe.dupont@univ.fr;zoe.jpg\n");
    expect(plan.fileNames).toEqual(["zoe.jpg", "holiday.jpg"]);
    expect(screen.getByTestId("photo-import-missing").textContent).toContain("leo.jpg");
    expect(screen.getByTestId("photo-import-unlisted").textContent).toContain("holiday.jpg");
    expect(screen.getByTestId("photo-import-refused").textContent).toContain("Valeur manquante dans une colonne obligatoire.");

    await fireEvent.click(screen.getByTestId("photo-import-dry-run"));
    expect(screen.getByTestId("photo-import-start").textContent).toContain("Vérifier 1 photo(s)");
    await fireEvent.click(screen.getByTestId("photo-import-start"));
    expect((await screen.findByTestId("photo-import-finished")).textContent).toContain("rien n’a été enregistré");
    expect(calls.find((c) => c.cmd === "import_request_photo")?.args.input).toMatchObject({
      keyKind: "email", key: "zoe.dupont@univ.fr", dryRun: true,
    });
    expect(screen.getByTestId("photo-import-report").textContent).toContain("Acceptée (essai, rien d’enregistré)");
    expect(onimported).not.toHaveBeenCalled();
  });

  it("stops on a failure of the import itself, keeps the report so far, and resumes from there", async () => {
    const calls: Call[] = [];
    let failing = true;
    mockIPC((cmd, args) => {
      calls.push({ cmd, args: args as Record<string, unknown> });
      if (cmd === "plan_photo_import") {
        return { photos: [{ fileName: "A1.jpg", key: "A1" }, { fileName: "A2.jpg", key: "A2" }], refusedRows: [], missingFiles: [], unlistedFiles: [] };
      }
      if (cmd === "import_request_photo") {
        const input = (args as { input: { fileName: string } }).input;
        if (input.fileName === "A2.jpg" && failing) throw { code: "store.busy", message: "database is locked" };
        return line(input.fileName, "saved", { holder: "X" });
      }
      throw { code: "test.unexpected", message: cmd };
    });
    render(BulkPhotoImport, { onclose: () => {}, onimported: () => {} });
    await fireEvent.change(screen.getByTestId("photo-import-files"), { target: { files: [photoFile("A1.jpg"), photoFile("A2.jpg")] } });
    await fireEvent.click(await screen.findByTestId("photo-import-start"));
    expect((await screen.findByTestId("error-banner")).dataset.code).toBe("store.busy");
    expect(await screen.findByTestId("photo-import-stopped")).toBeTruthy();
    failing = false;
    await fireEvent.click(screen.getByTestId("photo-import-resume"));
    await screen.findByTestId("photo-import-finished");
    expect(within(screen.getByTestId("photo-import-report")).getAllByRole("row")).toHaveLength(3);
    expect(calls.filter((c) => c.cmd === "import_request_photo").map((c) => (c.args.input as { fileName: string }).fileName))
      .toEqual(["A1.jpg", "A2.jpg", "A2.jpg"]);
  });
});
