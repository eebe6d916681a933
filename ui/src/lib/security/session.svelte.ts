// Who is at this desk, as the backend last said: role, PIN set, countersign in
// force, locked, and the office's idle-lock delay. Shared by the lock screen,
// the countersign dialog and the security settings so each sees the others' changes.
import { commands } from "../ipc";
import type { DeskSession } from "../ipc/generated/DeskSession";

export const desk = $state<{ session: DeskSession | null }>({ session: null });

/** Keeps what a command returned as the current session. */
export function setSession(session: DeskSession): DeskSession {
  desk.session = session;
  return session;
}

/** Asks the backend again (a role or the policy may have changed at another desk). */
export async function refreshSession(): Promise<DeskSession> {
  return setSession(await commands.deskSession());
}

/** Operators prove who they are with their database login's password (a PostgreSQL
 * queue whose roles the database enforces), not a PIN: the forms ask for a password. */
export function usesPasswords(): boolean {
  return desk.session?.databaseLogin === true;
}
