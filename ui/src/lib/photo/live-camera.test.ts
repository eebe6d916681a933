import { afterEach, describe, expect, it, vi } from "vitest";
import { mockIPC } from "@tauri-apps/api/mocks";
import { LiveCamera, SteadyFixFirst } from "./live-camera.svelte";

const OPEN = { cameraId: "file:/tmp/frames", mode: null, autoCapture: false };

function frame(sequence: number, captured = false) {
  return { sequence, jpegBase64: "", report: { checks: [] }, fps: 25, analysisFps: 20, autoCaptureProgress: 0, captured };
}

/** A backend camera; `frames` answers each `camera_frame` in turn (the last one repeats). */
function backend(frames: (() => unknown)[], options: { open?: () => Promise<unknown> } = {}) {
  const calls: string[] = [];
  let polled = 0;
  mockIPC((cmd) => {
    calls.push(cmd);
    switch (cmd) {
      case "camera_open":
        return options.open ? options.open() : {};
      case "camera_frame":
        return frames[Math.min(polled++, frames.length - 1)]();
      case "camera_close":
      case "camera_auto_capture":
        return true;
      default:
        throw { code: "test.unexpected", message: cmd };
    }
  });
  return calls;
}

const count = (calls: string[], cmd: string) => calls.filter((c) => c === cmd).length;

/** Every camera of a test is let go after it, so none polls into the next test's backend. */
const opened: LiveCamera[] = [];
function liveCamera(...args: ConstructorParameters<typeof LiveCamera>): LiveCamera {
  const camera = new LiveCamera(...args);
  opened.push(camera);
  return camera;
}

describe("LiveCamera", () => {
  afterEach(() => {
    for (const camera of opened.splice(0)) camera.dispose();
  });

  it("opens the camera, shows the newest frame, and hands over when the automatic still is ready", async () => {
    const calls = backend([() => frame(1), () => frame(1), () => frame(2), () => frame(3, true), () => frame(4)]);
    const shownAtCapture: (number | undefined)[] = [];
    const camera = liveCamera(
      { oncaptured: () => void shownAtCapture.push(camera.frame?.sequence), onerror: (e) => expect.fail(String(e)) },
      1,
    );
    expect(await camera.open(OPEN)).toBe(true);
    expect(camera.live).toBe(true);
    await vi.waitFor(() => expect(camera.frame?.sequence).toBe(4));
    expect(shownAtCapture).toEqual([3]);
    expect(calls.slice(0, 2)).toEqual(["camera_open", "camera_frame"]);
  });

  it("waits for the hand-over before asking for the next frame", async () => {
    const calls = backend([() => frame(1, true), () => frame(2)]);
    let release: () => void = () => {};
    const camera = liveCamera(
      { oncaptured: () => new Promise<void>((resolve) => (release = resolve)), onerror: () => {} },
      1,
    );
    await camera.open(OPEN);
    await vi.waitFor(() => expect(count(calls, "camera_frame")).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(count(calls, "camera_frame")).toBe(1);
    release();
    await vi.waitFor(() => expect(count(calls, "camera_frame")).toBeGreaterThan(1));
    camera.dispose();
  });

  it("stops asking and closes the camera when stopped", async () => {
    const calls = backend([() => frame(1)]);
    const camera = liveCamera({ oncaptured: () => {}, onerror: () => {} }, 1);
    await camera.open(OPEN);
    await vi.waitFor(() => expect(count(calls, "camera_frame")).toBeGreaterThan(2));
    await camera.close();
    const asked = count(calls, "camera_frame");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(count(calls, "camera_frame")).toBeLessThanOrEqual(asked + 1);
    expect([camera.live, camera.frame]).toEqual([false, null]);
    expect(calls).toContain("camera_close");
  });

  it("closes a camera that finished opening after the station was closed", async () => {
    let finishOpening: (value: unknown) => void = () => {};
    const calls = backend([() => frame(1)], { open: () => new Promise((resolve) => (finishOpening = resolve)) });
    const camera = liveCamera({ oncaptured: () => {}, onerror: () => {} }, 1);
    const opened = camera.open(OPEN);
    expect(camera.opening).toBe(true);
    camera.dispose();
    expect(calls).not.toContain("camera_close");
    finishOpening({});
    expect(await opened).toBe(false);
    expect(calls).toContain("camera_close");
    expect(calls).not.toContain("camera_frame");
    expect([camera.live, camera.opening]).toEqual([false, false]);
  });

  it("lets the camera go when the station closes while live", async () => {
    const calls = backend([() => frame(1)]);
    const camera = liveCamera({ oncaptured: () => {}, onerror: () => {} }, 1);
    await camera.open(OPEN);
    await vi.waitFor(() => expect(count(calls, "camera_frame")).toBeGreaterThan(0));
    camera.dispose();
    expect(camera.live).toBe(false);
    expect(calls).toContain("camera_close");
    const asked = count(calls, "camera_frame");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(count(calls, "camera_frame")).toBeLessThanOrEqual(asked + 1);
    expect(await camera.open(OPEN)).toBe(false);
  });

  it("reports a camera that fails to open or stops answering, and stops polling", async () => {
    const errors: unknown[] = [];
    mockIPC((cmd) => {
      if (cmd === "camera_open") throw { code: "photo.camera_busy", message: "in use" };
      throw { code: "test.unexpected", message: cmd };
    });
    const camera = liveCamera({ oncaptured: () => {}, onerror: (e) => errors.push(e) }, 1);
    expect(await camera.open(OPEN)).toBe(false);
    expect(errors).toMatchObject([{ code: "photo.camera_busy" }]);
    expect(camera.live).toBe(false);

    const calls = backend([
      () => frame(1),
      () => {
        throw { code: "photo.camera_failed", message: "unplugged" };
      },
    ]);
    expect(await camera.open(OPEN)).toBe(true);
    await vi.waitFor(() => expect(errors).toHaveLength(2));
    expect(errors[1]).toMatchObject({ code: "photo.camera_failed" });
    expect(camera.live).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(count(calls, "camera_frame")).toBe(2);
  });

  it("switches the automatic capture only while live", async () => {
    const calls = backend([() => frame(1)]);
    const camera = liveCamera({ oncaptured: () => {}, onerror: () => {} }, 1);
    await camera.setAutoCapture(true);
    expect(calls).not.toContain("camera_auto_capture");
    await camera.open(OPEN);
    await camera.setAutoCapture(true);
    expect(calls).toContain("camera_auto_capture");
    camera.dispose();
  });
});

describe("SteadyFixFirst", () => {
  const fix = (id: string, verdict = "fail") => ({ id, verdict, hint: { fr: `fr ${id}`, en: `en ${id}` } }) as never;

  it("shows the first frame's advice at once, then a new one only once it holds for several frames", () => {
    const steady = new SteadyFixFirst(3);
    expect(steady.update(fix("roll"))).toMatchObject({ id: "roll" });
    // One frame of something else (a blink, a shadow) does not replace it.
    expect(steady.update(fix("eyes_open"))).toMatchObject({ id: "roll" });
    expect(steady.update(fix("roll"))).toMatchObject({ id: "roll" });
    expect(steady.update(null)).toMatchObject({ id: "roll" });
    expect(steady.update(null)).toMatchObject({ id: "roll" });
    expect(steady.update(null)).toBeNull();
    // The same advice keeps the newest hint at once.
    steady.reset();
    expect(steady.update(fix("yaw", "warn"))).toMatchObject({ id: "yaw", verdict: "warn" });
    expect(steady.update(fix("yaw", "fail"))).toMatchObject({ id: "yaw", verdict: "warn" });
  });

  it("is what the live camera shows", async () => {
    const withFix = (sequence: number, id: string) => ({ ...frame(sequence), report: { checks: [], fixFirst: fix(id) } });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    backend([
      () => withFix(1, "roll"),
      () => gate.then(() => withFix(2, "yaw")),
      () => withFix(3, "yaw"),
      () => withFix(4, "yaw"),
    ]);
    const camera = liveCamera({ oncaptured: () => {}, onerror: () => {} }, 1);
    await camera.open(OPEN);
    await vi.waitFor(() => expect(camera.frame?.sequence).toBe(1));
    expect(camera.fixFirst).toMatchObject({ id: "roll" });
    release();
    await vi.waitFor(() => expect(camera.frame?.sequence).toBe(4));
    expect(camera.fixFirst).toMatchObject({ id: "yaw" });
    await camera.close();
    expect(camera.fixFirst).toBeNull();
  });
});
