/**
 * The design layer's one call into the conic solver (design/sdp.ts): its settings and its
 * fallbacks when a solve breaks down.
 */
import { describe, expect, it } from 'vitest';
import { DESIGN_SOLVER_SETTINGS, runSdp, sdpStats } from '../../src/design/sdp.ts';
import { normalise, xScale } from '../../src/conic/equilibrate.ts';
import { solve, solvePeakBytes } from '../../src/conic/index.ts';
import { setMachineMemory } from '../../src/limits.ts';
import type { ConicProblem } from '../../src/conic/types.ts';
import { diagonalLp, rng } from '../conic/helpers.ts';
import { generatedFixed, generatedFixedAt } from './helpers.ts';

const lp = (coefficient: number): ConicProblem => diagonalLp(coefficient);

/** The solver calls runSdp makes on `p` when every attempt stops after one iteration. */
function attemptsWhenFailing(p: ConicProblem): number {
  const before = sdpStats.calls;
  const out = runSdp(p, { maxIterations: 1 });
  expect(out.status).toBe('failed');
  return sdpStats.calls - before;
}

describe('runSdp', () => {
  it('keeps the units of x unless the estimate of its size is beyond 256', () => {
    expect(DESIGN_SOLVER_SETTINGS.xScaleBand).toBe(256);
    expect(normalise(lp(100), DESIGN_SOLVER_SETTINGS.xScaleBand).beta).toBe(1);
    expect(normalise(lp(1e4), DESIGN_SOLVER_SETTINGS.xScaleBand).beta).toBe(2 ** -13);
    const out = runSdp(lp(100));
    expect(out.status).toBe('optimal');
    expect(Math.abs(out.primalObjective - 0.05)).toBeLessThan(1e-9);
  });

  it("falls back to the solver's own scaling of x, and to x in its units, only where they differ", () => {
    // estimate 1/128: inside 256, outside 16, so the fallback with band 16 is a different solve;
    // x in its units is the first attempt
    expect(attemptsWhenFailing(lp(100))).toBe(4);
    // estimate 1: every band leaves x alone, both fallbacks are skipped
    expect(attemptsWhenFailing(lp(1))).toBe(3);
    // estimate 2^-13: bands 256 and 16 scale alike, x in its units is a different solve
    expect(attemptsWhenFailing(lp(1e4))).toBe(4);
  });

  it('estimates the size of x without the rows that pin a single coordinate, unless only those have b != 0', () => {
    // two rows x_1 + x_2 = 2 (size 1) and five pins x_j = 1e-7 (the CRLB cones' constants)
    const rows = 7;
    const p: ConicProblem = {
      A: {
        rows,
        cols: 7,
        rowPtr: Int32Array.of(0, 2, 4, 5, 6, 7, 8, 9),
        colIdx: Int32Array.of(0, 1, 0, 1, 2, 3, 4, 5, 6),
        values: Float64Array.of(1, 1, 1, -1, 1, 1, 1, 1, 1),
      },
      b: Float64Array.of(2, 0.5, 1e-7, 1e-7, 1e-7, 1e-7, 1e-7),
      c: new Float64Array(7).fill(1),
      cones: [{ kind: 'nonneg', dim: 7 }],
    };
    expect(xScale(p, 256)).toBeLessThan(1e-6); // the median is a pin
    expect(xScale(p, 256, true)).toBe(1);
    expect(DESIGN_SOLVER_SETTINGS.xScaleSkipPins).toBe(true);
    expect(normalise(p, 256, true).beta).toBe(1);
    // a problem of pins only keeps its estimate
    expect(xScale(lp(1e4), 256, true)).toBe(2 ** -13);
    // the same numbers through the solver's settings: the answer in the user's units either way
    const skip = solve(p, DESIGN_SOLVER_SETTINGS);
    const all = solve(p, { xScaleBand: 256 });
    expect(skip.status).toBe('optimal');
    expect(Math.abs(skip.primalObjective - all.primalObjective)).toBeLessThan(1e-8 * Math.abs(all.primalObjective) + 1e-12);
  });
});

describe('an SDP larger than the memory budget', () => {
  it('ends failed with the size it would need, without throwing; an attempt that fits still solves', () => {
    const { problem } = generatedFixed({ seed: 3, users: 3, antennas: 6 });
    const native = solvePeakBytes(problem, 'native');
    try {
      // every attempt refused before it allocates: failed, saying why, no solver call counted
      setMachineMemory(native);
      const before = sdpStats.calls;
      const out = runSdp(problem);
      expect(out.status).toBe('failed');
      // (the last attempt's message: the fallback with the real embedding)
      expect(out.message).toMatch(
        /the SDP with m = \d+, \d+ cones and \d+ non-zeros, its Hermitian blocks embedded as real ones would need about \d+ MB of memory; this machine allows/,
      );
      expect(sdpStats.calls).toBe(before);
      // room for the native form (the embedded fallback, 2.5 times it, would not fit)
      setMachineMemory(2.2 * native);
      expect(runSdp(problem).status).toBe('optimal');
    } finally {
      setMachineMemory(4 * 2 ** 30);
    }
  });
});

describe('several targets at a loose bound with few users', () => {
  it("solve in the formulation's units, where the pins' estimate made every attempt fail", () => {
    // K = 2, T = 3, crlbMax 1e7: six CRLB constants ~1e-7 against five rows of size one
    const p = generatedFixed({ seed: 3, users: 2, antennas: 8, minSinrDb: 10, crlbMax: 1e7, targets: 3 }).problem;
    expect(xScale(p, 256)).toBeLessThan(1 / 256);
    expect(xScale(p, 256, true)).toBe(1);
    // x scaled by the pins' estimate: the first step already stalls (measured: numerical_error)
    expect(solve(p, { xScaleBand: 256 }).status).not.toBe('optimal');
    const before = sdpStats.calls;
    expect(runSdp(p).status).toBe('optimal');
    expect(sdpStats.calls - before).toBe(1);
  });
});

describe('the design units against the solver own scaling of x', () => {
  it('give the same status and optimum on random design SDPs, with valid bounds', () => {
    const rnd = rng(20261201);
    let scaledDifferently = 0;
    for (let i = 0; i < 16; i++) {
      const p = generatedFixed({
        seed: 500 + i,
        users: 1 + Math.floor(rnd() * 5),
        antennas: [4, 8][Math.floor(rnd() * 2)]!,
        minSinrDb: 30 * rnd() - 5,
        crlbMax: 10 ** (8 * rnd() - 1),
        targets: 1 + Math.floor(rnd() * 3),
      }).problem;
      if (normalise(p, 16).beta !== normalise(p, 256).beta) scaledDifferently++;
      const ours = solve(p, DESIGN_SOLVER_SETTINGS);
      const theirs = solve(p, { xScaleBand: 16 });
      expect(ours.status).toBe(theirs.status);
      if (ours.status !== 'optimal') continue;
      const scale = Math.max(1, Math.abs(theirs.primalObjective));
      expect(Math.abs(ours.primalObjective - theirs.primalObjective)).toBeLessThan(1e-6 * scale);
      // each certified bound is below the other solve's primal value too
      expect(ours.lowerBound).toBeLessThanOrEqual(theirs.primalObjective + 1e-9 * scale);
      expect(theirs.lowerBound).toBeLessThanOrEqual(ours.primalObjective + 1e-9 * scale);
    }
    // the comparison means something only where the two bands scale x differently
    expect(scaledDifferently).toBeGreaterThan(0);
  }, 120_000);
});

describe('a Farkas ray that fails the check on the data', () => {
  it('is refined once at a tighter infeasibility tolerance, which proves the SDP infeasible', () => {
    // extreme data (K = 4, N = 16, SINR 19 dB, path loss -64 dB at 1 m, a 10 m disc), the
    // decision Scheme 2 draws: the ray after 12 iterations costs 14x b^T y on a sensing moment
    const { problem } = generatedFixedAt(
      {
        seed: 5009,
        users: 4,
        antennas: 16,
        minSinrDb: 18.946670808363706,
        crlbMax: 36383982.66504729,
        targets: 3,
        maxPowerDbm: 37.63491224963218,
        radarNoisePowerDbm: -142.3200778895989,
        userNoisePowerDbm: -91.36284517589957,
        radius: 10.564033915000865,
        layout: 'paper',
        channelModel: { pathLossDbAt1m: -63.885220498777926 },
      },
      1,
      [0, 0, 0, 3],
    );
    const first = solve(problem, DESIGN_SOLVER_SETTINGS);
    expect(first.status).toBe('numerical_error');
    expect(first.certificate?.verified).toBe(false);
    const out = runSdp(problem);
    expect(out.status).toBe('infeasible');
  });
});
