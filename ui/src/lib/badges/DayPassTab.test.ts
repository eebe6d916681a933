import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import DayPassTab from "./DayPassTab.svelte";
import { HOLDER, unexpected } from "./fixtures";
import { formatTime, setLocale } from "../i18n/index.svelte";
import { identifiersIn, shownText } from "../i18n/identifiers";
import { dayOffset } from "../time/testing";
import { typedDate } from "../forms/testing";

const policy = { categories: [{ key: "visitor", labelFr: "Visiteur", labelEn: "Visitor" }] };

const TODAY = dayOffset(0);
const WAITED = "0190a0b0-0000-7000-8000-000000000011";
const IN = "0190a0b0-0000-7000-8000-000000000012";
const OUT = "0190a0b0-0000-7000-8000-000000000013";
const CLOSED = "0190a0b0-0000-7000-8000-000000000014";

/** Today at the desk at `time` (local), as the backend sends an instant. */
function at(time: string, day = TODAY): string {
  return new Date(`${day}T${time}:00`).toISOString();
}

/** A visitor expected today; `overrides` sets their host and visit. */
function visitorRow(requestId: string, familyName: string, overrides: Record<string, unknown> = {}) {
  return {
    requestId,
    status: "printed",
    holderId: HOLDER,
    familyName,
    givenNames: "Paul",
    organisation: "Acme",
    email: null,
    phone: null,
    firstDay: TODAY,
    lastDay: TODAY,
    zones: ["Bât A"],
    badgeNumber: "V000012",
    notes: null,
    host: null,
    visit: null,
    ...overrides,
  };
}

/** The visit of `requestId` today, arrived at 09:05 at Claire's desk; `overrides` for the rest. */
function visit(requestId: string, overrides: Record<string, unknown> = {}) {
  return {
    id: `${requestId.slice(0, -2)}99`,
    requestId,
    day: TODAY,
    checkedInAt: at("09:05"),
    checkedInBy: "claire",
    checkedOutAt: null,
    checkedOutBy: null,
    automaticCheckout: false,
    badgeReturned: null,
    ...overrides,
  };
}

async function fillVisitor() {
  await screen.findByText("Visiteur");
  await fireEvent.input(screen.getByTestId("daypass-family-name"), { target: { value: "Leroy" } });
  await fireEvent.input(screen.getByTestId("daypass-given-names"), { target: { value: "Paul" } });
  await fireEvent.input(screen.getByTestId("daypass-first-day"), { target: { value: typedDate(dayOffset(2)) } });
}

describe("DayPassTab", () => {
  it("shows the 24 h rule refusal translated and keeps the form", async () => {
    const tomorrow = dayOffset(1);
    const sent: unknown[] = [];
    const hosts: unknown[] = [];
    mockIPC((cmd, args) => {
      switch (cmd) {
        case "get_policy":
          return policy;
        case "visitors_of_day":
          return [];
        case "create_day_pass":
          sent.push((args as { request: unknown }).request);
          hosts.push((args as { host: unknown }).host);
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
    // No host typed: none is sent.
    expect(hosts).toEqual([null]);
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
              host: null,
              visit: null,
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

  it("sends the person visited with the pass, and shows a refused visitor's refusal translated", async () => {
    const hosts: unknown[] = [];
    let refuse = false;
    mockIPC((cmd, args) => {
      switch (cmd) {
        case "get_policy":
          return policy;
        case "visitors_of_day":
          return [];
        case "create_day_pass":
          hosts.push((args as { host: unknown }).host);
          if (refuse) {
            throw {
              code: "visit.refused_visitor",
              message: "Paul Leroy is on the refused visitors' list (badge prêté à un tiers): no badge without a supervisor lifting it",
            };
          }
          return {
            holder: { familyName: "Leroy", givenNames: "Paul" },
            request: { wantedFrom: dayOffset(2), wantedUntil: dayOffset(2) },
          };
        default:
          return unexpected(cmd);
      }
    });
    render(DayPassTab);
    await fillVisitor();
    expect(screen.getByLabelText("Personne visitée")).toBe(screen.getByTestId("day-pass-host-name"));
    expect(screen.getByLabelText("E-mail de la personne visitée")).toBe(screen.getByTestId("day-pass-host-email"));
    await fireEvent.input(screen.getByTestId("day-pass-host-name"), { target: { value: "  Marie Curie " } });
    await fireEvent.input(screen.getByTestId("day-pass-host-email"), { target: { value: "mcurie@labo.fr" } });
    await fireEvent.click(screen.getByTestId("daypass-create"));
    expect(await screen.findByTestId("daypass-created")).toBeTruthy();
    expect(hosts).toEqual([{ name: "Marie Curie", email: "mcurie@labo.fr" }]);
    // The form is emptied, host included.
    expect((screen.getByTestId("day-pass-host-name") as HTMLInputElement).value).toBe("");

    // A host without an e-mail goes with a null address; the refused list refuses the pass.
    refuse = true;
    await fillVisitor();
    await fireEvent.input(screen.getByTestId("day-pass-host-name"), { target: { value: "Marie Curie" } });
    await fireEvent.click(screen.getByTestId("daypass-create"));
    const banner = await screen.findByTestId("error-banner");
    expect(hosts[1]).toEqual({ name: "Marie Curie", email: null });
    expect(banner.dataset.code).toBe("visit.refused_visitor");
    expect(banner.textContent).toContain("liste des visiteurs refusés");
    // The name and the reason, as the backend gives them, in the detail.
    expect(banner.textContent).toContain("badge prêté à un tiers");
    expect(screen.queryByTestId("daypass-created")).toBeNull();
    expect((screen.getByTestId("daypass-family-name") as HTMLInputElement).value).toBe("Leroy");
  });

  it("sends an e-mail typed without a host's name, for the backend to refuse", async () => {
    const hosts: unknown[] = [];
    mockIPC((cmd, args) => {
      switch (cmd) {
        case "get_policy":
          return policy;
        case "visitors_of_day":
          return [];
        case "create_day_pass":
          hosts.push((args as { host: unknown }).host);
          throw { code: "visit.host_invalid", message: "the host's name is needed, and their e-mail must be an address" };
        default:
          return unexpected(cmd);
      }
    });
    render(DayPassTab);
    await fillVisitor();
    await fireEvent.input(screen.getByTestId("day-pass-host-email"), { target: { value: "mcurie@labo.fr" } });
    await fireEvent.click(screen.getByTestId("daypass-create"));
    const banner = await screen.findByTestId("error-banner");
    expect(hosts).toEqual([{ name: "", email: "mcurie@labo.fr" }]);
    expect(banner.dataset.code).toBe("visit.host_invalid");
    expect(banner.textContent).toContain("Personne visitée : indiquez son nom");
  });

  describe("at the reception", () => {
    afterEach(() => setLocale("fr"));

    it("shows each visitor's host and where their visit stands", async () => {
      mockIPC((cmd) => {
        switch (cmd) {
          case "get_policy":
            return policy;
          case "visitors_of_day":
            return [
              visitorRow(WAITED, "Attendu", { host: { name: "Marie Curie", email: "mcurie@labo.fr" } }),
              visitorRow(IN, "Present", { host: { name: "Louis Pasteur", email: null }, visit: visit(IN) }),
              visitorRow(OUT, "Parti", {
                visit: visit(OUT, { checkedOutAt: at("16:40"), checkedOutBy: "marc", badgeReturned: false }),
              }),
              visitorRow(CLOSED, "Oublie", {
                visit: visit(CLOSED, { checkedOutAt: at("23:59"), checkedOutBy: "housekeeping", automaticCheckout: true }),
              }),
            ];
          default:
            return unexpected(cmd);
        }
      });
      const { container } = render(DayPassTab);
      const table = await screen.findByTestId("visitors-table");
      expect(within(table).getAllByRole("columnheader").map((th) => th.textContent)).toContain("Personne visitée");

      expect(screen.getByTestId(`visitor-host-${WAITED}`).textContent).toContain("Marie Curie");
      expect(screen.getByTestId(`visitor-host-${WAITED}`).textContent).toContain("mcurie@labo.fr");
      expect(screen.getByTestId(`visitor-host-${OUT}`).textContent?.trim()).toBe("");

      expect(screen.getByTestId(`visitor-state-${WAITED}`).textContent?.trim()).toBe("Pas encore arrivé");
      expect(screen.getByTestId(`visitor-state-${IN}`).textContent?.trim()).toBe(
        `Arrivée à ${formatTime(at("09:05"))} (par claire)`,
      );
      const out = (screen.getByTestId(`visitor-state-${OUT}`).textContent ?? "").replace(/\s+/g, " ").trim();
      expect(out).toContain(`Arrivée à ${formatTime(at("09:05"))} (par claire)`);
      expect(out).toContain(`Départ à ${formatTime(at("16:40"))} (par marc), badge non rendu`);
      expect(screen.getByTestId(`visitor-state-${CLOSED}`).textContent).toContain(
        "Parti sans passer à l’accueil (visite clôturée automatiquement)",
      );

      // Arrival for who is not there yet, departure for who is in; nothing once gone.
      expect(screen.getByTestId(`visitor-check-in-${WAITED}`).textContent).toBe("Arrivé");
      expect(screen.queryByTestId(`visitor-check-out-${WAITED}`)).toBeNull();
      expect(screen.queryByTestId(`visitor-check-in-${IN}`)).toBeNull();
      expect(screen.getByTestId(`visitor-check-out-${IN}`).textContent).toBe("Parti");
      expect((screen.getByTestId(`visitor-badge-returned-${IN}`) as HTMLInputElement).checked).toBe(true);
      for (const id of [OUT, CLOSED]) {
        expect(screen.queryByTestId(`visitor-check-in-${id}`)).toBeNull();
        expect(screen.queryByTestId(`visitor-check-out-${id}`)).toBeNull();
      }
      expect(identifiersIn(shownText(container))).toEqual([]);

      setLocale("en");
      await waitFor(() => expect(screen.getByTestId(`visitor-state-${WAITED}`).textContent?.trim()).toBe("Not arrived yet"));
      expect(screen.getByTestId(`visitor-state-${CLOSED}`).textContent).toContain(
        "Left without checking out at the desk (visit closed automatically)",
      );
      expect(screen.getByTestId(`visitor-check-in-${WAITED}`).textContent).toBe("Arrived");
      expect(identifiersIn(shownText(container))).toEqual([]);
    });

    it("records an arrival, says the host was told, then the departure with the badge not returned", async () => {
      const calls: { cmd: string; args: unknown }[] = [];
      let row: Record<string, unknown> = visitorRow(WAITED, "Leroy", { host: { name: "Marie Curie", email: "mcurie@labo.fr" } });
      mockIPC((cmd, args) => {
        calls.push({ cmd, args });
        switch (cmd) {
          case "get_policy":
            return policy;
          case "visitors_of_day":
            return [row];
          case "check_in_visitor":
            row = { ...row, visit: visit(WAITED) };
            return { visit: row.visit, hostTold: true };
          case "check_out_visitor":
            row = { ...row, visit: visit(WAITED, { checkedOutAt: at("17:00"), checkedOutBy: "claire", badgeReturned: false }) };
            return row.visit;
          default:
            return unexpected(cmd);
        }
      });
      render(DayPassTab);
      await fireEvent.click(await screen.findByTestId(`visitor-check-in-${WAITED}`));
      expect((await screen.findByTestId("visitor-notice")).textContent).toBe(
        "Arrivée de LEROY Paul enregistrée ; un e-mail prévient Marie Curie.",
      );
      expect(calls.find((c) => c.cmd === "check_in_visitor")?.args).toEqual({ input: { requestId: WAITED, day: TODAY } });
      // The list is read again: the visitor is in, with their departure to record.
      const box = (await screen.findByTestId(`visitor-badge-returned-${WAITED}`)) as HTMLInputElement;
      expect(calls.filter((c) => c.cmd === "visitors_of_day")).toHaveLength(2);
      expect(screen.getByTestId(`visitor-state-${WAITED}`).textContent).toContain("Arrivée à");

      await fireEvent.click(box);
      expect(box.checked).toBe(false);
      await fireEvent.click(screen.getByTestId(`visitor-check-out-${WAITED}`));
      await waitFor(() =>
        expect(screen.getByTestId("visitor-notice").textContent).toBe("Départ de LEROY Paul enregistré, badge non rendu."),
      );
      expect(calls.find((c) => c.cmd === "check_out_visitor")?.args).toEqual({
        input: { requestId: WAITED, day: TODAY, badgeReturned: false },
      });
      await waitFor(() => expect(screen.getByTestId(`visitor-state-${WAITED}`).textContent).toContain("badge non rendu"));
      expect(calls.filter((c) => c.cmd === "visitors_of_day")).toHaveLength(3);
      expect(screen.queryByTestId(`visitor-check-out-${WAITED}`)).toBeNull();
    });

    it("says when the host could not be told, and sends the badge back by default", async () => {
      const calls: { cmd: string; args: unknown }[] = [];
      mockIPC((cmd, args) => {
        calls.push({ cmd, args });
        switch (cmd) {
          case "get_policy":
            return policy;
          case "visitors_of_day":
            return [
              visitorRow(WAITED, "Leroy", { host: { name: "Louis Pasteur", email: null } }),
              visitorRow(OUT, "Martin"),
              visitorRow(IN, "Durand", { visit: visit(IN) }),
            ];
          case "check_in_visitor":
            return { visit: visit((args as { input: { requestId: string } }).input.requestId), hostTold: false };
          case "check_out_visitor":
            return visit(IN, { checkedOutAt: at("12:00"), checkedOutBy: "claire", badgeReturned: true });
          default:
            return unexpected(cmd);
        }
      });
      render(DayPassTab);
      await fireEvent.click(await screen.findByTestId(`visitor-check-in-${WAITED}`));
      expect((await screen.findByTestId("visitor-notice")).textContent).toContain(
        "aucun e-mail n’a pu prévenir Louis Pasteur",
      );
      // No host: the arrival alone.
      await fireEvent.click(screen.getByTestId(`visitor-check-in-${OUT}`));
      await waitFor(() =>
        expect(screen.getByTestId("visitor-notice").textContent).toBe("Arrivée de MARTIN Paul enregistrée."),
      );
      await fireEvent.click(screen.getByTestId(`visitor-check-out-${IN}`));
      await waitFor(() =>
        expect(screen.getByTestId("visitor-notice").textContent).toBe("Départ de DURAND Paul enregistré, badge rendu."),
      );
      expect(calls.find((c) => c.cmd === "check_out_visitor")?.args).toEqual({
        input: { requestId: IN, day: TODAY, badgeReturned: true },
      });
    });

    it("shows a refused arrival translated, and the list as the backend has it", async () => {
      let reads = 0;
      mockIPC((cmd) => {
        switch (cmd) {
          case "get_policy":
            return policy;
          case "visitors_of_day":
            reads += 1;
            return [visitorRow(WAITED, "Leroy")];
          case "check_in_visitor":
            throw { code: "visit.already_in", message: "Paul Leroy already arrived today" };
          default:
            return unexpected(cmd);
        }
      });
      render(DayPassTab);
      await fireEvent.click(await screen.findByTestId(`visitor-check-in-${WAITED}`));
      const banner = await screen.findByTestId("error-banner");
      expect(banner.dataset.code).toBe("visit.already_in");
      expect(banner.textContent).toContain("L’arrivée de ce visiteur est déjà enregistrée pour ce jour.");
      expect(screen.queryByTestId("visitor-notice")).toBeNull();
      await waitFor(() => expect(reads).toBe(2));
    });

    it("records arrivals and departures of the day listed, and none for a day to come", async () => {
      const yesterday = dayOffset(-1);
      const calls: { cmd: string; args: unknown }[] = [];
      mockIPC((cmd, args) => {
        calls.push({ cmd, args });
        switch (cmd) {
          case "get_policy":
            return policy;
          case "visitors_of_day": {
            const day = (args as { input: { day: string } }).input.day;
            return [visitorRow(IN, day === TODAY ? "Durand" : "Hier", { visit: visit(IN, { day }) })];
          }
          case "check_out_visitor":
            throw { code: "visit.already_out", message: "Paul Durand already left" };
          default:
            return unexpected(cmd);
        }
      });
      render(DayPassTab);
      await screen.findByTestId(`visitor-check-out-${IN}`);

      await fireEvent.input(screen.getByTestId("visitors-day"), { target: { value: typedDate(yesterday) } });
      await fireEvent.click(screen.getByTestId("visitors-refresh"));
      await waitFor(() =>
        expect(calls.filter((c) => c.cmd === "visitors_of_day").at(-1)?.args).toEqual({ input: { day: yesterday } }),
      );
      await screen.findByText("HIER Paul");
      await fireEvent.click(await screen.findByTestId(`visitor-check-out-${IN}`));
      expect((await screen.findByTestId("error-banner")).dataset.code).toBe("visit.already_out");
      expect(calls.find((c) => c.cmd === "check_out_visitor")?.args).toEqual({
        input: { requestId: IN, day: yesterday, badgeReturned: true },
      });

      await fireEvent.input(screen.getByTestId("visitors-day"), { target: { value: typedDate(dayOffset(1)) } });
      await fireEvent.click(screen.getByTestId("visitors-refresh"));
      await waitFor(() =>
        expect(calls.filter((c) => c.cmd === "visitors_of_day").at(-1)?.args).toEqual({ input: { day: dayOffset(1) } }),
      );
      await waitFor(() => expect(screen.queryByTestId(`visitor-check-out-${IN}`)).toBeNull());
      expect(screen.getByTestId("visitors-table")).toBeTruthy();
    });
  });
});
