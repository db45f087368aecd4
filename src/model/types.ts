/**
 * Resolved (validated, SI-unit) forms of the scenario and design of the JSON contract.
 * Indices are 0-based throughout.
 */
import type { CMat, CVec } from '../linalg/complex.ts';

export type Point = [number, number];

export interface BaseStation {
  /** q_s, metres. */
  position: Point;
  /** Unit vector u_s along the array (normalised; the contract's default when not given). */
  arrayAxis: Point;
  /** Whether arrayAxis was given in the file (so it is written back only then). */
  arrayAxisGiven: boolean;
}

export interface User {
  position: Point;
  /** Gamma_k in dB as given. */
  minSinrDb: number;
  /** Gamma_k, linear. */
  minSinr: number;
  noisePowerDbm: number;
  /** sigma_{c,k}^2 in W. */
  noisePower: number;
}

/**
 * One sensed target. Echoes of different targets are resolvable (contract, "Several
 * targets"), so each has its own position, its own radar gains and its own CRLB bound.
 */
export interface SensingTarget {
  /** Target position p_t, metres. */
  position: Point;
  /** epsilon_t, m^2: the target's own `crlbMax`, or the scenario's when not given. */
  crlbMax: number;
  /** Whether the file gave this target its own crlbMax (so it is written back only then). */
  crlbMaxGiven: boolean;
  /**
   * alpha_{t,s,s'} as radarGains[s][s'] = [re, im] (receiver s, transmitter s'); diagonal 0.
   */
  radarGains: [number, number][][];
}

/** Parameters of the default channel model (contract, `channelModel`). */
export interface ChannelModel {
  seed: number;
  pathLossDbAt1m: number;
  commPathLossExponent: number;
  radarGainDbAt1m: number;
  radarPathLossExponent: number;
  radarPhase: 'uniform';
}

export interface Scenario {
  name?: string;
  /** N, antennas per BS (ULA, half-wavelength spacing). */
  N: number;
  /** L, radar samples. */
  L: number;
  /** S, number of base stations. */
  S: number;
  /** K, number of users. */
  K: number;
  maxPowerDbm: number;
  /** P, per-BS power budget in W. */
  maxPower: number;
  radarNoisePowerDbm: number;
  /** sigma_r^2 in W. */
  radarNoisePower: number;
  /** epsilon, m^2: the scenario's bound, the default of every target's own bound. */
  crlbMax: number;
  baseStations: BaseStation[];
  users: User[];
  /**
   * The sensed targets, T >= 1 (a file with `target` gives T = 1). Each has its own CRLB
   * constraint C2 at the common receiving BS.
   */
  targets: SensingTarget[];
  /** Whether the file used `targets` (else `target`): the form it is written back in. */
  targetsGiven: boolean;
  /** h_{s,k} as channels[s][k], complex vectors of length N (interleaved re/im). */
  channels: CVec[][];
  /** The model (defaults filled in) used for whatever the file did not give explicitly. */
  channelModel: ChannelModel;
  /** Which parts were drawn from channelModel rather than read from the file. */
  drawn: { channels: boolean; radarGains: boolean };
  /** Whether the file had a channelModel (it is written back when given or used). */
  channelModelGiven: boolean;
}

/** A design of the contract, resolved: what `evaluate` needs. */
export interface Design {
  status?: string;
  method?: string;
  /** The receiving (sensing) BS. */
  receiver: number;
  /** Serving BS of each user (never the receiver). */
  association: number[];
  /** w_k (length-N complex vectors), applied at association[k]. */
  beamformers: CVec[];
  /** R_s (N x N Hermitian PSD); the receiver's is zero. */
  sensingCovariances: CMat[];
  /** totalPower as written in the file (W), if any; evaluate recomputes it. */
  reportedTotalPower?: number;
  lowerBound?: number;
}
