/**
 * Certified early stop for bound-only solves (setting `earlyStop`). Branch and bound needs
 * from a relaxation only a valid lower bound, and a node whose bound reaches the incumbent
 * is pruned whatever its exact optimum: so the solve may stop at the first iterate whose
 * dual point proves `bound >= target`, usually several iterations before full accuracy.
 *
 * The proof is the one of certify.ts, on the problem as the user gave it: with
 * z = c - A^T y, every feasible x has c^T x = b^T y + <z, x> >= b^T y - sum_u d_u T_u, d_u
 * the deficit of z on unit u (minus its smallest eigenvalue: the cheap eigenvalue shift of
 * the dual slack onto the cone) and T_u a bound on the size of x_u. The sizes are those of
 * the feasible points with c^T x <= target (certify.ts, "cap"): an optimum above the target
 * needs no proof, and below it these sizes hold. They are computed once per solve. A caller
 * with its own certificate (e.g. an active set that must also price the blocks it left out)
 * passes it as `earlyStop.bound`.
 *
 * The check runs only when the iterate's dual objective has reached the target (the
 * certified bound is never above b^T y), so solves that cannot stop early pay nothing.
 */
import type { ConicProblem, EarlyStop } from './types.ts';
import { coneDeficits, dualSlack, sizeBounds } from './certify.ts';

/** Called by the interior-point loop with its iterate (internal scaling): stop now? */
export type IterateCheck = (y: Float64Array, tau: number, dualObjective: number) => boolean;

/** The scaling between the solver's internal rows/objective and the user's (equilibrate.ts: normalise). */
export interface Scaling {
  alpha: number;
  beta: number;
  gamma: number;
}

/**
 * The loop's check for `es` on the user's problem `p` (solved after the scaling `N`), or
 * undefined when there is nothing to check.
 */
export function iterateCheck(es: EarlyStop | undefined, p: ConicProblem, N: Scaling): IterateCheck | undefined {
  if (!es || !Number.isFinite(es.target)) return undefined;
  const target = es.target;
  const bound = es.bound ?? cappedBound(p, target);
  const yUser = new Float64Array(p.b.length);
  return (y, tau, dualObjective) => {
    if (!(dualObjective * N.beta * N.gamma >= target) || !(tau > 0)) return false;
    // y of the scaled rows -> the user's rows (solve.ts: unscale)
    const f = N.gamma / N.alpha / tau;
    for (let i = 0; i < yUser.length; i++) yUser[i] = y[i]! * f;
    return bound(yUser) >= target;
  };
}

/** b^T y - sum_u d_u T_u with the sizes of the points with c^T x <= cap (see the file comment). */
export function cappedBound(p: ConicProblem, cap: number): (y: Float64Array) => number {
  let T: Float64Array | undefined;
  return (y) => {
    T ??= sizeBounds(p, cap);
    const { v, err } = dualSlack(p, y, 1);
    const d = coneDeficits(p.cones, v, err);
    let shift = 0;
    for (let u = 0; u < d.length; u++) if (d[u]! > 0) shift += d[u]! * T[u]!;
    let by = 0;
    let mag = 0;
    for (let i = 0; i < p.b.length; i++) {
      by += p.b[i]! * y[i]!;
      mag += Math.abs(p.b[i]! * y[i]!);
    }
    const bound = by - (p.b.length + 2) * Number.EPSILON * mag - shift;
    return Number.isFinite(bound) ? bound : -Infinity;
  };
}
