/**
 * `fixed` never returns a value above a feasible witness (issue 14): the witness (zero-forcing
 * or duality beams, sensing in the targets' subspace; design/witness.ts) is built without the
 * SDP and checked by the model, so its power bounds the optimum from above independently of
 * the conic solver. Checked here: the witness is feasible, every certified lower bound is
 * below it, and the guard in the design layer downgrades answers that contradict it.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { generateScenario } from '../../src/model/generate.ts';
import { parseScenario } from '../../src/model/scenario.ts';
import { parseDesign } from '../../src/model/design.ts';
import { evaluateDesign } from '../../src/model/evaluate.ts';
import { feasibleWitness } from '../../src/design/witness.ts';
import { againstWitness, solveScenarioSync } from '../../src/design/solve.ts';
import { OPTIMALITY_GAP } from '../../src/design/fixed.ts';
import type { DesignJson } from '../../src/design/api.ts';

const small = parseScenario(JSON.parse(readFileSync(new URL('../../examples/small.json', import.meta.url), 'utf8')));

describe('the feasible witness of fixed', () => {
  it('on random scenarios: feasible by the model, never below a certified bound, never below the optimum', () => {
    let built = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 2, max: 3 }), fc.integer({ min: 4, max: 6 }), (seed, K, N) => {
        runs++;
        const scn = parseScenario(generateScenario({ seed, users: K, antennas: N }));
        const association = Array.from({ length: K }, (_, k) => 1 + (k % 3));
        const w = feasibleWitness(scn, 0, association);
        if (!w) return;
        built++;
        const ev = evaluateDesign(scn, w.design);
        expect(ev.feasible).toBe(true);
        expect(Math.abs(ev.totalPower - w.totalPower)).toBeLessThanOrEqual(1e-12 * w.totalPower);
        const out = solveScenarioSync(scn, { method: 'fixed', receiver: 0, association });
        expect(out.status).not.toBe('infeasible');
        if (out.lowerBound !== undefined) expect(out.lowerBound).toBeLessThanOrEqual(w.totalPower * (1 + 1e-9));
        if (out.status === 'optimal') expect(out.totalPower!).toBeLessThanOrEqual(w.totalPower * (1 + OPTIMALITY_GAP));
      }),
      { seed: 1420, numRuns: 12 },
    );
    // the construction is useful: it exists for most of these scenarios
    expect(built).toBeGreaterThan(runs / 2);
  });

  it('examples/small.json, receiver 2, association 3,3: a witness within a few % of the optimum', () => {
    const w = feasibleWitness(small, 2, [3, 3])!;
    const out = solveScenarioSync(small, { method: 'fixed', receiver: 2, association: [3, 3], alwaysWitness: true });
    expect(out.status).toBe('optimal');
    expect(out.detail?.witnessPower).toBe(w.totalPower);
    // By default a certified optimum is reported without building the witness (same design).
    const plain = solveScenarioSync(small, { method: 'fixed', receiver: 2, association: [3, 3] });
    expect(plain.status).toBe('optimal');
    expect(plain.detail?.witnessPower).toBeUndefined();
    expect(plain.totalPower).toBe(out.totalPower);
    expect(w.totalPower).toBeGreaterThanOrEqual(out.lowerBound!);
    expect(w.totalPower).toBeLessThan(1.1 * out.totalPower!);
  });
});

describe('the design layer never reports an answer that a witness contradicts', () => {
  const receiver = 2;
  const association = [3, 3];
  const w = feasibleWitness(small, receiver, association)!;
  const base: DesignJson = { status: 'optimal', method: 'fixed', receiver, association, seconds: 0, detail: {} };
  const isWitness = (out: DesignJson) => {
    expect(out.status).toBe('feasible');
    expect(out.totalPower).toBe(w.totalPower);
    expect(out.lowerBound).toBeUndefined();
    expect(evaluateDesign(small, parseDesign(out, small)).feasible).toBe(true);
  };

  it('an optimum above the witness is not optimal: the witness is reported instead', () => {
    const out = againstWitness(small, { ...base, totalPower: 2 * w.totalPower, lowerBound: w.totalPower / 2 }, receiver, association);
    isWitness(out);
    expect(out.message).toMatch(/is above a feasible design built without the SDP/);
  });

  it('a lower bound above the witness is false and is dropped', () => {
    const out = againstWitness(small, { ...base, totalPower: 0.99 * w.totalPower, lowerBound: 1.5 * w.totalPower }, receiver, association);
    expect(out.status).toBe('feasible');
    expect(out.lowerBound).toBeUndefined();
    expect(out.message).toMatch(/not a bound/);
  });

  it('infeasible and failed answers give way to the witness', () => {
    isWitness(againstWitness(small, { ...base, status: 'infeasible' }, receiver, association));
    const failed = againstWitness(small, { ...base, status: 'failed', message: 'conic solver stopped' }, receiver, association);
    isWitness(failed);
    expect(failed.message).toMatch(/^conic solver stopped; reported instead/);
  });

  it('a consistent answer passes unchanged (with the witness power in detail)', () => {
    const ok = { ...base, totalPower: 0.9 * w.totalPower, lowerBound: 0.9 * w.totalPower * (1 - 1e-7) };
    const out = againstWitness(small, ok, receiver, association);
    expect(out.status).toBe('optimal');
    expect(out.lowerBound).toBe(ok.lowerBound);
    expect(out.detail?.witnessPower).toBe(w.totalPower);
  });
});
