/**
 * Cholesky factorisation of a symmetric matrix whose zero pattern is known in advance and
 * does not change between factorisations: the Schur complement A D A^T of a conic problem,
 * where rows i and j can only interact when they touch a common cone (or a common column of
 * a nonnegative cone). With several targets, for example, the rows that pin one target's
 * LMI block meet only that block, so most of M is structurally zero.
 *
 * `plan` orders the rows by minimum degree on that pattern and computes the pattern of the
 * factor once (symbolic elimination); `factor` then works only on those entries. Storage is
 * dense (m x m, in the permuted order), so no index arithmetic sits inside the dot products
 * beyond the row pattern lists. Dependent rows are handled as in `choleskyNormal`: a pivot
 * below `tiny` times its own diagonal entry is replaced by a huge value.
 */
import { opCounts } from './op-counts.ts';

export class PatternCholesky {
  readonly m: number;
  /** New position -> original row, and original row -> new position. */
  readonly perm: Int32Array;
  readonly inv: Int32Array;
  /** Strictly lower pattern of each row of L (new indices, ascending). */
  readonly rowPtr: Int32Array;
  readonly cols: Int32Array;
  /** Pattern of M in the original order (each row ascending, diagonal included). */
  readonly mRowPtr: Int32Array;
  readonly mCols: Int32Array;
  /** Multiply-adds of one factorisation (for the decision against the dense kernel). */
  readonly flops: number;
  /**
   * The factor, dense row-major in the permuted order (only pattern entries are ever
   * non-zero), and the solves' work vector: made at the first factorisation (none when the
   * normal equations run in WebAssembly, src/conic/kkt-wasm.ts).
   */
  private L = new Float64Array(0);
  private w = new Float64Array(0);

  private constructor(m: number, perm: Int32Array, rowPtr: Int32Array, cols: Int32Array, mRowPtr: Int32Array, mCols: Int32Array, flops: number) {
    this.m = m;
    this.perm = perm;
    this.inv = new Int32Array(m);
    for (let i = 0; i < m; i++) this.inv[perm[i]] = i;
    this.rowPtr = rowPtr;
    this.cols = cols;
    this.mRowPtr = mRowPtr;
    this.mCols = mCols;
    this.flops = flops;
  }

  /**
   * Plans the factorisation of an m x m matrix whose non-zeros lie in the union of the
   * given cliques (sets of rows that may all interact). Returns null when the pattern is
   * too dense for the sparse path to pay (more than `maxRatio` of the dense kernel's work).
   */
  static plan(m: number, cliques: readonly Int32Array[], maxRatio = 0.4): PatternCholesky | null {
    const key = patternKey(m, cliques, maxRatio);
    const hit = PLANS.lookup(key);
    if (hit !== undefined) return hit === null ? null : hit.fresh();
    const planned = PatternCholesky.planAnew(m, cliques, maxRatio);
    PLANS.store(key, planned);
    return planned === null ? null : planned.fresh();
  }

  /** A factorisation with this one's symbolic structure (shared, read-only) and its own numeric buffers. */
  private fresh(): PatternCholesky {
    return new PatternCholesky(this.m, this.perm, this.rowPtr, this.cols, this.mRowPtr, this.mCols, this.flops);
  }

  /** The minimum-degree ordering and symbolic elimination (plan without the cache), without numeric buffers. */
  private static planAnew(m: number, cliques: readonly Int32Array[], maxRatio: number): PatternCholesky | null {
    // M holds every pair of a clique: one clique this large already makes it dense (below),
    // known before the m^2 pairs are visited (a fresh process visits them interpreted: 2.6-4 ms
    // of SDPLIB theta1's and qap6's first solve, for the answer "dense")
    if (m < 8) return null;
    for (let k = 0; k < cliques.length; k++) if (cliques[k].length * cliques[k].length > 0.6 * m * m) return null;
    const adj = new Uint8Array(m * m);
    let nnz = 0;
    for (let k = 0; k < cliques.length; k++) {
      const c = cliques[k];
      for (let x = 0; x < c.length; x++) {
        const ra = c[x] * m;
        for (let y = 0; y < c.length; y++) {
          if (adj[ra + c[y]] === 0) {
            adj[ra + c[y]] = 1;
            nnz++;
          }
        }
      }
    }
    for (let i = 0; i < m; i++) {
      if (adj[i * m + i] === 0) {
        adj[i * m + i] = 1;
        nnz++;
      }
    }
    const dense = (m * m * m) / 6;
    if (nnz > 0.6 * m * m || m < 8) return null;
    // pattern of M (original order)
    const mRowPtr = new Int32Array(m + 1);
    const mCols = new Int32Array(nnz);
    let t = 0;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) if (adj[i * m + j]) mCols[t++] = j;
      mRowPtr[i + 1] = t;
    }
    // minimum degree elimination on the graph (adj without the diagonal), recording fill
    const deg = new Int32Array(m);
    for (let i = 0; i < m; i++) deg[i] = mRowPtr[i + 1] - mRowPtr[i] - 1;
    const alive = new Uint8Array(m).fill(1);
    const perm = new Int32Array(m);
    // column `step`'s rows: colRows[colStart[step] .. colStart[step + 1]) (one flat array: a
    // slice per step was most of this planning's time at m = 56)
    const colStart = new Int32Array(m + 1);
    let colRows = new Int32Array(4 * m);
    const nb = new Int32Array(m);
    let flops = 0;
    for (let step = 0; step < m; step++) {
      let v = -1;
      for (let i = 0; i < m; i++) if (alive[i] && (v < 0 || deg[i] < deg[v])) v = i;
      perm[step] = v;
      alive[v] = 0;
      let k = 0;
      const rv = v * m;
      for (let u = 0; u < m; u++) if (alive[u] && adj[rv + u] && u !== v) nb[k++] = u;
      if (colStart[step] + k > colRows.length) {
        const grown = new Int32Array(Math.max(2 * colRows.length, colStart[step] + k));
        grown.set(colRows);
        colRows = grown;
      }
      colRows.set(nb.subarray(0, k), colStart[step]);
      colStart[step + 1] = colStart[step] + k;
      flops += (k * (k + 1)) / 2;
      for (let a = 0; a < k; a++) {
        const na = nb[a];
        deg[na]--;
        const ra = na * m;
        for (let b = 0; b < k; b++) {
          const nbb = nb[b];
          if (a !== b && adj[ra + nbb] === 0) {
            adj[ra + nbb] = 1;
            deg[na]++;
          }
        }
      }
    }
    if (flops > maxRatio * dense) return null;
    // row patterns of L in the new order: column `step` of L has the rows colPat[step]
    const inv = new Int32Array(m);
    for (let i = 0; i < m; i++) inv[perm[i]] = i;
    const count = new Int32Array(m);
    for (let t = 0; t < colStart[m]; t++) count[inv[colRows[t]]]++;
    const rowPtr = new Int32Array(m + 1);
    for (let i = 0; i < m; i++) rowPtr[i + 1] = rowPtr[i] + count[i];
    const cols = new Int32Array(rowPtr[m]);
    const fillAt = rowPtr.slice(0, m);
    // columns s ascending, so every row's list comes out ascending
    for (let s = 0; s < m; s++) for (let t = colStart[s]; t < colStart[s + 1]; t++) cols[fillAt[inv[colRows[t]]]++] = s;
    return new PatternCholesky(m, perm, rowPtr, cols, mRowPtr, mCols, flops);
  }

  /**
   * Factors P M P^T (M's lower triangle, original order, row-major m x m). Returns the number
   * of replaced pivots, or -1 when M has NaN/Inf. `delta` is added to the diagonal.
   */
  factor(M: Float64Array, tiny: number, delta = 0): number {
    if (this.L.length === 0) {
      this.L = new Float64Array(this.m * this.m);
      this.w = new Float64Array(this.m);
    }
    const { m, perm, rowPtr, cols, L, w } = this;
    let maxDiag = 0;
    for (let i = 0; i < m; i++) maxDiag = Math.max(maxDiag, Math.abs(M[i * m + i] + delta));
    if (!Number.isFinite(maxDiag)) return -1;
    const floor = 1e-300 + 1e-30 * maxDiag;
    // load P M P^T on the pattern (the positions outside it stay zero)
    for (let i = 0; i < m; i++) {
      const ri = i * m;
      const pi = perm[i];
      for (let t = rowPtr[i]; t < rowPtr[i + 1]; t++) {
        const pj = perm[cols[t]];
        L[ri + cols[t]] = pi > pj ? M[pi * m + pj] : M[pj * m + pi];
      }
      L[ri + i] = M[pi * m + pi] + delta;
      w[i] = L[ri + i];
    }
    return this.upLooking(tiny, floor);
  }

  /**
   * Row by row (up-looking): L_ij = (M_ij - sum_k L_ik L_jk) / L_jj for j in row i's pattern,
   * the sum over row j's pattern (it lies inside row i's: a fill path), then the pivot. Every
   * entry subtracts the same products in the same (ascending k) order as a right-looking
   * factorisation, so the factor is bit for bit the one column updates gave; but the inner
   * loop only reads (two rows, gathered on row j's pattern) where the column updates
   * scattered stores over the whole matrix, and two rows run side by side on the columns
   * they share, so two independent chains of additions hide each other's latency (as
   * choleskyNormal does for the dense kernel). Measured in docs/solver.md ("The KKT solve"):
   * random clique patterns m = 400, 4.7e6 multiply-adds, 26 -> 15 ms; m = 2000, 1e9, 5.9 ->
   * 2.9 s.
   */
  private upLooking(tiny: number, floor: number): number {
    const { m, rowPtr, w } = this;
    let fixed = 0;
    let i = 0;
    for (; i + 1 < m; i += 2) {
      const lastIsI = this.rowPair(i);
      const a = this.pivot(i, tiny * w[i] + floor);
      if (a < 0) return -1;
      if (lastIsI) this.entry((i + 1) * m, i);
      const b = this.pivot(i + 1, tiny * w[i + 1] + floor);
      if (b < 0) return -1;
      fixed += a + b;
    }
    if (i < m) {
      for (let t = rowPtr[i]; t < rowPtr[i + 1]; t++) this.entry(i * m, this.cols[t]);
      const a = this.pivot(i, tiny * w[i] + floor);
      if (a < 0) return -1;
      fixed += a;
    }
    return fixed;
  }

  /**
   * Where a walk over row i + 1's pattern beside row i ends: before its last column when that
   * column is i (it needs row i finished first; the caller takes it afterwards), else at the
   * row's end.
   */
  private pairEnd(i: number): number {
    const { rowPtr, cols } = this;
    const end = rowPtr[i + 2];
    return end > rowPtr[i + 1] && cols[end - 1] === i ? end - 1 : end;
  }

  /**
   * The off-diagonal entries of rows i and i + 1 left of column i, in one ascending walk over
   * both patterns (the shared columns as two chains at once). Returns whether row i + 1 also
   * has column i, which needs row i's pivot first.
   */
  private rowPair(i: number): boolean {
    const { m, rowPtr, cols, L } = this;
    const ri = i * m;
    const ri1 = ri + m;
    let t = rowPtr[i];
    const tEnd = rowPtr[i + 1];
    let v = rowPtr[i + 1];
    const vEnd = this.pairEnd(i);
    const lastIsI = vEnd < rowPtr[i + 2];
    while (t < tEnd || v < vEnd) {
      const ja = t < tEnd ? cols[t] : m;
      const jb = v < vEnd ? cols[v] : m;
      if (ja === jb) {
        const rj = ja * m;
        let sa = L[ri + ja];
        let sb = L[ri1 + ja];
        const u1 = rowPtr[ja + 1];
        for (let u = rowPtr[ja]; u < u1; u++) {
          const k = cols[u];
          const ljk = L[rj + k];
          sa -= L[ri + k] * ljk;
          sb -= L[ri1 + k] * ljk;
        }
        const d = L[rj + ja];
        L[ri + ja] = sa / d;
        L[ri1 + ja] = sb / d;
        t++;
        v++;
      } else if (ja < jb) {
        this.entry(ri, ja);
        t++;
      } else {
        this.entry(ri1, jb);
        v++;
      }
    }
    return lastIsI;
  }

  /** L_ij = (L_ij - sum_k L_ik L_jk) / L_jj over row j's pattern (row ri = i m). */
  private entry(ri: number, j: number): void {
    const { m, rowPtr, cols, L } = this;
    const rj = j * m;
    let s = L[ri + j];
    const u1 = rowPtr[j + 1];
    for (let u = rowPtr[j]; u < u1; u++) {
      const k = cols[u];
      s -= L[ri + k] * L[rj + k];
    }
    L[ri + j] = s / L[rj + j];
  }

  /**
   * Row i's diagonal entry from its finished off-diagonal entries: sqrt(L_ii - sum L_ik^2), or
   * a huge value for a pivot below `threshold` (returns 1, a replaced pivot); -1 on NaN/Inf.
   */
  private pivot(i: number, threshold: number): number {
    const { m, rowPtr, cols, L } = this;
    const ri = i * m;
    let s = L[ri + i];
    for (let t = rowPtr[i]; t < rowPtr[i + 1]; t++) {
      const v = L[ri + cols[t]];
      s -= v * v;
    }
    if (!Number.isFinite(s)) return -1;
    if (!(s > threshold)) {
      L[ri + i] = 1e64;
      return 1;
    }
    L[ri + i] = Math.sqrt(s);
    return 0;
  }

  /**
   * Solves (P^T L L^T P) x = b in place. Rows run in pairs (i, i + 1) forward and (i, i - 1)
   * backward, one ascending walk over both patterns: each row's terms are subtracted in the
   * same order as row by row, so the result is bit for bit the same, but the two chains of
   * dependent subtractions overlap (a single chain bounded the solve: 5.5 us at m = 56).
   * `counted`: a solve with the normal equations (opCounts.normalSolves), not another matrix
   * factored on their pattern (kkt.ts AAtSolver).
   */
  solve(b: Float64Array, counted = true): void {
    if (counted) opCounts.normalSolves++;
    const { m, perm, w } = this;
    for (let i = 0; i < m; i++) w[i] = b[perm[i]];
    let i = 0;
    for (; i + 1 < m; i += 2) this.forwardPair(i);
    if (i < m) this.forwardRow(i);
    i = m - 1;
    for (; i >= 1; i -= 2) this.backwardPair(i);
    if (i === 0) this.backwardRow(0);
    for (let j = 0; j < m; j++) b[perm[j]] = w[j];
  }

  /** w_i = (w_i - sum_k L_ik w_k) / L_ii over row i's pattern. */
  private forwardRow(i: number): void {
    const { m, rowPtr, cols, L, w } = this;
    const ri = i * m;
    let s = w[i];
    for (let t = rowPtr[i]; t < rowPtr[i + 1]; t++) {
      const k = cols[t];
      s -= L[ri + k] * w[k];
    }
    w[i] = s / L[ri + i];
  }

  /** forwardRow(i) then forwardRow(i + 1), their columns below i walked together. */
  private forwardPair(i: number): void {
    const { m, rowPtr, cols, L, w } = this;
    const ri = i * m;
    const ri1 = ri + m;
    let s0 = w[i];
    let s1 = w[i + 1];
    let t = rowPtr[i];
    const tEnd = rowPtr[i + 1];
    let v = rowPtr[i + 1];
    // row i + 1's last column may be i itself: it needs w_i, so it comes after the walk
    const vEnd = this.pairEnd(i);
    const lastIsI = vEnd < rowPtr[i + 2];
    while (t < tEnd && v < vEnd) {
      const ja = cols[t];
      const jb = cols[v];
      if (ja === jb) {
        const wk = w[ja];
        s0 -= L[ri + ja] * wk;
        s1 -= L[ri1 + ja] * wk;
        t++;
        v++;
      } else if (ja < jb) {
        s0 -= L[ri + ja] * w[ja];
        t++;
      } else {
        s1 -= L[ri1 + jb] * w[jb];
        v++;
      }
    }
    for (; t < tEnd; t++) s0 -= L[ri + cols[t]] * w[cols[t]];
    for (; v < vEnd; v++) s1 -= L[ri1 + cols[v]] * w[cols[v]];
    const wi = s0 / L[ri + i];
    w[i] = wi;
    if (lastIsI) s1 -= L[ri1 + i] * wi;
    w[i + 1] = s1 / L[ri1 + i + 1];
  }

  /** x_i = w_i / L_ii, then w_k -= L_ik x_i over row i's pattern. */
  private backwardRow(i: number): void {
    const { m, rowPtr, cols, L, w } = this;
    const ri = i * m;
    const s = w[i] / L[ri + i];
    w[i] = s;
    if (s !== 0) {
      for (let t = rowPtr[i]; t < rowPtr[i + 1]; t++) {
        const k = cols[t];
        w[k] -= L[ri + k] * s;
      }
    }
  }

  /** backwardRow(i) then backwardRow(i - 1): every w_k gets row i's term, then row i - 1's. */
  private backwardPair(i: number): void {
    const { m, rowPtr, cols, L, w } = this;
    const ri = i * m;
    const ri0 = ri - m;
    const si = w[i] / L[ri + i];
    w[i] = si;
    let t = rowPtr[i];
    // row i's last column may be i - 1: its term goes in before x_{i-1} is taken
    const tEnd = this.pairEnd(i - 1);
    if (tEnd < rowPtr[i + 1] && si !== 0) w[i - 1] -= L[ri + i - 1] * si;
    const s0 = w[i - 1] / L[ri0 + i - 1];
    w[i - 1] = s0;
    const useI = si !== 0;
    const use0 = s0 !== 0;
    let v = rowPtr[i - 1];
    const vEnd = use0 ? rowPtr[i] : v;
    if (!useI) t = tEnd;
    while (t < tEnd && v < vEnd) {
      const ja = cols[t];
      const jb = cols[v];
      if (ja === jb) {
        w[ja] = w[ja] - L[ri + ja] * si - L[ri0 + ja] * s0;
        t++;
        v++;
      } else if (ja < jb) {
        w[ja] -= L[ri + ja] * si;
        t++;
      } else {
        w[jb] -= L[ri0 + jb] * s0;
        v++;
      }
    }
    for (; t < tEnd; t++) w[cols[t]] -= L[ri + cols[t]] * si;
    for (; v < vEnd; v++) w[cols[v]] -= L[ri0 + cols[v]] * s0;
  }
}

/**
 * The pattern of a plan: m, maxRatio and the cliques, flattened (each clique's length, then its
 * rows). A study or a branch and bound solves thousands of SDPs with one pattern, and the
 * ordering took 2 % of a three-target solve (0.27 ms); the key costs a pass over the cliques.
 */
function patternKey(m: number, cliques: readonly Int32Array[], maxRatio: number): Float64Array {
  let len = 2;
  for (const c of cliques) len += 1 + c.length;
  const key = new Float64Array(len);
  key[0] = m;
  key[1] = maxRatio;
  let t = 2;
  for (const c of cliques) {
    key[t++] = c.length;
    key.set(c, t);
    t += c.length;
  }
  return key;
}

/** The last few plans by pattern (exact comparison of the key; a hash only picks the slot). */
class PlanCache {
  private readonly slots = new Map<number, { key: Float64Array; plan: PatternCholesky | null }>();
  private static readonly SIZE = 16;

  lookup(key: Float64Array): PatternCholesky | null | undefined {
    const hit = this.slots.get(hashOf(key));
    if (!hit || hit.key.length !== key.length) return undefined;
    for (let i = 0; i < key.length; i++) if (hit.key[i] !== key[i]) return undefined;
    return hit.plan;
  }

  store(key: Float64Array, plan: PatternCholesky | null): void {
    const h = hashOf(key);
    this.slots.delete(h);
    this.slots.set(h, { key, plan });
    if (this.slots.size > PlanCache.SIZE) this.slots.delete(this.slots.keys().next().value!);
  }
}

function hashOf(key: Float64Array): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ (key[i] * 2654435761), 16777619);
  return h >>> 0;
}

const PLANS = new PlanCache();
