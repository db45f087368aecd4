/**
 * Ruiz equilibration: the same answers on the user's data, whatever the row scaling, and
 * certificates that still verify algebraically after unscaling.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { solve } from '../../src/conic/index.ts';
import type { Cone, ConicProblem } from '../../src/conic/types.ts';
import { kkt, coneMin, rng, diagonalLp } from './helpers.ts';
import { feasibleProblem } from './gen.ts';
import { normalise } from '../../src/conic/equilibrate.ts';

/** The same problem with row i multiplied by 10^e_i (a different but equivalent A x = b). */
function scaleRows(p: ConicProblem, exps: number[]): ConicProblem {
  const values = p.A.values.slice();
  const b = p.b.slice();
  for (let i = 0; i < p.A.rows; i++) {
    const f = 10 ** exps[i % exps.length]!;
    for (let k = p.A.rowPtr[i]; k! < p.A.rowPtr[i + 1]!; k!++) values[k!]! *= f;
    b[i]! *= f;
  }
  const { lowRank: _dropped, ...rest } = p;
  return { ...rest, A: { ...p.A, values }, b };
}

describe('equilibration', () => {
  it('gives the optimum of the user problem for badly scaled rows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const rnd = rng(seed);
        const cones: Cone[] = [
          { kind: 'psd', n: 3 },
          { kind: 'hpsd', n: 2 },
          { kind: 'nonneg', dim: 3 },
        ];
        const p0 = feasibleProblem(cones, 5, rnd, 0.6);
        const p = scaleRows(p0, [6, -5, 0, 3, -2]);
        const ref = solve(p0, { equilibrate: false });
        const r = solve(p, { equilibrate: true });
        expect(ref.status).toBe('optimal');
        expect(r.status).toBe('optimal');
        const k = kkt(p, r.x, r.y, r.z);
        const tol = r.almost ? 1e-5 : 1e-7;
        expect(k.gap).toBeLessThan(10 * tol);
        expect(Math.abs(r.primalObjective - ref.primalObjective) / Math.max(1, Math.abs(ref.primalObjective))).toBeLessThan(1e-5);
        expect(coneMin(r.x, cones)).toBeGreaterThan(-1e-8 * (1 + Math.abs(r.primalObjective)));
      }),
      { numRuns: 20 },
    );
  });

  it('returns a primal infeasibility certificate that verifies on the user data', () => {
    // x >= 0, x1 + x2 = -1 (scaled by 1e6): infeasible; y with b^T y > 0 and -A^T y >= 0.
    const p: ConicProblem = {
      c: new Float64Array([1, 1]),
      A: { rows: 1, cols: 2, rowPtr: new Int32Array([0, 2]), colIdx: new Int32Array([0, 1]), values: new Float64Array([1e6, 1e6]) },
      b: new Float64Array([-1e6]),
      cones: [{ kind: 'nonneg', dim: 2 }],
    };
    const r = solve(p, { equilibrate: true });
    expect(r.status).toBe('primal_infeasible');
    const by = p.b[0]! * r.y[0]!;
    expect(by).toBeGreaterThan(0);
    for (let j = 0; j < 2; j++) expect(-p.A.values[j]! * r.y[0]!).toBeGreaterThanOrEqual(-1e-9 * Math.abs(by));
  });
});

describe('the size of x (normalise beta, SolverSettings.xScaleBand)', () => {
  /** x of order 1e-2 (diagonalLp, helpers.ts). */
  const small = (): ConicProblem => diagonalLp(100);

  it('scales x by its estimate outside the band, keeps the given units inside it', () => {
    expect(normalise(small()).beta).toBe(1 / 128);
    expect(normalise(small(), 256).beta).toBe(1);
    expect(normalise(small(), 64).beta).toBe(1 / 128);
  });

  it('refuses a band that is not a finite number >= 1', () => {
    for (const bad of [0, 0.5, -16, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => solve(small(), { xScaleBand: bad })).toThrow(/settings\.xScaleBand must be a finite number >= 1/);
    }
    // from JavaScript a flag may arrive as anything
    expect(() => solve(small(), { xScaleSkipPins: 'yes' as unknown as boolean })).toThrow(/settings\.xScaleSkipPins must be true or false/);
  });

  it('gives the same optimum either way', () => {
    const a = solve(small());
    const b = solve(small(), { xScaleBand: 256 });
    expect(a.status).toBe('optimal');
    expect(b.status).toBe('optimal');
    expect(Math.abs(a.primalObjective - 0.05)).toBeLessThan(1e-9);
    expect(Math.abs(b.primalObjective - 0.05)).toBeLessThan(1e-9);
    expect(b.lowerBound).toBeLessThanOrEqual(0.05 * (1 + 1e-12));
  });
});
