// Undo and redo for the designer: every change records the state before it. A drag
// is one change (recorded when it starts), not one per mouse move.

export type History<T> = { past: T[]; present: T; future: T[] };

/** How many changes can be undone. */
export const MAX_UNDO = 200;

export function start<T>(present: T): History<T> {
  return { past: [], present, future: [] };
}

/** A new state: what was present can be undone; what had been undone is forgotten. */
export function record<T>(h: History<T>, next: T): History<T> {
  if (Object.is(next, h.present)) return h;
  const past = [...h.past, h.present].slice(-MAX_UNDO);
  return { past, present: next, future: [] };
}

/** Replaces the present without a new undo step (the moves of a drag after its first). */
export function amend<T>(h: History<T>, next: T): History<T> {
  return { ...h, present: next };
}

export function undo<T>(h: History<T>): History<T> {
  if (h.past.length === 0) return h;
  const previous = h.past[h.past.length - 1];
  return { past: h.past.slice(0, -1), present: previous, future: [h.present, ...h.future] };
}

export function redo<T>(h: History<T>): History<T> {
  if (h.future.length === 0) return h;
  const [next, ...rest] = h.future;
  return { past: [...h.past, h.present], present: next, future: rest };
}

export function canUndo<T>(h: History<T>): boolean {
  return h.past.length > 0;
}

export function canRedo<T>(h: History<T>): boolean {
  return h.future.length > 0;
}
