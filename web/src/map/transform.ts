/**
 * World (metres, y up) <-> SVG user units (VIEW x VIEW, y down) for a square view centred at
 * (cx, cy) with half-width R metres. Zoom and pan change the view, never the scenario.
 */
import type { XY } from '../app/draft.ts';

export const VIEW = 1000;

export interface View {
  cx: number;
  cy: number;
  /** Half-width in metres. */
  R: number;
}

export interface Transform {
  view: View;
  /** Half-width of the view in metres. */
  R: number;
  /** SVG units per metre. */
  k: number;
  toSvg(p: XY): XY;
  toWorld(p: XY): XY;
}

export function makeTransform(view: View): Transform {
  const { cx, cy, R } = view;
  const k = VIEW / 2 / R;
  return {
    view,
    R,
    k,
    toSvg: (p) => [VIEW / 2 + (p[0] - cx) * k, VIEW / 2 - (p[1] - cy) * k],
    toWorld: (p) => [cx + (p[0] - VIEW / 2) / k, cy + (VIEW / 2 - p[1]) / k],
  };
}

/** Zooms by `factor` (> 1 zooms in) keeping the world point `at` under the same screen point. */
export function zoomAt(view: View, at: XY, factor: number, limits: { min: number; max: number }): View {
  const R = Math.max(limits.min, Math.min(limits.max, view.R / factor));
  const f = R / view.R;
  return { cx: at[0] - (at[0] - view.cx) * f, cy: at[1] - (at[1] - view.cy) * f, R };
}

/** Whether p lies inside the view, `margin` (fraction of R) away from its edges. */
export function inView(view: View, p: XY, margin = 0.02): boolean {
  const m = view.R * (1 - margin);
  return Math.abs(p[0] - view.cx) <= m && Math.abs(p[1] - view.cy) <= m;
}

/** The largest "nice" number (1, 2, 5 x 10^n) not above x. */
export function niceFloor(x: number): number {
  const e = 10 ** Math.floor(Math.log10(x));
  const m = x / e;
  return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * e;
}
