/**
 * SINR (5) of every user:
 *   gamma_k = |h_{s_k,k}^H w_k|^2 / ( sum_{k' != k} |h_{s_k',k}^H w_k'|^2 + sum_{s != receiver} h_{s,k}^H R_s h_{s,k} + sigma_{c,k}^2 )
 * where s_k = association[k]; the receiver (b_s = 0) sends no sensing signal.
 */
import { dotH, quadForm } from '../linalg/complex.ts';
import type { Design, Scenario } from './types.ts';

export interface SinrTerms {
  /** |h^H w_k|^2, W. */
  signal: number;
  /** Other users' beams, W. */
  multiUser: number;
  /** Sensing signals of the transmitting BSs, W. */
  sensing: number;
  /** sigma_{c,k}^2, W. */
  noise: number;
}

/** The terms of (5) for user k. */
export function sinrTerms(scn: Scenario, design: Design, k: number): SinrTerms {
  const h = (s: number) => scn.channels[s]![k];
  const gain = (s: number, w: Float64Array) => {
    const [re, im] = dotH(h(s)!, w);
    return re * re + im * im;
  };
  let multiUser = 0;
  design.association.forEach((s, kp) => {
    if (kp !== k) multiUser += gain(s, design.beamformers[kp]!);
  });
  let sensing = 0;
  design.sensingCovariances.forEach((r, s) => {
    if (s !== design.receiver) sensing += quadForm(h(s)!, r)[0];
  });
  return {
    signal: gain(design.association[k]!, design.beamformers[k]!),
    multiUser,
    sensing,
    noise: scn.users[k]!.noisePower,
  };
}

/** Linear SINR (5) of every user. */
export function userSinr(scn: Scenario, design: Design): number[] {
  return scn.users.map((_, k) => {
    const t = sinrTerms(scn, design, k);
    return t.signal / (t.multiUser + t.sensing + t.noise);
  });
}
