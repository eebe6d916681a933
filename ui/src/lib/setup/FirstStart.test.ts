import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import FirstStart from "./FirstStart.svelte";
import type { DeskSession } from "../ipc/generated/DeskSession";
import type { FirstStartDefaults } from "../ipc/generated/FirstStartDefaults";
import type { FirstStartInput } from "../ipc/generated/FirstStartInput";
import { setLocale } from "../i18n/index.svelte";

const DEFAULTS: FirstStartDefaults = {
  categories: [
    { key: "staff", labelFr: "Personnel", labelEn: "Staff" },
    { key: "contractor", labelFr: "Prestataire", labelEn: "Contractor" },
    { key: "visitor", labelFr: "Visiteur", labelEn: "Visitor" },
  ],
  outputFolder: { path: "/home/guichet/Documents/Sésame", fixed: false },
};

const session: DeskSession = {
  operator: "claire",
  displayName: "Claire Martin",
  role: "supervisor",
  hasPin: true,
  countersignedBy: null,
  countersignAction: null,
  countersignTarget: null,
  countersignUntil: null,
  locked: false,
  lockAfterMinutes: 0,
  databaseLogin: false,
};

function backend(refuse: { code: string; message: string } | null = null) {
  const setups: FirstStartInput[] = [];
  mockIPC((cmd, args) => {
    if (cmd === "first_start_defaults") return DEFAULTS;
    if (cmd === "set_up_desk") {
      const input = (args as { input: FirstStartInput }).input;
      setups.push(structuredClone(input));
      if (refuse && setups.length === 1) throw refuse;
      return session;
    }
    throw { code: "test.unexpected", message: cmd };
  });
  return setups;
}

const input = (id: string) => screen.getByTestId(id) as HTMLInputElement;
const next = () => screen.getByTestId("setup-next") as HTMLButtonElement;

async function throughTheSteps() {
  expect(screen.getByTestId("setup-progress").textContent).toBe("Étape 1 sur 4");
  expect(next().disabled).toBe(true); // the office needs its name
  await fireEvent.input(input("setup-office-name"), { target: { value: "  Bureau des badges — Campus Sud " } });
  await fireEvent.click(next());

  await screen.findByTestId("setup-category-staff");
  expect(input("setup-category-visitor").checked).toBe(true);
  await fireEvent.click(input("setup-category-contractor"));
  await fireEvent.click(next());

  expect(input("setup-folder").value).toBe("/home/guichet/Documents/Sésame");
  await fireEvent.input(input("setup-folder"), { target: { value: "/srv/badges" } });
  await fireEvent.click(next());

  await fireEvent.input(input("sign-in-name"), { target: { value: "claire" } });
  await fireEvent.input(input("sign-in-display-name"), { target: { value: "Claire Martin" } });
  await fireEvent.input(input("sign-in-pin"), { target: { value: "975310" } });
  await fireEvent.input(input("sign-in-confirm-pin"), { target: { value: "975311" } });
  expect(screen.getByRole("alert").textContent).toMatch(/diffèrent/);
  expect((screen.getByTestId("setup-submit") as HTMLButtonElement).disabled).toBe(true);
  await fireEvent.input(input("sign-in-confirm-pin"), { target: { value: "975310" } });
  await fireEvent.click(screen.getByTestId("setup-submit"));
}

describe("FirstStart", () => {
  it("walks the four steps and sends everything at once", async () => {
    setLocale("fr");
    const setups = backend();
    let signedIn: DeskSession | null = null;
    render(FirstStart, { suggestedOperator: "", onsignedin: (s: DeskSession) => (signedIn = s) });
    await waitFor(() => expect(screen.getByTestId("setup-form").dataset.step).toBe("office"));
    await throughTheSteps();
    await waitFor(() => expect(signedIn).not.toBeNull());
    expect(setups).toEqual([
      {
        office: { name: "Bureau des badges — Campus Sud", logoBase64: null, outputFolder: "/srv/badges" },
        categories: ["staff", "visitor"],
        supervisor: { name: "claire", displayName: "Claire Martin", pin: "975310" },
      },
    ]);
  });

  it("brings back the step whose field the backend refused, with its message", async () => {
    setLocale("fr");
    const setups = backend({ code: "office.output_folder_invalid", message: "the folder cannot take files" });
    let signedIn: DeskSession | null = null;
    render(FirstStart, { suggestedOperator: "", onsignedin: (s: DeskSession) => (signedIn = s) });
    await waitFor(() => expect(screen.getByTestId("setup-form").dataset.step).toBe("office"));
    await throughTheSteps();
    await waitFor(() => expect(screen.getByTestId("setup-form").dataset.step).toBe("folder"));
    expect(screen.getByTestId("error-banner").textContent).toContain("Dossier des PDF");
    expect(signedIn).toBeNull();
    expect(input("setup-folder").value).toBe("/srv/badges"); // what was typed is kept
    await fireEvent.input(input("setup-folder"), { target: { value: "/srv/cartes" } });
    await fireEvent.click(next());
    // The PINs were cleared: they are typed again.
    expect(input("sign-in-pin").value).toBe("");
    await fireEvent.input(input("sign-in-pin"), { target: { value: "975310" } });
    await fireEvent.input(input("sign-in-confirm-pin"), { target: { value: "975310" } });
    await fireEvent.click(screen.getByTestId("setup-submit"));
    await waitFor(() => expect(signedIn).not.toBeNull());
    expect(setups[1].office.outputFolder).toBe("/srv/cartes");
  });

  it("speaks English and shows a folder fixed by the administrator as read-only", async () => {
    setLocale("en");
    mockIPC((cmd) => {
      if (cmd === "first_start_defaults") return { ...DEFAULTS, outputFolder: { path: "/srv/fixed", fixed: true } };
      throw { code: "test.unexpected", message: cmd };
    });
    render(FirstStart, { suggestedOperator: "", onsignedin: () => {} });
    await waitFor(() => expect(screen.getByText("Your office", { selector: "h2" })).toBeTruthy());
    await fireEvent.input(input("setup-office-name"), { target: { value: "Badge office" } });
    await fireEvent.click(next());
    expect((await screen.findByTestId("setup-category-staff")).parentElement?.textContent).toContain("Staff");
    await fireEvent.click(next());
    expect(input("setup-folder").readOnly).toBe(true);
    expect(screen.getByTestId("setup-folder-fixed").textContent).toContain("administrator");
    setLocale("fr");
  });
});
