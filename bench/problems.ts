/**
 * The conic problems the solver benchmarks and tests measure, built from scenarios exactly
 * as the design layer builds them:
 * - `fig2-fixed`: the paper's `fixed` SDP (13) on examples/fig2.json (receiver 1,
 *   association 0,0,2,2,3: the `exact` optimum), 8 Hermitian 8 x 8 blocks, m = 49;
 * - `hex15`, `hex30`: the association relaxation that `exact` solves at the root of
 *   receiver 0 (every user may be served by all six other BSs) on the 7-BS hexagon,
 *   N = 16 antennas, users in a 200 m disc (seed 1), K = 15 resp. 30.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateScenario } from '../src/model/generate.ts';
import { parseScenario } from '../src/model/scenario.ts';
import { designData } from '../src/design/from-scenario.ts';
import { buildFormulation } from '../src/design/formulation.ts';
import { fixedSpec } from '../src/design/fixed.ts';
import { othersThan } from '../src/design/relaxation.ts';
import type { ConicProblem } from '../src/conic/types.ts';

export const PROBLEM_NAMES = ['fig2-fixed', 'hex15', 'hex30'] as const;
export type ProblemName = (typeof PROBLEM_NAMES)[number];

function hexagonRelaxation(users: number): ConicProblem {
  const scn = parseScenario(generateScenario({ seed: 1, users, antennas: 16, layout: 'hexagon', radius: 200, minSinrDb: 8, crlbMax: 1 }));
  const data = designData(scn);
  const r = 0;
  const others = othersThan(data.S, r);
  return buildFormulation(data, {
    receivers: [{ r, weight: 1, transmitters: others }],
    sensingTx: others,
    candidates: Array.from({ length: data.K }, () => others.slice()),
  }).problem;
}

export function buildProblem(name: ProblemName): ConicProblem {
  if (name === 'fig2-fixed') {
    const path = fileURLToPath(new URL('../examples/fig2.json', import.meta.url));
    const data = designData(parseScenario(JSON.parse(readFileSync(path, 'utf8')), path));
    return buildFormulation(data, fixedSpec(data, 1, [0, 0, 2, 2, 3])).problem;
  }
  return hexagonRelaxation(name === 'hex15' ? 15 : 30);
}
