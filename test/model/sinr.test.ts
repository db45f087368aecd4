import { describe, expect, it } from 'vitest';
import { type CMat, matVec, zeros, add, scale, mul, adjoint, trace } from '../../src/linalg/complex.ts';
import { sqrtmPsd } from '../../src/linalg/complex-decomp.ts';
import { Rng } from '../../src/linalg/prng.ts';
import { parseScenario } from '../../src/model/scenario.ts';
import { userSinr, sinrTerms } from '../../src/model/sinr.ts';
import { transmitCovariances, powerPerBs } from '../../src/model/covariance.ts';
import type { Design } from '../../src/model/types.ts';
import { randomPsd } from './helpers.ts';

/**
 * A scenario with unit-scale explicit channels and 1 W noise, so that signal, multi-user
 * interference, sensing interference and noise are all of the same order in (5).
 */
function setup(seed: number) {
  const rng = new Rng(seed);
  const S = 3;
  const K = 4;
  const N = 4;
  const cn = () => {
    const [re, im] = rng.complexNormal();
    return [re, im];
  };
  const scn = parseScenario({
    antennas: N,
    radarSamples: 16,
    maxPowerDbm: 40,
    radarNoisePowerDbm: -65,
    crlbMax: 1,
    baseStations: [{ position: [0, 100] }, { position: [100, 0] }, { position: [0, -100] }],
    users: Array.from({ length: K }, (_, k) => ({ position: [10 * k + 1, 3], minSinrDb: 0, noisePowerDbm: 30 + k })),
    target: { position: [5, 5] },
    channels: Array.from({ length: S }, () => Array.from({ length: K }, () => Array.from({ length: N }, cn))),
  });
  const receiver = 1;
  const design: Design = {
    receiver,
    association: [0, 2, 0, 2],
    beamformers: Array.from({ length: K }, () => Float64Array.from({ length: 2 * N }, () => rng.normal() * 0.7)),
    sensingCovariances: [randomPsd(rng, N, 2, 3), zeros(N, N), randomPsd(rng, N, N, 2)],
  };
  return { scn, design, rng };
}

describe('SINR (5)', () => {
  it('agrees with a Monte Carlo simulation of the received signal (4)', () => {
    const { scn, design, rng } = setup(2024);
    const { N, S, K } = scn;
    // Sensing signals s_{s,0} = R_s^{1/2} v, v ~ CN(0, I): covariance R_s.
    const rootR: CMat[] = design.sensingCovariances.map((r) => sqrtmPsd(r));
    const n = 100000;
    const sig = new Array<number>(K).fill(0);
    const rest = new Array<number>(K).fill(0);
    const cvec = (len: number) => {
      const v = new Float64Array(2 * len);
      for (let i = 0; i < len; i++) [v[2 * i], v[2 * i + 1]] = rng.complexNormal();
      return v;
    };
    for (let l = 0; l < n; l++) {
      const symbols = cvec(K); // s_k[l], CN(0, 1)
      // x_s[l] = sum_k a_{s,k} w_k s_k[l] + b_s s_{s,0}[l]   (1)
      const x: Float64Array[] = [];
      const desiredPart: Float64Array[][] = []; // per user k, its own term at its BS
      for (let s = 0; s < S; s++) {
        const xs = s === design.receiver ? new Float64Array(2 * N) : matVec(rootR[s]!, cvec(N));
        desiredPart.push([]);
        design.association.forEach((bs, k) => {
          if (bs !== s) return;
          const [sr, si] = [symbols[2 * k], symbols[2 * k + 1]];
          const w = design.beamformers[k]!;
          const term = new Float64Array(2 * N);
          for (let i = 0; i < N; i++) {
            term[2 * i] = w[2 * i]! * sr! - w[2 * i + 1]! * si!;
            term[2 * i + 1] = w[2 * i]! * si! + w[2 * i + 1]! * sr!;
          }
          desiredPart[s]![k] = term;
          for (let i = 0; i < 2 * N; i++) xs[i]! += term[i]!;
        });
        x.push(xs);
      }
      for (let k = 0; k < K; k++) {
        // y_k = sum_s h_{s,k}^H x_s + z   (4)
        const hx = (s: number, v: Float64Array) => {
          const h = scn.channels[s]![k]!;
          let re = 0;
          let im = 0;
          for (let i = 0; i < N; i++) {
            re += h[2 * i]! * v[2 * i]! + h[2 * i + 1]! * v[2 * i + 1]!;
            im += h[2 * i]! * v[2 * i + 1]! - h[2 * i + 1]! * v[2 * i]!;
          }
          return [re, im];
        };
        let yr = 0;
        let yi = 0;
        for (let s = 0; s < S; s++) {
          const [a, b] = hx(s, x[s]!);
          yr += a!;
          yi += b!;
        }
        const [zr, zi] = rng.complexNormal();
        const sd = Math.sqrt(scn.users[k]!.noisePower);
        yr += sd * zr;
        yi += sd * zi;
        const s = design.association[k];
        const [dr, di] = hx(s!, desiredPart[s!]![k]!);
        sig[k]! += dr! * dr! + di! * di!;
        rest[k]! += (yr - dr!) ** 2 + (yi - di!) ** 2;
      }
    }
    const analytic = userSinr(scn, design);
    // Both powers are means of n exponential variables (|complex Gaussian|^2): relative
    // standard error 1/sqrt(n) each, independent, so the ratio has ~ sqrt(2/n) = 0.45%;
    // the bound 2.5% is > 5 standard errors.
    for (let k = 0; k < K; k++) {
      const mc = sig[k]! / rest[k]!;
      expect(Math.abs(mc / analytic[k]! - 1)).toBeLessThan(0.025);
      // The simulation is informative: every term of (5) matters here.
      const t = sinrTerms(scn, design, k);
      expect(t.sensing / t.noise).toBeGreaterThan(0.05);
      expect(t.multiUser / t.noise).toBeGreaterThan(0.05);
    }
  });

  it("Q_s (2) = sum of the served users' w w^H + R_s; the receiver transmits nothing", () => {
    const { scn, design } = setup(3);
    const q = transmitCovariances(scn, design);
    const expected0 = add(
      add(design.sensingCovariances[0]!, mul(col(design.beamformers[0]!), adjoint(col(design.beamformers[0]!)))),
      mul(col(design.beamformers[2]!), adjoint(col(design.beamformers[2]!))),
    );
    const d = add(q[0]!, scale(expected0, -1));
    expect(Math.max(...Array.from(d.data, Math.abs))).toBeLessThan(1e-12);
    expect(trace(q[1]!)[0]).toBe(0);
    const p = powerPerBs(q);
    const w2 = (k: number) => design.beamformers[k]!.reduce((a, v) => a + v * v, 0);
    expect(p[2]).toBeCloseTo(trace(design.sensingCovariances[2]!)[0] + w2(1) + w2(3), 12);
  });
});

function col(v: Float64Array): CMat {
  return { rows: v.length / 2, cols: 1, data: v };
}
