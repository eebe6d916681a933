import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import DispatchTab from "./DispatchTab.svelte";
import { HOLDER, badgeRow, unexpected } from "./fixtures";
import { dayOffset } from "../time/testing";

const printed = {
  id: "0190a0b0-0000-7000-8000-000000000001",
  version: 5,
  kind: "new_badge",
  status: "printed",
  holderId: HOLDER,
  familyName: "Dupont",
  givenNames: "Zoé",
  email: null,
  organisation: "Labo",
  unit: "Chimie",
  category: "staff",
  externalId: null,
  zones: [],
  submittedOn: dayOffset(-19),
  missionEnd: null,
  badgeNumber: "B000101",
  badgeValidUntil: dayOffset(345),
  printClaimedBy: null,
  updatedAt: `${dayOffset(-1)}T10:00:00Z`,
};

const waiting = {
  requestId: "0190a0b0-0000-7000-8000-000000000002",
  requestVersion: 6,
  status: "dispatched",
  badgeId: "0190a0b0-0000-7000-8000-000000000b02",
  badgeNumber: "B000077",
  familyName: "Martin",
  givenNames: "Léa",
  email: null,
  organisation: null,
  unit: null,
  category: "staff",
  dispatchedAt: `${dayOffset(-51)}T09:00:00Z`,
  dispatchedBy: "agent1",
  dispatchMethod: "internal_mail",
  daysWaiting: 51,
  thresholdDays: 14,
};

describe("DispatchTab", () => {
  it("marks the selected printed badges handed over and shows where the dispatch list was written", async () => {
    const calls: { cmd: string; args: Record<string, unknown> }[] = [];
    let dispatched = false;
    mockIPC((cmd, args) => {
      calls.push({ cmd, args: args as Record<string, unknown> });
      switch (cmd) {
        case "look_up_requests":
          return { rows: dispatched ? [] : [printed], nextCursor: null };
        case "not_activated_badges":
          return [];
        case "dispatch_badges":
          dispatched = true;
          return {
            batch: "0190a0b0-0000-7000-8000-00000000ba01",
            method: "handed_over",
            dispatched: [{ requestId: printed.id }],
            skipped: [],
            list: { path: "/srv/badges/bordereau-remise.pdf", bytes: 2048 },
          };
        default:
          return unexpected(cmd);
      }
    });
    render(DispatchTab);
    const box = await screen.findByTestId(`dispatch-select-${printed.id}`);
    const listCall = calls.find((c) => c.cmd === "look_up_requests");
    expect((listCall?.args.query as { statuses: string[] }).statuses).toEqual(["printed"]);
    expect(screen.getByTestId("dispatch-confirm").hasAttribute("disabled")).toBe(true);
    await fireEvent.click(box);
    await fireEvent.click(screen.getByTestId("dispatch-method-handed_over"));
    await fireEvent.click(screen.getByTestId("dispatch-confirm"));
    expect((await screen.findByTestId("dispatch-list-path")).textContent).toBe("/srv/badges/bordereau-remise.pdf");
    expect(calls.find((c) => c.cmd === "dispatch_badges")?.args).toEqual({
      input: { requestIds: [printed.id], method: "handed_over", locale: "fr" },
    });
    expect(screen.getByTestId("dispatch-run").textContent).toContain("remis en main propre");
    expect(await screen.findByTestId("dispatch-empty")).toBeTruthy();
  });

  it("records activations of badges still waiting and of typed numbers, listing those refused", async () => {
    const activations: unknown[] = [];
    mockIPC((cmd, args) => {
      switch (cmd) {
        case "look_up_requests":
          return { rows: [], nextCursor: null };
        case "not_activated_badges":
          expect((args as { days: number | null }).days).toBeNull();
          return [waiting];
        case "record_activations":
          activations.push((args as { badgeNumbers: string[] }).badgeNumbers);
          return {
            changed: [badgeRow("B000077")],
            skipped: [
              {
                badgeId: "00000000-0000-0000-0000-000000000000",
                badgeNumber: "B999999",
                code: "store.not_found",
                message: "badge B999999 not found",
              },
            ],
          };
        default:
          return unexpected(cmd);
      }
    });
    render(DispatchTab);
    await fireEvent.click(await screen.findByTestId("activation-select-B000077"));
    await fireEvent.click(screen.getByTestId("activation-record-selected"));
    await waitFor(() => expect(activations).toEqual([["B000077"]]));
    await screen.findByTestId("activation-outcome");
    await waitFor(() => expect(screen.getByTestId("activation-record-typed").hasAttribute("disabled")).toBe(true));
    await fireEvent.input(screen.getByTestId("activation-numbers"), { target: { value: "B999999, B000078 ;B999999" } });
    await waitFor(() => expect(screen.getByTestId("activation-record-typed").hasAttribute("disabled")).toBe(false));
    await fireEvent.click(screen.getByTestId("activation-record-typed"));
    await waitFor(() => expect(activations).toHaveLength(2));
    expect(activations[1]).toEqual(["B999999", "B000078"]);
    expect((await screen.findByTestId("activation-outcome")).textContent).toContain("1 badge(s) activé(s), 1 écarté(s)");
  });
});
