/** World (metres, y up) <-> SVG user units (VIEW x VIEW, y down) for a square view of half-width R. */
import type { XY } from '../app/draft.ts';

export const VIEW = 1000;

export interface Transform {
  /** Half-width of the view in metres. */
  R: number;
  /** SVG units per metre. */
  k: number;
  toSvg(p: XY): XY;
  toWorld(p: XY): XY;
}

export function makeTransform(R: number): Transform {
  const k = VIEW / 2 / R;
  return {
    R,
    k,
    toSvg: (p) => [VIEW / 2 + p[0] * k, VIEW / 2 - p[1] * k],
    toWorld: (p) => [(p[0] - VIEW / 2) / k, (VIEW / 2 - p[1]) / k],
  };
}

/** The largest "nice" number (1, 2, 5 x 10^n) not above x. */
export function niceFloor(x: number): number {
  const e = 10 ** Math.floor(Math.log10(x));
  const m = x / e;
  return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * e;
}
