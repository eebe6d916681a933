import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import CsvImport from "./CsvImport.svelte";
import TaskProgress from "../widgets/TaskProgress.svelte";

const report = (dryRun: boolean) => ({
  encoding: "windows-1252",
  delimiter: ";",
  rowsRead: 3,
  accepted: 2,
  created: dryRun ? [] : ["a", "b"],
  refused: [{ row: 3, line: 4, column: "mission_end", code: "import.invalid_date", message: "31/02/2026" }],
  dryRun,
});

describe("CsvImport", () => {
  it("checks the file first, shows refused rows translated, then imports on confirmation", async () => {
    const calls: { dryRun: boolean; content: string }[] = [];
    mockIPC((cmd, args) => {
      if (cmd !== "import_requests_csv") throw { code: "test.unexpected", message: cmd };
      const input = (args as { input: { dryRun: boolean; content: string } }).input;
      calls.push(input);
      return report(input.dryRun);
    });
    let imported = 0;
    render(CsvImport, { onimported: () => imported++, onclose: () => {} });

    const file = new File(["nom;prénom\nZoé;Ana\n"], "rh.csv", { type: "text/csv" });
    await fireEvent.change(screen.getByTestId("csv-file"), { target: { files: [file] } });

    expect((await screen.findByTestId("csv-summary")).textContent).toContain("rien n’est enregistré");
    expect(calls[0].dryRun).toBe(true);
    expect(atob(calls[0].content)).toContain("Zo");
    expect(screen.getByTestId("csv-refused").textContent).toContain("Date invalide");
    expect(imported).toBe(0);

    await fireEvent.click(screen.getByTestId("csv-confirm"));
    expect((await screen.findByText(/2 demandes importées/)).textContent).toContain("1 lignes refusées");
    expect(calls[1].dryRun).toBe(false);
    expect(imported).toBe(1);
  });

  it("shows the import's progress as a bar, not the figures of a check still running", async () => {
    let finish: (value: unknown) => void = () => {};
    let asked = 0;
    mockIPC((cmd, args) => {
      if (cmd === "csv_import_progress") {
        asked++;
        // A stopped check's figures for the first second, then the import's.
        const dryRun = asked <= 4;
        return { rowsRead: 8000, refused: 3, bytesRead: dryRun ? 900 : 400, bytesTotal: 1000, dryRun };
      }
      if (cmd !== "import_requests_csv") throw { code: "test.unexpected", message: cmd };
      const input = (args as { input: { dryRun: boolean } }).input;
      if (input.dryRun) return report(true);
      return new Promise((resolve) => (finish = resolve));
    });
    render(CsvImport, { onimported: () => {}, onclose: () => {} });
    render(TaskProgress);
    const file = new File(["nom;prénom\nZoé;Ana\n"], "rh.csv", { type: "text/csv" });
    await fireEvent.change(screen.getByTestId("csv-file"), { target: { files: [file] } });
    await screen.findByTestId("csv-summary");

    await fireEvent.click(screen.getByTestId("csv-confirm"));
    const bar = (await screen.findByTestId("task-progress-bar", {}, { timeout: 4000 })) as HTMLProgressElement;
    // Shown from the import's first figures: the check's 90 % never appeared.
    expect(bar.value).toBe(40);
    expect(screen.getByTestId("task-progress-detail").textContent).toBe("8000 lignes lues, 3 refusées");
    expect(asked).toBeGreaterThan(4);
    finish(report(false));
    expect(await screen.findByText(/2 demandes importées/)).toBeTruthy();
    await waitFor(() => expect(screen.queryByTestId("task-progress-bar")).toBeNull());
  });
});
