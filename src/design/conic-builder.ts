/**
 * Incremental construction of a standard-form conic problem
 * (min c^T x, A x = b, x in K) from matrix blocks and linear rows.
 *
 * Rows are written one after the other: the row being written lives in a dense scratch
 * accumulator (one slot per variable plus the list of touched columns), and is frozen into
 * CSR typed arrays when the next row starts, so writing an n x n block term costs n^2
 * array updates and no per-entry objects. A write into an earlier row is still accepted
 * (kept aside and merged by `build()`), it is just not the fast path.
 *
 * Terms tr(C X) with X a Hermitian block are written in hvec coordinates (the row holds
 * hvec(C)); a low-rank C = V diag(w) V^H is also passed to the solver as a hint when it is
 * the only term of its row on that block. Inequality rows (`le`, `ge`) get a slack
 * variable each; the slacks form one nonnegative block appended by `build()`.
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

/** A growable typed array (doubling). */
class Grow<T extends Float64Array | Int32Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.make(Math.max(16, 2 * this.data.length));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  /** Makes room for `extra` more entries (written directly into `data`, then `length` set). */
  reserve(extra: number): void {
    if (this.length + extra <= this.data.length) return;
    const next = this.make(Math.max(2 * this.data.length, this.length + extra));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

const floats = (n: number): Float64Array => new Float64Array(n);
const ints = (n: number): Int32Array => new Int32Array(n);

interface Hint extends LowRankHint {
  /** Terms on (row, cone) counted when the row was frozen. */
  terms: number;
}

/** Builds one standard-form conic problem row by row (see the file comment): blocks, rows, hints, then `build()`. */
export class ConicBuilder {
  private cones: Cone[] = [];
  private nvar = 0;
  private rhs: number[] = [];
  private cost = new Grow(floats(64), floats);
  // Frozen rows (CSR).
  private rowPtr = new Grow(ints(64), ints);
  private colIdx = new Grow(ints(1024), ints);
  private values = new Grow(floats(1024), floats);
  // The row being written: dense accumulator + touched columns + terms per cone.
  private current = -1;
  private acc = new Float64Array(0);
  private isTouched = new Uint8Array(0);
  private touched = new Grow(ints(256), ints);
  private coneTerms = new Int32Array(0);
  private conesTouched: number[] = [];
  private hintStart = 0;
  // Writes into rows that were already frozen (merged by build()).
  private late = { row: new Grow(ints(16), ints), col: new Grow(ints(16), ints), val: new Grow(floats(16), floats) };
  private lateTerms = new Map<string, number>();
  private hints: Hint[] = [];
  /** Slack per inequality row: sign (+1 for <=, -1 for >=). */
  private slackRows: number[] = [];
  private slackSign: number[] = [];
  /** Position in colIdx of each slack entry. */
  private slackPos: number[] = [];

  constructor() {
    this.rowPtr.push(0);
  }

  get variableCount(): number {
    return this.nvar;
  }
  get rowCount(): number {
    return this.rhs.length;
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
  /** Second-order cone {(t, u) : t >= ||u||} of dimension `dim` (t first). */
  addSoc(dim: number): BlockRef {
    return this.addCone({ kind: 'soc', dim }, dim, 1);
  }

  /** A new equality row `(terms) = rhs`; returns its index. */
  row(rhs: number): number {
    this.freeze();
    this.rhs.push(rhs);
    this.current = this.rhs.length - 1;
    this.hintStart = this.hints.length;
    return this.current;
  }

  /** A new inequality row `(terms) <= rhs` (a slack is added); returns its index. */
  le(rhs: number): number {
    const r = this.row(rhs);
    this.slackRows.push(r);
    this.slackSign.push(1);
    return r;
  }

  /** A new inequality row `(terms) >= rhs` (a surplus is subtracted); returns its index. */
  ge(rhs: number): number {
    const r = this.row(rhs);
    this.slackRows.push(r);
    this.slackSign.push(-1);
    return r;
  }

  /** Adds `value * x[col]` to row `r`. */
  add(r: number, col: number, value: number): void {
    if (value === 0) return;
    if (r !== this.current) {
      this.late.row.push(r);
      this.late.col.push(col);
      this.late.val.push(value);
      return;
    }
    if (col >= this.acc.length) this.growScratch(col + 1);
    if (!this.isTouched[col]) {
      this.isTouched[col] = 1;
      this.touched.push(col);
    }
    this.acc[col]! += value;
  }

  private growScratch(needed: number): void {
    const n = Math.max(needed, this.nvar, 2 * this.acc.length, 64);
    const acc = new Float64Array(n);
    acc.set(this.acc);
    const t = new Uint8Array(n);
    t.set(this.isTouched);
    this.acc = acc;
    this.isTouched = t;
  }

  private touch(r: number, block: BlockRef): void {
    if (r !== this.current) {
      const key = `${r}:${block.cone}`;
      this.lateTerms.set(key, (this.lateTerms.get(key) ?? 0) + 1);
      return;
    }
    if (block.cone >= this.coneTerms.length) {
      const t = new Int32Array(Math.max(2 * this.coneTerms.length, this.cones.length, 16));
      t.set(this.coneTerms);
      this.coneTerms = t;
    }
    if (this.coneTerms[block.cone]!++ === 0) this.conesTouched.push(block.cone);
  }

  /** Freezes the current row into CSR and resets the scratch. */
  private freeze(): void {
    if (this.current < 0) return;
    const count = this.touched.length;
    const hasSlack = this.slackRows.length > 0 && this.slackRows[this.slackRows.length - 1] === this.current;
    this.colIdx.reserve(count + 1);
    this.values.reserve(count + 1);
    const cols = this.colIdx.data;
    const vals = this.values.data;
    let p = this.colIdx.length;
    const list = this.touched.view();
    let lo = Infinity;
    let hi = -1;
    for (let i = 0; i < count; i++) {
      lo = Math.min(lo, list[i]!);
      hi = Math.max(hi, list[i]!);
    }
    const emit = (c: number): void => {
      cols[p] = c;
      vals[p++] = this.acc[c]!;
      this.acc[c] = 0;
      this.isTouched[c] = 0;
    };
    if (count * Math.log2(count + 2) > hi - lo) {
      // Dense row (e.g. an LMI entry touching every block): a scan is cheaper than a sort.
      for (let c = lo; c <= hi; c++) if (this.isTouched[c]) emit(c);
    } else {
      list.sort();
      for (let i = 0; i < count; i++) emit(list[i]!);
    }
    if (hasSlack) {
      // Placeholder: the slack's column is set by build() (the slack block comes last, so
      // the row stays sorted).
      this.slackPos.push(p);
      cols[p] = -1;
      vals[p++] = this.slackSign[this.slackSign.length - 1]!;
    }
    this.colIdx.length = p;
    this.values.length = p;
    this.touched.length = 0;
    this.rowPtr.push(p);
    for (let h = this.hintStart; h < this.hints.length; h++) this.hints[h]!.terms = this.coneTerms[this.hints[h]!.cone]!;
    for (const c of this.conesTouched) this.coneTerms[c] = 0;
    this.conesTouched.length = 0;
    this.current = -1;
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
    const n = block.n;
    for (let j = 0; j < n; j++) {
      this.add(r, block.offset + hvecIndex(n, j, j), scale * C[2 * (j * n + j)]!);
      for (let i = j + 1; i < n; i++) {
        const base = block.offset + hvecIndex(n, i, j);
        const e = 2 * (i * n + j);
        this.add(r, base, scale * SQRT2 * C[e]!);
        this.add(r, base + 1, scale * SQRT2 * C[e + 1]!);
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
    this.touch(r, block);
    // hvec(C): diagonal C_jj, then sqrt2 (Re, Im) of C_ij for i > j; C_ij = sum_q w_q v_i conj(v_j).
    for (let j = 0; j < n; j++) {
      let d = 0;
      for (let q = 0; q < rank; q++) {
        const col = 2 * n * q;
        d += w[q]! * (V[col + 2 * j]! * V[col + 2 * j]! + V[col + 2 * j + 1]! * V[col + 2 * j + 1]!);
      }
      const dj = block.offset + hvecDiagIndex(n, j);
      this.add(r, dj, scale * d);
      for (let i = j + 1; i < n; i++) {
        let re = 0;
        let im = 0;
        for (let q = 0; q < rank; q++) {
          const col = 2 * n * q;
          const vr = V[col + 2 * i]!;
          const vi = V[col + 2 * i + 1]!;
          const ur = V[col + 2 * j]!;
          const ui = V[col + 2 * j + 1]!;
          re += w[q]! * (vr * ur + vi * ui);
          im += w[q]! * (vi * ur - vr * ui);
        }
        const base = dj + 1 + 2 * (i - j - 1);
        this.add(r, base, scale * SQRT2 * re);
        this.add(r, base + 1, scale * SQRT2 * im);
      }
    }
    const weights = new Float64Array(rank);
    for (let q = 0; q < rank; q++) weights[q] = w[q]! * scale;
    this.hints.push({ row: r, cone: block.cone, rank, factors: V.slice(0, 2 * n * rank), weights, terms: 0 });
  }

  /** Adds `value` to the cost of x[col]. */
  addCost(col: number, value: number): void {
    while (this.cost.length <= col) this.cost.push(0);
    this.cost.data[col]! += value;
  }

  addCostTrace(block: BlockRef, scale: number): void {
    for (let j = 0; j < block.n; j++) {
      const idx = block.kind === 'hpsd' ? hvecIndex(block.n, j, j) : svecIndex(block.n, j, j);
      this.addCost(block.offset + idx, scale);
    }
  }

  build(): ConicProblem {
    this.freeze();
    const slackBlock = this.slackRows.length > 0 ? this.addNonneg(this.slackRows.length) : undefined;
    const m = this.rhs.length;
    let rowPtr: Int32Array = Int32Array.from(this.rowPtr.view());
    let colIdx: Int32Array = this.colIdx.view();
    let values: Float64Array = this.values.view();
    if (slackBlock) this.slackPos.forEach((pos, i) => (colIdx[pos] = slackBlock.offset + i));
    if (this.late.row.length > 0) ({ rowPtr, colIdx, values } = mergeLate(m, rowPtr, colIdx, values, this.late));
    const c = new Float64Array(this.nvar);
    c.set(this.cost.view().subarray(0, Math.min(this.cost.length, this.nvar)));
    const lowRank: LowRankHint[] = [];
    for (const h of this.hints) {
      const terms = h.terms + (this.lateTerms.get(`${h.row}:${h.cone}`) ?? 0);
      if (terms === 1) lowRank.push({ row: h.row, cone: h.cone, rank: h.rank, factors: h.factors, weights: h.weights });
    }
    return {
      c,
      A: { rows: m, cols: this.nvar, rowPtr, colIdx: colIdx.slice(), values: values.slice() },
      b: Float64Array.from(this.rhs),
      cones: this.cones.slice(),
      lowRank,
    };
  }
}

type Csr = { rowPtr: Int32Array; colIdx: Int32Array; values: Float64Array };

/** Merges writes into frozen rows (rare) into the CSR arrays, summing duplicates. */
function mergeLate(
  m: number,
  rowPtr: Int32Array,
  colIdx: Int32Array,
  values: Float64Array,
  late: { row: Grow<Int32Array>; col: Grow<Int32Array>; val: Grow<Float64Array> },
): Csr {
  const extra: Map<number, number>[] = Array.from({ length: m }, () => new Map());
  for (let e = 0; e < late.row.length; e++) {
    const mp = extra[late.row.data[e]!]!;
    const c = late.col.data[e];
    mp.set(c!, (mp.get(c!) ?? 0) + late.val.data[e]!);
  }
  const ptr = new Int32Array(m + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  for (let i = 0; i < m; i++) {
    const mp = extra[i]!;
    for (let p = rowPtr[i]; p! < rowPtr[i + 1]!; p!++) mp.set(colIdx[p!]!, (mp.get(colIdx[p!]!) ?? 0) + values[p!]!);
    const entries = [...mp.entries()].sort((a, b) => a[0] - b[0]);
    for (const [c, v] of entries) {
      cols.push(c);
      vals.push(v);
    }
    ptr[i + 1] = cols.length;
  }
  return { rowPtr: ptr, colIdx: Int32Array.from(cols), values: Float64Array.from(vals) };
}

/** Reads a Hermitian block of x (hvec) into interleaved row-major n x n. */
export function readHermitian(x: Float64Array, block: BlockRef): Float64Array {
  const n = block.n;
  const out = new Float64Array(2 * n * n);
  for (let j = 0; j < n; j++) {
    out[2 * (j * n + j)] = x[block.offset + hvecIndex(n, j, j)]!;
    for (let i = j + 1; i < n; i++) {
      const base = block.offset + hvecIndex(n, i, j);
      const re = x[base]! / SQRT2;
      const im = x[base + 1]! / SQRT2;
      out[2 * (i * n + j)] = re;
      out[2 * (i * n + j) + 1] = im;
      out[2 * (j * n + i)] = re;
      out[2 * (j * n + i) + 1] = -im;
    }
  }
  return out;
}
