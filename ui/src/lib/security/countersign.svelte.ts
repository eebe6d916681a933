// The supervisor countersign flow, reusable by any screen: a command refused with
// `operator.supervisor_required` opens the countersign dialog (mounted once, see
// CountersignHost.svelte) for the one action and target the refusal names; once a
// supervisor has signed, the action is retried (the countersign is used up by it).
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
  /** The refused action and what it acts on, as the backend named them. */
  action: SensitiveAction;
  target: string;
  resolve: (signed: boolean) => void;
}

export const countersignState = $state<{ pending: CountersignRequest | null }>({ pending: null });

/** Whether `error` is the backend asking for a supervisor. */
export function needsSupervisor(error: unknown): boolean {
  return error instanceof IpcError && error.code === SUPERVISOR_REQUIRED;
}

/** What a countersign would allow, as the refusal names it (`null`: nothing to sign). */
export function refusedCountersign(error: unknown): { action: SensitiveAction; target: string } | null {
  if (!(error instanceof IpcError) || !error.countersign) return null;
  const action = error.countersign.action as SensitiveAction;
  return ACTIONS.includes(action) ? { action, target: error.countersign.target } : null;
}

/**
 * Opens the countersign dialog; resolves `true` once a supervisor signed,
 * `false` when the operator gave up. A second request while one is open
 * shares the open dialog.
 */
export function requestCountersign(need: { action: SensitiveAction; target: string }): Promise<boolean> {
  const open = countersignState.pending;
  if (open && open.action === need.action && open.target === need.target) {
    return new Promise((resolve) => {
      const previous = open.resolve;
      open.resolve = (signed) => {
        previous(signed);
        resolve(signed);
      };
    });
  }
  return new Promise((resolve) => {
    if (open) open.resolve(false); // another action asks now: the older request gives up
    countersignState.pending = { ...need, resolve };
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
    const need = needsSupervisor(error) ? refusedCountersign(error) : null;
    if (!need) throw error;
    const signed = await requestCountersign(need);
    if (!signed) throw error;
    return work();
  }
}
