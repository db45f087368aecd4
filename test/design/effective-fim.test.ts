/**
 * The CRLB constraint's closed form (src/design/effective-fim.ts, formulation.ts's effective
 * form) against independent means:
 * - the position's equivalent FIM sum_s (sigma(Y_s) A_s + Y_s,00 P_s) against the model's dense
 *   FIM and Schur complement (model/fim.ts) at random transmit covariances;
 * - the second-order cone against tr(J^-1) <= eps on random 2 x 2 matrices;
 * - the compiled SDP against the paper's LMI (12) (`crlbForm: 'lmi'`): the same optimum;
 * - the information a solution certifies against the model's FIM of the recovered design.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { adjoint, cmat, mul, mulAH, type CMat } from '../../src/linalg/complex.ts';
import { equivalentFim, fisherInformation } from '../../src/model/fim.ts';
import { nearestBs } from '../../src/model/design.ts';
import { designData } from '../../src/design/from-scenario.ts';
import { momentBasis } from '../../src/design/sensing-moment.ts';
import { echoInformation } from '../../src/design/effective-fim.ts';
import type { FimLinear } from '../../src/design/data.ts';
import { buildFormulation, readR, readW, targetInformation } from '../../src/design/formulation.ts';
import { fixedSpec, solveFixed, modelDesignOf } from '../../src/design/fixed.ts';
import { closestBs } from '../../src/design/proposed.ts';
import { covariancesOf } from '../../src/model/covariance.ts';
import { runSdp } from '../../src/design/sdp.ts';
import { smallScenario } from './helpers.ts';

/** A random PSD N x N: L L^H with L of N x 2 (rank two, as a BS with two beams). */
function randomCovariance(values: number[], N: number): CMat {
  const L = cmat(N, 2, Float64Array.from(values.slice(0, 4 * N)));
  return mul(L, adjoint(L));
}

/** n numbers uniform in [-1, 1) from a seed (mulberry32): dense random data, no edge values. */
function uniforms(seed: number, n: number): number[] {
  let a = seed >>> 0;
  return Array.from({ length: n }, () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return 2 * (((t ^ (t >>> 14)) >>> 0) / 4294967296) - 1;
  });
}

/** Y = B^H Q B (r x r, row-major interleaved) for B (N x r, column-major interleaved). */
function moment(B: Float64Array, r: number, Q: CMat): Float64Array {
  const N = Q.rows;
  const Bm = cmat(N, r);
  for (let i = 0; i < N; i++) {
    for (let c = 0; c < r; c++) {
      Bm.data[2 * (i * r + c)] = B[2 * (N * c + i)]!;
      Bm.data[2 * (i * r + c) + 1] = B[2 * (N * c + i) + 1]!;
    }
  }
  return mulAH(Bm, mul(Q, Bm)).data;
}

/** sum_s sigma(Y_s) A_s + Y_s,00 P_s for the transmitters of f. */
function closedForm(f: FimLinear, Q: CMat[], N: number): number[][] {
  const J = [
    [0, 0],
    [0, 0],
  ];
  f.transmitters.forEach((s, q) => {
    const mo = momentBasis(f.V[q]!, N);
    const info = echoInformation(f, q, mo);
    const Y = moment(mo.B, mo.rank, Q[s]!);
    const y00 = Y[0]!;
    const sigma = mo.rank === 2 ? Y[6]! - (Y[2]! ** 2 + Y[3]! ** 2) / y00 : 0;
    const add = (i: number, j: number, e: number) => (J[i]![j]! += sigma * info.onSchur[e]! + y00 * info.onPower[e]!);
    add(0, 0, 0);
    add(0, 1, 1);
    add(1, 0, 1);
    add(1, 1, 2);
  });
  return J;
}

describe('the equivalent FIM in closed form', () => {
  it('equals the model FIM Schur complement at random covariances (two targets, every receiver)', () => {
    const scn = smallScenario(4, { S: 4, users: 2, antennas: 5, targets: 2 });
    const data = designData(scn);
    const N = scn.N;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const v = uniforms(seed, 16 * N);
        const Q = [0, 1, 2, 3].map((s) => randomCovariance(v.slice(4 * N * s), N));
        for (let r = 0; r < scn.S; r++) {
          for (let t = 0; t < 2; t++) {
            const others = [0, 1, 2, 3].filter((s) => s !== r);
            const want = equivalentFim(fisherInformation(scn, r, Q, { target: t }));
            const got = closedForm(data.fim(r, others, t), Q, N);
            const scale = Math.max(Math.abs(want[0]![0]!), Math.abs(want[1]![1]!));
            for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(Math.abs(got[i]![j]! - want[i]![j]!)).toBeLessThanOrEqual(1e-9 * scale);
          }
        }
      }),
      { seed: 21, numRuns: 25 },
    );
  });

  it('refuses a FIM without that form', () => {
    const scn = smallScenario(4, { S: 3, users: 2, antennas: 5 });
    const f = designData(scn).fim(0, [1, 2], 0);
    // the same FIM with a gain-gain coefficient that reads a_t's derivative direction too
    const broken: FimLinear = {
      ...f,
      coef: (i, j, q) => (i === 2 && j === 2 && q === 0 ? Float64Array.from([1, 0, 0.3, 0.1, 0.3, -0.1, 2, 0]) : f.coef(i, j, q)),
    };
    expect(() => echoInformation(broken, 0, momentBasis(f.V[0]!, scn.N))).toThrow(/closed form/);
  });
});

describe('the CRLB bound as one second-order cone', () => {
  it('tr(J^-1) <= eps iff (k00 + k11) / 2 >= ||((k00 - k11) / 2, k01, 1 / eps)||, K = J - I / eps', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        fc.double({ min: 0, max: Math.PI, noNaN: true }),
        fc.double({ min: 0.05, max: 50, noNaN: true }),
        (l0, l1, angle, eps) => {
          const [c, s] = [Math.cos(angle), Math.sin(angle)];
          const J = [l0 * c * c + l1 * s * s, (l0 - l1) * c * s, l0 * s * s + l1 * c * c];
          const crlb = 1 / l0 + 1 / l1;
          fc.pre(Math.abs(crlb - eps) > 1e-9 * eps);
          const [k00, k01, k11] = [J[0]! - 1 / eps, J[1]!, J[2]! - 1 / eps];
          const inCone = (k00 + k11) / 2 >= Math.hypot((k00 - k11) / 2, k01, 1 / eps);
          expect(inCone).toBe(crlb <= eps);
        },
      ),
      { seed: 7, numRuns: 500 },
    );
  });
});

describe('the effective form of C2 against the paper LMI (12)', () => {
  const cases = [1, 2, 3].flatMap((T) => [11, 12, 13].map((seed) => [T, seed] as const));
  it.each(cases)('T = %i, seed %i: the same status and optimum, and a certified J below the design FIM', (T, seed) => {
    const scn = smallScenario(seed, { S: 4, users: 3, antennas: 6, crlbMax: 1, ...(T > 1 ? { targets: T } : {}) });
    const data = designData(scn);
    const receiver = closestBs(data);
    const association = scn.users.map((u) => nearestBs(scn, u.position, receiver));
    const solved = (['effective', 'lmi'] as const).map((form) => {
      const f = buildFormulation(data, { ...fixedSpec(data, receiver, association), crlbForm: form });
      expect(f.lmis.every((l) => l.form === form)).toBe(true);
      return { f, sdp: runSdp(f.problem) };
    });
    const [eff, lmi] = solved as [(typeof solved)[0], (typeof solved)[0]];
    expect(eff.sdp.status).toBe(lmi.sdp.status);
    if (eff.sdp.status !== 'optimal') return;
    const value = (s: typeof eff) => s.sdp.primalObjective * s.f.objectiveUnit + s.f.constant;
    expect(Math.abs(value(eff) - value(lmi)) / value(lmi)).toBeLessThan(1e-6);
    // What the effective SDP certifies: tr(J_t^-1) <= eps_t, and J_t below the FIM of the design
    // it recovers (the model's dense FIM), up to the solver's tolerance.
    const out = solveFixed(data, receiver, association);
    expect(out.status).toBe('optimal');
    const design = modelDesignOf(data.N, receiver, association, out.design!);
    const Q = covariancesOf(data.S, data.N, design);
    const J = targetInformation(eff.f, eff.sdp.x);
    J.forEach((Jt, t) => {
      const det = Jt[0]! * Jt[3]! - Jt[1]! * Jt[2]!;
      expect((Jt[0]! + Jt[3]!) / det).toBeLessThanOrEqual(data.targets[t]!.epsilon * (1 + 1e-6));
      const F = equivalentFim(fisherInformation(scn, receiver, Q, { target: t }));
      const D = [F[0]![0]! - Jt[0]!, F[0]![1]! - Jt[1]!, F[1]![1]! - Jt[3]!];
      const smallest = (D[0]! + D[2]!) / 2 - Math.hypot((D[0]! - D[2]!) / 2, D[1]!);
      expect(smallest).toBeGreaterThanOrEqual(-1e-6 * (Jt[0]! + Jt[3]!));
    });
  });
});

describe('the information a solution certifies, in subproblem (23)', () => {
  it('is in watts of the moments, not of the penalty-rescaled objective (mu = 3e4 W)', () => {
    const scn = smallScenario(31, { S: 3, users: 2, antennas: 4, crlbMax: 1 });
    const data = designData(scn);
    const tx = [1, 2];
    const f = buildFormulation(data, {
      receivers: [{ r: 0, weight: 1, transmitters: tx }],
      sensingTx: tx,
      candidates: [tx, tx],
      bigM: {
        aPrev: [
          [0, 0.5, 0.5],
          [0, 0.3, 0.7],
        ],
        mu: 3e4,
        b: [0, 1, 1],
      },
    });
    expect(f.lmis[0]!.form).toBe('effective');
    const sdp = runSdp(f.problem);
    expect(sdp.status).toBe('optimal');
    // the model's equivalent FIM of the SDP's own covariances
    const Q = [0, 1, 2].map((s) => {
      const q = cmat(scn.N, scn.N);
      for (const k of [0, 1]) if (f.W.has(`${s},${k}`)) readW(f, sdp.x, s, k).forEach((v, e) => (q.data[e]! += v));
      if (f.R.has(s)) readR(f, sdp.x, s).forEach((v, e) => (q.data[e]! += v));
      return q;
    });
    const F = equivalentFim(fisherInformation(scn, 0, Q));
    const J = targetInformation(f, sdp.x)[0]!;
    const scale = F[0]![0]! + F[1]![1]!;
    // J <= F (the sigmas at most the Schur complements), equal where the CRLB binds
    const D = [F[0]![0]! - J[0]!, F[0]![1]! - J[1]!, F[1]![1]! - J[3]!];
    expect((D[0]! + D[2]!) / 2 - Math.hypot((D[0]! - D[2]!) / 2, D[1]!)).toBeGreaterThanOrEqual(-1e-6 * scale);
    const det = J[0]! * J[3]! - J[1]! * J[2]!;
    expect((J[0]! + J[3]!) / det).toBeLessThanOrEqual(data.targets[0]!.epsilon * (1 + 1e-6));
  });
});
