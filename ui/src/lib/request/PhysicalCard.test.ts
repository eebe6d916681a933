import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import PhysicalCard from "./PhysicalCard.svelte";
import { setLocale } from "../i18n/index.svelte";
import { identifiersIn } from "../i18n/identifiers";
import { badge, unexpected } from "../badges/fixtures";
import type { Badge } from "../ipc/generated/Badge";
import type { BindCardInput } from "../ipc/generated/BindCardInput";

const READERS = [
  { name: "ACS ACR1252 1S CL Reader PICC 0", cardPresent: true },
  { name: "Identiv uTrust 3700 F 01", cardPresent: true },
];

function bound(input: BindCardInput, uid: string, reader: string | null) {
  return { badge: badge("B000042", { cardSerial: uid, version: input.expectedVersion + 1 }), uid, reader };
}

describe("PhysicalCard", () => {
  afterEach(() => setLocale("fr"));

  for (const locale of ["fr", "en"] as const) {
    it(`binds the card on the reader and says which, in ${locale}`, async () => {
      setLocale(locale);
      const asked: BindCardInput[] = [];
      let changed = 0;
      mockIPC((cmd, args) => {
        if (cmd === "bind_card") {
          const input = (args as { input: BindCardInput }).input;
          asked.push(input);
          return bound(input, "04A224B2C35E80", READERS[0].name);
        }
        return unexpected(cmd);
      });
      render(PhysicalCard, { badge: badge("B000042") as Badge, onchanged: () => changed++ });
      const none = screen.getByTestId("badge-card-none");
      expect(none.textContent).toBe(locale === "fr" ? "Aucune carte liée à ce badge." : "No card bound to this badge.");
      await fireEvent.click(screen.getByTestId("badge-card-read"));
      const notice = await screen.findByTestId("badge-card-notice");
      expect(notice.textContent).toContain(
        locale === "fr" ? "Carte 04:A2:24:B2:C3:5E:80 liée au badge B000042." : "Card 04:A2:24:B2:C3:5E:80 bound to badge B000042.",
      );
      expect(notice.textContent).toContain(READERS[0].name);
      expect(identifiersIn(screen.getByTestId("badge-card").textContent ?? "")).toEqual([]);
      expect(asked).toEqual([{ badgeId: badge("B000042").id, expectedVersion: 3, typedUid: null, reader: null }]);
      expect(changed).toBe(1);
    });
  }

  it("offers the readers when a card lies on several, and reads on the one chosen", async () => {
    const asked: BindCardInput[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "bind_card") {
        const input = (args as { input: BindCardInput }).input;
        asked.push(input);
        if (input.reader === null) throw { code: "card.several_readers", message: "a card lies on several readers" };
        return bound(input, "DEADBEEF", input.reader);
      }
      if (cmd === "card_readers") return READERS;
      return unexpected(cmd);
    });
    render(PhysicalCard, { badge: badge("B000042") as Badge, onchanged: () => {} });
    await fireEvent.click(screen.getByTestId("badge-card-read"));
    const banner = await screen.findByTestId("error-banner");
    expect(banner.dataset.code).toBe("card.several_readers");
    expect(banner.textContent).toContain("Une carte est posée sur plusieurs lecteurs");
    const select = (await screen.findByTestId("badge-card-reader")) as HTMLSelectElement;
    await fireEvent.change(select, { target: { value: READERS[1].name } });
    await fireEvent.click(screen.getByTestId("badge-card-read"));
    await screen.findByTestId("badge-card-notice");
    expect(asked.map((a) => a.reader)).toEqual([null, READERS[1].name]);
    expect(screen.queryByTestId("error-banner")).toBeNull();
  });

  it("asks for the card while a reading waits on the reader, and only then", async () => {
    const answers: ((value: unknown) => void)[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "bind_card") {
        const input = (args as { input: BindCardInput }).input;
        return new Promise((resolve) => answers.push(() => resolve(bound(input, "DEADBEEF", null))));
      }
      return unexpected(cmd);
    });
    render(PhysicalCard, { badge: badge("B000042") as Badge, onchanged: () => {} });
    const read = screen.getByTestId("badge-card-read") as HTMLButtonElement;
    expect(read.textContent?.trim()).toBe("Lire la carte sur le lecteur");

    await fireEvent.click(read);
    await waitFor(() => expect(answers).toHaveLength(1));
    expect(read.textContent?.trim()).toBe("Posez la carte sur le lecteur…");
    expect(read.disabled).toBe(true);
    answers[0](null);
    await waitFor(() => expect(read.disabled).toBe(false));
    expect(read.textContent?.trim()).toBe("Lire la carte sur le lecteur");

    // A typed UID being bound keeps the buttons waiting, without asking for a card.
    await fireEvent.input(screen.getByTestId("badge-card-typed"), { target: { value: "DEADBEEF" } });
    await fireEvent.click(screen.getByTestId("badge-card-bind"));
    await waitFor(() => expect(answers).toHaveLength(2));
    expect(read.disabled).toBe(true);
    expect(read.textContent?.trim()).toBe("Lire la carte sur le lecteur");
    answers[1](null);
    await waitFor(() => expect(read.disabled).toBe(false));
  });

  it("binds a typed UID, shows a refusal, and takes a card off", async () => {
    const asked: unknown[] = [];
    mockIPC((cmd, args) => {
      asked.push({ cmd, args });
      if (cmd === "bind_card") {
        const input = (args as { input: BindCardInput }).input;
        if (input.typedUid === "DEADBEE") throw { code: "card.bad_uid", message: "'DEADBEE' is not a card UID" };
        throw { code: "badge.card_serial_taken", message: "card serial 'DEADBEEF' is already on badge 'B000007'" };
      }
      if (cmd === "unbind_card") return badge("B000042", { version: 5 });
      return unexpected(cmd);
    });
    render(PhysicalCard, { badge: badge("B000042", { cardSerial: "04A224B2C35E80", version: 4 }) as Badge, onchanged: () => {} });
    expect(screen.getByTestId("badge-card-uid").textContent).toBe("Carte liée : 04:A2:24:B2:C3:5E:80");
    const typed = screen.getByTestId("badge-card-typed");
    await fireEvent.input(typed, { target: { value: "DEADBEE" } });
    await fireEvent.click(screen.getByTestId("badge-card-bind"));
    expect((await screen.findByTestId("error-banner")).dataset.code).toBe("card.bad_uid");
    await fireEvent.input(typed, { target: { value: "DEADBEEF" } });
    await fireEvent.click(screen.getByTestId("badge-card-bind"));
    await waitFor(() => expect(screen.getByTestId("error-banner").dataset.code).toBe("badge.card_serial_taken"));
    expect(screen.getByTestId("error-banner").textContent).toContain("B000007");
    expect((typed as HTMLInputElement).value).toBe("DEADBEEF");

    await fireEvent.click(screen.getByTestId("badge-card-unbind"));
    expect((await screen.findByTestId("badge-card-notice")).textContent).toBe("La carte n’est plus liée à ce badge.");
    expect(asked.at(-1)).toEqual({
      cmd: "unbind_card",
      args: { input: { badgeId: badge("B000042").id, expectedVersion: 4 } },
    });
  });

  it("offers nothing to change on a badge that ended", () => {
    mockIPC((cmd) => unexpected(cmd));
    render(PhysicalCard, { badge: badge("B000042", { status: "returned", cardSerial: "DEADBEEF" }) as Badge, onchanged: () => {} });
    expect(screen.getByTestId("badge-card-uid").textContent).toBe("Carte liée : DE:AD:BE:EF");
    expect(screen.queryByTestId("badge-card-read")).toBeNull();
    expect(screen.queryByTestId("badge-card-typed")).toBeNull();
  });
});
