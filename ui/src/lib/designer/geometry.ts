// The designer's geometry, in millimetres from the card's top-left corner: an
// element's box, nudging, snapping to the grid and to other elements' edges,
// resizing, alignment and stacking order. Pure functions, tested without a DOM; the
// backend checks the same limits again when the design is previewed or saved.
import type { DesignElement } from "../ipc/generated/DesignElement";

export type Box = { x: number; y: number; width: number; height: number };
export type Size = { width: number; height: number };

/** Arrow keys move by 0.1 mm, with Shift by 1 mm. */
export const NUDGE_MM = 0.1;
export const NUDGE_SHIFT_MM = 1;
/** An edge closer than this to another edge or a grid line jumps to it while dragging. */
export const SNAP_MM = 0.8;

/** The smallest box each kind accepts (a QR code and a barcode must still scan). */
export function minimumSize(type: DesignElement["type"]): Size {
  switch (type) {
    case "qr":
      return { width: 8, height: 8 };
    case "datamatrix":
      return { width: 6, height: 6 };
    case "barcode":
      return { width: 20, height: 4 };
    case "pdf417":
      return { width: 25, height: 6 };
    default:
      return { width: 1, height: 1 };
  }
}

/** Lengths are kept to the hundredth of a millimetre, as the file stores them. */
export function round(mm: number): number {
  return Math.round(mm * 100) / 100;
}

export function boxOf(e: DesignElement): Box {
  const x = e.x ?? 0;
  const y = e.y ?? 0;
  if (isSquareCode(e)) {
    const size = e.size ?? 10;
    return { x, y, width: size, height: size };
  }
  return { x, y, width: e.width ?? 10, height: e.height ?? 10 };
}

/** QR and Data Matrix codes are square: one `size`. */
export function isSquareCode(e: DesignElement): boolean {
  return e.type === "qr" || e.type === "datamatrix";
}

/** The element with its box replaced (a square code stays square: its `size` is the smaller side). */
export function withBox(e: DesignElement, box: Box): DesignElement {
  const b = { x: round(box.x), y: round(box.y), width: round(box.width), height: round(box.height) };
  if (isSquareCode(e)) return { ...e, x: b.x, y: b.y, size: Math.min(b.width, b.height) };
  return { ...e, ...b };
}

/** Keeps the box on the card (a box larger than the card is shrunk to it). */
export function clampToCard(box: Box, card: Size): Box {
  const width = Math.min(box.width, card.width);
  const height = Math.min(box.height, card.height);
  return {
    x: Math.min(Math.max(box.x, 0), card.width - width),
    y: Math.min(Math.max(box.y, 0), card.height - height),
    width,
    height,
  };
}

/** Moves the box by an arrow key's step; it stops at the card's edges. */
export function nudge(box: Box, dx: number, dy: number, card: Size): Box {
  return clampToCard({ ...box, x: round(box.x + dx), y: round(box.y + dy) }, card);
}

/** The step an arrow key moves by, or null for any other key. */
export function arrowStep(key: string, shift: boolean): { dx: number; dy: number } | null {
  const step = shift ? NUDGE_SHIFT_MM : NUDGE_MM;
  switch (key) {
    case "ArrowLeft":
      return { dx: -step, dy: 0 };
    case "ArrowRight":
      return { dx: step, dy: 0 };
    case "ArrowUp":
      return { dx: 0, dy: -step };
    case "ArrowDown":
      return { dx: 0, dy: step };
    default:
      return null;
  }
}

export type Guides = { x: number | null; y: number | null };

/** The lines a box's edges may stick to along one axis: the card's edges and centre, and every other box's. */
function targets(others: Box[], card: Size, axis: "x" | "y"): number[] {
  const length = axis === "x" ? card.width : card.height;
  const lines = [0, length / 2, length];
  for (const o of others) {
    const start = axis === "x" ? o.x : o.y;
    const size = axis === "x" ? o.width : o.height;
    lines.push(start, start + size / 2, start + size);
  }
  return lines;
}

/** The shift that puts one of the box's edges (start, centre, end) on the nearest line within `threshold`. */
function nearest(start: number, size: number, lines: number[], threshold: number): { shift: number; line: number } | null {
  let best: { shift: number; line: number } | null = null;
  for (const edge of [start, start + size / 2, start + size]) {
    for (const line of lines) {
      const shift = line - edge;
      if (Math.abs(shift) <= threshold && (!best || Math.abs(shift) < Math.abs(best.shift))) best = { shift, line };
    }
  }
  return best;
}

/**
 * Where a dragged box lands: an edge or centre near another element's (or the
 * card's) sticks to it and the guide is shown; otherwise its corner goes to the
 * grid (`grid` 0: no grid). Always on the card.
 */
export function snap(box: Box, others: Box[], card: Size, grid: number, threshold = SNAP_MM): { box: Box; guides: Guides } {
  const guides: Guides = { x: null, y: null };
  let { x, y } = box;
  const toEdgeX = nearest(x, box.width, targets(others, card, "x"), threshold);
  if (toEdgeX) {
    x += toEdgeX.shift;
    guides.x = toEdgeX.line;
  } else if (grid > 0) {
    x = Math.round(x / grid) * grid;
  }
  const toEdgeY = nearest(y, box.height, targets(others, card, "y"), threshold);
  if (toEdgeY) {
    y += toEdgeY.shift;
    guides.y = toEdgeY.line;
  } else if (grid > 0) {
    y = Math.round(y / grid) * grid;
  }
  const placed = clampToCard({ ...box, x: round(x), y: round(y) }, card);
  return { box: placed, guides };
}

/** The box resized from its bottom-right corner by (dx, dy), never below `min`, never off the card; the far edge snaps to the grid. */
export function resize(box: Box, dx: number, dy: number, min: Size, card: Size, grid: number): Box {
  let right = box.x + Math.max(min.width, box.width + dx);
  let bottom = box.y + Math.max(min.height, box.height + dy);
  if (grid > 0) {
    right = Math.max(box.x + min.width, Math.round(right / grid) * grid);
    bottom = Math.max(box.y + min.height, Math.round(bottom / grid) * grid);
  }
  right = Math.min(right, card.width);
  bottom = Math.min(bottom, card.height);
  return { x: box.x, y: box.y, width: round(right - box.x), height: round(bottom - box.y) };
}

export type Alignment = "left" | "center" | "right" | "top" | "middle" | "bottom";

/** The box aligned on the card: to an edge or centred. */
export function align(box: Box, how: Alignment, card: Size): Box {
  switch (how) {
    case "left":
      return { ...box, x: 0 };
    case "center":
      return { ...box, x: round((card.width - box.width) / 2) };
    case "right":
      return { ...box, x: round(card.width - box.width) };
    case "top":
      return { ...box, y: 0 };
    case "middle":
      return { ...box, y: round((card.height - box.height) / 2) };
    case "bottom":
      return { ...box, y: round(card.height - box.height) };
  }
}

export type Stacking = "front" | "forward" | "backward" | "back";

/** Elements are drawn in order, the last on top: moves one and says where it went. */
export function restack<T>(elements: T[], index: number, how: Stacking): { elements: T[]; index: number } {
  const target = {
    front: elements.length - 1,
    forward: Math.min(elements.length - 1, index + 1),
    backward: Math.max(0, index - 1),
    back: 0,
  }[how];
  const next = elements.slice();
  const [moved] = next.splice(index, 1);
  next.splice(target, 0, moved);
  return { elements: next, index: target };
}

/** The card's size in the design's coordinates. */
export function cardSize(header: { kind?: string; orientation?: string; width_mm?: number; height_mm?: number }): Size {
  if (header.kind === "day_pass") return { width: header.width_mm ?? 105, height: header.height_mm ?? 148 };
  return header.orientation === "portrait" ? { width: 53.98, height: 85.6 } : { width: 85.6, height: 53.98 };
}
