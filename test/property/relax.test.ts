/**
 * Property tests of the design layer's answers (issue 14), on random scenarios generated here:
 *
 * - relaxing one requirement of a solved `fixed` scenario (a larger budget, a lower SINR target,
 *   a larger crlbMax, a quieter user or radar receiver, a stronger channel from a user's serving
 *   BS) never makes it infeasible and never raises the optimum beyond the certified tolerance;
 * - scaling all powers consistently scales the optimum exactly (the law is derived below).
 *
 * "Never raises the optimum" is checked rigorously through the certificates: the relaxed
 * problem's certified lower bound can never exceed the base design's power (that design stays
 * feasible, which the model confirms independently), and a relaxed `optimal` value can exceed
 * it by at most the optimality tolerance.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateScenario } from '../../src/model/generate.ts';
import { parseScenario } from '../../src/model/scenario.ts';
import { parseDesign } from '../../src/model/design.ts';
import { evaluateDesign } from '../../src/model/evaluate.ts';
import { solveScenarioSync } from '../../src/design/solve.ts';
import { OPTIMALITY_GAP } from '../../src/design/fixed.ts';
import type { DesignJson } from '../../src/design/api.ts';

type Json = Record<string, any>;

/** A fixed seed and a small budget, so that CI stays fast (each case is one or two small SDPs). */
const BUDGET = { seed: 1414, numRuns: 24 };

/** Base scenarios: 4 BSs, 2 users, 4 antennas; receiver 0, users served by BSs 1 and 2. */
const BASES = [11, 12, 13].map((seed) => generateScenario({ seed, users: 2, antennas: 4, minSinrDb: 6, crlbMax: 2 }) as Json);
const FIXED = { method: 'fixed' as const, receiver: 0, association: [1, 2] };

function solve(json: Json): DesignJson {
  return solveScenarioSync(parseScenario(structuredClone(json), 'scenario'), FIXED);
}

const baseSolutions = BASES.map(solve);

type Relax = (j: Json, k: number, d: number) => void;
/** One relaxation each, d >= 0 its size in dB (or decades for crlbMax). */
const RELAX: Record<string, Relax> = {
  budget: (j, _k, d) => {
    j.maxPowerDbm += d;
  },
  sinr: (j, k, d) => {
    j.users[k].minSinrDb -= d;
  },
  crlb: (j, _k, d) => {
    j.crlbMax *= 10 ** (d / 10);
  },
  userNoise: (j, k, d) => {
    j.users[k].noisePowerDbm -= d;
  },
  radarNoise: (j, _k, d) => {
    j.radarNoisePowerDbm -= d;
  },
  // user k's channel from its serving BS: the signal and the same BS's interference grow
  // alike, other interference and noise do not, so every SINR can only rise
  servingChannel: (j, k, d) => {
    const s = FIXED.association[k]!;
    const f = 10 ** (d / 20);
    j.channels[s][k] = j.channels[s][k].map(([re, im]: number[]) => [re! * f, im! * f]);
  },
};

describe('relaxing one requirement of a solved fixed scenario (property)', () => {
  it('the base scenarios are solved to certified optima', () => {
    for (const b of baseSolutions) {
      expect(b.status).toBe('optimal');
      expect((b.totalPower! - b.lowerBound!) / b.totalPower!).toBeLessThanOrEqual(OPTIMALITY_GAP);
    }
  });

  it('never infeasible, never a bound above the base design, never an optimum above it beyond the tolerance', () => {
    const statuses: string[] = [];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: BASES.length - 1 }),
        fc.constantFrom(...Object.keys(RELAX)),
        fc.integer({ min: 0, max: 1 }),
        fc.double({ min: 0, max: 120, noNaN: true }),
        (b, kind, k, d) => {
          const json = structuredClone(BASES[b]!);
          RELAX[kind]!(json, k, d);
          const base = baseSolutions[b]!;
          const scn = parseScenario(structuredClone(json), 'relaxed');
          // the base design stays feasible (an independent check of the relaxation's direction)
          expect(evaluateDesign(scn, parseDesign(base, scn)).feasible).toBe(true);
          const out = solveScenarioSync(scn, FIXED);
          statuses.push(out.status);
          expect(out.status, `${kind} ${d} dB`).not.toBe('infeasible');
          if (out.lowerBound !== undefined) expect(out.lowerBound).toBeLessThanOrEqual(base.totalPower! * (1 + 1e-9));
          if (out.status === 'optimal') expect(out.totalPower!).toBeLessThanOrEqual(base.totalPower! * (1 + OPTIMALITY_GAP));
          // every relaxed case is solved: a design at most the base's power (up to the tolerance)
          expect(out.status, `${kind} ${d} dB: ${out.message ?? ''}`).toMatch(/^(optimal|feasible)$/);
          expect(out.totalPower!).toBeLessThanOrEqual(base.totalPower! * (1 + OPTIMALITY_GAP));
        },
      ),
      BUDGET,
    );
    expect(statuses.filter((s) => s === 'optimal').length).toBeGreaterThan(statuses.length / 2);
  });
});

describe('scaling all powers consistently scales the optimum exactly (property)', () => {
  // The law, from the model: SINR_k = |h_k^H w_k|^2 / (sum_j |h_k^H w_j|^2 + h_k^H R h_k + sigma_k^2)
  // (h the channels of the serving and interfering BSs), the FIM (29) is |alpha|^2 2L / sigma_R^2
  // times a linear function of the transmit covariances, and tr(Q_s) <= P. Hence:
  // (i)  user noises sigma_k^2, radar noise sigma_R^2 and budget P all x c: the design
  //      (sqrt(c) w_k, c R_s) has the same SINRs and FIM and meets the budget, and conversely,
  //      so the optimum is exactly c times the base optimum;
  // (ii) every channel h and every radar gain alpha x a (noises fixed) and P / |a|^2: the design
  //      (w_k / |a|, R_s / |a|^2) has the same SINRs (|a|^2 / |a|^2) and FIM, so the optimum is
  //      exactly the base optimum / |a|^2.
  // Both answers carry certified intervals [bound, value] for their optima o and o' = c o: the
  // test checks that the intervals, mapped by the law, intersect. Exact up to the certified
  // tolerance, and rigorous: it fails whenever either certificate is false.
  const intersects = (base: DesignJson, out: DesignJson, c: number) => {
    expect(out.status, `c = ${c}: ${out.message ?? ''}`).toBe('optimal');
    expect(out.lowerBound!).toBeLessThanOrEqual(c * base.totalPower! * (1 + 1e-9));
    expect(c * base.lowerBound!).toBeLessThanOrEqual(out.totalPower! * (1 + 1e-9));
  };

  it('(i) noises and budget x c, c from 1e-9 to 1e9: optimum x c', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: BASES.length - 1 }), fc.double({ min: -90, max: 90, noNaN: true }), (b, cDb) => {
        const json = structuredClone(BASES[b]!);
        json.maxPowerDbm += cDb;
        json.radarNoisePowerDbm += cDb;
        for (const u of json.users) u.noisePowerDbm += cDb;
        intersects(baseSolutions[b]!, solve(json), 10 ** (cDb / 10));
      }),
      { ...BUDGET, numRuns: 10 },
    );
  });

  it('(ii) channels and radar gains x a, budget / |a|^2, |a| from 1e-4 to 1e4: optimum / |a|^2', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: BASES.length - 1 }),
        fc.double({ min: -80, max: 80, noNaN: true }),
        fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
        (b, aDb, phase) => {
          const json = structuredClone(BASES[b]!);
          const mag = 10 ** (aDb / 20);
          // a complex factor: the phase must not matter either
          const [ar, ai] = [mag * Math.cos(phase), mag * Math.sin(phase)];
          const mulA = ([re, im]: number[]) => [re! * ar - im! * ai, re! * ai + im! * ar];
          json.channels = json.channels.map((bs: number[][][]) => bs.map((u) => u.map(mulA)));
          json.radarGains = json.radarGains.map((row: number[][]) => row.map(mulA));
          json.maxPowerDbm -= aDb;
          intersects(baseSolutions[b]!, solve(json), 1 / mag ** 2);
        },
      ),
      { ...BUDGET, numRuns: 10 },
    );
  });
});
