import { buildProblem } from './problems.ts';
// @ts-ignore
import { prepare as prepOld } from '/tmp/old/src/conic/prepare.ts';
// @ts-ignore
import { runIpm as ipmOld } from '/tmp/old/src/conic/ipm.ts';
// @ts-ignore
import { resolveSettings as rsOld } from '/tmp/old/src/conic/settings.ts';
import { prepare } from '../src/conic/prepare.ts';
import { runIpm } from '../src/conic/ipm.ts';
import { resolveSettings } from '../src/conic/settings.ts';
const which = process.argv[2];
const p = buildProblem('fig2-fixed');
const u0 = process.cpuUsage();
const t0 = performance.now();
const r = which === 'old' ? ipmOld(prepOld(p, 'native'), rsOld({}), t0) : runIpm(prepare(p, 'native'), resolveSettings({ correctors: Number(which) }), t0);
const u1 = process.cpuUsage(u0);
console.log(`${which} first prepare+runIpm: it ${r.iterations} wall ${(performance.now() - t0).toFixed(0)} ms, CPU ${((u1.user + u1.system) / 1000).toFixed(0)} ms`);
