import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import PhotoStation from "./PhotoStation.svelte";
import CountersignHost from "../security/CountersignHost.svelte";
import { setLocale } from "../i18n/index.svelte";
import { dayOffset } from "../time/testing";

const REQUEST = "0190a0b0-0000-7000-8000-000000000001";
const JPEG = "/9j/4AAQSkZJRgABAQAAAQABAAD/2Q==";

type Verdict = "pass" | "warn" | "fail" | "skipped";
type Kind = "blocking" | "overridable" | "warning";
type Overall = "accepted" | "accepted_with_warnings" | "refused";

/** One check as the backend reports it. */
function check(id: string, verdict: Verdict, kind: Kind = "overridable", extra: Record<string, unknown> = {}) {
  return {
    id, verdict, kind, value: 1, unit: "", threshold: "", ageMs: null,
    rule: { pass: { min: 0, max: null }, warn: { min: 0, max: null } },
    hint: verdict === "pass" ? null : { fr: `Corrigez ${id}`, en: `Fix ${id}` },
    ...extra,
  };
}

/** The eyes, mouth and head of a face in a 512 × 512 picture. */
const LANDMARKS = {
  rightEye: [{ x: 195, y: 100 }, { x: 205, y: 104 }, { x: 215, y: 100 }, { x: 205, y: 96 }],
  leftEye: [{ x: 235, y: 100 }, { x: 245, y: 104 }, { x: 255, y: 100 }, { x: 245, y: 96 }],
  rightIris: { x: 205, y: 100, radius: 4 },
  leftIris: { x: 245, y: 100, radius: 4 },
  mouthCorners: [{ x: 210, y: 160 }, { x: 240, y: 160 }],
  innerLips: [{ x: 210, y: 160 }, { x: 225, y: 158 }, { x: 240, y: 160 }, { x: 225, y: 161 }],
  headBox: { x: 170, y: 30, width: 110, height: 170 },
  faceOval: [],
};

function report(verdict: Overall, extraChecks: ReturnType<typeof check>[] = [], overrides: Record<string, unknown> = {}) {
  const checks = [
    check("face_count", "pass", "blocking", { value: 1, unit: "faces", threshold: "exactly 1", rule: null }),
    check("inter_eye_distance", verdict === "refused" ? "fail" : "pass", "overridable", {
      value: verdict === "refused" ? 31 : 122,
      unit: "px",
      threshold: "pass >= 90, warn >= 40",
      rule: { pass: { min: 90, max: null }, warn: { min: 40, max: null } },
      hint: verdict === "refused" ? { fr: "Approchez-vous de la caméra", en: "Move closer to the camera" } : null,
    }),
    check("resolution", verdict === "accepted" ? "pass" : "warn", "overridable", {
      value: 0.66,
      unit: "source px per output px",
      threshold: "pass >= 0.9, warn >= 0.35",
      rule: { pass: { min: 0.9, max: null }, warn: { min: 0.35, max: null } },
      hint: verdict === "accepted" ? null : { fr: "Utilisez une photo plus grande", en: "Use a larger photo" },
    }),
    ...extraChecks,
  ];
  const first = checks.find((c) => c.verdict === "fail") ?? checks.find((c) => c.verdict === "warn");
  return {
    verdict,
    checks,
    face: {
      x: 160, y: 40, width: 200, height: 200, score: 0.92,
      rightEye: { x: 205, y: 100 }, leftEye: { x: 245, y: 100 }, nose: { x: 225, y: 130 }, mouth: { x: 225, y: 160 },
    },
    faces: [],
    imageWidth: 512,
    imageHeight: 512,
    crop: { x: 100, y: 0, width: 300, height: 386 },
    landmarks: LANDMARKS,
    eyesOpen: true,
    fixFirst: first ? { id: first.id, verdict: first.verdict, hint: first.hint } : null,
    qualityScore: 71.6,
    ...overrides,
  };
}

const EDITS = {
  exifOrientation: 1, rotationDegrees: 0, mirrored: false, sourceWidth: 512, sourceHeight: 512,
  crop: { x: 100, y: 0, width: 300, height: 386 }, outputWidth: 413, outputHeight: 531, scale: 1.37,
  metadataStripped: true,
};

const outcome = (verdict: Overall, extraChecks: ReturnType<typeof check>[] = [], overrides: Record<string, unknown> = {}) => ({
  report: report(verdict, extraChecks, overrides),
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

/** Imports a file through the station's file input and waits for its result. */
async function importPhoto() {
  const file = new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])], "photo.jpg", { type: "image/jpeg" });
  await fireEvent.change(screen.getByTestId("photo-file"), { target: { files: [file] } });
  await screen.findByTestId("photo-original");
  await waitFor(() => expect(screen.queryByText("Analyse de la photo…")).toBeNull());
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
    expect(rows[0].textContent).toContain("Bloquant");
    expect(rows[1].textContent).toContain("Dérogation possible");
    expect(screen.getByTestId("photo-checks-quality").textContent).toContain("72/100");

    await fireEvent.click(screen.getByTestId("photo-save"));
    await screen.findByTestId("photo-saved");
    const save = calls.find((c) => c.cmd === "save_request_photo");
    expect(save?.args).toEqual({
      input: { requestId: REQUEST, jpegBase64: JPEG, edits: EDITS, overrideReason: null, samePersonConfirmed: false },
    });
    // A warning of a check that may be overridden needs no reason; no renewal, no comparison.
    expect(screen.queryByTestId("photo-override-reason")).toBeNull();
    expect(calls.some((c) => c.cmd === "compare_with_previous_photo")).toBe(false);
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
    // Refused by a check that may be overridden: not saved without a reason.
    expect((screen.getByTestId("photo-save") as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId("photo-override-checks").textContent).toContain("Écart entre les yeux");
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
  it("draws the measured landmarks over the live picture, scaled from the analysed size, and shows what to fix first", async () => {
    const calls: Call[] = [];
    let sequence = 0;
    const live = report("accepted_with_warnings", [check("roll", "warn")], { imageWidth: 1280, imageHeight: 720 });
    backend(calls, {
      camera_frame: () => {
        sequence += 1;
        return { sequence, jpegBase64: JPEG, report: live, fps: 25, analysisFps: 20, autoCaptureProgress: 0, captured: false };
      },
    });
    render(PhotoStation, { requestId: REQUEST, onclose: () => {}, onsaved: () => {} });
    await fireEvent.click(await screen.findByTestId("camera-start"));

    const overlay = await screen.findByTestId("photo-landmarks");
    // Drawn in the analysed frame's pixels (1280 × 720, not the smaller preview JPEG's),
    // stretched over the picture whatever size it is shown at.
    expect(overlay.getAttribute("viewBox")).toBe("0 0 1280 720");
    expect(overlay.getAttribute("preserveAspectRatio")).toBe("none");
    const part = (name: string) => overlay.querySelector(`[data-part="${name}"]`)!;
    expect(part("right-eye").getAttribute("points")).toBe("195,100 205,104 215,100 205,96");
    expect(part("left-eye").getAttribute("points")).toBe("235,100 245,104 255,100 245,96");
    expect(part("mouth").getAttribute("points")).toBe("210,160 225,158 240,160 225,161");
    expect([part("head").getAttribute("x"), part("head").getAttribute("width")]).toEqual(["170", "110"]);
    // Each part takes the colour of its checks: the tilted head warns.
    expect(part("head").getAttribute("class")).toContain("warn");
    expect(part("right-eye").getAttribute("class")).toContain("pass");

    const fix = screen.getByTestId("photo-fix-first");
    expect(fix.dataset.check).toBe("resolution");
    expect(fix.textContent).toContain("À corriger d’abord : Résolution");
    expect(fix.textContent).toContain("Utilisez une photo plus grande");
    expect(screen.getByTestId("camera-overall").textContent).toContain("img/s");
  });

  it("asks for the reason of an override, naming the checks, and sends it with the photo", async () => {
    const calls: Call[] = [];
    const covered = outcome("accepted_with_warnings", [check("head_covering", "warn", "warning")]);
    backend(calls, { check_photo_bytes: () => covered });
    const onsaved = vi.fn();
    render(PhotoStation, { requestId: REQUEST, onclose: () => {}, onsaved });
    await importPhoto();

    // A warning to acknowledge (head covering: often religious or medical) needs the operator's word.
    const row = screen.getByTestId("photo-checks").querySelector('[data-check="head_covering"]')!;
    expect(row.textContent).toContain("À confirmer");
    expect(screen.getByTestId("photo-override-checks").textContent).toBe("Ces contrôles demandent votre décision : Couvre-chef.");
    const saveButton = screen.getByTestId("photo-save") as HTMLButtonElement;
    expect(saveButton.disabled).toBe(true);
    expect(screen.getByTestId("photo-save-why").textContent).toContain("Indiquez le motif");

    await fireEvent.input(screen.getByTestId("photo-override-reason"), { target: { value: "  Foulard, motif religieux  " } });
    expect(saveButton.disabled).toBe(false);
    await fireEvent.click(saveButton);
    await screen.findByTestId("photo-saved");
    expect(calls.find((c) => c.cmd === "save_request_photo")?.args).toEqual({
      input: {
        requestId: REQUEST, jpegBase64: JPEG, edits: EDITS, overrideReason: "Foulard, motif religieux", samePersonConfirmed: false,
      },
    });
    expect(onsaved).toHaveBeenCalledOnce();
  });

  it("shows the backend's demand for a reason and lets the operator give it", async () => {
    const calls: Call[] = [];
    let saves = 0;
    backend(calls, {
      check_photo_bytes: () => outcome("accepted"),
      save_request_photo: () => {
        saves += 1;
        if (saves === 1) throw { code: "photo.override_reason_required", message: "the photo does not pass sharpness: saving it anyway needs a reason" };
        return { request: { id: REQUEST } };
      },
    });
    render(PhotoStation, { requestId: REQUEST, onclose: () => {}, onsaved: () => {} });
    await importPhoto();
    expect(screen.queryByTestId("photo-override-reason")).toBeNull();
    await fireEvent.click(screen.getByTestId("photo-save"));

    const banner = await screen.findByTestId("error-banner");
    expect(banner.dataset.code).toBe("photo.override_reason_required");
    expect(banner.textContent).toContain("indiquez le motif de la dérogation");
    const reason = await screen.findByTestId("photo-override-reason");
    expect((screen.getByTestId("photo-save") as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.input(reason, { target: { value: "Photo fournie par le titulaire, seule disponible" } });
    await fireEvent.click(screen.getByTestId("photo-save"));
    await screen.findByTestId("photo-saved");
    const sent = calls.filter((c) => c.cmd === "save_request_photo").map((c) => (c.args.input as { overrideReason: string | null }).overrideReason);
    expect(sent).toEqual([null, "Photo fournie par le titulaire, seule disponible"]);
  });

  it("has a supervisor countersign an override when the office asks for one", async () => {
    const calls: Call[] = [];
    let signed = false;
    backend(calls, {
      check_photo_bytes: () => outcome("refused"),
      save_request_photo: () => {
        if (!signed) {
          throw {
            code: "operator.supervisor_required",
            message: "'bob' is not a supervisor: override_photo_check needs a supervisor or a supervisor's countersign",
            countersign: { action: "override_photo_check", target: "request:1" },
          };
        }
        return { request: { id: REQUEST } };
      },
      countersign: (args) => {
        signed = true;
        const input = args.input as { supervisor: string; action: string };
        return {
          operator: "bob", displayName: "Bob", role: "clerk", hasPin: true, countersignedBy: input.supervisor,
          countersignAction: input.action, countersignTarget: null, countersignUntil: `${dayOffset(0)}T12:05:00Z`, locked: false, lockAfterMinutes: 0,
        };
      },
    });
    render(CountersignHost);
    render(PhotoStation, { requestId: REQUEST, onclose: () => {}, onsaved: () => {} });
    await importPhoto();
    await fireEvent.input(screen.getByTestId("photo-override-reason"), { target: { value: "Handicap visuel" } });
    await fireEvent.click(screen.getByTestId("photo-save"));

    const dialog = await screen.findByTestId("countersign-dialog");
    expect(dialog.textContent).toContain("l’enregistrement d’une photo malgré les contrôles");
    await fireEvent.input(screen.getByTestId("countersign-supervisor"), { target: { value: "alice" } });
    await fireEvent.input(screen.getByTestId("countersign-pin"), { target: { value: "4821" } });
    await fireEvent.click(screen.getByTestId("countersign-submit"));
    await screen.findByTestId("photo-saved");
    expect(calls.find((c) => c.cmd === "countersign")?.args).toMatchObject({ input: { action: "override_photo_check" } });
    expect(calls.filter((c) => c.cmd === "save_request_photo")).toHaveLength(2);
  });

  it("cannot save a photo a blocking check refused, and says why", async () => {
    const calls: Call[] = [];
    const twoFaces = outcome("refused", [], {
      checks: [check("face_count", "fail", "blocking", { value: 2, rule: null }), check("sharpness", "warn")],
      fixFirst: { id: "face_count", verdict: "fail", hint: { fr: "Une seule personne sur la photo", en: "Only one person in the photo" } },
    });
    backend(calls, { check_photo_bytes: () => twoFaces });
    render(PhotoStation, { requestId: REQUEST, onclose: () => {}, onsaved: () => {} });
    await importPhoto();

    expect((screen.getByTestId("photo-save") as HTMLButtonElement).disabled).toBe(true);
    const why = screen.getByTestId("photo-save-blocked");
    expect(why.textContent).toContain("aucune dérogation n’est possible : Un seul visage");
    expect(screen.getByTestId("photo-save").getAttribute("aria-describedby")).toBe(why.id);
    expect(screen.queryByTestId("photo-override-reason")).toBeNull();
    expect(screen.getByTestId("photo-result-fix-first").textContent).toContain("Une seule personne sur la photo");
    await fireEvent.click(screen.getByTestId("photo-save"));
    expect(calls.some((c) => c.cmd === "save_request_photo")).toBe(false);
  });

  it("cannot save a photo with no face to crop around", async () => {
    const calls: Call[] = [];
    const noFace = {
      ...outcome("refused", [], { face: null, landmarks: null, checks: [check("face_count", "fail", "blocking", { value: 0, rule: null })] }),
      croppedJpegBase64: null,
      edits: null,
    };
    backend(calls, { check_photo_bytes: () => noFace });
    render(PhotoStation, { requestId: REQUEST, onclose: () => {}, onsaved: () => {} });
    await importPhoto();
    expect(screen.getByTestId("photo-save-blocked").textContent).toContain("aucun visage à recadrer");
    expect((screen.getByTestId("photo-save") as HTMLButtonElement).disabled).toBe(true);
    expect(screen.queryByTestId("photo-original-landmarks")).toBeNull();
  });

  it("shows a renewal's new photo beside the previous badge's and saves once the same person is confirmed", async () => {
    const calls: Call[] = [];
    const PREVIOUS = "/9j/previous";
    backend(calls, {
      check_photo_bytes: () => outcome("accepted"),
      compare_with_previous_photo: () => ({
        previous: { badgeNumber: "B000042", jpegBase64: PREVIOUS },
        comparison: { distance: 0.41, samePersonLikely: true, hint: { fr: "Semble être la même personne", en: "Looks like the same person" } },
      }),
    });
    render(PhotoStation, { requestId: REQUEST, followsBadge: true, onclose: () => {}, onsaved: () => {} });
    await importPhoto();

    const previous = await screen.findByTestId("photo-previous-badge");
    expect(previous.querySelector("img")?.getAttribute("src")).toBe(`data:image/jpeg;base64,${PREVIOUS}`);
    expect(previous.textContent).toContain("Badge précédent n° B000042");
    expect(calls.find((c) => c.cmd === "compare_with_previous_photo")?.args).toEqual({
      input: { requestId: REQUEST, jpegBase64: JPEG },
    });
    const likeness = screen.getByTestId("photo-same-person-hint");
    expect(likeness.textContent).toContain("la décision vous appartient");
    expect(likeness.textContent).toContain("Semble être la même personne");
    expect(likeness.dataset.likely).toBe("true");

    const saveButton = screen.getByTestId("photo-save") as HTMLButtonElement;
    expect(saveButton.disabled).toBe(true);
    expect(screen.getByTestId("photo-save-why").textContent).toContain("même personne");
    await fireEvent.click(screen.getByTestId("photo-same-person"));
    expect(saveButton.disabled).toBe(false);
    await fireEvent.click(saveButton);
    await screen.findByTestId("photo-saved");
    expect(calls.find((c) => c.cmd === "save_request_photo")?.args).toMatchObject({
      input: { overrideReason: null, samePersonConfirmed: true },
    });

    // Another photo must be compared and confirmed again.
    await importPhoto();
    await waitFor(() => expect(calls.filter((c) => c.cmd === "compare_with_previous_photo")).toHaveLength(2));
    expect((await screen.findByTestId("photo-same-person") as HTMLInputElement).checked).toBe(false);
  });

  it("takes the directory's photo of the holder and reviews it like an imported file before saving it", async () => {
    const calls: Call[] = [];
    backend(calls, {
      directory_available: () => true,
      check_directory_photo: () => outcome("accepted_with_warnings"),
    });
    const onsaved = vi.fn();
    render(PhotoStation, { requestId: REQUEST, onclose: () => {}, onsaved });
    const button = await screen.findByTestId("photo-from-directory");
    expect(button.textContent).toBe("Photo de l’annuaire");
    await fireEvent.click(button);
    await screen.findByTestId("photo-cropped");
    expect(calls.find((c) => c.cmd === "check_directory_photo")?.args).toEqual({ id: REQUEST });
    expect(screen.getByTestId("photo-checks-verdict").textContent).toContain("Photo acceptable, avec réserves");
    // Checked, not saved: the operator decides.
    expect(calls.some((c) => c.cmd === "save_request_photo")).toBe(false);
    expect(onsaved).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByTestId("photo-save"));
    await screen.findByTestId("photo-saved");
    expect(calls.find((c) => c.cmd === "save_request_photo")?.args).toEqual({
      input: { requestId: REQUEST, jpegBase64: JPEG, edits: EDITS, overrideReason: null, samePersonConfirmed: false },
    });
    expect(onsaved).toHaveBeenCalledOnce();
  });

  for (const [code, fr, en] of [
    ["directory.no_photo", "L’annuaire n’a pas de photo pour cette personne", "The directory has no photo of this person"],
    ["directory.person_gone", "Cette personne n’est plus dans l’annuaire", "This person is no longer in the directory"],
  ] as const) {
    it(`says why the directory gave no photo (${code}), in French and English`, async () => {
      const calls: Call[] = [];
      backend(calls, {
        directory_available: () => true,
        check_directory_photo: () => {
          throw { code, message: "the directory holds no photo for 'E1234'" };
        },
      });
      render(PhotoStation, { requestId: REQUEST, onclose: () => {}, onsaved: () => {} });
      await fireEvent.click(await screen.findByTestId("photo-from-directory"));
      const banner = await screen.findByTestId("error-banner");
      expect(banner.dataset.code).toBe(code);
      expect(banner.textContent).toContain(fr);
      setLocale("en");
      await waitFor(() => expect(screen.getByTestId("error-banner").textContent).toContain(en));
      setLocale("fr");
      expect(screen.queryByTestId("photo-original")).toBeNull();
      // The operator may ask again (or import a file, or use the camera).
      expect((screen.getByTestId("photo-from-directory") as HTMLButtonElement).disabled).toBe(false);
    });
  }

  it("offers no directory photo when the office has no directory", async () => {
    for (const available of [() => false, () => { throw { code: "store.busy", message: "database is locked" }; }]) {
      const calls: Call[] = [];
      backend(calls, { directory_available: available });
      const station = render(PhotoStation, { requestId: REQUEST, onclose: () => {}, onsaved: () => {} });
      await screen.findByTestId("camera-select");
      await waitFor(() => expect(calls.some((c) => c.cmd === "directory_available")).toBe(true));
      expect(screen.queryByTestId("photo-from-directory")).toBeNull();
      expect(screen.queryByTestId("error-banner")).toBeNull();
      station.unmount();
    }
  });
});
