/** Random conic problems that are feasible with a strictly complementary-free interior start (for tests). */
import type { Cone, ConicProblem, LowRankHint } from '../../src/conic/types.ts';
import { svec, hvec } from '../../src/conic/vec.ts';
import { csr, coneDim, mulA, mulAt, rng } from './helpers.ts';
import { HpsdCone } from '../../src/conic/cones/hpsd.ts';
import { PsdCone } from '../../src/conic/cones/psd.ts';

/** Interior point of a cone (free: arbitrary for x; z must be 0 there). */
export function interior(k: Cone, rnd: () => number, dual: boolean): number[] {
  const d = coneDim(k);
  if (k.kind === 'free') return Array.from({ length: d }, () => (dual ? 0 : 2 * rnd() - 1));
  if (k.kind === 'nonneg') return Array.from({ length: d }, () => 0.2 + rnd());
  if (k.kind === 'soc') {
    const u = Array.from({ length: d - 1 }, () => 2 * rnd() - 1);
    return [Math.hypot(...u, 0) + 0.2 + rnd(), ...u];
  }
  const n = k.n;
  if (k.kind === 'psd') {
    const B = Float64Array.from({ length: n * n }, () => rnd() - 0.5);
    const X = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = i === j ? 0.3 : 0;
        for (let t = 0; t < n; t++) s += B[i * n + t]! * B[j * n + t]!;
        X[i * n + j] = s;
      }
    return Array.from(svec(X, n));
  }
  // hpsd: B B^H + 0.3 I
  const Br = Float64Array.from({ length: n * n }, () => rnd() - 0.5);
  const Bi = Float64Array.from({ length: n * n }, () => rnd() - 0.5);
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let sr = i === j ? 0.3 : 0;
      let si = 0;
      for (let t = 0; t < n; t++) {
        // (B B^H)_ij = sum_t B_it conj(B_jt)
        sr += Br[i * n + t]! * Br[j * n + t]! + Bi[i * n + t]! * Bi[j * n + t]!;
        si += Bi[i * n + t]! * Br[j * n + t]! - Br[i * n + t]! * Bi[j * n + t]!;
      }
      re[i * n + j] = sr;
      im[i * n + j] = si;
    }
  return Array.from(hvec({ re, im }, n));
}

/**
 * b = A x0, c = A^T y0 + z0 with x0, z0 interior: primal and dual strictly feasible,
 * so the problem has an optimal solution. A is dense-ish with `density`.
 */
export function feasibleProblem(cones: Cone[], m: number, rnd: () => number, density = 0.6, lowRank?: LowRankHint[]): ConicProblem {
  const n = cones.reduce((s, k) => s + coneDim(k), 0);
  const rows = Array.from({ length: m }, () => Array.from({ length: n }, () => (rnd() < density ? 2 * rnd() - 1 : 0)));
  const A = csr(rows, n);
  return completeProblem(A, cones, rnd, lowRank);
}

export function completeProblem(A: ConicProblem['A'], cones: Cone[], rnd: () => number, lowRank?: LowRankHint[]): ConicProblem {
  const x0 = cones.flatMap((k) => interior(k, rnd, false));
  const z0 = cones.flatMap((k) => interior(k, rnd, true));
  const y0 = Array.from({ length: A.rows }, () => 2 * rnd() - 1);
  const b = mulA(A, x0);
  const Aty = mulAt(A, y0);
  const c = Float64Array.from(Aty, (v, j) => v + z0[j]!);
  return lowRank === undefined ? { c, A, b, cones } : { c, A, b, cones, lowRank };
}

/**
 * A random feasible problem over a Hermitian, a real PSD, a second-order and a nonnegative
 * cone, some rows given as low-rank sums with hints (the Schur complement's LR strategy),
 * the others sparse at the given density (its F1 / F2 strategies).
 */
export function hintedProblem(seed: number, nH: number, nP: number, m: number, density: number, hinted: number): ConicProblem {
  const rnd = rng(seed);
  const cones: Cone[] = [
    { kind: 'hpsd', n: nH },
    { kind: 'psd', n: nP },
    { kind: 'soc', dim: 3 },
    { kind: 'nonneg', dim: 2 },
  ];
  const dimH = nH * nH;
  const dimP = (nP * (nP + 1)) / 2;
  const dim = dimH + dimP + 5;
  const hints: LowRankHint[] = [];
  const rows: number[][] = [];
  for (let i = 0; i < m; i++) {
    const row = Array.from({ length: dim }, () => (rnd() < density ? 2 * rnd() - 1 : 0));
    if (rnd() < hinted) {
      const rank = 1 + Math.floor(2 * rnd());
      const factors = new Float64Array(2 * rank * nH);
      const weights = new Float64Array(rank);
      const re = new Float64Array(dimH);
      const im = new Float64Array(dimH);
      for (let r = 0; r < rank; r++) {
        weights[r] = r === 0 ? 1 + rnd() : -0.5 * rnd();
        // leading entries only, sometimes (the design SDPs' sensing-first basis)
        const len = rnd() < 0.5 ? nH : 1 + Math.floor(rnd() * nH);
        for (let a = 0; a < len; a++) {
          factors[2 * (r * nH + a)] = rnd() - 0.5;
          factors[2 * (r * nH + a) + 1] = rnd() - 0.5;
        }
        for (let a = 0; a < nH; a++) {
          for (let b = 0; b < nH; b++) {
            const [ar, ai, br, bi] = [factors[2 * (r * nH + a)]!, factors[2 * (r * nH + a) + 1]!, factors[2 * (r * nH + b)]!, factors[2 * (r * nH + b) + 1]!];
            re[a * nH + b] = re[a * nH + b]! + weights[r]! * (ar * br + ai * bi);
            im[a * nH + b] = im[a * nH + b]! + weights[r]! * (ai * br - ar * bi);
          }
        }
      }
      hvec({ re, im }, nH).forEach((v, k) => (row[k] = v));
      hints.push({ row: i, cone: 0, rank, factors, weights });
    }
    if (rnd() < hinted) {
      const u = Array.from({ length: nP }, () => rnd() - 0.5);
      const U = new Float64Array(nP * nP);
      for (let a = 0; a < nP; a++) for (let b = 0; b < nP; b++) U[a * nP + b] = u[a]! * u[b]!;
      svec(U, nP).forEach((v, k) => (row[dimH + k] = v));
      hints.push({ row: i, cone: 1, rank: 1, factors: Float64Array.from(u), weights: Float64Array.from([1]) });
    }
    rows.push(row);
  }
  return completeProblem(csr(rows, dim), cones, rnd, hints);
}

/** A real or Hermitian PSD cone of order n and random interior x, z (not yet scaled). */
export function matrixCone(complex: boolean, n: number, rnd: () => number) {
  const k: Cone = complex ? { kind: 'hpsd', n } : { kind: 'psd', n };
  return {
    k,
    dim: complex ? n * n : (n * (n + 1)) / 2,
    x: Float64Array.from(interior(k, rnd, false)),
    z: Float64Array.from(interior(k, rnd, true)),
    cone: complex ? new HpsdCone(n) : new PsdCone(n, false),
  };
}
