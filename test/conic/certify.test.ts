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
import { certifiedLowerBound, repairDual, sizeBounds, unitsOf, verifyDualInfeasibility, verifyPrimalInfeasibility } from '../../src/conic/certify.ts';
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

  it('are the same when the exact eigenvalues of parts Gershgorin proves nonnegative are skipped', () => {
    // Truss-like: six 3 x 3 blocks; rows touching one diagonal entry of a block (positive:
    // together they cover its diagonal) plus a part on another block, either diagonal and positive (Gershgorin >= 0:
    // skipped) or a random symmetric matrix (exact eigenvalue needed); a budget row bounds the
    // first block. Costs of both signs, so that the cap reaches the skipped units too.
    const svecDiag = [0, 3, 5];
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const rnd = rng(seed);
        const B = 6;
        const n = 6 * B;
        const rows: number[][] = [];
        const b: number[] = [];
        const budget = new Array<number>(n).fill(0);
        for (const d of svecDiag) budget[d] = 1;
        rows.push(budget);
        b.push(1 + rnd());
        for (let u = 1; u < B; u++) {
          // one row per diagonal entry: partial diagonals, which diagonalCovers sums
          for (const e of svecDiag) {
            const row = new Array<number>(n).fill(0);
            row[6 * u + e] = 0.5 + rnd();
            const v = Math.floor(rnd() * u);
            if (rnd() < 0.5) for (const d of svecDiag) row[6 * v + d] = rnd();
            else for (let t = 0; t < 6; t++) row[6 * v + t] = 2 * rnd() - 1;
            rows.push(row);
            b.push(rnd());
          }
        }
        const p: ConicProblem = {
          c: Float64Array.from({ length: n }, () => 2 * rnd() - 1),
          A: csr(rows, n),
          b: Float64Array.from(b),
          cones: Array.from({ length: B }, () => ({ kind: 'psd' as const, n: 3 })),
        };
        for (const cap of [undefined, 1, 10 * rnd()]) {
          const fast = sizeBounds(p, cap);
          const reference = sizeBounds(p, cap, true);
          expect(Array.from(fast)).toEqual(Array.from(reference));
        }
      }),
      { seed: 1418, numRuns: 60 },
    );
  });

  it('use the exact eigenvalue of a part Gershgorin proves nonnegative where the cap needs it', () => {
    // Cover of block u (rows u00, u11, u22 = 1; the first also holds a positive definite
    // part V on block v and -w). The cap row w - 0.4 tr(v) <= cap takes multiple 1 (w's
    // part is -1), which leaves v's part at lo(V) - 0.4: Gershgorin's 0.2 would charge
    // 0.2 T_v, the exact 0.6 nothing, so tr(u) <= 3 + cap (and 3.2 + cap from Gershgorin).
    const s2 = Math.SQRT2 * 0.4;
    const V = [1, s2, s2, 1, s2, 1];
    const row = (u: number[], v: number[], w: number) => [...u, ...v, w];
    const zero = [0, 0, 0, 0, 0, 0];
    const p: ConicProblem = {
      c: Float64Array.from(row(zero, [-0.4, 0, 0, -0.4, 0, -0.4], 1)),
      A: csr([row([1, 0, 0, 0, 0, 0], V, -1), row([0, 0, 0, 1, 0, 0], zero, 0), row([0, 0, 0, 0, 0, 1], zero, 0), row(zero, [1, 0, 0, 1, 0, 1], 0)], 13),
      b: Float64Array.of(1, 1, 1, 1),
      cones: [
        { kind: 'psd', n: 3 },
        { kind: 'psd', n: 3 },
        { kind: 'nonneg', dim: 1 },
      ],
    };
    for (const cap of [0.5, 2]) {
      const T = sizeBounds(p, cap);
      expect(Array.from(T)).toEqual(Array.from(sizeBounds(p, cap, true)));
      expect(T[0]).toBeCloseTo(3 + cap, 9);
    }
  });

  it("are the same bits whether a row holds each unit's entries in one run or interleaved with other units", () => {
    // sizeBounds reads a row whose units come in runs in one pass and groups any other by unit;
    // interleaving the units of every row (each unit's entries in their order, units first met
    // in the same order) must give exactly the grouped row's bounds, with and without a cap
    for (let seed = 1; seed <= 12; seed++) {
      const { p } = boundedProblem(seed);
      const { unitOf } = unitsOf(p.cones);
      const rowPtr = new Int32Array(p.A.rows + 1);
      const colIdx: number[] = [];
      const values: number[] = [];
      let interleaved = 0;
      for (let i = 0; i < p.A.rows; i++) {
        const byUnit = new Map<number, number[]>();
        for (let k = p.A.rowPtr[i]!; k < p.A.rowPtr[i + 1]!; k++) {
          const u = unitOf[p.A.colIdx[k]!]!;
          if (!byUnit.has(u)) byUnit.set(u, []);
          byUnit.get(u)!.push(k);
        }
        // round robin over the units: one entry of each in turn
        const queues = [...byUnit.values()];
        for (let left = true; left; ) {
          left = false;
          for (const q of queues) {
            const k = q.shift();
            if (k === undefined) continue;
            left = true;
            colIdx.push(p.A.colIdx[k]!);
            values.push(p.A.values[k]!);
          }
        }
        if (queues.length > 1) interleaved++;
        rowPtr[i + 1] = colIdx.length;
      }
      expect(interleaved).toBeGreaterThan(0);
      const q = { ...p, A: { ...p.A, rowPtr, colIdx: Int32Array.from(colIdx), values: Float64Array.from(values) } };
      for (const cap of [undefined, 3]) expect(Array.from(sizeBounds(q, cap))).toEqual(Array.from(sizeBounds(p, cap)));
    }
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

  it('are left out with certifyBound false: the same answer bit for bit, no bound; infeasibility still certified', () => {
    for (let seed = 1; seed <= 4; seed++) {
      const { p } = boundedProblem(seed);
      const full = solve(p);
      const pointOnly = solve(p, { certifyBound: false });
      expect(pointOnly.status).toBe('optimal');
      expect(Number.isFinite(full.lowerBound)).toBe(true);
      expect(pointOnly.lowerBound).toBe(-Infinity);
      expect(Array.from(pointOnly.x)).toEqual(Array.from(full.x));
      expect(Array.from(pointOnly.y)).toEqual(Array.from(full.y));
      const b = Float64Array.from(p.b);
      b[b.length - 1] = -1; // infeasible, as below
      const r = solve({ ...p, b }, { certifyBound: false });
      expect(r.status).toBe('primal_infeasible');
      expect(r.certificate).toMatchObject({ verified: true, rigorous: true });
    }
    expect(() => solve(boundedProblem(1).p, { certifyBound: 0 as unknown as boolean })).toThrow(/settings.certifyBound must be true or false, got 0/);
  });

  it('are -Infinity when the dual slack leaves the cone on an unbounded unit', () => {
    // min x1 + x2 s.t. x1 - x2 = 0, x >= 0: no size bound; y = 2 gives z = (-1, 3)
    const p: ConicProblem = { c: Float64Array.of(1, 1), A: csr([[1, -1]], 2), b: Float64Array.of(0), cones: [{ kind: 'nonneg', dim: 2 }] };
    expect(certifiedLowerBound(p, Float64Array.of(2)).bound).toBe(-Infinity);
    // y = 0.5: z = (0.5, 1.5) in the cone, the bound is b^T y = 0 (exact optimum 0)
    expect(certifiedLowerBound(p, Float64Array.of(0.5)).bound).toBe(0);
  });
});

/**
 * boundedProblem plus the structure the certificate exploits in the design SDPs: rows with a
 * single entry that pin an off-diagonal and a diagonal entry of the 3x3 PSD block, and, for
 * each of its diagonal entries, a row with b = 0 whose only entry on the block is that
 * diagonal entry (the rest on the other units, scaled so that x0 satisfies it).
 */
function pinnedProblem(seed: number): { p: ConicProblem; x0: Float64Array } {
  const { p, x0 } = boundedProblem(seed);
  const rnd = rng(seed + 7);
  const n = p.c.length;
  const { units } = unitsOf(p.cones);
  const psd = units.find((u) => u.kind === 'psd')!;
  const dense = Array.from({ length: p.A.rows }, (_, i) => {
    const r = new Array<number>(n).fill(0);
    for (let k = p.A.rowPtr[i]!; k < p.A.rowPtr[i + 1]!; k++) r[p.A.colIdx[k]!] = p.A.values[k]!;
    return r;
  });
  const rows = [...dense];
  // svec of a 3x3 block, column by column: (0,0) (1,0) (2,0) (1,1) (2,1) (2,2)
  for (const local of [1, 3]) {
    const r = new Array<number>(n).fill(0);
    r[psd.off + local] = 0.5 + rnd();
    rows.push(r);
  }
  for (const local of [0, 3, 5]) {
    const g = new Array<number>(n).fill(0);
    for (let j = 0; j < n; j++) if (j < psd.off || j >= psd.off + psd.dim) g[j] = 2 * rnd() - 1;
    const r = g.map((v) => v * (-x0[psd.off + local]! / dotv(g, x0)));
    r[psd.off + local] = 1;
    rows.push(r);
  }
  const b = Float64Array.from(rows, (r) => dotv(r, x0));
  for (let i = dense.length + 2; i < rows.length; i++) b[i] = 0; // exactly 0 (rounding)
  return { p: { ...p, A: csr(rows, n), b }, x0 };
}

describe('pinned entries and repaired dual points', () => {
  it('bounds never exceed a feasible objective, for random and repaired dual points', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 11, maxLength: 11 }), (seed, yv) => {
        const { p, x0 } = pinnedProblem(seed);
        // x0 meets the rows up to rounding: the feasible value is that of a point within 1e-12
        const feasibleValue = dotv(p.c, x0);
        const y = Float64Array.from(yv);
        const tol = 1e-9 * (1 + Math.abs(feasibleValue));
        expect(certifiedLowerBound(p, y).bound).toBeLessThanOrEqual(feasibleValue + tol);
        expect(certifiedLowerBound(p, repairDual(p, y)).bound).toBeLessThanOrEqual(feasibleValue + tol);
      }),
      { seed: 1415, numRuns: 60 },
    );
  });

  it('a row shared by two deficient blocks (one diagonal entry on each) repairs both', () => {
    // min w s.t. X1_00 + X2_00 = w, X1_11 = w / 2, X2_11 = w / 2, w + s = 1; optimum 0. The dual
    // point y = (1e-3, 0, 0, 0) leaves both blocks' slack -1e-3 on their (0,0) entry; only the
    // shared first row can raise it (the chordal LMI blocks of a target meet in such rows).
    const cones: Cone[] = [
      { kind: 'psd', n: 2 },
      { kind: 'psd', n: 2 },
      { kind: 'nonneg', dim: 2 },
    ];
    const rows = [
      [1, 0, 0, 1, 0, 0, -1, 0],
      [0, 0, 1, 0, 0, 0, -0.5, 0],
      [0, 0, 0, 0, 0, 1, -0.5, 0],
      [0, 0, 0, 0, 0, 0, 1, 1],
    ];
    const p: ConicProblem = { cones, A: csr(rows, 8), b: Float64Array.of(0, 0, 0, 1), c: Float64Array.of(0, 0, 0, 0, 0, 0, 1, 0) };
    const y = Float64Array.of(1e-3, 0, 0, 0);
    const before = certifiedLowerBound(p, y).bound;
    const repaired = repairDual(p, y);
    const after = certifiedLowerBound(p, repaired).bound;
    expect(before).toBeLessThan(-1e-3);
    expect(after).toBeGreaterThan(-1e-8);
    expect(after).toBeLessThanOrEqual(0);
    expect(repaired[3]).toBe(0); // b^T y unchanged: only rows with b_i = 0 move
  });

  it("the solver's dual point moved along the pinning rows still bounds the optimum from below", () => {
    // moving y on a pinning row changes b^T y and z on the pinned entry by the same amount,
    // which the exact pricing of pinned entries must account for with the right sign
    let improved = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.double({ min: -1, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1 }), (seed, delta, which) => {
        const { p } = pinnedProblem(seed);
        const r = solve(p);
        if (r.status !== 'optimal') return;
        const y = Float64Array.from(r.y);
        y[p.A.rows - 5 + which]! += delta;
        const bound = certifiedLowerBound(p, y).bound;
        expect(bound).toBeLessThanOrEqual(r.primalObjective + 1e-7 * (1 + Math.abs(r.primalObjective)));
        if (bound > -Infinity) improved++;
      }),
      { seed: 1416, numRuns: 40 },
    );
    expect(improved).toBeGreaterThan(10);
  });

  it('the CRLB block: min tr T s.t. [[J, I], [I, T]] >= 0, tr T <= tau, J = diag(a, b) pinned, is certified at 1/a + 1/b', () => {
    // The design SDPs' C2a block: the identity block and J pinned by single-entry rows, T
    // bounded by a trace row. Any dual point, including the solver's moved along the pinning
    // rows, must give a bound at most 1/a + 1/b (the exact pricing of pinned entries with the
    // wrong sign fails this), and the solver's own is within 1e-5 of it (the shift is paid with tau).
    const r2 = Math.SQRT1_2;
    // svec of a 4x4 block, column by column: (0,0) (1,0) (2,0) (3,0) (1,1) (2,1) (3,1) (2,2) (3,2) (3,3); then the slack
    const pin = (idx: number, coef: number) => {
      const row = new Array<number>(11).fill(0);
      row[idx] = coef;
      return row;
    };
    const traceRow = [0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1];
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 20, noNaN: true }),
        fc.double({ min: 0.05, max: 20, noNaN: true }),
        fc.double({ min: 1.01, max: 100, noNaN: true }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 8, maxLength: 8 }),
        (a, b, slackFactor, dy) => {
          const opt = 1 / a + 1 / b;
          const rows = [pin(0, 1), pin(4, 1), pin(1, r2), pin(2, r2), pin(6, r2), pin(5, r2), pin(3, r2), traceRow];
          const p: ConicProblem = {
            c: Float64Array.from([0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0]),
            A: csr(rows, 11),
            b: Float64Array.of(a, b, 0, 1, 1, 0, 0, slackFactor * opt),
            cones: [
              { kind: 'psd', n: 4 },
              { kind: 'nonneg', dim: 1 },
            ],
          };
          const r = solve(p);
          expect(r.status).toBe('optimal');
          expect(r.lowerBound).toBeLessThanOrEqual(opt * (1 + 1e-12));
          expect(opt - r.lowerBound).toBeLessThan(1e-5 * opt);
          const y = Float64Array.from(r.y, (v, i) => v + dy[i]! * Math.abs(v));
          expect(certifiedLowerBound(p, y).bound).toBeLessThanOrEqual(opt * (1 + 1e-12));
          expect(certifiedLowerBound(p, repairDual(p, y)).bound).toBeLessThanOrEqual(opt * (1 + 1e-12));
        },
      ),
      { seed: 1417, numRuns: 30 },
    );
  });

  it("the solver's bound stays within 1e-6 of the optimum with the pinned rows", () => {
    for (let seed = 1; seed <= 6; seed++) {
      const { p } = pinnedProblem(seed);
      const r = solve(p);
      if (r.status !== 'optimal') continue;
      expect(r.lowerBound).toBeLessThanOrEqual(r.primalObjective + 1e-9);
      expect(r.primalObjective - r.lowerBound).toBeLessThan(1e-6 * (1 + Math.abs(r.primalObjective)));
    }
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
