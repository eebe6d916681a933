import { describe, expect, it } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import HolderRights from "./HolderRights.svelte";

const HOLDER = "0193a1f0-7d2c-7c3e-9a51-3f1e2d4c5b6a";

describe("HolderRights", () => {
  it("exports the holder's archive and erases them only with a reason", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "export_holder_archive") return { path: "/tmp/Sésame/holder-0193a1f0-2026-11-21-101503.zip", bytes: 81234, files: 3 };
      if (cmd === "erase_holder_data") return { holderId: HOLDER, requests: 2, badges: 1, attachmentsDeleted: 3, auditEntriesRedacted: 9 };
      throw { code: "test.unexpected", message: cmd };
    });
    let erased = 0;
    render(HolderRights, { holderId: HOLDER, onerased: () => erased++ });

    await fireEvent.click(screen.getByTestId("holder-export"));
    expect((await screen.findByTestId("holder-exported-path")).textContent).toBe("/tmp/Sésame/holder-0193a1f0-2026-11-21-101503.zip");
    expect(calls[0].args).toEqual({ holderId: HOLDER });

    await fireEvent.click(screen.getByTestId("holder-erase"));
    const submit = (await screen.findByTestId("holder-erase-submit")) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    await fireEvent.input(screen.getByTestId("holder-erase-reason"), { target: { value: "demande du titulaire du 20/11" } });
    await fireEvent.click(submit);
    expect(await screen.findByTestId("holder-erased")).toBeTruthy();
    expect(calls[1]).toEqual({ cmd: "erase_holder_data", args: { input: { holderId: HOLDER, reason: "demande du titulaire du 20/11" } } });
    expect(erased).toBe(1);
  });
});
