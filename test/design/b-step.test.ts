/**
 * Algorithm 1's b-step (22) compiled in its two conic forms (b-step.ts): the primal standard
 * form and the dual (inequality) form are different conic problems of one statement, so
 * equal optima on every instance check both compilations against each other; the dual
 * form's b is then re-checked against every constraint of the statement directly.
 */
import { describe, expect, it } from 'vitest';
import { bStepForm, bStepOf, solveBStep, type BStep, type BStepInput } from '../../src/design/b-step.ts';
import { designData } from '../../src/design/from-scenario.ts';
import { targetInformation } from '../../src/design/formulation.ts';
import { EigWorkspace, minEig } from '../../src/linalg/real-eig.ts';
import { nearestBs } from '../../src/model/design.ts';
import { smallScenario, solveRelaxedFixed } from './helpers.ts';

/** The b-step after a `fixed` block at receiver 0 (b binary, a one-hot): Algorithm 1's state once it has rounded. */
function stepAfterFixed(seed: number, S: number, targets: number, mu: number, holdJ: boolean): BStep {
  const scn = smallScenario(seed, { S, targets, users: 2, antennas: 4 });
  const association = scn.users.map((u) => nearestBs(scn, u.position, 0));
  const { f, sdp, Wk, Rs } = solveRelaxedFixed(scn, 0, association);
  const input: BStepInput = {
    Wt: new Map(association.map((s, k) => [`${s},${k}`, Wk[k]!])),
    Rbar: Rs,
    a: association.map((s) => Array.from({ length: S }, (_, q) => (q === s ? 1 : 0))),
    J: targetInformation(f, sdp.x),
  };
  const bPrev = Array.from({ length: S }, (_, s) => (s === 0 ? 0 : 1));
  return bStepOf(designData(scn), bPrev, input, mu * designData(scn).P, holdJ, 1e-9);
}

/** The largest violation of (22)'s constraints by b (and, with J held, of C2c), in the statement's units. */
function violation(st: BStep, b: number[]): number {
  const { S, D } = st;
  let worst = Math.abs(b.reduce((acc, v) => acc + (1 - v), 0) - 1);
  for (let s = 0; s < S; s++) {
    worst = Math.max(worst, -b[s]!, b[s]! - 1, st.c1Coef[s]! * b[s]! - st.c1Rhs[s]!, st.c6Floor[s]! - b[s]!);
  }
  st.c3Margin.forEach((m, k) => (worst = Math.max(worst, st.c3Coef[k]!.reduce((acc, c, s) => acc + c * b[s]!, 0) - m)));
  if (st.holdJ) {
    for (const { Ms } of st.lmis) {
      const Z = new Float64Array(D * D);
      let scale = 0;
      for (let s = 0; s < S; s++) for (let e = 0; e < D * D; e++) Z[e]! += (1 - b[s]!) * Ms[s]![e]!;
      for (let e = 0; e < D * D; e++) scale = Math.max(scale, Math.abs(Z[e]!));
      worst = Math.max(worst, -minEig(Z, new EigWorkspace(D)) / Math.max(scale, 1));
    }
  }
  return worst;
}

describe('the b-step (22) in the primal and the dual form', () => {
  it.each([
    [1, 3, 1, 1e-3, false],
    [2, 3, 2, 1e-3, true],
    [3, 4, 1, 1e-2, false],
    [4, 4, 2, 1e-4, false],
    [5, 4, 1, 1e-3, true],
    [6, 5, 3, 1e-3, false],
  ] as const)('seed %i, S = %i, T = %i, mu %f P, J held %s: the same optimum', (seed, S, T, mu, holdJ) => {
    const st = stepAfterFixed(seed, S, T, mu, holdJ);
    const primal = solveBStep(st, 'primal');
    const dual = solveBStep(st, 'dual');
    expect(primal).not.toBeNull();
    expect(dual).not.toBeNull();
    // both solved to the solver's 1e-8 relative gap; the value is of order mu (S - 1)
    expect(Math.abs(primal!.value - dual!.value)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(primal!.value)));
    expect(violation(st, dual!.b)).toBeLessThanOrEqual(1e-6);
    expect(violation(st, primal!.b)).toBeLessThanOrEqual(1e-6);
  });

  it.each(['primal', 'dual'] as const)('%s form: a hand-made (22) where C1, C3 and C6 all bind has its known optimum', (form) => {
    // min -b0 - 2 b1 + b2/2 + b3/4 with sum b = 3 (C5): with b3 eliminated, -1.25 b0 - 2.25 b1 +
    // 0.25 b2 + 0.75, so b0 and b1 rise to C1 (0.7) and C3 (0.9), b2 falls to C6 (0.6), and b3 =
    // 0.8; value -2. Without any one of the three the optimum moves.
    const I8 = Float64Array.from({ length: 64 }, (_, e) => (e % 9 === 0 ? 1 : 0));
    const st: BStep = {
      S: 4,
      cost: [-1, -2, 0.5, 0.25],
      c1Coef: [2, 0, 0, 0],
      c1Rhs: [1.4, 1, 1, 1],
      c3Coef: [[0, 0.5, 0, 0]],
      c3Margin: [0.45],
      c6Floor: [0, 0, 0.6, 0],
      lmis: [{ Ms: [I8, I8, I8, I8], trBound: 1e6 }],
      D: 8,
      holdJ: true,
    };
    const out = solveBStep(st, form)!;
    expect(out.value).toBeCloseTo(-2, 7);
    [0.7, 0.9, 0.6, 0.8].forEach((v, s) => expect(out.b[s]).toBeCloseTo(v, 6));
  });

  it('is compiled in the dual form when the primal form would have more than DUAL_FORM_ROWS rows', () => {
    const st = stepAfterFixed(1, 3, 1, 1e-3, false);
    expect(bStepForm(st)).toBe('primal');
    // 19 BSs: D = 38, 741 entry rows per target
    expect(bStepForm({ ...st, D: 38 })).toBe('dual');
    // 7 BSs with four targets: 4 x 105 = 420 rows, still primal (the 7-BS results of earlier rounds)
    expect(bStepForm({ ...st, D: 14, lmis: Array(4).fill(st.lmis[0]) })).toBe('primal');
  });
});
