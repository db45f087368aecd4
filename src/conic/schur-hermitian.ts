/**
 * Schur complement contribution of one native Hermitian PSD block: M_ij += tr(A_i G A_j G)
 * (real, as all matrices are Hermitian), with the same LR / F1 / F2 strategies as the
 * real blocks in schur.ts, in complex arithmetic. Each A_i is held as its lower
 * entries: A = sum_diag d E_pp + sum_{p>q} (v E_pq + conj(v) E_qp).
 */
import type { Prepared } from './prepare.ts';
import type { LowRankHint } from './types.ts';
import type { ConeKernel } from './cones/cone.ts';
import { HpsdCone } from './cones/hpsd.ts';
import { Hpsd2Cone } from './cones/hpsd2.ts';
import { Arena } from '../linalg/arena.ts';
import type { ProgramWriter } from './schur-program.ts';

/** The kernels whose Schur complement this file builds: both expose the NT scaling point G (D(U) = G U G). */
export type HermitianKernel = HpsdCone | Hpsd2Cone;

export function isHermitianKernel(k: ConeKernel): k is HermitianKernel {
  return k instanceof HpsdCone || k instanceof Hpsd2Cone;
}

interface HRow {
  row: number;
  /** Entries p >= q with complex value (vr, vi) = A_pq (diagonal: real). */
  p: Int32Array;
  q: Int32Array;
  vr: Float64Array;
  vi: Float64Array;
  rows: Int32Array;
  ps: Int32Array;
  qs: Int32Array;
  lrRank: number;
  /** The row's low-rank hints on this block, in order (their vectors and weights go to vRe/vIm/vW). */
  lrHints: readonly LowRankHint[];
  /** Non-zero entries of the row on this block (a hinted row's only counted, see the constructor); they order the rows. */
  nnz: number;
  strategy: number;
}

const ISQRT2 = Math.SQRT1_2;
const NO_INTS = new Int32Array(0);
const NO_FLOATS = new Float64Array(0);
const NO_HINTS: readonly LowRankHint[] = [];

/** hvec position -> (i, j, part: 0 diagonal, 1 real, 2 imaginary) by order, made once per order (shared, read-only). */
const layouts: { posI: Int32Array; posJ: Int32Array; part: Int8Array }[] = [];
export function hvecLayout(n: number): { posI: Int32Array; posJ: Int32Array; part: Int8Array } {
  const hit = layouts[n];
  if (hit) return hit;
  const dim = n * n;
  const posI = new Int32Array(dim);
  const posJ = new Int32Array(dim);
  const part = new Int8Array(dim);
  let t = 0;
  for (let j = 0; j < n; j++) {
    posI[t] = j;
    posJ[t] = j;
    part[t++] = 0;
    for (let i = j + 1; i < n; i++) {
      posI[t] = i;
      posJ[t] = j;
      part[t++] = 1;
      posI[t] = i;
      posJ[t] = j;
      part[t++] = 2;
    }
  }
  return (layouts[n] = { posI, posJ, part });
}

/** The low-rank hints on one block by row, with each row's total rank (its hints' vectors taken in order). */
function hintsByRow(hints: readonly LowRankHint[]): Map<number, { rank: number; hints: LowRankHint[] }> {
  const out = new Map<number, { rank: number; hints: LowRankHint[] }>();
  for (const h of hints) {
    const prev = out.get(h.row);
    if (prev) {
      prev.rank += h.rank;
      prev.hints.push(h);
    } else out.set(h.row, { rank: h.rank, hints: [h] });
  }
  return out;
}

/** One Hermitian block's contribution to the Schur complement, with the strategy (sparse or low-rank) chosen per block. */
export class HermitianBlockSchur {
  private readonly kernel: HermitianKernel;
  private readonly n: number;
  private readonly rows: HRow[] = [];
  private Hr: Float64Array;
  private Hi: Float64Array;
  private readonly Pr: Float64Array;
  private readonly Pi: Float64Array;
  /**
   * Every low-rank vector of every hinted row, stacked (R x n complex): its row of M, its
   * weight, and U = V G at the current scaling, so that all pairs of hinted rows run over
   * flat arrays: M_ij += sum w_r w_s |v_s^H G v_r|^2 over r in row i, s in row j.
   */
  private readonly vRe: Float64Array;
  private readonly vIm: Float64Array;
  private readonly vRow: Int32Array;
  private readonly vW: Float64Array;
  /**
   * Leading length of each vector: its entries from vLen on are zero. The design SDPs order
   * each block's basis so that sensing moments live on its first coordinates
   * (design/subspace.ts), and then G v and v^H U cost n vLen and vLen instead of n^2 and n.
   */
  private readonly vLen: Int32Array;
  private readonly uRe: Float64Array;
  private readonly uIm: Float64Array;
  /** Number of hinted rows (they come first in `rows`); hinted row a owns vectors vStart[a] .. vStart[a + 1] - 1. */
  private readonly nLr: number;
  private readonly vStart: Int32Array;

  constructor(P: Prepared, ci: number) {
    const k = P.cones[ci];
    const n = k.n;
    if (!isHermitianKernel(k.kernel)) throw new Error(`cone ${ci} has no Hermitian kernel`);
    this.kernel = k.kernel;
    this.n = n;
    const { posI, posJ, part } = hvecLayout(n);
    const lr = hintsByRow(P.lowRank.get(ci) ?? []);
    // The entries of the rows without a hint, by position; a hinted row's entries are never
    // read (build takes its part from the hint), only their number, which orders the rows.
    // Two passes over the block's columns with typed arrays (per-row maps of entries made
    // this setup ~10 % of a design solve): count, then fill.
    const slot = rowSlotScratch(P.m);
    const { rows: rowsInOrder, nnz } = countRows(P, k.off, k.dim, posI, posJ, part, n, slot);
    const built: (HRow | null)[] = [];
    for (let sl = 0; sl < rowsInOrder.length; sl++) {
      const row = rowsInOrder[sl];
      // a hinted row keeps only its count (its entries are read from the hint)
      built.push(nnz[sl] === 0 && !lr.has(row) ? null : emptyRow(row, lr.has(row) ? 0 : nnz[sl], nnz[sl]));
    }
    fillEntries(P, k.off, k.dim, posI, posJ, part, n, slot, built);
    for (const row of rowsInOrder) slot[row] = -1;
    const indexSlot = new Int32Array(n).fill(-1);
    for (const r of built) {
      if (!r) continue;
      numberTouched(r, indexSlot);
      const l = lr.get(r.row);
      if (l) {
        r.lrRank = l.rank;
        r.lrHints = l.hints;
      }
      this.rows.push(r);
    }
    this.rows.sort((a, b) => (b.lrRank > 0 ? 1 : 0) - (a.lrRank > 0 ? 1 : 0) || b.nnz - a.nnz);
    let tail = 0;
    for (const r of this.rows) tail += r.nnz;
    for (const r of this.rows) {
      const nnz = r.nnz;
      if (r.lrRank > 0) r.strategy = 0;
      else {
        const f1 = Math.min(r.rows.length, n) * n * n * 2 + 8 * nnz * n + 4 * tail;
        const f2 = 8 * nnz * n + 4 * r.rows.length * tail;
        r.strategy = f1 < f2 ? 1 : 2;
      }
      tail -= nnz;
    }
    let maxRank = 1;
    for (const r of this.rows) maxRank = Math.max(maxRank, r.lrRank, r.rows.length);
    let R = 0;
    let nLr = 0;
    for (const r of this.rows) {
      R += r.lrRank;
      if (r.lrRank > 0) nLr++;
    }
    // the workspaces below from one block (src/linalg/arena.ts); int slots round up to doubles
    const arena = new Arena(2 * maxRank * n + 2 * n * n + 4 * R * n + 2 * R + nLr + 8);
    this.Hr = arena.f64(maxRank * n);
    this.Hi = arena.f64(maxRank * n);
    this.Pr = arena.f64(n * n);
    this.Pi = arena.f64(n * n);
    this.nLr = nLr;
    this.vStart = arena.i32(nLr + 1);
    for (let a = 0; a < nLr; a++) this.vStart[a + 1] = this.vStart[a] + this.rows[a].lrRank;
    this.vRe = arena.f64(R * n);
    this.vIm = arena.f64(R * n);
    this.vRow = arena.i32(R);
    this.vW = arena.f64(R);
    this.vLen = arena.i32(R);
    this.uRe = arena.f64(R * n);
    this.uIm = arena.f64(R * n);
    let v = 0;
    for (const r of this.rows) {
      for (const h of r.lrHints) {
        const f = h.factors;
        for (let q = 0; q < h.rank; q++, v++) {
          let len = 0;
          for (let i = 0; i < n; i++) {
            const re = f[2 * (q * n + i)];
            const im = f[2 * (q * n + i) + 1];
            this.vRe[v * n + i] = re;
            this.vIm[v * n + i] = im;
            if (re !== 0 || im !== 0) len = i + 1;
          }
          this.vRow[v] = r.row;
          this.vW[v] = h.weights[q];
          this.vLen[v] = len;
        }
      }
    }
  }

  /** The pairs of hinted rows: U = V G, then every pair of rows a <= b. */
  private lowRankPairs(M: Float64Array, m: number, Gr: Float64Array, Gi: Float64Array): void {
    const n = this.n;
    const R = this.vRow.length;
    const { vRe, vIm, uRe, uIm, vRow, vW, vLen } = this;
    // U_r = G v_r (G Hermitian: row s of G dotted with v_r)
    for (let r = 0; r < R; r++) {
      const o = r * n;
      const len = vLen[r];
      for (let s = 0; s < n; s++) {
        const g = s * n;
        let sr = 0;
        let si = 0;
        for (let t = 0; t < len; t++) {
          const gr = Gr[g + t];
          const gi = Gi[g + t];
          const ar = vRe[o + t];
          const ai = vIm[o + t];
          sr += gr * ar - gi * ai;
          si += gr * ai + gi * ar;
        }
        uRe[o + s] = sr;
        uIm[o + s] = si;
      }
    }
    // row pairs a <= b, summed exactly as tr(A_a G A_b G) = sum_{r in a, s in b} w_r w_s |v_s^H U_r|^2
    const vStart = this.vStart;
    const nLr = this.nLr;
    for (let a = 0; a < nLr; a++) {
      const i = vRow[vStart[a]];
      for (let b = a; b < nLr; b++) {
        let sum = 0;
        for (let r = vStart[a]; r < vStart[a + 1]; r++) {
          const o = r * n;
          const wr = vW[r];
          for (let q = vStart[b]; q < vStart[b + 1]; q++) {
            const p = q * n;
            const len = vLen[q];
            let dr = 0;
            let di = 0;
            for (let t = 0; t < len; t++) {
              const vr = vRe[p + t];
              const vi = vIm[p + t];
              const ur = uRe[o + t];
              const ui = uIm[o + t];
              dr += vr * ur + vi * ui;
              di += vr * ui - vi * ur;
            }
            sum += wr * vW[q] * (dr * dr + di * di);
          }
        }
        addM(M, m, i, vRow[vStart[b]], sum);
      }
    }
  }

  /** H = A_i G on the rows A_i touches (slot-indexed). */
  private aTimesG(ri: HRow, Gr: Float64Array, Gi: Float64Array): void {
    const n = this.n;
    const Hr = this.Hr;
    const Hi = this.Hi;
    Hr.fill(0, 0, ri.rows.length * n);
    Hi.fill(0, 0, ri.rows.length * n);
    for (let e = 0; e < ri.p.length; e++) {
      const a = ri.vr[e];
      const b = ri.vi[e];
      const p = ri.p[e];
      const q = ri.q[e];
      const hp = ri.ps[e] * n;
      if (p === q) {
        for (let t = 0; t < n; t++) {
          Hr[hp + t] += a * Gr[p * n + t];
          Hi[hp + t] += a * Gi[p * n + t];
        }
        continue;
      }
      const hq = ri.qs[e] * n;
      for (let t = 0; t < n; t++) {
        const gr = Gr[q * n + t];
        const gi = Gi[q * n + t];
        // row p += v G[q, :]
        Hr[hp + t] += a * gr - b * gi;
        Hi[hp + t] += a * gi + b * gr;
        const fr = Gr[p * n + t];
        const fi = Gi[p * n + t];
        // row q += conj(v) G[p, :]
        Hr[hq + t] += a * fr + b * fi;
        Hi[hq + t] += a * fi - b * fr;
      }
    }
  }

  /** This block in the layout of schur-program.ts (for the WebAssembly twin of `build`). */
  writeProgram(w: ProgramWriter): void {
    const n = this.n;
    const Rv = this.vRow.length;
    let gAt = 0;
    const head = () => {
      gAt = w.floatSlots(2 * n * n);
      return [
        n,
        this.rows.length,
        this.nLr,
        gAt,
        gAt + n * n,
        w.floatSlots(this.Hr.length),
        w.floatSlots(this.Hi.length),
        w.floatSlots(n * n),
        w.floatSlots(n * n),
        w.putInts(this.vStart),
        w.putFloats(this.vRe),
        w.putFloats(this.vIm),
        w.putInts(this.vRow),
        w.putFloats(this.vW),
        w.putInts(this.vLen),
        w.floatSlots(Rv * n),
        w.floatSlots(Rv * n),
        Rv,
      ];
    };
    const row = (r: HRow) => [
      r.row,
      r.strategy,
      r.p.length,
      w.putInts(r.p),
      w.putInts(r.q),
      w.putFloats(r.vr),
      w.putFloats(r.vi),
      r.rows.length,
      w.putInts(r.rows),
      w.putInts(r.ps),
      w.putInts(r.qs),
      r.lrRank,
    ];
    const header = w.table(20, 12, this.rows, head, row);
    w.block({ kind: 1, header, gAt, g: [this.kernel.G.re, this.kernel.G.im] });
  }

  /** Adds this block's contributions to the lower triangle of M (m x m). */
  build(M: Float64Array, m: number): void {
    const n = this.n;
    const cone = this.kernel;
    const Gr = cone.G.re;
    const Gi = cone.G.im;
    const rows = this.rows;
    const R = rows.length;
    if (this.nLr > 0) this.lowRankPairs(M, m, Gr, Gi);
    let vFirst = 0;
    for (let a = 0; a < R; a++) {
      const ri = rows[a];
      const i = ri.row;
      if (ri.strategy === 0) {
        // hinted row: the pairs with other hinted rows come from lowRankPairs; here only the
        // rows without a hint, sum_r w_r U_r^H A_j U_r with U_r = G v_r (rows of uRe/uIm)
        const rank = ri.lrRank;
        const Ur = this.uRe;
        const Ui = this.uIm;
        for (let b = this.nLr; b < R; b++) {
          const rj = rows[b];
          let sum = 0;
          for (let r = 0; r < rank; r++) {
            const o = (vFirst + r) * n;
            let acc = 0;
            for (let e = 0; e < rj.p.length; e++) {
              const p = rj.p[e];
              const q = rj.q[e];
              if (p === q) acc += rj.vr[e] * (Ur[o + p] * Ur[o + p] + Ui[o + p] * Ui[o + p]);
              else {
                // 2 Re(v conj(U_p) U_q)
                const cr = Ur[o + p] * Ur[o + q] + Ui[o + p] * Ui[o + q];
                const ci = Ur[o + p] * Ui[o + q] - Ui[o + p] * Ur[o + q];
                acc += 2 * (rj.vr[e] * cr - rj.vi[e] * ci);
              }
            }
            sum += this.vW[vFirst + r] * acc;
          }
          addM(M, m, i, rj.row, sum);
        }
        vFirst += rank;
        continue;
      }
      this.aTimesG(ri, Gr, Gi);
      const Hr = this.Hr;
      const Hi = this.Hi;
      const tr = ri.rows;
      const nr = tr.length;
      if (ri.strategy === 1) {
        // P = G H, upper triangle (r <= s): P_rs = sum_t G_rt H_ts
        const Pr = this.Pr;
        const Pi = this.Pi;
        Pr.fill(0);
        Pi.fill(0);
        for (let t = 0; t < nr; t++) {
          const gt = tr[t];
          const ht = t * n;
          for (let r = 0; r < n; r++) {
            const gr = Gr[r * n + gt];
            const gi = Gi[r * n + gt];
            if (gr === 0 && gi === 0) continue;
            const pr = r * n;
            for (let s = r; s < n; s++) {
              Pr[pr + s] += gr * Hr[ht + s] - gi * Hi[ht + s];
              Pi[pr + s] += gr * Hi[ht + s] + gi * Hr[ht + s];
            }
          }
        }
        for (let b = a; b < R; b++) {
          const rj = rows[b];
          let acc = 0;
          for (let e = 0; e < rj.p.length; e++) {
            const p = rj.p[e];
            const q = rj.q[e];
            // P_qp with q <= p is in the upper triangle
            if (p === q) acc += rj.vr[e] * Pr[p * n + p];
            else acc += 2 * (rj.vr[e] * Pr[q * n + p] - rj.vi[e] * Pi[q * n + p]);
          }
          addM(M, m, i, rj.row, acc);
        }
      } else {
        for (let b = a; b < R; b++) {
          const rj = rows[b];
          let acc = 0;
          for (let e = 0; e < rj.p.length; e++) {
            const p = rj.p[e];
            const q = rj.q[e];
            // P_qp = sum_t G_qt H_tp
            let sr = 0;
            let si = 0;
            for (let t = 0; t < nr; t++) {
              const gr = Gr[q * n + tr[t]];
              const gi = Gi[q * n + tr[t]];
              const hr = Hr[t * n + p];
              const hi = Hi[t * n + p];
              sr += gr * hr - gi * hi;
              si += gr * hi + gi * hr;
            }
            if (p === q) acc += rj.vr[e] * sr;
            else acc += 2 * (rj.vr[e] * sr - rj.vi[e] * si);
          }
          addM(M, m, i, rj.row, acc);
        }
      }
    }
  }
}

/** Row -> slot scratch shared by every block's setup: grown on demand, all -1 between uses. */
let rowSlot = new Int32Array(0);
function rowSlotScratch(m: number): Int32Array {
  if (rowSlot.length < m) rowSlot = new Int32Array(m).fill(-1);
  return rowSlot;
}

/**
 * The rows with an entry on the block [off, off + dim), in order of first appearance (by
 * position, then by row), each given its index in `slot`; and per row the number of
 * matrix positions (i >= j) with a non-zero part.
 */
function countRows(P: Prepared, off: number, dim: number, posI: Int32Array, posJ: Int32Array, part: Int8Array, n: number, slot: Int32Array) {
  const rows: number[] = [];
  const nnz: number[] = [];
  const last: number[] = [];
  const { colPtr, rowIdx, values } = P.At;
  for (let u = 0; u < dim; u++) {
    const key = posI[u] * n + posJ[u];
    for (let a = colPtr[off + u]; a < colPtr[off + u + 1]; a++) {
      const row = rowIdx[a];
      let sl = slot[row];
      if (sl < 0) {
        sl = slot[row] = rows.length;
        rows.push(row);
        nnz.push(0);
        last.push(-1);
      }
      // a position counts once, when either of its parts is non-zero
      if ((part[u] === 0 ? values[a] : values[a] * ISQRT2) !== 0 && last[sl] !== key) {
        nnz[sl]++;
        last[sl] = key;
      }
    }
  }
  return { rows, nnz };
}

/** A row with room for `len` entries (0: shared empty arrays) and `nnz` counted positions. */
function emptyRow(row: number, len: number, nnz: number): HRow {
  const ints = len === 0 ? NO_INTS : null;
  const floats = len === 0 ? NO_FLOATS : null;
  return {
    row,
    p: ints ?? new Int32Array(len),
    q: ints ?? new Int32Array(len),
    vr: floats ?? new Float64Array(len),
    vi: floats ?? new Float64Array(len),
    rows: NO_INTS,
    ps: ints ?? new Int32Array(len),
    qs: ints ?? new Int32Array(len),
    lrRank: 0,
    lrHints: NO_HINTS,
    nnz,
    strategy: 2,
  };
}

/** fillEntries' per-row counters, shared by every block's setup (grown on demand). */
let fillScratch = new Int32Array(0);
let keyScratch = new Int32Array(0);

/** The entries (p >= q, complex value) of the rows that hold them, in order of position. */
function fillEntries(
  P: Prepared,
  off: number,
  dim: number,
  posI: Int32Array,
  posJ: Int32Array,
  part: Int8Array,
  n: number,
  slot: Int32Array,
  built: (HRow | null)[],
): void {
  if (fillScratch.length < built.length) fillScratch = new Int32Array(2 * built.length);
  if (keyScratch.length < built.length) keyScratch = new Int32Array(2 * built.length);
  const fill = fillScratch.fill(0, 0, built.length);
  const lastKey = keyScratch.fill(-1, 0, built.length);
  const { colPtr, rowIdx, values } = P.At;
  for (let u = 0; u < dim; u++) {
    const key = posI[u] * n + posJ[u];
    for (let a = colPtr[off + u]; a < colPtr[off + u + 1]; a++) {
      const sl = slot[rowIdx[a]];
      const r = built[sl];
      if (!r || r.p.length === 0) continue;
      const v = part[u] === 0 ? values[a] : values[a] * ISQRT2;
      if (v === 0) continue;
      if (lastKey[sl] !== key) {
        lastKey[sl] = key;
        r.p[fill[sl]] = posI[u];
        r.q[fill[sl]] = posJ[u];
        fill[sl]++;
      }
      if (part[u] === 2) r.vi[fill[sl] - 1] += v;
      else r.vr[fill[sl] - 1] += v;
    }
  }
}

/** The matrix rows a row's entries touch, numbered in order of first appearance (ps, qs, rows). */
function numberTouched(r: HRow, indexSlot: Int32Array): void {
  if (r.p.length === 0) return;
  const touched: number[] = [];
  for (let e = 0; e < r.p.length; e++) {
    const p = r.p[e];
    const q = r.q[e];
    if (indexSlot[p] < 0) indexSlot[p] = touched.push(p) - 1;
    if (indexSlot[q] < 0) indexSlot[q] = touched.push(q) - 1;
    r.ps[e] = indexSlot[p];
    r.qs[e] = indexSlot[q];
  }
  r.rows = Int32Array.from(touched);
  for (const x of touched) indexSlot[x] = -1;
}

function addM(M: Float64Array, m: number, i: number, j: number, v: number): void {
  if (i >= j) M[i * m + j] += v;
  else M[j * m + i] += v;
}
