/**
 * Certificates re-checked on the user's data (the problem as passed to `solve`, before any
 * equilibration), so that a status never rests on the solver's internal scaling:
 *
 * - a lower bound on the optimum from any dual point y: with z = c - A^T y recomputed here,
 *   every feasible x satisfies  c^T x = b^T y + <z, x> >= b^T y - sum_u d_u(z) T_u,
 *   where d_u(z) >= 0 is how far z is outside the cone on unit u (minus its smallest
 *   eigenvalue, padded for rounding) and T_u is a valid upper bound on the size (trace) of
 *   x_u over the feasible set. This "shift the dual slack onto the cone and pay for the
 *   shift" bound is rigorous whenever every unit that needs a shift has a finite T_u;
 * - a Farkas ray for `primal_infeasible`: the same inequality with c = 0 shows that no
 *   feasible x exists when b^T y > sum_u d_u(-A^T y) T_u;
 * - a ray x for `dual_infeasible`: shifted into the cone, A x ~ 0 relative to the norms and
 *   c^T x < 0 by a margin.
 *
 * Size bounds T_u come from the rows themselves (`sizeBounds`): a row (or, for a matrix
 * block, a sum of rows that each touch one diagonal entry) whose part on unit u is positive
 * definite bounds tr(x_u) by its right-hand side plus what the other units can subtract.
 * A power budget  (u/P) tr(W) + s = 1  gives tr(W) <= P/u; the bounds then propagate to the
 * other blocks. Units are: every free or nonnegative column on its own, every second-order
 * or matrix cone as one unit; "size" is |x_j|, x_j, the cone's t, or the trace.
 */
import type { Cone, ConicProblem } from './types.ts';
import { EigWorkspace, minEig } from '../linalg/real-eig.ts';
import { svecToMat } from './vec.ts';
import { Arena } from '../linalg/arena.ts';
import { mulA as mulARows, mulAt as mulAtCols, transpose } from './prepare.ts';
import { cmAlloc, HEigWorkspace, hvecToCm } from './cones/hermitian-kernels.ts';
import { dualSlackWasm, type PartScan, rowPartsWasm, singletonsWasm } from './scans-wasm.ts';

const EPS = 2 ** -52;
const ISQRT2 = Math.SQRT1_2;

interface Unit {
  kind: Cone['kind'];
  off: number;
  dim: number;
  /** Matrix order (psd/hpsd), else 0. */
  n: number;
}

/** The units of a problem, and the unit of every column. */
export function unitsOf(cones: readonly Cone[]): { units: Unit[]; unitOf: Int32Array } {
  const units: Unit[] = [];
  let off = 0;
  for (const k of cones) {
    if (k.kind === 'free' || k.kind === 'nonneg') {
      for (let j = 0; j < k.dim; j++) units.push({ kind: k.kind, off: off + j, dim: 1, n: 0 });
      off += k.dim;
    } else {
      const dim = k.kind === 'soc' ? k.dim : k.kind === 'psd' ? (k.n * (k.n + 1)) / 2 : k.n * k.n;
      if (dim > 0) units.push({ kind: k.kind, off, dim, n: k.kind === 'soc' ? 0 : k.n });
      off += dim;
    }
  }
  const unitOf = new Int32Array(off);
  units.forEach((u, i) => unitOf.fill(i, u.off, u.off + u.dim));
  return { units, unitOf };
}

/** Position of every vec entry of a matrix cone: row, column (diagonal when equal). */
interface Layout {
  row: Int32Array;
  col: Int32Array;
}
/** Layouts by order, for psd and hpsd (indexed by n, no string keys: this runs per row part). */
const layouts = { psd: [] as (Layout | undefined)[], hpsd: [] as (Layout | undefined)[] };
function layout(kind: 'psd' | 'hpsd', n: number): Layout {
  let l = layouts[kind][n];
  if (l) return l;
  const dim = kind === 'psd' ? (n * (n + 1)) / 2 : n * n;
  const row = new Int32Array(dim);
  const col = new Int32Array(dim);
  let k = 0;
  for (let j = 0; j < n; j++) {
    row[k] = j;
    col[k++] = j;
    for (let i = j + 1; i < n; i++) {
      for (let part = 0; part < (kind === 'hpsd' ? 2 : 1); part++) {
        row[k] = i;
        col[k++] = j;
      }
    }
  }
  l = { row, col };
  layouts[kind][n] = l;
  return l;
}

/**
 * A lower coefficient `lo` with <a, x> >= lo * size(x) for every x in the unit's cone, for
 * the sparse part a (local indices idx, values val) of a row on that unit. Exact for
 * diagonal parts, Gershgorin or minus the Frobenius norm (whichever is larger) otherwise.
 */
function lowerCoefficient(u: Unit, idx: Int32Array, val: Float64Array, sign: number): number {
  const lo = lowerCoefficients(u, idx, val, 0, idx.length);
  return sign > 0 ? lo.plus : lo.minus;
}

/** Scratch of lowerCoefficients (grown to the largest order met). */
let scratch = { plus: new Float64Array(0), minus: new Float64Array(0), off: new Float64Array(0) };

/**
 * lowerCoefficient of +a (plus) and of -a (minus), in one pass over the entries from .. to - 1
 * of idx / val. Typed arrays only, with a range instead of subarrays: this runs for every part
 * of every row of every solve, and mixed argument types (plain arrays from summedCover) kept
 * it from being optimised.
 */
function lowerCoefficients(u: Unit, idx: Int32Array, val: Float64Array, from: number, to: number): { plus: number; minus: number } {
  if (u.kind === 'nonneg') return { plus: val[from], minus: -val[from] };
  if (u.kind === 'free') return { plus: -Math.abs(val[from]), minus: -Math.abs(val[from]) };
  if (u.kind === 'soc') {
    let a0 = 0;
    let rest = 0;
    for (let t = from; t < to; t++) {
      if (idx[t] === 0) a0 = val[t];
      else rest += val[t] * val[t];
    }
    return { plus: a0 - Math.sqrt(rest), minus: -a0 - Math.sqrt(rest) };
  }
  const n = u.n;
  if (scratch.off.length < n) scratch = { plus: new Float64Array(n), minus: new Float64Array(n), off: new Float64Array(n) };
  const { plus, minus, off } = scratch;
  plus.fill(0, 0, n);
  minus.fill(0, 0, n);
  off.fill(0, 0, n);
  const L = layout(u.kind as 'psd' | 'hpsd', n);
  let offDiagonal = false;
  // the Frobenius norm's sum in the same pass (the same order: the same bits)
  let sq = 0;
  for (let t = from; t < to; t++) {
    sq += val[t] * val[t];
    const r = L.row[idx[t]];
    const c = L.col[idx[t]];
    if (r === c) {
      plus[r] = val[t];
      minus[r] = -val[t];
    } else {
      const a = Math.abs(val[t]) * ISQRT2;
      off[r] += a;
      off[c] += a;
      offDiagonal = true;
    }
  }
  let gPlus = Infinity;
  let gMinus = Infinity;
  for (let i = 0; i < n; i++) {
    gPlus = Math.min(gPlus, plus[i] - off[i]);
    gMinus = Math.min(gMinus, minus[i] - off[i]);
  }
  const frob = Math.sqrt(sq);
  return offDiagonal ? { plus: Math.max(gPlus, -frob), minus: Math.max(gMinus, -frob) } : { plus: gPlus, minus: gMinus };
}

export interface RowPart {
  unit: number;
  /** lo of +a_u and of -a_u. */
  loPlus: number;
  loMinus: number;
  /** Diagonal coefficients when the part is diagonal (matrix units), else null. */
  diag: Map<number, number> | null;
}

/**
 * The parts of every row of A, unit by unit (in the order the units first appear in the row,
 * each with its entries in row order). A row whose units come in runs (sorted columns) is
 * read in one pass; any other is grouped by a counting pass into two scratch arrays, not into
 * per-row maps: the hexagon relaxation's rows have thousands of entries each, and this runs
 * once per solve, interpreted in a fresh process. Large A is scanned in WebAssembly
 * (scans-wasm.ts, the same parts to the bit); exported for the test that compares the two.
 */
export function rowParts(p: ConicProblem, units: Unit[], unitOf: Int32Array): RowPart[][] {
  const { A } = p;
  const scan = rowPartsWasm(A, units, unitOf, (u) => layout(u.kind as 'psd' | 'hpsd', u.n));
  if (scan) return partsOfScan(scan, A.rows, units);
  let longest = 0;
  for (let i = 0; i < A.rows; i++) longest = Math.max(longest, A.rowPtr[i + 1] - A.rowPtr[i]);
  const R: RowScratch = {
    A,
    units,
    unitOf,
    idx: new Int32Array(longest),
    val: new Float64Array(longest),
    count: new Int32Array(units.length),
    start: new Int32Array(units.length),
    order: [],
  };
  const out: RowPart[][] = [];
  for (let i = 0; i < A.rows; i++) out.push(contiguousParts(R, i) ?? groupedParts(R, i));
  return out;
}

/** rowParts from scans-wasm.ts' scan (the same parts, lower coefficients and diagonals). */
function partsOfScan(scan: PartScan, rows: number, units: Unit[]): RowPart[][] {
  const out: RowPart[][] = [];
  for (let i = 0; i < rows; i++) {
    const row: RowPart[] = [];
    for (let q = scan.partPtr[i]; q < scan.partPtr[i + 1]; q++) {
      const u = scan.unit[q];
      let diag: Map<number, number> | null = null;
      if (scan.diag[q] === 1) {
        const L = layout(units[u].kind as 'psd' | 'hpsd', units[u].n);
        diag = new Map();
        for (let t = scan.from[q]; t < scan.from[q + 1]; t++) diag.set(L.row[scan.idx[t]], scan.val[t]);
      }
      row.push({ unit: u, loPlus: scan.lo[2 * q], loMinus: scan.lo[2 * q + 1], diag });
    }
    out.push(row);
  }
  return out;
}

/** What the row readers share: the matrix, its units, and scratch (count zero between rows). */
interface RowScratch {
  A: ConicProblem['A'];
  units: Unit[];
  unitOf: Int32Array;
  /** A row's entries by part: local indices and values. */
  idx: Int32Array;
  val: Float64Array;
  /** Per unit: entries (groupedParts), or marked (contiguousParts). */
  count: Int32Array;
  start: Int32Array;
  order: number[];
}

/**
 * Row i's parts when each unit's entries are one run of the row (sorted columns: the
 * formulation's rows and SDPA's), in one pass; null when a unit comes back after another (the
 * row is then grouped by groupedParts, with the same result).
 */
function contiguousParts(R: RowScratch, i: number): RowPart[] | null {
  const { A, units, unitOf, idx, val, count: seen } = R;
  const parts: RowPart[] = [];
  let n = 0;
  let runStart = 0;
  let u = -1;
  let ok = true;
  for (let k = A.rowPtr[i]; k < A.rowPtr[i + 1]; k++) {
    const v = A.values[k];
    if (v === 0) continue;
    const j = A.colIdx[k];
    const w = unitOf[j];
    if (w !== u) {
      if (seen[w] !== 0) {
        ok = false;
        break;
      }
      if (u >= 0) parts.push(rowPart(units[u], u, idx, val, runStart, n));
      seen[w] = 1;
      u = w;
      runStart = n;
    }
    idx[n] = j - units[w].off;
    val[n++] = v;
  }
  if (ok && u >= 0) parts.push(rowPart(units[u], u, idx, val, runStart, n));
  // the marked units: the parts' and, when a unit came back, the run cut short
  for (let q = 0; q < parts.length; q++) seen[parts[q].unit] = 0;
  if (u >= 0) seen[u] = 0;
  return ok ? parts : null;
}

/** Row i's parts, its entries grouped by unit with a counting pass (units in order of first appearance). */
function groupedParts(R: RowScratch, i: number): RowPart[] {
  const { A, units, unitOf, idx, val, count, start, order } = R;
  order.length = 0;
  for (let k = A.rowPtr[i]; k < A.rowPtr[i + 1]; k++) {
    if (A.values[k] === 0) continue;
    const u = unitOf[A.colIdx[k]];
    if (count[u]++ === 0) order.push(u);
  }
  let next = 0;
  for (let o = 0; o < order.length; o++) {
    const u = order[o];
    start[u] = next;
    next += count[u];
    count[u] = start[u];
  }
  for (let k = A.rowPtr[i]; k < A.rowPtr[i + 1]; k++) {
    const v = A.values[k];
    if (v === 0) continue;
    const j = A.colIdx[k];
    const u = unitOf[j];
    idx[count[u]] = j - units[u].off;
    val[count[u]++] = v;
  }
  const parts: RowPart[] = [];
  for (let o = 0; o < order.length; o++) {
    const u = order[o];
    parts.push(rowPart(units[u], u, idx, val, start[u], count[u]));
    count[u] = 0;
  }
  return parts;
}

/** One row's part on unit u: its lower coefficients for +a_u and -a_u, and its diagonal when it has only diagonal entries. */
function rowPart(U: Unit, u: number, idx: Int32Array, val: Float64Array, from: number, to: number): RowPart {
  let diag: Map<number, number> | null = null;
  if (U.kind === 'psd' || U.kind === 'hpsd') {
    const L = layout(U.kind, U.n);
    // the map only for a part that is all diagonal (scan first: most parts are not)
    let t = from;
    while (t < to && L.row[idx[t]] === L.col[idx[t]]) t++;
    if (t === to) {
      diag = new Map();
      for (t = from; t < to; t++) diag.set(L.row[idx[t]], val[t]);
    }
  }
  const lo = lowerCoefficients(U, idx, val, from, to);
  return { unit: u, loPlus: lo.plus, loMinus: lo.minus, diag };
}

/** What the units other than `skip` can add to sign * b_i at most: sum max(0, -lo) T. */
function othersTerm(parts: RowPart[], sign: number, T: Float64Array, skip: number): number {
  let s = 0;
  for (let k = 0; k < parts.length; k++) {
    const q = parts[k];
    if (q.unit === skip) continue;
    const lo = sign > 0 ? q.loPlus : q.loMinus;
    if (lo < 0) s += -lo * T[q.unit];
  }
  return s;
}

/**
 * Upper bounds on the size of every unit over the feasible set {x in K : A x = b}
 * (Infinity where the rows give none). Valid for every feasible x; used to price the
 * cone shift of a dual point. `allExact` computes every summed part's exact smallest
 * eigenvalue, also where it cannot change the result (the reference the tests compare with).
 */
export function sizeBounds(p: ConicProblem, cap?: number, allExact = false): Float64Array {
  const { units, unitOf } = unitsOf(p.cones);
  const parts = rowParts(p, units, unitOf);
  // With a cap, the objective row c^T x <= cap joins as one more (inequality) row.
  const capRow = cap === undefined ? null : rowParts({ ...p, A: costRow(p), b: Float64Array.of(cap) }, units, unitOf)[0];
  const capLo = capRow ? new Map(capRow.map((q) => [q.unit, q.loPlus])) : null;
  const T = new Float64Array(units.length).fill(Infinity);
  // Sums of rows covering the diagonal of a matrix unit, each row touching only diagonal entries.
  // A part's exact lower coefficient matters where it is negative, or where the cap row has a
  // negative coefficient on its unit (withCap adds a multiple of that).
  const covers = diagonalCovers(p, parts, units, unitOf, (u) => allExact || (capLo?.get(u) ?? 0) < 0);
  const tighten = (u: number, bound: number): boolean => {
    if (!(bound >= 0)) bound = Math.max(0, bound); // a negative bound only means "empty"; keep 0
    if (bound < T[u] * (1 - 1e-9)) {
      T[u] = bound;
      return true;
    }
    return false;
  };
  for (let pass = 0; pass < 12; pass++) {
    let changed = false;
    // indexed loops: this runs once per solve, interpreted, where for-of allocates an iterator
    // result per step
    for (let i = 0; i < parts.length; i++) {
      const row = parts[i];
      for (let sign = 1; sign >= -1; sign -= 2) {
        for (let k = 0; k < row.length; k++) {
          const q = row[k];
          const lo = sign > 0 ? q.loPlus : q.loMinus;
          if (!(lo > 0)) continue;
          const rest = othersTerm(row, sign, T, q.unit);
          if (Number.isFinite(rest)) changed = tighten(q.unit, (sign * p.b[i] + rest) / lo) || changed;
        }
      }
    }
    if (capRow) {
      for (const q of capRow) {
        const rest = othersTerm(capRow, 1, T, q.unit);
        if (q.loPlus > 0 && Number.isFinite(rest)) changed = tighten(q.unit, (cap! + rest) / q.loPlus) || changed;
      }
    }
    for (const cv of covers) {
      let rest = 0;
      for (const o of cv.others) if (o.lo < 0) rest += -o.lo * T[o.unit];
      if (Number.isFinite(rest)) changed = tighten(cv.unit, (cv.rhs + rest) / cv.lo) || changed;
      if (capLo) {
        const w = withCap(cv, capLo, cap!, T);
        if (w.lo > 0) changed = tighten(cv.unit, w.rhs / w.lo) || changed;
      }
    }
    if (!changed) break;
  }
  return T;
}

/**
 * A cover's summed row plus alpha times the objective row c^T x <= cap, alpha the smallest
 * multiple that makes every part the cap covers nonnegative: bounds tr(x_u) by what the
 * objective value allows in total instead of by the sum of the units' separate bounds.
 * Returns the combination's right-hand side (with the other units' worst case) and its lo
 * on the cover's unit.
 */
function withCap(cv: Cover, capLo: Map<number, number>, cap: number, T: Float64Array): { rhs: number; lo: number } {
  let alpha = 0;
  for (const o of cv.others) {
    const c = capLo.get(o.unit) ?? 0;
    if (o.lo < 0 && c > 0) alpha = Math.max(alpha, -o.lo / c);
  }
  let rest = 0;
  for (const o of cv.others) {
    const lo = o.lo + alpha * (capLo.get(o.unit) ?? 0);
    if (lo < 0) rest += -lo * T[o.unit];
  }
  // units the cap row touches but the cover does not: the cap's own negative parts
  const seen = new Set(cv.others.map((o) => o.unit));
  for (const [u, c] of capLo) if (!seen.has(u) && u !== cv.unit && c < 0) rest += -alpha * c * T[u];
  return { rhs: cv.rhs + alpha * cap + rest, lo: cv.lo + alpha * (capLo.get(cv.unit) ?? 0) };
}

/** c as a one-row sparse matrix. */
function costRow(p: ConicProblem): ConicProblem['A'] {
  const cols: number[] = [];
  const vals: number[] = [];
  p.c.forEach((v, j) => {
    if (v !== 0) {
      cols.push(j);
      vals.push(v);
    }
  });
  return { rows: 1, cols: p.c.length, rowPtr: Int32Array.of(0, cols.length), colIdx: Int32Array.from(cols), values: Float64Array.from(vals) };
}

interface Cover {
  unit: number;
  lo: number;
  /** Right-hand side of the summed row. */
  rhs: number;
  /** lo of the summed row's part on every other unit (exact eigenvalues for matrix units). */
  others: { unit: number; lo: number }[];
}

function diagonalCovers(p: ConicProblem, parts: RowPart[][], units: Unit[], unitOf: Int32Array, exactAnyway: (u: number) => boolean): Cover[] {
  const byUnit = new Map<number, { row: number; sign: number; diag: Map<number, number> }[]>();
  parts.forEach((row, i) => {
    for (const q of row) {
      if (!q.diag || q.diag.size === units[q.unit].n) continue; // full diagonals are handled row by row
      const vals = [...q.diag.values()];
      const sign = vals.every((v) => v > 0) ? 1 : vals.every((v) => v < 0) ? -1 : 0;
      if (sign === 0) continue;
      let list = byUnit.get(q.unit);
      if (!list) byUnit.set(q.unit, (list = []));
      list.push({ row: i, sign, diag: q.diag });
    }
  });
  const covers: Cover[] = [];
  // one arena for every cover's accumulators (they live as long as this call; a block of its
  // own for each cover was 33 x 32 KB of zeroed memory per call on SDPLIB truss2)
  const arena = new Arena(4096);
  for (const [u, list] of byUnit) {
    const n = units[u].n;
    const d = new Float64Array(n);
    const chosen = new Map<number, { row: number; sign: number; weight: number }>();
    for (let e = 0; e < n; e++) {
      if (d[e] > 0) continue;
      const r = list.find((c) => c.diag.has(e) && !chosen.has(c.row));
      if (!r) break;
      let mx = 0;
      for (const v of r.diag.values()) mx = Math.max(mx, Math.abs(v));
      const weight = 1 / mx;
      chosen.set(r.row, { row: r.row, sign: r.sign, weight });
      for (const [idx, v] of r.diag) d[idx] += weight * Math.abs(v);
    }
    let lo = Infinity;
    for (let e = 0; e < n; e++) lo = Math.min(lo, d[e]);
    if (lo > 0) covers.push(summedCover(p, u, lo, [...chosen.values()], units, unitOf, exactAnyway, arena));
  }
  return covers;
}

/**
 * The weighted sum of a cover's rows: its rhs and the lower coefficients of its other parts.
 * A matrix part's exact smallest eigenvalue is computed only where it can matter: sizeBounds
 * reads a part's lo only when it is negative (or, through the cap, for the units of
 * `exactAnyway`), and Gershgorin's bound, below the eigenvalue, already proves many parts
 * nonnegative (SDPLIB truss2: the exact eigenvalues were 30 of its 50 ms of size bounds).
 */
function summedCover(
  p: ConicProblem,
  unit: number,
  lo: number,
  rows: { row: number; sign: number; weight: number }[],
  units: Unit[],
  unitOf: Int32Array,
  exactAnyway: (u: number) => boolean,
  arena: Arena,
): Cover {
  const { A } = p;
  let rhs = 0;
  // each other unit's summed part: a dense accumulator and its entries in first-touch order
  // (the order lowerCoefficient sums them in); a row's entries of one unit are contiguous
  const merged: { u: number; order: number[]; seen: Int32Array; val: Float64Array }[] = [];
  const slot = new Map<number, number>();
  for (const r of rows) {
    rhs += r.weight * r.sign * p.b[r.row];
    let lastU = -1;
    let part: { u: number; order: number[]; seen: Int32Array; val: Float64Array } | undefined;
    for (let k = A.rowPtr[r.row]; k < A.rowPtr[r.row + 1]; k++) {
      const j = A.colIdx[k];
      const u = unitOf[j];
      if (u === unit) continue;
      if (u !== lastU) {
        lastU = u;
        let at = slot.get(u);
        if (at === undefined) {
          slot.set(u, (at = merged.length));
          merged.push({ u, order: [], seen: arena.i32(units[u].dim), val: arena.f64(units[u].dim) });
        }
        part = merged[at];
      }
      const local = j - units[u].off;
      if (part!.seen[local] === 0) {
        part!.seen[local] = 1;
        part!.order.push(local);
      }
      part!.val[local] += r.weight * r.sign * A.values[k];
    }
  }
  const others: { unit: number; lo: number }[] = [];
  for (const { u, order, val } of merged) {
    const U = units[u];
    const idx = arena.i32(order.length);
    const vals = arena.f64(order.length);
    order.forEach((i, t) => {
      idx[t] = i;
      vals[t] = val[i];
    });
    if (U.kind === 'psd' || U.kind === 'hpsd') {
      // Gershgorin is exact (and free of rounding) for diagonal parts
      const gershgorin = lowerCoefficient(U, idx, vals, 1);
      if (gershgorin >= 0 && !exactAnyway(u)) {
        others.push({ unit: u, lo: gershgorin });
        continue;
      }
      // the unit's coefficients alone, at offset 0 (not a vector as long as x)
      const e = scaledMinEig({ ...U, off: 0 }, val);
      others.push({ unit: u, lo: Math.max(e.value - e.error, gershgorin) });
    } else {
      others.push({ unit: u, lo: lowerCoefficient(U, idx, vals, 1) });
    }
  }
  return { unit, lo, rhs, others };
}

/**
 * Deficits d_u >= 0 with <v_u, x_u> >= -d_u size(x_u) for every x_u in the cone, padded by
 * `err` (a bound on the error of v per column, see `dualSlack`) and by the eigensolver's
 * rounding. Matrix blocks are scaled by their largest entry before the eigenvalues are
 * computed, so entries near the overflow limit do not overflow. With `only`, just those units
 * (the others are left 0).
 */
export function coneDeficits(cones: readonly Cone[], v: Float64Array, err?: Float64Array, only?: ReadonlySet<number>): Float64Array {
  const { units } = unitsOf(cones);
  const out = new Float64Array(units.length);
  units.forEach((u, i) => {
    if (only && !only.has(i)) return;
    let errNorm = 0;
    if (err) {
      let m = 0;
      for (let j = u.off; j < u.off + u.dim; j++) m = Math.max(m, err[j]);
      if (m > 0) {
        let s = 0;
        for (let j = u.off; j < u.off + u.dim; j++) s += (err[j] / m) ** 2;
        errNorm = m * Math.sqrt(s);
      }
    }
    if (u.kind === 'free') out[i] = Math.abs(v[u.off]) + errNorm;
    else if (u.kind === 'nonneg') out[i] = Math.max(0, -v[u.off] + errNorm);
    else if (u.kind === 'soc') {
      let m = 0;
      for (let j = u.off + 1; j < u.off + u.dim; j++) m = Math.max(m, Math.abs(v[j]));
      let s = 0;
      if (m > 0) for (let j = u.off + 1; j < u.off + u.dim; j++) s += (v[j] / m) ** 2;
      const rest = m * Math.sqrt(s);
      out[i] = Math.max(0, rest - v[u.off] + 4 * EPS * (rest + Math.abs(v[u.off])) + Math.SQRT2 * errNorm);
    } else {
      const lmin = scaledMinEig(u, v);
      out[i] = Math.max(0, -lmin.value + lmin.error + errNorm);
    }
  });
  return out;
}

/** Smallest eigenvalue of the symmetric matrix of svec v (n x n). */
function symmetricMinEig(v: Float64Array, n: number): number {
  const M = new Float64Array(n * n);
  svecToMat(v, 0, n, M);
  return minEig(M, (realEigs[n] ??= new EigWorkspace(n)));
}

/**
 * Eigensolver workspaces by order, shared by every certificate check (their results depend
 * on the input only; allocating them per call was a tenth of a paper-scale check).
 */
const realEigs: EigWorkspace[] = [];
const hermitianEigs: { M: ReturnType<typeof cmAlloc>; ws: HEigWorkspace }[] = [];

/**
 * Smallest eigenvalue of the Hermitian matrix of hvec v (n x n), by the complex solver the
 * interior-point iteration uses (already compiled by the time a certificate is checked; its
 * real 2n embedding costs ~4x the work). Its error stays within the 2n-order bound below.
 */
function hermitianMinEig(v: Float64Array, n: number): number {
  const { M, ws } = (hermitianEigs[n] ??= { M: cmAlloc(n), ws: new HEigWorkspace(n) });
  hvecToCm(v, 0, n, M);
  return ws.eig(M, false, false) ? ws.d[0] : NaN;
}

/** The scaled copy of scaledMinEig, grown to the largest unit met (its readers copy it at once). */
let scaledScratch = new Float64Array(0);

/** Smallest eigenvalue of a matrix unit of v, with a bound on its rounding error. */
function scaledMinEig(u: Unit, v: Float64Array): { value: number; error: number } {
  let m = 0;
  for (let j = u.off; j < u.off + u.dim; j++) m = Math.max(m, Math.abs(v[j]));
  if (m === 0) return { value: 0, error: 0 };
  if (!Number.isFinite(m)) return { value: -Infinity, error: 0 };
  if (scaledScratch.length < u.dim) scaledScratch = new Float64Array(u.dim);
  const scaled = scaledScratch;
  for (let j = 0; j < u.dim; j++) scaled[j] = v[u.off + j] / m;
  const order = u.kind === 'hpsd' ? 2 * u.n : u.n;
  let fro = 0;
  for (let j = 0; j < u.dim; j++) fro += scaled[j] * scaled[j];
  const value = u.kind === 'hpsd' ? hermitianMinEig(scaled, u.n) : symmetricMinEig(scaled, u.n);
  if (!Number.isFinite(value)) return { value: -Infinity, error: 0 };
  // Backward-stable eigensolver: error below a small multiple of order * eps * ||M||_F.
  return { value: value * m, error: 16 * order * EPS * Math.sqrt(fro) * m };
}

/**
 * v = c_scale * c - A^T y computed on the user's data, with a bound on the rounding error of
 * every entry (the sum of the magnitudes involved times (terms + 2) eps).
 */
export function dualSlack(p: ConicProblem, y: Float64Array, cScale: number): { v: Float64Array; err: Float64Array; mag: Float64Array } {
  const n = p.c.length;
  const v = new Float64Array(n);
  const mag = new Float64Array(n);
  const err = new Float64Array(n);
  if (dualSlackWasm(p.A, p.c, cScale, y, v, mag, err)) return { v, err, mag };
  const cnt = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    v[j] = cScale * p.c[j];
    mag[j] = Math.abs(v[j]);
  }
  const { A } = p;
  for (let i = 0; i < A.rows; i++) {
    const yi = y[i];
    if (yi === 0) continue;
    for (let k = A.rowPtr[i]; k < A.rowPtr[i + 1]; k++) {
      const j = A.colIdx[k];
      const t = A.values[k] * yi;
      v[j] -= t;
      mag[j] += Math.abs(t);
      cnt[j]++;
    }
  }
  for (let j = 0; j < n; j++) err[j] = (cnt[j] + 2) * EPS * mag[j];
  return { v, err, mag };
}

/** b^T y with a bound on its rounding error. */
function dotWithError(b: Float64Array, y: Float64Array): { value: number; error: number } {
  let s = 0;
  let mag = 0;
  for (let i = 0; i < b.length; i++) {
    s += b[i] * y[i];
    mag += Math.abs(b[i] * y[i]);
  }
  return { value: s, error: (b.length + 2) * EPS * mag };
}

/** sum_u d_u T_u, Infinity when a unit needs a shift but has no bound (0 * Infinity counts as 0). */
function shiftCost(d: Float64Array, T: Float64Array): { cost: number; unbounded: number } {
  let cost = 0;
  let unbounded = 0;
  for (let u = 0; u < d.length; u++) {
    if (d[u] === 0) continue;
    if (Number.isFinite(T[u])) cost += d[u] * T[u];
    else unbounded++;
  }
  return { cost: unbounded > 0 ? Infinity : cost, unbounded };
}

export interface BoundCertificate {
  /** A lower bound on c^T x over the feasible set; -Infinity when none could be certified. */
  bound: number;
  /** The dual objective b^T y before the shift. */
  dualObjective: number;
  /** What the shift of z onto the cone costs: sum_u d_u T_u (Infinity when unpriced). */
  shiftCost: number;
  /** Largest cone deficit max_u d_u of z = c - A^T y. */
  maxDeficit: number;
}

/**
 * A rigorous lower bound on min c^T x s.t. A x = b, x in K from any y: b^T y minus the cost
 * of shifting z = c - A^T y onto the cone (see the file comment).
 *
 * `cap` (optional, any number, typically the value of the solver's primal point) tightens
 * the size bounds: they are derived for the feasible points with c^T x <= cap only, and the
 * result is min(cap, b^T y - shift). Valid for every cap: an optimum above the cap is above
 * the result; one below it lies in the set the size bounds hold on. `sizes`, when given, must
 * be sizeBounds(p, cap) (a caller pricing several dual points computes them once).
 */
export function certifiedLowerBound(p: ConicProblem, y: Float64Array, cap?: number, sizes?: Float64Array): BoundCertificate {
  const T = sizes ?? sizeBounds(p, cap !== undefined && Number.isFinite(cap) ? cap : undefined);
  const { v, err } = dualSlack(p, y, 1);
  const by = dotWithError(p.b, y);
  const d = coneDeficits(p.cones, v, err);
  // Unit by unit, two ways to price the same z (both rigorous, the cheaper wins): shift z_u
  // onto the cone, or first take its pinned entries out exactly (see pinnedColumns).
  const perUnit = new Float64Array(d.length);
  for (let u = 0; u < d.length; u++) perUnit[u] = d[u] === 0 ? 0 : d[u] * T[u];
  const pins = pinnedColumns(p);
  let exactErr = 0;
  if (pins.size > 0) {
    const { units, unitOf } = unitsOf(p.cones);
    // the variants change z only on the units that hold pinned columns: only those are priced again
    const touched = new Set<number>();
    for (const j of pins.keys()) touched.add(unitOf[j]);
    let mag = 0;
    for (const [j, beta] of pins) {
      mag += Math.abs(v[j] * beta);
      // z_j x_j with x_j = beta for every feasible x: v_j is off by err_j, beta by 2 eps
      exactErr += err[j] * Math.abs(beta) + 3 * EPS * Math.abs(v[j] * beta);
    }
    exactErr += (pins.size + 2) * EPS * mag;
    // Variant 0 takes every pinned entry out; variant 1 keeps the pinned diagonal entries of
    // matrix blocks (a zeroed diagonal leaves a zero eigenvalue, which the rounding pad then
    // counts as a deficit).
    for (const keepDiagonal of [false, true]) {
      const v0 = Float64Array.from(v);
      const e0 = Float64Array.from(err);
      const exact = new Float64Array(d.length);
      for (const [j, beta] of pins) {
        const U = units[unitOf[j]];
        if (keepDiagonal && (U.kind === 'psd' || U.kind === 'hpsd')) {
          const L = layout(U.kind, U.n);
          if (L.row[j - U.off] === L.col[j - U.off]) continue;
        }
        exact[unitOf[j]] -= v[j] * beta;
        v0[j] = 0;
        e0[j] = 0;
      }
      const d0 = coneDeficits(p.cones, v0, e0, touched);
      for (const u of touched) {
        const alt = (d0[u] === 0 ? 0 : d0[u] * T[u]) + exact[u];
        if (alt < perUnit[u]) {
          perUnit[u] = alt;
          d[u] = d0[u];
        }
      }
    }
  }
  let cost = 0;
  let maxDeficit = 0;
  for (let u = 0; u < d.length; u++) {
    cost += perUnit[u]; // NaN (0 * Infinity cannot occur: zero deficits cost 0) or Infinity propagate
    maxDeficit = Math.max(maxDeficit, d[u]);
  }
  let bound = by.value - by.error - exactErr - cost;
  if (cap !== undefined && Number.isFinite(cap)) bound = Math.min(bound, cap);
  return { bound: Number.isFinite(bound) ? bound : -Infinity, dualObjective: by.value, shiftCost: cost, maxDeficit };
}

/**
 * Columns that every feasible point fixes: a row of A with a single non-zero a_ij pins x_j to
 * b_i / a_ij. For them <z, x> has an exact part, z_j b_i / a_ij, that needs no shift onto the
 * cone; the rest of z (those entries set to 0) is priced as usual. This matters for matrix
 * blocks with fixed entries, e.g. the CRLB block [[J', I], [I, T]] of the design SDPs: the
 * dual slack's off-diagonal block, which the solver leaves slightly inconsistent with its
 * nearly-zero diagonal blocks, made the whole block indefinite by ~1e-13, and paying that with
 * the block's size bound (1e7 when the CRLB is loose) cost ~1e-5 of the optimum. (The first
 * row wins when several pin the same column.)
 */
export function pinnedColumns(p: ConicProblem): Map<number, number> {
  const { A, b } = p;
  const { col, val } = singletonsWasm(A) ?? singletons(A);
  const pins = new Map<number, number>();
  for (let i = 0; i < A.rows; i++) {
    if (col[i] < 0 || pins.has(col[i])) continue;
    const beta = b[i] / val[i];
    if (Number.isFinite(beta)) pins.set(col[i], beta);
  }
  return pins;
}

/** Each row's single nonzero column (-1: none or several) and its value; scans-wasm.ts singletonsWasm is the twin for large A. */
function singletons(A: ConicProblem['A']): { col: Int32Array; val: Float64Array } {
  const col = new Int32Array(A.rows);
  const val = new Float64Array(A.rows);
  for (let i = 0; i < A.rows; i++) {
    let count = 0;
    for (let k = A.rowPtr[i]; k < A.rowPtr[i + 1]; k++) {
      if (A.values[k] === 0) continue;
      count++;
      col[i] = A.colIdx[k];
      val[i] = A.values[k];
    }
    if (count !== 1) col[i] = -1;
  }
  return { col, val };
}

export interface InfeasibilityCertificate {
  /** The certificate passed the check. */
  verified: boolean;
  /**
   * Proven: every unit that needed a shift had a size bound, so no feasible point exists at
   * all. Otherwise the check is relative (no feasible point of moderate size, see docs).
   */
  rigorous: boolean;
  /** Relative residual of the certificate on the user's data (see docs/solver.md). */
  residual: number;
  /** Why it was rejected. */
  reason?: string;
}

/** Tolerance of the relative (non-rigorous) certificate checks. */
export const CERTIFICATE_TOL = 1e-7;

/**
 * Checks a Farkas ray y of primal infeasibility (A x = b, x in K has no solution):
 * b^T y > 0 and z = -A^T y in K*, re-evaluated on the user's data.
 */
export function verifyPrimalInfeasibility(p: ConicProblem, y: Float64Array, T?: Float64Array): InfeasibilityCertificate {
  const by = dotWithError(p.b, y);
  if (!(by.value > 4 * by.error) || !Number.isFinite(by.value)) {
    return { verified: false, rigorous: false, residual: NaN, reason: 'b^T y is not clearly positive' };
  }
  const { v, err, mag } = dualSlack(p, y, 0);
  const d = coneDeficits(p.cones, v, err);
  const bounds = T ?? sizeBounds(p);
  const sc = shiftCost(d, bounds);
  const margin = by.value - by.error;
  if (sc.unbounded === 0) {
    const residual = sc.cost / margin;
    // Proof: a feasible x would give 0 < b^T y = -<z, x> <= sum d_u T_u.
    if (residual < 0.5) return { verified: true, rigorous: true, residual };
    return { verified: false, rigorous: true, residual, reason: `the cone violation of A^T y costs ${residual.toPrecision(3)} b^T y` };
  }
  // Relative check: the violation small against the terms that make up A^T y.
  let scale = 0;
  for (let j = 0; j < v.length; j++) scale = Math.max(scale, mag[j]);
  let dsum = 0;
  for (const x of d) dsum += x;
  const residual = dsum / Math.max(scale, Number.MIN_VALUE);
  if (residual <= CERTIFICATE_TOL && by.value > CERTIFICATE_TOL * normProduct(p.b, y)) return { verified: true, rigorous: false, residual };
  return { verified: false, rigorous: false, residual, reason: `A^T y is outside the dual cone by ${residual.toPrecision(3)} (relative)` };
}

/**
 * Checks a ray x of dual infeasibility: x shifted into K by its deficits, A x ~ 0 relative
 * to ||A|| ||x|| and c^T x < 0 relative to ||c|| ||x||.
 */
export function verifyDualInfeasibility(p: ConicProblem, x: Float64Array): InfeasibilityCertificate {
  const xs = Float64Array.from(x);
  const d = coneDeficits(p.cones, xs);
  const { units } = unitsOf(p.cones);
  units.forEach((u, i) => {
    if (d[i] === 0 || u.kind === 'free') return;
    if (u.kind === 'nonneg' || u.kind === 'soc') xs[u.off] += d[i];
    else {
      const L = layout(u.kind as 'psd' | 'hpsd', u.n);
      for (let t = 0; t < u.dim; t++) if (L.row[t] === L.col[t]) xs[u.off + t] += d[i];
    }
  });
  const xn = vecNorm(xs);
  if (!(xn > 0) || !Number.isFinite(xn)) return { verified: false, rigorous: false, residual: NaN, reason: 'empty or non-finite ray' };
  let cx = 0;
  for (let j = 0; j < xs.length; j++) cx += (p.c[j] / xn) * xs[j];
  const { A } = p;
  let rsq = 0;
  let asq = 0;
  for (let i = 0; i < A.rows; i++) {
    let r = 0;
    for (let k = A.rowPtr[i]; k < A.rowPtr[i + 1]; k++) {
      r += A.values[k] * (xs[A.colIdx[k]] / xn);
      asq += A.values[k] ** 2;
    }
    rsq += r * r;
  }
  const cn = vecNorm(p.c);
  const residual = Math.sqrt(rsq) / Math.max(Math.sqrt(asq), Number.MIN_VALUE);
  if (!(cx < -CERTIFICATE_TOL * cn)) return { verified: false, rigorous: false, residual, reason: 'c^T x is not clearly negative' };
  // -c^T x / ||A x|| is how large a dual point would have to be to survive the ray.
  if (residual * cn <= CERTIFICATE_TOL * -cx || rsq === 0) return { verified: true, rigorous: rsq === 0, residual };
  return { verified: false, rigorous: false, residual, reason: `A x is ${residual.toPrecision(3)} of ||A|| ||x||` };
}

/** ||v||_2 without overflow or underflow. */
function vecNorm(v: Float64Array): number {
  let m = 0;
  for (const x of v) m = Math.max(m, Math.abs(x));
  if (m === 0 || !Number.isFinite(m)) return m;
  let s = 0;
  for (const x of v) s += (x / m) ** 2;
  return m * Math.sqrt(s);
}

function normProduct(a: Float64Array, b: Float64Array): number {
  return vecNorm(a) * vecNorm(b);
}

/**
 * y moved so that the dual slack of every matrix block with a deficit is shifted onto its
 * cone through the block's own rows: a row whose only entry on block u is one diagonal entry
 * (coefficient a) moves z_u's diagonal by -dy a at no cost when its b is 0 (the design SDPs'
 * FIM rows, Z_ii + J'_ii - kappa F_ii(Q) = 0). The shift goes to the other blocks of those
 * rows instead, where their slack often has room for it (directions the optimum does not
 * use) or a much smaller size bound prices it. Any y gives a valid bound; the caller keeps the
 * best. Only rows with b_i = 0 are moved, so b^T y is unchanged.
 */
export function repairDual(p: ConicProblem, y: Float64Array): Float64Array {
  const { units, unitOf } = unitsOf(p.cones);
  const { v, err } = dualSlack(p, y, 1);
  const d = coneDeficits(p.cones, v, err);
  const out = Float64Array.from(y);
  const deficient = (u: number) => d[u] > 0 && (units[u].kind === 'psd' || units[u].kind === 'hpsd');
  // for every deficient matrix unit: its diagonal entries and a row for each
  const cover = new Map<number, Map<number, number>>();
  units.forEach((_, u) => {
    if (deficient(u)) cover.set(u, new Map());
  });
  if (cover.size === 0) return out;
  const entries = new Map<number, Map<number, { local: number; a: number }>>();
  for (let i = 0; i < p.A.rows; i++) {
    if (p.b[i] !== 0) continue;
    const onRow = diagonalEntries(p, i, units, unitOf, deficient);
    if (!onRow) continue;
    entries.set(i, onRow);
    for (const [u, e] of onRow) if (!cover.get(u)!.has(e.local)) cover.get(u)!.set(e.local, i);
  }
  // the move of each row: the largest any block it covers asks for (all its coefficients on
  // deficient blocks have one sign, so it raises each of their diagonals)
  const move = new Map<number, number>();
  for (const [u, m] of cover) {
    if (m.size !== units[u].n) continue; // the whole diagonal must be covered
    const shift = d[u] * (1 + 1e-6) + 4 * EPS * Math.abs(d[u]);
    for (const row of m.values()) {
      const want = -shift / entries.get(row)!.get(u)!.a; // z_u,jj += shift
      if (Math.abs(want) > Math.abs(move.get(row) ?? 0)) move.set(row, want);
    }
  }
  for (const [row, t] of move) out[row] += t;
  return out.every(Number.isFinite) ? out : Float64Array.from(y);
}

/**
 * Row i's entries on the deficient matrix blocks when each is a single diagonal entry and all
 * have one sign (a row that can raise those diagonals together), else null. Several blocks
 * may share a row: the LMI blocks of a target meet in the rows of its position entries.
 */
function diagonalEntries(
  p: ConicProblem,
  i: number,
  units: Unit[],
  unitOf: Int32Array,
  deficient: (u: number) => boolean,
): Map<number, { local: number; a: number }> | null {
  const { A } = p;
  const onRow = new Map<number, { local: number; a: number }>();
  let sign = 0;
  for (let k = A.rowPtr[i]; k < A.rowPtr[i + 1]; k++) {
    const u = unitOf[A.colIdx[k]];
    const a = A.values[k];
    if (a === 0 || !deficient(u)) continue;
    if (onRow.has(u)) return null;
    const U = units[u];
    const L = layout(U.kind as 'psd' | 'hpsd', U.n);
    const local = A.colIdx[k] - U.off;
    if (L.row[local] !== L.col[local]) return null;
    if (sign !== 0 && Math.sign(a) !== sign) return null;
    sign = Math.sign(a);
    onRow.set(u, { local, a });
  }
  return onRow.size > 0 ? onRow : null;
}

/**
 * y + dy with dy the least-squares solution of A^T dy = c - A^T y - z (conjugate gradients
 * on A A^T, a few dozen products with A): moves the recomputed dual slack c - A^T y back
 * towards the solver's interior z, which shrinks the cone deficits the bound has to pay for.
 * Any y gives a valid bound; this one is usually a tighter one.
 */
export function refineDual(p: ConicProblem, y: Float64Array, z: Float64Array, iterations = 60): Float64Array {
  const { A } = p;
  const m = A.rows;
  const n = p.c.length;
  // A^T by columns (each entry the same sum, in the same order, as scattering A's rows)
  const At = transpose(A);
  const t = new Float64Array(n);
  mulAtCols(At, y, t);
  const r = new Float64Array(n);
  for (let j = 0; j < n; j++) r[j] = p.c[j] - t[j] - z[j];
  // CG on (A A^T) dy = A r
  const rhs = new Float64Array(m);
  mulARows(A, r, rhs);
  const dy = new Float64Array(m);
  const res = Float64Array.from(rhs);
  const dir = Float64Array.from(rhs);
  const Ad = new Float64Array(m);
  let rr = 0;
  for (let i = 0; i < m; i++) rr += res[i] * res[i];
  const rr0 = rr;
  for (let it = 0; it < iterations && rr > 1e-30 * rr0 && rr > 0; it++) {
    mulAtCols(At, dir, t);
    mulARows(A, t, Ad);
    let dAd = 0;
    for (let i = 0; i < m; i++) dAd += dir[i] * Ad[i];
    if (!(dAd > 0)) break;
    const al = rr / dAd;
    let rr2 = 0;
    for (let i = 0; i < m; i++) {
      dy[i] += al * dir[i];
      res[i] -= al * Ad[i];
      rr2 += res[i] * res[i];
    }
    for (let i = 0; i < m; i++) dir[i] = res[i] + (rr2 / rr) * dir[i];
    rr = rr2;
  }
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) out[i] = y[i] + dy[i];
  return out.every(Number.isFinite) ? out : Float64Array.from(y);
}
