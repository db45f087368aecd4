/**
 * The real trial runner (model + solveScenario) on small scenarios: every method of a
 * trial sees the same drop, designs are checked independently, and Table II's per-receiver exact
 * search agrees with enumerating every association.
 */
import { describe, expect, it } from 'vitest';
import { associations, perReceiverBest, runTrial, trialScenarioJson } from '../../src/study/runner.ts';
import { parseStudy } from '../../src/study/schema.ts';
import { methodSeed, scenarioSeed } from '../../src/study/tasks.ts';
import type { TrialInput } from '../../src/study/trial.ts';

const study = parseStudy({
  name: 'tiny',
  scenario: { users: 2, antennas: 4 },
  sweep: { minSinrDb: [0, 10] },
  trials: 2,
  methods: ['exact', 'scheme2', 'proposed'],
  seed: 3,
});

function input(point: number, trial: number, method: 'exact' | 'scheme2' | 'proposed'): TrialInput {
  return {
    studyHash: 'x',
    scenario: study.scenario,
    point,
    params: study.points[point]!,
    trial,
    method,
    scenarioSeed: scenarioSeed(study, point, trial),
    methodSeed: methodSeed(study, point, trial, method),
    recordHistory: true,
  };
}

describe('real trial runner', () => {
  it('generates the same drop at every point and solves with each method', async () => {
    const a = trialScenarioJson(input(0, 1, 'exact')) as { users: { position: number[]; minSinrDb: number }[]; channels: unknown };
    const b = trialScenarioJson(input(1, 1, 'scheme2')) as typeof a;
    expect(a.users.map((u) => u.position)).toEqual(b.users.map((u) => u.position));
    expect(a.channels).toEqual(b.channels);
    expect(a.users[0]!.minSinrDb).toBe(0);
    expect(b.users[0]!.minSinrDb).toBe(10);

    const exact = await runTrial(input(0, 0, 'exact'));
    const s2 = await runTrial(input(0, 0, 'scheme2'));
    const prop = await runTrial(input(0, 0, 'proposed'));
    expect(JSON.stringify([exact, s2, prop])).not.toMatch(/NaN|Infinity/);
    if (exact.feasible) {
      expect(exact.status).toBe('optimal');
      expect(exact.lowerBound).not.toBeNull();
      expect(exact.minSinrMarginDb!).toBeGreaterThan(-1e-4);
      expect(exact.crlb!).toBeLessThanOrEqual(study.points[0]!.crlbMax * (1 + 1e-5));
      for (const o of [s2, prop]) if (o.feasible) expect(o.totalPower!).toBeGreaterThanOrEqual(exact.totalPower! * (1 - 1e-5));
    }
    if (prop.feasible) expect(prop.history?.length).toBeGreaterThan(0);
  });

  it('Table II: the exact search restricted to each receiver equals enumerating every association', async () => {
    const json = trialScenarioJson(input(0, 0, 'exact'));
    expect([...associations(4, 2, 1)]).toHaveLength(9);
    expect([...associations(4, 2, 1)].every((a) => !a.includes(1))).toBe(true);

    const viaExact = await perReceiverBest(json);
    const viaEnum = await perReceiverBest(json, { how: 'enumerate' });
    expect(viaExact.map((r) => r.receiver)).toEqual([0, 1, 2, 3]);
    viaExact.forEach((r, i) => {
      const e = viaEnum[i]!;
      expect(r.totalPower === null).toBe(e.totalPower === null);
      if (r.totalPower !== null) expect(r.totalPower).toBeCloseTo(e.totalPower!, 6);
    });
  });
});
