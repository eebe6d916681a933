import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import LoansTab from "./LoansTab.svelte";
import { badge, badgeRow, unexpected } from "./fixtures";
import { setLocale } from "../i18n/index.svelte";
import { identifiersIn, shownText } from "../i18n/identifiers";
import { dayOffset } from "../time/testing";
import type { LendCardInput } from "../ipc/generated/LendCardInput";

function loanRow(overrides: { cardSerial?: string | null } = {}) {
  return {
    loan: {
      id: "0190a0b0-0000-7000-8000-00000000l001",
      originalBadgeId: badge("B000101").id,
      loanBadgeId: badge("B000900").id,
      lentAt: `${dayOffset(0)}T08:30:00Z`,
      lentBy: "alice",
      dueOn: dayOffset(1),
      reason: "badge oublié",
      endedAt: null,
      endedBy: null,
      endedHow: null,
    },
    original: badge("B000101", { status: "suspended" }),
    loanBadge: badge("B000900", { cardSerial: overrides.cardSerial ?? "0A0B0C0D", validUntil: dayOffset(1) }),
    familyName: "Dupont",
    givenNames: "Zoé",
  };
}

describe("LoansTab", () => {
  afterEach(() => setLocale("fr"));

  for (const locale of ["fr", "en"] as const) {
    it(`lends the card on the reader in place of the badge found, in ${locale}`, async () => {
      setLocale(locale);
      const lent: LendCardInput[] = [];
      let out: unknown[] = [];
      mockIPC((cmd, args) => {
        switch (cmd) {
          case "open_loans":
            return out;
          case "find_badges":
            return [badgeRow("B000101"), badgeRow("B000099", { status: "expired" })];
          case "lend_card": {
            lent.push((args as { input: LendCardInput }).input);
            out = [loanRow()];
            return loanRow();
          }
          default:
            return unexpected(cmd);
        }
      });
      render(LoansTab);
      expect((await screen.findByTestId("loans-none")).textContent).toBe(
        locale === "fr" ? "Aucune carte prêtée en ce moment." : "No card on loan right now.",
      );
      await fireEvent.input(screen.getByTestId("loan-search"), { target: { value: "Dupont" } });
      await fireEvent.click(screen.getByTestId("loan-find"));
      // The only active badge among those found is chosen.
      const form = await screen.findByTestId("loan-form");
      expect(form.textContent).toContain("B000101");
      await fireEvent.input(screen.getByTestId("loan-days"), { target: { value: "2" } });
      await fireEvent.input(screen.getByTestId("loan-reason"), { target: { value: "badge oublié" } });
      await fireEvent.click(screen.getByTestId("loan-lend"));
      const notice = await screen.findByTestId("loan-notice");
      expect(notice.textContent).toContain("B000900");
      expect(notice.textContent).toContain("B000101");
      expect(lent).toEqual([
        {
          badgeId: badge("B000101").id,
          expectedVersion: 3,
          days: 2,
          reason: "badge oublié",
          typedUid: null,
          readCard: true,
          reader: null,
        },
      ]);
      await waitFor(() => expect(screen.getAllByTestId("loan-row")).toHaveLength(1));
      expect(identifiersIn(shownText(screen.getByTestId("loans-tab")))).toEqual([]);
    });
  }

  it("takes a loan card back, and names a refusal without changing the list", async () => {
    let out = [loanRow()];
    let refuse = true;
    mockIPC((cmd, args) => {
      switch (cmd) {
        case "open_loans":
          return out;
        case "return_loan_card":
          expect((args as { input: unknown }).input).toEqual({ loanBadgeId: badge("B000900").id });
          if (refuse) throw { code: "loan.not_a_loan", message: "badge 'B000900' is not a loan card out" };
          out = [];
          return { ...loanRow(), original: badge("B000101", { status: "active" }) };
        default:
          return unexpected(cmd);
      }
    });
    render(LoansTab);
    const back = await screen.findByTestId("loan-return-B000900");
    await fireEvent.click(back);
    expect((await screen.findByTestId("error-banner")).dataset.code).toBe("loan.not_a_loan");
    expect(screen.getAllByTestId("loan-row")).toHaveLength(1);
    refuse = false;
    await fireEvent.click(back);
    expect((await screen.findByTestId("loan-notice")).textContent).toBe(
      "Carte de prêt B000900 rendue ; le badge B000101 fonctionne de nouveau.",
    );
    await screen.findByTestId("loans-none");
  });

  it("lends with a typed UID", async () => {
    const lent: LendCardInput[] = [];
    mockIPC((cmd, args) => {
      switch (cmd) {
        case "open_loans":
          return [];
        case "find_badges":
          return [badgeRow("B000101")];
        case "lend_card":
          lent.push((args as { input: LendCardInput }).input);
          return loanRow();
        default:
          return unexpected(cmd);
      }
    });
    render(LoansTab);
    await fireEvent.input(screen.getByTestId("loan-search"), { target: { value: "B000101" } });
    await fireEvent.click(screen.getByTestId("loan-find"));
    await screen.findByTestId("loan-form");
    await fireEvent.click(screen.getByTestId("loan-card-typed"));
    await fireEvent.input(await screen.findByTestId("loan-card-uid"), { target: { value: "0a:0b:0c:0d" } });
    await fireEvent.input(screen.getByTestId("loan-reason"), { target: { value: "oubli" } });
    await fireEvent.click(screen.getByTestId("loan-lend"));
    await screen.findByTestId("loan-notice");
    expect(lent[0]).toMatchObject({ typedUid: "0a:0b:0c:0d", readCard: false, days: 1 });
  });
});
