/**
 * Transmit beam pattern of a BS: P(theta) = a(theta)^H Q_s a(theta) with the contract's
 * steering vector a(theta)_n = exp(-j pi n sin(theta)) and sin(theta) = u_s . d for a unit
 * direction d. Theta runs over [-90, 90] degrees around the broadside b = (u_y, -u_x), the
 * side the default axis faces (towards the origin); a ULA radiates the mirror image behind it.
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

export function beamPattern(q: CMat, axis: XY, samples = 181): PatternSample[] {
  const b: XY = [axis[1], -axis[0]];
  const out: PatternSample[] = [];
  for (let i = 0; i < samples; i++) {
    const th = -Math.PI / 2 + (Math.PI * i) / (samples - 1);
    const c = Math.cos(th);
    const s = Math.sin(th);
    const dir: XY = [c * b[0] + s * axis[0], c * b[1] + s * axis[1]];
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
