import { describe, expect, it } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import RetentionPurge from "./RetentionPurge.svelte";

const retention = { idDocumentDaysAfterPrint: 30, holderMonthsAfterBadgeEnd: 12, closedRequestDays: 90, outputFilesDays: 30 };
const outputFiles = { folder: "/home/desk/Documents/Sésame", files: 4, bytes: 5120, partFiles: 1, partBytes: 100, notDeleted: [] };
const plan = {
  today: "2026-11-21",
  policy: retention,
  idDocuments: [{ attachmentId: "a1", requestId: "r1", printedOn: "2026-10-01" }],
  holders: [{ holderId: "h1", lastBadgeEndedOn: "2025-09-30" }],
  closedRequests: [],
  outputFiles,
};

describe("RetentionPurge", () => {
  it("purges only after a dry run and a confirmation, and reports what was done", async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === "get_policy") return { categories: [], badgeNumberFormat: { template: "B{seq:6}" }, lockAfterMinutes: 0, retention };
      if (cmd === "retention_plan") return plan;
      if (cmd === "retention_purge") {
        return { plan, idDocumentsDeleted: 1, holdersAnonymised: 1, requestsPurged: 0, attachmentsDeleted: 3,
          auditEntriesRedacted: 7, failures: [], outputFiles };
      }
      throw { code: "test.unexpected", message: cmd };
    });
    render(RetentionPurge);
    expect(((await screen.findByTestId("retention-idDocumentDaysAfterPrint")) as HTMLInputElement).value).toBe("30");
    expect((screen.getByTestId("purge-open") as HTMLButtonElement).disabled).toBe(true);

    await fireEvent.click(screen.getByTestId("purge-dry-run"));
    expect((await screen.findByTestId("purge-plan-documents")).textContent).toContain("1 pièce");
    expect(screen.getByTestId("purge-plan-output-files").textContent).toContain("4 fichier(s) du dossier de sortie de ce poste (5 ko)");
    expect(screen.getByTestId("retention-outputFilesDays")).toBeTruthy();
    expect(calls).not.toContain("retention_purge");

    await fireEvent.click(screen.getByTestId("purge-open"));
    await fireEvent.click(await screen.findByTestId("purge-cancel"));
    expect(screen.queryByTestId("purge-confirm")).toBeNull();
    expect(calls).not.toContain("retention_purge");

    await fireEvent.click(screen.getByTestId("purge-open"));
    await fireEvent.click(await screen.findByTestId("purge-confirm-submit"));
    expect((await screen.findByTestId("purge-report")).textContent).toContain("3 fichier(s) supprimé(s)");
    expect(screen.getByTestId("purge-report-output-files").textContent).toContain("4 fichier(s) (5 ko) et 1 fichier(s) inachevé(s)");
    expect(calls.filter((c) => c === "retention_purge")).toHaveLength(1);
  });
});
