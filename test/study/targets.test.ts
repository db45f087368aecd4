/**
 * Several targets in studies: the `targets` count (scenario default and sweep axis), the
 * trial scenarios it generates, and the report's axis. A study that does not mention
 * targets resolves exactly as before (its points carry no `targets` key, so its hash and
 * its results files are unchanged).
 */
import { describe, expect, it } from 'vitest';
import { parseStudy } from '../../src/study/schema.ts';
import { trialScenarioJson } from '../../src/study/runner.ts';
import { scenarioSeed } from '../../src/study/tasks.ts';
import { chooseAxes } from '../../src/report/aggregate.ts';
import { InputError } from '../../src/errors.ts';

const base = { scenario: { users: 2, antennas: 4, minSinrDb: 10 }, trials: 2, methods: ['proposed'], seed: 5 };

describe('study: number of targets', () => {
  it('sweep.targets gives one point per T; the report plots against T', () => {
    const study = parseStudy({ ...base, sweep: { targets: [1, 2, 3, 4] } });
    expect(study.points.map((p) => p.targets)).toEqual([1, 2, 3, 4]);
    expect(study.points.every((p) => p.minSinrDb === 10)).toBe(true);
    expect(chooseAxes(study).x).toBe('targets');
    expect(chooseAxes(study).xTitle).toMatch(/targets T/);
    const range = parseStudy({ ...base, sweep: { targets: { from: 1, to: 3, step: 1 } } });
    expect(range.points.map((p) => p.targets)).toEqual([1, 2, 3]);
  });

  it('each trial draws T targets; target 0, users and channels are those of the T = 1 drop', () => {
    const study = parseStudy({ ...base, sweep: { targets: [1, 3] } });
    const json = (point: number) =>
      trialScenarioJson({ scenario: study.scenario, params: study.points[point], scenarioSeed: scenarioSeed(study, point, 1) }) as Record<string, any>;
    const one = json(0);
    const three = json(1);
    expect(one.targets).toHaveLength(1);
    expect(three.targets).toHaveLength(3);
    expect(three.targets[0]).toEqual(one.targets[0]);
    expect(three.users).toEqual(one.users);
    expect(three.channels).toEqual(one.channels);
    expect(three.radarGains[0]).toEqual(one.radarGains[0]);
  });

  it('scenario.targets sets T for every point; without it the points are as before', () => {
    const withT = parseStudy({ ...base, scenario: { ...base.scenario, targets: 2 }, sweep: { minSinrDb: [0, 5] } });
    expect(withT.points.map((p) => p.targets)).toEqual([2, 2]);
    const plain = parseStudy({ ...base, sweep: { minSinrDb: [0, 5] } });
    expect(plain.points.every((p) => !('targets' in p))).toBe(true);
    const single = trialScenarioJson({ scenario: plain.scenario, params: plain.points[0], scenarioSeed: 9 }) as Record<string, any>;
    expect(single.target).toBeDefined();
    expect(single.targets).toBeUndefined();
  });

  it('rejects a bad count, naming the field', () => {
    expect(() => parseStudy({ ...base, sweep: { targets: [0, 2] } })).toThrow(/sweep\.targets/);
    expect(() => parseStudy({ ...base, sweep: { targets: [1.5] } })).toThrow(InputError);
    expect(() => parseStudy({ ...base, scenario: { ...base.scenario, targets: 17 } })).toThrow(/scenario\.targets/);
    expect(() => parseStudy({ ...base, sweep: { targets: { from: 1, to: 2, step: 0.5 } } })).toThrow(/sweep\.targets/);
  });
});
