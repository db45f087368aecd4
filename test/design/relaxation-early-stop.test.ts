/**
 * A relaxation solved only to decide whether its bound reaches a target (branch and bound's
 * incumbent): the bound it returns when it stops early is never above the full relaxation's
 * optimum (random drops and targets against full solves), and targets below the optimum
 * stop it early, active set and all.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { designData } from '../../src/design/from-scenario.ts';
import { othersThan, solveRelaxation } from '../../src/design/relaxation.ts';
import { smallScenario } from './helpers.ts';

describe('relaxation with a target (certified early stop)', () => {
  it('never returns a bound above the full relaxation, and stops early below it', () => {
    let early = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 3, max: 4 }),
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 50, max: 150 }),
        fc.integer({ min: 1, max: 2 }),
        (seed, S, K, percent, initialCandidates) => {
          const data = designData(smallScenario(seed, { S, users: K }));
          const cands = Array.from({ length: K }, () => othersThan(S, 0));
          const full = solveRelaxation(data, 0, cands, undefined, { initialCandidates: Infinity });
          if (full.status !== 'optimal') return;
          const target = (full.bound * percent) / 100;
          const r = solveRelaxation(data, 0, cands, undefined, { target, initialCandidates });
          if (r.status === 'stopped') {
            expect(r.bound).toBeGreaterThanOrEqual(target);
            expect(r.bound).toBeLessThanOrEqual(full.bound * (1 + 1e-7));
            early++;
          } else {
            expect(r.status).toBe('optimal');
            if (r.status === 'optimal') expect(r.bound).toBeLessThanOrEqual(full.bound * (1 + 1e-6));
          }
        },
      ),
      { numRuns: 16 },
    );
    expect(early).toBeGreaterThan(2);
  });
});
