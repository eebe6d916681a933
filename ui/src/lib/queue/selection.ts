// Multi-selection in the queue: click toggles, Shift+click selects a range,
// as in a file manager. Ids are kept, not indexes, so a reload keeps the selection.

export function toggled(selection: ReadonlySet<string>, id: string): Set<string> {
  const next = new Set(selection);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

/** Adds every id between `anchor` and `id` (inclusive) in `order`. */
export function withRange(
  selection: ReadonlySet<string>,
  order: readonly string[],
  anchor: string | null,
  id: string,
): Set<string> {
  const next = new Set(selection);
  const to = order.indexOf(id);
  const from = anchor === null ? -1 : order.indexOf(anchor);
  if (to < 0) return next;
  if (from < 0) {
    next.add(id);
    return next;
  }
  const [low, high] = from <= to ? [from, to] : [to, from];
  for (let i = low; i <= high; i++) next.add(order[i]);
  return next;
}
