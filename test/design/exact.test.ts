/**
 * `exact` against brute-force enumeration, and never above the heuristics.
 */
import { describe, expect, it } from 'vitest';
import { designData } from '../../src/design/from-scenario.ts';
import { solveFixed } from '../../src/design/fixed.ts';
import { solveScenario, solveScenarioSync } from '../../src/design/solve.ts';
import { METHODS } from '../../src/design/api.ts';
import { associations, smallScenario } from './helpers.ts';
import { powerFloor, runExactTask, solveExact, solveExactWith } from '../../src/design/exact.ts';
import { generateScenario } from '../../src/model/generate.ts';
import { parseScenario } from '../../src/model/scenario.ts';
import { drawOptions } from '../../bench/campaign.ts';

/** Optima are compared to 1e-6 relative: the solver's 1e-8 gap plus the 1e-7 safety margin. */
const TOL = 1e-6;

function bruteForce(seed: number, S: number, K: number) {
  const scn = smallScenario(seed, { S, users: K });
  const data = designData(scn);
  let best = Infinity;
  let arg: { r: number; a: number[] } | undefined;
  for (let r = 0; r < S; r++) {
    for (const a of associations(S, K, r)) {
      const sol = solveFixed(data, r, a);
      expect(sol.status).not.toBe('failed');
      if (sol.status === 'optimal' && sol.objective! < best) {
        best = sol.objective!;
        arg = { r, a };
      }
    }
  }
  return { scn, best, arg };
}

describe('exact', () => {
  const cases: [number, number, number][] = [
    [21, 3, 2],
    [22, 3, 3],
    [23, 4, 2],
    [24, 3, 2],
  ];
  for (const [seed, S, K] of cases) {
    it(`equals brute-force enumeration (seed ${seed}, S = ${S}, K = ${K})`, () => {
      const { scn, best, arg } = bruteForce(seed, S, K);
      const out = solveScenarioSync(scn, { method: 'exact' });
      if (!arg) {
        expect(out.status).toBe('infeasible');
        return;
      }
      expect(out.status).toBe('optimal');
      expect(Math.abs(out.totalPower! - best) / best).toBeLessThan(TOL);
      expect(out.lowerBound!).toBeLessThanOrEqual(out.totalPower! * (1 + 1e-9));
      expect((out.totalPower! - out.lowerBound!) / out.totalPower!).toBeLessThanOrEqual(1e-6);
      // Every other method lands at or above the certified optimum.
      for (const method of METHODS) {
        if (method === 'exact' || method === 'fixed') continue;
        const other = solveScenarioSync(scn, { method, seed: 1 });
        expect(other.status).not.toBe('failed');
        if (other.status === 'optimal' || other.status === 'feasible') {
          expect(other.totalPower!).toBeGreaterThanOrEqual(out.lowerBound! * (1 - TOL));
        }
      }
    });
  }

  it('stopped by a time limit, reports the bound reached and never claims infeasibility', () => {
    const scn = smallScenario(26, { S: 4, users: 3 });
    for (const timeLimit of [1e-4, 0.05]) {
      const out = solveScenarioSync(scn, { method: 'exact', timeLimit });
      expect(out.status).not.toBe('infeasible');
      if (out.status === 'feasible') {
        expect(out.stoppedBy).toBe('time_limit');
        expect(out.lowerBound!).toBeLessThanOrEqual(out.totalPower!);
      } else if (out.status === 'failed') {
        expect(out.stoppedBy).toBe('time_limit');
        expect(out.beamformers).toBeUndefined();
      } else {
        expect(out.status).toBe('optimal');
      }
    }
  });

  it('reports infeasible only when every branch is infeasible', () => {
    const scn = smallScenario(25, { S: 3, users: 2, crlbMax: 1e-9 });
    const out = solveScenarioSync(scn, { method: 'exact' });
    expect(out.status).toBe('infeasible');
    expect(out.beamformers).toBeUndefined();
  });
});

describe('exact on worker threads', () => {
  it('finds the same certified optimum as the one-thread search', async () => {
    const scn = smallScenario(22, { S: 3, users: 3 });
    const one = solveScenarioSync(scn, { method: 'exact' });
    const messages: string[] = [];
    const two = await solveScenario(scn, { method: 'exact', threads: 2, onProgress: (_f, m) => messages.push(m) });
    expect(one.status).toBe('optimal');
    expect(two.status).toBe('optimal');
    expect(Math.abs(two.totalPower! - one.totalPower!) / one.totalPower!).toBeLessThan(TOL);
    expect(two.lowerBound!).toBeLessThanOrEqual(two.totalPower!);
    expect(two.detail?.check).toMatchObject({ feasible: true });
    // The workers' solver calls are counted, and every root relaxation was reported.
    expect(Number(two.detail?.sdpCalls)).toBeGreaterThanOrEqual(3);
    expect(messages.filter((m) => m.includes('relaxation (receiver')).length).toBeGreaterThanOrEqual(3);
  });
  it("caps a thread count beyond the cores (a caller's 1e11 used to hang, starting threads)", async () => {
    const scn = smallScenario(22, { S: 3, users: 3 });
    const one = solveScenarioSync(scn, { method: 'exact' });
    const many = await solveScenario(scn, { method: 'exact', threads: 1e11 });
    expect(many.status).toBe('optimal');
    expect(Math.abs(many.totalPower! - one.totalPower!) / one.totalPower!).toBeLessThan(TOL);
  });
});

describe('a root that fails (not for lack of time)', () => {
  /** Two BSs: every root is a leaf, a `fixed` solve of the one association it allows. */
  function twoBs(seed: number) {
    const json = generateScenario({ seed, users: 3, antennas: 6 }) as unknown as Record<string, unknown>;
    json.baseStations = (json.baseStations as unknown[]).slice(0, 2);
    delete json.channels;
    delete json.radarGains;
    return designData(parseScenario(json));
  }

  it('leaves its receiver bounded by the power floor: the lower bound never exceeds the optimum', async () => {
    let checked = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const data = twoBs(seed);
      const full = solveExact(data);
      if (full.status !== 'optimal') continue;
      // the optimum's receiver fails at its root (as a memory refusal or a numerical breakdown
      // would make it): that association is never solved
      const failing = full.receiver!;
      const out = await solveExactWith(data, {}, async (tasks) =>
        tasks.map((t) => (t.r === failing ? { status: 'failed' as const, message: 'refused' } : runExactTask(data, t))),
      );
      expect(out.failedNodes).toBeGreaterThan(0);
      expect(out.status).not.toBe('optimal');
      expect(out.lowerBound).toBeLessThanOrEqual(full.upperBound * (1 + 1e-9));
      expect(out.lowerBound).toBeLessThanOrEqual(powerFloor(data, failing) * (1 + 1e-12));
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(3);
  });
});

describe('a receiver whose power floor exceeds the budget', () => {
  // Extreme scenario 57121: every receiver's users need more power than the other BSs may send,
  // and receiver 3's relaxation fails (its Farkas ray does not hold on the data).
  it('is infeasible without a solve, and exact proves scenario 57121 infeasible', () => {
    const scn = parseScenario(generateScenario(drawOptions('extreme', 57121)), 'scenario 57121');
    const data = designData(scn);
    for (let r = 0; r < data.S; r++) {
      // independent of powerFloor: user k needs ||w_k||^2 >= Gamma sigma^2 / max_{s != r} ||h_{s,k}||^2
      let need = 0;
      for (let k = 0; k < data.K; k++) {
        let best = 0;
        for (let s = 0; s < data.S; s++) {
          if (s === r) continue;
          const h = data.channel(s, k);
          best = Math.max(
            best,
            h.reduce((acc, v) => acc + v * v, 0),
          );
        }
        need += (data.gamma[k]! * data.sigma2[k]!) / best;
      }
      expect(need).toBeGreaterThan((data.S - 1) * data.P);
    }
    const res = solveExact(data);
    expect(res.status).toBe('infeasible');
    expect(res.nodes).toBe(0);
  });
});
