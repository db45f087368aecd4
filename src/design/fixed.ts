/**
 * `fixed`: with the receiving BS and the association fixed, problem (13) without the
 * rank constraint C9 is an SDP; solve it and recover rank-one beamformers exactly.
 */
import type { DesignData } from './data.ts';
import { buildFormulation, readR, readW, type Formulation, type NodeSpec } from './formulation.ts';
import { runSdp, untilDeadline, type SdpOutcome } from './sdp.ts';
import { recoverRankOne, type RecoveredDesign } from './recover.ts';

export interface FixedOptions {
  /** Scheme 3: only BS `sensingTransmitter` sends a sensing signal and only its echo is used. */
  bistatic?: { transmitter: number };
  /** Stop the solver at this performance.now() time (ms); the solve then counts as failed. */
  deadline?: number;
}

export interface FixedSolution {
  status: 'optimal' | 'infeasible' | 'failed';
  /** Optimal value of the SDP (W), when solved. */
  objective?: number;
  /** A valid lower bound (dual objective, W), when solved. */
  bound?: number;
  design?: RecoveredDesign;
  sdp: SdpOutcome;
  message?: string;
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
 * solver's certificate.
 */
export function solveFixed(
  data: DesignData,
  receiver: number,
  association: number[],
  opts: FixedOptions = {},
): FixedSolution {
  const f = buildFormulation(data, fixedSpec(data, receiver, association, opts));
  const sdp = runSdp(f.problem, untilDeadline(opts.deadline));
  if (sdp.status === 'infeasible') return { status: 'infeasible', sdp };
  if (sdp.status !== 'optimal') return { status: 'failed', sdp, message: sdp.message };
  const { Wk, Rs } = extractCovariances(f, sdp.x, association);
  const design = recoverRankOne(data.S, data.N, association, Wk, Rs, (s, k) => data.channel(s, k));
  return {
    status: 'optimal',
    objective: sdp.primalObjective * f.objectiveUnit + f.constant,
    bound: sdp.dualObjective * f.objectiveUnit + f.constant,
    design,
    sdp,
  };
}
