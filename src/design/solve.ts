/**
 * `solveScenario`: runs one method on a scenario and returns a design in the JSON
 * contract. Every design is re-evaluated from scratch by the model (SINR (5), CRLB (7),
 * powers) before it is reported `optimal`/`feasible`; one that fails that check is a bug
 * and comes back `failed` with the violations, never as a result.
 */
import type { Scenario } from '../model/types.ts';
import { evaluateDesign } from '../model/evaluate.ts';
import { InputError } from '../errors.ts';
import {
  type ConicShape,
  conicFlops,
  conicPeakBytes,
  DEFAULT_TIME_ALLOWANCE,
  designBytes,
  designCheckFlops,
  FLOP_RATE,
  requireFinishes,
  requireFits,
} from '../limits.ts';
import { derive } from '../linalg/prng.ts';
import { METHODS, type DesignJson, type Method, type SolveOptions } from './api.ts';
import { designData, requireParsedScenario } from './from-scenario.ts';
import type { DesignData } from './data.ts';
import { OPTIMALITY_GAP, solveFixed, type FixedSolution } from './fixed.ts';
import { feasibleWitness } from './witness.ts';
import { toPairs, vecToPairs } from '../linalg/complex.ts';
import { closestBs, PROPOSED_INITS, solveProposed, type ProposedResult } from './proposed.ts';
import { solveExact, type ExactOptions, type ExactResult } from './exact.ts';
import { sdpStats } from './sdp.ts';
import { holdNormalMemory } from '../conic/kkt-wasm.ts';
import { parseDesign } from '../model/design.ts';

/** The BS pair of Scheme 3: BS1 transmits the sensing signal, BS2 receives (0-based 0 and 1). */
export const SCHEME3 = { transmitter: 0, receiver: 1 } as const;

/** The options object with a known method (from JavaScript it may be missing or misspelt). */
function requireMethod(opts: SolveOptions | undefined): void {
  if (opts === null || typeof opts !== 'object') throw new InputError(`expected an options object with a method (one of ${METHODS.join(', ')})`, 'options');
  if (!(METHODS as readonly unknown[]).includes(opts.method))
    throw new InputError(`unknown method '${String(opts.method)}' (expected one of ${METHODS.join(', ')})`, 'method');
}

/**
 * Checks solve options against a scenario (receiver range, association shape, method-specific
 * options); throws InputError naming the option.
 */
export function validateSolveOptions(scn: Scenario, opts: SolveOptions): void {
  requireParsedScenario(scn);
  requireMethod(opts);
  // The SDP has a Hermitian block per (BS, user) pair, of order N restricted to the span of
  // the BS's channels and sensing directions (subspace.ts: a_t and D a_t per target, whatever
  // the receiver): at most K + 2T. Refuse what cannot fit in memory before anything is built.
  const order = Math.min(scn.N, scn.K + 2 * scn.targets.length);
  const sdp = `the SDP of a scenario with S = ${scn.S}, K = ${scn.K}, N = ${scn.N} (blocks of order ${order})`;
  // (its non-zeros grow as the users squared times the order: the users name it)
  requireFits(estimateSolveBytes(scn, opts.method), sdp, 'users');
  // The design itself (S sensing covariances of N x N entries, as contract JSON) must fit too.
  const design = `a design with S = ${scn.S} sensing covariances of ${scn.N} x ${scn.N} entries`;
  requireFits(designBytes(scn.S, scn.K, scn.N), design, 'antennas', 'heap');
  // ... and what cannot finish in a sensible time (unless the caller allows it).
  if (!opts.force) {
    const seconds = estimateSolveSeconds(scn, opts.method);
    const allowance = Math.max(DEFAULT_TIME_ALLOWANCE, opts.timeLimit ?? 0);
    // name the input that makes it long: the antennas (the N^3 check of the design) or the users (the SDP)
    const checkShare = designCheckFlops(scn.S, scn.targets.length, scn.N) / FLOP_RATE / seconds;
    const where = checkShare >= 0.5 ? 'antennas' : 'users';
    requireFinishes(seconds, `method ${opts.method} on a scenario with S = ${scn.S}, K = ${scn.K}, N = ${scn.N}`, where, allowance);
  }
  if (opts.receiver !== undefined && (!Number.isInteger(opts.receiver) || opts.receiver < 0 || opts.receiver >= scn.S)) {
    throw new InputError(`must be an integer in 0..${scn.S - 1}, got ${opts.receiver}`, 'receiver');
  }
  if (opts.receiver !== undefined && opts.method !== 'fixed' && opts.method !== 'exact') {
    throw new InputError(`is only used by the methods fixed and exact, not ${opts.method}`, 'receiver');
  }
  if (opts.method === 'fixed') {
    if (opts.receiver === undefined) throw new InputError('method fixed needs --receiver', 'receiver');
    const a = opts.association;
    if (!a) throw new InputError('method fixed needs --association', 'association');
    if (a.length !== scn.K) throw new InputError(`needs ${scn.K} entries (one per user), got ${a.length}`, 'association');
    a.forEach((s, k) => {
      if (!Number.isInteger(s) || s < 0 || s >= scn.S) {
        throw new InputError(`user ${k}: BS ${s} is not in 0..${scn.S - 1}`, `association[${k}]`);
      }
      if (s === opts.receiver) throw new InputError(`user ${k} is served by the receiving BS ${s}`, `association[${k}]`);
    });
  }
  if (opts.init !== undefined && !(PROPOSED_INITS as readonly string[]).includes(opts.init)) {
    throw new InputError(`must be one of ${PROPOSED_INITS.join(', ')}, got '${opts.init}'`, 'init');
  }
  if (opts.muStart !== undefined && !(opts.muStart > 0 && Number.isFinite(opts.muStart))) {
    throw new InputError(`must be a positive number (W), got ${opts.muStart}`, 'muStart');
  }
  if (opts.method === 'scheme3' && scn.S < 2) throw new InputError('scheme3 needs at least 2 BSs', 'baseStations');
  if (opts.threads !== undefined && !(Number.isInteger(opts.threads) && opts.threads >= 1)) {
    throw new InputError(`must be a positive integer, got ${opts.threads}`, 'threads');
  }
  if (opts.timeLimit !== undefined && !(opts.timeLimit > 0)) {
    throw new InputError(`must be a positive number of seconds, got ${opts.timeLimit}`, 'timeLimit');
  }
}

/**
 * A method's conic work as a multiple of one interior-point iteration of its SDP (conicFlops
 * with one iteration, run at FLOP_RATE): the number of SDPs it solves, their iterations and how
 * much faster than the flop model the solver runs them, folded into one factor per method. Measured by bench/estimates.ts on networks of 4, 7 and 19 BSs (K 5-60,
 * N 8-64, T 1-3; checked again with 37 and 61 BSs on 2026-12-03, all still below): the largest ratio of measured seconds to model work over the solves that
 * took 0.5 s or more, rounded up by half again, so that the estimate stays on the long side
 * (docs/benchmarks.md, "Time estimates"). exact's search varies most with the data (its
 * factor is the least certain; its time limit, when given, bounds it).
 */
const SDP_WORK: Record<Method, number> = {
  fixed: 4,
  scheme2: 9,
  scheme3: 50,
  scheme1: 12,
  proposed: 100,
  exact: 300,
};

/**
 * Rows of Algorithm 1's subproblem (23) beyond those of the SDP of solvedShape: a big-M row per
 * BS-user pair (the link of w_{s,k} to a_{s,k}), and for proposed, whose b is fractional until
 * it settles, the CRLB rows of every BS that still receives in part. Measured with S = 19,
 * K = 12: 334 rows for scheme1 (one receiver; 106 + S K; scheme3, Algorithm 1 with b fixed, alike), 709 and 919 for proposed with one
 * and two targets (24 S T bounds the part that grows with the targets: 456 and 912).
 */
const ALGORITHM1_ROWS: Record<Method, (S: number, K: number, T: number) => number> = {
  fixed: () => 0,
  scheme2: () => 0,
  exact: () => 0,
  scheme1: (S, K) => S * K,
  scheme3: (S, K) => S * K,
  proposed: (S, K, T) => S * K + 24 * S * T,
};

/**
 * The SDP a method solves, as formulation.ts builds it: a row per SINR (K), per BS budget (S)
 * and four per sensing BS and target (the CRLB in closed form); a Hermitian block per
 * transmitting pair, of order min(N, K + 2T) (the span of the BS's channels and sensing
 * directions), and a 2 x 2 block per sensing BS and target. `pairs`: the blocks of users.
 */
function solvedShape(S: number, K: number, N: number, T: number, pairs: number): ConicShape {
  const order = Math.min(N, K + 2 * T);
  const senders = Math.max(1, S - 1);
  return {
    rows: K + S + 4 * S * T,
    psdOrders: [],
    hpsdOrders: [...Array<number>(pairs + senders).fill(order), ...Array<number>(senders * T).fill(2)],
    linearDim: K + 2 * S + 5 * T,
    // each SINR row touches every block (the interference of every beam and sensing signal), and
    // the CRLB's rows of a target every block too: (K + 4T) full blocks, within 10 % of the
    // non-zeros counted on fixed (4 and 19 BSs, K = 60, N 16-64) and proposed (bench/memory.ts)
    nonzeros: (K + 4 * T) * (pairs + senders) * order * order,
  };
}

/**
 * The SDP a method solves (solvedShape) with the rows Algorithm 1's subproblem (23) adds
 * (ALGORITHM1_ROWS); `blockRows`, the rows that touch the blocks (the extra rows each touch
 * one block or a few, so they grow the Schur complement, not the work on a block); and
 * `schurFactor`, the factorisation of M: on its pattern (PatternCholesky) each extra row
 * meets at most the block rows (taken twice over, on the long side) and those are factored
 * densely last; dense m^3 / 3 where that is less (every network up to 19 BSs for the methods
 * without extra rows).
 *
 * Why: the dense m^3 / 3 alone made `proposed` on 61 BSs (K = 30, N = 8, 3629 rows) an
 * estimated 30 min, refused, where it takes 12-37 s: the solver factors that M on its pattern
 * (~1e6 multiply-adds, not 1.6e10).
 */
function methodShape(scn: Scenario, method: Method): { shape: ConicShape; blockRows: number; schurFactor: number } {
  const T = scn.targets.length;
  // fixed, scheme2 and scheme3 have one block per user; the others solve their candidate-pair
  // SDPs by an active set (relaxation.ts, bigm-active-set.ts): about two per user enter the SDP
  const pairs = method === 'fixed' || method === 'scheme2' || method === 'scheme3' ? scn.K : Math.min(scn.S - 1, 2) * scn.K;
  const shape = solvedShape(scn.S, scn.K, scn.N, T, pairs);
  const blockRows = shape.rows;
  const rows = blockRows + ALGORITHM1_ROWS[method](scn.S, scn.K, T);
  const schurFactor = Math.min(rows ** 3 / 3, (rows - blockRows) * (2 * blockRows) ** 2 + blockRows ** 3 / 3);
  return { shape: { ...shape, rows }, blockRows, schurFactor };
}

/**
 * Seconds a method needs on this machine (limits.ts: FLOP_RATE), on the long side: its conic
 * solves (methodShape, SDP_WORK) and the check of the design it returns, which works with
 * N x N matrices and dominates for many antennas. Used to refuse what cannot finish.
 */
export function estimateSolveSeconds(scn: Scenario, method: Method): number {
  const { iteration, rest } = solveWork(scn, method);
  return (SDP_WORK[method] * iteration + rest) / FLOP_RATE;
}

/**
 * The flops of estimateSolveSeconds before SDP_WORK weighs them: one interior-point iteration
 * of the method's SDP, and the rest (the subspaces, the lift to N antennas, the design's check).
 * Exported for bench/estimates.ts, which fits SDP_WORK from measured times.
 */
export function solveWork(scn: Scenario, method: Method): { iteration: number; rest: number } {
  const T = scn.targets.length;
  const { shape, blockRows, schurFactor } = methodShape(scn, method);
  // Building the subspaces and lifting the design back to N antennas: N^2 per basis vector.
  const lift = 8 * scn.S * (scn.K + 2 * T) * scn.N * scn.N;
  return { iteration: conicFlops(shape, blockRows, 1, 2, schurFactor), rest: lift + designCheckFlops(scn.S, T, scn.N) };
}

/**
 * Peak bytes of a method's solve, up front: its SDP (methodShape) as conicPeakBytes prices it.
 * For the methods with candidate pairs this is the active set's first SDP (about two candidates
 * per user); when the active set grows past that, or a fallback embeds the Hermitian blocks,
 * the conic solver checks the SDP it is given against the same budget before it allocates
 * (conic/solve.ts), and a solve that cannot fit ends `failed` saying so.
 */
export function estimateSolveBytes(scn: Scenario, method: Method): number {
  return conicPeakBytes(methodShape(scn, method).shape);
}

/**
 * Runs one design method on a scenario and returns the design in the JSON contract (receiver,
 * association, beamformers, sensing covariances, powers, status, lower bound where proven).
 * Every design is re-evaluated with the model before it is returned; one that fails the check
 * is reported `failed`. Throws InputError for unusable options. With `threads` > 1, `exact`
 * solves its subproblems on that many worker threads (Node only); every other method, and
 * `exact` with one thread, runs on the calling thread as solveScenarioSync does.
 *
 * @example
 * const design = await solveScenario(parseScenario(json), { method: 'proposed' });
 */
export async function solveScenario(scn: Scenario, opts: SolveOptions): Promise<DesignJson> {
  requireMethod(opts);
  const threads = opts.threads ?? 1;
  if (opts.method !== 'exact' || threads <= 1) return solveScenarioSync(scn, opts);
  validateSolveOptions(scn, opts);
  const data = designData(scn);
  const t0 = performance.now();
  const stats0 = { ...sdpStats };
  if (data.N === 1) return finish(scn, withoutAngleInformation('exact', opts), t0, stats0);
  // Loaded only here, and hidden from bundlers: the browser app never runs worker threads.
  // The path goes through ../design/ so that it also resolves from the CLI bundle in dist/cli.
  const poolModule = '../design/exact-pool.ts';
  const { solveExactParallel } = (await import(/* @vite-ignore */ poolModule)) as typeof import('./exact-pool.ts');
  const raw = fromExact('exact', opts, await solveExactParallel(scn, data, exactOptions(opts), threads));
  return finish(scn, raw, t0, stats0);
}

/**
 * The synchronous form of {@link solveScenario} (same result; blocks the thread while it
 * solves).
 */
export function solveScenarioSync(scn: Scenario, opts: SolveOptions): DesignJson {
  validateSolveOptions(scn, opts);
  const data = designData(scn);
  const t0 = performance.now();
  const stats0 = { ...sdpStats };
  return finish(
    scn,
    holdNormalMemory(() => runMethod(data, scn, opts)),
    t0,
    stats0,
  );
}

/** Wall time and solver statistics into the design, then the independent re-evaluation. */
function finish(scn: Scenario, raw: DesignJson, t0: number, stats0: typeof sdpStats): DesignJson {
  raw.seconds = (performance.now() - t0) / 1000;
  raw.detail = {
    ...raw.detail,
    sdpCalls: sdpStats.calls - stats0.calls,
    sdpIterations: sdpStats.iterations - stats0.iterations,
    sdpSeconds: sdpStats.seconds - stats0.seconds,
  };
  return verify(scn, raw);
}

function runMethod(data: DesignData, scn: Scenario, opts: SolveOptions): DesignJson {
  const method = opts.method;
  if (data.N === 1) return withoutAngleInformation(method, opts);
  switch (method) {
    case 'fixed': {
      const sol = solveFixed(data, opts.receiver!, opts.association!);
      const out = fromFixed(method, opts.receiver!, opts.association!, sol, { optimal: sol.certified === true });
      if (sol.status === 'optimal' && !sol.certified) {
        out.message =
          sol.bound === undefined
            ? 'solved, but no lower bound could be certified: the value is feasible, not proven optimal'
            : `solved, but the certified lower bound leaves a relative gap of ${sol.gap!.toPrecision(3)}: the value is feasible, not proven optimal`;
      }
      // A certified optimum needs no witness (see SolveOptions.alwaysWitness).
      if (sol.certified && !opts.alwaysWitness) return out;
      return againstWitness(scn, out, opts.receiver!, opts.association!);
    }
    case 'scheme2': {
      const rng = derive(opts.seed ?? 0, 2);
      const receiver = Math.floor(rng.uniform() * data.S);
      const association = Array.from({ length: data.K }, () => {
        const j = Math.floor(rng.uniform() * (data.S - 1));
        return j >= receiver ? j + 1 : j;
      });
      const sol = solveFixed(data, receiver, association);
      return againstWitness(scn, fromFixed(method, receiver, association, sol, { optimal: false }), receiver, association);
    }
    case 'proposed':
    case 'scheme1':
    case 'scheme3': {
      const res =
        method === 'proposed'
          ? solveProposed(data, { init: opts.init, muStart: opts.muStart, shouldStop: opts.shouldStop, onProgress: opts.onProgress })
          : method === 'scheme1'
            ? solveProposed(data, {
                init: opts.init,
                muStart: opts.muStart,
                fixedReceiver: closestBs(data),
                shouldStop: opts.shouldStop,
                onProgress: opts.onProgress,
              })
            : solveProposed(data, {
                fixedReceiver: SCHEME3.receiver,
                bistaticTransmitter: SCHEME3.transmitter,
                shouldStop: opts.shouldStop,
                onProgress: opts.onProgress,
              });
      const out = fromProposed(method, res);
      // Where the final `fixed` solve at the algorithm's decision breaks down or its design fails
      // the model's check, a witness at the same decision stands in (as for `fixed`); a proven
      // infeasible decision is reported as such (a witness there would cost every infeasible
      // drop of a study ~15 model checks). Not for Scheme 3: the witness senses from every
      // transmitter, which is not the bistatic scheme.
      const final = res.final;
      if (method === 'scheme3' || !final || res.receiver === undefined || final.status === 'infeasible') return out;
      if (final.status === 'optimal' && final.certified && !modelViolations(scn, out)) return out;
      return againstWitness(scn, out, res.receiver, res.association!);
    }
    case 'exact':
      return fromExact(method, opts, solveExact(data, exactOptions(opts)));
    default:
      throw new InputError(`unknown method '${String(method)}'`, 'method');
  }
}

/**
 * With one antenna per BS the steering vectors are constants: no design informs the target's
 * position (the delay's derivative lies in the span of the gain nuisance parameters, which the
 * Schur complement (7) removes; the model's CRLB is infinite, test/model/fim.test.ts), so every
 * finite crlbMax is out of reach. Said up front, as a proof: the SDPs of such scenarios pin the
 * CRLB cones against identically zero information, and on extreme data the bistatic one ended a
 * false `optimal (almost)` that only the model's check caught.
 */
function withoutAngleInformation(method: Method, opts: SolveOptions): DesignJson {
  return {
    status: 'infeasible',
    method,
    ...(method === 'fixed' ? { receiver: opts.receiver!, association: opts.association! } : {}),
    seconds: 0,
    detail: {},
    message: "infeasible for every design: with one antenna per base station no design carries information on a target's position (its CRLB is infinite)",
  };
}

function exactOptions(opts: SolveOptions): ExactOptions {
  return {
    timeLimit: opts.timeLimit,
    receivers: opts.receiver === undefined ? undefined : [opts.receiver],
    shouldStop: opts.shouldStop,
    onProgress: opts.onProgress,
  };
}

/** The design of an `exact` search: its incumbent with the proven bound, or why there is none. */
function fromExact(method: Method, opts: SolveOptions, res: ExactResult): DesignJson {
  const detail = {
    nodes: res.nodes,
    leaves: res.leaves,
    fixedSolves: res.fixedSolves,
    failedNodes: res.failedNodes,
    upperBound: finiteOrNull(res.upperBound),
    lowerBound: finiteOrNull(res.lowerBound),
    relativeGap: Number.isFinite(res.upperBound) ? (res.upperBound - res.lowerBound) / res.upperBound : null,
  };
  if (res.status === 'infeasible') {
    return {
      status: 'infeasible',
      method,
      seconds: 0,
      detail,
      message: `proven infeasible: every branch is infeasible${opts.receiver === undefined ? '' : ` with BS${opts.receiver + 1} receiving`}`,
    };
  }
  if (!res.best || res.receiver === undefined) {
    const stopped = res.status === 'time_limit';
    return {
      status: 'failed',
      method,
      seconds: 0,
      detail,
      ...(stopped ? { stoppedBy: 'time_limit' as const } : {}),
      message: stopped ? 'time limit reached before any feasible design was found' : 'no feasible design found (some subproblems failed numerically)',
    };
  }
  const out = fromFixed(method, res.receiver, res.association!, res.best, { optimal: res.status === 'optimal' });
  if (Number.isFinite(res.lowerBound)) out.lowerBound = Math.min(res.lowerBound, out.totalPower ?? Infinity);
  out.detail = { ...out.detail, ...detail };
  if (res.status === 'time_limit') {
    out.stoppedBy = 'time_limit';
    out.message = 'time limit reached: best design found so far, with the proven lower bound';
  } else if (res.status === 'incomplete') {
    out.message =
      res.failedNodes > 0
        ? `${res.failedNodes} subproblems failed numerically: best design found, with the proven lower bound`
        : 'the certified lower bound leaves a gap above tolerance: best design found, not proven optimal';
  }
  return out;
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/**
 * Work (flops) of one model check of a design up to which `fixed` builds a witness, which
 * takes about 15 such checks (N up to about 80 for 4 BSs; the check grows as N^3).
 */
const WITNESS_FLOPS = 5e7;

/**
 * `fixed` never reports a value above a feasible witness (witness.ts: zero-forcing beams and
 * isotropic sensing, built without the SDP and checked by the model). When the witness beats
 * the SDP's answer, that answer cannot be optimal and the witness is reported instead, as
 * `feasible`; a certified bound above the witness's power is false and is dropped; a claim of
 * infeasibility that the witness contradicts becomes `feasible` with the witness; a failed
 * SDP is replaced by the witness (`feasible`, not optimal). For many antennas (the model's
 * check grows as N^3) the witness is skipped, and for a certified optimum it is built only on
 * request (`alwaysWitness`): the certified bound is at most the optimum, which is at most any
 * feasible design's power, so a value within the gap tolerance of that bound cannot be above
 * the witness by more than the tolerance.
 */
export function againstWitness(scn: Scenario, out: DesignJson, receiver: number, association: number[]): DesignJson {
  if (designCheckFlops(scn.S, scn.targets.length, scn.N) > WITNESS_FLOPS) return out;
  const w = feasibleWitness(scn, receiver, association);
  if (!w) return out;
  const detail = { ...out.detail, witnessPower: w.totalPower };
  const witness: DesignJson = {
    ...out,
    status: 'feasible',
    beamformers: w.design.beamformers.map(vecToPairs),
    sensingCovariances: w.design.sensingCovariances.map(toPairs),
    totalPower: w.totalPower,
    detail,
  };
  delete witness.lowerBound;
  const built = 'a feasible design built without the SDP (duality or zero-forcing beams, sensing towards the targets)';
  if (out.status === 'infeasible') {
    return { ...witness, message: `the solver's infeasibility certificate is contradicted by ${built}, which is reported instead (not optimal)` };
  }
  if (out.status === 'failed') return { ...witness, message: `${out.message ?? 'the SDP failed'}; reported instead: ${built}, not optimal` };
  if (out.status !== 'optimal' && out.status !== 'feasible') return out;
  // The SDP's own design must pass the model's check before it is compared (an SDP solved to
  // its tolerances on badly scaled data can recover beams that miss a target by dB).
  const miss = modelViolations(scn, out);
  if (miss) return { ...witness, message: `the SDP's design fails the model's check (${miss}); reported instead: ${built}, not optimal` };
  const res: DesignJson = { ...out, detail };
  if (res.lowerBound !== undefined && res.lowerBound > w.totalPower * (1 + 1e-9)) {
    delete res.lowerBound;
    res.status = 'feasible';
    res.message = `the lower bound was above the power of ${built}, so it is not a bound and is dropped`;
  }
  if (res.totalPower !== undefined && res.totalPower > w.totalPower * (1 + OPTIMALITY_GAP)) {
    return { ...witness, message: `the SDP's design (${res.totalPower.toPrecision(6)} W) is above ${built}, which is reported instead (not optimal)` };
  }
  return res;
}

function fromFixed(method: string, receiver: number, association: number[], sol: FixedSolution, how: { optimal: boolean }): DesignJson {
  const detail: Record<string, unknown> = {
    solverStatus: sol.sdp.solverStatus,
    iterations: sol.sdp.iterations,
    almost: sol.sdp.almost,
  };
  if (sol.status === 'infeasible') {
    return {
      status: 'infeasible',
      method,
      receiver,
      association,
      seconds: 0,
      detail,
      message: 'the SDP for this receiver and association is infeasible (certificate from the solver)',
    };
  }
  if (sol.status !== 'optimal' || !sol.design) {
    return { status: 'failed', method, receiver, association, seconds: 0, detail, message: sol.message ?? 'solver failure' };
  }
  return {
    status: how.optimal ? 'optimal' : 'feasible',
    method,
    receiver,
    association,
    beamformers: sol.design.beamformers,
    sensingCovariances: sol.design.sensingCovariances,
    totalPower: sol.objective,
    ...(method === 'fixed' && sol.bound !== undefined ? { lowerBound: sol.bound } : {}),
    seconds: 0,
    detail,
  };
}

function fromProposed(method: string, res: ProposedResult): DesignJson {
  const history = res.history.map((h) => ({ iteration: h.iteration, objective: h.objective, power: h.power, b: h.b, a: h.a }));
  if (!res.final || res.receiver === undefined) {
    return {
      status: res.status === 'infeasible' ? 'infeasible' : 'failed',
      method,
      seconds: 0,
      detail: { history, converged: res.converged },
      message: res.message,
    };
  }
  const out = fromFixed(method, res.receiver, res.association!, res.final, { optimal: false });
  out.detail = { ...out.detail, history, aoIterations: res.history.length, converged: res.converged, stopReason: res.stopReason };
  if (res.snappedAt !== undefined) out.detail.snappedAt = res.snappedAt;
  if (res.bStepFailures) out.detail.bStepFailures = res.bStepFailures;
  if (res.final.status === 'infeasible') {
    const assoc = res.association!.map((s) => `BS${s + 1}`).join(', ');
    out.message = `the rounded decision of the algorithm (receiving BS${res.receiver + 1}, users served by ${assoc}) admits no feasible beamforming`;
  }
  return out;
}

/** Re-evaluates a design with the model; a design that fails is reported `failed`. */
/** The model's evaluation of a result's design, or why it does not pass validation. */
function modelCheck(scn: Scenario, out: DesignJson): { ev: ReturnType<typeof evaluateDesign> } | { error: string } {
  try {
    return { ev: evaluateDesign(scn, parseDesign(out, scn)) };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/** What the model finds wrong with a design's beams, or null when it is feasible (or has none). */
function modelViolations(scn: Scenario, out: DesignJson): string | null {
  if (!out.beamformers) return null;
  const check = modelCheck(scn, out);
  if ('error' in check) return `it does not pass validation: ${check.error}`;
  return check.ev.feasible ? null : check.ev.violations.join('; ');
}

function verify(scn: Scenario, out: DesignJson): DesignJson {
  if (out.status !== 'optimal' && out.status !== 'feasible') return out;
  if (!out.beamformers) return out;
  const check = modelCheck(scn, out);
  if ('error' in check) return { ...out, status: 'failed', message: `internal check failed: the design does not pass validation: ${check.error}` };
  const { ev } = check;
  out.totalPower = ev.totalPower;
  // The bound came with the optimiser's value; the model's sum of the same powers may round
  // a few ulps lower (a bound above the design's power is never reported).
  if (out.lowerBound !== undefined && out.lowerBound > ev.totalPower && out.lowerBound <= ev.totalPower * (1 + 1e-9)) out.lowerBound = ev.totalPower;
  out.detail = { ...out.detail, check: { feasible: ev.feasible, crlb: ev.crlb, minSinrMarginDb: minOrNull(ev.sinrMarginDb) } };
  if (!ev.feasible) {
    return {
      ...out,
      status: 'failed',
      message: `internal check failed: the design violates ${ev.violations.join('; ')}`,
    };
  }
  return out;
}

function minOrNull(v: readonly (number | null)[]): number | null {
  let m: number | null = null;
  for (const x of v) {
    if (x === null) return null;
    m = m === null ? x : Math.min(m, x);
  }
  return m;
}
