/**
 * Issue 14: designs with entries near the overflow limit must be rejected (or evaluated
 * correctly), never reported feasible because a squared norm overflowed to Infinity.
 * The cases are built here from examples/small-design.json (receiver BS 1).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseScenario } from '../../src/model/scenario.ts';
import { parseDesign } from '../../src/model/design.ts';
import { evaluateDesign } from '../../src/model/evaluate.ts';
import { normF, cmat } from '../../src/linalg/complex.ts';
import { InputError } from '../../src/errors.ts';

const read = (f: string) => JSON.parse(readFileSync(new URL(`../../examples/${f}`, import.meta.url), 'utf8'));
const scn = parseScenario(read('small.json'), 'small.json');
const base = read('small-design.json');
const N = scn.N;

/** The design with BS s's sensing covariance replaced by `entry(i, j)` ([re, im]). */
function withCovariance(s: number, entry: (i: number, j: number) => [number, number]) {
  const d = structuredClone(base);
  d.sensingCovariances[s] = Array.from({ length: N }, (_, i) => Array.from({ length: N }, (_, j) => entry(i, j)));
  return d;
}

/** Either rejected as input, or evaluated infeasible: never feasible. */
function neverFeasible(d: unknown): void {
  let feasible = false;
  try {
    feasible = evaluateDesign(scn, parseDesign(d, scn)).feasible;
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return;
  }
  expect(feasible).toBe(false);
}

describe('evaluate at the overflow limit', () => {
  it('normF does not overflow', () => {
    const m = cmat(2, 2, Float64Array.of(1e200, 0, 0, 0, 0, 0, -1e200, 0));
    expect(normF(m)).toBeCloseTo(Math.SQRT2 * 1e200, -190);
    expect(normF(cmat(1, 1, Float64Array.of(3e-200, 4e-200)))).toBeCloseTo(5e-200, 210);
  });

  it('the base design is feasible (the cases below differ from it in one matrix)', () => {
    expect(evaluateDesign(scn, parseDesign(base, scn)).feasible).toBe(true);
  });

  it('eigenvalues +-1e155 with trace 0 are not a 0 W covariance', () => {
    neverFeasible(withCovariance(0, (i, j) => (i === j ? [i === 0 ? 1e155 : i === 1 ? -1e155 : 0, 0] : [0, 0])));
  });

  it('a 1e200 entry in the receiver covariance is not silently zeroed', () => {
    expect(() =>
      parseDesign(
        withCovariance(base.receiver, (i, j) => (i === 0 && j === 0 ? [1e200, 0] : [0, 0])),
        scn,
      ),
    ).toThrow(InputError);
  });

  it('negative definite at 1e200 is rejected', () => {
    neverFeasible(withCovariance(0, (i, j) => (i === j ? [-1e200, 0] : [0, 0])));
  });

  it('non-Hermitian at 1e200 is rejected', () => {
    neverFeasible(withCovariance(0, (i, j) => (i === 0 && j === 1 ? [1e200, 0] : i === j ? [1, 0] : [0, 0])));
  });

  it('a positive definite covariance at 1e200 is evaluated correctly: finite power, infeasible', () => {
    const ev = evaluateDesign(
      scn,
      parseDesign(
        withCovariance(0, (i, j) => (i === j ? [1e200, 0] : [0, 0])),
        scn,
      ),
    );
    expect(ev.powerPerBs[0]).toBeCloseTo(N * 1e200, -190);
    expect(ev.feasible).toBe(false);
  });
});
