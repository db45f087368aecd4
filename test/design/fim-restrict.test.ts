/**
 * The design layer's FIM coefficients (design/from-scenario.ts, `DesignData.fim(...).coef`)
 * against the model's dense FIM (model/fim.ts fisherInformation), which builds every entry
 * from the radar links directly: for random transmit covariances on a subset of the BSs, the
 * entries sum_q tr(V_q M_ij,q V_q^H Q_q) equal the model's FIM on the rows of the position and
 * of the subset's gains, in either order of (i, j).
 */
import { describe, expect, it } from 'vitest';
import { adjoint, cmat, mul, type CMat } from '../../src/linalg/complex.ts';
import { fisherInformation } from '../../src/model/fim.ts';
import { designData } from '../../src/design/from-scenario.ts';
import type { FimLinear } from '../../src/design/data.ts';
import { derive } from '../../src/linalg/prng.ts';
import { smallScenario } from './helpers.ts';

/** A random PSD N x N of rank two. */
function randomCovariance(next: () => number, N: number): CMat {
  const L = cmat(
    N,
    2,
    Float64Array.from({ length: 4 * N }, () => 2 * next() - 1),
  );
  return mul(L, adjoint(L));
}

/** tr(V M V^H Q) with V N x 2 column-major interleaved, M 2 x 2 and Q N x N row-major interleaved. */
function traceVMVhQ(V: Float64Array, M: Float64Array, Q: CMat, N: number): number {
  let sum = 0;
  for (let i = 0; i < N; i++) {
    for (let l = 0; l < N; l++) {
      // (V M V^H)_il = sum_ab V_ia M_ab conj(V_lb)
      let re = 0;
      let im = 0;
      for (let a = 0; a < 2; a++) {
        for (let b = 0; b < 2; b++) {
          const [vr, vi] = [V[2 * N * a + 2 * i]!, V[2 * N * a + 2 * i + 1]!];
          const [mr, mi] = [M[2 * (2 * a + b)]!, M[2 * (2 * a + b) + 1]!];
          const [wr, wi] = [V[2 * N * b + 2 * l]!, -V[2 * N * b + 2 * l + 1]!];
          const pr = vr * mr - vi * mi;
          const pi = vr * mi + vi * mr;
          re += pr * wr - pi * wi;
          im += pr * wi + pi * wr;
        }
      }
      const qr = Q.data[2 * (l * N + i)]!;
      const qi = Q.data[2 * (l * N + i) + 1]!;
      sum += re * qr - im * qi;
    }
  }
  return sum;
}

/** F_ij from the coefficients, in the order (i, j) asked. */
function fromCoefficients(f: FimLinear, Q: CMat[], N: number, i: number, j: number): number {
  let v = 0;
  f.transmitters.forEach((s, q) => {
    const M = f.coef(i, j, q);
    if (M) v += traceVMVhQ(f.V[q]!, M, Q[s]!, N);
  });
  return v;
}

describe('design-layer FIM coefficients', () => {
  it.each([
    [1, 5, 2, [0, 3, 4]],
    [2, 4, 0, [1, 2, 3]],
    [3, 6, 5, [0, 1, 2, 3, 4]],
  ])('equal the model FIM on the position and the subset gains (seed %i, S = %i, receiver %i)', (seed, S, r, tx) => {
    const scn = smallScenario(60 + seed, { S, users: 2, targets: 2 });
    const rng = derive(seed, 99);
    const next = (): number => rng.uniform();
    const N = scn.N;
    // covariances on the subset only: the other BSs' gains carry no information and drop out
    const Q = Array.from({ length: S }, (_, s) => (tx.includes(s) ? randomCovariance(next, N) : cmat(N, N)));
    for (let t = 0; t < 2; t++) {
      const f = designData(scn).fim(r, tx, t);
      const full = fisherInformation(scn, r, Q, { target: t });
      const others = Array.from({ length: S }, (_, s) => s).filter((s) => s !== r);
      const T = others.length;
      const fullIndex = (i: number): number =>
        i < 2 ? i : i < 2 + tx.length ? 2 + others.indexOf(tx[i - 2]!) : 2 + T + others.indexOf(tx[i - 2 - tx.length]!);
      const scale = Math.max(...full.flat().map(Math.abs));
      for (let i = 0; i < f.dim; i++) {
        for (let j = 0; j < f.dim; j++) {
          const v = fromCoefficients(f, Q, N, i, j);
          expect(Math.abs(v - full[fullIndex(i)]![fullIndex(j)]!)).toBeLessThanOrEqual(1e-12 * scale);
          // the same coefficient objects in either order, and again on a second call
          f.transmitters.forEach((_, q) => expect(f.coef(j, i, q)).toBe(f.coef(i, j, q)));
        }
      }
    }
  });
});
