import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import PhotoStation from "./PhotoStation.svelte";
import { setLocale } from "../i18n/index.svelte";

const REQUEST = "0190a0b0-0000-7000-8000-000000000001";
const JPEG = "/9j/4AAQSkZJRgABAQAAAQABAAD/2Q==";

function report(verdict: "accepted" | "accepted_with_warnings" | "refused") {
  return {
    verdict,
    checks: [
      { id: "face_count", verdict: "pass", value: 1, unit: "faces", threshold: "exactly 1", rule: null, hint: null },
      {
        id: "inter_eye_distance",
        verdict: verdict === "refused" ? "fail" : "pass",
        value: verdict === "refused" ? 31 : 122,
        unit: "px",
        threshold: "pass >= 90, warn >= 40",
        rule: { pass: { min: 90, max: null }, warn: { min: 40, max: null } },
        hint: verdict === "refused" ? { fr: "Approchez-vous de la caméra", en: "Move closer to the camera" } : null,
      },
      {
        id: "resolution",
        verdict: verdict === "accepted" ? "pass" : "warn",
        value: 0.66,
        unit: "source px per output px",
        threshold: "pass >= 0.9, warn >= 0.35",
        rule: { pass: { min: 0.9, max: null }, warn: { min: 0.35, max: null } },
        hint: verdict === "accepted" ? null : { fr: "Utilisez une photo plus grande", en: "Use a larger photo" },
      },
    ],
    face: {
      x: 160, y: 40, width: 200, height: 200, score: 0.92,
      rightEye: { x: 205, y: 100 }, leftEye: { x: 245, y: 100 }, nose: { x: 225, y: 130 }, mouth: { x: 225, y: 160 },
    },
    faces: [],
    imageWidth: 512,
    imageHeight: 512,
    crop: { x: 100, y: 0, width: 300, height: 386 },
  };
}

const EDITS = {
  exifOrientation: 1, rotationDegrees: 0, mirrored: false, sourceWidth: 512, sourceHeight: 512,
  crop: { x: 100, y: 0, width: 300, height: 386 }, outputWidth: 413, outputHeight: 531, scale: 1.37,
  metadataStripped: true,
};

const outcome = (verdict: "accepted" | "accepted_with_warnings" | "refused") => ({
  report: report(verdict),
  croppedJpegBase64: JPEG,
  edits: EDITS,
  originalPreviewJpegBase64: JPEG,
});

const FOLDER_CAMERA = {
  id: "file:/tmp/frames",
  name: "Dossier de test / Test folder",
  description: "3 images played as frames",
  modes: [{ width: 512, height: 512, fps: 25 }],
};

type Call = { cmd: string; args: Record<string, unknown> };

function backend(calls: Call[], overrides: Record<string, (args: Record<string, unknown>) => unknown> = {}) {
  let sequence = 0;
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: args as Record<string, unknown> });
    if (cmd in overrides) return overrides[cmd](args as Record<string, unknown>);
    switch (cmd) {
      case "camera_list":
        return [FOLDER_CAMERA];
      case "camera_open":
        return FOLDER_CAMERA;
      case "camera_frame":
        sequence += 1;
        return { sequence, jpegBase64: JPEG, report: report("accepted_with_warnings"), fps: 24.6, analysisFps: 21.3, autoCaptureProgress: 0, captured: false };
      case "camera_capture":
        return outcome("accepted_with_warnings");
      case "camera_close":
        return true;
      case "save_request_photo":
        return { request: { id: REQUEST } };
      default:
        throw { code: "test.unexpected", message: cmd };
    }
  });
}

describe("PhotoStation", () => {
  it("previews the camera with the face box and verdicts, captures with Space and saves the crop", async () => {
    const calls: Call[] = [];
    backend(calls);
    const onsaved = vi.fn();
    render(PhotoStation, { requestId: REQUEST, onclose: () => {}, onsaved });

    const select = (await screen.findByTestId("camera-select")) as HTMLSelectElement;
    expect(select.value).toBe(FOLDER_CAMERA.id);
    expect(screen.getAllByLabelText("Caméra")).toContain(select);
    expect(screen.getByText("512 × 512 · 25 img/s")).toBeTruthy();

    await fireEvent.click(screen.getByTestId("camera-start"));
    const open = calls.find((c) => c.cmd === "camera_open");
    expect(open?.args).toEqual({ input: { cameraId: FOLDER_CAMERA.id, mode: null, autoCapture: false } });

    const box = await screen.findByTestId("camera-facebox");
    expect(box.style.left).toBe("31.25%");
    expect(box.style.width).toBe("39.0625%");
    expect(screen.getByTestId("camera-overall").textContent).toContain("Photo acceptable, avec réserves");
    expect(screen.getByTestId("camera-problems").textContent).toContain("Résolution : Utilisez une photo plus grande");
    // Polling continues: several frames are asked for.
    await waitFor(() => expect(calls.filter((c) => c.cmd === "camera_frame").length).toBeGreaterThan(2));

    await fireEvent.keyDown(screen.getByTestId("photo-station"), { key: " " });
    await screen.findByTestId("photo-cropped");
    expect(calls.some((c) => c.cmd === "camera_capture")).toBe(true);
    const rows = screen.getByTestId("photo-checks").querySelectorAll("tbody tr");
    expect(rows.length).toBe(3);
    expect(rows[1].textContent).toContain("Écart entre les yeux");
    expect(rows[1].textContent).toContain("122 px");
    expect(rows[1].textContent).toContain("bon ≥ 90 · limite ≥ 40");

    await fireEvent.click(screen.getByTestId("photo-save"));
    await screen.findByTestId("photo-saved");
    const save = calls.find((c) => c.cmd === "save_request_photo");
    expect(save?.args).toEqual({ input: { requestId: REQUEST, jpegBase64: JPEG, edits: EDITS } });
    expect(onsaved).toHaveBeenCalledOnce();
  });

  it("says there is no camera and still imports a file, showing a refused photo's reasons", async () => {
    const calls: Call[] = [];
    backend(calls, { camera_list: () => [], check_photo_bytes: () => outcome("refused") });
    render(PhotoStation, { requestId: REQUEST, onclose: () => {}, onsaved: () => {} });
    expect((await screen.findByTestId("camera-none")).textContent).toContain("Aucune caméra détectée");

    const file = new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])], "photo.jpg", { type: "image/jpeg" });
    await fireEvent.change(screen.getByLabelText("Choisir une photo (JPEG, PNG ou WebP)"), { target: { files: [file] } });
    await screen.findByTestId("photo-original");
    const sent = (calls.find((c) => c.cmd === "check_photo_bytes")?.args.input as { image: string }).image;
    expect(sent.startsWith("data:image/jpeg;base64,")).toBe(true);
    expect(screen.getByTestId("photo-checks-verdict").textContent).toContain("Photo refusée");
    expect(screen.getByTestId("photo-checks").textContent).toContain("Approchez-vous de la caméra");
    expect((screen.getByTestId("photo-save") as HTMLButtonElement).disabled).toBe(true);
  });

  it("translates a file that is not an image and a busy camera, in English too", async () => {
    setLocale("en");
    const calls: Call[] = [];
    backend(calls, {
      camera_open: () => {
        throw { code: "photo.camera_busy", message: "camera 0 is already in use by another program" };
      },
      check_photo_bytes: () => {
        throw { code: "photo.not_an_image", message: "the data is not an image" };
      },
    });
    render(PhotoStation, { requestId: REQUEST, onclose: () => {}, onsaved: () => {} });
    await fireEvent.click(await screen.findByTestId("camera-start"));
    const banner = await screen.findByText("The camera is in use by another program: close it and try again.");
    expect(banner.closest("[data-testid=error-banner]")?.getAttribute("data-code")).toBe("photo.camera_busy");
    expect(screen.getByText("You can still import a file below.")).toBeTruthy();

    const drop = screen.getByTestId("photo-drop");
    const file = new File(["%PDF-1.7"], "scan.pdf", { type: "application/pdf" });
    await fireEvent.drop(drop, { dataTransfer: { files: [file] } });
    expect(await screen.findByText("This file is not an image: choose a JPEG, PNG or WebP photo.")).toBeTruthy();
    setLocale("fr");
  });

  it("takes the auto-captured still when the backend says it is ready", async () => {
    const calls: Call[] = [];
    let polls = 0;
    backend(calls, {
      camera_frame: () => {
        polls += 1;
        return {
          sequence: polls, jpegBase64: JPEG, report: report("accepted"), fps: 25, analysisFps: 22,
          autoCaptureProgress: Math.min(polls / 3, 1), captured: polls >= 3,
        };
      },
      camera_capture: () => outcome("accepted"),
    });
    render(PhotoStation, { requestId: REQUEST, onclose: () => {}, onsaved: () => {} });
    await fireEvent.click(await screen.findByTestId("camera-auto"));
    await fireEvent.click(screen.getByTestId("camera-start"));
    expect(calls.find((c) => c.cmd === "camera_open")?.args).toMatchObject({ input: { autoCapture: true } });
    await screen.findByTestId("photo-cropped");
    expect(calls.filter((c) => c.cmd === "camera_capture").length).toBe(1);
    expect(screen.getByTestId("photo-checks-verdict").textContent).toContain("Photo conforme");
    expect((screen.getByTestId("photo-save") as HTMLButtonElement).disabled).toBe(false);
  });

  it("closes with Escape and releases the camera", async () => {
    const calls: Call[] = [];
    backend(calls);
    const onclose = vi.fn();
    render(PhotoStation, { requestId: REQUEST, onclose, onsaved: () => {} });
    await fireEvent.click(await screen.findByTestId("camera-start"));
    await screen.findByTestId("camera-frame");
    await fireEvent.keyDown(screen.getByTestId("photo-station"), { key: "Escape" });
    await waitFor(() => expect(onclose).toHaveBeenCalledOnce());
    expect(calls.some((c) => c.cmd === "camera_close")).toBe(true);
  });
});
