/**
 * Builds the Schur complement (normal equations) M = A D A^T, m x m, block by block
 * (CSDP/SDPA style), into the lower triangle of a dense row-major matrix.
 *
 * - nonneg: M += sum_k d_k a_k a_k^T over the columns k (pairs of nonzeros only).
 * - soc:    D = eta^{-2} (2 v v^T - J), v = J w: the J part like nonneg columns,
 *           plus a rank-one term on the rows touching the cone.
 * - psd/hpsd (order N, hpsd through the real embedding with a factor 1/2):
 *           M_ij += tr(A_i G A_j G), per constraint row i one of
 *     LR: A_i = sum_r w_r v_r v_r^T given: U_r = G v_r, then
 *         tr(A_i G A_j G) = sum_r w_r U_r^T A_j U_r  or, A_j low-rank too,
 *         sum_{r,s} w_r w'_s (U_r . v'_s)^2;
 *     F1: dense P = G A_i G (|rows(A_i)| N^2 flops), then tr(A_j P) from A_j's entries;
 *     F2: H = A_i G on the rows A_i touches only, and
 *         (G A_i G)_pq = sum_{t in rows(A_i)} G_tp H_tq only where A_j has entries.
 *   The choice is by an operation count, as in SDPA. Dense n^2 x n^2 matrices are never formed.
 */
import type { Prepared } from './prepare.ts';
import type { NonnegCone } from './cones/nonneg.ts';
import type { SocCone } from './cones/soc.ts';
import type { PsdCone } from './cones/psd.ts';
import { svecIndex } from './vec.ts';
import { HermitianBlockSchur, hvecLayout, isHermitianKernel } from './schur-hermitian.ts';
import { ProgramWriter, type SchurProgram } from './schur-program.ts';
import { writePsdBlockWasm } from './schur-program-wasm.ts';

/** One constraint row restricted to a matrix cone, as entries of the symmetric N x N matrix. */
interface BlockRow {
  row: number;
  /** Entries p <= q of the (embedded) matrix; `v` holds A_pq times 1/2 on the diagonal, so A = sum v (E_pq + E_qp). */
  p: Int32Array;
  q: Int32Array;
  v: Float64Array;
  /** Distinct matrix rows touched, and for each entry the slot of p and q in that list. */
  rows: Int32Array;
  ps: Int32Array;
  qs: Int32Array;
  /** Low-rank form, vectors of length N stacked. */
  lrRank: number;
  lrVec: Float64Array;
  lrW: Float64Array;
  /** Strategy: 0 = LR, 1 = F1 dense, 2 = F2 sparse. */
  strategy: number;
}

interface PsdBlock {
  cone: number;
  N: number;
  scale: number;
  rows: BlockRow[];
}

interface DiagCol {
  /** Internal column index; its weight comes from the cone. */
  col: number;
  cone: number;
  /** Position inside its cone. */
  pos: number;
}

interface SocBlock {
  cone: number;
  off: number;
  dim: number;
  /** Rows of A touching the cone (sorted). */
  rows: Int32Array;
}

const SQRT1_2 = Math.SQRT1_2;
/** The low-rank vectors and weights of a row without a hint (shared: nothing writes to an empty array). */
const NONE = new Float64Array(0);

/** Assembles the Schur complement M = A D A^T cone by cone, with the sparse (CSDP-style) or low-rank formula per block. */
export class SchurBuilder {
  private readonly m: number;
  private readonly P: Prepared;
  private readonly diagCols: DiagCol[] = [];
  private readonly socs: SocBlock[] = [];
  /** The real (and embedded Hermitian) PSD cones; their blocks are made when first needed (`psds`). */
  private readonly psdCones: number[] = [];
  private psdBlocks: PsdBlock[] | null = null;
  private readonly herms: HermitianBlockSchur[] = [];
  private readonly u: Float64Array;
  private work: Float64Array;
  private work2: Float64Array;

  constructor(P: Prepared) {
    this.P = P;
    this.m = P.m;
    this.u = new Float64Array(P.m);
    let maxN = 1;
    let maxDim = 1;
    P.cones.forEach((k, ci) => {
      if (k.kind === 'nonneg') {
        for (let t = 0; t < k.dim; t++) this.diagCols.push({ col: k.off + t, cone: ci, pos: t });
      } else if (k.kind === 'soc') {
        for (let t = 0; t < k.dim; t++) this.diagCols.push({ col: k.off + t, cone: ci, pos: t });
        const rows = new Set<number>();
        for (let t = 0; t < k.dim; t++) {
          for (let a = P.At.colPtr[k.off + t]; a < P.At.colPtr[k.off + t + 1]; a++) rows.add(P.At.rowIdx[a]);
        }
        this.socs.push({ cone: ci, off: k.off, dim: k.dim, rows: Int32Array.from([...rows].sort((a, b) => a - b)) });
        maxDim = Math.max(maxDim, k.dim);
      } else if (isHermitianKernel(k.kernel)) {
        this.herms.push(new HermitianBlockSchur(P, ci));
      } else {
        this.psdCones.push(ci);
        maxN = Math.max(maxN, k.kind === 'hpsd' ? 2 * k.n : k.n);
      }
    });
    this.work = new Float64Array(maxN * maxN);
    this.work2 = new Float64Array(maxN * maxN);
  }

  /**
   * The PSD blocks' rows for the TypeScript assembly, made on first use: when the program runs
   * in WebAssembly, the real blocks are written there without them (schur-program-wasm.ts).
   */
  private get psds(): PsdBlock[] {
    return (this.psdBlocks ??= this.psdCones.map((ci) => this.buildPsdBlock(ci)));
  }

  private buildPsdBlock(ci: number): PsdBlock {
    const P = this.P;
    const k = P.cones[ci];
    const n = k.n;
    const complex = k.kind === 'hpsd';
    const N = complex ? 2 * n : n;
    const E = blockEntries(P, ci, complex);
    const hints = P.lowRank.get(ci) ?? [];
    const lr = new Map<number, { vec: Float64Array; w: Float64Array; rank: number }>();
    for (const h of hints) {
      // complex vector v -> a = [Re; Im], b = [-Im; Re]: E(v v^H) = a a^T + b b^T
      const rank = complex ? 2 * h.rank : h.rank;
      const vec = new Float64Array(rank * N);
      const w = new Float64Array(rank);
      for (let r = 0; r < h.rank; r++) {
        if (complex) {
          for (let i = 0; i < n; i++) {
            const re = h.factors[2 * (r * n + i)];
            const im = h.factors[2 * (r * n + i) + 1];
            vec[2 * r * N + i] = re;
            vec[2 * r * N + n + i] = im;
            vec[(2 * r + 1) * N + i] = -im;
            vec[(2 * r + 1) * N + n + i] = re;
          }
          w[2 * r] = h.weights[r];
          w[2 * r + 1] = h.weights[r];
        } else {
          for (let i = 0; i < n; i++) vec[r * N + i] = h.factors[r * n + i];
          w[r] = h.weights[r];
        }
      }
      const prev = lr.get(h.row);
      if (prev) {
        // several hints for one row: concatenate
        const v2 = new Float64Array(prev.vec.length + vec.length);
        v2.set(prev.vec);
        v2.set(vec, prev.vec.length);
        const w2 = new Float64Array(prev.w.length + w.length);
        w2.set(prev.w);
        w2.set(w, prev.w.length);
        lr.set(h.row, { vec: v2, w: w2, rank: prev.rank + rank });
      } else lr.set(h.row, { vec, w, rank });
    }
    const rows: BlockRow[] = [];
    const slotOf = new Int32Array(N).fill(-1);
    const touched = new Int32Array(N);
    for (let r = 0; r < E.rows.length; r++) {
      const row = E.rows[r];
      const from = E.start[r];
      const to = E.start[r + 1];
      let count = 0;
      for (let e = from; e < to; e++) if (E.v[e] !== 0) count++;
      if (count === 0 && !lr.has(row)) continue;
      const p = new Int32Array(count);
      const q = new Int32Array(count);
      const v = new Float64Array(count);
      const ps = new Int32Array(count);
      const qs = new Int32Array(count);
      let slots = 0;
      let e = 0;
      for (let f = from; f < to; f++) {
        const val = E.v[f];
        if (val === 0) continue;
        const a = E.p[f];
        const b = E.q[f];
        p[e] = a;
        q[e] = b;
        v[e] = a === b ? 0.5 * val : val;
        if (slotOf[a] < 0) slotOf[(touched[slots++] = a)] = slots - 1;
        if (slotOf[b] < 0) slotOf[(touched[slots++] = b)] = slots - 1;
        ps[e] = slotOf[a];
        qs[e++] = slotOf[b];
      }
      const matrixRows = touched.slice(0, slots);
      for (let t = 0; t < slots; t++) slotOf[touched[t]] = -1;
      const l = lr.get(row);
      rows.push({
        row,
        p,
        q,
        v,
        ps,
        qs,
        rows: matrixRows,
        lrRank: l ? l.rank : 0,
        lrVec: l ? l.vec : NONE,
        lrW: l ? l.w : NONE,
        strategy: 2,
      });
    }
    // low-rank rows first, then by decreasing number of entries (SDPA's ordering)
    rows.sort((a, b) => (b.lrRank > 0 ? 1 : 0) - (a.lrRank > 0 ? 1 : 0) || b.p.length - a.p.length);
    let tail = 0;
    for (const r of rows) tail += r.p.length;
    for (const r of rows) {
      const nnz = r.p.length;
      if (r.lrRank > 0) r.strategy = 0;
      else {
        const f1 = Math.min(r.rows.length, N) * N * N * 0.5 + 2 * nnz * N + tail;
        const f2 = 2 * nnz * N + r.rows.length * tail;
        r.strategy = f1 < f2 ? 1 : 2;
      }
      tail -= nnz;
    }
    return { cone: ci, N, scale: complex ? 0.5 : 1, rows };
  }

  /** Fills the lower triangle of M (row-major m x m) with A D A^T at the current scaling. */
  build(M: Float64Array): void {
    this.buildRest(M);
    for (const pb of this.psds) this.psdBlock(M, pb);
    for (const hb of this.herms) hb.build(M, this.m);
  }

  /**
   * The matrix cones' blocks for their WebAssembly twins (schur-program.ts), which add them
   * after `buildRest` in the order `build` does (real blocks, then Hermitian ones), so the
   * sums are the same; null when there are none.
   */
  program(): SchurProgram | null {
    if (this.psdCones.length + this.herms.length === 0) return null;
    const w = new ProgramWriter();
    this.psdCones.forEach((ci, q) => {
      const k = this.P.cones[ci];
      const G = (k.kernel as PsdCone).G;
      // a real block without hints straight from A^T in WebAssembly; the others from their rows
      const inWasm = k.kind === 'psd' && !this.P.lowRank.has(ci) ? writePsdBlockWasm(w, this.P.At, k.off, k.dim, k.n, this.m) : null;
      if (inWasm) w.block({ kind: 0, header: inWasm.header, gAt: inWasm.gAt, g: [G] });
      else writePsdBlock(w, this.psds[q], G);
    });
    for (const hb of this.herms) hb.writeProgram(w);
    return w.finish();
  }

  /** M = 0, then the nonnegative and second-order cones' part (what `program` leaves out). */
  buildRest(M: Float64Array): void {
    const m = this.m;
    M.fill(0);
    const P = this.P;
    const { colPtr, rowIdx, values } = P.At;
    // nonneg columns and the -J part of the SOC blocks
    for (const dc of this.diagCols) {
      const k = P.cones[dc.cone];
      let d: number;
      if (k.kind === 'nonneg') d = (k.kernel as NonnegCone).weight(dc.pos);
      else {
        const e = (k.kernel as SocCone).eta;
        d = (dc.pos === 0 ? -1 : 1) / (e * e);
      }
      const a0 = colPtr[dc.col];
      const a1 = colPtr[dc.col + 1];
      for (let a = a0; a < a1; a++) {
        const ra = rowIdx[a];
        const va = d * values[a];
        const base = ra * m;
        for (let b = a0; b <= a; b++) M[base + rowIdx[b]] += va * values[b];
      }
    }
    for (const sb of this.socs) this.socRankOne(M, sb);
  }

  private socRankOne(M: Float64Array, sb: SocBlock): void {
    const m = this.m;
    const P = this.P;
    const cone = P.cones[sb.cone].kernel as SocCone;
    const { colPtr, rowIdx, values } = P.At;
    const u = this.u;
    for (const r of sb.rows) u[r] = 0;
    for (let t = 0; t < sb.dim; t++) {
      const vt = t === 0 ? cone.w[0] : -cone.w[t];
      for (let a = colPtr[sb.off + t]; a < colPtr[sb.off + t + 1]; a++) u[rowIdx[a]] += values[a] * vt;
    }
    const s = 2 / (cone.eta * cone.eta);
    const rows = sb.rows;
    for (let a = 0; a < rows.length; a++) {
      const ua = s * u[rows[a]];
      const base = rows[a] * m;
      for (let b = 0; b <= a; b++) M[base + rows[b]] += ua * u[rows[b]];
    }
  }

  private psdBlock(M: Float64Array, pb: PsdBlock): void {
    const m = this.m;
    const N = pb.N;
    const G = (this.P.cones[pb.cone].kernel as PsdCone).G;
    const rows = pb.rows;
    const R = rows.length;
    const scale = pb.scale;
    for (let a = 0; a < R; a++) {
      const ri = rows[a];
      const i = ri.row;
      if (ri.strategy === 0) {
        const rank = ri.lrRank;
        if (this.work.length < rank * N) this.work = new Float64Array(rank * N);
        const U = this.work;
        // U_r = G v_r
        for (let r = 0; r < rank; r++) {
          for (let s = 0; s < N; s++) {
            let acc = 0;
            for (let t = 0; t < N; t++) acc += G[s * N + t] * ri.lrVec[r * N + t];
            U[r * N + s] = acc;
          }
        }
        for (let b = a; b < R; b++) {
          const rj = rows[b];
          let sum = 0;
          if (rj.lrRank > 0) {
            for (let r = 0; r < rank; r++) {
              const wr = ri.lrW[r];
              for (let s = 0; s < rj.lrRank; s++) {
                let d = 0;
                for (let t = 0; t < N; t++) d += U[r * N + t] * rj.lrVec[s * N + t];
                sum += wr * rj.lrW[s] * d * d;
              }
            }
          } else {
            for (let r = 0; r < rank; r++) {
              let acc = 0;
              const o = r * N;
              for (let e = 0; e < rj.p.length; e++) acc += rj.v[e] * U[o + rj.p[e]] * U[o + rj.q[e]];
              sum += 2 * ri.lrW[r] * acc;
            }
          }
          addM(M, m, i, rj.row, scale * sum);
        }
      } else if (ri.strategy === 1) {
        const Pm = this.densePGAG(ri, G, N);
        for (let b = a; b < R; b++) {
          const rj = rows[b];
          let acc = 0;
          for (let e = 0; e < rj.p.length; e++) acc += rj.v[e] * Pm[rj.p[e] * N + rj.q[e]];
          addM(M, m, i, rj.row, 2 * scale * acc);
        }
      } else {
        const nr = ri.rows.length;
        const H = this.sparseTimesG(ri, G, N);
        const tr = ri.rows;
        for (let b = a; b < R; b++) {
          const rj = rows[b];
          let acc = 0;
          for (let f = 0; f < rj.p.length; f++) {
            const pp = rj.p[f];
            const qq = rj.q[f];
            // (G A_i G)_{pp,qq} = sum_t G[t][pp] H[t][qq]
            let s = 0;
            for (let t = 0; t < nr; t++) s += G[tr[t] * N + pp] * H[t * N + qq];
            acc += rj.v[f] * s;
          }
          addM(M, m, i, rj.row, 2 * scale * acc);
        }
      }
    }
  }

  /** H = A_i G on the rows A_i touches only (row slot t holds row ri.rows[t]); in this.work. */
  private sparseTimesG(ri: BlockRow, G: Float64Array, N: number): Float64Array {
    const nr = ri.rows.length;
    if (this.work.length < nr * N) this.work = new Float64Array(nr * N);
    const H = this.work;
    H.fill(0, 0, nr * N);
    for (let e = 0; e < ri.p.length; e++) {
      const ve = ri.v[e];
      const hp = ri.ps[e] * N;
      const hq = ri.qs[e] * N;
      const gp = ri.p[e] * N;
      const gq = ri.q[e] * N;
      for (let t = 0; t < N; t++) {
        H[hp + t] += ve * G[gq + t];
        H[hq + t] += ve * G[gp + t];
      }
    }
    return H;
  }

  /** Upper triangle (and diagonal) of P = G A_i G, dense N x N. */
  private densePGAG(ri: BlockRow, G: Float64Array, N: number): Float64Array {
    const nr = ri.rows.length;
    if (this.work2.length < N * N) this.work2 = new Float64Array(N * N);
    const H = this.sparseTimesG(ri, G, N);
    const Pm = this.work2;
    Pm.fill(0, 0, N * N);
    // P = sum_t G[:, t] H[t, :], upper triangle only
    for (let t = 0; t < nr; t++) {
      const gt = ri.rows[t] * N;
      const ht = t * N;
      for (let r = 0; r < N; r++) {
        const g = G[gt + r];
        if (g === 0) continue;
        const pr = r * N;
        for (let s = r; s < N; s++) Pm[pr + s] += g * H[ht + s];
      }
    }
    return Pm;
  }
}

/** A real block in the layout of schur-program.ts. */
function writePsdBlock(w: ProgramWriter, pb: PsdBlock, G: Float64Array): void {
  const N = pb.N;
  let work = 1;
  for (const r of pb.rows) work = Math.max(work, r.lrRank * N, r.rows.length * N);
  let gAt = 0;
  const head = () => {
    gAt = w.floatSlots(N * N);
    return [N, pb.rows.length, gAt, w.floatSlots(work), w.floatSlots(N * N), w.putFloats(Float64Array.of(pb.scale))];
  };
  const row = (r: BlockRow) => [
    r.row,
    r.strategy,
    r.p.length,
    w.putInts(r.p),
    w.putInts(r.q),
    w.putFloats(r.v),
    r.rows.length,
    w.putInts(r.rows),
    w.putInts(r.ps),
    w.putInts(r.qs),
    r.lrRank,
    w.putFloats(r.lrVec),
    w.putFloats(r.lrW),
  ];
  const header = w.table(8, 13, pb.rows, head, row);
  w.block({ kind: 0, header, gAt, g: [G] });
}

function addM(M: Float64Array, m: number, i: number, j: number, v: number): void {
  if (i >= j) M[i * m + j] += v;
  else M[j * m + i] += v;
}

/**
 * The entries of every constraint row on matrix cone ci, as entries p <= q of the (embedded)
 * N x N matrix: rows in the order their first entry appears in the cone's columns, and each
 * row's entries in that order too (the order the sums of the Schur blocks are taken in). A
 * position of a row's svec / hvec maps to distinct matrix entries (prepare has merged
 * duplicate columns), so nothing is summed here. Typed arrays filled by counting, not a map per
 * row: this runs once per solve, interpreted in a fresh process (SDPLIB infd1's 5,115
 * entries took ~8 of its ~17 ms of set-up through maps and closures).
 */
function blockEntries(P: Prepared, ci: number, complex: boolean) {
  const k = P.cones[ci];
  const n = k.n;
  const { colPtr, rowIdx, values } = P.At;
  const { posI, posJ, part } = complex ? hvecLayout(n) : svecLayout(n);
  // a position's entries in the embedding: one (real) or two (complex)
  const per = complex ? 2 : 1;
  const rank = new Int32Array(P.m).fill(-1);
  const order: number[] = [];
  const count: number[] = [];
  for (let t = 0; t < k.dim; t++) {
    for (let a = colPtr[k.off + t]; a < colPtr[k.off + t + 1]; a++) {
      const row = rowIdx[a];
      if (rank[row] < 0) {
        rank[row] = order.length;
        order.push(row);
        count.push(0);
      }
      count[rank[row]] += per;
    }
  }
  const start = new Int32Array(order.length + 1);
  for (let r = 0; r < order.length; r++) start[r + 1] = start[r] + count[r];
  const fill = start.slice(0, order.length);
  const total = start[order.length];
  const p = new Int32Array(total);
  const q = new Int32Array(total);
  const v = new Float64Array(total);
  const put = (r: number, a: number, b: number, val: number) => {
    const e = fill[r]++;
    p[e] = Math.min(a, b);
    q[e] = Math.max(a, b);
    v[e] = val;
  };
  for (let t = 0; t < k.dim; t++) {
    const i = posI[t];
    const j = posJ[t];
    for (let a = colPtr[k.off + t]; a < colPtr[k.off + t + 1]; a++) {
      const r = rank[rowIdx[a]];
      const val = values[a];
      if (part[t] === 0) {
        put(r, i, i, val);
        if (complex) put(r, i + n, i + n, val);
      } else if (part[t] === 1) {
        const x = val * SQRT1_2;
        put(r, i, j, x);
        if (complex) put(r, i + n, j + n, x);
      } else {
        // X_ij = a + i b (i > j) embeds as E[j][i+n] = b, E[i][j+n] = -b
        const x = val * SQRT1_2;
        put(r, j, i + n, x);
        put(r, i, j + n, -x);
      }
    }
  }
  return { rows: Int32Array.from(order), start, p, q, v };
}

/** svec position -> (i, j, part: 0 diagonal, 1 off-diagonal) of a real symmetric n x n block. */
function svecLayout(n: number): { posI: Int32Array; posJ: Int32Array; part: Int8Array } {
  const dim = (n * (n + 1)) / 2;
  const posI = new Int32Array(dim);
  const posJ = new Int32Array(dim);
  const part = new Int8Array(dim);
  for (let j = 0; j < n; j++)
    for (let i = j; i < n; i++) {
      const t = svecIndex(n, i, j);
      posI[t] = i;
      posJ[t] = j;
      part[t] = i === j ? 0 : 1;
    }
  return { posI, posJ, part };
}
