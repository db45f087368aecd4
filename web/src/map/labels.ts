/**
 * Label placement that avoids overlaps: each label tries a few positions around its node
 * (NE, NW, SE, SW, E, W) and takes the first whose box hits no node and no placed label;
 * if none is free it takes the least crowded one. Text widths are estimated from the font
 * size (the map's fonts are close to 0.6 em per character).
 */
import type { XY } from '../app/draft.ts';

export interface LabelRequest {
  at: XY;
  text: string;
  /** Radius of the node's symbol, svg units. */
  r: number;
  cls?: string;
  /** Written to the label's data-label attribute (lets scripts find a label). */
  tag?: string;
}

export interface PlacedLabel {
  x: number;
  y: number;
  anchor: 'start' | 'end';
  text: string;
  cls?: string | undefined;
  tag?: string | undefined;
  box: Box;
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const overlap = (a: Box, b: Box) => Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0)) * Math.max(0, Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0));

export function placeLabels(requests: LabelRequest[], obstacles: { at: XY; r: number }[], FONT = 15): PlacedLabel[] {
  const CHAR = 0.6 * FONT;
  const placed: PlacedLabel[] = [];
  const blocks: Box[] = obstacles.map((o) => ({ x0: o.at[0] - o.r, y0: o.at[1] - o.r, x1: o.at[0] + o.r, y1: o.at[1] + o.r }));
  for (const q of requests) {
    const w = q.text.length * CHAR;
    const d = q.r + 3;
    // [dx, dy of the baseline start, anchor]
    const options: [number, number, 'start' | 'end'][] = [
      [d, -d, 'start'],
      [-d, -d, 'end'],
      [d, d + FONT * 0.8, 'start'],
      [-d, d + FONT * 0.8, 'end'],
      [d + 2, FONT * 0.35, 'start'],
      [-d - 2, FONT * 0.35, 'end'],
    ];
    let best: PlacedLabel | null = null;
    let bestCost = Infinity;
    for (const [dx, dy, anchor] of options) {
      const x = q.at[0] + dx;
      const y = q.at[1] + dy;
      const box = anchor === 'start' ? { x0: x, y0: y - FONT * 0.8, x1: x + w, y1: y + 2 } : { x0: x - w, y0: y - FONT * 0.8, x1: x, y1: y + 2 };
      const cost = [...blocks, ...placed.map((p) => p.box)].reduce((c, b) => c + overlap(box, b), 0);
      if (cost < bestCost) {
        bestCost = cost;
        best = { x, y, anchor, text: q.text, cls: q.cls, tag: q.tag, box };
        if (cost === 0) break;
      }
    }
    placed.push(best!);
  }
  return placed;
}

/** Total overlap area between placed labels (for tests: 0 when they are apart). */
export function labelOverlap(labels: PlacedLabel[]): number {
  let total = 0;
  for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) total += overlap(labels[i]!.box, labels[j]!.box);
  return total;
}
