/**
 * Incremental construction of a standard-form conic problem
 * (min c^T x, A x = b, x in K) from named matrix blocks and linear rows.
 *
 * Rows are written as sparse maps and frozen into CSR by `build()`. Terms of the form
 * tr(C X) with X a Hermitian block are written in hvec coordinates (so the row holds
 * hvec(C)); a low-rank C = V diag(w) V^H is also passed to the solver as a hint.
 */
import type { Cone, ConicProblem, LowRankHint } from '../conic/types.ts';
import { hvecDiagIndex, svecIndex } from '../conic/vec.ts';

const SQRT2 = Math.SQRT2;

export interface BlockRef {
  /** Index of the cone in the problem's cone list. */
  cone: number;
  /** Offset of the block's first entry in x. */
  offset: number;
  /** Matrix order (1 for scalar nonneg/free groups: then `size` entries). */
  n: number;
  size: number;
  kind: Cone['kind'];
}

/** Offset of the real part of X[i][j] (i > j) or X[j][j] in hvec layout of order n. */
export function hvecIndex(n: number, i: number, j: number): number {
  const start = hvecDiagIndex(n, j);
  return i === j ? start : start + 1 + 2 * (i - j - 1);
}

export class ConicBuilder {
  private cones: Cone[] = [];
  private nvar = 0;
  private rows: Map<number, number>[] = [];
  private rhs: number[] = [];
  private cost = new Map<number, number>();
  private hints: LowRankHint[] = [];
  /** Number of separate terms written into each (row, cone): a hint needs exactly one. */
  private terms = new Map<string, number>();

  private touch(r: number, block: BlockRef): void {
    const key = `${r}:${block.cone}`;
    this.terms.set(key, (this.terms.get(key) ?? 0) + 1);
  }

  get variableCount(): number {
    return this.nvar;
  }
  get rowCount(): number {
    return this.rows.length;
  }

  private addCone(cone: Cone, size: number, n: number): BlockRef {
    const ref: BlockRef = { cone: this.cones.length, offset: this.nvar, n, size, kind: cone.kind };
    this.cones.push(cone);
    this.nvar += size;
    return ref;
  }

  addHpsd(n: number): BlockRef {
    return this.addCone({ kind: 'hpsd', n }, n * n, n);
  }
  addPsd(n: number): BlockRef {
    return this.addCone({ kind: 'psd', n }, (n * (n + 1)) / 2, n);
  }
  addNonneg(dim: number): BlockRef {
    return this.addCone({ kind: 'nonneg', dim }, dim, 1);
  }
  addFree(dim: number): BlockRef {
    return this.addCone({ kind: 'free', dim }, dim, 1);
  }

  /** A new equality row `(terms) = rhs`; returns its index. */
  row(rhs: number): number {
    this.rows.push(new Map());
    this.rhs.push(rhs);
    return this.rows.length - 1;
  }

  /** Adds `value * x[col]` to row `r`. */
  add(r: number, col: number, value: number): void {
    if (value === 0) return;
    const m = this.rows[r];
    m.set(col, (m.get(col) ?? 0) + value);
  }

  /** Adds `value * x_k` for scalar entry k of a nonneg/free block. */
  addScalar(r: number, block: BlockRef, k: number, value: number): void {
    this.touch(r, block);
    this.add(r, block.offset + k, value);
  }

  /** Adds `scale * tr(X)` for a matrix block X (real or Hermitian). */
  addTrace(r: number, block: BlockRef, scale: number): void {
    this.touch(r, block);
    for (let j = 0; j < block.n; j++) {
      const idx = block.kind === 'hpsd' ? hvecIndex(block.n, j, j) : svecIndex(block.n, j, j);
      this.add(r, block.offset + idx, scale);
    }
  }

  /** Adds `scale * X[i][j]` (real symmetric block, any i, j). */
  addEntry(r: number, block: BlockRef, i: number, j: number, scale: number): void {
    this.touch(r, block);
    if (i < j) [i, j] = [j, i];
    const idx = svecIndex(block.n, i, j);
    this.add(r, block.offset + idx, i === j ? scale : scale / SQRT2);
  }

  /**
   * Adds `scale * tr(C X)` for a Hermitian block X and Hermitian C given densely as
   * interleaved [re, im] row-major n x n (only the lower triangle is read).
   */
  addHermitian(r: number, block: BlockRef, C: Float64Array, scale: number): void {
    this.touch(r, block);
    this.writeHermitian(r, block, C, scale);
  }

  private writeHermitian(r: number, block: BlockRef, C: Float64Array, scale: number): void {
    const n = block.n;
    for (let j = 0; j < n; j++) {
      this.add(r, block.offset + hvecIndex(n, j, j), scale * C[2 * (j * n + j)]);
      for (let i = j + 1; i < n; i++) {
        const base = block.offset + hvecIndex(n, i, j);
        const e = 2 * (i * n + j);
        this.add(r, base, scale * SQRT2 * C[e]);
        this.add(r, base + 1, scale * SQRT2 * C[e + 1]);
      }
    }
  }

  /**
   * Adds `scale * tr(V diag(w) V^H X)` for a Hermitian block X; V is n x rank, column-major,
   * interleaved complex. The low-rank hint is passed on only when the row touches
   * this block through this term alone.
   */
  addLowRank(r: number, block: BlockRef, V: Float64Array, w: ArrayLike<number>, scale: number): void {
    const n = block.n;
    const rank = w.length;
    const C = new Float64Array(2 * n * n);
    for (let q = 0; q < rank; q++) {
      const wq = w[q] * scale;
      if (wq === 0) continue;
      const col = 2 * n * q;
      for (let i = 0; i < n; i++) {
        const vr = V[col + 2 * i];
        const vi = V[col + 2 * i + 1];
        for (let j = 0; j <= i; j++) {
          const ur = V[col + 2 * j];
          const ui = V[col + 2 * j + 1];
          // (v_i conj(v_j)) * wq
          C[2 * (i * n + j)] += wq * (vr * ur + vi * ui);
          C[2 * (i * n + j) + 1] += wq * (vi * ur - vr * ui);
        }
      }
    }
    this.touch(r, block);
    this.writeHermitian(r, block, C, 1);
    const weights = new Float64Array(rank);
    for (let q = 0; q < rank; q++) weights[q] = w[q] * scale;
    this.hints.push({ row: r, cone: block.cone, rank, factors: V.slice(0, 2 * n * rank), weights });
  }

  /** Adds `value` to the cost of x[col]. */
  addCost(col: number, value: number): void {
    this.cost.set(col, (this.cost.get(col) ?? 0) + value);
  }

  addCostTrace(block: BlockRef, scale: number): void {
    for (let j = 0; j < block.n; j++) {
      const idx = block.kind === 'hpsd' ? hvecIndex(block.n, j, j) : svecIndex(block.n, j, j);
      this.addCost(block.offset + idx, scale);
    }
  }

  build(): ConicProblem {
    const m = this.rows.length;
    const rowPtr = new Int32Array(m + 1);
    let nnz = 0;
    for (let i = 0; i < m; i++) nnz += this.rows[i].size;
    const colIdx = new Int32Array(nnz);
    const values = new Float64Array(nnz);
    let p = 0;
    for (let i = 0; i < m; i++) {
      const entries = [...this.rows[i].entries()].sort((a, b) => a[0] - b[0]);
      for (const [col, v] of entries) {
        colIdx[p] = col;
        values[p] = v;
        p++;
      }
      rowPtr[i + 1] = p;
    }
    const c = new Float64Array(this.nvar);
    for (const [col, v] of this.cost) c[col] = v;
    // A hint is valid only if no other term touched the same (row, block).
    const lowRank = this.hints.filter((h) => this.terms.get(`${h.row}:${h.cone}`) === 1);
    return {
      c,
      A: { rows: m, cols: this.nvar, rowPtr, colIdx, values },
      b: Float64Array.from(this.rhs),
      cones: this.cones.slice(),
      lowRank,
    };
  }
}

/** Reads a Hermitian block of x (hvec) into interleaved row-major n x n. */
export function readHermitian(x: Float64Array, block: BlockRef): Float64Array {
  const n = block.n;
  const out = new Float64Array(2 * n * n);
  for (let j = 0; j < n; j++) {
    out[2 * (j * n + j)] = x[block.offset + hvecIndex(n, j, j)];
    for (let i = j + 1; i < n; i++) {
      const base = block.offset + hvecIndex(n, i, j);
      const re = x[base] / SQRT2;
      const im = x[base + 1] / SQRT2;
      out[2 * (i * n + j)] = re;
      out[2 * (i * n + j) + 1] = im;
      out[2 * (j * n + i)] = re;
      out[2 * (j * n + i) + 1] = -im;
    }
  }
  return out;
}
