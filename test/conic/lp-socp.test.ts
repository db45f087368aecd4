import { describe, it, expect } from 'vitest';
import { solve } from '../../src/conic/index.ts';
import type { ConicProblem } from '../../src/conic/types.ts';
import { csr, kkt, mulA, mulAt, dotv, normv, coneMin } from './helpers.ts';

const F = (a: number[]) => Float64Array.from(a);

describe('linear programs', () => {
  it('solves a hand-made LP (vertex x = (3, 1), value -5)', () => {
    const p: ConicProblem = {
      c: F([-1, -2, 0, 0]),
      A: csr(
        [
          [1, 1, 1, 0],
          [1, 3, 0, 1],
        ],
        4,
      ),
      b: F([4, 6]),
      cones: [{ kind: 'nonneg', dim: 4 }],
    };
    const r = solve(p);
    expect(r.status).toBe('optimal');
    expect(r.almost).toBe(false);
    expect(r.primalObjective).toBeCloseTo(-5, 7);
    expect(r.x[0]).toBeCloseTo(3, 6);
    expect(r.x[1]).toBeCloseTo(1, 6);
    const k = kkt(p, r.x, r.y, r.z);
    expect(k.pr).toBeLessThan(1e-8);
    expect(k.dr).toBeLessThan(1e-8);
    expect(k.gap).toBeLessThan(1e-7);
  });

  it('handles free variables (split) and a dependent row', () => {
    // min -x1 + 0 s.t. x1 + s = 2 (twice), x1 free, s >= 0  ->  x1 = 2
    const p: ConicProblem = {
      c: F([-1, 0]),
      A: csr(
        [
          [1, 1],
          [2, 2],
        ],
        2,
      ),
      b: F([2, 4]),
      cones: [
        { kind: 'free', dim: 1 },
        { kind: 'nonneg', dim: 1 },
      ],
    };
    const r = solve(p);
    expect(r.status).toBe('optimal');
    expect(r.x[0]).toBeCloseTo(2, 6);
    expect(r.primalObjective).toBeCloseTo(-2, 6);
    // the free variable's dual slack must vanish: c_1 - (A^T y)_1 = 0
    expect(Math.abs(-1 - mulAt(p.A, r.y)[0]!)).toBeLessThan(1e-7);
  });

  it('returns a verified Farkas certificate for an infeasible LP', () => {
    // x1 + x2 = -1, x >= 0
    const p: ConicProblem = { c: F([1, 1]), A: csr([[1, 1]], 2), b: F([-1]), cones: [{ kind: 'nonneg', dim: 2 }] };
    const r = solve(p);
    expect(r.status).toBe('primal_infeasible');
    // b^T y > 0 and -A^T y in K (= nonneg), checked here, not trusted
    expect(dotv(p.b, r.y)).toBeGreaterThan(0);
    const s = mulAt(p.A, r.y).map((v) => -v / dotv(p.b, r.y));
    expect(Math.min(...s)).toBeGreaterThan(-1e-8);
  });

  it('returns a verified improving ray for an unbounded LP', () => {
    // min -x1 - x2 s.t. x1 - x2 = 1, x >= 0
    const p: ConicProblem = { c: F([-1, -1]), A: csr([[1, -1]], 2), b: F([1]), cones: [{ kind: 'nonneg', dim: 2 }] };
    const r = solve(p);
    expect(r.status).toBe('dual_infeasible');
    const cx = dotv(p.c, r.x);
    expect(cx).toBeLessThan(0);
    expect(normv(mulA(p.A, r.x)) / -cx).toBeLessThan(1e-8);
    expect(Math.min(...r.x)).toBeGreaterThan(-1e-10);
  });

  it('reports max_iterations with a point when stopped early', () => {
    const p: ConicProblem = {
      c: F([-1, -2, 0, 0]),
      A: csr(
        [
          [1, 1, 1, 0],
          [1, 3, 0, 1],
        ],
        4,
      ),
      b: F([4, 6]),
      cones: [{ kind: 'nonneg', dim: 4 }],
    };
    const r = solve(p, { maxIterations: 2 });
    expect(r.status).toBe('max_iterations');
    expect(r.iterations).toBe(2);
    expect(r.x.every(Number.isFinite)).toBe(true);
  });

  it('rejects inconsistent data with InputError', () => {
    const p: ConicProblem = { c: F([1, 1, 1]), A: csr([[1, 1]], 2), b: F([1]), cones: [{ kind: 'nonneg', dim: 2 }] };
    expect(() => solve(p)).toThrow(/c has length 3/);
  });
});

describe('second-order cone programs', () => {
  it('norm of a vector: min t s.t. ||v|| <= t', () => {
    const p: ConicProblem = {
      c: F([1, 0, 0]),
      A: csr(
        [
          [0, 1, 0],
          [0, 0, 1],
        ],
        3,
      ),
      b: F([3, 4]),
      cones: [{ kind: 'soc', dim: 3 }],
    };
    const r = solve(p);
    expect(r.status).toBe('optimal');
    expect(r.primalObjective).toBeCloseTo(5, 7);
  });

  it('distance from a point to a hyperplane', () => {
    // min t s.t. ||w|| <= t, w = x - p, a^T x = beta;  vars [t, w (3), x (3 free)]
    const pt = [1, 2, 3];
    const a = [1, -1, 2];
    const beta = 4;
    const rows: number[][] = [];
    for (let i = 0; i < 3; i++) {
      const r = new Array(7).fill(0);
      r[1 + i] = 1;
      r[4 + i] = -1;
      rows.push(r);
    }
    rows.push([0, 0, 0, 0, ...a]);
    const p: ConicProblem = {
      c: F([1, 0, 0, 0, 0, 0, 0]),
      A: csr(rows, 7),
      b: F([-pt[0]!, -pt[1]!, -pt[2]!, beta]),
      cones: [
        { kind: 'soc', dim: 4 },
        { kind: 'free', dim: 3 },
      ],
    };
    const r = solve(p);
    expect(r.status).toBe('optimal');
    const expected = Math.abs(dotv(a, pt) - beta) / normv(a);
    expect(r.primalObjective).toBeCloseTo(expected, 7);
    expect(coneMin(r.x.subarray(0, 4), [{ kind: 'soc', dim: 4 }])).toBeGreaterThan(-1e-9);
  });

  it('certifies an infeasible SOC constraint', () => {
    // (t, u) in SOC with t = -1
    const p: ConicProblem = { c: F([0, 0, 0]), A: csr([[1, 0, 0]], 3), b: F([-1]), cones: [{ kind: 'soc', dim: 3 }] };
    const r = solve(p);
    expect(r.status).toBe('primal_infeasible');
    const by = dotv(p.b, r.y);
    expect(by).toBeGreaterThan(0);
    const s = mulAt(p.A, r.y).map((v) => -v / by);
    expect(coneMin(s, p.cones)).toBeGreaterThan(-1e-8);
  });
});
