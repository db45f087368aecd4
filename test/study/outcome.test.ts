import { describe, expect, it } from 'vitest';
import type { DesignJson } from '../../src/design/api.ts';
import { historyObjectives, iterationCount, outcomeFromDesign } from '../../src/study/outcome.ts';
import { sanitizeOutcome } from '../../src/study/trial.ts';

const design: DesignJson = {
  status: 'feasible',
  method: 'proposed',
  receiver: 1,
  association: [0, 0, 2, 3, 3],
  beamformers: [],
  totalPower: 0.2,
  seconds: 1.5,
  detail: {
    history: [
      { iteration: 1, objective: 10, power: 1 },
      { iteration: 2, objective: 4, power: 0.5 },
      { iteration: 3, objective: 0.2, power: 0.2 },
    ],
    aoIterations: 3,
    iterations: 25,
    solverStatus: 'optimal',
    check: { feasible: true },
  },
};

describe('trial outcome from a design', () => {
  it('takes power, CRLB and margins from the independent evaluation', () => {
    const o = outcomeFromDesign(design, { feasible: true, totalPower: 0.2000001, crlb: 0.99, sinrMarginDb: [0.5, 1e-7, 3] }, true);
    expect(o).toMatchObject({
      status: 'feasible',
      feasible: true,
      totalPower: 0.2000001,
      crlb: 0.99,
      minSinrMarginDb: 1e-7,
      receiver: 1,
      association: [0, 0, 2, 3, 3],
      seconds: 1.5,
      iterations: 3, // AO iterations, not the SDP's interior-point iterations
      history: [10, 4, 0.2],
    });
    expect(o.detail).toEqual({ aoIterations: 3, iterations: 25, solverStatus: 'optimal' }); // no nested objects, no history
    expect(outcomeFromDesign(design, { feasible: true, totalPower: 0.2 }, false).history).toBeUndefined();
  });

  it('has no design when the evaluation is missing or fails', () => {
    const none = outcomeFromDesign({ status: 'infeasible', method: 'scheme3', seconds: 0.1, message: 'no' }, undefined, true);
    expect(none).toMatchObject({ feasible: false, totalPower: null, receiver: null, association: null, minSinrMarginDb: null, message: 'no' });
    // A decision without feasible beamforming keeps its receiver and association (the message names them).
    const rounded = outcomeFromDesign(
      {
        status: 'infeasible',
        method: 'proposed',
        receiver: 2,
        association: [0, 1],
        seconds: 0.3,
        message: 'receiving BS3, association BS1, BS2: no feasible beamforming',
      },
      undefined,
      false,
    );
    expect(rounded).toMatchObject({ status: 'infeasible', feasible: false, totalPower: null, receiver: 2, association: [0, 1] });
    const bad = outcomeFromDesign(design, { feasible: false, totalPower: 0.2, sinrMarginDb: [null, 1] }, false);
    expect(bad.feasible).toBe(false);
    expect(bad.minSinrMarginDb).toBeNull(); // a user with zero SINR has no margin
  });

  it("reports the exact method's bound and gap", () => {
    const o = outcomeFromDesign(
      { ...design, method: 'exact', status: 'optimal', lowerBound: 0.19, detail: { nodes: 12 } },
      { feasible: true, totalPower: 0.2 },
      false,
    );
    expect(o.lowerBound).toBe(0.19);
    expect(o.gap).toBeCloseTo(0.05, 12);
    expect(o.iterations).toBe(12);
  });

  it('normalises histories and iteration counts', () => {
    expect(historyObjectives([1, 2, NaN, 3])).toEqual([1, 2, 3]);
    expect(historyObjectives([{ f: 2 }, { value: 1 }])).toEqual([2, 1]);
    expect(historyObjectives('x')).toBeUndefined();
    expect(iterationCount(undefined)).toBeNull();
    expect(iterationCount({ history: [1, 2] })).toBe(2);
  });

  it('sanitises runner output: no NaN or Infinity reaches a results line', () => {
    const o = sanitizeOutcome(
      {
        status: 'feasible',
        feasible: true,
        totalPower: NaN,
        crlb: Infinity,
        minSinrMarginDb: -Infinity,
        receiver: 1.5,
        association: [0, 1],
        seconds: NaN,
        iterations: null,
        lowerBound: null,
        gap: null,
        history: [1, NaN, 2],
        detail: { a: NaN, b: 'x', c: 1 },
      },
      true,
    );
    expect(o).toMatchObject({ totalPower: null, crlb: null, minSinrMarginDb: null, receiver: null, seconds: 0, history: [1, 2], detail: { b: 'x', c: 1 } });
    expect(JSON.stringify(o)).not.toMatch(/NaN|Infinity/);
  });
});
