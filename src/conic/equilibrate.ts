/**
 * Ruiz equilibration of a standard-form problem (as Clarabel and OSQP do before solving).
 *
 * Rows of A are scaled by D and columns by E, with E constant on each second-order or
 * matrix cone (so the scaled variable x' = E^-1 x stays in the same cone); the cost scale
 * cs is kept at 1 (a smaller one would loosen the relative gap test):
 *
 *   min (cs E c)^T x'  s.t.  (D A E) x' = D b,  x' in K
 *   x = E x',  y = D y' / cs,  z = E^-1 z' / cs,  objectives / cs.
 *
 * Why: the ISAC subproblems mix rows whose coefficients differ by many orders of magnitude
 * (a user next to its BS sees interference coefficients ~1e7 while FIM rows are ~1e-10),
 * and the interior-point start and stopping tests are far more reliable when every row and
 * block column has unit infinity norm.
 */
import type { Cone, ConicProblem, LowRankHint } from './types.ts';
import { over, overOver } from '../linalg/vector-ops.ts';
import { rowScaledNormsWasm, scaledNormWasm } from '../linalg/wasm-kernels.ts';

export interface Equilibration {
  problem: ConicProblem;
  /** Row scales (m). */
  D: Float64Array;
  /** Column scales (n), constant on each soc/psd/hpsd cone. */
  E: Float64Array;
  /** Cost scale. */
  cs: number;
}

const MIN_NORM = 1e-4;
const MAX_NORM = 1e4;
const LIMIT = 1e8;

/** Column groups: every free/nonneg column alone, every other cone as one group. */
function columnGroups(cones: Cone[], n: number): Int32Array {
  const group = new Int32Array(n);
  let off = 0;
  let g = 0;
  for (const k of cones) {
    const dim = k.kind === 'psd' ? (k.n * (k.n + 1)) / 2 : k.kind === 'hpsd' ? k.n * k.n : k.dim;
    if (k.kind === 'free' || k.kind === 'nonneg') {
      for (let j = 0; j < dim; j++) group[off + j] = g++;
    } else {
      for (let j = 0; j < dim; j++) group[off + j] = g;
      g++;
    }
    off += dim;
  }
  return group;
}

const clampNorm = (v: number): number => Math.min(MAX_NORM, Math.max(MIN_NORM, v));
const clampScale = (v: number): number => Math.min(LIMIT, Math.max(1 / LIMIT, v));

/** Ruiz equilibration (see above): the row scaling D and the cone-wise column scaling E. */
export function equilibrate(p: ConicProblem, iterations = 15): Equilibration {
  const { A, b, c, cones } = p;
  const m = A.rows;
  const n = A.cols;
  const group = columnGroups(cones, n);
  let nGroups = 0;
  for (let j = 0; j < n; j++) nGroups = Math.max(nGroups, group[j] + 1);
  const D = new Float64Array(m).fill(1);
  const Eg = new Float64Array(nGroups).fill(1);
  const rowNorm = new Float64Array(m);
  const groupNorm = new Float64Array(nGroups);
  for (let it = 0; it < iterations; it++) {
    rowNorm.fill(0);
    groupNorm.fill(0);
    for (let i = 0; i < m; i++) {
      for (let k = A.rowPtr[i]; k < A.rowPtr[i + 1]; k++) {
        const g = group[A.colIdx[k]];
        const v = Math.abs(D[i] * A.values[k] * Eg[g]);
        if (v > rowNorm[i]) rowNorm[i] = v;
        if (v > groupNorm[g]) groupNorm[g] = v;
      }
    }
    let worst = 0;
    for (let i = 0; i < m; i++) {
      if (rowNorm[i] === 0) continue;
      worst = Math.max(worst, Math.abs(1 - rowNorm[i]));
      D[i] = clampScale(D[i] / Math.sqrt(clampNorm(rowNorm[i])));
    }
    for (let g = 0; g < nGroups; g++) {
      if (groupNorm[g] === 0) continue;
      worst = Math.max(worst, Math.abs(1 - groupNorm[g]));
      Eg[g] = clampScale(Eg[g] / Math.sqrt(clampNorm(groupNorm[g])));
    }
    if (worst < 1e-3) break;
  }
  const E = new Float64Array(n);
  for (let j = 0; j < n; j++) E[j] = Eg[group[j]];
  const values = new Float64Array(A.values.length);
  for (let i = 0; i < m; i++) {
    for (let k = A.rowPtr[i]; k < A.rowPtr[i + 1]; k++) values[k] = D[i] * A.values[k] * E[A.colIdx[k]];
  }
  const bs = new Float64Array(m);
  for (let i = 0; i < m; i++) bs[i] = D[i] * b[i];
  // No separate cost scale: the IPM's relative gap test then keeps its meaning for the user.
  const cs = 1;
  const cscaled = new Float64Array(n);
  for (let j = 0; j < n; j++) cscaled[j] = cs * E[j] * c[j];
  // Offsets of the cones, to find a hint's (uniform) column scale.
  const coneOffset: number[] = [];
  let off = 0;
  for (const k of cones) {
    coneOffset.push(off);
    off += k.kind === 'psd' ? (k.n * (k.n + 1)) / 2 : k.kind === 'hpsd' ? k.n * k.n : k.dim;
  }
  const lowRank: LowRankHint[] | undefined = p.lowRank?.map((h) => {
    const s = D[h.row] * E[coneOffset[h.cone]];
    const weights = new Float64Array(h.weights.length);
    for (let r = 0; r < weights.length; r++) weights[r] = h.weights[r] * s;
    return { ...h, weights };
  });
  return {
    problem: { c: cscaled, A: { ...A, values }, b: bs, cones, ...(lowRank ? { lowRank } : {}) },
    D,
    E,
    cs,
  };
}

/**
 * Uniform scaling by the data's own magnitudes, applied before every solve:
 *
 *   A' = A / alpha,  b' = b / (alpha beta),  c' = c / gamma,
 *   x = beta x',  y = gamma y' / alpha,  z = gamma z',  objectives * beta gamma,
 *
 * with alpha the root-mean-square row norm of A, beta the median of |b_i| / ||A_i|| (the size
 * of x the data suggest), gamma = ||c||, each
 * rounded to a power of two (so the scaling itself is exact) and applied only when far from
 * one (alpha outside [2^-20, 2^20], beta and gamma outside [1/16, 16]). Small b or c must
 * be scaled up: the tests' floors (1 + ||b||, max(1, |objective|), the absolute gap 1e-8)
 * would otherwise accept answers that are wrong by percents at 1e-6. Large ones must be
 * scaled down: the infeasibility tests divide by b^T y and c^T x, which grow with b and c,
 * so a problem with b times 1e6 looked "infeasible" while it converged. Why: the stopping tests
 * compare residuals with 1 + ||b||, gaps with max(1, |objective|) and certificates with
 * fixed thresholds; on data at 1e-12 or 1e12 those constants would decide the status. After
 * this scaling the tests are relative to the data, so a status does not change when the user
 * multiplies F0 or c (or all the data) by 10^6.
 */
export interface Normalisation {
  problem: ConicProblem;
  alpha: number;
  beta: number;
  gamma: number;
}

/**
 * Median of |b_i| / ||A_i|| over the rows with b_i != 0 and a nonzero row (without the rows
 * with a single nonzero when `skipPins` and there are others); 1 when none.
 */
function medianRatio(p: ConicProblem, skipPins: boolean): number {
  const { A, b } = p;
  const { norm, count } = rowNorms(A);
  const ratios: number[] = [];
  const pins: number[] = [];
  for (let i = 0; i < A.rows; i++) {
    if (b[i] === 0 || norm[i] === 0) continue;
    (skipPins && count[i] === 1 ? pins : ratios).push(Math.abs(b[i]) / norm[i]);
  }
  if (ratios.length === 0) ratios.push(...pins);
  if (ratios.length === 0) return 1;
  ratios.sort((x, y) => x - y);
  return ratios[Math.floor(ratios.length / 2)];
}

/**
 * Every row's scaledNorm (0 for a row of zeros) and its count of nonzeros; in WebAssembly
 * when it runs (the same bits: a fresh process runs these passes interpreted otherwise).
 */
function rowNorms(A: ConicProblem['A']): { norm: Float64Array; count: Float64Array } {
  const norm = new Float64Array(A.rows);
  const count = new Float64Array(A.rows);
  if (rowScaledNormsWasm(A.rowPtr, A.values, A.rows, norm, count)) return { norm, count };
  for (let i = 0; i < A.rows; i++) {
    const row = A.values.subarray(A.rowPtr[i], A.rowPtr[i + 1]);
    let nonzeros = 0;
    for (let k = 0; k < row.length; k++) if (row[k] !== 0) nonzeros++;
    norm[i] = scaledNorm(row);
    count[i] = nonzeros;
  }
  return { norm, count };
}

/** v when it is outside [lo, hi], else 1. */
function outside(v: number, lo: number, hi: number): number {
  return v > hi || v < lo ? v : 1;
}

function pow2(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  return 2 ** Math.round(Math.log2(v));
}

function scaledNorm(v: Float64Array, s = 1): number {
  const inWasm = scaledNormWasm(v);
  if (inWasm !== null) return inWasm / s;
  // indexed loops, not for-of: a fresh process runs this interpreted, where every step of an
  // iterator is a call and an allocation (a third of a paper-scale first solve's iterator garbage)
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]));
  if (m === 0) return 0;
  let q = 0;
  for (let i = 0; i < v.length; i++) q += (v[i] / m) ** 2;
  return (m * Math.sqrt(q)) / s;
}

/**
 * normalise's beta, the factor x is scaled by: the estimated size of x, the median over the
 * rows of |b_i| / ||A_i|| (rows scaled together with their right-hand side leave it
 * unchanged; a few huge rows do not move it), as a power of two, when outside
 * [1 / xBand, xBand]; else 1. `skipPins` leaves out the rows with one nonzero, which fix a
 * single coordinate (the caller knows they say nothing about the size of the others).
 */
export function xScale(p: ConicProblem, xBand = 16, skipPins = false): number {
  return outside(pow2(medianRatio(p, skipPins)), 1 / xBand, xBand);
}

/**
 * Scales the problem by the magnitudes of its own data, with three powers of two (so no
 * rounding): all rows of A and b together (alpha), x (beta) and c (gamma); returns the scaled
 * problem and the factors that map the solution back to the user's units. beta applies when
 * the estimated size of x is outside [1 / xBand, xBand] (SolverSettings.xScaleBand; the
 * estimate leaves out single-entry rows with `skipPins`, SolverSettings.xScaleSkipPins).
 */
export function normalise(p: ConicProblem, xBand = 16, skipPins = false): Normalisation {
  const rows = p.A.rows;
  // Each factor only when its magnitude is far from one: problems that are already scaled
  // (the design layer's, whose blocks carry physical units) keep the path they were tuned on.
  const rowNorm = rows > 0 ? scaledNorm(p.A.values) / Math.sqrt(rows) : 1;
  const alpha = outside(pow2(rowNorm), 2 ** -20, 2 ** 20);
  const beta = xScale(p, xBand, skipPins);
  const gamma = outside(pow2(scaledNorm(p.c)), 1 / 16, 16);
  if (alpha === 1 && beta === 1 && gamma === 1) return { problem: p, alpha, beta, gamma };
  const values = over(p.A.values, alpha);
  const b = overOver(p.b, alpha, beta);
  const c = over(p.c, gamma);
  const lowRank = p.lowRank?.map((h) => ({ ...h, weights: h.weights.map((w) => w / alpha) }));
  return { problem: { ...p, A: { ...p.A, values }, b, c, ...(lowRank ? { lowRank } : {}) }, alpha, beta, gamma };
}
