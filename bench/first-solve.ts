/**
 * `npx tsx bench/first-solve.ts [problem]`: one fresh process's first, second and third solve
 * of a benchmark problem (bench/problems.ts, default fig2-fixed), built before the clock
 * starts; prints JSON { solveCold, solveWarm } in ms (bench/wasm-kernels.mjs runs it).
 */
import { solve } from '../src/conic/index.ts';
import { buildProblem, PROBLEM_NAMES, type ProblemName } from './problems.ts';
import { DESIGN_SOLVER_SETTINGS } from '../src/design/sdp.ts';

const name = (process.argv[2] ?? 'fig2-fixed') as ProblemName;
if (!PROBLEM_NAMES.includes(name)) throw new Error(`unknown problem ${name}`);
const p = buildProblem(name);
const t: number[] = [];
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  solve(p, DESIGN_SOLVER_SETTINGS);
  t.push(performance.now() - t0);
}
process.stdout.write(JSON.stringify({ solveCold: t[0], solveWarm: t[2] }));
