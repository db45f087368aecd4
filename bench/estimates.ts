/**
 * `npx tsx bench/estimates.ts [--quick] [--methods fixed,proposed,...]`
 *
 * How far the time estimate that guards `netisac solve` (design/solve.ts estimateSolveSeconds)
 * is from the time a solve takes: for a grid of networks (the paper's 4 BSs, the 7-BS hexagon,
 * the 19-, 37- and 61-BS hexagons; users, antennas and targets varied) each method is run once in
 * this process (after one warm-up solve) and the estimate is divided by the measured seconds.
 * The estimate refuses a request above 10 min, so it must stay on the long side (ratio >= 1)
 * without refusing what finishes in seconds: ratios far above 1 are the defect this measures.
 * Prints one row per (network, method) and, per method, the smallest and largest ratio.
 */
import { generateScenario } from '../src/model/generate.ts';
import { parseScenario } from '../src/model/scenario.ts';
import { estimateSolveSeconds, solveScenarioSync } from '../src/design/solve.ts';
import type { Method } from '../src/design/api.ts';
import type { Scenario } from '../src/model/types.ts';
import { fixedChoice } from './campaign.ts';
import { useThisMachinesMemory } from '../src/machine-memory.ts';
import { type Case, hexagon, methodsOption, paper } from './network-cases.ts';

const FULL: Case[] = [
  paper(5, 8, 1),
  paper(12, 16, 1),
  paper(24, 32, 1),
  paper(8, 8, 3),
  hexagon(1, 8, 16, 1),
  hexagon(1, 15, 16, 2),
  hexagon(1, 30, 16, 1, 0),
  hexagon(2, 12, 8, 1),
  hexagon(2, 30, 8, 2, 0),
  paper(40, 32, 2, 0, ['fixed', 'scheme2', 'scheme3']),
  paper(60, 64, 1, 0, ['fixed', 'scheme2']),
  hexagon(2, 60, 8, 1, 0, ['fixed', 'scheme2', 'scheme3', 'scheme1', 'proposed']),
  hexagon(3, 30, 8, 1),
  hexagon(4, 30, 8, 1),
];
const QUICK: Case[] = [paper(5, 8, 1), hexagon(1, 8, 16, 1), hexagon(2, 12, 8, 1)];
/** exact stops at this many seconds (then its time is the limit's, and its row is left out of the ratios). */
const EXACT_LIMIT = 120;
/** Solves shorter than this are mostly fixed costs (the model's check, set-up): shown, left out of the ratios. */
const SHORT = 0.5;

/** Seconds of one solve of `method` (force: the estimate must not stop what it is measured against). */
function timed(scn: Scenario, method: Method): { seconds: number; status: string; counted: boolean } {
  const extra = method === 'fixed' ? fixedChoice(scn) : {};
  const t0 = performance.now();
  const d = solveScenarioSync(scn, { method, force: true, timeLimit: EXACT_LIMIT, ...extra });
  const stopped = d.stoppedBy === 'time_limit' ? ' (limit)' : '';
  return { seconds: (performance.now() - t0) / 1000, status: d.status + stopped, counted: !stopped };
}

// as the CLI does: the memory limits of this machine, not the browser's default
useThisMachinesMemory();
const methods = methodsOption('estimates');
const cases = process.argv.includes('--quick') ? QUICK : FULL;
timed(parseScenario(generateScenario(paper(3, 4, 1).opts)), 'fixed');
const ratios = new Map<Method, number[]>();
process.stdout.write(
  `${'network'.padEnd(32)} ${'method'.padEnd(9)} ${'status'.padEnd(10)} ${'measured s'.padStart(10)} ${'estimate s'.padStart(11)} ${'ratio'.padStart(8)}\n`,
);
for (const c of cases) {
  const scn = parseScenario(generateScenario(c.opts));
  for (const method of methods) {
    if (c.only && !c.only.includes(method)) continue;
    const estimate = estimateSolveSeconds(scn, method);
    const { seconds, status, counted } = timed(scn, method);
    const ratio = estimate / seconds;
    if (counted && seconds >= SHORT) ratios.set(method, [...(ratios.get(method) ?? []), ratio]);
    process.stdout.write(
      `${c.label.padEnd(32)} ${method.padEnd(9)} ${status.padEnd(10)} ${seconds.toFixed(3).padStart(10)} ${estimate.toPrecision(3).padStart(11)} ${ratio.toPrecision(3).padStart(8)}\n`,
    );
  }
}
process.stdout.write(`\nestimate / measured per method over the solves of ${SHORT} s or more (>= 1: on the long side, as the refusal needs):\n`);
for (const [method, r] of ratios) process.stdout.write(`  ${method.padEnd(9)} min ${Math.min(...r).toPrecision(3)} max ${Math.max(...r).toPrecision(3)}\n`);
