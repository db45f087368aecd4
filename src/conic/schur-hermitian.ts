/**
 * Schur complement contribution of one native Hermitian PSD block: M_ij += tr(A_i G A_j G)
 * (real, as all matrices are Hermitian), with the same LR / F1 / F2 strategies as the
 * real blocks in schur.ts, in complex arithmetic. Each A_i is held as its lower
 * entries: A = sum_diag d E_pp + sum_{p>q} (v E_pq + conj(v) E_qp).
 */
import type { Prepared } from './prepare.ts';
import type { HpsdCone } from './cones/hpsd.ts';

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
  /** Low-rank vectors, rank x n complex (re, im interleaved per entry). */
  lrRe: Float64Array;
  lrIm: Float64Array;
  lrW: Float64Array;
  /** Non-zero entries of the row on this block (a hinted row's only counted, see the constructor); they order the rows. */
  nnz: number;
  strategy: number;
}

const ISQRT2 = Math.SQRT1_2;

/** One Hermitian block's contribution to the Schur complement, with the strategy (sparse or low-rank) chosen per block. */
export class HermitianBlockSchur {
  private readonly cone: number;
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
  private readonly uRe: Float64Array;
  private readonly uIm: Float64Array;
  /** Number of hinted rows (they come first in `rows`); hinted row a owns vectors vStart[a] .. vStart[a + 1] - 1. */
  private readonly nLr: number;
  private readonly vStart: Int32Array;

  constructor(P: Prepared, ci: number) {
    const k = P.cones[ci];
    const n = k.n;
    this.cone = ci;
    this.n = n;
    // hvec position -> (i, j, part)
    const posI = new Int32Array(k.dim);
    const posJ = new Int32Array(k.dim);
    const part = new Int8Array(k.dim);
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
    const lr = new Map<number, { re: number[]; im: number[]; w: number[] }>();
    for (const h of P.lowRank.get(ci) ?? []) {
      const e = lr.get(h.row) ?? { re: [], im: [], w: [] };
      for (let r = 0; r < h.rank; r++) {
        for (let i = 0; i < n; i++) {
          e.re.push(h.factors[2 * (r * n + i)]);
          e.im.push(h.factors[2 * (r * n + i) + 1]);
        }
        e.w.push(h.weights[r]);
      }
      lr.set(h.row, e);
    }
    // The entries of the rows without a hint, by position; a hinted row's entries are never
    // read (build takes its part from the hint), only their number, which orders the rows:
    // counted per position, without building them (most of the block's entries are hinted:
    // this was 4 % of a three-target solve).
    const perRow = new Map<number, Map<number, [number, number]> | { nnz: number; last: number }>();
    for (let u = 0; u < k.dim; u++) {
      const col = k.off + u;
      const key = posI[u] * n + posJ[u];
      for (let a = P.At.colPtr[col]; a < P.At.colPtr[col + 1]; a++) {
        const row = P.At.rowIdx[a];
        const val = P.At.values[a];
        let mp = perRow.get(row);
        if (!mp) perRow.set(row, (mp = lr.has(row) ? { nnz: 0, last: -1 } : new Map()));
        if (!(mp instanceof Map)) {
          // a position counts once, when either of its parts is non-zero (as the filter below)
          if ((part[u] === 0 ? val : val * ISQRT2) !== 0 && mp.last !== key) {
            mp.nnz++;
            mp.last = key;
          }
          continue;
        }
        const cur = mp.get(key) ?? [0, 0];
        if (part[u] === 0) cur[0] += val;
        else if (part[u] === 1) cur[0] += val * ISQRT2;
        else cur[1] += val * ISQRT2;
        mp.set(key, cur);
      }
    }
    for (const [row, mp] of perRow) {
      const ents = mp instanceof Map ? [...mp.entries()].filter(([, v]) => v[0] !== 0 || v[1] !== 0) : [];
      if (ents.length === 0 && !lr.has(row)) continue;
      const len = ents.length;
      const r: HRow = {
        row,
        p: new Int32Array(len),
        q: new Int32Array(len),
        vr: new Float64Array(len),
        vi: new Float64Array(len),
        rows: new Int32Array(0),
        ps: new Int32Array(len),
        qs: new Int32Array(len),
        lrRank: 0,
        lrRe: new Float64Array(0),
        lrIm: new Float64Array(0),
        lrW: new Float64Array(0),
        nnz: mp instanceof Map ? len : mp.nnz,
        strategy: 2,
      };
      const slot = new Map<number, number>();
      ents.forEach(([key, [a, b]], e) => {
        r.p[e] = Math.floor(key / n);
        r.q[e] = key % n;
        r.vr[e] = a;
        r.vi[e] = b;
        for (const x of [r.p[e], r.q[e]]) if (!slot.has(x)) slot.set(x, slot.size);
        r.ps[e] = slot.get(r.p[e])!;
        r.qs[e] = slot.get(r.q[e])!;
      });
      r.rows = Int32Array.from(slot.keys());
      const l = lr.get(row);
      if (l) {
        r.lrRank = l.w.length;
        r.lrRe = Float64Array.from(l.re);
        r.lrIm = Float64Array.from(l.im);
        r.lrW = Float64Array.from(l.w);
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
    this.Hr = new Float64Array(maxRank * n);
    this.Hi = new Float64Array(maxRank * n);
    this.Pr = new Float64Array(n * n);
    this.Pi = new Float64Array(n * n);
    let R = 0;
    let nLr = 0;
    for (const r of this.rows) {
      R += r.lrRank;
      if (r.lrRank > 0) nLr++;
    }
    this.nLr = nLr;
    this.vStart = new Int32Array(nLr + 1);
    for (let a = 0; a < nLr; a++) this.vStart[a + 1] = this.vStart[a] + this.rows[a].lrRank;
    this.vRe = new Float64Array(R * n);
    this.vIm = new Float64Array(R * n);
    this.vRow = new Int32Array(R);
    this.vW = new Float64Array(R);
    this.uRe = new Float64Array(R * n);
    this.uIm = new Float64Array(R * n);
    let v = 0;
    for (const r of this.rows) {
      for (let q = 0; q < r.lrRank; q++, v++) {
        this.vRe.set(r.lrRe.subarray(q * n, (q + 1) * n), v * n);
        this.vIm.set(r.lrIm.subarray(q * n, (q + 1) * n), v * n);
        this.vRow[v] = r.row;
        this.vW[v] = r.lrW[q];
      }
    }
  }

  /** The pairs of hinted rows: U = V G, then every pair of rows a <= b. */
  private lowRankPairs(M: Float64Array, m: number, Gr: Float64Array, Gi: Float64Array): void {
    const n = this.n;
    const R = this.vRow.length;
    const { vRe, vIm, uRe, uIm, vRow, vW } = this;
    // U_r = G v_r (G Hermitian: row s of G dotted with v_r)
    for (let r = 0; r < R; r++) {
      const o = r * n;
      for (let s = 0; s < n; s++) {
        const g = s * n;
        let sr = 0;
        let si = 0;
        for (let t = 0; t < n; t++) {
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
            let dr = 0;
            let di = 0;
            for (let t = 0; t < n; t++) {
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

  /** Adds this block's contributions to the lower triangle of M (m x m). */
  build(M: Float64Array, m: number, P: Prepared): void {
    const n = this.n;
    const cone = P.cones[this.cone].kernel as HpsdCone;
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
            sum += ri.lrW[r] * acc;
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

function addM(M: Float64Array, m: number, i: number, j: number, v: number): void {
  if (i >= j) M[i * m + j] += v;
  else M[j * m + i] += v;
}
