/**
 * Public entry point: validates, prepares (free-variable split), runs the IPM and maps
 * the answer back to the user's variables, with residuals recomputed on the user's data.
 */
import type { ConicProblem, SolverResult, SolverSettings } from './types.ts';
import { prepare } from './prepare.ts';
import { runIpm } from './ipm.ts';
import { resolveSettings } from './settings.ts';
import { norm2 } from '../linalg/real-dense.ts';

/**
 * Solves min c^T x s.t. A x = b, x in K (and its dual). Throws InputError for
 * inconsistent data; every solver outcome, including infeasibility and numerical
 * trouble, is returned as a status.
 */
export function solve(problem: ConicProblem, settings?: Partial<SolverSettings>): SolverResult {
  const t0 = performance.now();
  const S = resolveSettings(settings);
  const P = prepare(problem, S.hermitian);
  const out = runIpm(P, S, t0);
  const N = P.userN;
  const x = new Float64Array(N);
  const z = new Float64Array(N);
  for (let j = 0; j < N; j++) {
    const c = P.colMap[j];
    const t = P.twin[j];
    x[j] = t >= 0 ? out.x[c] - out.x[t] : out.x[c];
    // a free variable's dual slack is 0; report the part the iterate did not cancel
    z[j] = t >= 0 ? out.z[c] - out.z[t] : out.z[c];
  }
  const y = out.y;
  const { A, b, c } = problem;
  let primalResidual = NaN;
  let dualResidual = NaN;
  let relGap = NaN;
  if (out.status !== 'primal_infeasible' && out.status !== 'dual_infeasible') {
    const r = new Float64Array(A.rows);
    const s = Float64Array.from(z);
    for (let i = 0; i < A.rows; i++) {
      let acc = -b[i];
      for (let k = A.rowPtr[i]; k < A.rowPtr[i + 1]; k++) {
        acc += A.values[k] * x[A.colIdx[k]];
        s[A.colIdx[k]] += A.values[k] * y[i];
      }
      r[i] = acc;
    }
    for (let j = 0; j < N; j++) s[j] -= c[j];
    primalResidual = norm2(r) / (1 + norm2(b));
    dualResidual = norm2(s) / (1 + norm2(c));
    relGap = Math.abs(out.primalObjective - out.dualObjective) / Math.max(1, Math.abs(out.primalObjective), Math.abs(out.dualObjective));
  }
  return {
    status: out.status,
    almost: out.almost,
    x, y, z,
    primalObjective: out.primalObjective,
    dualObjective: out.dualObjective,
    relGap, primalResidual, dualResidual,
    iterations: out.iterations,
    seconds: (performance.now() - t0) / 1000,
    certificateResidual: out.certificateResidual,
  };
}
