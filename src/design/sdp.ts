/**
 * The one place where the design layer calls the conic solver: maps its statuses to
 * what a beamforming subproblem can be (solved, proven infeasible, or failed) and
 * keeps statistics for reports.
 *
 * `infeasible` needs a certificate the solver re-checked on the formulation's data and
 * proved with the size bounds the power budgets give (certify.ts: `rigorous`); anything
 * less is `failed` with the reason. `lowerBound` is the certified bound of the dual point,
 * never the solver's dual objective as such.
 */
import { solve, solvePeakBytes } from '../conic/index.ts';
import { xScale } from '../conic/equilibrate.ts';
import type { ConicProblem, SolverResult, SolverSettings } from '../conic/types.ts';

export interface SdpOutcome {
  status: 'optimal' | 'infeasible' | 'failed';
  x: Float64Array;
  y: Float64Array;
  /** The solver's dual slack (its interior iterate, not recomputed from y). */
  z: Float64Array;
  primalObjective: number;
  dualObjective: number;
  /** Certified lower bound on the SDP's optimum (solver units); -Infinity when none. */
  lowerBound: number;
  iterations: number;
  seconds: number;
  almost: boolean;
  solverStatus: SolverResult['status'];
  message?: string | undefined;
  /** The solver reported infeasibility, but its certificate failed the check on the data. */
  rejectedCertificate?: boolean;
}

/**
 * Running totals of solver work, for the `detail` of a design, and the size of the largest SDP
 * this thread solved (its rows, the non-zeros of A and the solver's price of its memory,
 * solvePeakBytes): what bench/memory.ts sets against the measured peak.
 */
export const sdpStats = { calls: 0, iterations: 0, seconds: 0, largestRows: 0, largestNonzeros: 0, largestBytes: 0 };

/** Solver settings that stop at a wall-clock deadline (performance.now() milliseconds). */
export function untilDeadline(deadline: number | undefined): Partial<SolverSettings> {
  if (deadline === undefined || !Number.isFinite(deadline)) return {};
  return { timeLimit: Math.max(0.001, (deadline - performance.now()) / 1000) };
}

/**
 * The infeasibility tolerance of the retry where a Farkas ray failed the check on the data
 * (100x below the default). The check prices the ray's slack outside the cone at the blocks'
 * size bounds, so a ray good to 1e-8 relative can fail it where a bound is large. Measured on
 * extreme data (K = 4, N = 16, SINR 19 dB, path loss -64 dB at 1 m, a 10 m disc): the ray
 * after 12 iterations cost 14x b^T y on a 2 x 2 sensing-moment block and was rejected; after
 * 27 iterations at 1e-10 it holds, and the decision is proven infeasible.
 */
const RAY_TOL = 1e-10;

/**
 * Ways to solve the same SDP, tried in order while the previous one breaks down
 * numerically (rare, but it happens when a user sits next to its BS and the data spans ~18
 * orders of magnitude): DESIGN_SOLVER_SETTINGS (the solver itself retries equilibrated), with
 * x scaled by the solver's own estimate of its size (the band and rows it uses on any problem:
 * the way these SDPs were solved before DESIGN_SOLVER_SETTINGS), with x in the formulation's
 * units whatever the estimate (each of these two skipped where it scales x as the first
 * attempt did), without the low-rank hints, and with the real embedding of the Hermitian
 * cones, equilibrated.
 */
const FALLBACKS: { settings: Partial<SolverSettings>; dropHints: boolean; onlyAfter?: (last: SdpOutcome) => boolean }[] = [
  { settings: {}, dropHints: false },
  // a rejected Farkas ray refined, by iterating to a tighter infeasibility tolerance (RAY_TOL)
  { settings: { tolInfeas: RAY_TOL }, dropHints: false, onlyAfter: (last) => last.rejectedCertificate === true },
  { settings: { xScaleBand: 16, xScaleSkipPins: false }, dropHints: false },
  { settings: { xScaleBand: Number.MAX_VALUE }, dropHints: false },
  { settings: {}, dropHints: true },
  { settings: { hermitian: 'embedded', equilibrate: true }, dropHints: false },
];

/**
 * Solves one design SDP, falling back to other solver settings when it breaks down numerically;
 * status, solution and iteration counts.
 */
export function runSdp(problem: ConicProblem, settings: Partial<SolverSettings> = {}): SdpOutcome {
  const t0 = performance.now();
  let last: SdpOutcome | undefined;
  let iterations = 0;
  for (const fb of FALLBACKS) {
    const limit = settings.timeLimit === undefined ? undefined : settings.timeLimit - (performance.now() - t0) / 1000;
    if (limit !== undefined && !(limit > 0)) break;
    if (fb.onlyAfter && !(last && fb.onlyAfter(last))) continue;
    if (fb.settings.xScaleBand !== undefined && xFactor(problem, fb.settings) === xFactor(problem, {})) continue;
    const out = runOnce(fb.dropHints ? { ...problem, lowRank: [] } : problem, {
      ...DESIGN_SOLVER_SETTINGS,
      ...settings,
      ...fb.settings,
      ...(limit !== undefined ? { timeLimit: limit } : {}),
    });
    iterations += out.iterations;
    last = { ...out, iterations, seconds: (performance.now() - t0) / 1000 };
    // A certified early stop (settings.earlyStop) is an answer too, not a breakdown.
    if (out.status !== 'failed' || out.solverStatus === 'bound_reached') return last;
  }
  return last ?? timedOut(t0);
}

/** The outcome of a runSdp whose time ran out before its first solve. */
function timedOut(t0: number): SdpOutcome {
  return { ...failedOutcome('the time limit ran out before the solve started'), solverStatus: 'time_limit', seconds: (performance.now() - t0) / 1000 };
}

/**
 * How the design layer's SDPs are solved, whatever the fallback: in the units the formulation
 * chose for them (formulation.ts: every block in its power unit, x of order one) unless the
 * solver's estimate of the size of x is far off, beyond 256 instead of 16. That estimate, the
 * median of |b_i| / ||A_i||, misreads sane design SDPs by up to ~1/128: an SINR row's norm
 * is its strongest channel's gain, not the inverse of a beam's power, and the CRLB cones pin
 * one coordinate at 2 kappa / eps (~1e-5 at a loose bound). Scaling x by it took the hexagon
 * relaxation with K = 30 to 34 iterations instead of 29 (x / 64) and three-target drops at
 * crlbMax 1e6 to 15.05 mean iterations instead of 13.85 (x / 128; docs/solver.md, "The size
 * of x"). Beyond the band it is needed: an SINR target of 90 dB puts it at 3e-8, and without
 * the scaling that infeasible SDP ended a false `optimal (almost)` instead of its certificate.
 *
 * Why xScaleSkipPins. The CRLB cones pin one coordinate each to its constant 2 kappa / eps
 * (formulation.ts, writeEffectiveRows), ~1e-7 at a loose bound. With several targets and few
 * users the pins are most of the rows with b != 0, the median fell on one and x was scaled by
 * ~1e-6: the solve then stalled from its first step (starting mu 4.5e7 against 1.8e2) and ended
 * `numerical_error` in every fallback. Measured on 40 drops each (K = 2, N = 8, crlbMax 1e5 /
 * 1e7 / 1e9): T = 3 failed 4 / 27 / 38 times, T = 4 3 / 34 / 40, T = 1 never; estimated
 * without the pins, none (with the fallback in x's own units for three T = 4 drops). `fixed`
 * had fallen back to a feasible witness there, and `proposed` and `exact` failed outright on 7
 * and 3 of 10 drops at crlbMax 1e7, T = 3. The other way round too: with one antenna, user
 * noise -146 dBm and four tight targets, the pins put the median at 1 where the other rows
 * say 2e-13; scaled by the latter, the solver proves the SDP infeasible instead of ending a
 * false `optimal (almost)` that the model's check had to fail (solve.ts now answers one-antenna
 * scenarios before any SDP, but the SDP measured it).
 */
export const DESIGN_SOLVER_SETTINGS: Readonly<Partial<SolverSettings>> = Object.freeze({ xScaleBand: 256, xScaleSkipPins: true });

/** The factor runSdp's attempt with `settings` scales x by (equal factors: the same solve). */
function xFactor(problem: ConicProblem, settings: Partial<SolverSettings>): number {
  const s = { ...DESIGN_SOLVER_SETTINGS, ...settings };
  return xScale(problem, s.xScaleBand, s.xScaleSkipPins);
}

/** A failed outcome without a solution. */
function failedOutcome(message: string): SdpOutcome {
  return {
    status: 'failed',
    x: new Float64Array(0),
    y: new Float64Array(0),
    z: new Float64Array(0),
    primalObjective: NaN,
    dualObjective: NaN,
    lowerBound: -Infinity,
    iterations: 0,
    seconds: 0,
    almost: false,
    solverStatus: 'numerical_error',
    message,
  };
}

function runOnce(problem: ConicProblem, settings: Partial<SolverSettings>): SdpOutcome {
  let res: SolverResult;
  try {
    res = solve(problem, settings);
  } catch (err) {
    return failedOutcome(`solver error: ${err instanceof Error ? err.message : String(err)}`);
  }
  sdpStats.calls++;
  sdpStats.iterations += res.iterations;
  sdpStats.seconds += res.seconds;
  sdpStats.largestRows = Math.max(sdpStats.largestRows, problem.A.rows);
  sdpStats.largestNonzeros = Math.max(sdpStats.largestNonzeros, problem.A.rowPtr[problem.A.rows]!);
  sdpStats.largestBytes = Math.max(sdpStats.largestBytes, solvePeakBytes(problem, settings.hermitian ?? 'native'));
  const proven = res.status === 'primal_infeasible' && res.certificate?.rigorous === true;
  const status = res.status === 'optimal' ? 'optimal' : proven ? 'infeasible' : 'failed';
  let message: string | undefined;
  if (status === 'failed') {
    message =
      res.status === 'primal_infeasible'
        ? `the solver's infeasibility certificate passed only the relative check (residual ${res.certificate?.residual.toPrecision(3)}), not the proof with the power budgets`
        : `conic solver stopped with status ${res.status}${res.note ? ` (${res.note})` : ''}`;
  }
  return {
    status,
    x: res.x,
    y: res.y,
    z: res.z,
    primalObjective: res.primalObjective,
    dualObjective: res.dualObjective,
    lowerBound: res.lowerBound,
    iterations: res.iterations,
    seconds: res.seconds,
    almost: res.almost,
    solverStatus: res.status,
    message,
    ...(res.certificate && !(res.certificate.verified && res.certificate.rigorous) ? { rejectedCertificate: true } : {}),
  };
}
