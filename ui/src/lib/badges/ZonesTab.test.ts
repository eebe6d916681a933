import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import ZonesTab from "./ZonesTab.svelte";
import { unexpected } from "./fixtures";
import { dayOffset } from "../time/testing";

const zone = {
  key: "Bât A",
  labelFr: "Bâtiment A",
  labelEn: "Building A",
  kind: "building",
  approverName: "M. Garnier",
  approverEmail: "garnier@example.org",
  active: true,
  version: 2,
  updatedAt: `${dayOffset(-20)}T08:00:00Z`,
};

const REQUEST = "0190a0b0-0000-7000-8000-0000000000c1";

function pendingRequest(pending: string[]) {
  return {
    requestId: REQUEST,
    status: "ready_for_review",
    familyName: "Dupont",
    givenNames: "Zoé",
    organisation: null,
    badgeNumber: "B000101",
    submittedOn: dayOffset(-3),
    requested: ["Bât A", "Parking"],
    decisions: [],
    pending,
  };
}

describe("ZonesTab", () => {
  it("records an approver's refusal with its reason and an approval, then exports the rights as CSV", async () => {
    const decisions: unknown[] = [];
    let pending = ["Bât A", "Parking"];
    mockIPC((cmd, args) => {
      switch (cmd) {
        case "list_zones":
          return [zone];
        case "pending_zone_approvals":
          return pending.length > 0 ? [pendingRequest(pending)] : [];
        case "record_zone_decision": {
          const input = (args as { input: { zone: string } }).input;
          decisions.push(input);
          pending = pending.filter((z) => z !== input.zone);
          return {};
        }
        case "export_zone_rights":
          expect((args as { input: { format: string } }).input.format).toBe("csv");
          return { path: "/srv/badges/droits-zones.csv", bytes: 120 };
        default:
          return unexpected(cmd);
      }
    });
    render(ZonesTab);
    expect(await screen.findByText("Bâtiment A")).toBeTruthy();
    // A refusal needs a reason before it can be sent.
    expect(screen.getByTestId("zone-refuse-Parking").hasAttribute("disabled")).toBe(true);
    await fireEvent.input(screen.getByTestId("zone-reason-Parking"), { target: { value: "Pas de place" } });
    await fireEvent.click(screen.getByTestId("zone-refuse-Parking"));
    await waitFor(() => expect(screen.queryByTestId("zone-refuse-Parking")).toBeNull());
    await fireEvent.click(screen.getByTestId("zone-approve-Bât A"));
    expect(await screen.findByTestId("zones-no-pending")).toBeTruthy();
    expect(decisions).toEqual([
      { requestId: REQUEST, zone: "Parking", verdict: "refused", reason: "Pas de place" },
      { requestId: REQUEST, zone: "Bât A", verdict: "approved", reason: null },
    ]);
    await fireEvent.click(screen.getByTestId("zone-export-csv"));
    expect((await screen.findByTestId("zone-exported")).textContent).toContain("/srv/badges/droits-zones.csv");
  });

  it("edits a zone's approver at the version seen", async () => {
    const saved: unknown[] = [];
    mockIPC((cmd, args) => {
      switch (cmd) {
        case "list_zones":
          return [zone];
        case "pending_zone_approvals":
          return [];
        case "save_zone":
          saved.push((args as { input: unknown }).input);
          return { ...zone, approverName: "Mme Roux", version: 3 };
        default:
          return unexpected(cmd);
      }
    });
    render(ZonesTab);
    await fireEvent.click(await screen.findByTestId("zone-edit-Bât A"));
    expect((screen.getByTestId("zone-key") as HTMLInputElement).readOnly).toBe(true);
    await fireEvent.input(screen.getByTestId("zone-approver-name"), { target: { value: "Mme Roux" } });
    await fireEvent.click(screen.getByTestId("zone-save"));
    expect((await screen.findByTestId("zone-saved")).textContent).toContain("Bât A");
    expect(saved).toEqual([
      {
        zone: {
          key: "Bât A",
          labelFr: "Bâtiment A",
          labelEn: "Building A",
          kind: "building",
          approverName: "Mme Roux",
          approverEmail: "garnier@example.org",
          active: true,
        },
        expectedVersion: 2,
      },
    ]);
  });
});
