import { describe, expect, it } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import BadgesScreen from "./BadgesScreen.svelte";

describe("BadgesScreen", () => {
  it("opens on the expiring badges and moves between tabs with the arrow keys", async () => {
    mockIPC((cmd) => {
      if (["expiring_badges", "list_zones", "pending_zone_approvals", "open_loans"].includes(cmd)) return [];
      throw { code: "test.unexpected", message: cmd };
    });
    render(BadgesScreen);
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Vie des badges");
    expect(await screen.findByTestId("expiring-empty")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("badges-tab-zones"));
    expect(await screen.findByTestId("zones-no-pending")).toBeTruthy();
    expect(screen.getByTestId("badges-tab-zones").getAttribute("aria-selected")).toBe("true");
    await fireEvent.keyDown(screen.getByRole("tablist"), { key: "ArrowLeft" });
    expect(screen.getByTestId("badges-tab-loans").getAttribute("aria-selected")).toBe("true");
    expect(await screen.findByTestId("loans-none")).toBeTruthy();
    await fireEvent.keyDown(screen.getByRole("tablist"), { key: "ArrowLeft" });
    expect(screen.getByTestId("badges-tab-oppositions").getAttribute("aria-selected")).toBe("true");
    expect(screen.getByTestId("oppositions-tab")).toBeTruthy();
  });

  it("has the directory's leavers after inactivity, asked of the directory only on demand", async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (["expiring_badges", "inactive_badges"].includes(cmd)) return [];
      throw { code: "test.unexpected", message: cmd };
    });
    render(BadgesScreen);
    await fireEvent.click(screen.getByTestId("badges-tab-inactivity"));
    await fireEvent.keyDown(screen.getByRole("tablist"), { key: "ArrowRight" });
    const tab = screen.getByTestId("badges-tab-leavers");
    expect(tab.getAttribute("aria-selected")).toBe("true");
    expect(tab.textContent).toBe("Départs (annuaire)");
    expect(await screen.findByTestId("leavers-tab")).toBeTruthy();
    expect(screen.getByTestId("leavers-check").textContent?.trim()).toBe("Vérifier dans l’annuaire");
    expect(calls).not.toContain("directory_leavers");
    await fireEvent.keyDown(screen.getByRole("tablist"), { key: "ArrowRight" });
    expect(screen.getByTestId("badges-tab-outbox").getAttribute("aria-selected")).toBe("true");
  });

  it("ends with what housekeeping changed by itself, over the last 30 days", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (["expiring_badges", "housekeeping_history", "mail_outbox", "mail_outbox_counts"].includes(cmd)) return [];
      throw { code: "test.unexpected", message: cmd };
    });
    render(BadgesScreen);
    expect(await screen.findByTestId("expiring-empty")).toBeTruthy();
    await fireEvent.keyDown(screen.getByRole("tablist"), { key: "End" });
    const tab = screen.getByTestId("badges-tab-automatic");
    expect(tab.getAttribute("aria-selected")).toBe("true");
    expect(tab.textContent).toBe("Changements automatiques");
    expect(screen.getByRole("tabpanel").getAttribute("aria-labelledby")).toBe(tab.id);
    expect(await screen.findByTestId("automatic-none")).toBeTruthy();
    expect(calls.find((c) => c.cmd === "housekeeping_history")?.args).toEqual({ days: 30 });
    await fireEvent.keyDown(screen.getByRole("tablist"), { key: "ArrowLeft" });
    expect(screen.getByTestId("badges-tab-outbox").getAttribute("aria-selected")).toBe("true");
  });

  it("has the refused visitors' list right after the day passes", async () => {
    mockIPC((cmd) => {
      if (["expiring_badges", "get_policy", "visitors_of_day", "refused_visitors"].includes(cmd)) {
        return cmd === "get_policy" ? { categories: [] } : [];
      }
      throw { code: "test.unexpected", message: cmd };
    });
    render(BadgesScreen);
    await fireEvent.click(screen.getByTestId("badges-tab-dayPasses"));
    expect(await screen.findByTestId("visitors-empty")).toBeTruthy();
    await fireEvent.keyDown(screen.getByRole("tablist"), { key: "ArrowRight" });
    const tab = screen.getByTestId("badges-tab-refused");
    expect(tab.getAttribute("aria-selected")).toBe("true");
    expect(tab.textContent).toBe("Visiteurs refusés");
    expect(await screen.findByTestId("refused-empty")).toBeTruthy();
    await fireEvent.keyDown(screen.getByRole("tablist"), { key: "ArrowRight" });
    expect(screen.getByTestId("badges-tab-inactivity").getAttribute("aria-selected")).toBe("true");
  });
});
