import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import DayPassTab from "./DayPassTab.svelte";
import { HOLDER, unexpected } from "./fixtures";
import { dayOffset } from "../time/testing";
import { typedDate } from "../forms/testing";

const policy = { categories: [{ key: "visitor", labelFr: "Visiteur", labelEn: "Visitor" }] };

describe("DayPassTab", () => {
  it("shows the 24 h rule refusal translated and keeps the form", async () => {
    const tomorrow = dayOffset(1);
    const sent: unknown[] = [];
    mockIPC((cmd, args) => {
      switch (cmd) {
        case "get_policy":
          return policy;
        case "visitors_of_day":
          return [];
        case "create_day_pass":
          sent.push((args as { request: unknown }).request);
          throw { code: "day_pass.too_late", message: `first day ${tomorrow} is less than 24 h away` };
        default:
          return unexpected(cmd);
      }
    });
    render(DayPassTab);
    await screen.findByText("Visiteur");
    await fireEvent.input(screen.getByTestId("daypass-family-name"), { target: { value: "Leroy" } });
    await fireEvent.input(screen.getByTestId("daypass-given-names"), { target: { value: "Paul" } });
    await fireEvent.input(screen.getByTestId("daypass-first-day"), { target: { value: typedDate(tomorrow) } });
    await fireEvent.input(screen.getByTestId("daypass-zones"), { target: { value: "Bât A, Parking" } });
    await fireEvent.click(screen.getByTestId("daypass-create"));
    const banner = await screen.findByTestId("error-banner");
    expect(banner.dataset.code).toBe("day_pass.too_late");
    expect(banner.textContent).toContain("trop tard");
    expect(sent[0]).toMatchObject({
      holderId: null,
      holder: { familyName: "Leroy", givenNames: "Paul", category: "visitor" },
      request: { kind: "day_pass", wantedFrom: tomorrow, wantedUntil: tomorrow, zones: ["Bât A", "Parking"] },
    });
    expect((screen.getByTestId("daypass-family-name") as HTMLInputElement).value).toBe("Leroy");
  });

  it("lists the visitors expected on the chosen day", async () => {
    const day = dayOffset(3);
    const days: unknown[] = [];
    mockIPC((cmd, args) => {
      switch (cmd) {
        case "get_policy":
          return policy;
        case "visitors_of_day":
          days.push((args as { input: { day: string } }).input.day);
          return [
            {
              requestId: "0190a0b0-0000-7000-8000-000000000003",
              status: "printed",
              holderId: HOLDER,
              familyName: "Leroy",
              givenNames: "Paul",
              organisation: "Acme",
              email: null,
              phone: "0102030405",
              firstDay: day,
              lastDay: dayOffset(4),
              zones: ["Bât A"],
              badgeNumber: "V000012",
              notes: null,
            },
          ];
        default:
          return unexpected(cmd);
      }
    });
    render(DayPassTab);
    await fireEvent.input(screen.getByTestId("visitors-day"), { target: { value: typedDate(day) } });
    await fireEvent.click(screen.getByTestId("visitors-refresh"));
    await waitFor(() => expect(days.at(-1)).toBe(day));
    const table = await screen.findByTestId("visitors-table");
    expect(table.textContent).toContain("LEROY Paul");
    expect(table.textContent).toContain("V000012");
    expect(table.textContent).toContain("Imprimée");
  });
});
