/**
 * `fixed`: with the receiving BS and the association fixed, problem (13) without the
 * rank constraint C9 is an SDP; solve it and recover rank-one beamformers exactly.
 */
import type { Complex } from './api.ts';
import type { Design } from '../model/types.ts';
import { userSinrOf } from '../model/sinr.ts';
import { FEASIBILITY_TOL } from '../model/evaluate.ts';
import { crlbFromEquivalentFim, equivalentFim } from '../model/fim.ts';
import { cmat } from '../linalg/complex.ts';
import { covariancesOf } from '../model/covariance.ts';
import { projectQ } from './hermitian2.ts';
import type { DesignData } from './data.ts';
import { buildFormulation, readR, readW, type Formulation, type NodeSpec } from './formulation.ts';
import { runSdp, untilDeadline, type SdpOutcome } from './sdp.ts';
import { recoverRankOne, type RecoveredDesign } from './recover.ts';
import { infeasibleWithoutCrlb } from './relaxation.ts';

/**
 * Relative gap between a design's value and its certified lower bound below which it is
 * reported `optimal`. The interior-point method stops at 1e-8 in its own units; the certified
 * bound also pays for the dual slack's shift onto the cone, priced unit by unit with the
 * pinned entries of the CRLB block taken out exactly (conic/certify.ts), which leaves well-solved
 * cases within ~1e-6 (measured: at most 7.7e-7 on the relaxed variants of examples/small.json,
 * below 4e-7 on random scenarios). A solve that stalls at the solver's reduced tolerance
 * (1e-5, `almost`) is `feasible` with its bound and gap.
 */
export const OPTIMALITY_GAP = 1e-6;

export interface FixedOptions {
  /** Scheme 3: only BS `sensingTransmitter` sends a sensing signal and only its echo is used. */
  bistatic?: { transmitter: number } | undefined;
  /** Stop the solver at this performance.now() time (ms); the solve then counts as failed. */
  deadline?: number | undefined;
  /** Relative safety margin on the SINR and CRLB targets (formulation.ts; default 1e-7). */
  margin?: number | undefined;
  /** The CRLB's own margin (default `margin`). */
  crlbMargin?: number | undefined;
  /** Solve to TIGHT_TOL instead of the solver's default tolerances (a re-solve, below). */
  tight?: boolean | undefined;
  /** How the CRLB is compiled (formulation.ts, NodeSpec.crlbForm); `lmi` is the fallback below. */
  crlbForm?: 'effective' | 'lmi' | undefined;
  /** The blocks' power units floored (formulation.ts, NodeSpec.unitFloor); the re-solve below. */
  unitFloor?: number | undefined;
}

export interface FixedSolution {
  status: 'optimal' | 'infeasible' | 'failed';
  /** Optimal value of the SDP (W), when solved. */
  objective?: number;
  /**
   * A certified lower bound (W), when solved and certifiable: the dual point's objective
   * minus the cost of shifting its slack onto the cone (conic/certify.ts), never above the
   * SDP's optimum. Absent when no bound could be certified.
   */
  bound?: number;
  /** (objective - bound) / objective; Infinity without a bound. */
  gap?: number;
  /** The gap is within OPTIMALITY_GAP: `objective` is the optimum, not just a feasible value. */
  certified?: boolean;
  design?: RecoveredDesign;
  /** How far `design` misses its worst CRLB, relative (0 when it meets every one): crlbShortfall. */
  crlbMiss?: number;
  sdp: SdpOutcome;
  message?: string | undefined;
}

/** Node specification of problem (13) for a receiver and an association. */
export function fixedSpec(data: DesignData, receiver: number, association: number[], opts: FixedOptions = {}): NodeSpec {
  const others: number[] = [];
  for (let s = 0; s < data.S; s++) if (s !== receiver) others.push(s);
  const tx = opts.bistatic ? [opts.bistatic.transmitter] : others;
  return {
    receivers: [{ r: receiver, weight: 1, transmitters: tx }],
    sensingTx: tx,
    candidates: association.map((s) => [s]),
    ...(opts.crlbForm !== undefined ? { crlbForm: opts.crlbForm } : {}),
    ...(opts.unitFloor !== undefined ? { unitFloor: opts.unitFloor } : {}),
    ...(opts.margin !== undefined ? { margin: opts.margin } : {}),
    ...(opts.crlbMargin !== undefined ? { crlbMargin: opts.crlbMargin } : {}),
  };
}

/** Reads the relaxed W_k (at the serving BS) and R_s of a solved formulation, in W. */
export function extractCovariances(f: Formulation, x: Float64Array, association: number[]) {
  const Wk = association.map((s, k) => readW(f, x, s, k));
  const Rs = new Map<number, Float64Array>();
  for (const s of f.R.keys()) Rs.set(s, readR(f, x, s));
  return { Wk, Rs };
}

/**
 * Problem (13) for a fixed receiving BS and association: the SDP without the rank constraint,
 * solved exactly, with rank-one beamformers recovered by Theorem 1; `infeasible` comes with the
 * solver's certificate. The CRLB is compiled in closed form, and also as the paper's LMI pair
 * where that form breaks down, leaves a design that misses a CRLB or cannot certify its value
 * (withLmiForm).
 */
export function solveFixed(data: DesignData, receiver: number, association: number[], opts: FixedOptions = {}): FixedSolution {
  const out = solveFixedForms(data, receiver, association, opts);
  if (out.status !== 'failed' || opts.crlbForm !== undefined || opts.margin !== undefined || opts.tight || opts.unitFloor !== undefined) return out;
  // the last resort: SINR and power alone (relaxation.ts infeasibleWithoutCrlb)
  const sdp = infeasibleWithoutCrlb(data, fixedSpec(data, receiver, association, opts), opts.deadline);
  if (!sdp) return out;
  return { status: 'infeasible', sdp, message: 'infeasible without even the CRLB constraints: the SINR targets and power budgets alone admit no beamforming' };
}

/** solveFixed before that last resort: the closed form, the LMI form and the floored units. */
function solveFixedForms(data: DesignData, receiver: number, association: number[], opts: FixedOptions): FixedSolution {
  const out = solveFixedAs(data, receiver, association, opts);
  if (opts.crlbForm === 'lmi' || opts.margin !== undefined || opts.tight) return out;
  if (out.status === 'infeasible' || (out.certified && !missesCrlb(out))) return out;
  const both = withLmiForm(data, receiver, association, opts, out);
  if (opts.unitFloor !== undefined || both.status !== 'optimal' || (both.certified && !missesCrlb(both))) return both;
  return withFlooredUnits(data, receiver, association, opts, both);
}

/** The fraction of the largest power unit below which the re-solve of withFlooredUnits lifts a block's unit. */
const UNIT_FLOOR = 1e-3;

/**
 * An answer whose optimum could not be certified, solved once more with every block's power
 * unit at least UNIT_FLOOR of the largest (formulation.ts, NodeSpec.unitFloor), and the two
 * answers combined as withLmiForm combines its two: both bound the same problem.
 *
 * Why. Where one unit is many orders below the others (a loose CRLB needs almost no sensing
 * power; a user next to its BS almost no beam power), that unit's blocks cost 1e-11 or less
 * per unit in the objective, the solver resolves their dual slack only to its absolute
 * tolerance, and the certificate prices the slack's deficit there with a size bound of the cap
 * over that cost. Measured on the extreme campaign (seeds 47000-47199, docs/benchmarks.md): 5
 * of 61 `fixed` answers uncertified, gaps 1.2e-6 to 2.6e-5 (47181: a deficit of 2.5e-11 on four
 * sensing blocks, size bounds 7.6e10, priced at 5.7 times the optimum). With the units floored
 * at 1e-3 of the largest, three of them certify, and 47009's design is 2.6e-5 cheaper. The floor
 * is not the default: over the whole campaign it changed no certified optimum but moved the
 * heuristics' decisions both ways (Algorithm 1's power 9 times lower and 5 times higher by more
 * than 0.1 %).
 */
function withFlooredUnits(data: DesignData, receiver: number, association: number[], opts: FixedOptions, first: FixedSolution): FixedSolution {
  const floored = solveFixed(data, receiver, association, { ...opts, unitFloor: UNIT_FLOOR });
  return combined(first, floored) ?? first;
}

/** solveFixed with the CRLB in the form opts.crlbForm says. */
function solveFixedAs(data: DesignData, receiver: number, association: number[], opts: FixedOptions): FixedSolution {
  const spec = fixedSpec(data, receiver, association, opts);
  const f = buildFormulation(data, spec);
  const sdp = runSdp(f.problem, { ...untilDeadline(opts.deadline), ...(opts.tight ? TIGHT : {}) });
  if (sdp.status === 'infeasible') return { status: 'infeasible', sdp };
  if (sdp.status !== 'optimal') return { status: 'failed', sdp, message: sdp.message };
  const { Wk, Rs } = extractCovariances(f, sdp.x, association);
  const design = recoverRankOne(data.S, data.N, association, Wk, Rs, (s, k) => data.channel(s, k));
  const objective = sdp.primalObjective * f.objectiveUnit + f.constant;
  const checked = modelDesignOf(data.N, receiver, association, design);
  const sinrMiss = sinrShortfall(data, checked);
  const crlbMiss = crlbShortfall(data, spec, checked);
  const shortfall = Math.max(sinrMiss, crlbMiss);
  const solverBound = Number.isFinite(sdp.lowerBound) ? sdp.lowerBound * f.objectiveUnit + f.constant : -Infinity;
  if ((shortfall > FEASIBILITY_TOL || relativeGap(objective, solverBound) > OPTIMALITY_GAP) && opts.margin === undefined && !opts.tight) {
    // First the same SDP to tighter tolerances. Where the miss is the solver's residual on a
    // row the normalisation made small (a user with strong interferers), or the certificate
    // prices a dual slack still a little outside its cone, a few more iterations remove it
    // and the design stays the optimum: the paper-fig3 drop in the tests (SINR miss 3.3e-4 at
    // 1e-8, none at 1e-10, 5 more iterations); examples/small.json with user noise -175 dBm at
    // receiver 1 (certified gap 1.7e-4 -> 2e-10, 5 more iterations).
    // Kept when certified, or when its gap is below the margin the coarse solve's miss would
    // need (that re-solve's value is at least a margin above the optimum).
    const tight = solveFixed(data, receiver, association, { ...opts, tight: true });
    if (tight.status === 'optimal' && (tight.certified || tight.gap! < marginFor(shortfall))) return tight;
  }
  if (shortfall > FEASIBILITY_TOL && opts.margin === undefined) {
    // The solver met its tolerances but the design misses a SINR target by more than the
    // model's check allows: near the budget limit at high SINR targets the interference terms
    // are large against the noise, and a 1e-8 residual grows to ~1e-5 in the SINR; the same
    // for a CRLB where a solve ends at the reduced tolerance (`almost`). Solve again,
    // once, with a margin a few times the miss; that SDP's value is the design's, while the
    // first solve's bound stays the bound of problem (13) (its margin of 1e-7 is within the gap
    // tolerance), so the gap reported is honest. A design that still misses fails the model's
    // check later, as any other.
    // Each kind of requirement gets a margin for its own miss only: a CRLB missed at a loose
    // bound (crlbMax 1e9, information below the moments' resolution) costs sensing power
    // alone, not a 1e-3 raise of every SINR target.
    const margin = sinrMiss > FEASIBILITY_TOL ? marginFor(sinrMiss) : 1e-7;
    const crlbMargin = crlbMiss > FEASIBILITY_TOL ? marginFor(crlbMiss, MAX_CRLB_MARGIN) : 1e-7;
    const again = solveFixed(data, receiver, association, { ...opts, margin, crlbMargin });
    if (again.status !== 'optimal') return again;
    const first = boundOf(data, receiver, association, opts, sdp, f, objective);
    const bound = first === undefined ? again.bound : Math.min(again.objective!, first);
    const gap = bound === undefined ? Infinity : relativeGap(again.objective!, bound);
    return { ...again, ...(bound !== undefined ? { bound } : {}), gap, certified: gap <= OPTIMALITY_GAP };
  }
  const bound = boundOf(data, receiver, association, opts, sdp, f, objective);
  const gap = bound === undefined ? Infinity : relativeGap(objective, bound);
  return { status: 'optimal', objective, ...(bound !== undefined ? { bound } : {}), gap, certified: gap <= OPTIMALITY_GAP, design, crlbMiss, sdp };
}

/**
 * The same problem with the CRLB compiled as the paper's LMI pair, where the closed form (one
 * second-order cone per target) broke down, left a design that misses a CRLB, or could not
 * certify its value. Of the two answers whose designs meet every CRLB, the cheaper design with
 * the better of the two certified bounds (each bounds the same problem); the LMI form's
 * certificate of infeasibility where the closed form found no design that meets every CRLB;
 * else the closed form's.
 *
 * Why. At a loose bound where one direction of a target's position gets far less information
 * than the other (several targets and few users: the users' beams inform each target along
 * the directions they happen to cross it), the cone's pinned constant 2 kappa / eps is ~1e-7
 * against entries of J' up to 100, and the binding weak direction is the small difference of
 * two such entries: the solver's residual tolerance (1e-8 of ||b||) leaves it wrong by 10 % or
 * more. The LMI form holds the inverse of J' in a block of its own, whose large entry in the
 * weak direction the tolerance resolves. Measured on 10 drops (K = 2, N = 8, T = 3, crlbMax
 * 1e7): the closed form's `optimal` designs missed a CRLB by 0.3 % to 46x on 4 of them. With
 * one user and four targets (K = 1, N = 2, crlbMax 1.7e7) a sensing block's 1.5e-11 deficit
 * times its 2.9e6 size bound left the closed form's bound 4.2e-5 below its value; the LMI
 * form's is 1.5e-7 below.
 */
function withLmiForm(data: DesignData, receiver: number, association: number[], opts: FixedOptions, closed: FixedSolution): FixedSolution {
  const lmi = solveFixedAs(data, receiver, association, { ...opts, crlbForm: 'lmi' });
  // a design the model accepts outweighs a certificate (the witness rule of solve.ts)
  if (lmi.status === 'infeasible') return closed.status === 'optimal' && !missesCrlb(closed) ? closed : lmi;
  return combined(closed, lmi) ?? closed;
}

/**
 * Two answers to the same problem as one: of those whose designs meet every CRLB, the cheaper,
 * with the better of the two certified bounds (each bounds the same problem); null when
 * neither design meets every CRLB.
 */
function combined(a: FixedSolution, b: FixedSolution): FixedSolution | null {
  const good = [a, b].filter((s) => s.status === 'optimal' && !missesCrlb(s));
  if (good.length === 0) return null;
  const best = good.reduce((x, y) => (y.objective! < x.objective! ? y : x));
  const bounds = [a, b].filter((s) => s.status === 'optimal' && s.bound !== undefined).map((s) => s.bound!);
  if (bounds.length === 0) return best;
  const bound = Math.min(best.objective!, Math.max(...bounds));
  const gap = relativeGap(best.objective!, bound);
  return { ...best, bound, gap, certified: gap <= OPTIMALITY_GAP };
}

/** The solution's design misses a target's CRLB by more than the model's check allows. */
function missesCrlb(sol: FixedSolution): boolean {
  return (sol.crlbMiss ?? 0) > FEASIBILITY_TOL;
}

/** Tolerances of the tight re-solve: 100x below the solver's defaults, still far above rounding. */
const TIGHT_TOL = 1e-10;
const TIGHT = { tolFeas: TIGHT_TOL, tolGapRel: TIGHT_TOL, tolGapAbs: TIGHT_TOL };

/** The largest safety margin a re-solve may use (a design off by more is a solver failure). */
const MAX_MARGIN = 1e-3;

/** The safety margin of a re-solve for a design that missed its targets by `shortfall`: a few times the miss, at most `max`. */
function marginFor(shortfall: number, max = MAX_MARGIN): number {
  return Math.min(max, 1e-7 + 4 * shortfall);
}

/**
 * The largest CRLB margin of the same re-solve, larger than MAX_MARGIN because a CRLB can miss
 * by percents where the solver is right about everything it resolves: when the users' beams
 * carry almost all the information, the sensing power that fills a weak direction can be 1e-8
 * of the total power, below the solver's tolerance on the objective. Measured (K = 3, N = 2,
 * T = 2, crlbMax 3.6e8, `proposed`'s final choice): both CRLB forms said optimal with a target
 * at 1.02-1.05 of its bound; with a margin of 0.2 the design meets it at 0.80, for 3e-8 more
 * power. A margin that costs power shows in the gap against the first solve's bound, so the
 * answer stays honest.
 */
const MAX_CRLB_MARGIN = 0.5;

/** The certified lower bound of a solved `fixed` SDP (W), or undefined. */
function boundOf(
  data: DesignData,
  receiver: number,
  association: number[],
  opts: FixedOptions,
  sdp: SdpOutcome,
  f: Formulation,
  objective: number,
): number | undefined {
  let bound = Number.isFinite(sdp.lowerBound) ? Math.min(objective, sdp.lowerBound * f.objectiveUnit + f.constant) : undefined;
  if (bound === undefined || relativeGap(objective, bound) > OPTIMALITY_GAP) {
    const relaxed = boundWithoutCrlb(data, receiver, association, opts);
    if (relaxed !== undefined && (bound === undefined || relaxed > bound)) bound = Math.min(objective, relaxed);
  }
  return bound;
}

/** The recovered design in the model's terms (interleaved vectors and matrices). */
export function modelDesignOf(N: number, receiver: number, association: number[], design: RecoveredDesign): Design {
  const flat = (v: readonly Complex[]) => Float64Array.from(v.flat());
  return {
    receiver,
    association,
    beamformers: design.beamformers.map(flat),
    sensingCovariances: design.sensingCovariances.map((rows) => cmat(N, N, Float64Array.from(rows.flat(2)))),
  };
}

/**
 * The largest relative miss, 1 - SINR_k / Gamma_k, over the users of a recovered design
 * (0 when every target is met), by the model's SINR (5).
 */
function sinrShortfall(data: DesignData, design: Design): number {
  const sinr = userSinrOf({ channel: (s, k) => data.channel(s, k), noisePower: (k) => data.sigma2[k]! }, design);
  return Math.max(0, ...sinr.map((v, k) => 1 - v / data.gamma[k]!));
}

/** Largest relative excess of a target's CRLB over its bound epsilon_t (0 when every target meets its bound). */
function crlbShortfall(data: DesignData, spec: NodeSpec, design: Design): number {
  const crlbs = designCrlbs(data, spec, design);
  return Math.max(0, ...crlbs.map((c, t) => c / data.targets[t]!.epsilon - 1));
}

/**
 * Each target's CRLB (m^2) for the FIM the SDP constrains (the receivers' weighted FIM,
 * F_ij = sum_q tr(V_q M_ij V_q^H Q_q)), evaluated from the recovered beams and sensing
 * covariances: the design layer's own reading of C2, checked against the model's in tests.
 */
export function designCrlbs(data: DesignData, spec: NodeSpec, design: Design): number[] {
  const N = data.N;
  const Q = covariancesOf(data.S, N, design).map((q) => q.data);
  const totalWeight = spec.receivers.reduce((acc, t) => acc + t.weight, 0);
  return data.targets.map((_, t) => {
    let F: number[][] | null = null;
    for (const term of spec.receivers) {
      const fl = data.fim(term.r, term.transmitters, t);
      F ??= Array.from({ length: fl.dim }, () => new Array<number>(fl.dim).fill(0));
      const moments = fl.transmitters.map((s, q) => projectQ(fl.V[q]!, Q[s]!, N));
      for (let i = 0; i < fl.dim; i++) {
        for (let j = i; j < fl.dim; j++) {
          let v = 0;
          fl.transmitters.forEach((_, q) => {
            const M = fl.coef(i, j, q);
            // tr(V M V^H Q) = tr(M G), G = V^H Q V
            if (M) v += traceProduct2(M, moments[q]!);
          });
          F[i]![j]! += (term.weight / totalWeight) * v;
          if (j !== i) F[j]![i] = F[i]![j]!;
        }
      }
    }
    return F ? crlbFromEquivalentFim(equivalentFim(F)) : Infinity;
  });
}

/** tr(M G) of two 2 x 2 Hermitian matrices (interleaved row-major): Re sum_ab M_ab G_ba. */
function traceProduct2(M: Float64Array, G: Float64Array): number {
  let t = 0;
  for (let a = 0; a < 2; a++) {
    for (let b = 0; b < 2; b++) t += M[2 * (2 * a + b)]! * G[2 * (2 * b + a)]! - M[2 * (2 * a + b) + 1]! * G[2 * (2 * b + a) + 1]!;
  }
  return t;
}

/**
 * The certified bound of the same SDP without the CRLB constraint: a relaxation, so its bound
 * holds for the full problem too. When the CRLB is far from binding (crlbMax 1e9, a very
 * quiet radar), the full problem's LMI block may be huge over the feasible set, and the shift
 * its dual slack needs then costs too much; without the LMI that cost disappears.
 */
function boundWithoutCrlb(data: DesignData, receiver: number, association: number[], opts: FixedOptions): number | undefined {
  const f = buildFormulation(data, { ...fixedSpec(data, receiver, association, opts), crlb: false });
  const sdp = runSdp(f.problem, untilDeadline(opts.deadline));
  if (sdp.status !== 'optimal' || !Number.isFinite(sdp.lowerBound)) return undefined;
  return sdp.lowerBound * f.objectiveUnit + f.constant;
}

/** (upper - lower) / |upper|, 0 when both are 0. */
export function relativeGap(upper: number, lower: number): number {
  const d = upper - lower;
  if (d <= 0) return 0;
  return d / Math.abs(upper);
}
