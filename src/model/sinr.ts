/**
 * SINR (5) of every user:
 *   gamma_k = |h_{s_k,k}^H w_k|^2 / ( sum_{k' != k} |h_{s_k',k}^H w_k'|^2 + sum_{s != receiver} h_{s,k}^H R_s h_{s,k} + sigma_{c,k}^2 )
 * where s_k = association[k]; the receiver (b_s = 0) sends no sensing signal.
 */
import { dotH, quadForm, type CVec } from '../linalg/complex.ts';
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

/** What (5) reads besides the design: the channels h_{s,k} and the users' noise powers. */
export interface SinrLinks {
  channel(s: number, k: number): CVec;
  noisePower(k: number): number;
}

/** The links of a scenario. */
function scenarioLinks(scn: Scenario): SinrLinks {
  return { channel: (s, k) => scn.channels[s]![k]!, noisePower: (k) => scn.users[k]!.noisePower };
}

/** The terms of (5) for user k. */
export function sinrTerms(scn: Scenario, design: Design, k: number): SinrTerms {
  return sinrTermsOf(scenarioLinks(scn), design, k);
}

/** The terms of (5) for user k, from the links (the design layer's data carry the same). */
export function sinrTermsOf(links: SinrLinks, design: Design, k: number): SinrTerms {
  const h = (s: number) => links.channel(s, k);
  const gain = (s: number, w: Float64Array) => {
    const [re, im] = dotH(h(s), w);
    return re * re + im * im;
  };
  let multiUser = 0;
  design.association.forEach((s, kp) => {
    if (kp !== k) multiUser += gain(s, design.beamformers[kp]!);
  });
  let sensing = 0;
  design.sensingCovariances.forEach((r, s) => {
    if (s !== design.receiver) sensing += quadForm(h(s), r)[0];
  });
  return {
    signal: gain(design.association[k]!, design.beamformers[k]!),
    multiUser,
    sensing,
    noise: links.noisePower(k),
  };
}

/** Linear SINR (5) of every user. */
export function userSinr(scn: Scenario, design: Design): number[] {
  return userSinrOf(scenarioLinks(scn), design);
}

/** Linear SINR (5) of every user of the design, from the links. */
export function userSinrOf(links: SinrLinks, design: Design): number[] {
  return design.association.map((_, k) => {
    const t = sinrTermsOf(links, design, k);
    return t.signal / (t.multiUser + t.sensing + t.noise);
  });
}
