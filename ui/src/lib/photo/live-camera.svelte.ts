// The photo station's live camera: opens it, asks the backend for the newest
// analysed frame at a steady pace (frames never queue: a slow answer only
// delays the next question), and hands over to the station when the backend's
// automatic capture says a still is ready. The backend keeps one camera per desk,
// so every way out (stop, station closed, a failed frame) lets it go; a station
// closed while the camera was still opening closes it as soon as it is open.
// The one thing to fix first is held steady: a new one shows once several frames
// in a row agree, so the advice does not flicker at the preview's pace.
import { commands } from "../ipc";
import type { CameraOpenInput } from "../ipc/generated/CameraOpenInput";
import type { FixFirst } from "../ipc/generated/FixFirst";
import type { LiveFrame } from "../ipc/generated/LiveFrame";

/** The preview asks for the latest frame this often (25 Hz). */
export const POLL_MS = 40;

/** Frames in a row a different "fix first" must hold before it replaces the one shown. */
export const STEADY_FRAMES = 3;

const keyOf = (fix: FixFirst | null) => (fix ? `${fix.id}:${fix.verdict}` : "");

/**
 * The "fix first" advice shown while live: the first frame's at once, then a change
 * only once `frames` frames in a row agree on it (the same advice takes each frame's
 * newest hint at once).
 */
export class SteadyFixFirst {
  #shown: FixFirst | null = null;
  #started = false;
  #candidate = "";
  #count = 0;
  readonly #frames: number;

  constructor(frames = STEADY_FRAMES) {
    this.#frames = frames;
  }

  /** The advice to show after a new frame's. */
  update(next: FixFirst | null): FixFirst | null {
    const key = keyOf(next);
    if (!this.#started || key === keyOf(this.#shown)) {
      this.#started = true;
      this.#shown = next;
      this.#count = 0;
      return next;
    }
    this.#count = key === this.#candidate ? this.#count + 1 : 1;
    this.#candidate = key;
    if (this.#count >= this.#frames) {
      this.#shown = next;
      this.#count = 0;
    }
    return this.#shown;
  }

  reset(): void {
    this.#shown = null;
    this.#started = false;
    this.#count = 0;
  }
}

export interface LiveCameraEvents {
  /** The backend took the automatic still: fetch it (polling waits for this). */
  oncaptured: () => Promise<void> | void;
  /** Opening, a frame or the automatic capture switch failed. */
  onerror: (error: unknown) => void;
}

export class LiveCamera {
  /** Frames are coming (the camera is open and polled). */
  live = $state(false);
  opening = $state(false);
  /** The newest frame shown; null until the first one arrives. */
  frame = $state<LiveFrame | null>(null);
  /** What to fix first, held steady across frames (see `SteadyFixFirst`). */
  fixFirst = $state<FixFirst | null>(null);

  readonly #events: LiveCameraEvents;
  readonly #pollMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #disposed = false;
  readonly #steady = new SteadyFixFirst();

  constructor(events: LiveCameraEvents, pollMs = POLL_MS) {
    this.#events = events;
    this.#pollMs = pollMs;
  }

  /** Opens the camera and starts polling; false when it did not (already open, failed, or disposed meanwhile). */
  async open(input: CameraOpenInput): Promise<boolean> {
    if (this.live || this.opening || this.#disposed) return false;
    this.opening = true;
    try {
      await commands.cameraOpen(input);
      if (this.#disposed) {
        // Closed while the camera was opening: close it now, or it would keep
        // running (LED on) with nobody watching.
        await commands.cameraClose().catch(() => {});
        return false;
      }
      this.frame = null;
      this.fixFirst = null;
      this.#steady.reset();
      this.live = true;
      this.#poll();
      return true;
    } catch (e) {
      this.#events.onerror(e); // no camera, busy, permission denied: import still works
      return false;
    } finally {
      this.opening = false;
    }
  }

  async #poll(): Promise<void> {
    if (!this.live || this.#disposed) return;
    try {
      const next = await commands.cameraFrame();
      if (!this.live || this.#disposed) return; // stopped while asking: a late frame is dropped
      if (next && next.sequence !== this.frame?.sequence) {
        this.frame = next;
        this.fixFirst = this.#steady.update(next.report.fixFirst ?? null);
      }
      if (next?.captured) await this.#events.oncaptured();
    } catch (e) {
      this.#events.onerror(e);
      this.live = false;
      return;
    }
    if (this.live && !this.#disposed) this.#timer = setTimeout(() => this.#poll(), this.#pollMs);
  }

  /** Stops polling and closes the camera. */
  async close(): Promise<void> {
    this.live = false;
    clearTimeout(this.#timer);
    this.frame = null;
    this.fixFirst = null;
    try {
      await commands.cameraClose();
    } catch (e) {
      this.#events.onerror(e);
    }
  }

  /** Turns the backend's automatic capture on or off while live. */
  async setAutoCapture(on: boolean): Promise<void> {
    if (!this.live) return;
    try {
      await commands.cameraAutoCapture(on);
    } catch (e) {
      this.#events.onerror(e);
    }
  }

  /** The station is gone: stop everything, and let the camera go if it was open. */
  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
    if (this.live) {
      this.live = false;
      commands.cameraClose().catch(() => {});
    }
  }
}
