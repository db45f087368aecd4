/**
 * The robustness campaign's checks (bench/campaign.ts) catch what they claim to catch: a
 * clean answer passes, and an answer tampered in each way the campaign looks for is flagged.
 * (The campaign itself is a benchmark, run by hand; this keeps its verdicts honest.)
 */
import { describe, expect, it } from 'vitest';
import { certifiedGap, checkAnswer, crossCheck, drawOptions, fixedChoice, runScenario, type Kind } from '../../bench/campaign.ts';
import { generateScenario } from '../../src/model/generate.ts';
import { parseScenario } from '../../src/model/scenario.ts';
import { solveScenarioSync } from '../../src/design/solve.ts';
import { METHODS, type DesignJson, type Method } from '../../src/design/api.ts';

// Seed 1044 of the random campaign: feasible (S = 4, K = 4, N = 8, one target).
const scn = parseScenario(generateScenario(drawOptions('random', 1044)));
const fixed = solveScenarioSync(scn, { method: 'fixed', ...fixedChoice(scn) });
const copy = (d: DesignJson): DesignJson => JSON.parse(JSON.stringify(d)) as DesignJson;

describe('campaign checks (bench/campaign.ts)', () => {
  it('pass a design the solver certified', () => {
    expect(fixed.status).toBe('optimal');
    expect(checkAnswer(scn, fixed)).toEqual([]);
  });

  it('flag beamformers too weak for the SINR targets', () => {
    const d = copy(fixed);
    d.beamformers = d.beamformers!.map((w) => w.map(([re, im]) => [re * 0.5, im * 0.5]));
    expect(checkAnswer(scn, d).join('\n')).toMatch(/re-evaluates the design as infeasible.*SINR/);
  });

  it('flag a reported power that is not the power of the design', () => {
    const d = copy(fixed);
    d.totalPower = d.totalPower! * 0.99;
    expect(checkAnswer(scn, d).join('\n')).toMatch(/reported power/);
  });

  it('flag a bound above the power it certifies, and a design claimed infeasible', () => {
    const d = copy(fixed);
    d.lowerBound = d.totalPower! * 1.01;
    expect(checkAnswer(scn, d).join('\n')).toMatch(/lower bound .* above its own power/);
    const e = copy(fixed);
    e.status = 'infeasible';
    expect(checkAnswer(scn, e).join('\n')).toMatch(/infeasible, yet a design is attached/);
  });

  it('measure the gap a certified bound leaves (the summary of uncertified fixed designs)', () => {
    expect(certifiedGap(fixed)!).toBeLessThanOrEqual(1e-6);
    const d = copy(fixed);
    d.lowerBound = d.totalPower! * (1 - 2.5e-5);
    expect(certifiedGap(d)).toBeCloseTo(2.5e-5, 12);
    expect(certifiedGap({ ...d, lowerBound: undefined })).toBeUndefined();
    expect(certifiedGap({ ...d, lowerBound: -Infinity })).toBeUndefined();
  });

  it("flag a power below exact's bound, and a design where exact proved infeasibility", () => {
    const exact = copy(fixed);
    exact.lowerBound = fixed.totalPower! * 1.5;
    const answers = new Map<Method, DesignJson>([
      ['fixed', fixed],
      ['exact', exact],
    ]);
    expect(crossCheck(answers).join('\n')).toMatch(/fixed's .* below exact's lower bound/);
    answers.set('exact', { ...copy(fixed), status: 'infeasible', beamformers: undefined, lowerBound: undefined });
    expect(crossCheck(answers).join('\n')).toMatch(/exact proves the scenario infeasible, fixed returns a feasible design/);
  });
});

/**
 * A few campaign scenarios through every method (the whole campaign is a benchmark): four
 * targets with a certified optimum; powers of 1e-6 W; a scenario only `exact` can serve (every
 * heuristic ends `infeasible` for its own decision); a paper-layout drop; two BSs (every
 * `exact` root a leaf).
 */
describe('campaign scenarios through every method: nothing wrong', () => {
  it.each([
    ['extreme', 5000],
    ['extreme', 5016],
    ['extreme', 5004],
    ['random', 1002],
    ['pair', 53399],
  ] as [Kind, number][])('%s %i', (kind, seed) => {
    const { answers, problems } = runScenario(kind, seed, METHODS, 20);
    expect(problems).toEqual([]);
    expect(answers.get('exact')!.status).toBe('optimal');
  });
});
