/**
 * Transmit beam pattern of a BS: P(d) = a(theta)^H Q a(theta) with the contract's steering
 * vector a(theta)_n = exp(-j pi n sin(theta)) and sin(theta) = u_s . d for a unit direction d.
 * The direction runs over the whole circle: a ULA cannot tell d from its mirror image about
 * the array axis (same u_s . d), so the pattern is symmetric about that axis, both half-planes
 * drawn.
 */
import type { CMat } from '../../../src/linalg/complex.ts';
import type { XY } from '../app/draft.ts';

export interface PatternSample {
  /** Unit direction in world coordinates. */
  dir: XY;
  /** a^H Q a, W (times array gain). */
  power: number;
}

/** a(theta)^H Q a(theta) for the given sin(theta). */
export function quadraticPower(q: CMat, sinT: number): number {
  const n = q.rows;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    re[i] = Math.cos(-Math.PI * i * sinT);
    im[i] = Math.sin(-Math.PI * i * sinT);
  }
  let acc = 0;
  for (let i = 0; i < n; i++) {
    // (Q a)_i, then conj(a_i) (Q a)_i: only the real part survives for Hermitian Q.
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const qr = q.data[2 * (i * n + j)];
      const qi = q.data[2 * (i * n + j) + 1];
      sr += qr * re[j] - qi * im[j];
      si += qr * im[j] + qi * re[j];
    }
    acc += re[i] * sr + im[i] * si;
  }
  return acc;
}

/** `samples` directions evenly over the full circle, starting along the array axis. */
export function beamPattern(q: CMat, axis: XY, samples = 360): PatternSample[] {
  const out: PatternSample[] = [];
  const a0 = Math.atan2(axis[1], axis[0]);
  for (let i = 0; i < samples; i++) {
    const phi = a0 + (2 * Math.PI * i) / samples;
    const dir: XY = [Math.cos(phi), Math.sin(phi)];
    const s = Math.max(-1, Math.min(1, dir[0] * axis[0] + dir[1] * axis[1]));
    out.push({ dir, power: Math.max(0, quadraticPower(q, s)) });
  }
  return out;
}

/** Radius of a lobe sample in [0, 1]: linear in power, or dB over `rangeDb` below the peak. */
export function lobeRadius(power: number, peak: number, scale: 'linear' | 'db', rangeDb = 30): number {
  if (!(peak > 0) || !(power > 0)) return 0;
  if (scale === 'linear') return power / peak;
  return Math.max(0, 1 + (10 * Math.log10(power / peak)) / rangeDb);
}
