import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import AutomaticChangesTab from "./AutomaticChangesTab.svelte";
import { badge, badgeRow, housekeepingRun, unexpected } from "./fixtures";
import { officePolicy } from "../settings/fixtures";
import { formatDate, formatDateTime, formatTime, setLocale } from "../i18n/index.svelte";
import { identifiersIn, shownText } from "../i18n/identifiers";
import { dayOffset } from "../time/testing";

/** A badge a category rule ended: the row as it is now, with the rule and what it counted from. */
function ruleChange(number: string, rule: string, since: string, status: string) {
  return { ...badgeRow(number, { status }), rule, since, previousStatus: "active" };
}

/** A run that did a bit of everything, with a failed step. */
function busyRun() {
  return housekeepingRun(7, dayOffset(-1), {
    expired: [
      {
        badgeId: badge("B000101").id,
        badgeNumber: "B000101",
        familyName: "Martin",
        givenNames: "Léa",
        validUntil: dayOffset(-2),
        status: "expired",
      },
    ],
    ruleChanges: [
      ruleChange("B000102", "mission_ended", dayOffset(-5), "expired"),
      ruleChange("B000103", "after_first_use", dayOffset(-4), "expired"),
      ruleChange("B000104", "unused", dayOffset(-200), "deactivated"),
    ],
    visitsClosed: [
      {
        visit: {
          id: "0190a0b0-0000-7000-8000-00000000v001",
          requestId: "0190a0b0-0000-7000-8000-000000000031",
          day: dayOffset(-2),
          checkedInAt: new Date(`${dayOffset(-2)}T09:05:00`).toISOString(),
          checkedInBy: "claire",
          checkedOutAt: `${dayOffset(-1)}T06:00:00Z`,
          checkedOutBy: "housekeeping",
          automaticCheckout: true,
          badgeReturned: null,
        },
        familyName: "Leroy",
        givenNames: "Paul",
        badgeNumber: "V000012",
      },
    ],
    loansEnded: [
      {
        loan: {
          id: "0190a0b0-0000-7000-8000-00000000l001",
          originalBadgeId: badge("B000105").id,
          loanBadgeId: badge("P000009").id,
          lentAt: `${dayOffset(-3)}T08:00:00Z`,
          lentBy: "Claire",
          dueOn: dayOffset(-2),
          reason: "badge oublié",
          endedAt: `${dayOffset(-1)}T06:00:00Z`,
          endedBy: "housekeeping",
          endedHow: "expired",
        },
        original: badge("B000105", { status: "active" }),
        loanBadge: badge("P000009", { status: "expired" }),
        familyName: "Bernard",
        givenNames: "Hugo",
      },
    ],
    reminders: { badges: 4, queued: 2, alreadyQueued: 2, withoutEmail: 0, disabled: false, noticeDays: 30 },
    directory: {
      dryRun: false,
      updated: [{ holderId: "h1", name: "DURAND Paul", fields: ["familyName", "email"] }],
      unchanged: 40,
      leavers: 3,
      refused: [],
    },
    exports: [
      {
        profileId: "portes-hall",
        file: { path: "/srv/sortie/portes-hall.csv", bytes: 1200 },
        folder: "/srv/sortie",
        badges: 12,
        photos: 10,
        withoutPhoto: [],
        foldedLines: 0,
        since: null,
      },
    ],
    failures: [
      { step: "exports", profile: "parking", error: { code: "export.write_failed", message: "permission denied: /mnt/parking" } },
      { step: "directory", profile: null, error: { code: "directory.unreachable", message: "ldap.example.org:636 timed out" } },
    ],
  });
}

describe("AutomaticChangesTab", () => {
  afterEach(() => setLocale("fr"));

  it("shows each run of the last 30 days with what housekeeping changed, in words", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "housekeeping_history") return [busyRun()];
      if (cmd === "get_policy") return officePolicy();
      return unexpected(cmd);
    });
    const { container } = render(AutomaticChangesTab);
    const run = await screen.findByTestId("housekeeping-run");
    expect(calls.find((c) => c.cmd === "housekeeping_history")?.args).toEqual({ days: 30 });
    expect((screen.getByTestId("automatic-days") as HTMLInputElement).value).toBe("30");

    // When, and by which account.
    const text = run.textContent ?? "";
    expect(text).toContain(`Entretien du ${formatDateTime(busyRun().startedAt)}`);
    expect(screen.getByTestId("housekeeping-run-by").textContent).toBe("Lancé par le compte d’entretien");
    expect(text).not.toContain("pour la journée du");

    // Expired at the end of validity.
    const expired = screen.getAllByTestId("expired-badge");
    expect(expired).toHaveLength(1);
    expect(expired[0].textContent).toContain("MARTIN Léa");
    expect(expired[0].textContent).toContain("B000101");
    expect(expired[0].textContent).toContain(formatDate(dayOffset(-2)));

    // Ended by the category's rules: the rule in words, the status before and after.
    const changes = screen.getAllByTestId("rule-change");
    expect(changes.map((row) => within(row).getAllByRole("cell")[1].textContent)).toEqual([
      "B000102",
      "B000103",
      "B000104",
    ]);
    expect(changes[0].textContent).toContain("DUPONT Zoé");
    expect(changes[0].textContent).toContain("Personnel");
    expect(changes[0].textContent).toContain(`fin de mission le ${formatDate(dayOffset(-5))}`);
    expect(changes[0].textContent).toContain("actif → expiré");
    expect(changes[1].textContent).toContain(`délai écoulé après le premier passage (le ${formatDate(dayOffset(-4))})`);
    expect(changes[2].textContent).toContain(`inutilisé depuis le ${formatDate(dayOffset(-200))}`);
    expect(changes[2].textContent).toContain("actif → désactivé");

    // Visits nobody checked out: closed, the badge not seen back.
    const visits = screen.getByTestId("housekeeping-visits");
    expect(visits.textContent).toContain("Visiteurs partis sans passer à l’accueil : visites clôturées, badge non revu (1)");
    const closed = screen.getAllByTestId("visit-closed");
    expect(closed).toHaveLength(1);
    expect(closed[0].textContent).toContain("LEROY Paul");
    expect(closed[0].textContent).toContain("V000012");
    expect(closed[0].textContent).toContain(formatDate(dayOffset(-2)));
    expect(closed[0].textContent).toContain(formatTime(new Date(`${dayOffset(-2)}T09:05:00`).toISOString()));

    // Loan cards ended, the original badge with its status.
    const loan = screen.getByTestId("loan-ended");
    expect(loan.textContent).toContain("BERNARD Hugo");
    expect(loan.textContent).toContain("P000009");
    expect(loan.textContent).toContain("B000105 (actif)");

    // The directory: holders updated with what changed, leavers counted.
    const directory = screen.getByTestId("housekeeping-directory");
    expect(directory.textContent).toContain("1 titulaire(s) mis à jour, 40 inchangé(s), 3 départ(s) à examiner.");
    expect(screen.getByTestId("housekeeping-directory-updated").textContent).toBe("DURAND Paul : nom, e-mail");

    // Exports and reminders.
    expect(screen.getByTestId("housekeeping-export").textContent?.trim()).toBe(
      "« portes-hall » : 12 badge(s), 10 photo(s), fichier /srv/sortie/portes-hall.csv",
    );
    expect(screen.getByTestId("housekeeping-reminders").textContent).toBe("2 rappel(s) d’échéance mis en file d’envoi.");

    // Failures by their code, in French: the backend's English detail stays off screen.
    const failures = screen.getAllByTestId("housekeeping-failure").map((li) => li.textContent);
    expect(failures).toEqual([
      "Export « parking » vers le contrôle d’accès : Le fichier exporté n’a pas pu être écrit.",
      "Mise à jour depuis l’annuaire : L’annuaire ne répond pas (serveur injoignable) : vérifiez l’adresse et le port, ou réessayez plus tard.",
    ]);
    expect(text).not.toContain("permission denied");
    expect(text).not.toContain("timed out");

    expect(screen.queryByTestId("housekeeping-run-nothing")).toBeNull();
    expect(screen.queryByTestId("automatic-none")).toBeNull();
    expect(identifiersIn(shownText(container))).toEqual([]);
  });

  it("says when no housekeeping ran in the period, and asks again for the days typed", async () => {
    const asked: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "housekeeping_history") {
        asked.push(args);
        return (args as { days: number }).days === 90 ? [housekeepingRun(3, dayOffset(-60))] : [];
      }
      if (cmd === "get_policy") return officePolicy();
      return unexpected(cmd);
    });
    render(AutomaticChangesTab);
    expect((await screen.findByTestId("automatic-none")).textContent).toBe(
      "Aucun entretien enregistré sur les 30 derniers jours : rien n’a été changé automatiquement.",
    );
    expect(screen.queryByTestId("housekeeping-run")).toBeNull();

    // A delay that is no number is refused before asking the backend.
    await fireEvent.input(screen.getByTestId("automatic-days"), { target: { value: "trois" } });
    await fireEvent.click(screen.getByTestId("automatic-refresh"));
    expect(await screen.findByRole("alert")).toBeTruthy();
    expect(asked).toHaveLength(1);

    await fireEvent.input(screen.getByTestId("automatic-days"), { target: { value: "90" } });
    await fireEvent.click(screen.getByTestId("automatic-refresh"));
    const run = await screen.findByTestId("housekeeping-run");
    expect(asked).toEqual([{ days: 30 }, { days: 90 }]);
    expect(screen.queryByTestId("automatic-none")).toBeNull();
    // A quiet day: said so, with no empty list drawn.
    expect(within(run).getByTestId("housekeeping-run-nothing").textContent).toBe("Rien n’était à changer.");
    for (const section of ["expired", "rules", "visits", "loans", "directory", "exports", "reminders", "failures"]) {
      expect(screen.queryByTestId(`housekeeping-${section}`), section).toBeNull();
    }
  });

  it("lists the newest run first, in English, with who ran it and the day a late run caught up", async () => {
    setLocale("en");
    mockIPC((cmd) => {
      if (cmd === "housekeeping_history") {
        return [
          housekeepingRun(9, dayOffset(-1), {
            operator: "Claire Petit",
            ruleChanges: [
              ruleChange("B000102", "mission_ended", dayOffset(-5), "expired"),
              ruleChange("B000103", "after_first_use", dayOffset(-4), "expired"),
              ruleChange("B000104", "unused", dayOffset(-200), "deactivated"),
            ],
          }),
          // Run on the 8th for the 6th (a missed day caught up with --today).
          { ...housekeepingRun(8, dayOffset(-6), {}, "23:00"), startedAt: new Date(`${dayOffset(-2)}T09:30:00`).toISOString() },
        ];
      }
      // The categories cannot be read: their keys show.
      return unexpected(cmd);
    });
    const { container } = render(AutomaticChangesTab);
    await waitFor(() => expect(screen.getAllByTestId("housekeeping-run")).toHaveLength(2));
    const [newest, older] = screen.getAllByTestId("housekeeping-run");
    expect(within(newest).getByTestId("housekeeping-run-by").textContent).toBe("Run by Claire Petit");
    const changes = within(newest).getAllByTestId("rule-change").map((row) => row.textContent ?? "");
    expect(changes[0]).toContain(`mission ended on ${formatDate(dayOffset(-5))}`);
    expect(changes[0]).toContain("active → expired");
    expect(changes[1]).toContain(`time limit after first use passed (first used on ${formatDate(dayOffset(-4))})`);
    expect(changes[2]).toContain(`unused since ${formatDate(dayOffset(-200))}`);
    expect(changes[2]).toContain("active → deactivated");
    expect(changes[0]).toContain("staff");
    expect(within(older).getByRole("heading", { level: 3 }).textContent).toContain(`for ${formatDate(dayOffset(-6))}`);
    expect(within(older).getByTestId("housekeeping-run-by").textContent).toBe("Run by the housekeeping account");
    expect(within(older).getByTestId("housekeeping-run-nothing").textContent).toBe("Nothing needed changing.");
    expect(identifiersIn(shownText(container))).toEqual([]);
  });

  it("shows why the history could not be read, and reads it again on demand", async () => {
    let fail = true;
    mockIPC((cmd) => {
      if (cmd === "housekeeping_history") {
        if (fail) throw { code: "store.unavailable", message: "database is locked" };
        return [];
      }
      return unexpected(cmd);
    });
    render(AutomaticChangesTab);
    const banner = await screen.findByTestId("error-banner");
    expect(banner.getAttribute("data-code")).toBe("store.unavailable");
    expect(screen.queryByTestId("automatic-none")).toBeNull();
    fail = false;
    await fireEvent.click(within(banner).getByRole("button"));
    expect(await screen.findByTestId("automatic-none")).toBeTruthy();
    expect(screen.queryByTestId("error-banner")).toBeNull();
  });
});
