import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import BadgeZones from "./BadgeZones.svelte";
import { dayOffset } from "../time/testing";

const zone = (key: string, active = true) => ({
  version: 1,
  updatedAt: `${dayOffset(-20)}T08:00:00Z`,
  key,
  labelFr: `Zone ${key}`,
  labelEn: `Zone ${key}`,
  kind: "building",
  approverName: "M. Approbateur",
  approverEmail: "approbateur@example.org",
  active,
});

describe("BadgeZones", () => {
  it("lists the badge's zones and asks the approvers for another one", async () => {
    const asked: unknown[] = [];
    const requested: string[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "badge_zones") return [{ key: "A", labelFr: "Zone A", labelEn: "Zone A", kind: "building", active: true }];
      if (cmd === "list_zones") return [zone("A"), zone("P"), zone("X", false)];
      if (cmd === "request_zone_access") {
        asked.push((args as { input: unknown }).input);
        return { request: { id: "req-zone" } };
      }
      throw { code: "test.unexpected", message: cmd };
    });
    render(BadgeZones, { props: { badgeId: "badge-1", onrequested: (id: string) => requested.push(id) } });
    expect(await screen.findByText("Zone A")).toBeTruthy();
    // Granted and closed zones are not offered.
    expect(screen.queryByTestId("zone-want-A")).toBeNull();
    expect(screen.queryByTestId("zone-want-X")).toBeNull();
    await fireEvent.click(await screen.findByTestId("zone-want-P"));
    await fireEvent.click(screen.getByTestId("zone-request"));
    await waitFor(() => expect(requested).toEqual(["req-zone"]));
    expect(asked).toEqual([{ badgeId: "badge-1", zones: ["P"], notes: null }]);
  });
});
