/**
 * The normal equations in WebAssembly (src/conic/kkt-wasm.ts, wasm/kernels.ts) against
 * their TypeScript twins in src/conic/kkt.ts and src/linalg/pattern-cholesky.ts: the same
 * bits for the factorisation's verdict and replaced pivots, the refined solves, the
 * preconditioner and the operation counts, on random matrices with clique patterns (the
 * sparse path) and without (the dense one), with dependent rows, with NaN, and with two
 * systems taking turns in the one instance. The solutions are also checked independently
 * of both paths (M x = b by a product with the original matrix).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { AAtSolver, NormalEquations, type SchurSource } from '../../src/conic/kkt.ts';
import { holdNormalMemory, normalInstanceBytes, setWasmPcg, WasmNormal } from '../../src/conic/kkt-wasm.ts';
import { mulA, mulAt, type Prepared, prepareShape, transpose, withKernels } from '../../src/conic/prepare.ts';
import { VectorSpace } from '../../src/linalg/wasm-vectors.ts';
import { opCounts, resetOpCounts, snapshotOpCounts } from '../../src/linalg/op-counts.ts';
import { setWasmDisabled, wasmKernelsActive } from '../../src/linalg/wasm-kernels.ts';
import { Rng } from '../../src/linalg/prng.ts';
import { solve } from '../../src/conic/index.ts';
import { feasibleProblem, hintedProblem } from './gen.ts';
import { rng } from './helpers.ts';
import type { Cone } from '../../src/conic/types.ts';
import type { ConicProblem } from '../../src/conic/types.ts';

afterEach(() => {
  setWasmDisabled(false);
  setWasmPcg(true);
  vi.restoreAllMocks();
});

/** Fills M's lower triangle from a fixed symmetric matrix (what the Schur builder does). */
class FixedSchur implements SchurSource {
  constructor(
    readonly m: number,
    public full: Float64Array,
  ) {}
  build(M: Float64Array): void {
    const m = this.m;
    for (let i = 0; i < m; i++) for (let j = 0; j <= i; j++) M[i * m + j] = this.full[i * m + j]!;
  }
}

interface Case {
  m: number;
  cliques: Int32Array[];
  full: Float64Array;
}

/**
 * A positive semidefinite M = sum over cliques of G G^T restricted to the clique (rank
 * `rank` per clique, so rank-deficient, dependent rows, when the cliques are few and small).
 */
function randomCase(seed: number, m: number, nCliques: number, cliqueSize: number, rank: number): Case {
  const rng = new Rng(seed);
  const full = new Float64Array(m * m);
  const cliques: Int32Array[] = [];
  const covered = new Uint8Array(m);
  for (let c = 0; c < nCliques; c++) {
    const rows = new Set<number>();
    while (rows.size < Math.min(cliqueSize, m)) rows.add(Math.floor(rng.uniform() * m));
    cliques.push(Int32Array.from([...rows].sort((a, b) => a - b)));
  }
  // every row in some clique, so that M has no empty row
  for (const c of cliques) for (const r of c) covered[r] = 1;
  const rest: number[] = [];
  for (let r = 0; r < m; r++) if (!covered[r]) rest.push(r);
  if (rest.length > 0) cliques.push(Int32Array.from(rest));
  const scale = 10 ** (rng.uniform() * 8 - 4);
  for (const [ci, c] of cliques.entries()) {
    // the rows no clique drew get full rank, so `rank` >= cliqueSize means M is definite
    const r = ci === nCliques ? c.length + 1 : rank;
    for (let k = 0; k < r; k++) {
      const g = Array.from(c, () => scale * (rng.uniform() - 0.5));
      for (let a = 0; a < c.length; a++) {
        for (let b = 0; b < c.length; b++) {
          const at = c[a]! * m + c[b]!;
          full[at] = full[at]! + g[a]! * g[b]!;
        }
      }
    }
  }
  return { m, cliques, full };
}

interface Outcome {
  factored: boolean[];
  fixed: number[];
  solves: number[][];
  preconds: number[][];
  counts: [number, number];
}

/** Factors, solves (with and without refinement) and preconditions, as the loop does. */
function run(c: Case, rhs: Float64Array[], wasm: boolean): Outcome {
  setWasmDisabled(!wasm);
  const ne = new NormalEquations(c.m, new FixedSchur(c.m, c.full), c.cliques);
  resetOpCounts();
  const out: Outcome = { factored: [], fixed: [], solves: [], preconds: [], counts: [0, 0] };
  out.factored.push(ne.factor());
  out.fixed.push(ne.fixedPivots);
  for (const b of rhs) {
    const x = new Float64Array(c.m);
    ne.solve(b, x);
    out.solves.push(Array.from(x));
    ne.solve(b, x, 0);
    out.solves.push(Array.from(x));
    const z = new Float64Array(c.m);
    ne.precond(b, z);
    out.preconds.push(Array.from(z));
  }
  out.counts = [opCounts.normalSolves, opCounts.schurMatVecs];
  setWasmDisabled(false);
  return out;
}

function rhsFor(m: number, seed: number, count = 2): Float64Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => Float64Array.from({ length: m }, () => rng.uniform() - 0.5));
}

/** |M x - b| / (|M| |x| + |b|): the refined solve checked by a product with the original M. */
function residual(c: Case, x: readonly number[], b: Float64Array): number {
  let r2 = 0;
  let mx = 0;
  let bx = 0;
  let xx = 0;
  for (let i = 0; i < c.m; i++) {
    let s = 0;
    for (let j = 0; j < c.m; j++) {
      s += c.full[i * c.m + j]! * x[j]!;
      mx = Math.max(mx, Math.abs(c.full[i * c.m + j]!));
    }
    r2 += (s - b[i]!) ** 2;
    bx = Math.max(bx, Math.abs(b[i]!));
    xx = Math.max(xx, Math.abs(x[i]!));
  }
  return Math.sqrt(r2) / (c.m * mx * xx + bx);
}

describe.skipIf(!wasmKernelsActive())('normal equations in WebAssembly', () => {
  it('give the TypeScript bits on random clique patterns (sparse path) and dense matrices, full rank or not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 1, max: 6 }),
        (seed, m, nCliques, size, rank) => {
          const c = randomCase(seed, m, nCliques, size, rank);
          const rhs = rhsFor(m, seed + 1);
          const w = run(c, rhs, true);
          const t = run(c, rhs, false);
          expect(w).toEqual(t);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('take both paths, replace pivots of dependent rows, and solve what is solvable', () => {
    // sparse: many small cliques on 40 rows; dense: one clique of all rows
    const sparse = randomCase(7, 40, 12, 5, 6);
    const dense = randomCase(8, 20, 1, 20, 25);
    const deficient = randomCase(9, 30, 4, 10, 2);
    for (const c of [sparse, dense]) {
      const rhs = rhsFor(c.m, 3);
      const w = run(c, rhs, true);
      expect(w).toEqual(run(c, rhs, false));
      expect(w.factored).toEqual([true]);
      expect(w.fixed).toEqual([0]);
      expect(residual(c, w.solves[0]!, rhs[0]!)).toBeLessThan(1e-12);
    }
    // rank 2 per clique of 10: most pivots are replaced, in both paths alike
    const rhs = rhsFor(deficient.m, 4);
    const w = run(deficient, rhs, true);
    expect(w).toEqual(run(deficient, rhs, false));
    expect(w.fixed[0]).toBeGreaterThan(0);
  });

  it('read no twin past the last row of an odd order (a larger system had left a 1 there)', () => {
    // found by the property test above: row 14 of 15 was paired with a row 15 that does not
    // exist because the memory after the pair flags still held a previous tenant's data
    const before = randomCase(146575, 33, 7, 11, 4);
    run(before, rhsFor(33, 146576), true);
    const odd = randomCase(125287, 15, 3, 7, 6);
    const rhs = rhsFor(15, 125288);
    expect(run(odd, rhs, true)).toEqual(run(odd, rhs, false));
  });

  it('give a large instance back when a solve is over, and go on alike after it (also for a system still solving)', () => {
    const a = randomCase(31, 36, 9, 6, 7);
    const b = randomCase(32, 24, 1, 24, 25);
    const rhsA = rhsFor(a.m, 7);
    const twoSystems = (release: boolean) => {
      const na = new NormalEquations(a.m, new FixedSchur(a.m, a.full), a.cliques);
      na.factor();
      const nb = new NormalEquations(b.m, new FixedSchur(b.m, b.full), b.cliques);
      nb.factor();
      const xb = new Float64Array(b.m);
      nb.solve(rhsFor(b.m, 8)[0]!, xb);
      // b's solve is over; with a retain limit of 0 its instance is dropped while a still solves
      if (release) {
        expect(normalInstanceBytes()).toBeGreaterThan(0);
        nb.release(0);
        expect(normalInstanceBytes()).toBe(0);
      }
      const xa = new Float64Array(a.m);
      na.solve(rhsA[0]!, xa);
      na.factor();
      na.solve(rhsA[1]!, xa);
      return [Array.from(xb), Array.from(xa)];
    };
    const released = twoSystems(true);
    expect(released).toEqual(twoSystems(false));
    setWasmDisabled(true);
    expect(released).toEqual(twoSystems(false));
    setWasmDisabled(false);
    // a solve keeps a small instance for the next one (below the 64 MiB it gives back)
    solve(hintedProblem(3, 4, 3, 8, 0.5, 0.5));
    expect(normalInstanceBytes()).toBeGreaterThan(0);
  });

  it('keep the instance between the solves of a held design, whatever its size, and give it back after', () => {
    const a = randomCase(41, 36, 9, 6, 7);
    const b = randomCase(42, 24, 1, 24, 25);
    const rhs = rhsFor(b.m, 9)[0]!;
    const alone = () => {
      const nb = new NormalEquations(b.m, new FixedSchur(b.m, b.full), b.cliques);
      nb.factor();
      const x = new Float64Array(b.m);
      nb.solve(rhs, x);
      return Array.from(x);
    };
    const expected = alone();
    let inside: number[] = [];
    holdNormalMemory(() => {
      const na = new NormalEquations(a.m, new FixedSchur(a.m, a.full), a.cliques);
      na.factor();
      // a retain limit of 0 drops the instance of a finished solve, except inside a hold
      na.release(0);
      expect(normalInstanceBytes()).toBeGreaterThan(0);
      // the next system moves into memory the first one wrote, and solves as it would alone
      inside = alone();
    });
    expect(inside).toEqual(expected);
    // outside the hold, release(0) gives it back again
    const nc = new NormalEquations(b.m, new FixedSchur(b.m, b.full), b.cliques);
    nc.factor();
    nc.release(0);
    expect(normalInstanceBytes()).toBe(0);
  });

  it('report a matrix with NaN as a broken factorisation, as the TypeScript does', () => {
    for (const c of [randomCase(11, 30, 8, 6, 7), randomCase(12, 12, 1, 12, 13)]) {
      c.full[5 * c.m + 5] = NaN;
      const w = run(c, [], true);
      expect(w.factored).toEqual([false]);
      expect(run(c, [], false).factored).toEqual([false]);
    }
  });

  it('keep each system right when two take turns in the one instance', () => {
    const a = randomCase(21, 36, 9, 6, 7);
    const b = randomCase(22, 24, 1, 24, 25);
    const rhsA = rhsFor(a.m, 5);
    const rhsB = rhsFor(b.m, 6);
    const interleaved = () => {
      const na = new NormalEquations(a.m, new FixedSchur(a.m, a.full), a.cliques);
      const nb = new NormalEquations(b.m, new FixedSchur(b.m, b.full), b.cliques);
      const xa = new Float64Array(a.m);
      const xb = new Float64Array(b.m);
      na.factor();
      nb.factor();
      na.solve(rhsA[0]!, xa);
      nb.solve(rhsB[0]!, xb);
      const first = [Array.from(xa), Array.from(xb)];
      // a new M for a, factored while b holds the instance, then b again
      const a2: Case = { ...a, full: a.full.map((v, i) => (i % (a.m + 1) === 0 ? 2 * v : v)) };
      (na as unknown as { builder: FixedSchur }).builder.full = a2.full;
      nb.solve(rhsB[1]!, xb);
      na.factor();
      nb.precond(rhsB[0]!, xb);
      const second = Array.from(xb);
      na.solve(rhsA[1]!, xa);
      return { first, second, third: Array.from(xa), a2 };
    };
    setWasmDisabled(false);
    const w = interleaved();
    setWasmDisabled(true);
    const t = interleaved();
    setWasmDisabled(false);
    expect(w.first).toEqual(t.first);
    expect(w.second).toEqual(t.second);
    expect(w.third).toEqual(t.third);
    expect(residual(w.a2, w.third, rhsA[1]!)).toBeLessThan(1e-12);
  });

  it('multiply by A and A^T to the TypeScript bits (rows two at a time: odd counts, empty and uneven rows)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 2 ** 30 }), (m, n, seed) => {
        const r = new Rng(seed);
        const rowPtr = new Int32Array(m + 1);
        const cols: number[] = [];
        const values: number[] = [];
        for (let i = 0; i < m; i++) {
          // some rows empty, the others of random lengths (the pairs' common part and tails differ)
          if (r.uniform() < 0.8) for (let j = 0; j < n; j++) if (r.uniform() < 0.4) cols.push(j), values.push(r.normal() * 10 ** (4 * r.uniform() - 2));
          rowPtr[i + 1] = cols.length;
        }
        const A = { rows: m, cols: n, rowPtr, colIdx: Int32Array.from(cols), values: Float64Array.from(values) };
        const op = { A, At: transpose(A) };
        const w = WasmNormal.create(m, null, new Float64Array(m * m), () => null, op);
        if (!w) return;
        const x = Float64Array.from({ length: n }, () => r.normal());
        const y = Float64Array.from({ length: m }, () => r.normal());
        const [ts, wa] = [new Float64Array(m), new Float64Array(m)];
        mulA(A, x, ts);
        w.mulA(x, wa);
        expect(Array.from(wa)).toEqual(Array.from(ts));
        const [tsT, waT] = [new Float64Array(n), new Float64Array(n)];
        mulAt(op.At, y, tsT);
        w.mulAt(y, waT);
        expect(Array.from(waT)).toEqual(Array.from(tsT));
        w.release();
      }),
      { numRuns: 150 },
    );
  });

  it('factor A A^T for the projection as the TypeScript does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 80 }), (seed, m, n) => {
        const rng = new Rng(seed);
        // A^T in compressed columns: column j of A^T (row j of A... a variable) touches a few constraint rows
        const colPtr = new Int32Array(n + 1);
        const rows: number[] = [];
        const vals: number[] = [];
        for (let j = 0; j < n; j++) {
          const k = 1 + Math.floor(rng.uniform() * Math.min(m, 6));
          const set = new Set<number>();
          while (set.size < k) set.add(Math.floor(rng.uniform() * m));
          for (const r of [...set].sort((x, y) => x - y)) {
            rows.push(r);
            vals.push(rng.uniform() - 0.5);
          }
          colPtr[j + 1] = rows.length;
        }
        const P = { m, n, At: { colPtr, rowIdx: Int32Array.from(rows), values: Float64Array.from(vals) } } as unknown as Prepared;
        const b = rhsFor(m, seed)[0]!;
        const solveWith = (wasm: boolean) => {
          setWasmDisabled(!wasm);
          const s = AAtSolver.create(P);
          setWasmDisabled(false);
          if (s === null) return null;
          const x = new Float64Array(m);
          s.solve(b, x);
          return Array.from(x);
        };
        expect(solveWith(true)).toEqual(solveWith(false));
      }),
      { numRuns: 60 },
    );
  });
});

describe.skipIf(!wasmKernelsActive())('the Schur complement assembled in WebAssembly', () => {
  const bothWays = (p: ConicProblem, hermitian: 'native' | 'embedded') =>
    [true, false].map((wasm) => {
      setWasmDisabled(!wasm);
      resetOpCounts();
      const r = solve(p, { hermitian });
      const counts = { ...opCounts };
      setWasmDisabled(false);
      return { status: r.status, iterations: r.iterations, x: Array.from(r.x), y: Array.from(r.y), counts };
    });

  it('solves fixed cases to the TypeScript bits (every strategy of both block kinds, hinted rows against plain ones)', () => {
    // seeds checked to reach each branch: a wrong factor in any of them changes the answer
    for (const [seed, nH, nP, m, density, hinted] of [
      [1, 4, 3, 8, 0.5, 0.5],
      [2, 4, 3, 8, 0.5, 0.5],
      [3, 6, 6, 12, 0.9, 0.3],
      [4, 5, 5, 10, 0.1, 0.6],
    ] as const) {
      for (const hermitian of ['native', 'embedded'] as const) {
        const [w, t] = bothWays(hintedProblem(seed, nH, nP, m, density, hinted), hermitian);
        expect(w!.status).toBe('optimal');
        expect(w).toEqual(t);
      }
    }
  });

  it('solves to the TypeScript bits: real, embedded and native Hermitian blocks, sparse, dense and low-rank rows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 12 }),
        fc.double({ min: 0.05, max: 0.9, noNaN: true }),
        fc.double({ min: 0, max: 0.8, noNaN: true }),
        fc.constantFrom('native' as const, 'embedded' as const),
        (seed, nH, nP, m, density, hinted, hermitian) => {
          const [w, t] = bothWays(hintedProblem(seed, nH, nP, m, density, hinted), hermitian);
          expect(w).toEqual(t);
        },
      ),
      { numRuns: 40 },
    );
  });
});

/** p solved with the conjugate gradients in WebAssembly (on) or in the loop's TypeScript: what the two must share. */
function solveWithPcg(p: ConicProblem, on: boolean) {
  setWasmPcg(on);
  resetOpCounts();
  const r = solve(p);
  return { counts: snapshotOpCounts(), status: r.status, x: Array.from(r.x), y: Array.from(r.y), z: Array.from(r.z) };
}

describe.skipIf(!wasmKernelsActive())("the refinement's conjugate gradients in WebAssembly (kkt-wasm.ts pcg)", () => {
  it('give the TypeScript loop its bits and operation counts, on real PSD blocks with nonnegative cones, and run', () => {
    const ran = vi.spyOn(WasmNormal.prototype, 'pcg');
    let used = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 2, max: 7 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 4, max: 14 }),
        (seed, n, lp, m) => {
          const cones: Cone[] = [{ kind: 'psd', n }, { kind: 'psd', n: 2 }, ...(lp > 0 ? [{ kind: 'nonneg' as const, dim: lp }] : []), { kind: 'psd', n: 4 }];
          const p = feasibleProblem(cones, m, rng(seed), 0.5);
          ran.mockClear();
          const w = solveWithPcg(p, true);
          used += ran.mock.calls.length;
          ran.mockClear();
          const t = solveWithPcg(p, false);
          expect(ran).not.toHaveBeenCalled();
          expect(w).toEqual(t);
        },
      ),
      { numRuns: 25 },
    );
    // the property is not vacuous: the conjugate gradients ran in WebAssembly
    expect(used).toBeGreaterThan(10);
  });

  it('take several steps as the TypeScript does when the preconditioner is inexact (a regularised factor), to its bits', () => {
    // M + 1e-3 max(diag M) I factored: the conjugate gradients then run up to their limits
    const factor = NormalEquations.prototype.factor;
    vi.spyOn(NormalEquations.prototype, 'factor').mockImplementation(function (this: NormalEquations) {
      this.regRel = 1e-3;
      return factor.call(this);
    });
    const ran = vi.spyOn(WasmNormal.prototype, 'pcg');
    for (let seed = 1; seed <= 6; seed++) {
      const cones: Cone[] = [
        { kind: 'psd', n: 3 + (seed % 3) },
        { kind: 'nonneg', dim: 2 },
        { kind: 'psd', n: 4 },
      ];
      const p = feasibleProblem(cones, 8 + seed, rng(seed), 0.6);
      const wasm = solveWithPcg(p, true);
      expect(wasm.counts.mulA).toBeGreaterThan(5 * wasm.counts.iterations);
      expect(wasm).toEqual(solveWithPcg(p, false));
    }
    expect(ran.mock.calls.length).toBeGreaterThan(20);
  });

  it("use the cones' current scaling after another system took the instance in between", () => {
    // a system with its cones in a space, scaled at a point inside the cones, factored
    const p = feasibleProblem(
      [
        { kind: 'psd', n: 4 },
        { kind: 'nonneg', dim: 2 },
        { kind: 'psd', n: 3 },
      ],
      9,
      rng(7),
      0.6,
    );
    const shape = prepareShape(p);
    const space = VectorSpace.acquire(1 << 16, 1 << 12);
    try {
      const P = withKernels(shape, space);
      const x = space.f64(P.n);
      const z = space.f64(P.n);
      const r = rng(3);
      for (const k of P.cones) {
        k.kernel.unit(x, k.off);
        k.kernel.unit(z, k.off);
      }
      for (let j = 0; j < P.n; j++) {
        x[j] = x[j]! * (1 + r()) + 0.01 * (r() - 0.5);
        z[j] = z[j]! * (1 + r()) + 0.01 * (r() - 0.5);
      }
      for (const k of P.cones) expect(k.kernel.updateScaling(x, z, k.off)).toBe(true);
      const ne = NormalEquations.of(P);
      ne.regRel = 1e-3; // an inexact preconditioner: several CG steps
      expect(ne.factor()).toBe(true);
      const rhs = Float64Array.from({ length: P.m }, () => r() - 0.5);
      const alone = new Float64Array(P.m);
      expect(ne.pcg(rhs, alone, 20, 3, 1)).toBe(true);
      // another system (its cones outside any space) factors in the same instance, then the first solves again
      const other = NormalEquations.of(withKernels(prepareShape(feasibleProblem([{ kind: 'psd', n: 5 }], 6, rng(8), 0.6))));
      expect(other.factor()).toBe(true);
      const after = new Float64Array(P.m);
      expect(ne.pcg(rhs, after, 20, 3, 1)).toBe(true);
      expect(Array.from(after)).toEqual(Array.from(alone));
      expect(alone.some((v) => v !== 0)).toBe(true);
    } finally {
      space.release();
    }
  });

  it('do not run where a cone is neither a real PSD block in the space nor nonnegative', () => {
    const ran = vi.spyOn(WasmNormal.prototype, 'pcg');
    const asked = vi.spyOn(NormalEquations.prototype, 'pcg');
    for (const cones of [
      [
        { kind: 'psd', n: 3 },
        { kind: 'soc', dim: 3 },
      ],
      [
        { kind: 'hpsd', n: 3 },
        { kind: 'psd', n: 2 },
      ],
      [{ kind: 'nonneg', dim: 3 }],
    ] as Cone[][]) {
      for (let seed = 1; seed <= 4; seed++) expect(solve(feasibleProblem(cones, 6, rng(seed), 0.6)).status).toBe('optimal');
    }
    // the loop asked for conjugate gradients, and ran its own
    expect(asked.mock.calls.length).toBeGreaterThan(0);
    expect(ran).not.toHaveBeenCalled();
  });
});
