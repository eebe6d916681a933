import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import OperatorList from "./OperatorList.svelte";

const op = (name: string, role: "clerk" | "supervisor", active = true) => ({
  name,
  displayName: name.toUpperCase(),
  role,
  hasPin: true,
  active,
  createdAt: "2026-11-20T08:00:00Z",
  createdBy: "alice",
  updatedAt: "2026-11-20T08:00:00Z",
});

describe("OperatorList", () => {
  it("adds an operator, and shows the role still in force when a change is refused", async () => {
    let operators = [op("alice", "supervisor"), op("bob", "clerk")];
    const added: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "list_operators") return operators;
      if (cmd === "desk_session") {
        return { operator: "alice", displayName: "ALICE", role: "supervisor", hasPin: true, countersignedBy: null,
          countersignAction: null, countersignTarget: null, countersignUntil: null, locked: false, lockAfterMinutes: 0 };
      }
      if (cmd === "add_operator") {
        const input = (args as { input: { name: string; role: "clerk" } }).input;
        added.push(input);
        operators = [...operators, op(input.name, input.role)];
        return operators.at(-1);
      }
      if (cmd === "set_operator_role") throw { code: "operator.last_supervisor", message: "alice is the last active supervisor" };
      throw { code: "test.unexpected", message: cmd };
    });
    render(OperatorList);
    await screen.findByTestId("operator-bob");

    await fireEvent.input(screen.getByTestId("operator-add-name"), { target: { value: "carol" } });
    await fireEvent.input(screen.getByTestId("operator-add-display-name"), { target: { value: "Carol Petit" } });
    await fireEvent.input(screen.getByTestId("operator-add-pin"), { target: { value: "246813" } });
    await fireEvent.click(screen.getByTestId("operator-add-submit"));
    expect(await screen.findByTestId("operator-carol")).toBeTruthy();
    expect(added).toEqual([{ name: "carol", displayName: "Carol Petit", role: "clerk", pin: "246813" }]);
    await waitFor(() => expect((screen.getByTestId("operator-add-pin") as HTMLInputElement).value).toBe(""));

    const role = screen.getByTestId("operator-alice-role") as HTMLSelectElement;
    await fireEvent.change(role, { target: { value: "clerk" } });
    expect((await screen.findByTestId("error-banner")).dataset.code).toBe("operator.last_supervisor");
    await waitFor(() => expect(role.value).toBe("supervisor"));
  });

  it("gives a new PIN in place of a forgotten one, and never keeps it on screen", async () => {
    const resets: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "list_operators") return [op("alice", "supervisor"), op("bob", "clerk")];
      if (cmd === "desk_session") {
        return { operator: "alice", displayName: "ALICE", role: "supervisor", hasPin: true, countersignedBy: null,
          countersignAction: null, countersignTarget: null, countersignUntil: null, locked: false, lockAfterMinutes: 0 };
      }
      if (cmd === "reset_operator_pin") {
        resets.push(args);
        return op("bob", "clerk");
      }
      throw { code: "test.unexpected", message: cmd };
    });
    render(OperatorList);
    await fireEvent.click(await screen.findByTestId("operator-bob-reset-pin"));
    await fireEvent.input(screen.getByTestId("operator-bob-new-pin"), { target: { value: "864200" } });
    await fireEvent.click(screen.getByTestId("operator-bob-reset-save"));
    expect(await screen.findByTestId("operators-notice")).toBeTruthy();
    expect(resets).toEqual([{ name: "bob", pin: "864200" }]);
    await waitFor(() => expect(screen.queryByTestId("operator-bob-new-pin")).toBeNull());
  });
});
