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
 */
import type { PointParams, Study } from '../study/schema.ts';
import type { TrialRecord } from '../study/results.ts';
import { meanCi, median, wattToDbm, wilson } from './stats.ts';

export const METHOD_LABELS: Record<string, string> = {
  proposed: 'Proposed (Alg. 1)',
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
  const keys: (keyof PointParams)[] = ['minSinrDb', 'crlbMax', 'maxPowerDbm'];
  const swept = keys.filter((k) => new Set(study.points.map((p) => p[k])).size > 1);
  const x = swept[0] ?? 'minSinrDb';
  return { x, xTitle: PARAM_INFO[x].title, extra: swept.filter((k) => k !== x) };
}

function seriesName(method: string, params: PointParams, axes: Axes): string {
  if (!axes.extra.length) return methodLabel(method);
  return `${methodLabel(method)}, ${axes.extra.map((k) => `${PARAM_INFO[k].short}=${params[k]} ${PARAM_INFO[k].unit}`).join(', ')}`;
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

export interface Aggregates {
  axes: Axes;
  methods: string[];
  power: PowerRow[];
  rates: RateRow[];
  convergence: ConvergenceRow[];
  gaps: { method: string; point: number; trial: number; gapPct: number }[];
  gapBins: GapBin[];
  summary: SummaryRow[];
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
  if (!values.length) return [];
  bins ??= Math.min(30, Math.max(5, Math.ceil(2 * Math.cbrt(values.length))));
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  if (hi - lo < 1e-9) {
    const w = Math.max(1e-3, Math.abs(lo) * 0.01);
    return [{ method, fromPct: lo - w / 2, toPct: lo + w / 2, count: values.length }];
  }
  const raw = (hi - lo) / bins;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const width = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((w) => w >= raw) ?? 10 * mag;
  const start = Math.floor(lo / width) * width;
  const count = Math.max(1, Math.ceil((hi - start) / width + 1e-9));
  const out: GapBin[] = Array.from({ length: count }, (_, i) => ({
    method,
    fromPct: Number((start + i * width).toPrecision(12)),
    toPct: Number((start + (i + 1) * width).toPrecision(12)),
    count: 0,
  }));
  for (const v of values) {
    let i = Math.floor((v - start) / width);
    if (i >= count) i = count - 1;
    if (i < 0) i = 0;
    out[i].count++;
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
      const base = { method, series: seriesName(method, params, axes), point, x: params[axes.x], ...params };
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
    if (!r.history?.length) continue;
    const params = study.points[r.point] ?? r.params;
    r.history.forEach((objective, i) => {
      if (Number.isFinite(objective))
        convergence.push({
          point: r.point,
          minSinrDb: params.minSinrDb,
          x: params[axes.x],
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
  const gapBins = histogram(
    'proposed',
    gaps.filter((g) => g.method === 'proposed').map((g) => g.gapPct),
  );

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
    completeness: { records: records.length, expected: study.points.length * study.trials * study.methods.length },
  };
}

