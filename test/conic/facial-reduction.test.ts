/**
 * Facial reduction (src/conic/facial-reduction.ts, face-problem.ts) on generated QAP
 * relaxations, whose primal has no interior: the face it finds is the one the generator knows
 * (null(T), T the assignment's row and column sums), and the optimum over it equals the optimum
 * of the face problem written out here independently (its own basis of null(T), its own
 * elimination of dependent rows). A face without a rational basis (the same problem in rotated
 * coordinates) is left alone, and the default solve replaces an `almost` answer by the face's.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { solve } from '../../src/conic/index.ts';
import type { ConicProblem } from '../../src/conic/types.ts';
import { faceBasis, faceEligible, findFace, rationalBasis } from '../../src/conic/facial-reduction.ts';
import { liftResult, orthonormalView, restrictProblem, RowEliminator } from '../../src/conic/face-problem.ts';
import { smat, svec } from '../../src/conic/vec.ts';
import { EigWorkspace, eigSym } from '../../src/linalg/real-eig.ts';
import { csr, dense, mulA, mulAt, normv, rng } from './helpers.ts';
import { assignmentRows, qapRelaxation } from './qap-gen.ts';

/** An orthonormal basis (rows) of the vectors orthogonal to `rows` (classical Gram-Schmidt, twice). */
function complement(rows: number[][], N: number): number[][] {
  const q: number[][] = [];
  const add = (v: number[], tol: number) => {
    for (let pass = 0; pass < 2; pass++)
      for (const e of q) {
        const d = e.reduce((s, x, k) => s + x * v[k]!, 0);
        v.forEach((_, k) => {
          v[k]! -= d * e[k]!;
        });
      }
    const nv = normv(v);
    if (nv > tol) q.push(v.map((x) => x / nv));
  };
  for (const r of rows) add([...r], 1e-9);
  const rank = q.length;
  for (let e = 0; e < N; e++)
    add(
      Array.from({ length: N }, (_, k) => (k === e ? 1 : 0)),
      1e-6,
    );
  return q.slice(rank);
}

/** V M V^T for basis rows V (r x N) of the N x N matrix M (row-major): r x r. */
function restricted(M: Float64Array, V: number[][], N: number): Float64Array {
  const r = V.length;
  const out = new Float64Array(r * r);
  for (let a = 0; a < r; a++)
    for (let b = 0; b < r; b++) {
      let s = 0;
      for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) s += V[a]![i]! * M[i * N + j]! * V[b]![j]!;
      out[a * r + b] = s;
    }
  return out;
}

/**
 * The face problem written out from the generator's knowledge: R of order N - (2n - 1) with
 * Y = V^T R V, every row restricted, then dependent rows dropped by Gaussian elimination with
 * partial pivoting on [rows | b] (a consistent system keeps its rank). Its optimum, solved
 * without facial reduction.
 */
function faceOptimum(p: ConicProblem, T: number[][]): number {
  const N = (p.cones[0] as { n: number }).n;
  const V = complement(T, N);
  const r = V.length;
  const rowsR = dense(p.A).map((a) => Array.from(svec(restricted(smat(Float64Array.from(a), N), V, N), r)));
  const aug = rowsR.map((a, i) => [...a, p.b[i]!]);
  const kept: { row: number[]; piv: number }[] = [];
  for (const row of aug) {
    const v = [...row];
    for (const k of kept) {
      const f = v[k.piv]!;
      v.forEach((_, t) => {
        v[t]! -= f * k.row[t]!;
      });
    }
    let piv = 0;
    for (let t = 1; t < v.length - 1; t++) if (Math.abs(v[t]!) > Math.abs(v[piv]!)) piv = t;
    if (Math.abs(v[piv]!) < 1e-9 * Math.max(1, normv(row))) {
      expect(Math.abs(v[v.length - 1]!)).toBeLessThan(1e-8); // consistent
      continue;
    }
    const d = v[piv]!;
    const scaled = v.map((x) => x / d);
    // keep the kept rows reduced in the new pivot column too (Gauss-Jordan), so each pivot is the row's own
    for (const k of kept) {
      const f = k.row[piv]!;
      k.row.forEach((_, t) => {
        k.row[t]! -= f * scaled[t]!;
      });
    }
    kept.push({ row: scaled, piv });
  }
  const c = svec(restricted(smat(p.c, N), V, N), r);
  const A = csr(
    kept.map((k) => k.row.slice(0, -1)),
    c.length,
  );
  const b = Float64Array.from(kept, (k) => k.row[k.row.length - 1]!);
  const red = solve({ c, A, b, cones: [{ kind: 'psd', n: r }] }, { facialReduction: false });
  expect(red.status).toBe('optimal');
  expect(red.almost).toBe(false);
  return red.primalObjective;
}

/** The eigenvalues, ascending, of the order-n block whose svec is v. */
function spectrum(v: Float64Array, n: number): number[] {
  const ws = new EigWorkspace(n);
  expect(eigSym(smat(v, n), ws, false)).toBe(true);
  return Array.from(ws.d.subarray(0, n));
}

/** The answer is a point of the original problem: A y = b to 1e-8 relative, Y >= 0 to 1e-9 of its size. */
function expectFeasible(p: ConicProblem, x: Float64Array): void {
  const r = mulA(p.A, x).map((v, i) => v - p.b[i]!);
  expect(normv(r) / (1 + normv(p.b))).toBeLessThan(1e-8);
  const N = (p.cones[0] as { n: number }).n;
  const ws = new EigWorkspace(N);
  expect(eigSym(smat(x, N), ws, false)).toBe(true);
  expect(ws.d[0]!).toBeGreaterThan(-1e-9 * Math.max(1, ws.d[N - 1]!));
}

/** The one-block problem in the coordinates Y' = G^T Y G of an orthogonal G (rows): each row A_k and c become G A_k G^T. */
function inCoordinates(p: ConicProblem, G: number[][], N: number): ConicProblem {
  const turn = (v: ArrayLike<number>) => svec(restricted(smat(Float64Array.from(v), N), G, N), N);
  return {
    ...p,
    c: turn(p.c),
    A: csr(
      dense(p.A).map((a) => Array.from(turn(a))),
      p.c.length,
    ),
  };
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

describe('facial reduction', () => {
  it('finds the face a QAP relaxation forces, certifies it, and solves over it: the optimum of the face written out independently', () => {
    for (const [n, seed] of [
      [3, 1],
      [3, 2],
      [4, 1],
      [4, 3],
      [5, 2],
    ] as const) {
      const p = qapRelaxation(n, rng(seed), 'random');
      expect(faceEligible(p)).toBe(true);
      const { face } = findFace(p, solve, {});
      expect(face).not.toBeNull();
      const N = n * n + 1;
      const r = N - (2 * n - 1);
      expect(face!.removed).toBe((N * (N + 1)) / 2 - (r * (r + 1)) / 2);
      const { reduced, rows } = restrictProblem(p, face!);
      const red = solve(reduced, { facialReduction: false });
      expect(red.status).toBe('optimal');
      const lifted = liftResult(p, face!, rows, red);
      expectFeasible(p, lifted.x);
      expect(rel(lifted.primalObjective, faceOptimum(p, assignmentRows(n)))).toBeLessThan(1e-7);
      expect(lifted.relGap).toBeLessThan(1e-7);
    }
  });

  it('finds a face that two rows hide between them (property: random problems, random rational directions)', () => {
    // <E, X> = beta and <E + v v^T, X> = beta force v^T X v = 0, so X v = 0: a rank-one
    // certificate no single row shows; the other rows are random and the cost positive definite
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 4, max: 7 }), (seed, n) => {
        const rnd = rng(seed);
        const v = Array.from({ length: n }, () => Math.floor(5 * rnd()) - 2);
        if (!v.some((x) => x !== 0)) v[0] = 1;
        const V = complement([v], n);
        // a point of the face, interior to it: X0 = V^T V, the projector onto the face
        const X0 = new Float64Array(n * n);
        for (const a of V) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) X0[i * n + j]! += a[i]! * a[j]!;
        const sym = () => {
          const M = new Float64Array(n * n);
          for (let i = 0; i < n; i++)
            for (let j = 0; j <= i; j++) {
              const x = Math.floor(7 * rnd()) - 3;
              M[i * n + j] = x;
              M[j * n + i] = x;
            }
          return M;
        };
        const inner = (A: Float64Array, B: Float64Array) => A.reduce((t, x, e) => t + x * B[e]!, 0);
        const rows: Float64Array[] = [];
        for (let k = 0; k < n; k++) rows.push(sym());
        const E = sym();
        const Evv = E.map((x, e) => x + v[Math.floor(e / n)]! * v[e % n]!);
        rows.push(E, Evv);
        const C = new Float64Array(n * n);
        for (let i = 0; i < n; i++) C[i * n + i] = 1 + rnd();
        const p: ConicProblem = {
          c: svec(C, n),
          A: csr(
            rows.map((M) => Array.from(svec(M, n))),
            (n * (n + 1)) / 2,
          ),
          b: Float64Array.from(rows, (M) => inner(M, X0)),
          cones: [{ kind: 'psd', n }],
        };
        const { face } = findFace(p, solve, {});
        expect(face).not.toBeNull();
        expect(face!.removed).toBe(n);
        const { reduced, rows: kept } = restrictProblem(p, face!);
        const red = solve(reduced, { facialReduction: false });
        expect(red.status).toBe('optimal');
        const lifted = liftResult(p, face!, kept, red);
        expectFeasible(p, lifted.x);
        expect(rel(lifted.primalObjective, faceOptimum(p, [v]))).toBeLessThan(1e-7);
      }),
      { numRuns: 12 },
    );
  });

  it('replaces an almost answer by the one on the face, with a bound that is not above the optimum', () => {
    // the seeds whose plain solve ends `almost` (3e-5 to 8e-5 relative from the face optimum)
    for (const [n, seed] of [
      [4, 1],
      [5, 2],
      [5, 4],
    ] as const) {
      const p = qapRelaxation(n, rng(seed), 'random');
      const plain = solve(p, { facialReduction: false });
      expect(plain.almost).toBe(true);
      const r = solve(p);
      expect(r.status).toBe('optimal');
      expect(r.almost).toBe(false);
      expect(r.note).toMatch(/face/);
      const best = faceOptimum(p, assignmentRows(n));
      expectFeasible(p, r.x);
      expect(rel(r.primalObjective, best)).toBeLessThan(1e-7);
      expect(rel(plain.primalObjective, best)).toBeGreaterThan(1e-6);
      expect(r.lowerBound).toBeLessThanOrEqual(best + 1e-7 * Math.abs(best));
      expect(r.lowerBound).toBeGreaterThan(best - 1e-5 * Math.abs(best));
    }
  });

  it('keeps nonnegative and free cones beside the reduced block', () => {
    // the QAP relaxation of seed 1 (face optimum -3.0594343) with t >= 0 (2) and f free:
    // t1 + t2 = 1, f = t1, cost 0.3 t1 - 0.1 f, so t1 = f = 0 at the optimum
    const p = qapRelaxation(4, rng(1), 'random');
    const n0 = p.c.length;
    const rows = dense(p.A).map((r) => [...r, 0, 0, 0]);
    rows.push([...new Array<number>(n0).fill(0), 1, 1, 0], [...new Array<number>(n0).fill(0), -1, 0, 1]);
    const q: ConicProblem = {
      c: Float64Array.from([...p.c, 0.3, 0, -0.1]),
      A: csr(rows, n0 + 3),
      b: Float64Array.from([...p.b, 1, 0]),
      cones: [...p.cones, { kind: 'nonneg', dim: 2 }, { kind: 'free', dim: 1 }],
    };
    const r = solve(q);
    expect(r.status).toBe('optimal');
    expect(r.almost).toBe(false);
    expect(r.note).toMatch(/face/);
    expect(rel(r.primalObjective, faceOptimum(p, assignmentRows(4)))).toBeLessThan(1e-7);
    expect(r.x[n0]!).toBeGreaterThanOrEqual(-1e-9);
    expect(Math.abs(r.x[n0 + 2]! - r.x[n0]!)).toBeLessThan(1e-8);
  });

  it('leaves alone a face without a rational basis (the same problem in rotated coordinates)', () => {
    const p = qapRelaxation(4, rng(1), 'random');
    const N = 17;
    // an orthogonal Q from Gram-Schmidt of random vectors: rows A_k -> Q A_k Q^T, c likewise
    const rnd = rng(99);
    const G: number[][] = [];
    for (let a = 0; a < N; a++) {
      const v = Array.from({ length: N }, () => rnd() - 0.5);
      for (const e of G) {
        const d = e.reduce((s, x, k) => s + x * v[k]!, 0);
        v.forEach((_, k) => {
          v[k]! -= d * e[k]!;
        });
      }
      const nv = normv(v);
      G.push(v.map((x) => x / nv));
    }
    const rotated = inCoordinates(p, G, N);
    const { face } = findFace(rotated, solve, {});
    expect(face).toBeNull();
    const plain = solve(rotated, { facialReduction: false });
    const r = solve(rotated);
    expect(r.primalObjective).toBe(plain.primalObjective);
    expect(r.note).toBeUndefined();
  });

  it('refuses a rational face near, but not at, the true one (the certificate from the data decides)', () => {
    // the problem turned by 1e-7 in one plane: the face's echelon form rounds to the unturned
    // rational one, which the rows no longer certify (residuals ~1e-7 against 1e-10)
    const p = qapRelaxation(4, rng(1), 'random');
    const N = 17;
    const t = 1e-7;
    const G = Array.from({ length: N }, (_, a) => Array.from({ length: N }, (_, k): number => (a === k ? 1 : 0)));
    [G[1]![1], G[1]![2], G[2]![1], G[2]![2]] = [Math.cos(t), -Math.sin(t), Math.sin(t), Math.cos(t)];
    expect(findFace(inCoordinates(p, G, N), solve, {}).face).toBeNull();
  });

  it('gives a rational subspace its reduced row echelon form, and refuses one that is not near rational', () => {
    // span{(1, -1, 0, 2), (0, 1/3, 1, -1/2)} given by an orthonormal basis with noise 1e-9
    const a = [1, -1, 0, 2];
    const b = [0, 1 / 3, 1, -0.5];
    const basis = complement(complement([a, b], 4), 4).map((v) => Float64Array.from(v, (x, k) => x + 1e-9 * Math.sin(7 * k + v.length)));
    const R = rationalBasis(basis, 4);
    expect(R).not.toBeNull();
    // each returned row is an exact fraction combination in span{a, b}: its residual against it
    for (const r of R!.rows) {
      const coeffs = complement(complement([a, b], 4), 4);
      const inSpan = coeffs.reduce((acc, e) => {
        const d = e.reduce((s, x, k) => s + x * r[k]!, 0);
        return acc.map((x, k) => x + d * e[k]!);
      }, new Array<number>(4).fill(0));
      expect(normv(inSpan.map((x, k) => x - r[k]!))).toBeLessThan(1e-12);
      // exact small fractions: integral times lcm(1..15)
      for (const x of r) expect(Math.abs(x * 360360 - Math.round(x * 360360))).toBeLessThan(1e-6);
    }
    // each row's pivot column is a unit column, exactly (what faceBasis builds on)
    R!.pivots.forEach((j, s) => R!.rows.forEach((r, t) => expect(r[j]).toBe(t === s ? 1 : 0)));
    const noisy = basis.map((v) => Float64Array.from(v, (x, k) => x + 1e-2 * Math.cos(3 * k + 1)));
    expect(rationalBasis(noisy, 4)).toBeNull();
  });

  it('gives the face a sparse rational basis, and orthonormalises one whose Gram matrix is badly conditioned', () => {
    const n = 5;
    const N = n * n + 1;
    const { face } = findFace(qapRelaxation(n, rng(2), 'random'), solve, {});
    const V = face!.parts[0]!.face!;
    expect(V.length).toBe(N - (2 * n - 1));
    // in null(T) to rounding, and of full rank (the Gram matrix's pivots)
    for (const t of assignmentRows(n)) for (const v of V) expect(Math.abs(t.reduce((s, x, k) => s + x * v[k]!, 0))).toBeLessThan(1e-13);
    const G = new Float64Array(V.length * V.length);
    V.forEach((a, i) => V.forEach((b, j) => (G[i * V.length + j] = a.reduce((s, x, k) => s + x * b[k]!, 0))));
    const ws = new EigWorkspace(V.length);
    expect(eigSym(G, ws, false)).toBe(true);
    expect(ws.d[0]).toBeGreaterThan(0.1);
    // sparse: a unit vector on its own column plus the pivots' entries; small fractions
    const nnz = V.reduce((s, v) => s + v.filter((x) => x !== 0).length, 0);
    expect(nnz).toBeLessThan(0.3 * V.length * N);
    for (const v of V) for (const x of v) expect(Math.abs(x * 360360 - Math.round(x * 360360))).toBeLessThan(1e-6);
    // an echelon form with a large entry: e_2 - 1e5 e_0 next to unit vectors (Gram condition
    // 1e10) is replaced by an orthonormal basis of the same null space
    const B = [Float64Array.of(1, 0, 1e5, 0), Float64Array.of(0, 1, 0, 1)];
    const W = faceBasis(B, [0, 1], 4);
    expect(W.length).toBe(2);
    for (const a of W) {
      for (const b of B) expect(Math.abs(a.reduce((s, x, k) => s + x * b[k]!, 0))).toBeLessThan(1e-9);
      for (const c of W) expect(a.reduce((s, x, k) => s + x * c[k]!, 0)).toBeCloseTo(a === c ? 1 : 0, 12);
    }
  });

  it('drops exactly the rows that depend on the kept ones (property: elimination against Gram-Schmidt)', () => {
    // random sparse rows, some of them combinations of earlier kept ones with small integer weights
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 3, max: 40 }), (seed, dim) => {
        const rnd = rng(seed);
        const E = new RowEliminator(dim);
        // the reference: Gram-Schmidt, twice, of the rows in order
        const q: Float64Array[] = [];
        // w minus its projection on the span of the rows kept so far (Gram-Schmidt, twice)
        const project = (w: Float64Array): Float64Array => {
          const v = Float64Array.from(w);
          for (let pass = 0; pass < 2; pass++)
            for (const e of q) {
              const d = e.reduce((s, x, k) => s + x * v[k]!, 0);
              v.forEach((_, k) => {
                v[k]! -= d * e[k]!;
              });
            }
          return v;
        };
        const kept: Float64Array[] = [];
        for (let i = 0; i < dim + 5; i++) {
          const w = new Float64Array(dim);
          const combine = kept.length > 0 && rnd() < 0.4;
          let scale = 0;
          if (combine)
            for (let t = 0; t < 3; t++) {
              const src = kept[Math.floor(rnd() * kept.length)]!;
              const f = Math.floor(7 * rnd()) - 3;
              src.forEach((x, e) => {
                w[e]! += f * x;
              });
              scale += Math.abs(f) * normv(Array.from(src));
            }
          else for (let t = 0; t < 3; t++) w[Math.floor(rnd() * dim)] = (Math.floor(9 * rnd()) - 4) * 10 ** (Math.floor(5 * rnd()) - 2);
          const keeps = E.keep(Float64Array.from(w));
          // the remainder bounds the distance from above: every row Gram-Schmidt keeps (distance
          // above DEPENDENT, 1e-8) is kept, every row at a rounding's distance is dropped
          const away = project(w);
          const dist = normv(Array.from(away)) / normv(Array.from(w));
          if (dist > 1e-8) expect(keeps).toBe(true);
          if (!(dist > 1e-12)) expect(keeps).toBe(false);
          // a combination of kept rows is dropped (unless it cancels to its own rounding)
          if (combine && normv(Array.from(w)) > 1e-6 * scale) expect(keeps).toBe(false);
          if (keeps) {
            kept.push(w);
            q.push(away.map((x) => x / normv(Array.from(away))));
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it("lifts the dual slack onto the face (V z V^T is the face solve's), and views the answer in an orthonormal basis", () => {
    const n = 4;
    const N = n * n + 1;
    const p = qapRelaxation(n, rng(3), 'random');
    const { face } = findFace(p, solve, {});
    const { reduced, rows } = restrictProblem(p, face!);
    const red = solve(reduced, { facialReduction: false });
    const lifted = liftResult(p, face!, rows, red);
    const V = face!.parts[0]!.face!.map((v) => Array.from(v));
    const r = V.length;
    const zFace = restricted(smat(lifted.z, N), V, N);
    smat(red.z, r).forEach((x, e) => expect(Math.abs(zFace[e]! - x)).toBeLessThan(1e-10 * Math.max(1, Math.abs(x))));
    // the view: same rows; its x has the lifted x's nonzero eigenvalues (an orthonormal basis
    // keeps them, the sparse one does not), and its answer fits its own data as the face
    // solve's fits the sparse data
    const view = orthonormalView(p, face!, rows, red);
    expect(view.problem.b).toEqual(reduced.b);
    const top = spectrum(lifted.x, N).slice(N - r);
    const xo = spectrum(view.result.x, r);
    xo.forEach((l, k) => expect(Math.abs(l - top[k]!)).toBeLessThan(1e-9 * Math.max(1, top[r - 1]!)));
    expect(spectrum(red.x, r).some((l, k) => Math.abs(l - top[k]!) > 1e-3 * top[r - 1]!)).toBe(true);
    const A = view.problem.A;
    const pres = normv(Array.from(mulA(A, view.result.x), (v, i) => v - view.problem.b[i]!)) / (1 + normv(Array.from(view.problem.b)));
    expect(pres).toBeLessThan(1e-8);
    const slack = mulAt(A, view.result.y).map((v, e) => view.problem.c[e]! - v - view.result.z[e]!);
    expect(normv(Array.from(slack)) / (1 + normv(Array.from(view.problem.c)))).toBeLessThan(1e-8);
    expect(spectrum(view.result.z, r)[0]).toBeGreaterThan(0);
  });

  it('takes only the cones and sizes it knows', () => {
    const p = qapRelaxation(3, rng(1));
    expect(faceEligible(p)).toBe(true);
    expect(faceEligible({ ...p, cones: [{ kind: 'hpsd', n: 10 }] })).toBe(false);
    expect(faceEligible({ ...p, c: new Float64Array(3000) })).toBe(false);
  });
});
