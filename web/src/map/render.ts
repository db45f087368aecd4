/**
 * Draws the map (paper Fig. 2 style): service area, BSs with their array axes, users, the
 * target and, for a shown design, the receiving BS, association arrows, beam patterns,
 * sensing paths and the CRLB ellipse beside the epsilon circle.
 */
import type { Evaluation } from '../../../src/model/evaluate.ts';
import { defaultArrayAxis } from '../../../src/model/geometry.ts';
import type { Derived } from '../app/derived.ts';
import type { XY } from '../app/draft.ts';
import type { AppState } from '../app/state.ts';
import { bsLabel, userLabel } from '../format.ts';
import { svg } from '../ui/dom.ts';
import { beamPattern, lobeRadius } from './beam.ts';
import { covarianceEllipse, epsilonRadius } from './ellipse.ts';
import { makeTransform, niceFloor, VIEW, type Transform } from './transform.ts';

export const BS_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22'];
export const bsColor = (s: number): string => BS_COLORS[s % BS_COLORS.length];
const RX_COLOR = '#d4a017';
const TARGET_COLOR = '#d62728';

/** Largest lobe, as a fraction of the view half-width. */
const LOBE_FRACTION = 0.3;
/** The magnified epsilon circle aims at this fraction of the view half-width. */
const ELLIPSE_FRACTION = 0.07;

const fmt = (x: number) => x.toFixed(1);
const pts = (ps: XY[]) => ps.map((p) => `${fmt(p[0])},${fmt(p[1])}`).join(' ');

function label(at: XY, text: string, cls = 'label', dx = 12, dy = -12): SVGElement {
  return svg('text', { x: fmt(at[0] + dx), y: fmt(at[1] + dy), class: cls }, text);
}

function grid(t: Transform): SVGElement {
  const g = svg('g', { class: 'grid' });
  const step = niceFloor(t.R / 2.5);
  for (let v = -Math.floor(t.R / step) * step; v <= t.R; v += step) {
    const [x] = t.toSvg([v, 0]);
    const [, y] = t.toSvg([0, v]);
    const cls = v === 0 ? 'axis' : '';
    g.append(svg('line', { x1: fmt(x), y1: 0, x2: fmt(x), y2: VIEW, class: cls }));
    g.append(svg('line', { x1: 0, y1: fmt(y), x2: VIEW, y2: fmt(y), class: cls }));
  }
  return g;
}

function scaleBar(t: Transform): SVGElement {
  const metres = niceFloor(t.R * 0.3);
  const len = metres * t.k;
  return svg(
    'g',
    { class: 'scale-bar', transform: `translate(24 ${VIEW - 28})` },
    svg('line', { x1: 0, y1: 0, x2: fmt(len), y2: 0 }),
    svg('line', { x1: 0, y1: -6, x2: 0, y2: 6 }),
    svg('line', { x1: fmt(len), y1: -6, x2: fmt(len), y2: 6 }),
    svg('text', { x: fmt(len / 2), y: -10, 'text-anchor': 'middle' }, `${metres} m`),
  );
}

function arrowMarkers(S: number): SVGElement {
  const defs = svg('defs');
  for (let s = 0; s < S; s++) {
    defs.append(
      svg(
        'marker',
        { id: `arrow-${s}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: bsColor(s) }),
      ),
    );
  }
  return defs;
}

function axisOf(st: AppState, s: number): XY {
  const b = st.draft.baseStations[s];
  return b.arrayAxis ?? defaultArrayAxis(b.position);
}

/** Beam lobes of every transmitting BS, on one shared scale so powers compare across BSs. */
function lobes(st: AppState, t: Transform, ev: Evaluation, q: NonNullable<Derived['shown']>['covariances']): SVGElement {
  const g = svg('g', { class: 'lobes' });
  if (!q || st.beamScale === 'off') return g;
  const patterns = q.map((m, s) => (s === ev.receiver ? [] : beamPattern(m, axisOf(st, s))));
  const peak = Math.max(0, ...patterns.flat().map((p) => p.power));
  const lobeMetres = LOBE_FRACTION * t.R;
  patterns.forEach((pat, s) => {
    if (pat.length === 0) return;
    const qs = st.draft.baseStations[s].position;
    const ring = pat.map((p) => {
      const r = lobeRadius(p.power, peak, st.beamScale === 'db' ? 'db' : 'linear') * lobeMetres;
      return t.toSvg([qs[0] + p.dir[0] * r, qs[1] + p.dir[1] * r]);
    });
    const c = t.toSvg(qs);
    g.append(svg('polygon', { points: pts([c, ...ring]), fill: bsColor(s), stroke: bsColor(s), class: 'lobe', 'data-lobe': s }));
  });
  return g;
}

function sensingPaths(st: AppState, t: Transform, ev: Evaluation): SVGElement {
  const g = svg('g', { class: 'sensing' });
  const tgt = t.toSvg(st.draft.target);
  const peak = Math.max(...ev.powerPerBs);
  st.draft.baseStations.forEach((b, s) => {
    const p = t.toSvg(b.position);
    if (s === ev.receiver) {
      g.append(svg('line', { x1: fmt(tgt[0]), y1: fmt(tgt[1]), x2: fmt(p[0]), y2: fmt(p[1]), class: 'echo', stroke: RX_COLOR }));
    } else if (ev.powerPerBs[s] > 1e-9 * peak) {
      g.append(svg('line', { x1: fmt(p[0]), y1: fmt(p[1]), x2: fmt(tgt[0]), y2: fmt(tgt[1]), class: 'illum', stroke: bsColor(s) }));
    }
  });
  return g;
}

function associations(st: AppState, t: Transform, ev: Evaluation): SVGElement {
  const g = svg('g', { class: 'assoc' });
  ev.association.forEach((s, k) => {
    const from = t.toSvg(st.draft.baseStations[s].position);
    const to = t.toSvg(st.draft.users[k].position);
    const d = Math.hypot(to[0] - from[0], to[1] - from[1]);
    if (d < 30) return;
    // Stop short of both symbols so the arrow head stays visible.
    const f = (x: number) => [from[0] + ((to[0] - from[0]) * x) / d, from[1] + ((to[1] - from[1]) * x) / d];
    const [x1, y1] = f(14);
    const [x2, y2] = f(d - 11);
    g.append(
      svg('line', {
        x1: fmt(x1), y1: fmt(y1), x2: fmt(x2), y2: fmt(y2),
        stroke: bsColor(s), 'marker-end': `url(#arrow-${s})`, 'data-assoc': `${s}-${k}`,
      }),
    );
  });
  return g;
}

function errorEllipse(st: AppState, t: Transform, ev: Evaluation): SVGElement {
  const g = svg('g', { class: 'crlb' });
  const c = t.toSvg(st.draft.target);
  const rEps = epsilonRadius(st.draft.crlbMax);
  const e = covarianceEllipse(ev.equivalentFim);
  const size = Math.max(rEps, e ? e.a / 2 : 0);
  const mag = Math.max(1, niceFloor((ELLIPSE_FRACTION * t.R) / size));
  const k = t.k * mag;
  g.setAttribute('transform', `translate(${fmt(c[0])} ${fmt(c[1])})`);
  g.append(svg('circle', { r: fmt(rEps * k), class: 'eps-circle' }));
  if (e) {
    const deg = (-e.angle * 180) / Math.PI;
    g.append(svg('ellipse', { rx: fmt(e.a * k), ry: fmt(Math.max(e.b * k, 0.5)), transform: `rotate(${deg.toFixed(2)})`, class: 'crlb-ellipse' }));
  }
  g.append(svg('text', { x: fmt(rEps * k + 6), y: fmt(rEps * k + 14), class: 'small' }, `×${mag}`));
  return g;
}

function baseStations(st: AppState, t: Transform, ev: Evaluation | null, stale: boolean): SVGElement {
  const g = svg('g', { class: 'bss' });
  st.draft.baseStations.forEach((b, s) => {
    const [x, y] = t.toSvg(b.position);
    const u = axisOf(st, s);
    const L = 20;
    const selected = st.selection?.kind === 'bs' && st.selection.index === s;
    const rx = ev?.receiver === s;
    const node = svg('g', { class: `node bs${selected ? ' selected' : ''}`, 'data-node': `bs:${s}` });
    if (rx) node.append(svg('circle', { cx: fmt(x), cy: fmt(y), r: 21, class: `rx-ring${stale ? ' stale' : ''}`, stroke: RX_COLOR }));
    node.append(svg('line', { x1: fmt(x - u[0] * L), y1: fmt(y + u[1] * L), x2: fmt(x + u[0] * L), y2: fmt(y - u[1] * L), class: 'array-axis' }));
    node.append(svg('rect', { x: fmt(x - 9), y: fmt(y - 9), width: 18, height: 18, rx: 3, fill: bsColor(s), class: 'bs-body' }));
    node.append(label([x, y], rx ? `${bsLabel(s)} · RX` : bsLabel(s), rx ? 'label rx' : 'label', 14, -14));
    g.append(node);
  });
  return g;
}

function users(st: AppState, t: Transform, ev: Evaluation | null): SVGElement {
  const g = svg('g', { class: 'users' });
  st.draft.users.forEach((u, k) => {
    const [x, y] = t.toSvg(u.position);
    const selected = st.selection?.kind === 'user' && st.selection.index === k;
    const served = ev ? ev.association[k] : -1;
    const margin = ev?.sinrMarginDb[k];
    const short = ev !== null && (margin === null || (margin !== undefined && margin < -1e-4));
    const node = svg('g', { class: `node user${selected ? ' selected' : ''}${short ? ' short' : ''}`, 'data-node': `user:${k}` });
    node.append(svg('circle', { cx: fmt(x), cy: fmt(y), r: 8, fill: served >= 0 ? bsColor(served) : '#ffffff', class: 'user-body' }));
    node.append(label([x, y], userLabel(k), 'label', 10, -10));
    g.append(node);
  });
  return g;
}

function target(st: AppState, t: Transform): SVGElement {
  const [x, y] = t.toSvg(st.draft.target);
  const selected = st.selection?.kind === 'target';
  const r = 9;
  return svg(
    'g',
    { class: `node target${selected ? ' selected' : ''}`, 'data-node': 'target:0' },
    svg('polygon', { points: pts([[x, y - r], [x + r, y], [x, y + r], [x - r, y]]), fill: TARGET_COLOR, class: 'target-body' }),
    label([x, y], 'target', 'label', 12, 20),
  );
}

export function renderMap(root: SVGSVGElement, st: AppState, d: Derived): void {
  const t = makeTransform(st.viewRadius);
  const shown = d.shown;
  const ev = shown?.evaluation ?? null;
  const stale = shown?.stale ?? false;
  const [cx, cy] = t.toSvg([0, 0]);
  const overlay = svg('g', { class: `result${stale ? ' stale' : ''}` });
  if (ev && shown) {
    overlay.append(lobes(st, t, ev, shown.covariances), sensingPaths(st, t, ev), associations(st, t, ev));
  }
  const parts: (SVGElement | null)[] = [
    arrowMarkers(st.draft.baseStations.length),
    svg('rect', { x: 0, y: 0, width: VIEW, height: VIEW, class: 'backdrop', 'data-backdrop': '' }),
    grid(t),
    svg('circle', { cx: fmt(cx), cy: fmt(cy), r: fmt(st.radius * t.k), class: 'service-area' }),
    svg('text', { x: fmt(cx), y: fmt(cy - st.radius * t.k - 8), class: 'small area-label', 'text-anchor': 'middle' }, `service area r = ${st.radius} m`),
    overlay,
    baseStations(st, t, ev, stale),
    users(st, t, ev),
    target(st, t),
    ev ? errorEllipse(st, t, ev) : null,
    scaleBar(t),
  ];
  root.replaceChildren(...parts.filter((p): p is SVGElement => p !== null));
}
