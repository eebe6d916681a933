import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import SignInScreen from "./SignInScreen.svelte";
import type { DeskSession } from "../ipc/generated/DeskSession";

const session = (operator: string): DeskSession => ({
  operator,
  displayName: operator.toUpperCase(),
  role: "supervisor",
  hasPin: true,
  countersignedBy: null,
  countersignAction: null, countersignTarget: null,
  countersignUntil: null,
  locked: false,
  lockAfterMinutes: 0,
  databaseLogin: false,
});

describe("SignInScreen", () => {
  it("signs in with name and PIN, shows a refusal by its code and never keeps the PIN", async () => {
    const tries: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "sign_in") {
        const input = (args as { input: { name: string; pin: string } }).input;
        tries.push(input);
        if (input.pin !== "482193") throw { code: "operator.pin_wrong", message: "wrong name or PIN" };
        return session(input.name);
      }
      throw { code: "test.unexpected", message: cmd };
    });
    let signedIn: DeskSession | null = null;
    render(SignInScreen, {
      gate: { setupNeeded: false, suggestedOperator: "alice", signedIn: null, locked: false, databaseLogin: false },
      onsignedin: (s: DeskSession) => (signedIn = s),
    });
    expect((screen.getByTestId("sign-in-name") as HTMLInputElement).value).toBe("alice");
    expect(screen.queryByTestId("sign-in-confirm-pin")).toBeNull();

    await fireEvent.input(screen.getByTestId("sign-in-pin"), { target: { value: "000000" } });
    await fireEvent.click(screen.getByTestId("sign-in-submit"));
    expect((await screen.findByTestId("error-banner")).dataset.code).toBe("operator.pin_wrong");
    await waitFor(() => expect((screen.getByTestId("sign-in-pin") as HTMLInputElement).value).toBe(""));
    expect(signedIn).toBeNull();

    await fireEvent.input(screen.getByTestId("sign-in-pin"), { target: { value: "482193" } });
    await fireEvent.click(screen.getByTestId("sign-in-submit"));
    await waitFor(() => expect(signedIn).not.toBeNull());
    expect(tries).toEqual([
      { name: "alice", pin: "000000" },
      { name: "alice", pin: "482193" },
    ]);
  });

  it("asks for the database password where operators sign in with their own login", async () => {
    const tries: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "sign_in") {
        const input = (args as { input: { name: string; pin: string } }).input;
        tries.push(input);
        throw { code: "operator.login_refused", message: "refused" };
      }
      throw { code: "test.unexpected", message: cmd };
    });
    render(SignInScreen, {
      gate: { setupNeeded: false, suggestedOperator: "cdupont", signedIn: null, locked: false, databaseLogin: true },
      onsignedin: () => {},
    });
    expect(screen.getByText("Mot de passe")).toBeTruthy();
    expect(screen.queryByText("Code PIN")).toBeNull();
    const password = screen.getByTestId("sign-in-pin") as HTMLInputElement;
    expect(password.inputMode).toBe("text");
    await fireEvent.input(password, { target: { value: "guichet 2026!" } });
    await fireEvent.click(screen.getByTestId("sign-in-submit"));
    expect((await screen.findByTestId("error-banner")).textContent).toContain("refusé par la base de données");
    expect(tries).toEqual([{ name: "cdupont", pin: "guichet 2026!" }]);
  });
});
