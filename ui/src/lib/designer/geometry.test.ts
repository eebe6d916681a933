import { describe, expect, it } from "vitest";
import type { DesignElement } from "../ipc/generated/DesignElement";
import {
  align,
  arrowStep,
  boxOf,
  cardSize,
  clampToCard,
  nudge,
  resize,
  restack,
  snap,
  withBox,
  type Box,
} from "./geometry";
import { canRedo, canUndo, amend, record, redo, start, undo } from "./history";

const CARD = { width: 85.6, height: 53.98 };
const box = (x: number, y: number, width: number, height: number): Box => ({ x, y, width, height });

describe("nudging", () => {
  it("moves by 0.1 mm, or 1 mm with Shift, without float dust", () => {
    let b = box(4, 13, 22, 29.33);
    for (let i = 0; i < 3; i++) b = nudge(b, arrowStep("ArrowRight", false)!.dx, 0, CARD);
    expect(b.x).toBe(4.3);
    b = nudge(b, 0, arrowStep("ArrowDown", true)!.dy, CARD);
    expect(b.y).toBe(14);
    expect(arrowStep("a", false)).toBeNull();
  });

  it("stops at the card's edges", () => {
    expect(nudge(box(85, 0, 0.6, 5), 1, -1, CARD)).toEqual(box(85, 0, 0.6, 5));
    expect(clampToCard(box(-3, 50, 200, 10), CARD)).toEqual(box(0, 43.98, 85.6, 10));
  });
});

describe("snapping", () => {
  it("sticks an edge to another element's edge and shows the guide", () => {
    const other = box(30, 10, 20, 10);
    const { box: placed, guides } = snap(box(50.5, 25.3, 10, 5), [other], CARD, 1);
    expect(placed.x).toBe(50); // its left edge on the other's right edge
    expect(guides.x).toBe(50);
    expect(guides.y).toBeNull();
    expect(placed.y).toBe(25); // no edge near: the grid
  });

  it("centres on the card when the centre is near", () => {
    const { box: placed, guides } = snap(box(32.5, 5, 20, 5), [], CARD, 0);
    expect(placed.x).toBe(32.8);
    expect(guides.x).toBe(42.8);
  });

  it("goes to the grid and stays on the card", () => {
    expect(snap(box(12.34, 7.77, 5, 5), [], CARD, 0.5, 0).box).toEqual(box(12.5, 8, 5, 5));
    expect(snap(box(84, 52, 5, 5), [], CARD, 1, 0).box).toEqual(box(80.6, 48.98, 5, 5));
  });
});

describe("resizing and alignment", () => {
  it("never goes below what the element needs nor off the card", () => {
    expect(resize(box(10, 10, 30, 10), -40, -40, { width: 20, height: 4 }, CARD, 0)).toEqual(box(10, 10, 20, 4));
    expect(resize(box(70, 40, 10, 10), 50, 50, { width: 1, height: 1 }, CARD, 1)).toEqual(box(70, 40, 15.6, 13.98));
    expect(resize(box(10, 10, 10, 10), 2.3, 0, { width: 1, height: 1 }, CARD, 1).width).toBe(12);
  });

  it("aligns on the card", () => {
    const b = box(10, 10, 20, 10);
    expect(align(b, "center", CARD).x).toBe(32.8);
    expect(align(b, "right", CARD).x).toBe(65.6);
    expect(align(b, "bottom", CARD).y).toBe(43.98);
  });

  it("keeps a QR code square", () => {
    const qr: DesignElement = { type: "qr", x: 1, y: 1, size: 12 };
    expect(boxOf(qr)).toEqual(box(1, 1, 12, 12));
    expect(withBox(qr, box(2, 3, 15, 11))).toEqual({ type: "qr", x: 2, y: 3, size: 11 });
  });

  it("knows the card's size from the header", () => {
    expect(cardSize({})).toEqual(CARD);
    expect(cardSize({ orientation: "portrait" })).toEqual({ width: 53.98, height: 85.6 });
    expect(cardSize({ kind: "day_pass", width_mm: 105, height_mm: 148 })).toEqual({ width: 105, height: 148 });
  });
});

describe("stacking", () => {
  it("brings forward, to the front, backward and to the back", () => {
    expect(restack(["a", "b", "c"], 0, "front")).toEqual({ elements: ["b", "c", "a"], index: 2 });
    expect(restack(["a", "b", "c"], 2, "backward")).toEqual({ elements: ["a", "c", "b"], index: 1 });
    expect(restack(["a", "b", "c"], 1, "back")).toEqual({ elements: ["b", "a", "c"], index: 0 });
    expect(restack(["a", "b", "c"], 2, "forward")).toEqual({ elements: ["a", "b", "c"], index: 2 });
  });
});

describe("undo and redo", () => {
  it("undoes each change, a drag as one, and forgets the redo after a new change", () => {
    let h = start(1);
    h = record(h, 2);
    h = record(h, 3); // a drag starts…
    h = amend(h, 4); // …and moves on
    expect(h.present).toBe(4);
    h = undo(h);
    expect(h.present).toBe(2);
    expect(canRedo(h)).toBe(true);
    h = redo(h);
    expect(h.present).toBe(4);
    h = undo(undo(h));
    expect(h.present).toBe(1);
    expect(canUndo(h)).toBe(false);
    h = record(h, 9);
    expect(canRedo(h)).toBe(false);
    expect(undo(h).present).toBe(1);
  });
});
