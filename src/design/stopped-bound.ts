/**
 * A lower bound on the full association relaxation from any dual point y of a restricted
 * (active-set) SDP, for solves stopped before optimality (relaxation.ts).
 *
 * For every feasible x of the full relaxation, c^T x = b^T y + sum_u <z_u, x_u> with
 * z = c - A^T y (active-set.ts). A unit u with z_u outside its cone costs at most
 * d_u tr(x_u), d_u its deficit (minus the smallest eigenvalue), so
 *   c^T x >= b^T y - sum_u d_u T_u + (left-out blocks' prices)
 * with T_u any upper bound on tr(x_u) over the full relaxation. Sizes known to hold there
 * are those of the W~ and R~ blocks: the power row C1 of their BS gives tr <= P (in the
 * block's unit, P / u). The solver's own size bounds come from the restricted SDP's rows,
 * which need not hold once left-out blocks join, so every other unit's deficit is removed
 * first by moving y (the "shift" is paid in b^T y and in the W~ / R~ deficits instead):
 * - a scalar column with one entry a in row i: y_i += z_j / a makes z_j = 0;
 * - a scalar column with several entries: through a row that raises every other unsized
 *   slack it touches (harmlessRows; the CRLB's sigma through its moment row);
 * - a matrix or second-order unit (the CRLB's blocks Z, [[J', I], [I, T]], its SOC and the
 *   sensing moments): every row that carries one of its identity's entries (a diagonal entry,
 *   the SOC's t) moves by -d / a, which adds d to that entry of z_u, i.e. d times the
 *   identity for an SOC (rows with b_i = 0 cost nothing in b^T y; a row with a right-hand
 *   side, such as tr T <= eps / kappa or the SOC's, pays it times the move).
 * What is left outside the cone on a unit without a size makes the bound -Infinity.
 * The objective of the relaxation is the sum of the W~ and R~ traces (times their costs),
 * so a cap on it sizes those blocks too (bestCappedBound).
 */
import type { Cone, ConicProblem } from '../conic/types.ts';
import { coneDeficits, dualSlack, unitsOf } from '../conic/certify.ts';

/** A unit whose dual slack is outside its cone by `deficit`, and what caps its size. */
export interface PricedUnit {
  deficit: number;
  /** Its size can never exceed this (a power budget, in the unit's own scale). */
  budget: number;
  /** Its cost per unit of size (the objective is the sum of cost * size over such units). */
  cost: number;
}

/**
 * y after the repairs above, its b^T y (less a rounding bound) and the deficits left on the
 * units with known sizes (`sized`: unit offset -> budget and cost); null when a unit without
 * a size stays outside its cone.
 */
export function repairDual(
  p: ConicProblem,
  y0: Float64Array,
  sized: Map<number, { budget: number; cost: number }>,
): { y: Float64Array; by: number; priced: PricedUnit[] } | null {
  if (y0.length !== p.A.rows || !y0.every(Number.isFinite)) return null;
  const y = Float64Array.from(y0);
  const { units, unitOf } = unitsOf(p.cones);
  const byColumn = columnEntries(p, units, sized);
  const harmless = harmlessRows(p, units, unitOf, sized, byColumn);
  for (let pass = 0; pass < 3; pass++) {
    const { v, err } = dualSlack(p, y, 1);
    const d = coneDeficits(p.cones, v, err);
    let moved = false;
    units.forEach((u, i) => {
      if (!(d[i]! > 0) || sized.has(u.off)) return;
      if (u.kind === 'nonneg') {
        const entries = byColumn.get(u.off) ?? [];
        const pick = entries.length === 1 ? entries[0] : entries.find(([row, a]) => harmless.get(row) === Math.sign(a));
        if (!pick) return;
        const [row, a] = pick;
        // z_j = c_j - a y_row becomes a little more than 0 (the deficit pads rounding).
        y[row]! += (v[u.off]! - d[i]! * 1e-3) / a;
        moved = true;
        return;
      }
      if (u.kind === 'free') return;
      const shift = d[i]! * (1 + 1e-6);
      const done = new Set<number>();
      for (const e of diagonalEntries(u.kind, u.n)) {
        for (const [row, a] of byColumn.get(u.off + e) ?? []) {
          if (done.has(row)) continue;
          done.add(row);
          y[row]! -= shift / a;
          moved = true;
          break;
        }
      }
    });
    if (!moved) break;
  }
  const { v, err } = dualSlack(p, y, 1);
  const d = coneDeficits(p.cones, v, err);
  const priced: PricedUnit[] = [];
  let ok = true;
  units.forEach((u, i) => {
    if (!(d[i]! > 0)) return;
    const s = sized.get(u.off);
    if (s) priced.push({ deficit: d[i]!, ...s });
    else ok = false;
  });
  if (!ok) return null;
  let by = 0;
  let mag = 0;
  for (let i = 0; i < p.b.length; i++) {
    by += p.b[i]! * y[i]!;
    mag += Math.abs(p.b[i]! * y[i]!);
  }
  return { y, by: by - (p.b.length + 2) * Number.EPSILON * mag, priced };
}

/**
 * max over caps of min(cap, by - sum_u d_u min(budget_u, cap / cost_u)): for any cap, an
 * optimum above it is above the value, and one below it has cost_u size_u <= cap on every
 * unit (the objective is their nonnegative sum), so each value is a valid bound. Tried at
 * cap = Infinity (budgets only), at the cap where the two sides meet with costs only, and at
 * `cap` when given (an early stop's target: the value reaches it exactly when it is proven).
 */
export function bestCappedBound(by: number, priced: PricedUnit[], cap?: number): number {
  const at = (cap: number): number => {
    let v = by;
    for (const u of priced) v -= u.deficit * Math.min(u.budget, cap / u.cost);
    return Math.min(cap, v);
  };
  let D = 0;
  for (const u of priced) D += u.deficit / u.cost;
  const meet = by > 0 ? by / (1 + D) : -Infinity;
  const best = Math.max(at(Infinity), Number.isFinite(meet) ? at(meet) : -Infinity, cap !== undefined && Number.isFinite(cap) ? at(cap) : -Infinity);
  return Number.isFinite(best) ? best : -Infinity;
}

/**
 * The (row, value) entries of the columns a repair may move through: the scalar columns and
 * the diagonal entries of the matrix units without a size (a few hundred columns; the W~
 * blocks' millions of entries are never collected).
 */
function columnEntries(p: ConicProblem, units: ReturnType<typeof unitsOf>['units'], sized: Map<number, unknown>): Map<number, [number, number][]> {
  const out = new Map<number, [number, number][]>();
  for (const u of units) {
    if (sized.has(u.off)) continue;
    if (u.kind !== 'free') for (const e of diagonalEntries(u.kind, u.n)) out.set(u.off + e, []);
  }
  const { rowPtr, colIdx, values } = p.A;
  for (let i = 0; i < p.A.rows; i++) {
    for (let t = rowPtr[i]!; t < rowPtr[i + 1]!; t++) {
      const list = values[t] !== 0 ? out.get(colIdx[t]!) : undefined;
      if (list) list.push([i, values[t]!]);
    }
  }
  return out;
}

/**
 * Rows with b_i = 0 whose entries outside the sized units all have one sign and sit on the
 * identity directions of their cones (scalars, matrix diagonals, an SOC's t), mapped to that
 * sign: moving such a row to raise one of them raises (or leaves) every other unsized slack
 * and costs nothing in b^T y (the sized units pay). The sensing moments' rows that carry the
 * CRLB's sigma (formulation.ts) are of this kind. `identityEntries`: the unsized units'
 * identity positions (the keys of columnEntries).
 */
function harmlessRows(
  p: ConicProblem,
  units: ReturnType<typeof unitsOf>['units'],
  unitOf: Int32Array,
  sized: Map<number, unknown>,
  identityEntries: Map<number, unknown>,
): Map<number, number> {
  const out = new Map<number, number>();
  const { rowPtr, colIdx, values } = p.A;
  for (let i = 0; i < p.A.rows; i++) {
    if (p.b[i] !== 0) continue;
    let sign = 0;
    let ok = true;
    for (let t = rowPtr[i]!; t < rowPtr[i + 1]! && ok; t++) {
      const j = colIdx[t]!;
      if (values[t] === 0 || sized.has(units[unitOf[j]!]!.off)) continue;
      const sj = Math.sign(values[t]!);
      ok = identityEntries.has(j) && (sign === 0 || sj === sign);
      sign = sj;
    }
    if (ok && sign !== 0) out.set(i, sign);
  }
  return out;
}

/** Positions of the identity's entries: the diagonal in svec (psd) or hvec (hpsd) order, an SOC's t, a scalar. */
function diagonalEntries(kind: Cone['kind'], n: number): number[] {
  if (kind === 'soc' || kind === 'nonneg' || kind === 'free') return [0];
  const out: number[] = [];
  let e = 0;
  for (let j = 0; j < n; j++) {
    out.push(e);
    e += 1 + (kind === 'psd' ? 1 : 2) * (n - 1 - j);
  }
  return out;
}
