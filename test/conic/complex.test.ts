import { describe, it, expect } from 'vitest';
import { solve, hvec, hmat, svec, hvecDim, svecDim } from '../../src/conic/index.ts';
import type { ConicProblem, LowRankHint } from '../../src/conic/types.ts';
import { csr, dense, coneMin, rng, kkt } from './helpers.ts';
import { completeProblem, feasibleProblem } from './gen.ts';

/** The real embedding of an hvec vector, as svec of order 2n, halved so <., .> is preserved. */
function embedRow(v: ArrayLike<number>, n: number): number[] {
  const { re, im } = hmat(Float64Array.from(v), n);
  const N = 2 * n;
  const E = new Float64Array(N * N);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      E[i * N + j] = re[i * n + j]!;
      E[(i + n) * N + j + n] = re[i * n + j]!;
      E[(i + n) * N + j] = im[i * n + j]!;
      E[i * N + j + n] = -im[i * n + j]!;
    }
  return Array.from(svec(E, N), (x) => x / 2);
}

describe('complex Hermitian cone', () => {
  it('has the same optimum as its real embedding (order 2n psd)', () => {
    const rnd = rng(11);
    const n = 3;
    const m = 5;
    const p = feasibleProblem([{ kind: 'hpsd', n }], m, rnd, 0.8);
    const r = solve(p);
    expect(r.status).toBe('optimal');
    const rows = dense(p.A).map((row) => embedRow(row, n));
    const q: ConicProblem = { c: Float64Array.from(embedRow(p.c, n)), A: csr(rows, svecDim(2 * n)), b: p.b, cones: [{ kind: 'psd', n: 2 * n }] };
    const s = solve(q);
    expect(s.status).toBe('optimal');
    expect(r.primalObjective).toBeCloseTo(s.primalObjective, 6);
    expect(coneMin(r.x, p.cones)).toBeGreaterThan(-1e-9);
    expect(coneMin(r.z, p.cones)).toBeGreaterThan(-1e-9);
  });

  it('native complex and real-embedding kernels agree (settings.hermitian)', () => {
    for (const seed of [1, 2, 3]) {
      const rnd = rng(seed);
      const p = feasibleProblem(
        [
          { kind: 'hpsd', n: 4 },
          { kind: 'hpsd', n: 2 },
          { kind: 'nonneg', dim: 2 },
        ],
        7,
        rnd,
        0.7,
      );
      const a = solve(p, { hermitian: 'native' });
      const b = solve(p, { hermitian: 'embedded' });
      expect(a.status).toBe('optimal');
      expect(b.status).toBe('optimal');
      expect(a.primalObjective).toBeCloseTo(b.primalObjective, 7);
      // (x itself need not be unique: check each is optimal instead of comparing them)
      for (const r of [a, b]) {
        const k = kkt(p, r.x, r.y, r.z);
        expect(Math.max(k.pr, k.dr, k.gap)).toBeLessThan(1e-7);
        expect(coneMin(r.x, p.cones)).toBeGreaterThan(-1e-9);
      }
    }
  });

  it('gives the same answer with and without low-rank hints (hpsd and psd)', () => {
    const rnd = rng(5);
    const n = 4;
    const m = 6;
    const cones = [
      { kind: 'hpsd' as const, n },
      { kind: 'psd' as const, n: 3 },
      { kind: 'nonneg' as const, dim: 2 },
    ];
    const dimH = hvecDim(n);
    const dimP = svecDim(3);
    const rows: number[][] = [];
    const hints: LowRankHint[] = [];
    for (let i = 0; i < m; i++) {
      const row = new Array(dimH + dimP + 2).fill(0);
      // Hermitian part: w v v^H, rank one (rank two for odd rows)
      const rank = 1 + (i % 2);
      const factors = new Float64Array(2 * n * rank);
      const weights = new Float64Array(rank);
      const re = new Float64Array(n * n);
      const im = new Float64Array(n * n);
      for (let r = 0; r < rank; r++) {
        const w = r === 0 ? 1 + rnd() : -0.5 * rnd();
        weights[r] = w;
        const vr = Array.from({ length: n }, () => rnd() - 0.5);
        const vi = Array.from({ length: n }, () => rnd() - 0.5);
        for (let a = 0; a < n; a++) {
          factors[2 * (r * n + a)] = vr[a]!;
          factors[2 * (r * n + a) + 1] = vi[a]!;
        }
        for (let a = 0; a < n; a++)
          for (let b = 0; b < n; b++) {
            re[a * n + b]! += w * (vr[a]! * vr[b]! + vi[a]! * vi[b]!);
            im[a * n + b]! += w * (vi[a]! * vr[b]! - vr[a]! * vi[b]!);
          }
      }
      hvec({ re, im }, n).forEach((v, k) => (row[k] = v));
      hints.push({ row: i, cone: 0, rank, factors, weights });
      // real part: rank one u u^T on even rows, with a hint; sparse otherwise
      if (i % 2 === 0) {
        const u = Array.from({ length: 3 }, () => rnd() - 0.5);
        const U = new Float64Array(9);
        for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) U[a * 3 + b] = u[a]! * u[b]!;
        svec(U, 3).forEach((v, k) => (row[dimH + k] = v));
        hints.push({ row: i, cone: 1, rank: 1, factors: Float64Array.from(u), weights: Float64Array.from([1]) });
      } else row[dimH + (i % dimP)] = 1;
      row[dimH + dimP + (i % 2)] = 1;
      rows.push(row);
    }
    const A = csr(rows, dimH + dimP + 2);
    const base = completeProblem(A, cones, rnd);
    for (const hermitian of ['native', 'embedded'] as const) {
      const r1 = solve(base, { hermitian });
      const r2 = solve({ ...base, lowRank: hints }, { hermitian });
      expect(r1.status).toBe('optimal');
      expect(r2.status).toBe('optimal');
      expect(r2.primalObjective).toBeCloseTo(r1.primalObjective, 7);
      expect(r2.iterations).toBe(r1.iterations);
    }
  });
});
