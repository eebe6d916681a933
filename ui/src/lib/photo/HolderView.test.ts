import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import HolderView from "./HolderView.svelte";
import { setLocale } from "../i18n/index.svelte";

function liveFrame(fixFirst: unknown) {
  return {
    sequence: 1,
    jpegBase64: "/9j/",
    report: {
      verdict: "refused",
      checks: [],
      face: null,
      faces: [],
      imageWidth: 640,
      imageHeight: 480,
      crop: null,
      landmarks: null,
      eyesOpen: true,
      fixFirst,
      qualityScore: 40,
    },
    fps: 25,
    analysisFps: 20,
    autoCaptureProgress: 0,
    captured: false,
  };
}

describe("HolderView", () => {
  it("tells the holder the one thing to fix first, in French and in English whatever the desk's language", async () => {
    setLocale("en");
    mockIPC((cmd) => {
      if (cmd === "camera_frame") {
        return liveFrame({ id: "pitch", verdict: "fail", hint: { fr: "Baissez un peu le menton", en: "Lower your chin a little" } });
      }
      throw { code: "test.unexpected", message: cmd };
    });
    render(HolderView);
    const advice = await screen.findByTestId("holder-fix-first");
    expect(advice.dataset.check).toBe("pitch");
    expect(advice.querySelector('[lang="fr"]')?.textContent).toBe("Baissez un peu le menton");
    expect(advice.querySelector('[lang="en"]')?.textContent).toBe("Lower your chin a little");
    setLocale("fr");
  });

  it("says to hold still when there is nothing to fix", async () => {
    mockIPC((cmd) => {
      if (cmd === "camera_frame") return liveFrame(null);
      throw { code: "test.unexpected", message: cmd };
    });
    render(HolderView);
    expect(await screen.findByText(/Ne bougez plus/)).toBeTruthy();
    expect(screen.queryByTestId("holder-fix-first")).toBeNull();
  });
});
