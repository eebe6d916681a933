// Vitest runs components in jsdom; the Tauri IPC is mocked per test with
// @tauri-apps/api/mocks (see src/lib/ipc/*.test.ts).
import { afterEach, beforeEach } from "vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup } from "@testing-library/svelte";
import { pinClock } from "./lib/time/clock";
import { PINNED_TODAY } from "./lib/time/testing";

// Every test runs on the same day, whatever the day it runs: dates that must be
// in the future or the past are written with `dayOffset(n)` from lib/time/testing.
// Pinned at once too, for what modules read when they load.
export { dayOffset, PINNED_TODAY } from "./lib/time/testing";
pinClock(PINNED_TODAY);
beforeEach(() => {
  pinClock(PINNED_TODAY);
});

// jsdom lays nothing out: element sizes are 0 and it has no ResizeObserver, which
// Svelte's bind:clientHeight uses. A silent one keeps those bindings at 0.
if (!("ResizeObserver" in globalThis)) {
  globalThis.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
}

afterEach(() => {
  cleanup();
  clearMocks();
  localStorage.clear();
});
