// Vitest runs components in jsdom; the Tauri IPC is mocked per test with
// @tauri-apps/api/mocks (see src/lib/ipc/*.test.ts).
import { afterEach } from "vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup } from "@testing-library/svelte";

afterEach(() => {
  cleanup();
  clearMocks();
  localStorage.clear();
});
