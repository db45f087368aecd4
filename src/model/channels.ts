/**
 * The contract's default channel model (drawn when the scenario gives no explicit channels):
 *   h_{s,k} = sqrt(beta0 d_{s,k}^-e_c) * CN(0, I_N),   beta0 = 10^(pathLossDbAt1m/10), e_c = commPathLossExponent;
 *   alpha_{s,s'} = sqrt(g_r d_{s',t}^-e_r d_{t,s}^-e_r) * exp(j phi),  g_r = 10^(radarGainDbAt1m/10),
 *   phi uniform on [0, 2 pi), for every ordered pair s != s' (receiver s, transmitter s'); alpha_{s,s} = 0.
 *
 * Draw order: every link has its own sub-stream, so adding a user or a BS never changes the
 * other links' draws:
 *   h_{s,k}: stream derive(seed, 1, s, k); entries n = 0..N-1 in order, each complexNormal()
 *            (real part first; one Box-Muller pair per entry).
 *   alpha_{s,s'}: stream derive(seed, 2, s, s'); one uniform() u, phi = 2 pi u.
 * With several targets (contract, "Several targets") target t has its own gains alpha_{t,s,s'},
 * with the distances to its own position: target 0 uses exactly the stream above (so a
 * scenario with `target` and one with a one-element `targets` draw the same numbers), and
 * target t >= 1 the stream derive(seed, 3, t, s, s').
 */
import { derive } from '../linalg/prng.ts';
import type { CVec } from '../linalg/complex.ts';
import { distance } from './geometry.ts';
import type { ChannelModel, Point } from './types.ts';

export const STREAM_CHANNEL = 1;
export const STREAM_RADAR_PHASE = 2;
/** Radar-gain phases of targets t >= 1 (target 0 keeps STREAM_RADAR_PHASE). */
export const STREAM_TARGET_RADAR_PHASE = 3;

/** dB -> linear power ratio: 10^(x/10). */
export function dbToLinear(db: number): number {
  return 10 ** (db / 10);
}

/** dBm -> W: 10^((x - 30)/10). */
export function dbmToWatt(dbm: number): number {
  return 10 ** ((dbm - 30) / 10);
}

/**
 * The channel from BS s to user k under the channel model: path loss at the distance times a
 * seeded random draw, N antennas.
 */
export function drawChannel(model: ChannelModel, s: number, k: number, bs: Point, user: Point, N: number): CVec {
  const gain = dbToLinear(model.pathLossDbAt1m) * distance(bs, user) ** -model.commPathLossExponent;
  const amp = Math.sqrt(gain);
  const rng = derive(model.seed, STREAM_CHANNEL, s, k);
  const h = new Float64Array(2 * N);
  for (let n = 0; n < N; n++) {
    const [re, im] = rng.complexNormal();
    h[2 * n] = amp * re;
    h[2 * n + 1] = amp * im;
  }
  return h;
}

/** alpha_{t,s,s'}: receiver s at `rx`, transmitter s' at `tx`, target number `t` (default 0) at `target`. */
export function drawRadarGain(model: ChannelModel, s: number, sp: number, rx: Point, tx: Point, target: Point, t = 0): [number, number] {
  if (s === sp) return [0, 0];
  const e = model.radarPathLossExponent;
  const g = dbToLinear(model.radarGainDbAt1m) * distance(tx, target) ** -e * distance(target, rx) ** -e;
  const amp = Math.sqrt(g);
  const rng = t === 0 ? derive(model.seed, STREAM_RADAR_PHASE, s, sp) : derive(model.seed, STREAM_TARGET_RADAR_PHASE, t, s, sp);
  const phi = 2 * Math.PI * rng.uniform();
  return [amp * Math.cos(phi), amp * Math.sin(phi)];
}
