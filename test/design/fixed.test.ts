/**
 * `fixed`: the SDP (13) and the rank-one recovery of Theorem 1, checked against
 * independent computations.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { designData } from '../../src/design/from-scenario.ts';
import { channelGain } from '../../src/design/data.ts';
import { designCrlbs, fixedSpec, modelDesignOf, solveFixed } from '../../src/design/fixed.ts';
import { runSdp } from '../../src/design/sdp.ts';
import { recoverRankOne } from '../../src/design/recover.ts';
import { ConicBuilder, readHermitian } from '../../src/design/conic-builder.ts';
import { evaluateDesign } from '../../src/model/evaluate.ts';
import { parseDesign } from '../../src/model/design.ts';
import { fisherInformation, crlb as crlbOf } from '../../src/model/fim.ts';
import { cmat, type CMat } from '../../src/linalg/complex.ts';
import { solveScenarioSync } from '../../src/design/solve.ts';
import type { Scenario } from '../../src/model/types.ts';
import { generateScenario } from '../../src/model/generate.ts';
import { parseScenario } from '../../src/model/scenario.ts';
import { checkAnswer, drawOptions, fixedChoice } from '../../bench/campaign.ts';
import { smallScenario, solveRelaxedFixed } from './helpers.ts';

/** Relative tolerance for comparing two optima of the same SDP: the solver stops at 1e-8 relative gap;
 * 1e-5 leaves room for the 1e-7 safety margin on the constraints and for reduced-accuracy stops. */
const OPT_TOL = 1e-5;

function toCMat(n: number, m: Float64Array): CMat {
  return cmat(n, n, m.slice());
}

describe('fixed: Theorem 1 recovery', () => {
  it('leaves every SINR, the CRLB and every power unchanged', () => {
    const scn = smallScenario(11, { users: 3, S: 3 });
    const receiver = 0;
    const association = [1, 2, 1];
    const { sdp, Wk, Rs } = solveRelaxedFixed(scn, receiver, association);
    expect(sdp.status).toBe('optimal');
    const N = scn.N;
    // Relaxed metrics computed directly from W_k (tr(H W) in place of |h^H w|^2).
    const Q: CMat[] = [];
    for (let s = 0; s < scn.S; s++) {
      const q = new Float64Array(2 * N * N);
      const R = Rs.get(s);
      if (R) q.set(R);
      association.forEach((ss, k) => {
        if (ss === s) for (let e = 0; e < q.length; e++) q[e]! += Wk[k]![e]!;
      });
      Q.push(toCMat(N, q));
    }
    const hWh = (W: Float64Array, h: Float64Array): number => {
      let acc = 0;
      for (let i = 0; i < N; i++) {
        for (let j = 0; j < N; j++) {
          const wr = W[2 * (i * N + j)]!;
          const wi = W[2 * (i * N + j) + 1]!;
          // conj(h_i) W_ij h_j
          const pr = wr * h[2 * j]! - wi * h[2 * j + 1]!;
          const pi = wr * h[2 * j + 1]! + wi * h[2 * j]!;
          acc += h[2 * i]! * pr + h[2 * i + 1]! * pi;
        }
      }
      return acc;
    };
    const relaxedSinr = association.map((s, k) => {
      const signal = hWh(Wk[k]!, scn.channels[s]![k]!);
      let interference = scn.users[k]!.noisePower;
      for (let ss = 0; ss < scn.S; ss++) interference += hWh(Q[ss]!.data, scn.channels[ss]![k]!);
      return signal / (interference - signal);
    });
    const relaxedCrlb = crlbOf(scn, receiver, Q);
    const design = recoverRankOne(scn.S, N, association, Wk, Rs, (s, k) => scn.channels[s]![k]!);
    const ev = evaluateDesign(scn, parseDesign({ receiver, association, ...design }, scn));
    ev.sinr.forEach((v, k) => expect(v).toBeCloseTo(relaxedSinr[k]!, 6));
    expect(ev.crlb!).toBeCloseTo(relaxedCrlb, 6);
    for (let s = 0; s < scn.S; s++) {
      let tr = 0;
      for (let i = 0; i < N; i++) tr += Q[s]!.data[2 * (i * N + i)]!;
      expect(ev.powerPerBs[s]).toBeCloseTo(tr, 9);
    }
    // The beamformers are rank one by construction; the remainders are PSD.
    expect(ev.feasible).toBe(true);
  });
});

/**
 * An independent formulation of (13): complex blocks replaced by their real embedding
 * (X = A + jB <-> [[A, -B], [B, A]], tr(C X) = 1/2 tr(C_r Y)), the FIM coefficients found by
 * probing the model's direct FIM formula (fisherInformation) with a basis of Hermitian
 * matrices, and C2a written as two 3x3 LMIs [[J, e_i], [e_i^T, t_i]] >= 0 — all of it once per
 * target (several targets: each with its own J, Z and bound).
 */
function independentFixedValue(scn: Scenario, receiver: number, association: number[]): { value: number; status: string } {
  const { S, K, N } = scn;
  const P = scn.maxPower;
  const b = new ConicBuilder();
  const unit = 1e-3; // W per unit of the variables
  const W = association.map(() => b.addPsd(2 * N));
  const tx = Array.from({ length: S }, (_, s) => s).filter((s) => s !== receiver);
  const R = new Map(tx.map((s) => [s, b.addPsd(2 * N)]));
  const dim = 2 + 2 * (S - 1);
  const slack = b.addNonneg(K + tx.length + scn.targets.length);
  let sl = 0;
  // Real embedding of a complex Hermitian C as the symmetric 2N x 2N matrix whose
  // trace product with Y is 2 tr(C X).
  const embedRow = (row: number, blk: ReturnType<ConicBuilder['addPsd']>, C: Float64Array, scale: number): void => {
    for (let i = 0; i < N; i++) {
      for (let j = 0; j <= i; j++) {
        const cr = C[2 * (i * N + j)]!;
        const ci = C[2 * (i * N + j) + 1]!;
        // Y = [[A, -B], [B, A]]; tr(C X) = sum_ij C_ij X_ji = 1/2 tr([[Cr, -Ci], [Ci, Cr]] Y)
        const f = (i === j ? 1 : 2) * 0.5 * scale;
        b.addEntry(row, blk, i, j, cr * f);
        b.addEntry(row, blk, N + i, N + j, cr * f);
        if (i !== j) {
          b.addEntry(row, blk, N + i, j, ci * f);
          b.addEntry(row, blk, N + j, i, -ci * f);
        }
      }
    }
  };
  const outerH = (h: Float64Array): Float64Array => {
    const C = new Float64Array(2 * N * N);
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        C[2 * (i * N + j)] = h[2 * i]! * h[2 * j]! + h[2 * i + 1]! * h[2 * j + 1]!;
        C[2 * (i * N + j) + 1] = h[2 * i + 1]! * h[2 * j]! - h[2 * i]! * h[2 * j + 1]!;
      }
    }
    return C;
  };
  for (let k = 0; k < K; k++) {
    const row = b.row(1);
    const sig = scn.users[k]!.noisePower;
    association.forEach((s, kk) => {
      const c = ((kk === k ? 1 / scn.users[k]!.minSinr : -1) * unit) / sig;
      embedRow(row, W[kk]!, outerH(scn.channels[s]![k]!), c);
    });
    for (const [s, blk] of R) embedRow(row, blk, outerH(scn.channels[s]![k]!), -unit / sig);
    b.add(row, slack.offset + sl++, -1);
  }
  for (const s of tx) {
    const row = b.row(P / unit);
    association.forEach((ss, k) => {
      if (ss === s) b.addTrace(row, W[k]!, 0.5);
    });
    b.addTrace(row, R.get(s)!, 0.5);
    b.add(row, slack.offset + sl++, 1);
  }
  // FIM entries by probing with Hermitian basis matrices E (F is linear in each Q_s).
  const zero = (): CMat => cmat(N, N);
  const basis: Float64Array[] = [];
  for (let i = 0; i < N; i++) {
    for (let j = 0; j <= i; j++) {
      for (const imag of i === j ? [false] : [false, true]) {
        const E = new Float64Array(2 * N * N);
        if (i === j) E[2 * (i * N + i)] = 1;
        else if (!imag) {
          E[2 * (i * N + j)] = 1;
          E[2 * (j * N + i)] = 1;
        } else {
          E[2 * (i * N + j) + 1] = 1;
          E[2 * (j * N + i) + 1] = -1;
        }
        basis.push(E);
      }
    }
  }
  scn.targets.forEach((target, t) => {
    const Z = b.addPsd(dim);
    const C2 = [b.addPsd(3), b.addPsd(3)];
    // Rescale nuisance parameters by |alpha| (congruence) and the LMI by eps/2.
    const gains = target.radarGains[receiver]!;
    const d = [1, 1, ...tx.map((s) => Math.hypot(...gains[s]!)), ...tx.map((s) => Math.hypot(...gains[s]!))];
    const kappa = target.crlbMax / 2;
    // coefficient of F_ij on Q_s for basis element E: F(E at s) (linear, zero elsewhere)
    const probes = new Map<number, number[][][]>();
    for (const s of tx) {
      probes.set(
        s,
        basis.map((E) => {
          const q = Array.from({ length: S }, zero);
          q[s] = cmat(N, N, E);
          return fisherInformation(scn, receiver, q, { target: t });
        }),
      );
    }
    // A Hermitian C with tr(C E_b) = F_ij(E_b) for every basis element: C = sum_b F_ij(E_b) E_b / <E_b, E_b>.
    const coefficient = (s: number, i: number, j: number): Float64Array => {
      const C = new Float64Array(2 * N * N);
      basis.forEach((E, bi) => {
        let nrm = 0;
        for (let e = 0; e < E.length; e++) nrm += E[e]! * E[e]!;
        const v = probes.get(s)![bi]![i]![j]! / nrm;
        // The E_b are orthogonal under <X, Y> = tr(X Y), so C = sum_b F_ij(E_b) E_b / <E_b, E_b>.
        for (let e = 0; e < E.length; e++) C[e]! += v * E[e]!;
      });
      return C;
    };
    for (let i = 0; i < dim; i++) {
      for (let j = 0; j <= i; j++) {
        const row = b.row(0);
        b.addEntry(row, Z, i, j, 1);
        if (i < 2) {
          // - J_ij: J lives in the top-left of both 3x3 blocks; use block 0's copy and tie block 1's to it.
          b.addEntry(row, C2[0]!, i, j, kappa);
        }
        for (const s of tx) {
          const C = coefficient(s, i, j);
          const scale = -kappa * d[i]! * d[j]! * unit;
          association.forEach((ss, k) => {
            if (ss === s) embedRow(row, W[k]!, C, scale);
          });
          embedRow(row, R.get(s)!, C, scale);
        }
      }
    }
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j <= i; j++) {
        const row = b.row(0);
        b.addEntry(row, C2[0]!, i, j, 1);
        b.addEntry(row, C2[1]!, i, j, -1);
      }
    }
    // e_i columns and t_1 + t_2 <= eps (J in units of 1/kappa... J_true = J; constraint in J's units)
    for (let blk = 0; blk < 2; blk++) {
      for (let i = 0; i < 2; i++) {
        const row = b.row(i === blk ? 1 : 0);
        b.addEntry(row, C2[blk]!, 2, i, 1);
      }
    }
    const row = b.row(target.crlbMax);
    b.addEntry(row, C2[0]!, 2, 2, 1);
    b.addEntry(row, C2[1]!, 2, 2, 1);
    b.add(row, slack.offset + sl++, 1);
  });
  for (const blk of W) b.addCostTrace(blk, 0.5 * unit);
  for (const blk of R.values()) b.addCostTrace(blk, 0.5 * unit);
  const res = runSdp(b.build());
  return { value: res.primalObjective, status: res.status };
}

describe('fixed: optimum', () => {
  it('matches an independent real-embedded formulation with probed FIM coefficients', () => {
    for (const seed of [3, 4]) {
      const scn = smallScenario(seed, { users: 2, S: 3 });
      const receiver = 0;
      const association = [1, 2];
      const ours = solveFixed(designData(scn), receiver, association);
      const ref = independentFixedValue(scn, receiver, association);
      expect(ours.status).toBe('optimal');
      expect(ref.status).toBe('optimal');
      expect(Math.abs(ours.objective! - ref.value) / ref.value).toBeLessThan(OPT_TOL);
    }
  });

  it('with several targets (one LMI each) matches the independent formulation written per target', () => {
    // Bounds chosen so that a different target's LMI binds in each case.
    const cases: [number, number[]][] = [
      [3, [10, 1]],
      [4, [3, 10]],
    ];
    for (const [seed, bounds] of cases) {
      const scn = smallScenario(seed, { users: 2, S: 3, targets: 2 });
      const withBounds = (eps: number[]): Scenario => ({ ...scn, targets: scn.targets.map((t, i) => ({ ...t, crlbMax: eps[i]! })) });
      const receiver = 0;
      const association = [1, 2];
      const ours = solveFixed(designData(withBounds(bounds)), receiver, association);
      const ref = independentFixedValue(withBounds(bounds), receiver, association);
      expect(ours.status).toBe('optimal');
      expect(ref.status).toBe('optimal');
      expect(Math.abs(ours.objective! - ref.value) / ref.value).toBeLessThan(OPT_TOL);
      // The tighter bound costs power: the per-target LMI is active.
      const loose = solveFixed(designData(withBounds([10, 10])), receiver, association);
      expect(ours.objective!).toBeGreaterThan(loose.objective! * 1.2);
    }
  });

  it('returns designs that pass evaluate, with active constraints at the optimum', () => {
    const scn = smallScenario(5, { users: 2, S: 3 });
    const out = solveScenarioSync(scn, { method: 'fixed', receiver: 1, association: [0, 2] });
    expect(out.status).toBe('optimal');
    const ev = evaluateDesign(scn, parseDesign(out, scn));
    expect(ev.feasible).toBe(true);
    expect(Math.abs(ev.totalPower - out.totalPower!) / ev.totalPower).toBeLessThan(1e-9);
    // Power minimisation makes the SINR targets active (up to the 1e-7 margin and solver tolerance).
    for (const m of ev.sinrMarginDb) expect(Math.abs(m!)).toBeLessThan(1e-4);
    // A lower bound from the dual is reported and sits just below the value.
    expect(out.lowerBound!).toBeLessThanOrEqual(out.totalPower! * (1 + 1e-7));
    expect(out.lowerBound!).toBeGreaterThan(out.totalPower! * (1 - 1e-5));
  });
});

describe('fixed: infeasible instances', () => {
  it('reports infeasible with no design when epsilon is far too small', () => {
    const scn = smallScenario(6, { users: 2, S: 3, crlbMax: 1e-9 });
    const out = solveScenarioSync(scn, { method: 'fixed', receiver: 0, association: [1, 2] });
    expect(out.status).toBe('infeasible');
    expect(out.beamformers).toBeUndefined();
  });
  it('reports infeasible with no design when the SINR targets are far too high', () => {
    const scn = smallScenario(7, { users: 2, S: 3, minSinrDb: 90 });
    const out = solveScenarioSync(scn, { method: 'fixed', receiver: 0, association: [1, 1] });
    expect(out.status).toBe('infeasible');
    expect(out.beamformers).toBeUndefined();
  });
});

void readHermitian;

describe('fixed: a design that misses a SINR target at solver precision', () => {
  // A drop of the default study (trial 60 at Gamma = 25 dB): at the optimal choice the SDP ends
  // `optimal`, but the recovered design missed user 4's SINR by 5.2e-5 (relative), so `exact`
  // and `proposed --init relaxation` reported `failed`. `fixed` now solves again with a margin
  // a few times the miss and reports that design, with the first solve's bound.
  it('is solved again with a margin: feasible, checked by the model, within 1e-3 of its bound', async () => {
    const { trialScenarioJson } = await import('../../src/study/runner.ts');
    const { parseScenario } = await import('../../src/model/index.ts');
    const study = JSON.parse(readFileSync(new URL('../../studies/paper-fig3.json', import.meta.url), 'utf8'));
    const json = trialScenarioJson({ scenario: study.scenario, params: { minSinrDb: 25, crlbMax: 1, maxPowerDbm: 45 }, scenarioSeed: 3900421617 });
    const scn = parseScenario(json);
    const out = solveScenarioSync(scn, { method: 'fixed', receiver: 0, association: [2, 1, 3, 3, 3] });
    expect(['optimal', 'feasible']).toContain(out.status);
    expect(evaluateDesign(scn, parseDesign(out, scn)).feasible).toBe(true);
    expect(out.lowerBound).toBeDefined();
    // Not the witness (1-4x the optimum): the re-solved SDP's design, a margin's worth above the bound.
    expect(out.totalPower!).toBeGreaterThanOrEqual(out.lowerBound!);
    expect(out.totalPower! / out.lowerBound! - 1).toBeLessThan(1e-3);
  }, 120_000);
});

describe('fixed: the design layer reads C2 as the model does', () => {
  // The re-solve with a margin is triggered by the design layer's own CRLB of a recovered design
  // (FimLinear moments); it must agree with the model's CRLB (fim.ts, from the scenario), an
  // independent computation of the same quantity.
  it.each([1, 3])('T = %i: designCrlbs equals the model CRLB of every target', async (T) => {
    const { generateScenario } = await import('../../src/model/generate.ts');
    const { parseScenario } = await import('../../src/model/index.ts');
    const scn = parseScenario(generateScenario({ seed: 3, users: 5, antennas: 8, minSinrDb: 8, crlbMax: 1, ...(T > 1 ? { targets: T } : {}) }));
    const data = designData(scn);
    const association = [0, 2, 2, 3, 0];
    const sol = solveFixed(data, 1, association);
    expect(sol.status).toBe('optimal');
    const ours = designCrlbs(data, fixedSpec(data, 1, association), modelDesignOf(data.N, 1, association, sol.design!));
    const out = solveScenarioSync(scn, { method: 'fixed', receiver: 1, association });
    const model = evaluateDesign(scn, parseDesign(out, scn)).targets.map((t) => t.crlb!);
    expect(ours).toHaveLength(T);
    ours.forEach((c, t) => expect(Math.abs(c / model[t]! - 1)).toBeLessThan(1e-9));
  });
});

describe('fixed: an answer it cannot certify is solved again with the power units floored', () => {
  // Extreme campaign scenarios (bench/campaign.ts) whose blocks' units span 1e-11 and more:
  // 47181's sensing blocks (a loose CRLB), 47009's. As the data give the units, the optimum is
  // not certified (gaps 2.8e-6 and 2.6e-5, the latter's design 2.6e-5 above the optimum).
  for (const seed of [47181, 47009]) {
    it(`certifies scenario ${seed}'s optimum, with a design the model accepts`, () => {
      const scn = parseScenario(generateScenario(drawOptions('extreme', seed)), `scenario ${seed}`);
      const choice = fixedChoice(scn);
      const data = designData(scn);
      const asGiven = solveFixed(data, choice.receiver, choice.association, { unitFloor: 0 });
      expect(asGiven.status).toBe('optimal');
      expect(asGiven.certified).toBe(false);
      const d = solveScenarioSync(scn, { method: 'fixed', ...choice });
      expect(d.status).toBe('optimal');
      expect(checkAnswer(scn, d)).toEqual([]);
      expect((d.totalPower! - d.lowerBound!) / d.totalPower!).toBeLessThanOrEqual(1e-6);
      // never above the value the units as given reached (both bound the same problem)
      expect(d.totalPower!).toBeLessThanOrEqual(asGiven.objective! * (1 + 1e-9));
    });
  }
});

describe('fixed and exact: a failed solve settled by the SINR targets alone', () => {
  // Extreme scenario 57184 (crlbMax 6.7e9 m^2): the whole problem's Farkas ray fails the check
  // on the data, but its SINR targets alone cannot be met within the budget.
  it('proves scenario 57184 infeasible at the campaign decision, and for exact', () => {
    const scn = parseScenario(generateScenario(drawOptions('extreme', 57184)), 'scenario 57184');
    const { receiver, association } = fixedChoice(scn);
    const data = designData(scn);
    // Independent proof: user k needs ||w_k||^2 >= Gamma_k sigma_k^2 / ||h_{s,k}||^2 from its BS s
    // (|h^H w|^2 <= ||h||^2 ||w||^2, interference only adds), and some BS's users need more than P.
    const need = new Array<number>(data.S).fill(0);
    association.forEach((s, k) => (need[s]! += (data.gamma[k]! * data.sigma2[k]!) / channelGain(data, s, k)));
    expect(Math.max(...need)).toBeGreaterThan(data.P);
    // Without the last resort (an explicit CRLB form skips it) the solve fails...
    expect(solveFixed(data, receiver, association, { crlbForm: 'effective' }).status).toBe('failed');
    // ...with it, the relaxation's certificate settles it.
    expect(solveFixed(data, receiver, association).status).toBe('infeasible');
    const d = solveScenarioSync(scn, { method: 'fixed', receiver, association });
    expect(d.status).toBe('infeasible');
    expect(d.beamformers).toBeUndefined();
    expect(solveScenarioSync(scn, { method: 'exact' }).status).toBe('infeasible');
  });
});
