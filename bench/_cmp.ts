import { buildProblem, type ProblemName } from './problems.ts';
// @ts-ignore
import { solve as solveOld } from '/tmp/old/src/conic/solve.ts';
import { solve as solveNew } from '../src/conic/solve.ts';
const name = process.argv[2] as ProblemName;
const reps = Number(process.argv[3] ?? 5);
const p = buildProblem(name);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const acc: Record<string, { ms: number[]; it: number; st: string }> = {};
const variants: [string, () => { iterations: number; status: string; almost: boolean }][] = [
  ['old', () => solveOld(p, {})],
  ['new', () => solveNew(p, {})],
  ['new-c1', () => solveNew(p, { correctors: 1 })],
  ['new-c0', () => solveNew(p, { correctors: 0 })],
];
for (let r = 0; r < reps + 1; r++) {
  for (const [k, f] of variants) {
    const c0 = cpu();
    const res = f();
    const c1 = cpu();
    acc[k] ??= { ms: [], it: res.iterations, st: res.status + (res.almost ? '*' : '') };
    if (r > 0) acc[k].ms.push(c1 - c0);
  }
}
for (const [k, v] of Object.entries(acc)) {
  const med = [...v.ms].sort((a, b) => a - b)[v.ms.length >> 1];
  console.log(`${name} ${k.padEnd(7)} ${v.st.padEnd(9)} it ${v.it}  median CPU ${med.toFixed(1)} ms  per iteration ${(med / v.it).toFixed(2)} ms`);
}
