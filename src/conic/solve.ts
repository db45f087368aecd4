/**
 * Public entry point: validates, prepares (free-variable split), runs the IPM and maps
 * the answer back to the user's variables, with residuals recomputed on the user's data.
 */
import type { ConicProblem, SolverResult, SolverSettings } from './types.ts';
import { prepare } from './prepare.ts';
import { runIpm } from './ipm.ts';
import { resolveSettings } from './settings.ts';
import { norm2 } from '../linalg/real-dense.ts';
import { equilibrate } from './equilibrate.ts';

/**
 * Solves min c^T x s.t. A x = b, x in K (and its dual). Throws InputError for
 * inconsistent data; every solver outcome, including infeasibility and numerical
 * trouble, is returned as a status.
 */
export function solve(problem: ConicProblem, settings?: Partial<SolverSettings>): SolverResult {
  const t0 = performance.now();
  const S = resolveSettings(settings);
  if (S.equilibrate !== 'auto') return solveOnce(problem, S, S.equilibrate, t0);
  // 'auto': as given first; when that breaks down numerically, once more equilibrated.
  const first = solveOnce(problem, S, false, t0);
  if (first.status !== 'numerical_error' && first.status !== 'max_iterations') return first;
  const left = S.timeLimit - (performance.now() - t0) / 1000;
  if (!(left > 0)) return first;
  const second = solveOnce(problem, { ...S, timeLimit: left }, true, performance.now());
  second.iterations += first.iterations;
  second.seconds = (performance.now() - t0) / 1000;
  return second.status === 'numerical_error' || second.status === 'max_iterations' ? { ...first, seconds: second.seconds } : second;
}

function solveOnce(problem: ConicProblem, S: SolverSettings, scale: boolean, t0: number): SolverResult {
  let P = prepare(problem, S.hermitian); // also validates the user's data (InputError)
  const eq = scale ? equilibrate(problem) : null;
  if (eq) P = prepare(eq.problem, S.hermitian);
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
  const y = Float64Array.from(out.y);
  let primalObjective = out.primalObjective;
  let dualObjective = out.dualObjective;
  const { A, b, c } = problem;
  if (eq) {
    // Back to the user's variables (see equilibrate.ts). Certificates are rays: they are
    // renormalised below instead of divided by the cost scale.
    const ray = out.status === 'primal_infeasible' || out.status === 'dual_infeasible';
    const cs = ray ? 1 : eq.cs;
    for (let j = 0; j < N; j++) {
      x[j] *= eq.E[j];
      z[j] /= eq.E[j] * cs;
    }
    for (let i = 0; i < y.length; i++) y[i] *= eq.D[i] / cs;
    primalObjective /= eq.cs;
    dualObjective /= eq.cs;
    if (out.status === 'primal_infeasible') {
      let by = 0;
      for (let i = 0; i < y.length; i++) by += b[i] * y[i];
      if (by > 0) {
        for (let i = 0; i < y.length; i++) y[i] /= by;
        for (let j = 0; j < N; j++) z[j] /= by;
      }
    } else if (out.status === 'dual_infeasible') {
      let cx = 0;
      for (let j = 0; j < N; j++) cx += c[j] * x[j];
      if (cx < 0) for (let j = 0; j < N; j++) x[j] /= -cx;
    }
  }
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
    relGap = Math.abs(primalObjective - dualObjective) / Math.max(1, Math.abs(primalObjective), Math.abs(dualObjective));
  }
  return {
    status: out.status,
    almost: out.almost,
    x, y, z,
    primalObjective,
    dualObjective,
    relGap, primalResidual, dualResidual,
    iterations: out.iterations,
    seconds: (performance.now() - t0) / 1000,
    certificateResidual: eq ? certificateResidual(problem, out.status, x, y, z) : out.certificateResidual,
  };
}

/** ||A^T y + z|| (primal infeasible) or ||A x|| (dual infeasible) on the user's data. */
function certificateResidual(p: ConicProblem, status: SolverResult['status'], x: Float64Array, y: Float64Array, z: Float64Array): number {
  const { A } = p;
  if (status === 'primal_infeasible') {
    const s = Float64Array.from(z);
    for (let i = 0; i < A.rows; i++) for (let k = A.rowPtr[i]; k < A.rowPtr[i + 1]; k++) s[A.colIdx[k]] += A.values[k] * y[i];
    return norm2(s);
  }
  if (status === 'dual_infeasible') {
    const r = new Float64Array(A.rows);
    for (let i = 0; i < A.rows; i++) for (let k = A.rowPtr[i]; k < A.rowPtr[i + 1]; k++) r[i] += A.values[k] * x[A.colIdx[k]];
    return norm2(r);
  }
  return 0;
}
