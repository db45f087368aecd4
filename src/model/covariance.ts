/**
 * Transmit covariances (2) and powers. Q_s = sum_k a_{s,k} w_k w_k^H + b_s R_s, with
 * a_{s,k} = 1 iff association[k] = s and b_s = 0 only for the receiver.
 */
import { type CMat, add, outer, trace, zeros } from '../linalg/complex.ts';
import type { Design, Scenario } from './types.ts';

/** Q_s for every BS s (the receiver's is zero: it neither serves users nor senses). */
export function transmitCovariances(scn: Scenario, design: Design): CMat[] {
  return covariancesOf(scn.baseStations.length, scn.N, design);
}

/** transmitCovariances for S BSs with N antennas each (callers that hold no Scenario). */
export function covariancesOf(S: number, N: number, design: Design): CMat[] {
  const q: CMat[] = Array.from({ length: S }, (_, s) => (s === design.receiver ? zeros(N, N) : design.sensingCovariances[s]!));
  design.association.forEach((s, k) => {
    q[s] = add(q[s]!, outer(design.beamformers[k]!));
  });
  return q;
}

/** tr(Q_s) in W for every BS. */
export function powerPerBs(q: readonly CMat[]): number[] {
  return q.map((m) => trace(m)[0]);
}
