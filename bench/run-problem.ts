/**
 * `npx tsx bench/run-problem.ts NAME|FILE.dat-s [--verbose] [--repeat R] [--equilibrate true|false|auto] [--correctors N]`:
 * solves one of bench/problems.ts's problems (with the design layer's settings), or an SDPA
 * file (with the solver's defaults, as `netisac sdpa` does), and prints status, iterations
 * and seconds (first solve of the process, then the warm repeats) and the operation counts.
 */
import { buildProblem, PROBLEM_NAMES, type ProblemName } from './problems.ts';
import { solve } from '../src/conic/solve.ts';
import { DESIGN_SOLVER_SETTINGS } from '../src/design/sdp.ts';
import { opCounts, resetOpCounts } from '../src/linalg/op-counts.ts';
import { parseSdpa, sdpaToConic } from '../src/conic/sdpa.ts';
import { readFileSync } from 'node:fs';
import { InputError } from '../src/errors.ts';

const name = process.argv[2] ?? '';
const isSdpa = name.endsWith('.dat-s');
if (!PROBLEM_NAMES.includes(name as ProblemName) && !isSdpa) {
  process.stderr.write(
    `usage: run-problem.ts ${PROBLEM_NAMES.join('|')}|FILE.dat-s [--verbose] [--repeat R] [--equilibrate true|false|auto] [--correctors N]\n`,
  );
  process.exit(2);
}
const verbose = process.argv.includes('--verbose');
const ri = process.argv.indexOf('--repeat');
const repeat = ri > 0 ? Number(process.argv[ri + 1]) : 0;
const ei = process.argv.indexOf('--equilibrate');
const eq = ei > 0 ? process.argv[ei + 1] : 'auto';
const equilibrate = eq === 'true' ? true : eq === 'false' ? false : 'auto';
const ci = process.argv.indexOf('--correctors');
const correctors = ci > 0 ? Number(process.argv[ci + 1]) : undefined;
const p = isSdpa ? sdpaProblem(name) : buildProblem(name as ProblemName);
const settings = isSdpa ? {} : DESIGN_SOLVER_SETTINGS;
const cones = p.cones.map((k) => ('n' in k ? `${k.kind}(${k.n})` : `${k.kind}[${k.dim}]`));
process.stdout.write(`${name}: m = ${p.b.length}, ${p.cones.length} cones (${[...new Set(cones)].join(', ')})\n`);
for (let r = 0; r <= repeat; r++) {
  resetOpCounts();
  // as the design layer solves them (design/sdp.ts), or as `netisac sdpa` does
  const res = solve(p, { ...settings, verbose: verbose && r === 0, equilibrate, ...(correctors === undefined ? {} : { correctors }) });
  process.stdout.write(
    `${r === 0 ? 'cold' : 'warm'}: ${res.status}${res.almost ? ' (almost)' : ''} it ${res.iterations} ` +
      `${(res.seconds * 1000).toFixed(1)} ms pobj ${res.primalObjective.toPrecision(10)} dobj ${res.dualObjective.toPrecision(10)} ` +
      `pres ${res.primalResidual.toExponential(1)} dres ${res.dualResidual.toExponential(1)} gap ${res.relGap.toExponential(1)}\n`,
  );
  if (r === 0) process.stdout.write(`${perIteration(p.cones)}\n${byUse(p.cones)}\n`);
}

/**
 * Where the dense products go (op-counts.ts productsByUse), per matrix block and iteration:
 * each loop operation, D by its use (its applications in the conjugate gradients too when they
 * run in WebAssembly); `other` is what no loop operation counted (0 on the problems here).
 */
function byUse(cones: typeof p.cones): string {
  const it = Math.max(1, opCounts.iterations);
  const blocks = Math.max(1, cones.filter((k) => k.kind === 'hpsd' || k.kind === 'psd').length);
  const uses = Object.entries(opCounts.productsByUse).sort((a, b) => b[1] - a[1]);
  const counted = uses.reduce((s, [, v]) => s + v, 0);
  const other = opCounts.complexProducts + opCounts.realProducts - counted;
  const per = (v: number) => (v / it / blocks).toFixed(2);
  return `products per matrix block and iteration by use: ${[...uses, ['other', other] as [string, number]].map(([k, v]) => `${k} ${per(v)}`).join(', ')}`;
}

/** The solve's operation counts (src/linalg/op-counts.ts) per interior-point iteration, dense products also per block. */
function perIteration(cones: typeof p.cones): string {
  const it = Math.max(1, opCounts.iterations);
  const herm = cones.filter((k) => k.kind === 'hpsd').length;
  const real = cones.filter((k) => k.kind === 'psd').length;
  const f = (v: number) => (v / it).toFixed(1);
  const parts = [
    herm ? `complex products/hpsd block ${(opCounts.complexProducts / it / herm).toFixed(1)}` : '',
    real ? `real products/psd block ${(opCounts.realProducts / it / real).toFixed(1)}` : '',
    herm
      ? `eig with vectors ${(opCounts.complexEigVectors / it / herm).toFixed(1)}, eigenvalues only ${(opCounts.complexEigValues / it / herm).toFixed(1)} /hpsd block`
      : '',
    `A x ${f(opCounts.mulA)}, A^T y ${f(opCounts.mulAt)}, normal solves ${f(opCounts.normalSolves)}, M v ${f(opCounts.schurMatVecs)}`,
    `centring tried ${opCounts.centringTries}, kept ${opCounts.centringKept} (in all)`,
  ];
  return `per iteration (${opCounts.iterations} iterations counted): ${parts.filter(Boolean).join('; ')}`;
}

/** An SDPA file as the solver's conic problem; a file that cannot be read or parsed ends the run with exit code 2. */
function sdpaProblem(path: string): ReturnType<typeof sdpaToConic> {
  try {
    return sdpaToConic(parseSdpa(readFileSync(path, 'utf8'), path));
  } catch (e) {
    if (!(e instanceof InputError) && !(e instanceof Error && 'code' in e)) throw e;
    process.stderr.write(`run-problem: ${e.message}\n`);
    process.exit(2);
  }
}
