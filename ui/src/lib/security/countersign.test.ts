import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import { dayOffset } from "../time/testing";
import { commands, IpcError } from "../ipc";
import CountersignHost from "./CountersignHost.svelte";
import ErrorBanner from "../widgets/ErrorBanner.svelte";
import { countersignState, refusedAction, withCountersign } from "./countersign.svelte";

const refused = (action: string) => ({
  code: "operator.supervisor_required",
  message: `'bob' is not a supervisor: ${action} needs a supervisor or a supervisor's countersign`,
});

function signedSession(action: string | null) {
  return {
    operator: "bob",
    displayName: "Bob",
    role: "clerk",
    hasPin: true,
    countersignedBy: "alice",
    countersignAction: action,
    countersignUntil: `${dayOffset(0)}T10:05:00Z`,
    locked: false,
    lockAfterMinutes: 0,
  };
}

/** A backend where `reprint` needs alice's countersign (PIN 4821). */
function backend() {
  const calls: { cmd: string; args: unknown }[] = [];
  let signed = false;
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === "countersign") {
      const input = (args as { input: { supervisor: string; pin: string; action: string | null } }).input;
      if (input.supervisor !== "alice" || input.pin !== "4821") {
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
  it("reads the refused action from the backend's detail", () => {
    expect(refusedAction(new IpcError(refused("reprint").code, refused("reprint").message))).toBe("reprint");
    expect(refusedAction(new IpcError(refused("erase_holder").code, refused("erase_holder").message))).toBe("erase_holder");
    expect(refusedAction(new IpcError(refused("override_photo_check").code, refused("override_photo_check").message))).toBe(
      "override_photo_check",
    );
    expect(refusedAction(new IpcError("operator.supervisor_required", "something else"))).toBeNull();
    expect(refusedAction(new Error("x"))).toBeNull();
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

    await sign("alice", "4821");
    await expect(result).resolves.toEqual({ printed: 1 });
    expect(screen.queryByTestId("countersign-dialog")).toBeNull();
    const countersign = calls.filter((c) => c.cmd === "countersign").at(-1);
    expect(countersign?.args).toEqual({ input: { supervisor: "alice", pin: "4821", action: "reprint" } });
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
    const error = new IpcError(refused("change_zones").code, refused("change_zones").message);
    render(ErrorBanner, { error, onretry: () => retried++ });
    await fireEvent.click(screen.getByTestId("error-countersign"));
    expect((await screen.findByTestId("countersign-dialog")).textContent).toContain("la modification des zones");
    await sign("alice", "4821");
    await waitFor(() => expect(retried).toBe(1));
  });
});
