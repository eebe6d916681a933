import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import OppositionsTab from "./OppositionsTab.svelte";
import { badge, badgeRow, unexpected } from "./fixtures";
import { countersignState, settleCountersign } from "../security/countersign.svelte";
import { dayOffset } from "../time/testing";
import { typedDate } from "../forms/testing";

const REPLACEMENT = "0190a0b0-0000-7000-8000-0000000000f1";

describe("OppositionsTab", () => {
  it("finds the badge of the card laid on the reader, or names why it could not read it", async () => {
    const found = badgeRow("B000101", { cardSerial: "04A224B2C35E80" });
    const searched: unknown[] = [];
    let service = true;
    mockIPC((cmd, args) => {
      switch (cmd) {
        case "identify_card":
          if (!service) throw { code: "card.no_service", message: "the smart-card service is not running" };
          return { uid: "04A224B2C35E80", reader: "ACS ACR1252 1S CL Reader PICC 0", badge: found };
        case "find_badges":
          searched.push((args as { text: string }).text);
          return [found];
        case "badge_oppositions":
          return [];
        default:
          return unexpected(cmd);
      }
    });
    render(OppositionsTab);
    await fireEvent.click(screen.getByTestId("opposition-read-card"));
    expect((await screen.findByTestId("opposition-badge-status")).textContent).toBe("actif");
    expect((screen.getByTestId("opposition-search") as HTMLInputElement).value).toBe("04A224B2C35E80");
    expect(searched).toEqual(["04A224B2C35E80"]);

    service = false;
    await fireEvent.click(screen.getByTestId("opposition-read-card"));
    const banner = await screen.findByTestId("error-banner");
    expect(banner.dataset.code).toBe("card.no_service");
    expect(banner.textContent).toContain("Le service des cartes à puce ne tourne pas");
    expect(searched).toHaveLength(1);
  });

  it("declares a theft on the badge found by number and confirms the carried-over zones", async () => {
    const calls: { cmd: string; args: Record<string, unknown> }[] = [];
    const found = badgeRow("B000101", { zones: ["Bât A", "Parking"] });
    mockIPC((cmd, args) => {
      calls.push({ cmd, args: args as Record<string, unknown> });
      switch (cmd) {
        case "find_badges":
          return [found];
        case "badge_oppositions":
          return [];
        case "declare_opposition":
          return {
            opposition: {},
            badge: { ...found.badge, status: "opposed", version: 4 },
            replacement: { request: { id: REPLACEMENT, version: 1 } },
            temporaryBadge: badge("T000009", { validUntil: dayOffset(7) }),
          };
        case "carried_over":
          return {
            requestId: REPLACEMENT,
            previousBadgeId: found.badge.id,
            previousBadgeNumber: "B000101",
            oldZones: ["Bât A", "Parking"],
            oldServices: ["cantine"],
            zones: ["Bât A", "Parking"],
            services: ["cantine"],
            confirmed: null,
          };
        case "confirm_carried_over":
          return { request: { id: REPLACEMENT, version: 2 } };
        default:
          return unexpected(cmd);
      }
    });
    render(OppositionsTab);
    await fireEvent.input(screen.getByTestId("opposition-search"), { target: { value: "B000101" } });
    await fireEvent.click(screen.getByTestId("opposition-find"));
    expect((await screen.findByTestId("opposition-badge-status")).textContent).toBe("actif");
    await fireEvent.change(screen.getByTestId("opposition-cause"), { target: { value: "stolen" } });
    await fireEvent.input(screen.getByTestId("opposition-date"), { target: { value: typedDate(dayOffset(-2)) } });
    await fireEvent.input(screen.getByTestId("opposition-circumstances"), { target: { value: "Sac volé dans le métro" } });
    await fireEvent.click(screen.getByTestId("opposition-temporary"));
    await fireEvent.click(screen.getByTestId("opposition-declare"));

    expect((await screen.findByTestId("opposition-temporary-badge")).textContent).toContain("T000009");
    expect(calls.find((c) => c.cmd === "declare_opposition")?.args).toEqual({
      input: {
        badgeId: found.badge.id,
        expectedVersion: 3,
        cause: "stolen",
        occurredOn: dayOffset(-2),
        circumstances: "Sac volé dans le métro",
        temporaryBadge: true,
      },
    });
    expect(screen.getByTestId("opposition-badge-status").textContent).toBe("opposé");
    // Every old accreditation is proposed; the operator drops the car park.
    await fireEvent.click(await screen.findByTestId("carried-zone-Parking"));
    await fireEvent.click(screen.getByTestId("carried-confirm"));
    expect(await screen.findByTestId("carried-confirmed")).toBeTruthy();
    expect(calls.find((c) => c.cmd === "confirm_carried_over")?.args).toEqual({
      input: { requestId: REPLACEMENT, expectedVersion: 1, zones: ["Bât A"], services: ["cantine"] },
    });
  });

  it("lets the operator choose among several badges and asks a supervisor to lift an opposition", async () => {
    const opposed = badgeRow("B000200", { status: "opposed" });
    mockIPC((cmd) => {
      switch (cmd) {
        case "find_badges":
          return [badgeRow("B000101"), opposed];
        case "badge_oppositions":
          return [];
        case "lift_opposition":
          throw {
            code: "operator.supervisor_required",
            message: "'agent1' is not a supervisor: lift_opposition needs a supervisor",
            countersign: { action: "lift_opposition", target: "opposition:1" },
          };
        default:
          return unexpected(cmd);
      }
    });
    render(OppositionsTab);
    await fireEvent.input(screen.getByTestId("opposition-search"), { target: { value: "dupont" } });
    await fireEvent.click(screen.getByTestId("opposition-find"));
    await fireEvent.click(await screen.findByTestId("opposition-choose-B000200"));
    expect(screen.queryByTestId("opposition-declare")).toBeNull();
    await fireEvent.input(screen.getByTestId("opposition-lift-reason"), { target: { value: "Retrouvé à l’accueil" } });
    await fireEvent.click(screen.getByTestId("opposition-lift"));
    // The refusal asks for a supervisor's countersign; the operator gives up.
    await waitFor(() => expect(countersignState.pending?.action).toBe("lift_opposition"));
    settleCountersign(false);
    const banner = await screen.findByTestId("error-banner");
    await waitFor(() => expect(banner.dataset.code).toBe("operator.supervisor_required"));
    expect(banner.textContent).toContain("superviseur");
    expect(screen.queryByTestId("opposition-lifted")).toBeNull();
  });
});
