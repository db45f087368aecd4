/**
 * What the design layer needs to know about a scenario, in SI units, decoupled from
 * the JSON schema: channels, requirements and the FIM as a linear map of the
 * transmit covariances.
 */

/** The FIM of one receiver as a linear function of the transmit covariances Q_{s'}. */
export interface FimLinear {
  /** Order of the FIM: 2 + 2 * transmitters.length. */
  dim: number;
  /** The transmitters whose echo enters the FIM, in the FIM's nuisance order. */
  transmitters: number[];
  /** |alpha_{r,s'}| per transmitter (used to rescale the nuisance parameters). */
  alphaAbs: number[];
  /** Subspace V_q (N x 2, column-major interleaved complex) of transmitter q. */
  V: Float64Array[];
  /**
   * 2 x 2 Hermitian M (interleaved row-major, 8 numbers) with
   * F_ij = sum_q tr(V_q M V_q^H Q_{s'_q}), or null when transmitter q does not enter F_ij.
   * Indices i <= j over [p1, p2, Re a_1..Re a_T, Im a_1..Im a_T].
   */
  coef(i: number, j: number, q: number): Float64Array | null;
}

export interface DesignTarget {
  /** Position, m (Scheme 1 uses the targets' centroid). */
  position: [number, number];
  /** The target's CRLB bound epsilon_t, m^2. */
  epsilon: number;
}

export interface DesignData {
  S: number;
  K: number;
  N: number;
  /** Per-BS power budget, W. */
  P: number;
  /**
   * The sensed targets (T >= 1), each with its own CRLB constraint C2 at the common
   * receiving BS (several targets: the FIM is block diagonal, one LMI per target).
   */
  targets: DesignTarget[];
  /** Linear SINR targets. */
  gamma: Float64Array;
  /** User noise powers, W. */
  sigma2: Float64Array;
  /** BS positions, m. */
  bsPositions: [number, number][];
  /** h_{s,k}: interleaved complex N-vector. */
  channel(s: number, k: number): Float64Array;
  /** FIM of target `target` at receiver r, built from the echoes of the given transmitters. */
  fim(r: number, transmitters: number[], target: number): FimLinear;
}

/** ||h_{s,k}||^2, the channel gain (W/W) that ranks a user's serving BSs. */
export function channelGain(data: DesignData, s: number, k: number): number {
  const h = data.channel(s, k);
  let g = 0;
  for (let i = 0; i < h.length; i++) g += h[i]! * h[i]!;
  return g;
}
