/**
 * Draws the map (paper Fig. 2 style): service area, axis ticks in metres, BSs with their
 * array axes, users, the target and, for a shown design, the receiving BS, association
 * arrows, the communication and the sensing beam patterns (apart), sensing paths, the CRLB
 * ellipse beside the epsilon circle and, optionally, the sensing-coverage heat map.
 */
import type { Evaluation } from '../../../src/model/evaluate.ts';
import { defaultArrayAxis } from '../../../src/model/geometry.ts';
import { trace, type CMat } from '../../../src/linalg/complex.ts';
import type { Derived, Shown } from '../app/derived.ts';
import type { XY } from '../app/draft.ts';
import { repairFixed } from '../app/fixed-pick.ts';
import type { AppState, HeatLayer } from '../app/state.ts';
import { bsLabel, formatSig, significantPower, userLabel } from '../format.ts';
import { svg } from '../ui/dom.ts';
import { beamPattern, lobeRadius } from './beam.ts';
import { covarianceEllipse, epsilonRadius } from './ellipse.ts';
import { placeLabels, type LabelRequest } from './labels.ts';
import { bsColor, bsInk, ramp, RX_COLOR, SENSING_COLOR, SINR_COLORS, sinrClass, TARGET_COLOR } from './palette.ts';
import { heatRange } from './heat-scale.ts';
import { makeTransform, niceFloor, VIEW, type Transform } from './transform.ts';

export { bsColor } from './palette.ts';

/** Largest lobe, as a fraction of the view half-width. */
export const LOBE_FRACTION = 0.3;
/** The magnified epsilon circle aims at this fraction of the view half-width. */
const ELLIPSE_FRACTION = 0.07;

const fmt = (x: number) => x.toFixed(1);

/**
 * Size of symbols and text relative to a map ~640 px wide: on a phone the map is drawn
 * smaller, so symbols, labels and hit areas grow to stay readable and touchable.
 */
let ui = 1;
export function uiScale(widthPx: number): number {
  return widthPx > 0 ? Math.min(2.4, Math.max(1, 640 / widthPx)) : 1;
}
const sz = (x: number) => x * ui;

/** Smallest hit area of a node on touch screens and phones, CSS px (WCAG's 44 px target size). */
export const TOUCH_TARGET_PX = 44;
let minHitRadius = 0;
/** Smallest hit radius in svg units (0 with a fine pointer on a wide map, where 44 px would swallow neighbours). */
export function minHitRadiusUnits(widthPx: number, coarsePointer: boolean): number {
  if (!(widthPx > 0) || !(coarsePointer || widthPx < 600)) return 0;
  // +1 px: the ring's box is measured on its geometry, rounding must not bring it below 44.
  return ((TOUCH_TARGET_PX / 2 + 1) * VIEW) / widthPx;
}
/** The radius of a node's hit area (also its focus ring): around its symbol, at least a finger wide. */
const hitR = (symbolR: number) => Math.max(sz(symbolR), minHitRadius);
const pts = (ps: XY[]) => ps.map((p) => `${fmt(p[0])},${fmt(p[1])}`).join(' ');

/**
 * Grid lines, and their values in metres along the bottom and left edges (a separate layer,
 * drawn above the service area's fill so that they stay readable when zoomed into it).
 */
function grid(t: Transform): { lines: SVGElement; ticks: SVGElement } {
  const g = svg('g', { class: 'grid' });
  const ticks = svg('g', { class: 'ticks' });
  const step = niceFloor(t.R / 2.5);
  const { cx, cy, R } = t.view;
  const unit = (v: number) => `${Number(v.toPrecision(6))} m`;
  for (let v = Math.ceil((cx - R) / step) * step; v <= cx + R; v += step) {
    const [x] = t.toSvg([v, 0]);
    g.append(svg('line', { x1: fmt(x), y1: 0, x2: fmt(x), y2: VIEW, class: Math.abs(v) < step / 1e6 ? 'axis' : '' }));
    if (x > 40 && x < VIEW - 40)
      ticks.append(svg('text', { x: fmt(x), y: VIEW - 6, 'text-anchor': 'middle', class: 'tick', 'font-size': sz(12), 'data-tick-x': v }, unit(v)));
  }
  for (let v = Math.ceil((cy - R) / step) * step; v <= cy + R; v += step) {
    const [, y] = t.toSvg([0, v]);
    g.append(svg('line', { x1: 0, y1: fmt(y), x2: VIEW, y2: fmt(y), class: Math.abs(v) < step / 1e6 ? 'axis' : '' }));
    if (y > 30 && y < VIEW - 30) ticks.append(svg('text', { x: 6, y: fmt(y - 4), class: 'tick', 'font-size': sz(12), 'data-tick-y': v }, unit(v)));
  }
  return { lines: g, ticks };
}

function scaleBar(t: Transform): SVGElement {
  const metres = niceFloor(t.R * 0.3);
  const len = metres * t.k;
  return svg(
    'g',
    { class: 'scale-bar', transform: `translate(${VIEW - 24 - len} ${VIEW - 40})` },
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
  const b = st.draft.baseStations[s]!;
  return b.arrayAxis ?? defaultArrayAxis(b.position);
}

/** Which BSs get a lobe of this kind: a non-receiver whose matrix carries a significant share of the total power. */
export function drawnLobes(ms: readonly CMat[], receiver: number, totalPower: number): boolean[] {
  return ms.map((m, s) => s !== receiver && significantPower(trace(m)[0], totalPower));
}

/**
 * The largest value of a(θ)ᴴMa(θ) over the communication patterns and over the sensing
 * patterns: each kind has its own scale (sensing beams are often far weaker than the users'
 * beams and would vanish on a shared one); within a kind the BSs compare directly.
 */
export function beamPeaks(st: AppState, shown: Shown): { comm: number; sensing: number } {
  const ev = shown.evaluation;
  const peak = (ms: CMat[] | null) => {
    let top = 0;
    if (!ms || !ev) return top;
    const on = drawnLobes(ms, ev.receiver, ev.totalPower);
    ms.forEach((m, s) => {
      if (!on[s]) return;
      for (const p of beamPattern(m, axisOf(st, s), 180)) top = Math.max(top, p.power);
    });
    return top;
  };
  return { comm: peak(shown.comm), sensing: peak(shown.sensing) };
}

/**
 * Communication lobes (filled, BS colour: a(θ)ᴴ Σ w_k w_kᴴ a(θ)) and sensing lobes (dark dashed
 * outline: a(θ)ᴴ R_s a(θ)), each kind on its own shared scale.
 */
function lobes(st: AppState, t: Transform, ev: Evaluation, shown: Shown): SVGElement {
  const g = svg('g', { class: 'lobes' });
  if (!shown.comm || !shown.sensing || st.beamScale === 'off') return g;
  const peaks = beamPeaks(st, shown);
  const lobeMetres = LOBE_FRACTION * t.R;
  const draw = (m: CMat, s: number, kind: 'comm' | 'sensing') => {
    const peak = peaks[kind];
    if (!(peak > 0)) return;
    const pat = beamPattern(m, axisOf(st, s));
    const qs = st.draft.baseStations[s]!.position;
    const ring = pat.map((p) => {
      const r = lobeRadius(p.power, peak, st.beamScale === 'db' ? 'db' : 'linear') * lobeMetres;
      return t.toSvg([qs[0] + p.dir[0] * r, qs[1] + p.dir[1] * r]);
    });
    const attrs =
      kind === 'comm'
        ? { fill: bsColor(s), stroke: bsColor(s), class: 'lobe', 'data-lobe': s }
        : { fill: 'none', stroke: SENSING_COLOR, class: 'lobe sensing-lobe', 'data-sensing-lobe': s };
    g.append(svg('polygon', { points: pts(ring), ...attrs }));
  };
  const comm = drawnLobes(shown.comm, ev.receiver, ev.totalPower);
  const sensing = drawnLobes(shown.sensing, ev.receiver, ev.totalPower);
  comm.forEach((on, s) => on && draw(shown.comm![s]!, s, 'comm'));
  sensing.forEach((on, s) => on && draw(shown.sensing![s]!, s, 'sensing'));
  return g;
}

function sensingPaths(st: AppState, t: Transform, ev: Evaluation): SVGElement {
  const g = svg('g', { class: 'sensing' });
  const peak = Math.max(...ev.powerPerBs);
  for (const target of st.draft.targets) {
    const tgt = t.toSvg(target.position);
    st.draft.baseStations.forEach((b, s) => {
      const p = t.toSvg(b.position);
      if (s === ev.receiver) {
        g.append(svg('line', { x1: fmt(tgt[0]), y1: fmt(tgt[1]), x2: fmt(p[0]), y2: fmt(p[1]), class: 'echo', stroke: RX_COLOR }));
      } else if (ev.powerPerBs[s]! > 1e-6 * peak) {
        g.append(svg('line', { x1: fmt(p[0]), y1: fmt(p[1]), x2: fmt(tgt[0]), y2: fmt(tgt[1]), class: 'illum', stroke: bsColor(s) }));
      }
    });
  }
  return g;
}

function associations(st: AppState, t: Transform, ev: Evaluation): SVGElement {
  const g = svg('g', { class: 'assoc' });
  ev.association.forEach((s, k) => {
    const from = t.toSvg(st.draft.baseStations[s]!.position);
    const to = t.toSvg(st.draft.users[k]!.position);
    const d = Math.hypot(to[0] - from[0], to[1] - from[1]);
    if (d < 30) return;
    // Stop short of both symbols so the arrow head stays visible.
    const f = (x: number) => [from[0] + ((to[0] - from[0]) * x) / d, from[1] + ((to[1] - from[1]) * x) / d];
    const [x1, y1] = f(14);
    const [x2, y2] = f(d - 12);
    g.append(
      svg('line', {
        x1: fmt(x1!),
        y1: fmt(y1!),
        x2: fmt(x2!),
        y2: fmt(y2!),
        stroke: bsColor(s),
        'marker-end': `url(#arrow-${s})`,
        'data-assoc': `${s}-${k}`,
      }),
    );
  });
  return g;
}

/**
 * Mode "Choose fixed": the choice being made (not a result): a dashed gold ring on the chosen
 * receiver, dashed lines from each chosen serving BS to its users, a ring on a picked user.
 */
function fixedChoice(st: AppState, t: Transform): SVGElement {
  const g = svg('g', { class: 'fixed-choice-layer' });
  const { receiver, association } = repairFixed(st.fixed, st.draft.baseStations.length, st.draft.users.length);
  association.forEach((s, k) => {
    const a = t.toSvg(st.draft.baseStations[s]!.position);
    const b = t.toSvg(st.draft.users[k]!.position);
    g.append(
      svg('line', { x1: fmt(a[0]), y1: fmt(a[1]), x2: fmt(b[0]), y2: fmt(b[1]), stroke: bsColor(s), class: 'fixed-assoc', 'data-fixed-assoc': `${s}-${k}` }),
    );
  });
  const rx = t.toSvg(st.draft.baseStations[receiver]!.position);
  g.append(svg('circle', { cx: fmt(rx[0]), cy: fmt(rx[1]), r: fmt(sz(30)), stroke: RX_COLOR, class: 'fixed-rx', 'data-fixed-rx': receiver }));
  const k = st.fixedPending;
  const u = k === null ? undefined : st.draft.users[k];
  if (u) {
    const p = t.toSvg(u.position);
    g.append(svg('circle', { cx: fmt(p[0]), cy: fmt(p[1]), r: fmt(sz(20)), class: 'fixed-pending', 'data-fixed-pending': k! }));
  }
  return g;
}

/** The magnification of the ellipse drawing: a nice factor (may be below 1) that makes it readable. */
export function ellipseMagnification(R: number, rEps: number, semiMajor: number | null): number {
  const size = Math.max(rEps, semiMajor ?? 0);
  return niceFloor((ELLIPSE_FRACTION * R) / size);
}

/** The name of target t on the map and in the panels: "target" when alone, else T1, T2, ... */
export function targetLabel(count: number, t: number): string {
  return count === 1 ? 'target' : `T${t + 1}`;
}

/** One CRLB ellipse and epsilon circle per target, each with its own bound and magnification. */
function errorEllipses(t: Transform, ev: Evaluation): SVGElement {
  const all = svg('g', { class: 'crlbs' });
  ev.targets.forEach((te, i) => {
    const g = svg('g', { class: 'crlb', 'data-crlb': i });
    const c = t.toSvg(te.position);
    const rEps = epsilonRadius(te.crlbMax);
    const e = covarianceEllipse(te.equivalentFim);
    const mag = ellipseMagnification(t.R, rEps, e ? e.a : null);
    const k = t.k * mag;
    g.setAttribute('transform', `translate(${fmt(c[0])} ${fmt(c[1])})`);
    g.setAttribute('data-magnification', String(mag));
    g.append(svg('circle', { r: fmt(rEps * k), class: 'eps-circle' }));
    if (e) {
      const deg = (-e.angle * 180) / Math.PI;
      g.append(svg('ellipse', { rx: fmt(e.a * k), ry: fmt(Math.max(e.b * k, 0.5)), transform: `rotate(${deg.toFixed(2)})`, class: 'crlb-ellipse' }));
    }
    g.append(svg('text', { x: fmt(rEps * k + 6), y: fmt(rEps * k + 14), class: 'small' }, `×${formatSig(mag, 3)}`));
    all.append(g);
  });
  return all;
}

/** The heat map as an image of n x n cells (log colour scale between the 2nd and 98th percentiles). */
function heatLayer(heat: HeatLayer, t: Transform): SVGElement | null {
  const { n, crlb } = heat;
  const { lo, hi } = heatRange(crlb);
  const canvas = document.createElement('canvas');
  canvas.width = n;
  canvas.height = n;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  const img = ctx.createImageData(n, n);
  for (let i = 0; i < n * n; i++) {
    const v = crlb[i];
    if (Number.isNaN(v)) continue;
    const f = Number.isFinite(v) ? (Math.log10(v!) - lo) / (hi - lo || 1) : 1;
    const [r, g, b] = ramp(f);
    img.data.set([r, g, b, 150], 4 * i);
  }
  ctx.putImageData(img, 0, 0);
  const [x0, y0] = t.toSvg([heat.view.cx - heat.view.R, heat.view.cy + heat.view.R]);
  const size = 2 * heat.view.R * t.k;
  return svg('image', {
    href: canvas.toDataURL(),
    x: fmt(x0),
    y: fmt(y0),
    width: fmt(size),
    height: fmt(size),
    preserveAspectRatio: 'none',
    class: 'heat',
    'image-rendering': 'pixelated',
    'data-heat': n,
  });
}

function nodeAttrs(kind: string, index: number, name: string, selected: boolean, extra = ''): Record<string, string | number> {
  return {
    class: `node ${kind}${selected ? ' selected' : ''}${extra}`,
    'data-node': `${kind}:${index}`,
    tabindex: 0,
    role: 'button',
    'aria-label': name,
    'aria-pressed': String(selected),
  };
}

/** Who receives and who serves whom on the nodes: the shown result's roles, or the choice being made for fixed. */
interface Roles {
  receiver: number;
  association: number[];
}

function baseStations(st: AppState, t: Transform, roles: Roles | null, stale: boolean, labels: LabelRequest[]): SVGElement {
  const g = svg('g', { class: 'bss' });
  st.draft.baseStations.forEach((b, s) => {
    const [x, y] = t.toSvg(b.position);
    const u = axisOf(st, s);
    const L = sz(20);
    const selected = st.selection?.kind === 'bs' && st.selection.index === s;
    const rx = roles?.receiver === s;
    const name = `${bsLabel(s)}${rx ? ', receiving BS' : ''} at ${b.position[0]}, ${b.position[1]} m`;
    const node = svg('g', nodeAttrs('bs', s, name, selected));
    node.append(svg('circle', { cx: fmt(x), cy: fmt(y), r: fmt(hitR(26)), class: 'focus-ring' }));
    if (rx) node.append(svg('circle', { cx: fmt(x), cy: fmt(y), r: sz(21), class: `rx-ring${stale ? ' stale' : ''}`, stroke: RX_COLOR }));
    node.append(svg('line', { x1: fmt(x - u[0] * L), y1: fmt(y + u[1] * L), x2: fmt(x + u[0] * L), y2: fmt(y - u[1] * L), class: 'array-axis' }));
    node.append(svg('rect', { x: fmt(x - sz(11)), y: fmt(y - sz(11)), width: sz(22), height: sz(22), rx: 3, fill: bsColor(s), class: 'bs-body' }));
    node.append(svg('text', { x: fmt(x), y: fmt(y + sz(5)), class: 'glyph', fill: bsInk(s), 'text-anchor': 'middle', 'font-size': sz(14) }, String(s + 1)));
    labels.push({ at: [x, y], r: sz(14), text: rx ? `${bsLabel(s)} · RX` : bsLabel(s), cls: rx ? 'label rx' : 'label' });
    g.append(node);
  });
  return g;
}

/**
 * The per-user SINR layer: a ring coloured by the margin over the SINR target (three classes
 * told apart by colour, width and dashes) and a label "achieved / target dB" with the margin's sign.
 */
function sinrMark(node: SVGElement, labels: LabelRequest[], at: XY, sinrDb: number | null, marginDb: number | null, targetDb: number, k: number): void {
  const cls = sinrClass(marginDb);
  node.append(
    svg('circle', {
      cx: fmt(at[0]),
      cy: fmt(at[1]),
      r: fmt(sz(15)),
      stroke: SINR_COLORS[cls],
      class: `sinr-ring ${cls}`,
      'data-sinr-ring': k,
      'data-margin': marginDb === null ? '-Infinity' : marginDb.toFixed(3),
    }),
  );
  const achieved = sinrDb === null || !Number.isFinite(sinrDb) ? '−∞' : sinrDb.toFixed(1);
  labels.push({ at, r: sz(15), text: `${achieved} / ${formatSig(targetDb, 3)} dB`, cls: `label sinr-label ${cls}`, tag: `sinr:${k}` });
}

function users(st: AppState, t: Transform, ev: Evaluation | null, roles: Roles | null, labels: LabelRequest[]): SVGElement {
  const g = svg('g', { class: 'users' });
  st.draft.users.forEach((u, k) => {
    const [x, y] = t.toSvg(u.position);
    const selected = st.selection?.kind === 'user' && st.selection.index === k;
    const served = roles ? (roles.association[k] ?? -1) : -1;
    const margin = ev?.sinrMarginDb[k];
    const short = ev !== null && (margin === null || (margin !== undefined && margin < -1e-4));
    const name = `User ${userLabel(k)} at ${u.position[0]}, ${u.position[1]} m${served! >= 0 ? `, served by ${bsLabel(served!)}` : ''}${short ? ', below its SINR target' : ''}`;
    const node = svg('g', nodeAttrs('user', k, name, selected, short ? ' short' : ''));
    node.append(svg('circle', { cx: fmt(x), cy: fmt(y), r: fmt(hitR(17)), class: 'focus-ring' }));
    node.append(svg('circle', { cx: fmt(x), cy: fmt(y), r: sz(10), fill: served! >= 0 ? bsColor(served!) : '#ffffff', class: 'user-body' }));
    // The serving BS's number: a second cue besides the colour.
    if (served! >= 0) {
      node.append(
        svg('text', { x: fmt(x), y: fmt(y + sz(4)), class: 'glyph', fill: bsInk(served!), 'text-anchor': 'middle', 'font-size': sz(11) }, String(served! + 1)),
      );
    }
    labels.push({ at: [x, y], r: sz(11), text: userLabel(k) });
    if (st.sinrLayer && ev) sinrMark(node, labels, [x, y], ev.sinrDb[k] ?? null, margin ?? null, u.minSinrDb, k);
    g.append(node);
  });
  return g;
}

function targets(st: AppState, t: Transform, ev: Evaluation | null, labels: LabelRequest[]): SVGElement {
  const g = svg('g', { class: 'targets' });
  const T = st.draft.targets.length;
  st.draft.targets.forEach((tg, i) => {
    const [x, y] = t.toSvg(tg.position);
    const selected = st.selection?.kind === 'target' && st.selection.index === i;
    const r = sz(11);
    const te = ev?.targets[i];
    const over = te !== undefined && !(te.crlb !== null && te.crlb <= te.crlbMax * (1 + 1e-6));
    const name = `Target ${T === 1 ? '' : `T${i + 1} `}at ${tg.position[0]}, ${tg.position[1]} m${over ? ', CRLB above its bound' : ''}`;
    labels.push({ at: [x, y], r: sz(12), text: targetLabel(T, i) });
    g.append(
      svg(
        'g',
        nodeAttrs('target', i, name, selected, over ? ' short' : ''),
        svg('circle', { cx: fmt(x), cy: fmt(y), r: fmt(hitR(18)), class: 'focus-ring' }),
        svg('polygon', {
          points: pts([
            [x, y - r],
            [x + r, y],
            [x, y + r],
            [x - r, y],
          ]),
          fill: TARGET_COLOR,
          class: 'target-body',
        }),
      ),
    );
  });
  return g;
}

function labelLayer(requests: LabelRequest[]): SVGElement {
  const font = sz(15);
  const g = svg('g', { class: 'labels', 'font-size': font });
  const placed = placeLabels(
    requests,
    requests.map((q) => ({ at: q.at, r: q.r })),
    font,
  );
  for (const p of placed) {
    g.append(svg('text', { x: fmt(p.x), y: fmt(p.y), 'text-anchor': p.anchor, class: p.cls ?? 'label', 'data-label': p.tag }, p.text));
  }
  return g;
}

export function renderMap(root: SVGSVGElement, st: AppState, d: Derived): void {
  // Keyboard focus inside the map survives the redraw: it moves to the new selected node.
  const hadFocus = root.contains(document.activeElement) || document.activeElement === root;
  const widthPx = root.getBoundingClientRect().width;
  ui = uiScale(widthPx);
  minHitRadius = minHitRadiusUnits(widthPx, typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches);
  const t = makeTransform(st.view);
  const shown = d.shown;
  const ev = shown?.evaluation ?? null;
  const stale = shown?.stale ?? false;
  const [cx, cy] = t.toSvg([0, 0]);
  const choosing = st.mode === 'fixed';
  // While choosing fixed, the shown result steps back so the choice reads clearly.
  const overlay = svg('g', { class: `result${stale ? ' stale' : ''}${choosing ? ' dimmed' : ''}` });
  if (ev && shown) {
    overlay.append(lobes(st, t, ev, shown), sensingPaths(st, t, ev), associations(st, t, ev));
  }
  const heat = st.heatmap === 'crlb' && st.heat && shown && st.heat.result === shown.entry && st.heat.version === st.version ? heatLayer(st.heat, t) : null;
  const labels: LabelRequest[] = [];
  const axes = grid(t);
  const roles: Roles | null = choosing ? repairFixed(st.fixed, st.draft.baseStations.length, st.draft.users.length) : ev;
  const parts: (SVGElement | null)[] = [
    arrowMarkers(st.draft.baseStations.length),
    svg('rect', { x: 0, y: 0, width: VIEW, height: VIEW, class: 'backdrop', 'data-backdrop': '' }),
    heat,
    axes.lines,
    svg('circle', { cx: fmt(cx), cy: fmt(cy), r: fmt(st.radius * t.k), class: `service-area${heat ? ' over-heat' : ''}` }),
    svg('text', { x: fmt(cx), y: fmt(cy - st.radius * t.k - 8), class: 'small area-label', 'text-anchor': 'middle' }, `service area r = ${st.radius} m`),
    axes.ticks,
    overlay,
    choosing ? fixedChoice(st, t) : null,
    ev ? errorEllipses(t, ev) : null,
    baseStations(st, t, roles, stale && !choosing, labels),
    users(st, t, choosing ? null : ev, roles, labels),
    targets(st, t, ev, labels),
    labelLayer(labels),
    scaleBar(t),
  ];
  root.replaceChildren(...parts.filter((p): p is SVGElement => p !== null));
  if (hadFocus) {
    const sel = st.selection;
    const el = sel ? root.querySelector<SVGElement>(`[data-node="${sel.kind}:${sel.index}"]`) : null;
    (el ?? root).focus({ preventScroll: true });
  }
}
