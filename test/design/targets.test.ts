/**
 * Several targets in the design layer: every method carries one CRLB LMI per target.
 * Independent means: single-target problems (each a relaxation of the two-target one),
 * exact's certified bound, re-evaluation of every design by the model, and the relaxed
 * metrics of Theorem 1's recovery computed directly from the SDP's matrices.
 */
import { describe, expect, it } from 'vitest';
import { designData } from '../../src/design/from-scenario.ts';
import { buildFormulation } from '../../src/design/formulation.ts';
import { fixedSpec } from '../../src/design/fixed.ts';
import { runSdp } from '../../src/design/sdp.ts';
import { generateScenario } from '../../src/model/generate.ts';
import { closestBs } from '../../src/design/proposed.ts';
import { recoverRankOne, quadForm } from '../../src/design/recover.ts';
import { solveScenarioSync } from '../../src/design/solve.ts';
import type { DesignJson, SolveOptions } from '../../src/design/api.ts';
import { evaluateDesign } from '../../src/model/evaluate.ts';
import { parseDesign } from '../../src/model/design.ts';
import { crlbPerTarget } from '../../src/model/fim.ts';
import { parseScenario, scenarioToJson } from '../../src/model/scenario.ts';
import { cmat, type CMat } from '../../src/linalg/complex.ts';
import type { Scenario } from '../../src/model/types.ts';
import { generatedFixed, smallScenario, solveRelaxedFixed } from './helpers.ts';

/** The scenario with only target t (its position, gains and bound), in the `target` form. */
function onlyTarget(scn: Scenario, t: number): Scenario {
  const { targets: _t, radarGains: _g, ...rest } = scenarioToJson(scn);
  const tg = scn.targets[t]!;
  return parseScenario({ ...rest, crlbMax: tg.crlbMax, target: { position: tg.position }, radarGains: tg.radarGains });
}

/** Scenario JSON with the targets replaced (gains drawn by the channel model for the new positions). */
function withTargets(scn: Scenario, targets: { position: [number, number]; crlbMax?: number }[]): Scenario {
  const { target: _t, targets: _ts, radarGains: _g, ...rest } = scenarioToJson(scn);
  return parseScenario({ ...rest, channelModel: scn.channelModel, targets });
}

/** What a method decided and achieved, without timings. */
function outcome(d: DesignJson) {
  return {
    status: d.status,
    receiver: d.receiver,
    association: d.association,
    beamformers: d.beamformers,
    sensingCovariances: d.sensingCovariances,
    totalPower: d.totalPower,
    lowerBound: d.lowerBound,
  };
}

const METHOD_RUNS: SolveOptions[] = [
  { method: 'fixed', receiver: 0, association: [1, 2] },
  { method: 'proposed', init: 'relaxation' },
  { method: 'proposed', init: 'uniform' },
  { method: 'proposed', init: 'closest' },
  { method: 'exact' },
  { method: 'scheme1' },
  { method: 'scheme2', seed: 3 },
  { method: 'scheme3' },
];

describe('several targets: T = 1 through `targets` is the single-target problem', () => {
  it('every method gives exactly the same design and power', () => {
    const scn = smallScenario(3, { users: 2, S: 3 });
    const viaTargets = parseScenario({
      ...(() => {
        const { target, ...rest } = scenarioToJson(scn) as Record<string, any>;
        return { ...rest, targets: [{ position: target.position }], radarGains: [rest.radarGains] };
      })(),
    });
    expect(viaTargets.targetsGiven).toBe(true);
    for (const opts of METHOD_RUNS) {
      const a = solveScenarioSync(scn, opts);
      const b = solveScenarioSync(viaTargets, opts);
      expect(a.status === 'optimal' || a.status === 'feasible').toBe(true);
      expect(outcome(b)).toEqual(outcome(a));
    }
  });
});

describe('several targets: optimum and bounds', () => {
  // Two targets, each with a bound that costs power on its own.
  const two = withTargets(smallScenario(3, { users: 2, S: 3 }), [
    { position: [12, 18], crlbMax: 2 },
    { position: [40, 79], crlbMax: 1 },
  ]);

  it("the two-target optimum is at least the larger single-target optimum and never below exact's bound", () => {
    const exact2 = solveScenarioSync(two, { method: 'exact' });
    expect(exact2.status).toBe('optimal');
    const singles = [0, 1].map((t) => solveScenarioSync(onlyTarget(two, t), { method: 'exact' }));
    for (const s of singles) expect(s.status).toBe('optimal');
    const largest = Math.max(...singles.map((s) => s.totalPower!));
    // Each single-target problem drops constraints of the two-target one: a relaxation.
    expect(exact2.totalPower!).toBeGreaterThanOrEqual(largest * (1 - 1e-6));
    // Both targets cost power here, so the joint optimum is strictly above either single one.
    expect(exact2.totalPower!).toBeGreaterThan(largest * 1.001);
    // The certified bound covers every method's design, and each is feasible for both targets.
    const bound = exact2.lowerBound!;
    expect(bound).toBeLessThanOrEqual(exact2.totalPower! * (1 + 1e-9));
    const missed: string[] = [];
    for (const opts of METHOD_RUNS) {
      const d = solveScenarioSync(two, opts);
      if (d.status === 'infeasible') {
        missed.push(opts.method); // a heuristic may miss; the bound is about found designs
        continue;
      }
      expect(d.status === 'optimal' || d.status === 'feasible').toBe(true);
      expect(d.totalPower!).toBeGreaterThanOrEqual(bound * (1 - 1e-6));
      const ev = evaluateDesign(two, parseDesign(d, two));
      expect(ev.feasible).toBe(true);
      expect(ev.targets).toHaveLength(2);
      ev.targets.forEach((t) => expect(t.crlb!).toBeLessThanOrEqual(t.crlbMax * (1 + 1e-6)));
    }
    // Only the random Scheme 2 may draw an association that cannot meet the targets.
    expect(missed.filter((m) => m !== 'scheme2')).toEqual([]);
  });

  it('moving one target far away makes its constraint the binding one', () => {
    // Target 1 first sits next to BS 0 (a strong echo: its C2 has slack, target 0's binds),
    // then 60 m behind it: now its C2 binds and target 0's has slack.
    const near = withTargets(two, [
      { position: [12, 18], crlbMax: 3 },
      { position: [5, 92], crlbMax: 3 },
    ]);
    const far = withTargets(two, [
      { position: [12, 18], crlbMax: 3 },
      { position: [40, 150], crlbMax: 3 },
    ]);
    const solved = (s: Scenario) => {
      const d = solveScenarioSync(s, { method: 'exact' });
      expect(d.status).toBe('optimal');
      const ev = evaluateDesign(s, parseDesign(d, s));
      return { ratio: ev.targets.map((t) => t.crlb! / t.crlbMax), power: d.totalPower!, binding: ev.bindingTarget };
    };
    const a = solved(near);
    const b = solved(far);
    expect(a.ratio[0]).toBeGreaterThan(1 - 1e-4);
    expect(a.ratio[1]).toBeLessThan(0.9);
    expect(a.binding).toBe(0);
    expect(b.ratio[1]).toBeGreaterThan(1 - 1e-4);
    expect(b.ratio[0]).toBeLessThan(0.9);
    expect(b.binding).toBe(1);
    expect(b.power).toBeGreaterThan(2 * a.power);
  });

  it('a design feasible for one target and not the other is infeasible in evaluate', () => {
    const far = withTargets(two, [
      { position: [12, 18], crlbMax: 1 },
      { position: [20, -400], crlbMax: 1 },
    ]);
    const forFirst = solveScenarioSync(onlyTarget(far, 0), { method: 'exact' });
    expect(forFirst.status).toBe('optimal');
    const ev = evaluateDesign(far, parseDesign(forFirst, far));
    expect(ev.targets[0]!.crlb!).toBeLessThanOrEqual(1 + 1e-6);
    expect(ev.targets[1]!.crlb!).toBeGreaterThan(1.5);
    expect(ev.feasible).toBe(false);
    expect(ev.violations).toEqual([expect.stringMatching(/^targets\[1\]: CRLB .* above crlbMax 1 m\^2 \(relative excess [\d.]+e[+-]\d+\)$/)]);
  });

  it("Scheme 1 receives at the BS closest to the targets' centroid", () => {
    const data = designData(two);
    const cx = (12 + 40) / 2;
    const cy = (18 + 79) / 2;
    const dist = two.baseStations.map((b) => Math.hypot(b.position[0] - cx, b.position[1] - cy));
    expect(closestBs(data)).toBe(dist.indexOf(Math.min(...dist)));
    const d = solveScenarioSync(two, { method: 'scheme1' });
    expect(d.receiver).toBe(closestBs(data));
    // Not simply the BS closest to one of the targets when the centroid says otherwise.
    const spread = withTargets(two, [{ position: [-80, -45] }, { position: [80, -45] }]);
    const cd = spread.baseStations.map((b) => Math.hypot(b.position[0], b.position[1] + 45));
    expect(closestBs(designData(spread))).toBe(cd.indexOf(Math.min(...cd)));
  });
});

describe('several targets: Theorem 1 recovery', () => {
  it("leaves every SINR, every target's CRLB and every power unchanged", () => {
    const scn = withTargets(smallScenario(3, { users: 2, S: 3 }), [
      { position: [12, 18], crlbMax: 2 },
      { position: [40, 79], crlbMax: 1 },
      { position: [-50, 20], crlbMax: 3 },
    ]);
    const receiver = 0;
    const association = [1, 2];
    const { f, sdp, Wk, Rs } = solveRelaxedFixed(scn, receiver, association);
    expect(f.lmis).toHaveLength(3);
    expect(sdp.status).toBe('optimal');
    const N = scn.N;
    // Relaxed transmit covariances Q_s = sum_k W_k + R_s and the metrics they give.
    const Q: CMat[] = scn.baseStations.map((_, s) => {
      const q = new Float64Array(2 * N * N);
      const R = Rs.get(s);
      if (R) q.set(R);
      association.forEach((ss, k) => {
        if (ss === s) for (let e = 0; e < q.length; e++) q[e]! += Wk[k]![e]!;
      });
      return cmat(N, N, q);
    });
    const relaxedSinr = association.map((s, k) => {
      const signal = quadForm(Wk[k]!, scn.channels[s]![k]!, N);
      let all = scn.users[k]!.noisePower;
      for (let ss = 0; ss < scn.S; ss++) all += quadForm(Q[ss]!.data, scn.channels[ss]![k]!, N);
      return signal / (all - signal);
    });
    const relaxedCrlb = crlbPerTarget(scn, receiver, Q);
    const design = recoverRankOne(scn.S, N, association, Wk, Rs, (s, k) => scn.channels[s]![k]!);
    const ev = evaluateDesign(scn, parseDesign({ receiver, association, ...design }, scn));
    ev.sinr.forEach((v, k) => expect(v / relaxedSinr[k]!).toBeCloseTo(1, 9));
    ev.targets.forEach((t, i) => expect(t.crlb! / relaxedCrlb[i]!).toBeCloseTo(1, 9));
    for (let s = 0; s < scn.S; s++) {
      let tr = 0;
      for (let i = 0; i < N; i++) tr += Q[s]!.data[2 * (i * N + i)]!;
      expect(ev.powerPerBs[s]! / Math.max(tr, 1e-300)).toBeCloseTo(tr > 0 ? 1 : 0, 9);
    }
    // Every target's LMI holds at the relaxed point, so the recovered design is feasible.
    expect(ev.feasible).toBe(true);
    // At least one target's C2 is active at the optimum (else sensing power would be wasted).
    expect(Math.max(...ev.targets.map((t) => t.crlb! / t.crlbMax))).toBeGreaterThan(1 - 1e-4);
  });
});

describe('several targets at a loose bound with few users', () => {
  // K = 2, T = 3, crlbMax 1e7 m^2: the users' beams inform a target mostly along one direction
  // and the bound binds in the other. These drops ended `numerical_error` (the CRLB constants
  // set the solver's estimate of the size of x), and once solved in the formulation's units
  // the closed-form cone left designs that missed a CRLB by up to 46x (design/fixed.ts,
  // withLmiForm). Every answer is checked by the model from scratch.
  // Drop 7 stays `feasible`: both forms stall near its optimum (certified gap 6.2e-6), and its
  // design, though meeting every CRLB, may carry 6e-6 too much power; that is what it says.
  it.each([
    [2, 'optimal'],
    [3, 'optimal'],
    [7, 'feasible'],
    [10, 'optimal'],
  ])('drop %i: fixed (%s), proposed and exact give designs that meet every CRLB', (seed, fixedStatus) => {
    const { scn, receiver, association } = generatedFixed({ seed, users: 2, antennas: 8, minSinrDb: 10, crlbMax: 1e7, targets: 3 });
    const fixed = solveScenarioSync(scn, { method: 'fixed', receiver, association });
    expect(fixed.status).toBe(fixedStatus);
    const exact = solveScenarioSync(scn, { method: 'exact' });
    expect(exact.status === 'optimal' || exact.status === 'feasible').toBe(true);
    // exact's certified bound is below every design (fixed's association is one of its leaves)
    expect(exact.lowerBound!).toBeLessThanOrEqual(fixed.totalPower! * (1 + 1e-9));
    for (const d of [fixed, exact, solveScenarioSync(scn, { method: 'proposed' })]) {
      expect(d.status === 'optimal' || d.status === 'feasible').toBe(true);
      const ev = evaluateDesign(scn, parseDesign(d, scn));
      expect(ev.feasible).toBe(true);
      ev.targets.forEach((t) => expect(t.crlb!).toBeLessThanOrEqual(t.crlbMax * (1 + 1e-6)));
    }
  });
});

describe('several targets, one user: the LMI pair certifies what the closed form cannot', () => {
  it("is a certified optimum, with the closed form's own bound 4e-5 below its value", () => {
    const scn = parseScenario(generateScenario({ seed: 3115, users: 1, antennas: 2, minSinrDb: -0.55, crlbMax: 1.66e7, targets: 4 }));
    const data = designData(scn);
    // a sensing block's 1.5e-11 deficit times its 2.9e6 size bound
    const closed = runSdp(buildFormulation(data, fixedSpec(data, 0, [3])).problem);
    expect(closed.status).toBe('optimal');
    expect((closed.primalObjective - closed.lowerBound) / closed.primalObjective).toBeGreaterThan(1e-6);
    const d = solveScenarioSync(scn, { method: 'fixed', receiver: 0, association: [3] });
    expect(d.status).toBe('optimal');
    expect((d.totalPower! - d.lowerBound!) / d.totalPower!).toBeLessThanOrEqual(1e-6);
    expect(evaluateDesign(scn, parseDesign(d, scn)).feasible).toBe(true);
  });
});

describe('a CRLB below the resolution of the total power', () => {
  // K = 3 users on N = 2 antennas, two targets at crlbMax 3.6e8: the users' beams carry almost
  // all the information, and the sensing power that fills target 1's weak direction is ~1e-8
  // of the total. Both CRLB forms said optimal with that target at 1.02-1.05 of its bound (the
  // answer was `failed` on the model's check, here and for `proposed`, which ends at this
  // choice); the re-solve's CRLB margin may now exceed 1e-3 (design/fixed.ts, crlbMarginFor).
  it('is met by a re-solve with a larger margin, at a certified optimum', () => {
    const scn = parseScenario(generateScenario({ seed: 2076, users: 3, antennas: 2, minSinrDb: 15.155832839664072, crlbMax: 362758223.21243024, targets: 2 }));
    const d = solveScenarioSync(scn, { method: 'fixed', receiver: 1, association: [3, 2, 0] });
    expect(d.status).toBe('optimal');
    const ev = evaluateDesign(scn, parseDesign(d, scn));
    expect(ev.feasible).toBe(true);
    ev.targets.forEach((t) => expect(t.crlb!).toBeLessThanOrEqual(t.crlbMax));
  });
});

describe('one antenna per base station', () => {
  it('is infeasible for every method, said up front (no design informs a position)', () => {
    const scn = parseScenario(generateScenario({ seed: 4, users: 2, antennas: 1, crlbMax: 1e6, targets: 2 }));
    for (const opts of [
      { method: 'fixed' as const, receiver: 0, association: [1, 2] },
      { method: 'proposed' as const },
      { method: 'exact' as const },
      { method: 'scheme3' as const },
    ]) {
      const d = solveScenarioSync(scn, opts);
      expect(d.status).toBe('infeasible');
      expect(d.message).toMatch(/one antenna/);
    }
  });

  it('also for exact on worker threads (the answer comes before any pool starts)', async () => {
    const { solveScenario } = await import('../../src/design/solve.ts');
    const scn = parseScenario(generateScenario({ seed: 4, users: 2, antennas: 1, crlbMax: 1e6, targets: 2 }));
    const d = await solveScenario(scn, { method: 'exact', threads: 2 });
    expect(d.status).toBe('infeasible');
    expect(d.message).toMatch(/one antenna/);
  });
});
