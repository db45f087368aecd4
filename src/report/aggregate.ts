/**
 * From study records to the numbers the figures plot. Conventions:
 *
 * - Records with `status: "error"` (the runner threw) are left out of every statistic and
 *   only counted in the summary.
 * - A trial is *feasible* for a method when its design passed the independent check
 *   (`feasible: true`); otherwise it counts as infeasible (no design, infeasible, failed,
 *   or time limit without a design), as in the paper's Fig. 4.
 * - Power is averaged in watts; dBm values are 10 log10(mean W) + 30. The two averages of
 *   Fig. 3: `feasible` = over each method's own feasible trials (the paper's convention),
 *   `common` = over the trials feasible for every method of the study (a like-for-like
 *   comparison: the same channel realisations in every mean).
 * - Confidence intervals: Student t for means, Wilson for rates (see stats.ts). On the dBm
 *   axis a lower limit <= 0 W cannot be shown; it is clipped to the smallest sample.
 * - Gap to exact: (P_method - P_exact) / P_exact on the (point, trial)s where `exact`
 *   proved optimality and the method found a feasible design.
 * - Ablation (per method, on the drops where `exact` proved optimality): the share of drops
 *   where the method chose the optimal receiving BS, the gap statistics, AO iterations and
 *   time. A drop where the method found no feasible design counts as not reaching the optimum.
 */
import type { PointParams, Study } from '../study/schema.ts';
import type { TrialRecord } from '../study/results.ts';
import { meanCi, median, wattToDbm, wilson } from './stats.ts';

export const METHOD_LABELS: Record<string, string> = {
  proposed: 'Proposed (Alg. 1)',
  'proposed-relaxation': 'Alg. 1 + relaxation start',
  exact: 'Exact (global optimum)',
  scheme1: 'Scheme 1 (closest BS senses)',
  scheme2: 'Scheme 2 (random selection)',
  scheme3: 'Scheme 3 (bi-static BS1/BS2)',
  fixed: 'Fixed design',
};

/** The label of a method in figures and tables (e.g. "Proposed", "Scheme 1"). */
export function methodLabel(m: string): string {
  return METHOD_LABELS[m] ?? m;
}

const PARAM_INFO: Record<keyof PointParams, { title: string; short: string; unit: string }> = {
  minSinrDb: { title: 'Minimum SINR requirement Γ_req (dB)', short: 'Γ_req', unit: 'dB' },
  crlbMax: { title: 'CRLB bound ε (m²)', short: 'ε', unit: 'm²' },
  maxPowerDbm: { title: 'Per-BS power budget P (dBm)', short: 'P', unit: 'dBm' },
  targets: { title: 'Number of sensing targets T', short: 'T', unit: '' },
};

/** Which point parameter goes on the x axis and which label the other swept ones. */
export interface Axes {
  x: keyof PointParams;
  xTitle: string;
  /** Swept parameters other than x: they become part of the series name. */
  extra: (keyof PointParams)[];
}

/** Which swept parameter is the x axis of the figures (and which, if any, makes the series). */
export function chooseAxes(study: Study): Axes {
  const keys: (keyof PointParams)[] = ['minSinrDb', 'crlbMax', 'maxPowerDbm', 'targets'];
  const swept = keys.filter((k) => new Set(study.points.map((p) => p[k])).size > 1);
  const x = swept[0] ?? 'minSinrDb';
  return { x, xTitle: PARAM_INFO[x].title, extra: swept.filter((k) => k !== x) };
}

function seriesName(method: string, params: PointParams, axes: Axes): string {
  if (!axes.extra.length) return methodLabel(method);
  return `${methodLabel(method)}, ${axes.extra.map((k) => `${PARAM_INFO[k].short}=${params[k] ?? 1}${PARAM_INFO[k].unit ? ` ${PARAM_INFO[k].unit}` : ''}`).join(', ')}`;
}

/** What every plotted row says about its method and sweep point. */
interface SeriesPoint {
  method: string;
  series: string;
  point: number;
  x: number;
  minSinrDb: number;
  crlbMax: number;
  maxPowerDbm: number;
  /** T, when the study sets it (several targets). */
  targets?: number;
}

export interface PowerRow extends SeriesPoint {
  set: 'feasible' | 'common';
  /** Trials averaged. */
  n: number;
  meanW: number;
  /** 95% CI of the mean, W (equal to the mean when n < 2). */
  loW: number;
  hiW: number;
  meanDbm: number;
  loDbm: number;
  hiDbm: number;
}

export interface RateRow extends SeriesPoint {
  trials: number;
  infeasible: number;
  /** Infeasibility rate, percent, with its Wilson 95% interval. */
  ratePct: number;
  loPct: number;
  hiPct: number;
}

export interface ConvergenceRow {
  point: number;
  minSinrDb: number;
  x: number;
  trial: number;
  series: string;
  iteration: number;
  objective: number;
}

export interface GapBin {
  method: string;
  /** Bin edges, percent. */
  fromPct: number;
  toPct: number;
  count: number;
  /** A readable name of the bin (decade bins: "1–10 %"). */
  bin?: string;
}

/** Upper edges (percent) of the decade bins of the gap histogram; the last bin is open. */
export const GAP_DECADES = [0.01, 1, 10, 100, 1000];

/**
 * Gap histograms on decade bins (≤ 0.01 %, 0.01–1 %, 1–10 %, 10–100 %, 100–1000 %, > 1000 %),
 * every bin present for every method: gaps from 0 to 10x the optimum on one readable axis.
 * Gaps at or below 0.01 % (solver tolerance, also slightly negative ones) count as optimal.
 */
export function decadeHistograms(groups: { method: string; values: number[] }[]): GapBin[] {
  const out: GapBin[] = [];
  const edges = [-Infinity, ...GAP_DECADES, Infinity];
  const name = (i: number): string =>
    i === 0 ? `≤ ${GAP_DECADES[0]} %` : i === edges.length - 2 ? `> ${GAP_DECADES[GAP_DECADES.length - 1]} %` : `${edges[i]}–${edges[i + 1]} %`;
  for (const g of groups) {
    if (!g.values.length) continue;
    for (let i = 0; i < edges.length - 1; i++) {
      const count = g.values.filter((v) => (i === 0 ? v <= edges[1]! : v > edges[i]! && v <= edges[i + 1]!)).length;
      out.push({ method: g.method, fromPct: (i === 0 ? 0 : edges[i])!, toPct: edges[i + 1]!, count, bin: name(i) });
    }
  }
  return out;
}

export interface SummaryRow {
  method: string;
  label: string;
  /** Records of the method (errors included). */
  trials: number;
  errors: number;
  feasible: number;
  feasiblePct: number | null;
  /** Mean power over the feasible trials, W and dBm. */
  meanPowerW: number | null;
  meanPowerDbm: number | null;
  medianSeconds: number | null;
  /** Mean relative gap to the exact optimum, percent, and over how many trials. */
  meanGapPct: number | null;
  gapTrials: number;
}

export interface AblationRow {
  method: string;
  label: string;
  /** Drops (point, trial) where exact proved optimality and the method has a record. */
  drops: number;
  /** Of those: the method chose the optimal receiving BS (percent). */
  optimalReceiverPct: number | null;
  /** Of those: the method's design is within 0.01 % of the optimum (percent). */
  optimalPct: number | null;
  /** Of those: no feasible design. */
  infeasible: number;
  /** Gap statistics over the drops with a feasible design, percent. */
  meanGapPct: number | null;
  medianGapPct: number | null;
  maxGapPct: number | null;
  /** Mean AO iterations (B&B nodes for exact) and median seconds over all its drops. */
  meanIterations: number | null;
  medianSeconds: number | null;
}

/** Methods whose gap to the optimum the report shows as a histogram (Algorithm 1's variants). */
export const GAP_HISTOGRAM_METHODS = ['proposed', 'proposed-relaxation'];

export interface Aggregates {
  axes: Axes;
  methods: string[];
  power: PowerRow[];
  rates: RateRow[];
  convergence: ConvergenceRow[];
  gaps: { method: string; point: number; trial: number; gapPct: number }[];
  gapBins: GapBin[];
  summary: SummaryRow[];
  ablation: AblationRow[];
  /** Tasks present / expected. */
  completeness: { records: number; expected: number };
}

function ciInDbm(meanW: number, lo: number | null, hi: number | null, minSample: number): { loW: number; hiW: number; loDbm: number; hiDbm: number } {
  const loW = lo === null ? meanW : lo;
  const hiW = hi === null ? meanW : hi;
  const loShown = loW > 0 ? loW : minSample;
  return { loW, hiW, loDbm: wattToDbm(loShown), hiDbm: wattToDbm(hiW) };
}

/**
 * Fixed-width histogram of percentages: about `bins` bins (default: Rice's rule
 * ceil(2 n^(1/3)), between 5 and 30), edges on round numbers.
 */
export function histogram(method: string, values: number[], bins?: number): GapBin[] {
  return histograms([{ method, values }], bins);
}

/** Histograms of several methods on the same bin edges (chosen from all values together). */
export function histograms(groups: { method: string; values: number[] }[], bins?: number): GapBin[] {
  const values = groups.flatMap((g) => g.values);
  if (!values.length) return [];
  bins ??= Math.min(30, Math.max(5, Math.ceil(2 * Math.cbrt(values.length))));
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  if (hi - lo < 1e-9) {
    const w = Math.max(1e-3, Math.abs(lo) * 0.01);
    return groups.filter((g) => g.values.length).map((g) => ({ method: g.method, fromPct: lo - w / 2, toPct: lo + w / 2, count: g.values.length }));
  }
  const raw = (hi - lo) / bins;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const width = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((w) => w >= raw) ?? 10 * mag;
  const start = Math.floor(lo / width) * width;
  const count = Math.max(1, Math.ceil((hi - start) / width + 1e-9));
  const out: GapBin[] = [];
  for (const g of groups) {
    if (!g.values.length) continue;
    const mine: GapBin[] = Array.from({ length: count }, (_, i) => ({
      method: g.method,
      fromPct: Number((start + i * width).toPrecision(12)),
      toPct: Number((start + (i + 1) * width).toPrecision(12)),
      count: 0,
    }));
    for (const v of g.values) {
      let i = Math.floor((v - start) / width);
      if (i >= count) i = count - 1;
      if (i < 0) i = 0;
      mine[i]!.count++;
    }
    out.push(...mine);
  }
  return out;
}

/** Everything the report plots and tabulates, computed from the trial records of one study. */
export function aggregate(study: Study, records: TrialRecord[]): Aggregates {
  const axes = chooseAxes(study);
  const methods = [...study.methods] as string[];
  const valid = records.filter((r) => r.status !== 'error');
  const byPoint = new Map<number, TrialRecord[]>();
  for (const r of valid) {
    if (!byPoint.has(r.point)) byPoint.set(r.point, []);
    byPoint.get(r.point)!.push(r);
  }

  const power: PowerRow[] = [];
  const rates: RateRow[] = [];
  study.points.forEach((params, point) => {
    const rs = byPoint.get(point) ?? [];
    // Trials feasible for every method (all methods must have a record).
    const perTrial = new Map<number, Map<string, TrialRecord>>();
    for (const r of rs) {
      if (!perTrial.has(r.trial)) perTrial.set(r.trial, new Map());
      perTrial.get(r.trial)!.set(r.method, r);
    }
    const common = new Set<number>();
    for (const [t, m] of perTrial) if (methods.every((mm) => m.get(mm)?.feasible && m.get(mm)?.totalPower !== null)) common.add(t);

    for (const method of methods) {
      const mine = rs.filter((r) => r.method === method);
      const base = { method, series: seriesName(method, params, axes), point, x: params[axes.x] ?? 1, ...params };
      if (mine.length) {
        const inf = mine.filter((r) => !r.feasible).length;
        const w = wilson(inf, mine.length);
        rates.push({ ...base, trials: mine.length, infeasible: inf, ratePct: 100 * w.p!, loPct: 100 * w.lo!, hiPct: 100 * w.hi! });
      }
      for (const set of ['feasible', 'common'] as const) {
        const xs = mine
          .filter((r) => r.feasible && r.totalPower !== null && r.totalPower > 0 && (set === 'feasible' || common.has(r.trial)))
          .map((r) => r.totalPower!);
        if (!xs.length) continue;
        const ci = meanCi(xs);
        const meanW = ci.mean!;
        power.push({ set, ...base, n: ci.n, meanW, meanDbm: wattToDbm(meanW), ...ciInDbm(meanW, ci.lo, ci.hi, Math.min(...xs)) });
      }
    }
  });

  const convergence: ConvergenceRow[] = [];
  for (const r of valid) {
    // The paper's Algorithm 1 (neutral start); the relaxation-started variant converges in ~2 iterations.
    if (!r.history?.length || r.method !== 'proposed') continue;
    const params = study.points[r.point] ?? r.params;
    r.history.forEach((objective, i) => {
      if (Number.isFinite(objective))
        convergence.push({
          point: r.point,
          minSinrDb: params.minSinrDb,
          x: params[axes.x] ?? 1,
          trial: r.trial,
          series: `${PARAM_INFO[axes.x].short}=${params[axes.x]} ${PARAM_INFO[axes.x].unit}`,
          iteration: i + 1,
          objective,
        });
    });
  }
  convergence.sort((a, b) => a.point - b.point || a.trial - b.trial || a.iteration - b.iteration);

  // Gap to the proven optimum.
  const exactBy = new Map<string, TrialRecord>();
  for (const r of valid) if (r.method === 'exact' && r.status === 'optimal' && r.feasible && r.totalPower! > 0) exactBy.set(`${r.point}/${r.trial}`, r);
  const gaps: Aggregates['gaps'] = [];
  for (const r of valid) {
    if (r.method === 'exact' || !r.feasible || r.totalPower === null) continue;
    const e = exactBy.get(`${r.point}/${r.trial}`);
    if (!e) continue;
    gaps.push({ method: r.method, point: r.point, trial: r.trial, gapPct: (100 * (r.totalPower - e.totalPower!)) / e.totalPower! });
  }
  gaps.sort((a, b) => a.point - b.point || a.trial - b.trial || methods.indexOf(a.method) - methods.indexOf(b.method));
  const gapBins = decadeHistograms(
    GAP_HISTOGRAM_METHODS.filter((m) => methods.includes(m)).map((m) => ({ method: m, values: gaps.filter((g) => g.method === m).map((g) => g.gapPct) })),
  );
  const ablation = ablationRows(methods, valid, exactBy);

  const summary: SummaryRow[] = methods.map((method) => {
    const all = records.filter((r) => r.method === method);
    const ok = all.filter((r) => r.status !== 'error');
    const feas = ok.filter((r) => r.feasible && r.totalPower !== null);
    const meanW = feas.length ? feas.reduce((a, r) => a + r.totalPower!, 0) / feas.length : null;
    const g = gaps.filter((x) => x.method === method).map((x) => x.gapPct);
    return {
      method,
      label: methodLabel(method),
      trials: all.length,
      errors: all.length - ok.length,
      feasible: feas.length,
      feasiblePct: ok.length ? (100 * feas.length) / ok.length : null,
      meanPowerW: meanW,
      meanPowerDbm: meanW !== null && meanW > 0 ? wattToDbm(meanW) : null,
      medianSeconds: median(ok.map((r) => r.seconds)),
      meanGapPct: g.length ? g.reduce((a, b) => a + b, 0) / g.length : null,
      gapTrials: g.length,
    };
  });
  return {
    axes,
    methods,
    power,
    rates,
    convergence,
    gaps,
    gapBins,
    summary,
    ablation,
    completeness: { records: records.length, expected: study.points.length * study.trials * study.methods.length },
  };
}

/** The ablation table: each method against the certified optimum on the same drops. */
function ablationRows(methods: string[], valid: TrialRecord[], exactBy: Map<string, TrialRecord>): AblationRow[] {
  const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  return methods.map((method) => {
    const rows = valid.filter((r) => r.method === method && exactBy.has(`${r.point}/${r.trial}`));
    const gapsOf: number[] = [];
    let receiverHits = 0;
    let optimal = 0;
    for (const r of rows) {
      const e = exactBy.get(`${r.point}/${r.trial}`)!;
      if (r.receiver !== null && r.receiver === e.receiver) receiverHits++;
      if (!r.feasible || r.totalPower === null) continue;
      const g = (100 * (r.totalPower - e.totalPower!)) / e.totalPower!;
      gapsOf.push(g);
      if (g <= 0.01) optimal++;
    }
    const sorted = [...gapsOf].sort((a, b) => a - b);
    const its = rows.map((r) => r.iterations).filter((v): v is number => v !== null);
    const pct = (x: number): number | null => (rows.length ? (100 * x) / rows.length : null);
    return {
      method,
      label: methodLabel(method),
      drops: rows.length,
      optimalReceiverPct: pct(receiverHits),
      optimalPct: pct(optimal),
      infeasible: rows.filter((r) => !r.feasible || r.totalPower === null).length,
      meanGapPct: mean(gapsOf),
      medianGapPct: median(sorted),
      maxGapPct: sorted.length ? sorted[sorted.length - 1]! : null,
      meanIterations: mean(its),
      medianSeconds: median(rows.map((r) => r.seconds)),
    };
  });
}
