/**
 * Public entry point: validates, prepares (free-variable split), runs the IPM and maps
 * the answer back to the user's variables, with residuals recomputed on the user's data.
 * Every infeasibility certificate and every lower bound is then re-checked on the user's
 * data (certify.ts): a certificate that fails is never reported as one.
 */
import type { ConicProblem, SolverResult, SolverSettings } from './types.ts';
import { prepareShape, validate } from './prepare.ts';
import { runIpm } from './ipm.ts';
import { resolveSettings } from './settings.ts';
import { norm2 } from '../linalg/real-dense.ts';
import { equilibrate, normalise, type Normalisation } from './equilibrate.ts';
import { userResidualsWasm } from './scans-wasm.ts';
import { certifiedLowerBound, refineDual, repairDual, sizeBounds, verifyDualInfeasibility, verifyPrimalInfeasibility } from './certify.ts';
import { repairByRows } from './row-repair.ts';
import { iterateCheck, type IterateCheck } from './early-stop.ts';
import { InputError } from '../errors.ts';
import { type ConicShape, conicPeakBytes, requireFits } from '../limits.ts';
import { faceEligible, findFace } from './facial-reduction.ts';
import { liftResult, orthonormalView, restrictProblem } from './face-problem.ts';
import { over, times, timesOver } from '../linalg/vector-ops.ts';

/**
 * Solves min c^T x s.t. A x = b, x in K (and its dual). Throws InputError for
 * inconsistent data; every solver outcome, including infeasibility and numerical
 * trouble, is returned as a status.
 */
export function solve(problem: ConicProblem, settings?: Partial<SolverSettings>): SolverResult {
  const t0 = performance.now();
  const r = solveFrom(problem, settings, t0);
  // the whole call, the certificate checks and the bound included (they run after the
  // interior-point loop, whose own result timed only itself)
  r.seconds = (performance.now() - t0) / 1000;
  return r;
}

/** solve's work; the seconds of what it returns are set by the caller. */
function solveFrom(problem: ConicProblem, settings: Partial<SolverSettings> | undefined, t0: number): SolverResult {
  const S = resolveSettings(settings);
  if (!Number.isFinite(S.xScaleBand) || !(S.xScaleBand >= 1)) throw new InputError(`settings.xScaleBand must be a finite number >= 1, got ${S.xScaleBand}`);
  if (typeof S.xScaleSkipPins !== 'boolean') throw new InputError(`settings.xScaleSkipPins must be true or false, got ${String(S.xScaleSkipPins)}`);
  if (typeof S.certifyBound !== 'boolean') throw new InputError(`settings.certifyBound must be true or false, got ${String(S.certifyBound)}`);
  validate(problem);
  requireSolveFits(problem, S.hermitian);
  const trivial = emptyRowCertificate(problem, t0);
  if (trivial) return trivial;
  const certifier = new Certifier(problem);
  // The solver works on the data scaled by its own magnitudes (equilibrate.ts: normalise);
  // answers are mapped back and then checked on the user's data.
  const N = normalise(problem, S.xScaleBand, S.xScaleSkipPins);
  // The early stop reads the iterate in the user's rows; not on equilibrated data (a retry).
  const run = (scale: boolean, SS: SolverSettings, start: number) =>
    certifier.check(unscale(solveOnce(N.problem, SS, scale, start, scale ? undefined : iterateCheck(SS.earlyStop, problem, N)), N), SS.certifyBound);
  const answer = S.equilibrate !== 'auto' ? run(S.equilibrate, S, t0) : solveAuto(run, S, t0);
  // an answer on the face keeps the bound its reduced solve certified (facial-reduction.ts)
  return solveOnFace(problem, S, answer, t0) ?? answer;
}

type Run = (scale: boolean, S: SolverSettings, start: number) => SolverResult;

/** A problem's sizes as limits.ts prices them. */
function problemShape(problem: ConicProblem): ConicShape {
  const shape: ConicShape = { rows: problem.A.rows, psdOrders: [], hpsdOrders: [], linearDim: 0, nonzeros: problem.A.rowPtr[problem.A.rows] };
  for (const k of problem.cones) {
    if (k.kind === 'psd') shape.psdOrders.push(k.n);
    else if (k.kind === 'hpsd') shape.hpsdOrders.push(k.n);
    else shape.linearDim += k.dim;
  }
  return shape;
}

/** Peak bytes of solving this problem (limits.ts: conicPeakBytes of its own sizes, its Hermitian blocks native or embedded). */
export function solvePeakBytes(problem: ConicProblem, hermitian: SolverSettings['hermitian']): number {
  return conicPeakBytes(problemShape(problem), hermitian === 'embedded');
}

/**
 * Refuses (InputError) a problem whose solve would not fit in this machine's memory, before the
 * loop allocates anything: its own sizes priced by limits.ts, not a caller's estimate, so that
 * an SDP that grew beyond what its caller planned (a design's active set taking in every
 * candidate block, the real embedding of a fallback) ends with a message, not an exhausted process.
 */
function requireSolveFits(problem: ConicProblem, hermitian: SolverSettings['hermitian']): void {
  const shape = problemShape(problem);
  // the embedding changes the price only where there are Hermitian blocks (conicPeakBytes)
  const embedded = hermitian === 'embedded' && shape.hpsdOrders.length > 0;
  const form = embedded ? ', its Hermitian blocks embedded as real ones' : '';
  requireFits(conicPeakBytes(shape, embedded), `the SDP with m = ${shape.rows}, ${problem.cones.length} cones and ${shape.nonzeros} non-zeros${form}`);
}

/**
 * 'auto': as given first; when that breaks down numerically (or its certificate does not
 * hold on the user's data), once more equilibrated.
 */
function solveAuto(run: Run, S: SolverSettings, t0: number): SolverResult {
  const first = run(false, S, t0);
  if (!brokeDown(first)) return first;
  const left = S.timeLimit - (performance.now() - t0) / 1000;
  if (!(left > 0)) return first;
  const second = run(true, { ...S, timeLimit: left }, performance.now());
  second.iterations += first.iterations;
  return brokeDown(second) ? first : second;
}

/**
 * An answer that is only `almost` (or none) on a problem whose primal may have no interior:
 * solved again over the face a certificate from the data exposes (facial-reduction.ts), and
 * returned when that is `optimal` at full accuracy on the given data; otherwise null.
 */
function solveOnFace(problem: ConicProblem, S: SolverSettings, answer: SolverResult, t0: number): SolverResult | null {
  if (!S.facialReduction || !faceEligible(problem)) return null;
  if (!((answer.status === 'optimal' && answer.almost) || brokeDown(answer))) return null;
  const left = () => S.timeLimit - (performance.now() - t0) / 1000;
  if (!(left() > 0)) return null;
  // findFace's auxiliary solve sets its own settings (no bound, no facial reduction, no early stop)
  const { face, iterations } = findFace(problem, solve, { ...S, timeLimit: left() });
  if (!face || !(left() > 0)) return null;
  const { reduced, rows } = restrictProblem(problem, face);
  const red = solve(reduced, { ...S, facialReduction: false, earlyStop: undefined, timeLimit: left() });
  if (red.status !== 'optimal' || red.almost) return null;
  const lifted = liftResult(problem, face, rows, red);
  if (!liftHolds(lifted, S)) return null;
  // the face solve's bound, certified once more over an orthonormal basis when its own dual
  // point gave none (face-problem.ts, orthonormalView)
  if (S.certifyBound && !(lifted.lowerBound > -Infinity)) {
    const view = orthonormalView(problem, face, rows, red);
    lifted.lowerBound = new Certifier(view.problem).check(view.result).lowerBound;
  }
  return {
    ...lifted,
    iterations: answer.iterations + iterations + red.iterations,
    note:
      `solved on a face of the cone: the rows force every feasible point into it (no strictly feasible point), ` +
      `${face.removed} of ${problem.c.length} coordinates removed; ${answer.iterations} iterations before, ${iterations} to find the face, ${red.iterations} on it`,
  };
}

/**
 * The lift is exact: its residuals on the given rows (all of them, dropped ones included) are
 * those of an optimal answer, within LIFT_SLACK for the rows' other normalisation (1 + ||b||,
 * 1 + ||c|| of the full problem). A row dropped wrongly leaves a residual of its own size. The
 * gap is the face solve's own (c^T x and b^T y are the same numbers), which it judged optimal.
 */
function liftHolds(r: SolverResult, S: SolverSettings): boolean {
  return r.primalResidual <= LIFT_SLACK * S.tolFeas && r.dualResidual <= LIFT_SLACK * S.tolFeas;
}

const LIFT_SLACK = 10;

/** A result on the normalised data, in the user's units (rays keep their direction only). */
function unscale(r: SolverResult, N: Normalisation): SolverResult {
  const { alpha, beta, gamma } = N;
  if (alpha === 1 && beta === 1 && gamma === 1) return r;
  if (r.status === 'primal_infeasible') return { ...r, y: over(r.y, alpha) };
  if (r.status === 'dual_infeasible') return r;
  const bg = beta * gamma;
  return {
    ...r,
    x: times(r.x, beta),
    y: timesOver(r.y, gamma, alpha),
    z: times(r.z, gamma),
    primalObjective: r.primalObjective * bg,
    dualObjective: r.dualObjective * bg,
  };
}

function brokeDown(r: SolverResult): boolean {
  return r.status === 'numerical_error' || r.status === 'max_iterations';
}

/**
 * Relative distance of a certified bound from the primal value at which no further dual point
 * is tried: half the design layer's optimality gap (1e-6), so no decision there changes (a
 * bound this close certifies either way; one further away gets every candidate, as before).
 * At 1e-7 the further candidates ran on most paper-scale solves (bounds 1e-7..6e-7 from the
 * primal value) and never moved the bound there: 10-15 % of a solve for nothing.
 */
const CLOSE_ENOUGH = 5e-7;

/**
 * Re-checks a result on the user's data: infeasibility certificates (a rejected one becomes
 * `numerical_error` with a note) and the lower bound of a dual point. The size bounds of
 * the rows are computed once per problem, when first needed.
 */
class Certifier {
  private bounds: Float64Array | undefined;
  constructor(private readonly problem: ConicProblem) {}

  private T(): Float64Array {
    return (this.bounds ??= sizeBounds(this.problem));
  }

  /** The result with its certificate checked and, when `bound`, its lower bound certified. */
  check(r: SolverResult, bound = true): SolverResult {
    if (r.status === 'primal_infeasible' || r.status === 'dual_infeasible') {
      const c = r.status === 'primal_infeasible' ? verifyPrimalInfeasibility(this.problem, r.y, this.T()) : verifyDualInfeasibility(this.problem, r.x);
      const certificate = { verified: c.verified, rigorous: c.rigorous, residual: c.residual };
      if (c.verified)
        return { ...r, certificate, certificateResidual: c.residual, lowerBound: r.status === 'primal_infeasible' && c.rigorous ? Infinity : -Infinity };
      return {
        ...r,
        status: 'numerical_error',
        almost: false,
        primalObjective: NaN,
        dualObjective: NaN,
        certificate,
        lowerBound: -Infinity,
        note: `the solver's ${r.status.replace('_', ' ')} certificate does not hold on the given data: ${c.reason}`,
      };
    }
    if (!bound) return { ...r, lowerBound: -Infinity };
    let ok = r.y.length === this.problem.b.length;
    for (let i = 0; ok && i < r.y.length; i++) ok = Number.isFinite(r.y[i]);
    // The primal value caps the size bounds (valid for any cap, see certifiedLowerBound).
    const cap = Number.isFinite(r.primalObjective) ? r.primalObjective + 1e-9 * Math.abs(r.primalObjective) : undefined;
    if (!ok) return { ...r, lowerBound: -Infinity };
    // The solver's y, and y moved so that c - A^T y is closer to its z: both bounds are valid.
    // And each with the deficits of its matrix blocks moved through their own rows (repairDual).
    // Cheapest first; the next is tried only while the bound is further from the primal value
    // than the solver's own gap tolerance (a tighter bound would not change any decision above).
    const closeEnough = (bound: number) =>
      Number.isFinite(r.primalObjective) && r.primalObjective - bound <= CLOSE_ENOUGH * Math.max(1, Math.abs(r.primalObjective));
    const T = sizeBounds(this.problem, cap);
    const priced = (y: Float64Array) => ({ y, bound: certifiedLowerBound(this.problem, y, cap, T).bound });
    let best = priced(r.y);
    if (closeEnough(best.bound)) return { ...r, lowerBound: best.bound };
    const yr = refineDual(this.problem, r.y, r.z);
    // repaired twice: a deficit the first repair moved onto blocks it can repair in turn (the
    // LMI blocks' onto the sensing moments) moves on once more
    const candidates = [
      () => yr,
      () => repairDual(this.problem, r.y),
      () => repairDual(this.problem, yr),
      () => repairDual(this.problem, repairDual(this.problem, r.y)),
    ];
    for (const next of candidates) {
      const c = priced(next());
      if (c.bound > best.bound) best = c;
      if (closeEnough(best.bound)) return { ...r, lowerBound: best.bound };
    }
    // last, the best point so far with single rows moved onto its costliest blocks (row-repair.ts)
    return { ...r, lowerBound: repairByRows(this.problem, best.y, cap, T).bound };
  }
}

/**
 * A row with no coefficients and b_i != 0 makes A x = b infeasible; its certificate is
 * exact (y = e_i / b_i, A^T y = 0), and the interior-point method would only stall on it.
 */
function emptyRowCertificate(p: ConicProblem, t0: number): SolverResult | null {
  const { A, b } = p;
  for (let i = 0; i < A.rows; i++) {
    let empty = true;
    for (let k = A.rowPtr[i]; k < A.rowPtr[i + 1] && empty; k++) empty = A.values[k] === 0;
    if (!empty || b[i] === 0) continue;
    const y = new Float64Array(A.rows);
    y[i] = 1 / b[i];
    const n = p.c.length;
    return {
      status: 'primal_infeasible',
      almost: false,
      x: new Float64Array(n),
      y,
      z: new Float64Array(n),
      primalObjective: Infinity,
      dualObjective: Infinity,
      relGap: NaN,
      primalResidual: NaN,
      dualResidual: NaN,
      iterations: 0,
      seconds: (performance.now() - t0) / 1000,
      certificateResidual: 0,
      lowerBound: Infinity,
      certificate: { verified: true, rigorous: true, residual: 0 },
      note: `row ${i} of A is zero but b[${i}] = ${b[i]}`,
    };
  }
  return null;
}

function solveOnce(problem: ConicProblem, S: SolverSettings, scale: boolean, t0: number, earlyStop?: IterateCheck): SolverResult {
  // prepareShape validates the data it is given (InputError); equilibrated, the data are validated
  // before they are scaled, and prepared once (preparing them unscaled too, only to validate,
  // built every cone's kernels and A's transposes a second time)
  if (scale) validate(problem);
  const eq = scale ? equilibrate(problem) : null;
  const P = prepareShape(eq ? eq.problem : problem, S.hermitian);
  const out = runIpm(P, S, t0, earlyStop);
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
    const s = new Float64Array(N);
    if (!userResidualsWasm(A, b, c, x, y, z, r, s)) userResiduals(problem, x, y, z, r, s);
    primalResidual = norm2(r) / (1 + norm2(b));
    dualResidual = norm2(s) / (1 + norm2(c));
    relGap = Math.abs(primalObjective - dualObjective) / Math.max(1, Math.abs(primalObjective), Math.abs(dualObjective));
  }
  return {
    status: out.status,
    almost: out.almost,
    x,
    y,
    z,
    primalObjective,
    dualObjective,
    relGap,
    primalResidual,
    dualResidual,
    iterations: out.iterations,
    seconds: (performance.now() - t0) / 1000,
    certificateResidual: eq ? certificateResidual(problem, out.status, x, y, z) : out.certificateResidual,
    lowerBound: -Infinity,
  };
}

/**
 * An answer's residuals on the user's data: r = A x - b and s = z + A^T y - c (the twin of
 * scans-wasm.ts userResidualsWasm, which takes large A).
 */
export function userResiduals(p: ConicProblem, x: Float64Array, y: Float64Array, z: Float64Array, r: Float64Array, s: Float64Array): void {
  const { A, b, c } = p;
  s.set(z);
  for (let i = 0; i < A.rows; i++) {
    let acc = -b[i];
    for (let k = A.rowPtr[i]; k < A.rowPtr[i + 1]; k++) {
      acc += A.values[k] * x[A.colIdx[k]];
      s[A.colIdx[k]] += A.values[k] * y[i];
    }
    r[i] = acc;
  }
  for (let j = 0; j < c.length; j++) s[j] -= c[j];
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
