/**
 * Algorithm 1's subproblem (23): replacing the paper's big-M constraints C10a-C10d
 * (W variables, aPI - W~ >= 0, W~ - W + (1-a)PI >= 0, W - W~ >= 0, W >= 0) by the single
 * row tr(W~) <= a P leaves the optimal value unchanged: W is redundant (W = W~ satisfies
 * C10b-C10d), and by Theorem 1 an optimum with rank-one W~ exists, for which
 * lambda_max(W~) = tr(W~), so C10a and tr(W~) <= a P coincide there.
 */
import { describe, expect, it } from 'vitest';
import { designData } from '../../src/design/from-scenario.ts';
import { buildFormulation, readW, type NodeSpec } from '../../src/design/formulation.ts';
import { runSdp } from '../../src/design/sdp.ts';
import { smallScenario } from './helpers.ts';

describe('subproblem (23): big-M simplification', () => {
  // Budgets low enough that the coupling binds: a user whose a^(t) < 1/2 has its a pushed
  // down by the penalty until a P = tr(W~) (checked below, so the test exercises C10a).
  // (With the default -50 dB user path loss the users need 20 dB more power than at -30 dB,
  // hence budgets of 50-56 dBm.)
  const cases = [
    {
      seed: 31,
      dbm: 56,
      b: [0, 1, 1],
      aPrev: [
        [0, 0.5, 0.5],
        [0, 0.3, 0.7],
      ],
    },
    {
      seed: 31,
      dbm: 53,
      b: [0, 1, 1],
      aPrev: [
        [0, 0.5, 0.5],
        [0, 0.3, 0.7],
      ],
    },
    {
      seed: 31,
      dbm: 50,
      b: [0, 1, 1],
      aPrev: [
        [0, 0.4, 0.6],
        [0, 0.2, 0.8],
      ],
    },
  ];
  for (const c of cases) {
    it(`keeps the optimal value (seed ${c.seed}, P = ${c.dbm} dBm)`, () => {
      const scn = smallScenario(c.seed, { S: 3, users: 2, antennas: 3, maxPowerDbm: c.dbm });
      const data = designData(scn);
      const r = c.b.indexOf(0);
      const tx = [0, 1, 2].filter((s) => s !== r);
      const spec = (literalC10: boolean): NodeSpec => ({
        receivers: [{ r, weight: 1, transmitters: tx }],
        sensingTx: tx,
        candidates: [tx, tx],
        // A small penalty keeps the power part visible in the compared value.
        bigM: { aPrev: c.aPrev, mu: 0.05, b: c.b, literalC10 },
      });
      const simple = buildFormulation(data, spec(false));
      const literal = buildFormulation(data, spec(true));
      const s1 = runSdp(simple.problem);
      const s2 = runSdp(literal.problem);
      expect(s1.status).toBe('optimal');
      expect(s2.status).toBe('optimal');
      const v1 = s1.primalObjective * simple.objectiveUnit;
      const v2 = s2.primalObjective * literal.objectiveUnit;
      // Both solved to 1e-8 relative gap; 1e-6 allows for the scaled objectives.
      expect(Math.abs(v1 - v2) / Math.max(Math.abs(v1), 1e-12)).toBeLessThan(1e-6);
      // At least one coupling is active with a > 0: a P = tr(W~).
      let binding = 0;
      for (const [key, col] of simple.a) {
        const [s, k] = key.split(',').map(Number);
        const W = readW(simple, s1.x, s!, k!);
        let tr = 0;
        for (let i = 0; i < scn.N; i++) tr += W[2 * (i * scn.N + i)]!;
        if (s1.x[col]! > 1e-3 && Math.abs(s1.x[col]! - tr / data.P) < 1e-6) binding++;
      }
      expect(binding).toBeGreaterThan(0);
      // The literal problem is the larger one (N^2 more rows per pair and three blocks).
      expect(literal.problem.A.rows).toBeGreaterThan(simple.problem.A.rows);
    });
  }
});
