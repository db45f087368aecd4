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
