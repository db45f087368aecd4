/**
 * The design entry points called from JavaScript with what TypeScript would have refused: the
 * scenario JSON instead of the parsed scenario, no scenario, no options, an unknown method. Each
 * is an InputError naming what to pass (the CLI's exit 2), not a TypeError or RangeError from
 * deep inside the formulation.
 */
import { describe, expect, it } from 'vitest';
import { generateScenario } from '../../src/model/generate.ts';
import { parseScenario } from '../../src/model/scenario.ts';
import { solveScenario, solveScenarioSync } from '../../src/design/solve.ts';
import { designData } from '../../src/design/from-scenario.ts';
import { InputError } from '../../src/errors.ts';
import type { Scenario } from '../../src/model/types.ts';
import type { SolveOptions } from '../../src/design/api.ts';

const json = generateScenario({ seed: 5, users: 2, antennas: 4 });
const parsed = parseScenario(json);
const sync = (scn: unknown, opts: unknown) => () => solveScenarioSync(scn as Scenario, opts as SolveOptions);

describe('the design entry points refuse what is not a parsed scenario and options', () => {
  it('scenario JSON: names parseScenario, for every method and in the async entry too', async () => {
    for (const method of ['fixed', 'proposed', 'exact'] as const) {
      expect(sync(json, { method })).toThrow(InputError);
      expect(sync(json, { method })).toThrow(/scenario: .*parseScenario\(json\)/);
    }
    await expect(solveScenario(json as unknown as Scenario, { method: 'exact', threads: 2 })).rejects.toThrow(/parseScenario/);
    // the lower entry (solveFixed, solveProposed and solveExact take its DesignData)
    expect(() => designData(json as unknown as Scenario)).toThrow(/parseScenario/);
  });

  it('no scenario at all, or one with its counts broken', () => {
    for (const bad of [null, undefined, 42, 'fig2', {}, { ...parsed, S: 0 }, { ...parsed, channels: [] }, { ...parsed, N: 2.5 }]) {
      expect(sync(bad, { method: 'fixed' })).toThrow(InputError);
    }
  });

  it('missing options or an unknown method', async () => {
    expect(sync(parsed, undefined)).toThrow(/options: expected an options object/);
    expect(sync(parsed, { method: 'magic' })).toThrow(/method: unknown method 'magic'/);
    await expect(solveScenario(parsed, undefined as unknown as SolveOptions)).rejects.toThrow(InputError);
  });

  it('the parsed scenario still solves, with users and without (sensing only)', () => {
    const d = solveScenarioSync(parsed, { method: 'proposed' });
    expect(['optimal', 'feasible', 'infeasible']).toContain(d.status);
    const sensingOnly = parseScenario({ ...json, users: [], channels: undefined });
    expect(sensingOnly.K).toBe(0);
    expect(['optimal', 'feasible', 'infeasible']).toContain(solveScenarioSync(sensingOnly, { method: 'fixed', receiver: 0, association: [] }).status);
  });
});
