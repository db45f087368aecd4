/**
 * A dual point's certified bound improved by moving single rows of y (certify.ts prices
 * whatever deficit z = c - A^T y has left on each unit at that unit's size bound T_u).
 *
 * Why single rows. A block whose variables carry a tiny share of the objective (a user needing
 * 1e-12 W next to beams of 1 W, each block in its own unit) has a huge size bound: T_u ~ 5e11
 * on examples/small.json with user noise -175 dBm. A deficit at the solver's accuracy on that
 * block, 2.6e-13, then costs 0.13 of an optimum of 4010 (a gap of 3.3e-5). Raising that
 * block's smallest eigenvalue by its deficit through one of its rows changes b^T y by
 * b_i dy_i, which is tiny when the row's right-hand side is of order one: the gap fell to
 * 1.2e-7 there. `repairDual` (certify.ts) does this only through rows with b_i = 0 that hit
 * single diagonal entries; here any row touching the block may move, chosen by a first-order
 * estimate and kept only when the rigorous bound says it pays.
 *
 * First order: with e the eigenvector of z_u's smallest eigenvalue, moving y_i by dy changes
 * that eigenvalue by -dy e^H A_{i,u} e = -dy <a_{i,u}, vec(e e^H)> (the vectorisations are
 * isometries), so dy = -d_u / g_i raises it by the deficit. Every candidate is re-priced by
 * certifiedLowerBound, so the estimate only orders the search: the result is as rigorous as
 * any other dual point.
 */
import type { ConicProblem } from './types.ts';
import { certifiedLowerBound, coneDeficits, dualSlack, unitsOf } from './certify.ts';
import { EigWorkspace, eigSym } from '../linalg/real-eig.ts';
import { cmAlloc, HEigWorkspace, hvecToCm } from './cones/hermitian-kernels.ts';
import { hvec, svec, svecToMat } from './vec.ts';

type Unit = ReturnType<typeof unitsOf>['units'][number];

/** Units repaired per round (the costliest first), rows tried per unit, rounds. */
const UNITS_PER_ROUND = 2;
const ROWS_PER_UNIT = 3;
const ROUNDS = 2;
/**
 * Multiples of the first-order move tried: the deficit includes a rounding pad, and a block's
 * smallest eigenvalue moves less than first order predicts once the move reaches the next one.
 */
const MULTIPLES = [1.5, 4];

export interface RepairedBound {
  y: Float64Array;
  bound: number;
}

/**
 * The best certified bound found from y by single-row moves (at least y's own bound), with
 * the dual point that gives it. `T` are the size bounds for `cap` (sizeBounds(p, cap)).
 */
export function repairByRows(p: ConicProblem, y: Float64Array, cap: number | undefined, T: Float64Array): RepairedBound {
  let best: RepairedBound = { y, bound: certifiedLowerBound(p, y, cap, T).bound };
  const { units, unitOf } = unitsOf(p.cones);
  for (let round = 0; round < ROUNDS; round++) {
    const { v, err } = dualSlack(p, best.y, 1);
    const d = coneDeficits(p.cones, v, err);
    const costly = [...d.keys()]
      .filter((u) => d[u]! > 0 && Number.isFinite(T[u]!) && units[u]!.kind !== 'free')
      .sort((a, b) => d[b]! * T[b]! - d[a]! * T[a]!)
      .slice(0, UNITS_PER_ROUND);
    let improved = false;
    for (const u of costly) {
      const e = minDirection(units[u]!, v);
      if (!e) continue;
      for (const { row, dy } of movesFor(p, unitOf, u, units[u]!, e, d[u]!, T)) {
        for (const k of MULTIPLES) {
          const next = Float64Array.from(best.y);
          next[row] += k * dy;
          const bound = certifiedLowerBound(p, next, cap, T).bound;
          if (bound > best.bound) {
            best = { y: next, bound };
            improved = true;
          }
        }
      }
    }
    if (!improved) break;
  }
  return best;
}

/**
 * The rows that can raise unit u's smallest eigenvalue, each with its first-order move, the
 * ROWS_PER_UNIT with the best predicted change of the bound: b_i dy (the dual objective)
 * minus what the move may cost on the row's other units (|dy| times its entries' norm there
 * times their size bounds: pessimistic, as if those blocks had no room).
 */
function movesFor(
  p: ConicProblem,
  unitOf: Int32Array,
  u: number,
  unit: Unit,
  e: Float64Array,
  deficit: number,
  T: Float64Array,
): { row: number; dy: number }[] {
  const { A, b } = p;
  const out: { row: number; dy: number; gain: number }[] = [];
  for (let i = 0; i < A.rows; i++) {
    let g = 0;
    let touches = false;
    const others = new Map<number, number>();
    for (let k = A.rowPtr[i]; k < A.rowPtr[i + 1]; k++) {
      const j = A.colIdx[k];
      const w = unitOf[j]!;
      if (w === u) {
        touches = true;
        g += A.values[k]! * e[j - unit.off]!;
      } else others.set(w, (others.get(w) ?? 0) + A.values[k]! ** 2);
    }
    if (!touches || !(Math.abs(g) > 0)) continue;
    const dy = -deficit / g;
    let side = 0;
    for (const [w, sq] of others) side += Math.abs(dy) * Math.sqrt(sq) * T[w]!;
    const gain = b[i]! * dy - side;
    if (Number.isFinite(gain)) out.push({ row: i, dy, gain });
  }
  return out.sort((x, y) => y.gain - x.gain).slice(0, ROWS_PER_UNIT);
}

/**
 * The vectorisation of the direction along which unit u of v is smallest: vec(e e^H) for a
 * matrix block's eigenvector e, (1, -xbar/|xbar|) for a second-order cone (the gradient of
 * t - |xbar|, the deficit's measure there), 1 for a nonnegative column; undefined when it cannot be computed.
 */
function minDirection(unit: Unit, v: Float64Array): Float64Array | undefined {
  if (unit.kind === 'nonneg') return Float64Array.of(1);
  if (unit.kind === 'soc') {
    let s = 0;
    for (let j = unit.off + 1; j < unit.off + unit.dim; j++) s += v[j]! ** 2;
    const r = Math.sqrt(s);
    const out = new Float64Array(unit.dim);
    out[0] = 1;
    if (r > 0) for (let j = 1; j < unit.dim; j++) out[j] = -v[unit.off + j]! / r;
    return out;
  }
  return unit.kind === 'hpsd' ? hermitianDirection(unit, v) : symmetricDirection(unit, v);
}

/** hvec(e e^H) of the eigenvector e of the smallest eigenvalue of a Hermitian block. */
function hermitianDirection(unit: Unit, v: Float64Array): Float64Array | undefined {
  const n = unit.n;
  const M = cmAlloc(n);
  hvecToCm(v, unit.off, n, M);
  const ws = new HEigWorkspace(n);
  if (!ws.eig(M, true, false)) return undefined;
  // e is column 0 of the eigenvectors; (e e^H)_ij = e_i conj(e_j)
  const { re, im } = ws.v;
  const E = cmAlloc(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      E.re[i * n + j] = re[i * n] * re[j * n] + im[i * n] * im[j * n];
      E.im[i * n + j] = im[i * n] * re[j * n] - re[i * n] * im[j * n];
    }
  }
  return hvec(E, n);
}

/** svec(e e^T) of the eigenvector e of the smallest eigenvalue of a real symmetric block. */
function symmetricDirection(unit: Unit, v: Float64Array): Float64Array | undefined {
  const n = unit.n;
  const M = new Float64Array(n * n);
  svecToMat(v, unit.off, n, M);
  const ws = new EigWorkspace(n);
  if (!eigSym(M, ws, true)) return undefined;
  // e is row 0 of the eigenvectors
  const E = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) E[i * n + j] = ws.v[i] * ws.v[j];
  return svec(E, n);
}
