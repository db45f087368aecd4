/**
 * The contract of the design layer: what `netisac solve`, the study engine and the
 * web app call. Implementations live beside this file.
 */

/** Methods of `netisac solve` (see the README for their exact meaning). */
export const METHODS = ['fixed', 'proposed', 'exact', 'scheme1', 'scheme2', 'scheme3'] as const;
export type Method = (typeof METHODS)[number];

export interface SolveOptions {
  method: Method;
  /** For `fixed`: the receiving BS (0-based); for `exact`: search only designs with this receiver. */
  receiver?: number | undefined;
  /** For `fixed`: serving BS of each user (0-based). */
  association?: number[] | undefined;
  /**
   * Initial point of Algorithm 1 (`proposed`, `scheme1`): 'uniform' (default, the paper's neutral
   * start b = (S-1)/S, a = 1/S), 'relaxation' ("Alg. 1 + relaxation start") or 'closest'.
   */
  init?: 'relaxation' | 'uniform' | 'closest' | undefined;
  /**
   * Algorithm 1's mu continuation (`proposed`, `scheme1`): mu starts here and grows 10x per
   * iteration up to the paper's 3e4 (default: no continuation, mu = 3e4 throughout).
   */
  muStart?: number | undefined;
  /** Seed for randomised methods (`scheme2`). */
  seed?: number | undefined;
  /** Wall-clock limit in seconds (`exact`). */
  timeLimit?: number | undefined;
  /**
   * Run even when the estimated time (design/solve.ts: estimateSolveSeconds) exceeds
   * max(600 s, timeLimit); without it such a request is refused with an InputError.
   */
  force?: boolean | undefined;
  /**
   * `fixed`: build the feasible witness (design/witness.ts) even when the SDP's answer is
   * certified optimal. By default it is built only for answers that are not (feasible,
   * infeasible, failed): a certified optimum is within the gap tolerance of every feasible
   * design's power, so the witness cannot contradict it, and building it costs about a
   * quarter of a paper-scale `fixed` solve.
   */
  alwaysWitness?: boolean | undefined;
  /** Worker threads for `exact` (Node's solveScenario only; default 1: everything on the calling thread; at most the cores available). */
  threads?: number | undefined;
  /** Called now and then with a fraction in [0, 1] and a short message. */
  onProgress?: ((fraction: number, message: string) => void) | undefined;
  /** Polled between solver calls; when it returns true the method stops early. */
  shouldStop?: (() => boolean) | undefined;
}

/** Complex number as [re, im], the contract's representation in JSON. */
export type Complex = [number, number];

/** A design in the JSON contract of the scenario spec (plus free detail fields). */
export interface DesignJson {
  status: 'optimal' | 'feasible' | 'infeasible' | 'failed';
  /** Why a search stopped early ('time_limit' or 'cancelled'), when it did. */
  stoppedBy?: 'time_limit' | 'cancelled' | undefined;
  method: string;
  receiver?: number | undefined;
  association?: number[] | undefined;
  beamformers?: Complex[][] | undefined;
  sensingCovariances?: Complex[][][] | undefined;
  totalPower?: number | undefined;
  lowerBound?: number | undefined;
  seconds: number;
  /** Method-specific detail: AO history, branch-and-bound statistics, solver info. */
  detail?: Record<string, unknown> | undefined;
  /** Why a design is missing or failed. */
  message?: string | undefined;
}
