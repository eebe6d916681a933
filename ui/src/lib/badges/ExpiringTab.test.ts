import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import ExpiringTab from "./ExpiringTab.svelte";
import { badge, badgeRow, unexpected } from "./fixtures";
import { dayOffset } from "../time/testing";
import { typedDate } from "../forms/testing";

function expiring(number: string, daysLeft: number, renewalPending = false) {
  return { ...badgeRow(number), daysLeft, noticeDays: 30, remindedAt: null, renewalPending };
}

/** The holder's mission now ends in ten months, after the badge's current validity. */
const NEW_MISSION_END = dayOffset(300);

describe("ExpiringTab", () => {
  it("lists badges expiring within 30 days and extends one to the new mission end", async () => {
    const calls: { cmd: string; args: Record<string, unknown> }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args: args as Record<string, unknown> });
      if (cmd === "expiring_badges") return [expiring("B000101", 5), expiring("B000102", 20, true)];
      if (cmd === "extend_badge") return badge("B000101", { validUntil: NEW_MISSION_END, version: 4 });
      return unexpected(cmd);
    });
    render(ExpiringTab);
    expect(await screen.findByTestId("expiring-row-B000101")).toBeTruthy();
    expect(calls[0]).toEqual({ cmd: "expiring_badges", args: { days: 30 } });
    // A renewal already under way is said, not offered again.
    expect(screen.queryByTestId("renew-B000102")).toBeNull();
    expect(screen.getByText("renouvellement en cours")).toBeTruthy();

    await fireEvent.click(screen.getByTestId("extend-B000101"));
    await fireEvent.input(screen.getByTestId("extend-mission-end"), { target: { value: typedDate(NEW_MISSION_END) } });
    await fireEvent.click(screen.getByTestId("extend-confirm"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "extend_badge")).toBe(true));
    expect(calls.find((c) => c.cmd === "extend_badge")?.args).toEqual({
      input: {
        badgeId: badge("B000101").id,
        expectedVersion: 3,
        missionEnd: NEW_MISSION_END,
        validUntil: null,
      },
    });
    expect((await screen.findByTestId("expiring-notice")).textContent).toContain("B000101");
  });

  it("opens a renewal and says a new photo is needed when the last one is too old", async () => {
    mockIPC((cmd) => {
      if (cmd === "expiring_badges") return [expiring("B000101", 5)];
      if (cmd === "renew_badge")
        return { request: {}, photoReused: false, photoAgeDays: 900, photoMaxAgeDays: 365 };
      return unexpected(cmd);
    });
    render(ExpiringTab);
    await fireEvent.click(await screen.findByTestId("renew-B000101"));
    const outcome = await screen.findByTestId("renewal-outcome");
    expect(outcome.textContent).toContain("nouvelle photo est attendue");
    expect(outcome.textContent).toContain("365");
  });

  it("refuses a delay that is not a number of days without calling the backend", async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      return [];
    });
    render(ExpiringTab);
    expect(await screen.findByTestId("expiring-empty")).toBeTruthy();
    await fireEvent.input(screen.getByTestId("expiring-days"), { target: { value: "0" } });
    await fireEvent.click(screen.getByTestId("expiring-refresh"));
    expect(await screen.findByText(/entre 1 et 3650/)).toBeTruthy();
    expect(calls).toEqual(["expiring_badges"]);
  });
});
