/** Shared test helpers: dense-to-CSR, residuals and cone membership checked independently of the solver. */
import { expect } from 'vitest';
import type { Cone, ConicProblem, SparseRows } from '../../src/conic/types.ts';
import { smat, hmat } from '../../src/conic/vec.ts';
import type { SdpaProblem } from '../../src/conic/sdpa.ts';
import { EigWorkspace, eigSym } from '../../src/linalg/real-eig.ts';

export { csr } from './csr.ts';

export function dense(A: SparseRows): number[][] {
  const out = Array.from({ length: A.rows }, () => new Array<number>(A.cols).fill(0));
  for (let i = 0; i < A.rows; i++) for (let k = A.rowPtr[i]; k! < A.rowPtr[i + 1]!; k!++) out[i]![A.colIdx[k!]!]! += A.values[k!]!;
  return out;
}

export const dotv = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};
export const normv = (a: ArrayLike<number>): number => Math.sqrt(dotv(a, a));

export function mulA(A: SparseRows, x: ArrayLike<number>): Float64Array {
  const y = new Float64Array(A.rows);
  for (let i = 0; i < A.rows; i++) for (let k = A.rowPtr[i]; k! < A.rowPtr[i + 1]!; k!++) y[i]! += A.values[k!]! * x[A.colIdx[k!]!]!;
  return y;
}

export function mulAt(A: SparseRows, y: ArrayLike<number>): Float64Array {
  const x = new Float64Array(A.cols);
  for (let i = 0; i < A.rows; i++) for (let k = A.rowPtr[i]; k! < A.rowPtr[i + 1]!; k!++) x[A.colIdx[k!]!]! += A.values[k!]! * y[i]!;
  return x;
}

export function coneDim(k: Cone): number {
  return k.kind === 'psd' ? (k.n * (k.n + 1)) / 2 : k.kind === 'hpsd' ? k.n * k.n : k.dim;
}

/** Eigenvalues of a symmetric row-major matrix. */
export function eigenvalues(m: Float64Array, n: number): Float64Array {
  const ws = new EigWorkspace(n);
  eigSym(m, ws, false);
  return Float64Array.from(ws.d);
}

/**
 * Smallest "eigenvalue" of each cone segment of v (free cones skipped): nonneg entries,
 * t - ||u|| for soc, matrix eigenvalues for psd / hpsd (hpsd via [[Re, -Im], [Im, Re]]).
 */
export function coneMin(v: ArrayLike<number>, cones: Cone[]): number {
  let off = 0;
  let worst = Infinity;
  for (const k of cones) {
    const d = coneDim(k);
    const seg = Float64Array.from(Array.prototype.slice.call(v, off, off + d) as number[]);
    if (k.kind === 'nonneg') for (const t of seg) worst = Math.min(worst, t);
    else if (k.kind === 'soc') worst = Math.min(worst, seg[0]! - normv(seg.subarray(1)));
    else if (k.kind === 'psd') worst = Math.min(worst, eigenvalues(smat(seg, k.n), k.n)[0]!);
    else if (k.kind === 'hpsd') {
      const { re, im } = hmat(seg, k.n);
      const n = k.n;
      const E = new Float64Array(4 * n * n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          E[i * 2 * n + j] = re[i * n + j]!;
          E[(i + n) * 2 * n + j + n] = re[i * n + j]!;
          E[(i + n) * 2 * n + j] = im[i * n + j]!;
          E[i * 2 * n + j + n] = -im[i * n + j]!;
        }
      worst = Math.min(worst, eigenvalues(E, 2 * n)[0]!);
    }
    off += d;
  }
  return worst;
}

/** KKT quantities of a claimed optimal (x, y, z), recomputed from the problem data. */
export function kkt(p: ConicProblem, x: ArrayLike<number>, y: ArrayLike<number>, z: ArrayLike<number>) {
  const Ax = mulA(p.A, x);
  const Aty = mulAt(p.A, y);
  const pr = normv(Ax.map((v, i) => v - p.b[i]!)) / (1 + normv(p.b));
  const dr = normv(Aty.map((v, j) => v + z[j]! - p.c[j]!)) / (1 + normv(p.c));
  const pobj = dotv(p.c, x);
  const dobj = dotv(p.b, y);
  return { pr, dr, pobj, dobj, gap: Math.abs(pobj - dobj) / Math.max(1, Math.abs(pobj), Math.abs(dobj)) };
}

/**
 * A claimed optimum checked from the problem data alone, at the design layer's scale: the
 * solver's tolerance is 1e-8 in its own scaling (x scaled, rows equilibrated), the problem as
 * given is within a few times of it. x strictly inside its cone, z inside up to rounding.
 */
export function expectOptimalFromData(p: ConicProblem, r: { x: Float64Array; y: Float64Array; z: Float64Array }): void {
  const k = kkt(p, r.x, r.y, r.z);
  expect(k.pr).toBeLessThan(1e-7);
  expect(k.dr).toBeLessThan(1e-7);
  expect(k.gap).toBeLessThan(1e-7);
  const scale = 1 + normv(r.x) + normv(r.z);
  expect(coneMin(r.x, p.cones)).toBeGreaterThan(0);
  expect(coneMin(r.z, p.cones)).toBeGreaterThan(-1e-12 * scale);
}

/** Deterministic pseudo-random numbers for hand-made instances (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One entry of an SDPA problem: matrix `mat` (0 = F0), block `blk`, position (i, j), value `v` (1-based as in the format). */
export interface SdpaEntry {
  mat: number;
  blk: number;
  i: number;
  j: number;
  v: number;
}

/** An SDPA problem from its sizes, c and a list of entries (kept as given, zeros included). */
export function sdpaProblem(m: number, blocks: number[], c: number[], entries: SdpaEntry[]): SdpaProblem {
  return {
    m,
    blocks,
    c: Float64Array.from(c),
    entries: {
      mat: Int32Array.from(entries.map((e) => e.mat)),
      blk: Int32Array.from(entries.map((e) => e.blk)),
      i: Int32Array.from(entries.map((e) => e.i)),
      j: Int32Array.from(entries.map((e) => e.j)),
      v: Float64Array.from(entries.map((e) => e.v)),
    },
  };
}

/** Lovasz theta of a random graph (the SDPLIB theta family): min x_1 s.t. x_1 I + sum x_e E_e - J >= 0. */
export function thetaSdpa(seed: number, n: number): SdpaProblem {
  const rnd = rng(seed);
  const entries: SdpaEntry[] = [];
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) entries.push({ mat: 0, blk: 0, i, j, v: 1 });
  for (let i = 0; i < n; i++) entries.push({ mat: 1, blk: 0, i, j: i, v: 1 });
  let m = 1;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (rnd() < 0.4) entries.push({ mat: ++m, blk: 0, i, j, v: 1 });
  return sdpaProblem(m, [n], [1, ...new Array<number>(m - 1).fill(0)], entries);
}

/**
 * min sum x s.t. coefficient * x_i = 1 (i < m), x >= 0: one LP variable per row, optimum
 * m / coefficient; the solver's estimate of the size of x is 1 / coefficient.
 */
export function diagonalLp(coefficient: number, m = 5): ConicProblem {
  return {
    A: {
      rows: m,
      cols: m,
      rowPtr: Int32Array.from({ length: m + 1 }, (_, i) => i),
      colIdx: Int32Array.from({ length: m }, (_, i) => i),
      values: new Float64Array(m).fill(coefficient),
    },
    b: new Float64Array(m).fill(1),
    c: new Float64Array(m).fill(1),
    cones: [{ kind: 'nonneg', dim: m }],
  };
}
