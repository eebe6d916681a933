import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import InactivityTab from "./InactivityTab.svelte";
import { badgeRow, unexpected } from "./fixtures";
import { dayOffset } from "../time/testing";

function inactive(number: string) {
  return {
    ...badgeRow(number),
    lastSeenAt: null,
    lastDoor: null,
    unusedSince: `${dayOffset(-204)}T00:00:00Z`,
    daysUnused: 204,
    thresholdDays: 90,
  };
}

describe("InactivityTab", () => {
  it("checks the usage log, imports it on confirmation, then deactivates the reviewed badges with a reason", async () => {
    const calls: { cmd: string; args: Record<string, unknown> }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args: args as Record<string, unknown> });
      switch (cmd) {
        case "inactive_badges":
          return [inactive("B000101"), inactive("B000102")];
        case "import_usage_log": {
          const { dryRun } = (args as { input: { dryRun: boolean } }).input;
          return {
            encoding: "utf-8",
            delimiter: ";",
            rowsRead: 3,
            accepted: 2,
            badgesUpdated: dryRun ? 0 : 2,
            latestSeenAt: `${dayOffset(-1)}T08:00:00Z`,
            refused: [{ row: 3, line: 4, column: "badge", code: "store.not_found", message: "no badge X1" }],
            dryRun,
          };
        }
        case "deactivate_unused_badges":
          return { changed: [badgeRow("B000102", { status: "deactivated" })], skipped: [] };
        default:
          return unexpected(cmd);
      }
    });
    render(InactivityTab);
    const file = new File(["badge;horodatage;porte\nB000101;2026-11-20 08:00;Hall\n"], "passages.csv", {
      type: "text/csv",
    });
    await fireEvent.change(screen.getByTestId("usage-file"), { target: { files: [file] } });
    expect((await screen.findByTestId("usage-summary")).textContent).toContain("2 ligne(s) valide(s) sur 3");
    // The refused row by its line, the column and the reason in French (the backend's
    // English detail stays off a French screen).
    const refused = screen.getByTestId("usage-refused").textContent ?? "";
    expect(refused).toContain("4");
    expect(refused).toContain("Badge");
    expect(refused).not.toContain("no badge X1");
    const check = calls.find((c) => c.cmd === "import_usage_log");
    expect((check?.args.input as { content: string }).content.length).toBeGreaterThan(0);
    await fireEvent.click(screen.getByTestId("usage-confirm"));
    await waitFor(() => expect(screen.getByTestId("usage-summary").textContent).toContain("2 badge(s) mis à jour"));

    await fireEvent.click(await screen.findByTestId("inactivity-select-B000102"));
    await fireEvent.input(screen.getByTestId("inactivity-reason"), { target: { value: "Départ non signalé" } });
    await fireEvent.click(screen.getByTestId("inactivity-deactivate"));
    // First click only asks for review: nothing deactivated yet.
    expect((await screen.findByTestId("inactivity-review")).textContent).toContain("1 badge(s)");
    expect(calls.some((c) => c.cmd === "deactivate_unused_badges")).toBe(false);
    await fireEvent.click(screen.getByTestId("inactivity-confirm"));
    expect((await screen.findByTestId("deactivation-outcome")).textContent).toContain("1 badge(s) désactivé(s)");
    expect(calls.find((c) => c.cmd === "deactivate_unused_badges")?.args).toEqual({
      input: {
        badges: [{ id: badgeRow("B000102").badge.id, version: 3 }],
        badgeNumbers: [],
        reason: "Départ non signalé",
        days: null,
      },
    });
  });
});
