import { describe, expect, it } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import CsvImport from "./CsvImport.svelte";

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
});
