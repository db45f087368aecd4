/**
 * Vega-Lite specifications of the report's figures. Pure data in, spec out: the report
 * renders them to SVG/PNG in Node, the web app can hand the same specs to vega-embed.
 */
import type { Aggregates, ConvergenceRow, GapBin, PowerRow, RateRow } from './aggregate.ts';
import { methodLabel } from './aggregate.ts';

/** A Vega-Lite spec (kept loose: the renderer compiles and validates it). */
export type VlSpec = Record<string, unknown>;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

const METHOD_COLORS: Record<string, string> = {
  proposed: '#d62728',
  'proposed-relaxation': '#ff7f0e',
  exact: '#222222',
  scheme1: '#1f77b4',
  scheme2: '#2ca02c',
  scheme3: '#9467bd',
  fixed: '#8c564b',
};
const SPARE_COLORS = ['#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];

const BASE_CONFIG = {
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  view: { stroke: '#888' },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 11, labelLimit: 320 },
  title: { fontSize: 14, subtitleFontSize: 11, subtitleColor: '#555', anchor: 'start' },
};

/** Colour scale for series named after methods (a method's colour is stable across figures). */
function seriesScale(rows: { method: string; series: string }[]): { domain: string[]; range: string[] } {
  const domain: string[] = [];
  const range: string[] = [];
  let spare = 0;
  const seenMethod = new Map<string, number>();
  for (const r of rows) {
    if (domain.includes(r.series)) continue;
    domain.push(r.series);
    const k = seenMethod.get(r.method) ?? 0;
    seenMethod.set(r.method, k + 1);
    const base = METHOD_COLORS[r.method];
    range.push((base && k === 0 ? base : SPARE_COLORS[spare++ % SPARE_COLORS.length])!);
  }
  return { domain, range };
}

const SHAPES = ['circle', 'square', 'triangle-up', 'diamond', 'cross', 'triangle-down', 'stroke'];

/**
 * Lines with a marker shape per series, and the lines of Algorithm 1's variants drawn once
 * more on top, so that curves that coincide (e.g. proposed = Scheme 1) stay visible.
 */
function seriesLineLayers(
  yField: string,
  yTitle: string | undefined,
  yScale: Record<string, unknown>,
  scale: { domain: string[] },
  tooltip: unknown[],
): VlSpec[] {
  const y: Record<string, unknown> = { field: yField, type: 'quantitative', scale: yScale };
  if (yTitle !== undefined) y.title = yTitle;
  const shape = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain: scale.domain, range: scale.domain.map((_, i) => SHAPES[i % SHAPES.length]) },
  };
  const dash = { condition: { test: "datum.method === 'exact'", value: [6, 3] }, value: [1, 0] };
  return [
    { mark: { type: 'line', strokeWidth: 2 }, encoding: { y, strokeDash: dash } },
    { mark: { type: 'point', filled: true, size: 55, opacity: 1 }, encoding: { y: { field: yField, type: 'quantitative' }, shape, tooltip } },
    {
      transform: [{ filter: "indexof(datum.method, 'proposed') === 0" }],
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: { y: { field: yField, type: 'quantitative' } },
    },
  ];
}

/** Fig. 3: average total transmit power vs the swept parameter, with 95% CI bands. */
export function powerSpec(agg: Aggregates, set: 'feasible' | 'common'): VlSpec {
  const rows: PowerRow[] = agg.power.filter((r) => r.set === set);
  const scale = seriesScale(rows);
  const subtitle =
    set === 'feasible'
      ? ['Mean (in W, shown in dBm) over each method’s feasible trials, as in the paper;', 'band: 95% Student-t interval of the mean']
      : ['Mean (in W, shown in dBm) over the trials feasible for every method;', 'band: 95% Student-t interval of the mean'];
  return {
    ...sweepFrame(agg, scale, { text: 'Average total transmit power', subtitle }, 340, rows),
    layer: [
      {
        mark: { type: 'area', opacity: 0.15 },
        encoding: {
          y: { field: 'loDbm', type: 'quantitative', title: 'Average total transmit power (dBm)', scale: { zero: false } },
          y2: { field: 'hiDbm' },
        },
      },
      ...seriesLineLayers('meanDbm', undefined, { zero: false }, scale, [
        { field: 'series', title: 'method' },
        { field: 'x', title: agg.axes.xTitle },
        { field: 'meanW', title: 'mean (W)', format: '.4g' },
        { field: 'meanDbm', title: 'mean (dBm)', format: '.2f' },
        { field: 'n', title: 'trials' },
      ]),
    ],
  };
}

/** What Figs. 3 and 4 share: title, size, data, the swept x axis and the method colours. */
function sweepFrame(
  agg: Aggregates,
  scale: { domain: string[]; range: string[] },
  title: { text: string; subtitle: string[] },
  height: number,
  rows: unknown[],
): VlSpec {
  return {
    $schema: SCHEMA,
    title,
    width: 520,
    height,
    config: BASE_CONFIG,
    data: { values: rows },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: agg.axes.xTitle,
        scale: { zero: false, nice: false, padding: 12 },
        // A count (the number of targets) has whole-number ticks only.
        ...(agg.axes.x === 'targets' ? { axis: { tickMinStep: 1, format: 'd' } } : {}),
      },
      color: { field: 'series', type: 'nominal', title: null, scale, legend: { orient: 'bottom', direction: 'vertical', symbolOpacity: 1, symbolSize: 70 } },
    },
  };
}

/** Fig. 4: infeasibility rate vs the swept parameter, with Wilson 95% intervals. */
export function infeasibilitySpec(agg: Aggregates): VlSpec {
  const scale = seriesScale(agg.rates);
  // Error bars of different methods at the same x are shifted apart a little (field xj).
  const xs = agg.rates.map((r) => r.x);
  const span = xs.length ? Math.max(...xs) - Math.min(...xs) || 1 : 1;
  const m = scale.domain.length;
  const rows: (RateRow & { xj: number })[] = agg.rates.map((r) => ({ ...r, xj: r.x + (scale.domain.indexOf(r.series) - (m - 1) / 2) * span * 0.008 }));
  return {
    ...sweepFrame(
      agg,
      scale,
      { text: 'Infeasibility rate', subtitle: ['Share of trials without a feasible design;', 'bars: 95% Wilson score interval'] },
      320,
      rows,
    ),
    layer: [
      {
        mark: { type: 'rule', strokeWidth: 1.5, opacity: 0.6 },
        encoding: { x: { field: 'xj', type: 'quantitative' }, y: { field: 'loPct', type: 'quantitative' }, y2: { field: 'hiPct' } },
      },
      ...seriesLineLayers('ratePct', 'Infeasibility rate (%)', { domainMin: 0 }, scale, [
        { field: 'series', title: 'method' },
        { field: 'x', title: agg.axes.xTitle },
        { field: 'infeasible', title: 'infeasible' },
        { field: 'trials', title: 'trials' },
        { field: 'ratePct', title: 'rate (%)', format: '.1f' },
      ]),
    ],
  };
}

/** Convergence of Algorithm 1: objective per AO iteration, one line per recorded trial. */
export function convergenceSpec(rows: ConvergenceRow[], xTitle = 'Γ_req'): VlSpec {
  const positive = rows.length > 0 && rows.every((r) => r.objective > 0);
  const seriesOrder = [...new Set([...rows].sort((a, b) => a.x - b.x).map((r) => r.series))];
  return {
    $schema: SCHEMA,
    title: {
      text: 'Convergence of Algorithm 1',
      subtitle: ['Penalised objective f̄ per AO iteration', `one line per recorded trial; colour: ${xTitle}`],
    },
    width: 520,
    height: 320,
    config: BASE_CONFIG,
    data: { values: rows },
    mark: { type: 'line', point: { size: 18 }, strokeWidth: 1.5, opacity: 0.8 },
    encoding: {
      x: { field: 'iteration', type: 'quantitative', title: 'AO iteration t', axis: { tickMinStep: 1, format: 'd' }, scale: { zero: false } },
      y: { field: 'objective', type: 'quantitative', title: 'Objective f̄ (W)', scale: positive ? { type: 'log' } : { zero: false } },
      color: { field: 'series', type: 'ordinal', title: null, sort: seriesOrder, scale: { scheme: 'viridis' }, legend: { orient: 'right' } },
      detail: { field: 'trial', type: 'nominal' },
      tooltip: [
        { field: 'series', title: 'point' },
        { field: 'trial', title: 'trial' },
        { field: 'iteration', title: 'iteration' },
        { field: 'objective', title: 'objective', format: '.6g' },
      ],
    },
  };
}

/**
 * Histograms of the relative gap to the exact optimum on decade bins (see decadeHistograms),
 * one bar per Algorithm 1 variant in each bin.
 */
export function gapHistogramSpec(bins: GapBin[], n: number): VlSpec {
  const rows = bins.map((b) => ({ ...b, label: methodLabel(b.method), bin: b.bin ?? `${b.fromPct}–${b.toPct} %` }));
  const order = [...new Map([...rows].sort((a, b) => a.fromPct - b.fromPct).map((r) => [r.bin, r.fromPct])).keys()];
  const labels = [...new Set(rows.map((r) => r.label))];
  const methods = [...new Set(rows.map((r) => r.method))];
  return {
    $schema: SCHEMA,
    title: {
      text: 'Gap of Algorithm 1 to the exact optimum',
      subtitle: [`(P_method − P_exact) / P_exact, up to ${n} trial(s) per variant,`, 'where the variant found a design and exact proved optimality'],
    },
    width: 520,
    height: 300,
    config: BASE_CONFIG,
    data: { values: rows },
    mark: { type: 'bar', stroke: 'white', strokeWidth: 0.5 },
    encoding: {
      x: { field: 'bin', type: 'ordinal', sort: order, title: 'Relative power gap to the optimum', axis: { labelAngle: 0 } },
      xOffset: { field: 'label', type: 'nominal', sort: labels },
      y: { field: 'count', type: 'quantitative', title: 'Trials', axis: { tickMinStep: 1, format: 'd' } },
      color: {
        field: 'label',
        type: 'nominal',
        title: null,
        sort: labels,
        scale: { domain: labels, range: methods.map((m) => METHOD_COLORS[m] ?? SPARE_COLORS[0]) },
        legend: { orient: 'bottom', direction: 'vertical' },
      },
      tooltip: [
        { field: 'label', title: 'method' },
        { field: 'bin', title: 'gap' },
        { field: 'count', title: 'trials' },
      ],
    },
  };
}

// ---------------------------------------------------------------------------------------
// Fig. 2: the network map.

type Point2 = [number, number];

interface MapScenario {
  baseStations: { position: Point2 }[];
  users?: { position: Point2 }[];
  target: { position: Point2 };
}

interface MapDesign {
  receiver?: number;
  association?: number[];
  method?: string;
  totalPower?: number;
  status?: string;
}

export interface MapOptions {
  /** Service-area radius, m (default: 150 if everything fits, else the smallest multiple of 10 that does). */
  radius?: number | undefined;
  title?: string | undefined;
  /** Plot size in pixels (square). */
  size?: number | undefined;
}

function isPoint(v: unknown): v is Point2 {
  return Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isFinite(x));
}

/**
 * Fig. 2: the service-area circle, the BSs (BS1..BSn, the receiving one highlighted), the
 * users (CU1..CUK), the sensing target (ST), and dashed arrows from each serving BS to its
 * users. `designJson` is optional (without it only the geometry is drawn). Accepts the
 * JSON contract's scenario (positions in metres, 0-based indices).
 */
export function scenarioMapSpec(scenarioJson: unknown, designJson?: unknown, opts: MapOptions = {}): VlSpec {
  const scn = scenarioJson as MapScenario;
  if (!scn || !Array.isArray(scn.baseStations) || !scn.target || !isPoint(scn.target.position))
    throw new TypeError('scenarioMapSpec: the scenario needs baseStations[].position and target.position');
  const bs = scn.baseStations.map((b, i) => {
    if (!isPoint(b.position)) throw new TypeError(`scenarioMapSpec: baseStations[${i}].position is not [x, y]`);
    return b.position;
  });
  const users = (scn.users ?? []).map((u, i) => {
    if (!isPoint(u.position)) throw new TypeError(`scenarioMapSpec: users[${i}].position is not [x, y]`);
    return u.position;
  });
  const target = scn.target.position;
  const design = (designJson ?? {}) as MapDesign;
  const receiver = Number.isInteger(design.receiver) ? design.receiver! : undefined;
  const association = Array.isArray(design.association) ? design.association : undefined;

  const far = Math.max(...[...bs, ...users, target].map(([x, y]) => Math.hypot(x, y)));
  const radius = opts.radius ?? (far <= 150 ? 150 : Math.ceil(far / 10) * 10);
  const lim = radius * 1.12;
  const size = opts.size ?? 460;

  const circle = Array.from({ length: 181 }, (_, i) => {
    const a = (2 * Math.PI * i) / 180;
    return { order: i, x: radius * Math.cos(a), y: radius * Math.sin(a) };
  });
  const nodes = [
    ...bs.map(([x, y], i) => ({
      x,
      y,
      label: `BS${i + 1}`,
      kind: i === receiver ? 'Receiving BS' : 'Base station',
      size: i === receiver ? 320 : 220,
    })),
    ...users.map(([x, y], k) => ({ x, y, label: `CU${k + 1}`, kind: 'Communication user', size: 110 })),
    { x: target[0], y: target[1], label: 'ST', kind: 'Sensing target', size: 170 },
  ];
  // Arrows from the serving BS to each user, stopping short of the user's symbol.
  const links: { x: number; y: number; x2: number; y2: number; angle: number; label: string }[] = [];
  if (association) {
    association.forEach((s, k) => {
      if (!Number.isInteger(s) || !bs[s] || !users[k]) return;
      const [x0, y0] = bs[s];
      const [x1, y1] = users[k];
      const d = Math.hypot(x1 - x0, y1 - y0);
      if (d < 1e-9) return;
      const back = Math.min(0.35 * d, radius * 0.045);
      const xe = x1 - ((x1 - x0) * back) / d;
      const ye = y1 - ((y1 - y0) * back) / d;
      // Vega's shape angle is clockwise from "up" in screen space (y up in data = up on screen).
      const angle = 90 - (Math.atan2(y1 - y0, x1 - x0) * 180) / Math.PI;
      links.push({ x: x0, y: y0, x2: xe, y2: ye, angle, label: `BS${s + 1} → CU${k + 1}` });
    });
  }
  const echo = receiver !== undefined && bs[receiver] ? [{ x: target[0], y: target[1], x2: bs[receiver][0], y2: bs[receiver][1] }] : [];

  const xs = { field: 'x', type: 'quantitative', scale: { domain: [-lim, lim], nice: false }, title: 'x (m)' };
  const ys = { field: 'y', type: 'quantitative', scale: { domain: [-lim, lim], nice: false }, title: 'y (m)' };
  const kinds = ['Base station', 'Receiving BS', 'Communication user', 'Sensing target'];
  const facts: string[] = [];
  if (receiver !== undefined) facts.push(`receiving BS: BS${receiver + 1}`);
  if (design.method) facts.push(`method: ${design.method}`);
  if (typeof design.totalPower === 'number' && Number.isFinite(design.totalPower)) facts.push(`total power ${design.totalPower.toPrecision(4)} W`);
  const subtitle: string[] = [facts.length ? facts.join('; ') : `service area radius ${radius} m`];
  const keyParts: string[] = [];
  if (association) keyParts.push('red dashed arrows: BS→CU association');
  if (echo.length) keyParts.push('orange dotted: echo to the receiving BS');
  if (keyParts.length) subtitle.push(keyParts.join('; '));

  return {
    $schema: SCHEMA,
    title: { text: opts.title ?? 'Network ISAC scenario', subtitle },
    width: size,
    height: size,
    config: { ...BASE_CONFIG, axis: { ...BASE_CONFIG.axis, grid: false } },
    layer: [
      {
        data: { values: circle },
        mark: { type: 'line', color: '#999', strokeDash: [4, 3], strokeWidth: 1 },
        encoding: { x: xs, y: ys, order: { field: 'order', type: 'quantitative' } },
      },
      ...(echo.length
        ? [
            {
              data: { values: echo },
              mark: { type: 'rule', color: '#ff7f0e', strokeWidth: 1.5, strokeDash: [2, 2] },
              encoding: { x: xs, y: ys, x2: { field: 'x2' }, y2: { field: 'y2' } },
            },
          ]
        : []),
      ...(links.length
        ? [
            {
              data: { values: links },
              mark: { type: 'rule', color: '#d62728', strokeDash: [6, 4], strokeWidth: 1.6 },
              encoding: { x: xs, y: ys, x2: { field: 'x2' }, y2: { field: 'y2' }, tooltip: [{ field: 'label', title: 'association' }] },
            },
            {
              data: { values: links.map((l) => ({ x: l.x2, y: l.y2, angle: l.angle, label: l.label })) },
              mark: { type: 'point', shape: 'triangle-up', filled: true, color: '#d62728', size: 90, opacity: 1 },
              encoding: { x: xs, y: ys, angle: { field: 'angle', type: 'quantitative', scale: null } },
            },
          ]
        : []),
      {
        data: { values: nodes },
        mark: { type: 'point', filled: true, opacity: 1, stroke: 'black', strokeWidth: 0.8 },
        encoding: {
          x: xs,
          y: ys,
          shape: {
            field: 'kind',
            type: 'nominal',
            scale: { domain: kinds, range: ['square', 'square', 'circle', 'diamond'] },
            legend: { title: null, orient: 'bottom', direction: 'horizontal' },
          },
          color: {
            field: 'kind',
            type: 'nominal',
            scale: { domain: kinds, range: ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728'] },
            legend: { title: null, orient: 'bottom', direction: 'horizontal' },
          },
          size: { field: 'size', type: 'quantitative', scale: null },
          tooltip: [
            { field: 'label', title: 'node' },
            { field: 'x', title: 'x (m)', format: '.1f' },
            { field: 'y', title: 'y (m)', format: '.1f' },
          ],
        },
      },
      {
        data: { values: nodes },
        mark: { type: 'text', dx: 0, dy: -14, fontSize: 11, fontWeight: 'bold' },
        encoding: { x: xs, y: ys, text: { field: 'label' }, color: { value: '#222' } },
      },
    ],
  };
}
