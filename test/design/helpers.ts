import { generateScenario, type GenerateOptions } from '../../src/model/generate.ts';
import { parseScenario } from '../../src/model/scenario.ts';
import type { Scenario } from '../../src/model/types.ts';
import { designData } from '../../src/design/from-scenario.ts';
import { buildFormulation, readR, readW } from '../../src/design/formulation.ts';
import { fixedSpec } from '../../src/design/fixed.ts';
import { runSdp } from '../../src/design/sdp.ts';
import { closestBs } from '../../src/design/proposed.ts';
import { nearestBs } from '../../src/model/design.ts';

/** A small random instance (few BSs, users, antennas) so that every test stays fast. */
export function smallScenario(seed: number, opts: Partial<GenerateOptions> & { S?: number } = {}): Scenario {
  const S = opts.S ?? 3;
  const layout: [number, number][] = Array.from({ length: S }, (_, s) => {
    const t = (2 * Math.PI * s) / S + Math.PI / 2;
    return [Math.round(100 * Math.cos(t) * 1000) / 1000, Math.round(100 * Math.sin(t) * 1000) / 1000];
  });
  const { S: _s, ...rest } = opts;
  void _s;
  return parseScenario(generateScenario({ seed, users: 2, antennas: 4, layout, minSinrDb: 5, crlbMax: 10, ...rest }));
}

/** Every association of K users to the BSs other than r. */
export function associations(S: number, K: number, r: number): number[][] {
  const others = Array.from({ length: S }, (_, s) => s).filter((s) => s !== r);
  const out: number[][] = [];
  const rec = (prefix: number[]): void => {
    if (prefix.length === K) {
      out.push(prefix.slice());
      return;
    }
    for (const s of others) rec([...prefix, s]);
  };
  rec([]);
  return out;
}

/**
 * The SDP of `fixed` (problem (13) without the rank constraint) at a receiver and an
 * association, solved, with each user's W_k and each sensing BS's R_s read back: the relaxed
 * point that Theorem 1's recovery starts from.
 */
export function solveRelaxedFixed(scn: Scenario, receiver: number, association: number[]) {
  const data = designData(scn);
  const f = buildFormulation(data, fixedSpec(data, receiver, association));
  const sdp = runSdp(f.problem);
  const Wk = association.map((s, k) => readW(f, sdp.x, s, k));
  const Rs = new Map<number, Float64Array>();
  for (const s of f.R.keys()) Rs.set(s, readR(f, sdp.x, s));
  return { f, sdp, Wk, Rs };
}

/**
 * A generated scenario with the `fixed` choice the benchmarks make (bench/targets.ts): the
 * receiver closest to the targets, every user served by its nearest other BS; and its SDP.
 */
export function generatedFixed(opts: GenerateOptions) {
  const scn = parseScenario(generateScenario(opts));
  const receiver = closestBs(designData(scn));
  return generatedFixedAt(
    opts,
    receiver,
    scn.users.map((u) => nearestBs(scn, u.position, receiver)),
  );
}

/** The same at a given receiver and association. */
export function generatedFixedAt(opts: GenerateOptions, receiver: number, association: number[]) {
  const scn = parseScenario(generateScenario(opts));
  const data = designData(scn);
  const problem = buildFormulation(data, fixedSpec(data, receiver, association)).problem;
  return { scn, data, receiver, association, problem };
}
