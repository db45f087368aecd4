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
 * - a matrix unit (the CRLB blocks Z and [[J', I], [I, T]]): every row that carries one of
 *   its diagonal entries moves by -d / a, which adds d to that diagonal of z_u (rows with
 *   b_i = 0, the LMI entries, cost nothing in b^T y; the row tr T <= eps / kappa pays
 *   its right-hand side times the move).
 * What is left outside the cone on a unit without a size makes the bound -Infinity.
 * The objective of the relaxation is the sum of the W~ and R~ traces (times their costs),
 * so a cap on it sizes those blocks too (bestCappedBound).
 */
import type { ConicProblem } from '../conic/types.ts';
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
  const { units } = unitsOf(p.cones);
  const byColumn = columnEntries(p);
  for (let pass = 0; pass < 3; pass++) {
    const { v, err } = dualSlack(p, y, 1);
    const d = coneDeficits(p.cones, v, err);
    let moved = false;
    units.forEach((u, i) => {
      if (!(d[i]! > 0) || sized.has(u.off)) return;
      if (u.kind === 'nonneg') {
        const entries = byColumn[u.off]!;
        if (entries.length !== 1) return;
        const [row, a] = entries[0]!;
        // z_j = c_j - a y_row becomes a little more than 0 (the deficit pads rounding).
        y[row]! += (v[u.off]! - d[i]! * 1e-3) / a;
        moved = true;
        return;
      }
      if (u.kind !== 'psd' && u.kind !== 'hpsd') return;
      const shift = d[i]! * (1 + 1e-6);
      const done = new Set<number>();
      for (const e of diagonalEntries(u.kind, u.n)) {
        for (const [row, a] of byColumn[u.off + e]!) {
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

/** For every column, its (row, value) entries. */
function columnEntries(p: ConicProblem): [number, number][][] {
  const out: [number, number][][] = Array.from({ length: p.A.cols }, () => []);
  const { rowPtr, colIdx, values } = p.A;
  for (let i = 0; i < p.A.rows; i++) for (let t = rowPtr[i]!; t < rowPtr[i + 1]!; t++) if (values[t] !== 0) out[colIdx[t]!]!.push([i, values[t]!]);
  return out;
}

/** Positions of the diagonal entries in svec (psd) or hvec (hpsd) order, column by column. */
function diagonalEntries(kind: 'psd' | 'hpsd', n: number): number[] {
  const out: number[] = [];
  let e = 0;
  for (let j = 0; j < n; j++) {
    out.push(e);
    e += 1 + (kind === 'psd' ? 1 : 2) * (n - 1 - j);
  }
  return out;
}
