import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import { dayOffset } from "../time/testing";
import QueueScreen from "./QueueScreen.svelte";
import { typedDate } from "../forms/testing";

const row = {
  id: "0190a0b0-0000-7000-8000-000000000001",
  version: 1,
  kind: "new_badge",
  status: "ready_for_review",
  holderId: "0190a0b0-0000-7000-8000-0000000000aa",
  familyName: "Żółć",
  givenNames: "Łukasz",
  email: "lukasz@example.org",
  organisation: null,
  unit: null,
  category: "staff",
  externalId: null,
  zones: [],
  submittedOn: dayOffset(-2),
  missionEnd: null,
  badgeNumber: null,
  badgeValidUntil: null,
  printClaimedBy: null,
  updatedAt: `${dayOffset(-2)}T10:00:00Z`,
};

function backend(calls: { cmd: string; args: unknown }[]) {
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    switch (cmd) {
      case "list_requests":
        return { rows: [row], nextCursor: null };
      case "queue_counts_filtered":
        return [{ status: "ready_for_review", count: 1 }];
      case "transition_many":
        return {
          done: [],
          refused: [{ id: row.id, code: "request.illegal_transition", message: "cannot approve from ready_for_review" }],
        };
      case "get_policy":
        return { categories: [{ key: "staff", labelFr: "Personnel", labelEn: "Staff" }] };
      default:
        throw { code: "test.unexpected", message: cmd };
    }
  });
}

describe("QueueScreen", () => {
  /**
   * A backend whose whole queue's counts come at once and whose search's counts only
   * when `answer` is called; `estimate` is its estimate of the search's counts.
   */
  function searchCountsHeld(estimate: unknown = null) {
    const held = { answer: (_counts: unknown) => {}, counted: 0 };
    mockIPC((cmd) => {
      switch (cmd) {
        case "list_requests":
          return { rows: [row], nextCursor: "after-the-first-row" };
        case "queue_counts_filtered":
          return held.counted++ === 0
            ? [{ status: "ready_for_review", count: 500 }]
            : new Promise((resolve) => (held.answer = resolve));
        case "queue_counts_estimate":
          // none for the whole queue (its counts are quick)
          return held.counted <= 1 ? null : estimate;
        case "get_policy":
          return { categories: [] };
        default:
          throw { code: "test.unexpected", message: cmd };
      }
    });
    return held;
  }

  it("shows the backend's estimate of a search's counts, marked, until the exact ones come", async () => {
    const held = searchCountsHeld([{ status: "ready_for_review", count: 200 }]);
    render(QueueScreen, { props: { onprint: () => {} } });
    const all = () => screen.getByTestId("count-all").textContent;
    await waitFor(() => expect(all()).toBe("500"));

    await fireEvent.input(screen.getByTestId("queue-search"), { target: { value: "m" } });
    await waitFor(() => expect(all()).toBe("≈ 200"));
    expect(screen.getByTestId("count-ready_for_review").textContent).toContain("≈ 200");
    expect(screen.getByRole("group", { name: "Filtrer par statut" }).title).toContain("Estimation");

    held.answer([{ status: "ready_for_review", count: 212 }]);
    await waitFor(() => expect(all()).toBe("212"));
    expect(screen.getByTestId("count-ready_for_review").textContent).not.toContain("≈");
  });

  it("shows the first rows of a search before its counts are in", async () => {
    const held = searchCountsHeld();
    render(QueueScreen, { props: { onprint: () => {} } });
    const rowCount = () => screen.getByTestId("queue-table").getAttribute("aria-rowcount");
    await waitFor(() => expect(rowCount()).toBe("501"));

    await fireEvent.input(screen.getByTestId("queue-search"), { target: { value: "zolc" } });
    // the search's rows are in while its counts are not; the previous query's
    // counts do not size the table of this one's rows
    await waitFor(() => expect(rowCount()).toBe("2"));
    expect(held.counted).toBe(2);
    expect(screen.getAllByText("Żółć").length).toBeGreaterThan(0);
    held.answer([{ status: "ready_for_review", count: 3 }]);
    await waitFor(() => expect(screen.getByTestId("count-all").textContent).toBe("3"));
    expect(rowCount()).toBe("4");
  });

  it("shows the rows and counts from the backend, in French", async () => {
    backend([]);
    render(QueueScreen, { props: { onprint: () => {} } });
    expect(await screen.findByText("Żółć")).toBeTruthy();
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("File des demandes");
    await waitFor(() => expect(screen.getByTestId("count-all").textContent).toBe("1"));
    expect(screen.getAllByText("À valider").length).toBeGreaterThan(0);
    expect((await screen.findAllByText("Personnel")).length).toBeGreaterThan(0);
  });

  it("sends the search to the backend and filters by status chip", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    backend(calls);
    render(QueueScreen, { props: { onprint: () => {} } });
    await screen.findByText("Żółć");

    await fireEvent.input(screen.getByTestId("queue-search"), { target: { value: "zolc" } });
    await waitFor(() => {
      const last = calls.filter((c) => c.cmd === "list_requests").at(-1);
      expect((last?.args as { query: { search: string } }).query.search).toBe("zolc");
    });

    await fireEvent.click(screen.getByTestId("count-approved"));
    await waitFor(() => {
      const last = calls.filter((c) => c.cmd === "list_requests").at(-1);
      expect((last?.args as { query: { statuses: string[] } }).query.statuses).toEqual(["approved"]);
    });
  });

  it("shows a backend error by its translated code", async () => {
    mockIPC(() => {
      throw { code: "store.busy", message: "database is locked" };
    });
    render(QueueScreen, { props: { onprint: () => {} } });
    const banner = await screen.findByTestId("error-banner");
    expect(banner.dataset.code).toBe("store.busy");
    expect(banner.textContent).toContain("La base est occupée");
  });

  it("opens the intake form with N, but not with Ctrl+N nor under a dialog", async () => {
    backend([]);
    render(QueueScreen, { props: { onprint: () => {} } });
    await screen.findByText("Żółć");

    await fireEvent.keyDown(window, { key: "n", ctrlKey: true });
    expect(screen.queryByTestId("intake-form")).toBeNull();

    const dialog = document.createElement("div");
    dialog.setAttribute("aria-modal", "true");
    document.body.appendChild(dialog);
    await fireEvent.keyDown(window, { key: "n" });
    expect(screen.queryByTestId("intake-form")).toBeNull();
    dialog.remove();

    await fireEvent.keyDown(window, { key: "n" });
    expect(await screen.findByTestId("intake-form")).toBeTruthy();
  });

  it("opens the bulk photo import with its button or F", async () => {
    backend([]);
    render(QueueScreen, { props: { onprint: () => {} } });
    await screen.findByText("Żółć");
    const button = screen.getByTestId("photo-import-open");
    expect(button.textContent).toContain("Importer des photos");
    expect(button.getAttribute("aria-keyshortcuts")).toBe("F");
    await fireEvent.keyDown(window, { key: "f" });
    expect(await screen.findByTestId("photo-import")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("photo-import-close"));
    await waitFor(() => expect(screen.queryByTestId("photo-import")).toBeNull());
  });

  it("sorts by a column header and sends the sort to the backend", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    backend(calls);
    render(QueueScreen, { props: { onprint: () => {} } });
    await screen.findByText("Żółć");
    await fireEvent.click(screen.getByTestId("sort-holder_name"));
    await waitFor(() => {
      const last = calls.filter((c) => c.cmd === "list_requests").at(-1);
      const query = (last?.args as { query: { sort: string; direction: string } }).query;
      expect([query.sort, query.direction]).toEqual(["holder_name", "asc"]);
    });
    await fireEvent.click(screen.getByTestId("sort-holder_name"));
    await waitFor(() => {
      const last = calls.filter((c) => c.cmd === "list_requests").at(-1);
      expect((last?.args as { query: { direction: string } }).query.direction).toBe("desc");
    });
    expect(screen.getAllByRole("columnheader").some((h) => h.getAttribute("aria-sort") === "descending")).toBe(true);
  });

  it("filters by kind, category, zone and expiry date", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    backend(calls);
    render(QueueScreen, { props: { onprint: () => {} } });
    await screen.findByText("Żółć");
    await fireEvent.change(screen.getByTestId("filter-kind"), { target: { value: "day_pass" } });
    await fireEvent.input(screen.getByTestId("filter-zone"), { target: { value: "Parking" } });
    await fireEvent.input(screen.getByTestId("filter-expiring"), { target: { value: typedDate(dayOffset(30)) } });
    await waitFor(() => {
      const last = calls.filter((c) => c.cmd === "list_requests").at(-1);
      const query = (last?.args as { query: Record<string, unknown> }).query;
      expect(query.kinds).toEqual(["day_pass"]);
      expect(query.zone).toBe("Parking");
      expect(query.badgeExpiringBefore).toBe(dayOffset(30));
    });
    const counted = calls.filter((c) => c.cmd === "queue_counts_filtered").at(-1);
    expect((counted?.args as { query: { kinds: string[] } }).query.kinds).toEqual(["day_pass"]);
  });

  it("selects rows with the keyboard and reports a bulk refusal by name", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    backend(calls);
    render(QueueScreen, { props: { onprint: () => {} } });
    await screen.findByText("Żółć");
    const tableRow = screen.getAllByTestId("queue-row")[0];
    await fireEvent.keyDown(tableRow, { key: " " });
    expect(await screen.findByTestId("bulk-bar")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("bulk-approve"));
    const refusals = await screen.findByTestId("bulk-refusals");
    expect(refusals.textContent).toContain("ŻÓŁĆ Łukasz");
    const bulk = calls.find((c) => c.cmd === "transition_many");
    expect(bulk?.args).toEqual({
      input: { targets: [{ id: row.id, expectedVersion: 1 }], action: { type: "approve" }, reason: null },
    });
  });

  it("sends the selection to the print station with P", async () => {
    backend([]);
    const printed: string[][] = [];
    render(QueueScreen, { props: { onprint: (ids: string[]) => printed.push(ids) } });
    await screen.findByText("Żółć");
    await fireEvent.click(screen.getAllByTestId("row-check")[0]);
    await fireEvent.keyDown(window, { key: "p" });
    expect(printed).toEqual([[row.id]]);
  });
});

describe("QueueScreen on an empty queue", () => {
  it("says how to begin instead of 'nothing matches', and its buttons begin", async () => {
    mockIPC((cmd) => {
      switch (cmd) {
        case "list_requests":
          return { rows: [], nextCursor: null };
        case "queue_counts_filtered":
          return [];
        case "get_policy":
          return { categories: [] };
        default:
          throw { code: "test.unexpected", message: cmd };
      }
    });
    render(QueueScreen, { props: { onprint: () => {} } });
    const start = await screen.findByTestId("queue-empty-start");
    expect(start.textContent).toContain("La file est vide");
    expect(screen.queryByText("Aucune demande ne correspond.")).toBeNull();
    await fireEvent.click(screen.getByTestId("queue-empty-import"));
    expect(await screen.findByTestId("csv-import")).toBeTruthy();
  });
});

describe("QueueScreen on a long queue", () => {
  const TOTAL = 10_000;
  const nth = (i: number) => ({
    ...row,
    id: `0190a0b0-0000-7000-8000-${String(i).padStart(12, "0")}`,
    familyName: `Titulaire${i}`,
  });

  /** A backend serving pages from a cursor ("after:N") or a position, as the store does. */
  function longBackend(asked: { start: number | null; cursor: string | null }[]) {
    mockIPC((cmd, args) => {
      switch (cmd) {
        case "list_requests": {
          const query = (args as { query: { start: number | null; cursor: string | null; limit: number } }).query;
          asked.push({ start: query.start, cursor: query.cursor });
          const from = query.cursor ? Number(query.cursor.slice("after:".length)) : (query.start ?? 0);
          const to = Math.min(TOTAL, from + query.limit);
          const rows = Array.from({ length: Math.max(0, to - from) }, (_, i) => nth(from + i));
          return { rows, nextCursor: to < TOTAL ? `after:${to}` : null };
        }
        case "queue_counts_filtered":
          return [{ status: "ready_for_review", count: TOTAL }];
        case "get_policy":
          return { categories: [] };
        default:
          throw { code: "test.unexpected", message: cmd };
      }
    });
  }

  it("End shows the last row from one page read at its position, none of those between", async () => {
    const asked: { start: number | null; cursor: string | null }[] = [];
    longBackend(asked);
    render(QueueScreen, { props: { onprint: () => {} } });
    await screen.findByText("Titulaire0");
    await fireEvent.keyDown(screen.getAllByTestId("queue-row")[0], { key: "End" });
    expect(await screen.findByText(`Titulaire${TOTAL - 1}`)).toBeTruthy();
    const jumps = asked.slice(1);
    expect(jumps).toHaveLength(1);
    expect(jumps[0].cursor).toBeNull();
    // The last page, so that scrolling back up has rows to show.
    expect(jumps[0].start).toBe(TOTAL - 200);
    const table = screen.getByTestId("queue-table");
    expect(Number(table.dataset.loadedRows)).toBeLessThan(500);
  });

  it("after a jump, the rows above are read by position and those below the first page by cursor", async () => {
    const asked: { start: number | null; cursor: string | null }[] = [];
    longBackend(asked);
    render(QueueScreen, { props: { onprint: () => {} } });
    await screen.findByText("Titulaire0");
    await fireEvent.keyDown(screen.getAllByTestId("queue-row")[0], { key: "End" });
    await screen.findByText(`Titulaire${TOTAL - 1}`);
    expect(asked[1]).toEqual({ start: TOTAL - 200, cursor: null });
    const viewport = screen.getByTestId("queue-viewport");
    const scrollTo = async (index: number) => {
      Object.defineProperty(viewport, "scrollTop", { value: index * 34, configurable: true });
      await fireEvent.scroll(viewport);
    };
    // Just above the rows read there: the page that ends where they begin.
    await scrollTo(TOTAL - 205);
    expect(await screen.findByText(`Titulaire${TOTAL - 201}`)).toBeTruthy();
    expect(asked[2]).toEqual({ start: TOTAL - 400, cursor: null });
    // Back to the top: the first page is still loaded, nothing is asked.
    await scrollTo(0);
    expect(await screen.findByText("Titulaire0")).toBeTruthy();
    expect(asked).toHaveLength(3);
    // Just past the first page: read by the first page's cursor.
    await scrollTo(200);
    expect(await screen.findByText("Titulaire200")).toBeTruthy();
    expect(asked[3]).toEqual({ start: null, cursor: "after:200" });
});
});
