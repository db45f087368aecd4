/**
 * Subproblem (23) by an active set over its W~ blocks (src/design/bigm-active-set.ts): the
 * same optimum as (23) with every block, also when the first active set is too small and
 * the dual check adds blocks; the same status when the restricted SDP is infeasible (its
 * Farkas ray proves (23) infeasible, or adds the blocks it fails on); and the structural
 * pricing of a left-out block (with the big-M coupling row) equals the generic dual slack
 * c - A^T y of the full SDP, and -A^T y for a ray.
 */
import { describe, expect, it } from 'vitest';
import { designData } from '../../src/design/from-scenario.ts';
import { buildFormulation, readW, type NodeSpec } from '../../src/design/formulation.ts';
import { priceUserBlocks } from '../../src/design/block-pricing.ts';
import { solveBigMByActiveSet } from '../../src/design/bigm-active-set.ts';
import { dualSlackMin, keepCones } from '../../src/design/active-set.ts';
import { runSdp } from '../../src/design/sdp.ts';
import { traceOf } from '../../src/design/recover.ts';
import type { DesignData } from '../../src/design/data.ts';
import { smallScenario } from './helpers.ts';

/** (23) at a fractional b (every BS both receives and transmits), as Algorithm 1's first steps see it. */
function fractionalSpec(data: DesignData, b: number[], aPrev: number[][], mu: number): NodeSpec {
  const S = data.S;
  const all = Array.from({ length: S }, (_, s) => s);
  return {
    receivers: all.map((r) => ({ r, weight: 1 - b[r]!, transmitters: all.filter((s) => s !== r) })),
    sensingTx: all,
    candidates: Array.from({ length: data.K }, () => all.slice()),
    bigM: { aPrev, mu, b },
  };
}

/** The weakest candidate of every user only: a first active set that must fail its check. */
function weakest(data: DesignData, candidates: number[][]): number[][] {
  const gain = (s: number, k: number) => data.channel(s, k).reduce((acc, v) => acc + v * v, 0);
  return candidates.map((c, k) => [c.reduce((best, s) => (gain(s, k) < gain(best, k) ? s : best), c[0]!)]);
}

const power = (f: ReturnType<typeof buildFormulation>, x: Float64Array, N: number): number => {
  let p = 0;
  for (const key of f.W.keys()) {
    const [s, k] = key.split(',').map(Number);
    p += traceOf(readW(f, x, s!, k!), N);
  }
  return p;
};

describe('subproblem (23) by an active set over its blocks', () => {
  const cases = [
    { seed: 1, b: [0.4, 0.7, 0.9], mu: 0.05 },
    { seed: 6, b: [0.4, 0.7, 0.9], mu: 3e4 },
    { seed: 9, b: [0.2, 0.9, 0.9], mu: 1 },
  ];
  for (const c of cases) {
    it(`has the full SDP's optimum after a failed first check (seed ${c.seed}, mu ${c.mu})`, () => {
      const data = designData(smallScenario(c.seed, { S: 3, users: 3 }));
      const aPrev = [
        [0.2, 0.3, 0.5],
        [0.6, 0.1, 0.3],
        [1 / 3, 1 / 3, 1 / 3],
      ];
      const spec = fractionalSpec(data, c.b, aPrev, c.mu);
      const full = buildFormulation(data, spec);
      const fullSdp = runSdp(full.problem);
      const act = solveBigMByActiveSet(data, spec, weakest(data, spec.candidates));
      expect(fullSdp.status).toBe('optimal');
      expect(act.sdp.status).toBe('optimal');
      expect(act.rounds).toBeGreaterThan(1);
      expect(act.activeBlocks).toBeGreaterThan(3);
      const v1 = fullSdp.primalObjective * full.objectiveUnit + full.constant;
      const v2 = act.sdp.primalObjective * act.f.objectiveUnit + act.f.constant;
      // Both to the solver's 1e-8 relative gap on the (penalty-dominated) scaled objective.
      expect(Math.abs(v1 - v2) / Math.max(Math.abs(v1), 1e-12)).toBeLessThan(1e-6);
      // Every association variable is present, whether or not its block is.
      expect(act.f.a.size).toBe(full.a.size);
      // The power part agrees to the accuracy the penalty's scale leaves it.
      const p1 = power(full, fullSdp.x, data.N);
      const p2 = power(act.f, act.sdp.x, data.N);
      expect(Math.abs(p1 - p2)).toBeLessThan(1e-6 * Math.max(Math.abs(v1), 1) + 1e-3 * p1);
    });
  }

  // Restricted to each user's weakest candidate, (23) is infeasible in all three; with every
  // block it is feasible in the first and infeasible in the others. In the second the ray of a
  // restricted SDP proves it; in the third the ray fails on some block at every round.
  const infeasibleCases = [
    { seed: 1, sinrDb: 15, crlbMax: 10, full: 'optimal', proved: false },
    { seed: 2, sinrDb: 5, crlbMax: 0.01, full: 'infeasible', proved: true },
    { seed: 2, sinrDb: 35, crlbMax: 10, full: 'infeasible', proved: false },
  ] as const;
  for (const c of infeasibleCases) {
    it(`has the full SDP's status when the first restricted SDP is infeasible (seed ${c.seed}, ${c.sinrDb} dB, crlbMax ${c.crlbMax})`, () => {
      const data = designData(smallScenario(c.seed, { S: 3, users: 3, minSinrDb: c.sinrDb, crlbMax: c.crlbMax }));
      const aPrev = [
        [0.2, 0.3, 0.5],
        [0.6, 0.1, 0.3],
        [1 / 3, 1 / 3, 1 / 3],
      ];
      const spec = fractionalSpec(data, [0.4, 0.7, 0.9], aPrev, 1);
      const first = weakest(data, spec.candidates);
      expect(runSdp(buildFormulation(data, { ...spec, blocks: first }).problem).status).toBe('infeasible');
      const full = buildFormulation(data, spec);
      const fullSdp = runSdp(full.problem);
      expect(fullSdp.status).toBe(c.full);
      const act = solveBigMByActiveSet(data, spec, first);
      expect(act.sdp.status).toBe(c.full);
      expect(act.rayProvesAll === true).toBe(c.proved);
      // Proved by a ray: fewer blocks than (23) has; otherwise the blocks were added.
      if (c.proved) expect(act.activeBlocks).toBeLessThan(act.totalBlocks);
      if (c.full === 'optimal') {
        expect(act.rounds).toBeGreaterThan(1);
        const v1 = fullSdp.primalObjective * full.objectiveUnit + full.constant;
        const v2 = act.sdp.primalObjective * act.f.objectiveUnit + act.f.constant;
        expect(Math.abs(v1 - v2) / Math.max(Math.abs(v1), 1e-12)).toBeLessThan(1e-6);
      }
    });
  }

  it("prices a left-out block under a Farkas ray as the generic -A^T y of the full SDP's rows", () => {
    const data = designData(smallScenario(1, { S: 3, users: 3, minSinrDb: 15, crlbMax: 10 }));
    const aPrev = [
      [0.2, 0.3, 0.5],
      [0.6, 0.1, 0.3],
      [1 / 3, 1 / 3, 1 / 3],
    ];
    const spec = fractionalSpec(data, [0.4, 0.7, 0.9], aPrev, 1);
    const f = buildFormulation(data, spec);
    const first = weakest(data, spec.candidates);
    // The weakest candidate only, by removing the other blocks' columns (the rows stay).
    const pairs = spec.candidates.flatMap((cands, k) => cands.filter((s) => s !== first[k]![0]).map((s) => ({ s, k })));
    const keep = new Uint8Array(f.problem.cones.length).fill(1);
    const left = pairs.map(({ s, k }) => f.W.get(`${s},${k}`)!);
    for (const blk of left) keep[blk.cone] = 0;
    const sdp = runSdp(keepCones(f.problem, keep).problem);
    expect(sdp.status).toBe('infeasible');
    const generic = dualSlackMin({ ...f.problem, c: new Float64Array(f.problem.c.length) }, sdp.y, left);
    const structural = priceUserBlocks(f, data, sdp.y, pairs, true);
    const scale = Math.max(...generic.map(Math.abs), 1e-12);
    // Some left-out blocks hold the ray and some do not (the active set adds those).
    expect(generic.some((v) => v > 1e-6 * scale)).toBe(true);
    expect(generic.some((v) => v < -1e-6 * scale)).toBe(true);
    structural.forEach((v, i) => {
      if (generic[i]! > 1e-6 * scale) expect(v).toBe(0);
      else expect(v).toBeLessThan(0);
      if (generic[i]! < 0) expect(Math.abs(v - generic[i]!)).toBeLessThan(1e-9 * scale);
    });
  });

  it('prices a left-out block exactly as the generic dual slack of the full SDP (coupling row included)', () => {
    const data = designData(smallScenario(1, { S: 3, users: 3 }));
    // BS 2 is every user's dearest association (1 - 2 a^(t) largest): a_{2,k} = 0, and the
    // coupling row a_{2,k} >= tr(W~_{2,k}) / P carries part of that price (a W~_{2,k} > 0
    // would have to pay for a_{2,k} > 0 too).
    const aPrev = [
      [0.45, 0.45, 0.1],
      [0.45, 0.45, 0.1],
      [0.45, 0.45, 0.1],
    ];
    const spec = fractionalSpec(data, [0.4, 0.7, 0.9], aPrev, 3e4);
    const f = buildFormulation(data, spec);
    // Leave BS 2's blocks out by removing their columns: the rows (coupling rows included) stay.
    const keep = new Uint8Array(f.problem.cones.length).fill(1);
    const left = [0, 1, 2].map((k) => f.W.get(`2,${k}`)!);
    for (const blk of left) keep[blk.cone] = 0;
    const sub = keepCones(f.problem, keep);
    const sdp = runSdp(sub.problem);
    expect(sdp.status).toBe('optimal');
    // The same SDP built with spec.blocks has the same rows and optimum.
    const built = buildFormulation(data, {
      ...spec,
      blocks: [
        [0, 1],
        [0, 1],
        [0, 1],
      ],
    });
    expect(built.problem.A.rows).toBe(f.problem.A.rows);
    const sdpBuilt = runSdp(built.problem);
    expect(sdpBuilt.status).toBe('optimal');
    expect(Math.abs(sdpBuilt.primalObjective - sdp.primalObjective) / Math.abs(sdp.primalObjective)).toBeLessThan(1e-6);
    const coupling = [0, 1, 2].map((k) => sdp.y[f.pricing.couplingRow[2 * data.K + k]!]!);
    expect(Math.max(...coupling.map(Math.abs))).toBeGreaterThan(0);
    const generic = dualSlackMin(f.problem, sdp.y, left);
    const structural = priceUserBlocks(
      f,
      data,
      sdp.y,
      [0, 1, 2].map((k) => ({ s: 2, k })),
    );
    const scale = Math.max(...generic.map(Math.abs), 1e-12);
    structural.forEach((v, k) => expect(Math.abs(v - Math.min(0, generic[k]!))).toBeLessThan(1e-9 * scale));
  });
});
