// The photo station's live camera: opens it, asks the backend for the newest
// analysed frame at a steady pace (frames never queue: a slow answer only
// delays the next question), and hands over to the station when the backend's
// automatic capture says a still is ready. The backend keeps one camera per desk,
// so every way out (stop, station closed, a failed frame) lets it go; a station
// closed while the camera was still opening closes it as soon as it is open.
import { commands } from "../ipc";
import type { CameraOpenInput } from "../ipc/generated/CameraOpenInput";
import type { LiveFrame } from "../ipc/generated/LiveFrame";

/** The preview asks for the latest frame this often (25 Hz). */
export const POLL_MS = 40;

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

  readonly #events: LiveCameraEvents;
  readonly #pollMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #disposed = false;

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
      if (next && next.sequence !== this.frame?.sequence) this.frame = next;
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
