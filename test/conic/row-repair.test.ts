/**
 * Single-row moves of a dual point (src/conic/row-repair.ts). The bound they return is checked
 * against the objective of a point feasible by construction (never above it), against the
 * bound of the point they start from (never below it), and on a block whose deficit only a
 * row with a non-zero right-hand side can remove (which repairDual leaves alone).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Cone, ConicProblem } from '../../src/conic/types.ts';
import { certifiedLowerBound, repairDual, sizeBounds } from '../../src/conic/certify.ts';
import { repairByRows } from '../../src/conic/row-repair.ts';
import { interior } from './gen.ts';
import { coneDim, csr, dotv, mulAt, rng } from './helpers.ts';

/**
 * min eps tr X + x2 + x3 s.t. X_00 + x2 = 1, x3 = 1000 (X a 2 x 2 block of `kind`, x2, x3 >=
 * 0). Optimum eps + 1000 (X = E_00; dual y = (eps, 1)). X carries a tiny share of the objective, so its size bound (from the
 * objective's cap, ~1000 / eps) is huge, as for a user needing 1e-12 W next to beams of 1 W.
 */
function tinyBlock(kind: 'psd' | 'hpsd', eps: number): { p: ConicProblem; opt: number } {
  const cones: Cone[] = [
    { kind, n: 2 },
    { kind: 'nonneg', dim: 2 },
  ];
  const d = coneDim(cones[0]!);
  // vec of X, column by column: (0,0), then (1,0) (one entry, or Re and Im), then (1,1)
  const c = new Array<number>(d + 2).fill(0);
  c[0] = eps;
  c[d - 1] = eps;
  c[d] = 1;
  c[d + 1] = 1;
  const rows = [new Array<number>(d + 2).fill(0), new Array<number>(d + 2).fill(0)];
  rows[0]![0] = 1;
  rows[0]![d] = 1;
  rows[1]![d + 1] = 1;
  return { p: { cones, A: csr(rows, d + 2), b: Float64Array.of(1, 1000), c: Float64Array.from(c) }, opt: eps + 1000 };
}

describe('single-row moves of a dual point', () => {
  for (const kind of ['psd', 'hpsd'] as const) {
    it(`lift a ${kind} block's deficit through a row with b != 0, at the row's price only`, () => {
      const eps = 1e-9;
      const { p, opt } = tinyBlock(kind, eps);
      const cap = opt * (1 + 1e-9);
      const T = sizeBounds(p, cap);
      // y_0 just above eps: X's slack eps I - y_0 E_00 is -1e-4 eps on (0,0)
      const y = Float64Array.of(eps * (1 + 1e-4), 1);
      const before = certifiedLowerBound(p, y, cap, T).bound;
      expect(opt - before).toBeGreaterThan(1e-5 * opt); // 1e-13 deficit times a 1e12 size bound
      // repairDual moves only rows with b = 0: nothing to gain here
      expect(certifiedLowerBound(p, repairDual(p, y), cap, T).bound).toBeLessThanOrEqual(before);
      const after = repairByRows(p, y, cap, T);
      expect(after.bound).toBeLessThanOrEqual(opt);
      expect(opt - after.bound).toBeLessThan(1e-12 * opt);
      expect(after.bound).toBe(certifiedLowerBound(p, after.y, cap, T).bound);
    });
  }

  it('never return a bound above a feasible objective, nor below the starting point', () => {
    const cones: Cone[] = [
      { kind: 'nonneg', dim: 2 },
      { kind: 'soc', dim: 3 },
      { kind: 'psd', n: 3 },
      { kind: 'hpsd', n: 2 },
      { kind: 'nonneg', dim: 1 },
    ];
    const n = cones.reduce((s, k) => s + coneDim(k), 0);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.double({ min: 1e-9, max: 1, noNaN: true }), (seed, noise) => {
        const rnd = rng(seed);
        const x0 = cones.flatMap((k) => interior(k, rnd, false));
        const z0 = cones.flatMap((k) => interior(k, rnd, true));
        // random rows, and a budget row (every unit's size plus a slack) so that every unit has a size bound
        const rows = Array.from({ length: 4 }, () => Array.from({ length: n }, () => (rnd() < 0.6 ? 2 * rnd() - 1 : 0)));
        const budget = new Array<number>(n).fill(0);
        for (const j of [0, 1, 2, 5, 8, 10, 11, 14, 15]) budget[j] = 1; // nonneg, soc t, psd diagonal, hpsd diagonal, slack
        rows.push(budget);
        const A = csr(rows, n);
        const b = Float64Array.from(rows, (r) => dotv(r, x0));
        const y0 = Array.from({ length: rows.length }, () => 2 * rnd() - 1);
        const c = Float64Array.from(mulAt(A, y0), (v, j) => v + z0[j]!);
        const p: ConicProblem = { cones, A, b, c };
        const feasible = dotv(c, x0);
        // y0 leaves the interior slack z0; with noise some units' slack leaves the cone
        const y = Float64Array.from(y0, (v) => v + noise * (2 * rnd() - 1));
        const T = sizeBounds(p);
        const start = certifiedLowerBound(p, y, undefined, T).bound;
        const repaired = repairByRows(p, y, undefined, T);
        const tol = 1e-9 * (1 + Math.abs(feasible));
        expect(repaired.bound).toBeLessThanOrEqual(feasible + tol);
        expect(repaired.bound).toBeGreaterThanOrEqual(start);
      }),
      { seed: 1418, numRuns: 80 },
    );
  });
});
