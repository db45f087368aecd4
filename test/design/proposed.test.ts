/**
 * Algorithm 1 (`proposed`) and the schemes built on it: exactly feasible outputs,
 * the recorded AO history, and every initialisation.
 */
import { describe, expect, it } from 'vitest';
import { designData } from '../../src/design/from-scenario.ts';
import { PROPOSED_INITS, solveProposed } from '../../src/design/proposed.ts';
import { solveScenarioSync } from '../../src/design/solve.ts';
import { evaluateDesign } from '../../src/model/evaluate.ts';
import { parseDesign } from '../../src/model/design.ts';
import { smallScenario } from './helpers.ts';

describe('proposed (Algorithm 1)', () => {
  it('returns an exactly feasible design with the AO history', () => {
    const scn = smallScenario(51, { S: 3, users: 3 });
    const out = solveScenarioSync(scn, { method: 'proposed' });
    expect(out.status).toBe('feasible');
    const ev = evaluateDesign(scn, parseDesign(out, scn));
    expect(ev.feasible).toBe(true);
    const history = out.detail!.history as { iteration: number; objective: number; b: number[]; a: number[][] }[];
    expect(history.length).toBeGreaterThan(0);
    history.forEach((h, i) => {
      expect(h.iteration).toBe(i + 1);
      expect(Number.isFinite(h.objective)).toBe(true);
      expect(h.b).toHaveLength(scn.S);
      expect(h.a).toHaveLength(scn.K);
    });
    // The last iterate is (numerically) binary and names the reported receiver and association.
    const last = history[history.length - 1]!;
    expect(last.b[out.receiver!]).toBeLessThan(1e-3);
    out.association!.forEach((s, k) => expect(last.a[k]![s]).toBeGreaterThan(0.5));
  });

  it("starts from the paper's neutral point and stops only at a binary b and a", () => {
    const scn = smallScenario(54, { S: 3, users: 3 });
    const res = solveProposed(designData(scn));
    expect(res.history[0]!.b).toEqual([2 / 3, 2 / 3, 2 / 3]); // b = (S - 1)/S
    const dist = (v: number) => Math.min(Math.abs(v), Math.abs(1 - v));
    const last = res.history[res.history.length - 1]!;
    expect(['tolerance', 'binary_stable']).toContain(res.stopReason);
    for (const v of [...last.b, ...last.a.flat()]) expect(dist(v)).toBeLessThanOrEqual(1e-3);
    // The first iterate is fractional: the paper's surrogate test alone would have stopped here.
    expect(Math.max(...res.history[0]!.b.map(dist))).toBeGreaterThan(0.3);
    // Every earlier iterate that was still fractional did not end the run; the reported
    // decision is the rounding of the last iterate.
    expect(res.receiver).toBe(last.b.indexOf(Math.min(...last.b)));
    if (res.snappedAt !== undefined) expect(res.history[res.snappedAt - 1]!.b.filter((v) => v === 0)).toHaveLength(1);
  });

  it('with a mu continuation, does not stop before mu reaches its final value', () => {
    const scn = smallScenario(52, { S: 3, users: 2 });
    // mu = 1, 10, ..., 1e4, then 3e4 from iteration 6 on.
    const res = solveProposed(designData(scn), { muStart: 1, muGrowth: 10 });
    expect(['subproblem_infeasible', 'subproblem_failed', 'cancelled']).not.toContain(res.stopReason);
    expect(res.history.length).toBeGreaterThanOrEqual(6);
    expect(res.status).toBe('optimal');
  });

  it('holds J in the b-step when asked (the literal block split) and still ends feasible', () => {
    const scn = smallScenario(52, { S: 3, users: 2 });
    const res = solveProposed(designData(scn), { holdJ: true });
    expect(res.status).toBe('optimal');
    const design = parseDesign({ receiver: res.receiver, association: res.association, ...res.final!.design }, scn);
    expect(evaluateDesign(scn, design).feasible).toBe(true);
  });

  for (const init of PROPOSED_INITS) {
    it(`works from the '${init}' initial point`, () => {
      const scn = smallScenario(52, { S: 3, users: 2 });
      const res = solveProposed(designData(scn), { init });
      expect(res.status).toBe('optimal'); // the final `fixed` solve is optimal for its b and a
      expect(res.final?.design).toBeDefined();
      const design = parseDesign({ receiver: res.receiver, association: res.association, ...res.final!.design }, scn);
      expect(evaluateDesign(scn, design).feasible).toBe(true);
    });
  }

  it('schemes 1-3 follow their definitions', () => {
    const scn = smallScenario(53, { S: 3, users: 2 });
    const s1 = solveScenarioSync(scn, { method: 'scheme1' });
    // Scheme 1: the BS closest to the target receives.
    const d = scn.baseStations.map((b) => Math.hypot(b.position[0] - scn.targets[0]!.position[0], b.position[1] - scn.targets[0]!.position[1]));
    expect(s1.receiver).toBe(d.indexOf(Math.min(...d)));
    // Scheme 3: BS2 receives, only BS1 sends a dedicated sensing signal.
    const s3 = solveScenarioSync(scn, { method: 'scheme3' });
    if (s3.status === 'feasible') {
      expect(s3.receiver).toBe(1);
    }
    // Scheme 2: reproducible for a seed, and a seed changes the draw somewhere.
    const a = solveScenarioSync(scn, { method: 'scheme2', seed: 5 });
    const b = solveScenarioSync(scn, { method: 'scheme2', seed: 5 });
    expect([a.receiver, ...(a.association ?? [])]).toEqual([b.receiver, ...(b.association ?? [])]);
    const draws = new Set<string>();
    for (let seed = 1; seed <= 8; seed++) {
      const o = solveScenarioSync(scn, { method: 'scheme2', seed });
      draws.add(`${o.receiver}|${o.association?.join(',')}`);
      if (o.association) expect(o.association).not.toContain(o.receiver);
    }
    expect(draws.size).toBeGreaterThan(1);
  });
});

describe('Algorithm 1 on extreme data', () => {
  // Found by a random campaign over every method (path loss -22 dB at 1 m in a 2 km disc;
  // user noise -138 dBm on one antenna). Both once ended badly: a b-step whose `optimal`
  // answer, clamped to [0, 1], left no BS receiving, so subproblem (23) threw a TypeError; and
  // subproblem (23) breaking down before the first iterate returned `failed`.
  it('skips a b-step that breaks C5 instead of throwing, and ends with a design the model accepts', async () => {
    const { generateScenario } = await import('../../src/model/generate.ts');
    const { parseScenario } = await import('../../src/model/scenario.ts');
    const scn = parseScenario(
      generateScenario({
        seed: 5134,
        users: 6,
        antennas: 8,
        minSinrDb: 11.3,
        crlbMax: 4.2e9,
        targets: 4,
        maxPowerDbm: 56.4,
        radarNoisePowerDbm: -139.7,
        userNoisePowerDbm: -97.4,
        radius: 2160.9,
        layout: 'paper',
        channelModel: { pathLossDbAt1m: -22.1 },
      }),
    );
    const res = solveProposed(designData(scn));
    expect(res.bStepFailures).toBeGreaterThan(0);
    const d = solveScenarioSync(scn, { method: 'proposed' });
    expect(d.status).toBe('feasible');
    expect(evaluateDesign(scn, parseDesign(d, scn)).feasible).toBe(true);
  });

  it('reports each relaxation of the relaxation start while it runs', () => {
    const scn = smallScenario(55, { S: 3, users: 2 });
    const messages: string[] = [];
    solveProposed(designData(scn), { init: 'relaxation', onProgress: (_f, m) => messages.push(m) });
    expect(messages.slice(0, 3)).toEqual([1, 2, 3].map((r) => `Algorithm 1: relaxation start, receiver BS${r} (${r} of 3)`));
  });

  it('says that (23) infeasible at its start is no proof, and what would decide it', () => {
    // SINR targets of 60 dB on a 0 dBm budget: no design exists, and (23) has none at the start
    const scn = smallScenario(53, { S: 3, users: 2, minSinrDb: 60, maxPowerDbm: 0 });
    const uniform = solveProposed(designData(scn));
    expect(uniform.status).toBe('infeasible');
    expect(uniform.history).toHaveLength(0);
    expect(uniform.message).toMatch(/uniform point.*not a proof.*--init relaxation.*`exact` decides/);
    const atReceiver = solveProposed(designData(scn), { fixedReceiver: 0 });
    expect(atReceiver.message).toMatch(/fixed receiving BS.*not a proof.*--init relaxation/);
    const bistatic = solveProposed(designData(scn), { fixedReceiver: 1, bistaticTransmitter: 0 });
    expect(bistatic.message).toMatch(/fixed bistatic pair.*not a proof that no design exists \(`exact` decides\)/);
    // the relaxation start proves it instead
    expect(solveProposed(designData(scn), { init: 'relaxation' }).message).toMatch(/proof of infeasibility/);
    expect(solveScenarioSync(scn, { method: 'exact' }).status).toBe('infeasible');
  });

  it('solves the initial point rounded when subproblem (23) breaks down at once', async () => {
    const { generateScenario } = await import('../../src/model/generate.ts');
    const { parseScenario } = await import('../../src/model/scenario.ts');
    const scn = parseScenario(
      generateScenario({
        seed: 5185,
        users: 6,
        antennas: 1,
        minSinrDb: 1.38,
        crlbMax: 9.65e9,
        targets: 1,
        maxPowerDbm: 35.9,
        radarNoisePowerDbm: -82,
        userNoisePowerDbm: -138.26,
        radius: 57.65,
        layout: 'paper',
        channelModel: { pathLossDbAt1m: -66.28 },
      }),
    );
    const res = solveProposed(designData(scn));
    expect(res.history).toHaveLength(0);
    expect(res.stopReason).toBe('subproblem_failed');
    expect(res.final).toBeDefined();
    // the rounded decision's SDP is proven infeasible; so is the scenario (one antenna: no
    // position information), which the design layer says up front
    expect(res.final!.status).toBe('infeasible');
    expect(solveScenarioSync(scn, { method: 'proposed' }).status).toBe('infeasible');
  });
});
