// The queue's virtual scrolling: only the rows in view (plus a margin) are in the
// page, so 100 000 requests scroll as smoothly as 50. Rows have one fixed height.

export interface RowWindow {
  /** Index of the first row drawn. */
  start: number;
  /** One past the last row drawn. */
  end: number;
  /** Height of the empty space standing for the rows above `start` (px). */
  padTop: number;
  /** Height of the empty space standing for the rows below `end` (px). */
  padBottom: number;
}

/** Which rows to draw for a viewport scrolled to `scrollTop`. */
export function rowWindow(
  total: number,
  rowHeight: number,
  scrollTop: number,
  viewportHeight: number,
  overscan = 8,
): RowWindow {
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0, padTop: 0, padBottom: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.min(total, Math.max(0, first - overscan));
  const end = Math.min(total, first + visible + overscan);
  return {
    start,
    end,
    padTop: start * rowHeight,
    padBottom: (total - end) * rowHeight,
  };
}

/** The scrollTop that brings row `index` into view, or null when it already is. */
export function scrollToRow(
  index: number,
  rowHeight: number,
  scrollTop: number,
  viewportHeight: number,
): number | null {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewportHeight) return top + rowHeight - viewportHeight;
  return null;
}
