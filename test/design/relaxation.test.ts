/**
 * The association relaxation's active set (src/design/active-set.ts, relaxation.ts): the
 * bound equals the full relaxation's, also when the first active set is too small and
 * the dual check fails; the same status when the restricted SDP is infeasible (its Farkas
 * ray proves the node infeasible or adds the blocks it fails on); and the check is what
 * makes the bound valid.
 */
import { describe, expect, it } from 'vitest';
import { designData } from '../../src/design/from-scenario.ts';
import { buildFormulation } from '../../src/design/formulation.ts';
import { priceUserBlocks } from '../../src/design/block-pricing.ts';
import { othersThan, solveRelaxation } from '../../src/design/relaxation.ts';
import { dualSlackMin, keepCones } from '../../src/design/active-set.ts';
import { runSdp, sdpStats } from '../../src/design/sdp.ts';
import { smallScenario } from './helpers.ts';

const rel = (a: number, b: number) => (a - b) / Math.abs(b);

describe('association relaxation by active set', () => {
  for (const seed of [1, 6, 9]) {
    it(`gives the full relaxation's bound after a failed first check (seed ${seed})`, () => {
      const scn = smallScenario(seed, { S: 3, users: 3 });
      const data = designData(scn);
      const cands = Array.from({ length: 3 }, () => othersThan(3, 0));
      const full = solveRelaxation(data, 0, cands, undefined, { initialCandidates: Infinity });
      const one = solveRelaxation(data, 0, cands, undefined, { initialCandidates: 1 });
      expect(full.status).toBe('optimal');
      expect(one.status).toBe('optimal');
      if (full.status !== 'optimal' || one.status !== 'optimal') return;
      expect(full.rounds).toBe(1);
      // The strongest candidate alone was not enough: the check failed and blocks were added.
      expect(one.rounds).toBeGreaterThan(1);
      expect(one.activeBlocks).toBeGreaterThan(3);
      // Valid (never above) and tight: each certified bound is within the certifier's 5e-7 of
      // its own primal value (conic/solve.ts, CLOSE_ENOUGH), no further repairs are tried
      // there; an end game that stops as soon as the tolerances are met (the polish) leaves
      // the full relaxation's bound 1.6e-7 below the active set's on seed 9.
      expect(rel(one.bound, full.bound)).toBeLessThan(5e-7);
      expect(rel(one.bound, full.bound)).toBeGreaterThan(-1e-6);
    });
  }

  // Four BSs, four users, receiver 0; the strongest candidate only first. In the first two
  // the restricted SDP is infeasible and its Farkas ray holds on every left-out block (one SDP
  // proves the node infeasible) or fails on some (blocks added, more SDPs); the third is
  // feasible once the ray's failing blocks are in.
  const rayCases = [
    { seed: 1, sinrDb: 15, crlbMax: 0.01, status: 'infeasible', sdps: 1 },
    { seed: 3, sinrDb: 25, crlbMax: 10, status: 'infeasible', sdps: 3 },
    { seed: 2, sinrDb: 25, crlbMax: 10, status: 'optimal', sdps: 2 },
  ] as const;
  for (const c of rayCases) {
    it(`has the full relaxation's status when the restricted one is infeasible (seed ${c.seed}, ${c.sinrDb} dB, crlbMax ${c.crlbMax})`, () => {
      const data = designData(smallScenario(c.seed, { S: 4, users: 4, minSinrDb: c.sinrDb, crlbMax: c.crlbMax }));
      const cands = Array.from({ length: 4 }, () => othersThan(4, 0));
      const full = solveRelaxation(data, 0, cands, undefined, { initialCandidates: Infinity });
      const calls = sdpStats.calls;
      const one = solveRelaxation(data, 0, cands, undefined, { initialCandidates: 1 });
      expect(sdpStats.calls - calls).toBe(c.sdps);
      expect(full.status).toBe(c.status);
      expect(one.status).toBe(c.status);
      if (full.status === 'optimal' && one.status === 'optimal') {
        expect(one.activeBlocks).toBeLessThan(one.totalBlocks);
        expect(Math.abs(rel(one.bound, full.bound))).toBeLessThan(1e-6);
      }
    });
  }

  it('a restricted dual is not a bound until the left-out blocks are priced; the pricing equals the generic dual slack', () => {
    const scn = smallScenario(1, { S: 3, users: 3 });
    const data = designData(scn);
    const others = othersThan(3, 0);
    const spec = (candidates: number[][]) => ({
      receivers: [{ r: 0, weight: 1, transmitters: others }],
      sensingTx: others,
      candidates,
    });
    const f = buildFormulation(data, spec([others, others, others]));
    const fullSdp = runSdp(f.problem);
    expect(fullSdp.status).toBe('optimal');
    const optimum = fullSdp.primalObjective;
    // Leave BS 2's blocks out, two ways: columns removed from the full SDP, and an SDP built without them.
    const keep = new Uint8Array(f.problem.cones.length).fill(1);
    const left = [0, 1, 2].map((k) => f.W.get(`2,${k}`)!);
    for (const b of left) keep[b.cone] = 0;
    const sub = keepCones(f.problem, keep);
    const sdp = runSdp(sub.problem);
    const small = buildFormulation(data, spec([[1], [1], [1]]));
    const sdpSmall = runSdp(small.problem);
    expect(sdp.status).toBe('optimal');
    expect(sdpSmall.status).toBe('optimal');
    expect(small.problem.A.rows).toBe(f.problem.A.rows);
    expect(rel(sdpSmall.primalObjective * small.objectiveUnit, sdp.primalObjective * f.objectiveUnit)).toBeLessThan(1e-6);
    // Without BS 2 the power is higher: the restricted dual alone overstates the bound.
    expect(sdp.dualObjective).toBeGreaterThan(optimum * (1 + 1e-3));
    const lmin = dualSlackMin(f.problem, sdp.y, left);
    expect(Math.min(...lmin)).toBeLessThan(0);
    let corrected = sdp.dualObjective;
    lmin.forEach((l, k) => (corrected += (data.P / f.userUnit[k]!) * Math.min(0, l)));
    expect(corrected).toBeLessThanOrEqual(optimum * (1 + 1e-8));
    // The structural pricing (from the rows' matrices, no A needed) gives the same negative parts.
    const structural = priceUserBlocks(
      f,
      data,
      sdp.y,
      [0, 1, 2].map((k) => ({ s: 2, k })),
    );
    structural.forEach((v, k) => expect(v).toBeCloseTo(Math.min(0, lmin[k]!), 9));
    // The expanded restricted point is feasible for the full problem with the same objective.
    const x = sub.expand(sdp.x);
    let cx = 0;
    for (let j = 0; j < x.length; j++) cx += f.problem.c[j]! * x[j]!;
    expect(cx).toBeCloseTo(sdp.primalObjective, 9);
    for (const b of left) for (let e = b.offset; e < b.offset + b.size; e++) expect(x[e]).toBe(0);
  });
});
