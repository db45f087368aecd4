import { describe, expect, it } from 'vitest';
import { zeros, scale, vecFromPairs } from '../../src/linalg/complex.ts';
import { parseScenario } from '../../src/model/scenario.ts';
import { generateScenario } from '../../src/model/generate.ts';
import { isotropicDesign, parseDesign, designToJson } from '../../src/model/design.ts';
import { evaluateDesign, FEASIBILITY_TOL } from '../../src/model/evaluate.ts';
import { crlb, crlbFromEquivalentFim } from '../../src/model/fim.ts';
import { transmitCovariances } from '../../src/model/covariance.ts';
import type { Design, Scenario } from '../../src/model/types.ts';

const fig2 = parseScenario(generateScenario({ preset: 'fig2' }));

describe('evaluateDesign', () => {
  it('isotropic full-power design: power P per transmitting BS, CRLB as computed directly, SINR 0', () => {
    for (let r = 0; r < 4; r++) {
      const d = isotropicDesign(fig2, r);
      const e = evaluateDesign(fig2, d);
      e.powerPerBs.forEach((p, s) => expect(p).toBeCloseTo(s === r ? 0 : fig2.maxPower, 10));
      expect(e.totalPower).toBeCloseTo(3 * fig2.maxPower, 10);
      expect(e.crlb).toBe(crlb(fig2, r, transmitCovariances(fig2, d)));
      expect(e.crlb!).toBeLessThan(fig2.crlbMax);
      expect(e.feasible).toBe(false);
      expect(e.violations).toHaveLength(5);
      expect(e.violations[0]).toMatch(/users\[0\]: SINR -inf dB below the required 8 dB/);
      expect(e.sinrDb.every((x) => x === null)).toBe(true);
      expect(e.fim).toHaveLength(8);
      expect(e.fimParameters[2]).toBe(`Re alpha[${r}][${r === 0 ? 1 : 0}]`);
      // JSON-safe: no NaN or Infinity can reach the output.
      const text = JSON.stringify(e);
      expect(text).not.toMatch(/NaN|Infinity/);
      expect(JSON.parse(text).sinrDb).toEqual([null, null, null, null, null]);
    }
  });

  it('an all-zero design has crlb null with a note, never NaN', () => {
    const d: Design = { ...isotropicDesign(fig2, 1), sensingCovariances: fig2.baseStations.map(() => zeros(8, 8)) };
    const e = evaluateDesign(fig2, d);
    expect(e.crlb).toBeNull();
    expect(e.notes.join(' ')).toMatch(/crlb is null/);
    expect(e.violations.join(' ')).toMatch(/CRLB infinite/);
    expect(e.totalPower).toBe(0);
    expect(JSON.stringify(e)).not.toMatch(/NaN|Infinity/);
  });

  it('an equivalent FIM with a condition number above 1e12 counts as singular, and the message says so', () => {
    // J = diag(1, l): det / tr^2 ~ l, the model's threshold 1e-12 (evaluate.ts SINGULAR_WHY)
    expect(
      crlbFromEquivalentFim([
        [1, 0],
        [0, 2e-12],
      ]),
    ).toBeCloseTo(1 + 5e11, -3);
    expect(
      crlbFromEquivalentFim([
        [1, 0],
        [0, 5e-13],
      ]),
    ).toBe(Infinity);
    const d: Design = { ...isotropicDesign(fig2, 1), sensingCovariances: fig2.baseStations.map(() => zeros(8, 8)) };
    expect(evaluateDesign(fig2, d).violations.join(' ')).toMatch(/CRLB infinite \(no usable position information .* condition number is above 1e12/);
  });

  it('feasibility uses a relative tolerance of 1e-6 (CRLB, power, SINR)', () => {
    // Scale isotropic sensing so the CRLB sits just inside / outside epsilon (CRLB ~ 1/power).
    const base = isotropicDesign(fig2, 0);
    const c0 = evaluateDesign(fig2, base).crlb!;
    const withCrlb = (target: number): Design => ({
      ...base,
      sensingCovariances: base.sensingCovariances.map((r) => scale(r, c0 / target)),
    });
    const noUsers: Scenario = { ...fig2, users: [], K: 0, channels: fig2.channels.map(() => []) };
    const d0 = { ...withCrlb(fig2.crlbMax * (1 + 0.1 * FEASIBILITY_TOL)), association: [], beamformers: [] };
    expect(evaluateDesign(noUsers, d0).feasible).toBe(true);
    const d1 = { ...withCrlb(fig2.crlbMax * (1 + 10 * FEASIBILITY_TOL)), association: [], beamformers: [] };
    expect(evaluateDesign(noUsers, d1).violations).toEqual([expect.stringMatching(/^CRLB/)]);
    // Power just above the budget.
    const over = { ...base, association: [], beamformers: [], sensingCovariances: base.sensingCovariances.map((r) => scale(r, 1 + 10 * FEASIBILITY_TOL)) };
    expect(evaluateDesign(noUsers, over).violations.join()).toMatch(/baseStations\[1\]: power .* above the budget/);
    const within = { ...over, sensingCovariances: base.sensingCovariances.map((r) => scale(r, 1 + 0.1 * FEASIBILITY_TOL)) };
    expect(evaluateDesign(noUsers, within).feasible).toBe(true);
  });

  it('a served user gets the SINR of (5); designToJson -> parseDesign round-trips', () => {
    const d = isotropicDesign(fig2, 1);
    d.sensingCovariances = d.sensingCovariances.map((r) => scale(r, 1e-3));
    const h = fig2.channels[d.association[0]!]![0]!;
    // Matched filter w = sqrt(p) h/|h| for user 0.
    const nh = Math.hypot(...h!);
    d.beamformers[0] = vecFromPairs(Array.from({ length: 8 }, (_, n) => [(h[2 * n]! / nh) * 0.5, (h[2 * n + 1]! / nh) * 0.5] as [number, number]));
    const e = evaluateDesign(fig2, d);
    expect(e.sinr[0]).toBeGreaterThan(0);
    expect(e.sinrMarginDb[0]).toBeCloseTo(e.sinrDb[0]! - 8, 12);
    const back = parseDesign(JSON.parse(JSON.stringify(designToJson(fig2, d))), fig2);
    const e2 = evaluateDesign(fig2, back);
    expect(e2.sinr).toEqual(e.sinr);
    expect(e2.crlb).toBe(e.crlb);
  });
});
