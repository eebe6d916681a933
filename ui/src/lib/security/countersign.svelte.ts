// The supervisor countersign flow, reusable by any screen: a command refused with
// `operator.supervisor_required` opens the countersign dialog (mounted once, see
// CountersignHost.svelte); once a supervisor has signed, the action is retried.
import { IpcError } from "../ipc";
import type { SensitiveAction } from "../ipc/generated/SensitiveAction";

export const SUPERVISOR_REQUIRED = "operator.supervisor_required";

// Every sensitive action the backend names (an action added in Rust fails
// svelte-check here until it is listed, and its text in security.action.*).
const KNOWN: Record<SensitiveAction, true> = {
  reprint: true,
  lift_opposition: true,
  change_zones: true,
  purge: true,
  key_export: true,
  manage_operators: true,
  erase_holder: true,
  change_settings: true,
  override_photo_check: true,
  export_holder_data: true,
  decide_zone_access: true,
};
const ACTIONS = Object.keys(KNOWN) as readonly SensitiveAction[];

export interface CountersignRequest {
  /** The refused action when the error names it; `null` lets the supervisor cover any. */
  action: SensitiveAction | null;
  resolve: (signed: boolean) => void;
}

export const countersignState = $state<{ pending: CountersignRequest | null }>({ pending: null });

/** Whether `error` is the backend asking for a supervisor. */
export function needsSupervisor(error: unknown): boolean {
  return error instanceof IpcError && error.code === SUPERVISOR_REQUIRED;
}

/**
 * The action a `supervisor_required` error names. The backend's detail reads
 * "'bob' is not a supervisor: reprint needs a supervisor…"; when it cannot be
 * read the countersign covers any sensitive action for its short window.
 */
export function refusedAction(error: unknown): SensitiveAction | null {
  if (!(error instanceof IpcError)) return null;
  const match = /:\s*([a-z_]+) needs a supervisor/.exec(error.detail);
  const action = match?.[1] as SensitiveAction | undefined;
  return action && ACTIONS.includes(action) ? action : null;
}

/**
 * Opens the countersign dialog; resolves `true` once a supervisor signed,
 * `false` when the operator gave up. A second request while one is open
 * shares the open dialog.
 */
export function requestCountersign(action: SensitiveAction | null): Promise<boolean> {
  const open = countersignState.pending;
  if (open) {
    return new Promise((resolve) => {
      const previous = open.resolve;
      open.resolve = (signed) => {
        previous(signed);
        resolve(signed);
      };
    });
  }
  return new Promise((resolve) => {
    countersignState.pending = { action, resolve };
  });
}

/** Closes the dialog with its outcome (called by the dialog). */
export function settleCountersign(signed: boolean): void {
  const pending = countersignState.pending;
  countersignState.pending = null;
  pending?.resolve(signed);
}

/**
 * Runs `work`; when the backend wants a supervisor, asks for a countersign and
 * runs it once more. Any other error, or a countersign given up, rethrows the
 * original error so the screen shows it.
 */
export async function withCountersign<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!needsSupervisor(error)) throw error;
    const signed = await requestCountersign(refusedAction(error));
    if (!signed) throw error;
    return work();
  }
}
