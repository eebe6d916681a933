import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import RefusedVisitorsTab from "./RefusedVisitorsTab.svelte";
import { unexpected } from "./fixtures";
import { countersignState, settleCountersign } from "../security/countersign.svelte";
import { formatDateTime, setLocale } from "../i18n/index.svelte";
import { identifiersIn, shownText } from "../i18n/identifiers";
import { dayOffset } from "../time/testing";

const FIRST = "0190a0b0-0000-7000-8000-0000000000r1";
const SECOND = "0190a0b0-0000-7000-8000-0000000000r2";

function refused(id: string, familyName: string, givenNames: string, reason: string, organisation: string | null = null) {
  return { id, familyName, givenNames, organisation, reason, addedBy: "alice", addedAt: `${dayOffset(-3)}T10:15:00Z` };
}

const SUPERVISOR_REQUIRED = {
  code: "operator.supervisor_required",
  message: "'bob' is not a supervisor: change_settings needs a supervisor or a supervisor's countersign",
  countersign: { action: "change_settings", target: "refused_visitors" },
};

describe("RefusedVisitorsTab", () => {
  afterEach(() => {
    if (countersignState.pending) settleCountersign(false);
    setLocale("fr");
  });

  it("lists the refused visitors with why, who added them and when, and says what the list does", async () => {
    mockIPC((cmd) => {
      if (cmd === "refused_visitors") {
        return [refused(FIRST, "Leroy", "Paul", "Badge prêté à un tiers", "Acme"), refused(SECOND, "Martin", "", "Comportement")];
      }
      return unexpected(cmd);
    });
    const { container } = render(RefusedVisitorsTab);
    const rows = await screen.findAllByTestId("refused-visitor");
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toContain("LEROY Paul");
    expect(rows[0].textContent).toContain("Acme");
    expect(rows[0].textContent).toContain("Badge prêté à un tiers");
    expect(rows[0].textContent).toContain(`le ${formatDateTime(`${dayOffset(-3)}T10:15:00Z`)}, par alice`);
    expect(within(rows[1]).getAllByRole("cell")[0].textContent).toBe("MARTIN");
    expect(screen.getByTestId(`refused-remove-${FIRST}`).textContent).toBe("Retirer de la liste");
    expect(container.textContent).toContain("Aucun badge n’est délivré à une personne de cette liste");
    expect(identifiersIn(shownText(container))).toEqual([]);

    setLocale("en");
    await waitFor(() => expect(screen.getByTestId("refused-add").textContent).toBe("Add to the list"));
    expect(container.textContent).toContain("No badge is issued to anyone on this list");
    expect(identifiersIn(shownText(container))).toEqual([]);
  });

  it("adds a person through a supervisor's countersign, then reads the list again", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    let list = [refused(FIRST, "Leroy", "Paul", "Badge prêté à un tiers")];
    let signed = false;
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      switch (cmd) {
        case "refused_visitors":
          return list;
        case "add_refused_visitor": {
          if (!signed) throw SUPERVISOR_REQUIRED;
          const input = (args as { input: { familyName: string; givenNames: string; organisation: string | null; reason: string } }).input;
          const entry = { ...refused(SECOND, input.familyName, input.givenNames, input.reason, input.organisation), addedBy: "bob" };
          list = [...list, entry];
          return entry;
        }
        default:
          return unexpected(cmd);
      }
    });
    render(RefusedVisitorsTab);
    expect(await screen.findByTestId("refused-table")).toBeTruthy();
    expect(screen.getByLabelText("Nom")).toBe(screen.getByTestId("refused-family-name"));
    expect(screen.getByLabelText("Motif du refus")).toBe(screen.getByTestId("refused-reason"));
    await fireEvent.input(screen.getByTestId("refused-family-name"), { target: { value: " Durand " } });
    await fireEvent.input(screen.getByTestId("refused-given-names"), { target: { value: "Zoé" } });
    await fireEvent.input(screen.getByTestId("refused-organisation"), { target: { value: "  " } });
    await fireEvent.input(screen.getByTestId("refused-reason"), { target: { value: "Badges volés" } });
    await fireEvent.click(screen.getByTestId("refused-add"));

    // A clerk: the countersign dialog opens for the settings; a supervisor signs.
    await waitFor(() => expect(countersignState.pending?.action).toBe("change_settings"));
    expect(countersignState.pending?.target).toBe("refused_visitors");
    signed = true;
    settleCountersign(true);

    expect((await screen.findByTestId("refused-notice")).textContent).toBe(
      "DURAND Zoé est désormais sur la liste des visiteurs refusés.",
    );
    const adds = calls.filter((c) => c.cmd === "add_refused_visitor");
    expect(adds).toHaveLength(2);
    expect(adds[1].args).toEqual({
      input: { familyName: "Durand", givenNames: "Zoé", organisation: null, reason: "Badges volés" },
    });
    await waitFor(() => expect(screen.getAllByTestId("refused-visitor")).toHaveLength(2));
    expect(calls.filter((c) => c.cmd === "refused_visitors")).toHaveLength(2);
    expect((screen.getByTestId("refused-family-name") as HTMLInputElement).value).toBe("");
    expect(screen.queryByTestId("error-banner")).toBeNull();
  });

  it("shows an incomplete entry refused, translated, and keeps what was typed", async () => {
    mockIPC((cmd) => {
      if (cmd === "refused_visitors") return [];
      if (cmd === "add_refused_visitor") throw { code: "visit.refused_incomplete", message: "a refused visitor needs a family name and a reason" };
      return unexpected(cmd);
    });
    render(RefusedVisitorsTab);
    expect((await screen.findByTestId("refused-empty")).textContent).toBe("Personne n’est sur la liste.");
    await fireEvent.input(screen.getByTestId("refused-family-name"), { target: { value: "Durand" } });
    await fireEvent.input(screen.getByTestId("refused-reason"), { target: { value: "   " } });
    await fireEvent.click(screen.getByTestId("refused-add"));
    const banner = await screen.findByTestId("error-banner");
    expect(banner.dataset.code).toBe("visit.refused_incomplete");
    expect(banner.textContent).toContain("Indiquez au moins le nom de la personne et le motif du refus.");
    expect((screen.getByTestId("refused-family-name") as HTMLInputElement).value).toBe("Durand");
    expect(screen.queryByTestId("refused-notice")).toBeNull();
  });

  it("takes a person off the list, and leaves them on it when the countersign is given up", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    let list = [refused(FIRST, "Leroy", "Paul", "Badge prêté à un tiers"), refused(SECOND, "Martin", "Léa", "Comportement")];
    let clerk = false;
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      switch (cmd) {
        case "refused_visitors":
          return list;
        case "remove_refused_visitor": {
          if (clerk) throw SUPERVISOR_REQUIRED;
          const id = (args as { id: string }).id;
          list = list.filter((entry) => entry.id !== id);
          return null;
        }
        default:
          return unexpected(cmd);
      }
    });
    render(RefusedVisitorsTab);
    await fireEvent.click(await screen.findByTestId(`refused-remove-${FIRST}`));
    expect((await screen.findByTestId("refused-notice")).textContent).toBe(
      "LEROY Paul n’est plus sur la liste des visiteurs refusés.",
    );
    expect(calls.find((c) => c.cmd === "remove_refused_visitor")?.args).toEqual({ id: FIRST });
    await waitFor(() => expect(screen.getAllByTestId("refused-visitor")).toHaveLength(1));

    clerk = true;
    await fireEvent.click(screen.getByTestId(`refused-remove-${SECOND}`));
    await waitFor(() => expect(countersignState.pending?.action).toBe("change_settings"));
    settleCountersign(false);
    const banner = await screen.findByTestId("error-banner");
    expect(banner.dataset.code).toBe("operator.supervisor_required");
    expect(banner.textContent).toContain("superviseur");
    expect(screen.getAllByTestId("refused-visitor")).toHaveLength(1);
    expect(screen.queryByTestId("refused-notice")).toBeNull();
  });

  it("shows why the list could not be read, and reads it again on demand", async () => {
    let fail = true;
    mockIPC((cmd) => {
      if (cmd === "refused_visitors") {
        if (fail) throw { code: "store.unavailable", message: "database is locked" };
        return [];
      }
      return unexpected(cmd);
    });
    render(RefusedVisitorsTab);
    const banner = await screen.findByTestId("error-banner");
    expect(banner.dataset.code).toBe("store.unavailable");
    fail = false;
    await fireEvent.click(within(banner).getByRole("button", { name: "Réessayer" }));
    expect(await screen.findByTestId("refused-empty")).toBeTruthy();
    expect(screen.queryByTestId("error-banner")).toBeNull();
  });
});
