import { buildProblem } from './problems.ts';
// @ts-ignore
import { solve as solveOld } from '/tmp/old/src/conic/solve.ts';
import { solve as solveNew } from '../src/conic/solve.ts';
const which = process.argv[2];
const p = buildProblem('fig2-fixed');
const f = which === 'old' ? solveOld : which === 'c1' ? (q: typeof p) => solveNew(q, { correctors: 1 }) : which === 'c0' ? (q: typeof p) => solveNew(q, { correctors: 0 }) : solveNew;
const u0 = process.cpuUsage();
const t0 = performance.now();
const r = f(p);
const u1 = process.cpuUsage(u0);
console.log(`${which} first solve: it ${r.iterations} wall ${(performance.now() - t0).toFixed(0)} ms, CPU ${((u1.user + u1.system) / 1000).toFixed(0)} ms`);
