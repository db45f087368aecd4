/**
 * Certificates re-checked on the user's data (src/conic/certify.ts). The claims are proved
 * by independent means: every bound is compared with the objective of a point known to be
 * feasible by construction, and every rejected or accepted certificate with a problem whose
 * feasibility is known by construction.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Cone, ConicProblem } from '../../src/conic/types.ts';
import { solve } from '../../src/conic/solve.ts';
import { certifiedLowerBound, sizeBounds, unitsOf, verifyDualInfeasibility, verifyPrimalInfeasibility } from '../../src/conic/certify.ts';
import { completeProblem, interior } from './gen.ts';
import { csr, coneDim, dotv, rng } from './helpers.ts';

const CONES: Cone[] = [
  { kind: 'nonneg', dim: 3 },
  { kind: 'soc', dim: 3 },
  { kind: 'psd', n: 3 },
  { kind: 'hpsd', n: 2 },
];

/** Size of each unit of x (|x_j|, x_j, t, or the trace), independently of certify.ts. */
function sizes(cones: Cone[], x: ArrayLike<number>): number[] {
  const out: number[] = [];
  let off = 0;
  for (const k of cones) {
    const d = coneDim(k);
    if (k.kind === 'nonneg' || k.kind === 'free') for (let j = 0; j < d; j++) out.push(Math.abs(x[off + j]!));
    else if (k.kind === 'soc') out.push(x[off]!);
    else {
      let t = 0;
      let pos = off;
      for (let j = 0; j < k.n; j++) {
        t += x[pos]!;
        pos += k.kind === 'psd' ? k.n - j : 2 * (k.n - j) - 1;
      }
      out.push(t);
    }
    off += d;
  }
  return out;
}

/**
 * A random problem with a known interior feasible x0 and one "budget" row (the sum of all
 * sizes equals its value at x0), so that the feasible set is bounded.
 */
function boundedProblem(seed: number, m = 5): { p: ConicProblem; x0: Float64Array } {
  const rnd = rng(seed);
  const n = CONES.reduce((s, k) => s + coneDim(k), 0);
  const x0 = Float64Array.from(CONES.flatMap((k) => interior(k, rnd, false)));
  const rows = Array.from({ length: m }, () => Array.from({ length: n }, () => (rnd() < 0.5 ? 2 * rnd() - 1 : 0)));
  // budget row: identity on every unit
  const budget = new Array<number>(n).fill(0);
  let off = 0;
  for (const k of CONES) {
    const d = coneDim(k);
    if (k.kind === 'nonneg') for (let j = 0; j < d; j++) budget[off + j] = 1;
    else if (k.kind === 'soc') budget[off] = 1;
    else if (k.kind === 'psd' || k.kind === 'hpsd') {
      let pos = off;
      for (let j = 0; j < k.n; j++) {
        budget[pos] = 1;
        pos += k.kind === 'psd' ? k.n - j : 2 * (k.n - j) - 1;
      }
    }
    off += d;
  }
  rows.push(budget);
  const A = csr(rows, n);
  const p = completeProblem(A, CONES, rnd);
  // completeProblem draws its own x0; rebuild b from ours so x0 is feasible by construction
  const b = Float64Array.from(rows, (r) => dotv(r, x0));
  return { p: { ...p, b }, x0 };
}

describe('size bounds from the rows', () => {
  it('bound every unit of a feasible point (budget row and propagation)', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const { p, x0 } = boundedProblem(seed);
      const T = sizeBounds(p);
      const s = sizes(CONES, x0);
      expect(T.length).toBe(s.length);
      s.forEach((v, u) => {
        expect(Number.isFinite(T[u])).toBe(true);
        expect(v).toBeLessThanOrEqual(T[u]! * (1 + 1e-12));
      });
    }
  });

  it('propagate through sums of diagonal rows (Z_ii = tr(G_i X) with X bounded)', () => {
    // X (2x2 psd): tr X + s = 4; Z (2x2 psd): Z_00 = X_00 + X_11, Z_11 = 2 X_00; Z_10 = X_10 (off-diagonal row)
    const cones: Cone[] = [
      { kind: 'psd', n: 2 },
      { kind: 'psd', n: 2 },
      { kind: 'nonneg', dim: 1 },
    ];
    // svec 2x2: [X00, sqrt2 X10, X11]
    const A = csr(
      [
        [1, 0, 1, 0, 0, 0, 1],
        [-1, 0, -1, 1, 0, 0, 0],
        [-2, 0, 0, 0, 0, 1, 0],
        [0, -1, 0, 0, 1, 0, 0],
      ],
      7,
    );
    const p: ConicProblem = { c: new Float64Array(7), A, b: Float64Array.of(4, 0, 0, 0), cones };
    const T = sizeBounds(p);
    const { units } = unitsOf(cones);
    expect(units.length).toBe(3);
    expect(T[0]).toBeCloseTo(4, 12);
    // tr Z = 3 X00 + X11 <= 3 tr X = 12
    expect(T[1]).toBeGreaterThanOrEqual(12 - 1e-9);
    expect(T[1]).toBeLessThanOrEqual(24);
    expect(T[2]).toBeCloseTo(4, 12);
  });

  it('are Infinity where the rows give none', () => {
    const p: ConicProblem = { c: Float64Array.of(1, 1), A: csr([[1, -1]], 2), b: Float64Array.of(0), cones: [{ kind: 'nonneg', dim: 2 }] };
    const T = sizeBounds(p);
    expect(T[0]).toBe(Infinity);
    expect(T[1]).toBe(Infinity);
  });
});

describe('certified lower bounds', () => {
  it('never exceed the objective of a feasible point, for any dual point and any cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 6, maxLength: 6 }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        (seed, yv, cap) => {
          const { p, x0 } = boundedProblem(seed);
          const feasibleValue = dotv(p.c, x0);
          const y = Float64Array.from(yv);
          const free = certifiedLowerBound(p, y).bound;
          const capped = certifiedLowerBound(p, y, cap).bound;
          const tol = 1e-12 * (1 + Math.abs(feasibleValue));
          return free <= feasibleValue + tol && capped <= feasibleValue + tol;
        },
      ),
      { seed: 1414, numRuns: 60 },
    );
  });

  it('are within the solver tolerance of the optimum for the solver own dual point', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const { p } = boundedProblem(seed);
      const r = solve(p);
      expect(r.status).toBe('optimal');
      expect(r.lowerBound).toBeLessThanOrEqual(r.primalObjective + 1e-9);
      expect(r.primalObjective - r.lowerBound).toBeLessThan(1e-6 * (1 + Math.abs(r.primalObjective)));
    }
  });

  it('are -Infinity when the dual slack leaves the cone on an unbounded unit', () => {
    // min x1 + x2 s.t. x1 - x2 = 0, x >= 0: no size bound; y = 2 gives z = (-1, 3)
    const p: ConicProblem = { c: Float64Array.of(1, 1), A: csr([[1, -1]], 2), b: Float64Array.of(0), cones: [{ kind: 'nonneg', dim: 2 }] };
    expect(certifiedLowerBound(p, Float64Array.of(2)).bound).toBe(-Infinity);
    // y = 0.5: z = (0.5, 1.5) in the cone, the bound is b^T y = 0 (exact optimum 0)
    expect(certifiedLowerBound(p, Float64Array.of(0.5)).bound).toBe(0);
  });
});

describe('infeasibility certificates', () => {
  it('a feasible problem never passes: random rays are rejected', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 6, maxLength: 6 }), (seed, yv) => {
        const { p } = boundedProblem(seed);
        return !verifyPrimalInfeasibility(p, Float64Array.from(yv)).verified;
      }),
      { seed: 1415, numRuns: 80 },
    );
  });

  it('a truly infeasible problem is reported with a rigorous certificate', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const { p } = boundedProblem(seed);
      const b = Float64Array.from(p.b);
      b[b.length - 1] = -1; // the sum of the sizes cannot be negative
      const r = solve({ ...p, b });
      expect(r.status).toBe('primal_infeasible');
      expect(r.certificate).toMatchObject({ verified: true, rigorous: true });
      // independent check: b^T y > 0 and -A^T y in the cone
      expect(verifyPrimalInfeasibility({ ...p, b }, r.y).verified).toBe(true);
    }
  });

  it('an empty row with a nonzero right-hand side is an exact certificate', () => {
    const p: ConicProblem = { c: Float64Array.of(1), A: csr([[1], [0]], 1), b: Float64Array.of(1, 2), cones: [{ kind: 'nonneg', dim: 1 }] };
    const r = solve(p);
    expect(r.status).toBe('primal_infeasible');
    expect(r.iterations).toBe(0);
    expect(r.y[1]).toBeCloseTo(0.5, 15);
  });

  it('dual infeasibility rays: a true ray passes, a ray that leaves A x = 0 does not', () => {
    // min -x1 - x2 s.t. x1 - x2 = 1, x >= 0: unbounded along (1, 1)
    const p: ConicProblem = { c: Float64Array.of(-1, -1), A: csr([[1, -1]], 2), b: Float64Array.of(1), cones: [{ kind: 'nonneg', dim: 2 }] };
    expect(verifyDualInfeasibility(p, Float64Array.of(1, 1)).verified).toBe(true);
    expect(verifyDualInfeasibility(p, Float64Array.of(1, 0.5)).verified).toBe(false);
    expect(verifyDualInfeasibility(p, Float64Array.of(-1, -1)).verified).toBe(false);
  });
});
