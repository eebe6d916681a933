// The one place that talks to the Tauri runtime. Everything else in the UI
// imports `commands` from "$lib/ipc" and never sees @tauri-apps/api.
import { invoke } from "@tauri-apps/api/core";
import type { AppError } from "./generated/AppError";
import type { CountersignNeed } from "./generated/CountersignNeed";

/**
 * A backend failure: `code` is stable and drives the UI; `message` is detail.
 * A refusal for want of a supervisor also names, as data, the one action and
 * target a countersign would allow (the UI never reads them from the text).
 */
export class IpcError extends Error {
  readonly code: string;
  readonly detail: string;
  readonly countersign: CountersignNeed | null;

  constructor(code: string, detail: string, countersign: CountersignNeed | null = null) {
    super(`${code}: ${detail}`);
    this.name = "IpcError";
    this.code = code;
    this.detail = detail;
    this.countersign = countersign;
  }
}

/** Whether a value has the `{code, message}` shape of the backend's errors. */
export function isAppError(value: unknown): value is AppError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as AppError).code === "string" &&
    typeof (value as AppError).message === "string"
  );
}

/** Invokes a command; a rejection always becomes an `IpcError`. */
export async function call<T>(command: string, args: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    if (isAppError(raw)) throw new IpcError(raw.code, raw.message, raw.countersign ?? null);
    // Tauri itself rejects with a plain string (unknown command, bad arguments).
    throw new IpcError("ipc.failed", typeof raw === "string" ? raw : String(raw));
  }
}
