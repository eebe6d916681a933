// Vitest runs components in jsdom; the Tauri IPC is mocked per test with
// @tauri-apps/api/mocks (see src/lib/ipc/*.test.ts).
import { afterEach } from "vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup } from "@testing-library/svelte";

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
