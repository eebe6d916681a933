import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import { dayOffset } from "../time/testing";
import { commands, IpcError } from "../ipc";
import CountersignHost from "./CountersignHost.svelte";
import ErrorBanner from "../widgets/ErrorBanner.svelte";
import { countersignState, refusedCountersign, withCountersign } from "./countersign.svelte";

const refused = (action: string, target = "requests:r1") => ({
  code: "operator.supervisor_required",
  message: `'bob' is not a supervisor: ${action} needs a supervisor or a supervisor's countersign`,
  countersign: { action, target },
});
const asIpc = (raw: ReturnType<typeof refused>) => new IpcError(raw.code, raw.message, raw.countersign);

function signedSession(action: string | null) {
  return {
    operator: "bob",
    displayName: "Bob",
    role: "clerk",
    hasPin: true,
    countersignedBy: "alice",
    countersignAction: action, countersignTarget: null,
    countersignUntil: `${dayOffset(0)}T10:05:00Z`,
    locked: false,
    lockAfterMinutes: 0,
  };
}

/** A backend where `reprint` needs alice's countersign (PIN 482193). */
function backend() {
  const calls: { cmd: string; args: unknown }[] = [];
  let signed = false;
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === "countersign") {
      const input = (args as { input: { supervisor: string; pin: string; action: string; target: string } }).input;
      if (input.supervisor !== "alice" || input.pin !== "482193") {
        throw { code: "operator.pin_wrong", message: `wrong PIN for '${input.supervisor}'` };
      }
      signed = true;
      return signedSession(input.action);
    }
    if (cmd === "print_badges") {
      if (!signed) throw refused("reprint");
      return { printed: 1 };
    }
    throw { code: "test.unexpected", message: cmd };
  });
  return calls;
}

async function sign(supervisor: string, pin: string) {
  await fireEvent.input(await screen.findByTestId("countersign-supervisor"), { target: { value: supervisor } });
  await fireEvent.input(screen.getByTestId("countersign-pin"), { target: { value: pin } });
  await fireEvent.click(screen.getByTestId("countersign-submit"));
}

describe("supervisor countersign", () => {
  it("takes the refused action and its target from the refusal's data, never from its text", () => {
    expect(refusedCountersign(asIpc(refused("reprint")))).toEqual({ action: "reprint", target: "requests:r1" });
    expect(refusedCountersign(asIpc(refused("erase_holder", "holder:h1")))).toEqual({
      action: "erase_holder",
      target: "holder:h1",
    });
    // The English text alone names an action, but gives no countersign.
    expect(refusedCountersign(new IpcError(refused("reprint").code, refused("reprint").message))).toBeNull();
    expect(refusedCountersign(asIpc(refused("format_disk")))).toBeNull();
    expect(refusedCountersign(new Error("x"))).toBeNull();
  });

  it("asks a supervisor when a command is refused, then retries it once signed", async () => {
    const calls = backend();
    render(CountersignHost);
    const result = withCountersign(() => commands.printBadges({} as never));

    const dialog = await screen.findByTestId("countersign-dialog");
    expect(dialog.textContent).toContain("la réimpression d’un badge");
    // A wrong PIN keeps the dialog open, shows why, and clears the PIN.
    await sign("alice", "0000");
    expect((await screen.findByTestId("error-banner")).dataset.code).toBe("operator.pin_wrong");
    expect((screen.getByTestId("countersign-pin") as HTMLInputElement).value).toBe("");

    await sign("alice", "482193");
    await expect(result).resolves.toEqual({ printed: 1 });
    expect(screen.queryByTestId("countersign-dialog")).toBeNull();
    const countersign = calls.filter((c) => c.cmd === "countersign").at(-1);
    expect(countersign?.args).toEqual({
      input: { supervisor: "alice", pin: "482193", action: "reprint", target: "requests:r1" },
    });
    expect(calls.filter((c) => c.cmd === "print_badges")).toHaveLength(2);
  });

  it("gives the original refusal back when the operator cancels", async () => {
    const calls = backend();
    render(CountersignHost);
    const result = withCountersign(() => commands.printBadges({} as never));
    await fireEvent.click(await screen.findByTestId("countersign-cancel"));
    await expect(result).rejects.toMatchObject({ code: "operator.supervisor_required" });
    expect(countersignState.pending).toBeNull();
    expect(calls.filter((c) => c.cmd === "print_badges")).toHaveLength(1);
  });

  it("is offered by the error banner, whose retry then runs", async () => {
    backend();
    render(CountersignHost);
    let retried = 0;
    const error = asIpc(refused("change_zones", "zone:parking"));
    render(ErrorBanner, { error, onretry: () => retried++ });
    await fireEvent.click(screen.getByTestId("error-countersign"));
    expect((await screen.findByTestId("countersign-dialog")).textContent).toContain("la modification des zones");
    await sign("alice", "482193");
    await waitFor(() => expect(retried).toBe(1));
  });
});
