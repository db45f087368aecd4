/**
 * `npx tsx bench/memory.ts [--quick] [--methods fixed,proposed,...] [--cap SECONDS]`
 *
 * How far the two memory checks that guard a solve are from the memory it uses. Each (network,
 * method) runs in its own Node process, whose peak resident set (the kernel's VmHWM, polled
 * every 50 ms, and the child's own maxRSS at exit) is set against:
 * - `est.`: the up-front estimate of `netisac solve` (design/solve.ts estimateSolveBytes), from
 *   the scenario's sizes before anything is built: the method's first SDP;
 * - `solver`: the conic solver's own check of the largest SDP it was given (conic/solve.ts
 *   solvePeakBytes, run before each solve allocates; a fallback's real embedding included),
 *   which catches what grew beyond the up-front estimate (an active set taking in every
 *   candidate pair).
 * Both refuse what they price above half the machine's memory, so the solver's check must stay
 * on the large side (ratio >= 1) on every run, and the up-front one on the methods whose SDP
 * does not grow (fixed, scheme2), without refusing what fits: ratios far above 1 are the other
 * defect. A process still running after --cap seconds (default 120) is stopped and its peak so
 * far reported (`capped`: a lower bound of its true peak). The first row is a three-user solve:
 * the process's own footprint (Node, tsx, the modules), which the estimates leave out and the
 * "net" column subtracts.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateScenario } from '../src/model/generate.ts';
import { parseScenario } from '../src/model/scenario.ts';
import { estimateSolveBytes, solveScenarioSync } from '../src/design/solve.ts';
import { sdpStats } from '../src/design/sdp.ts';
import type { Method } from '../src/design/api.ts';
import { useThisMachinesMemory } from '../src/machine-memory.ts';
import { fixedChoice } from './campaign.ts';
import { type Case, hexagon, methodsOption, option, paper } from './network-cases.ts';

const BASELINE = paper(3, 4, 1, 0, ['fixed']);
const FULL: Case[] = [
  paper(24, 32, 1, 0),
  paper(60, 64, 1, 0, ['fixed', 'scheme2', 'proposed']),
  hexagon(1, 30, 16, 1, 0),
  hexagon(2, 30, 8, 2, 0, ['fixed', 'scheme1', 'proposed', 'exact']),
  hexagon(2, 60, 16, 1, 0, ['fixed', 'scheme3', 'scheme1', 'proposed', 'exact']),
  hexagon(2, 60, 32, 1, 0, ['fixed', 'scheme1', 'proposed', 'exact']),
];
const QUICK: Case[] = [paper(12, 16, 1, 0), hexagon(1, 15, 16, 2, 0, ['fixed', 'proposed'])];
const MIB = 2 ** 20;

// as the CLI does: the memory limits of this machine, not the browser's default
useThisMachinesMemory();

/** Child mode: solve one case with one method, print the process's peak resident bytes. */
function child(c: Case, method: Method): void {
  const scn = parseScenario(generateScenario(c.opts));
  const extra = method === 'fixed' ? fixedChoice(scn) : {};
  const d = solveScenarioSync(scn, { method, force: true, timeLimit: 600, ...extra });
  const { largestRows: rows, largestNonzeros: nonzeros, largestBytes: guard } = sdpStats;
  process.stdout.write(`${JSON.stringify({ status: d.status, maxRss: process.resourceUsage().maxRSS * 1024, rows, nonzeros, guard })}\n`);
}

/** The kernel's high-water mark of a process's resident set, in bytes (0 once it has gone). */
function highWater(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

interface Run {
  status: string;
  peak: number;
  seconds: number;
  /** The largest SDP the solve built: its rows, the non-zeros of A and the conic solver's own estimate of its peak (unknown when capped). */
  rows?: number;
  nonzeros?: number;
  guard?: number;
}

/** Runs one case in a fresh process, stopping it after `cap` seconds. */
function measure(index: number, method: Method, cap: number): Promise<Run> {
  const self = fileURLToPath(import.meta.url);
  const args = ['--import', 'tsx', self, '--child', String(index), method, ...process.argv.slice(2)];
  const t0 = performance.now();
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let polled = 0;
  let capped = false;
  proc.stdout.on('data', (b: Buffer) => {
    out += b.toString();
  });
  const poll = setInterval(() => {
    polled = Math.max(polled, highWater(proc.pid!));
    if (performance.now() - t0 > cap * 1000 && !capped) {
      capped = true;
      proc.kill('SIGKILL');
    }
  }, 50);
  return new Promise((resolve) => {
    proc.on('close', () => {
      clearInterval(poll);
      const seconds = (performance.now() - t0) / 1000;
      if (capped) return resolve({ status: 'capped', peak: polled, seconds });
      try {
        const r = JSON.parse(out) as { status: string; maxRss: number; rows: number; nonzeros: number; guard: number };
        resolve({ status: r.status, peak: Math.max(polled, r.maxRss), seconds, rows: r.rows, nonzeros: r.nonzeros, guard: r.guard });
      } catch {
        resolve({ status: 'crashed', peak: polled, seconds });
      }
    });
  });
}

/** The conic solver's own estimate for the largest SDP it was given (its check before it allocates) and its ratio to the net peak. */
function guardCells(run: Run, net: number): string {
  if (run.guard === undefined) return `${'-'.padStart(10)} ${'-'.padStart(6)}`;
  return `${(run.guard / MIB).toFixed(0).padStart(10)} ${(run.guard / Math.max(net, MIB)).toPrecision(3).padStart(6)}`;
}

const cases = [BASELINE, ...(process.argv.includes('--quick') ? QUICK : FULL)];
const childAt = process.argv.indexOf('--child');
if (childAt >= 0) {
  child(cases[Number(process.argv[childAt + 1])]!, process.argv[childAt + 2] as Method);
} else {
  const methods = methodsOption('memory');
  const cap = Number(option('--cap') ?? 120);
  if (!(cap > 0)) {
    process.stderr.write('bench/memory: --cap: must be a positive number of seconds\n');
    process.exit(2);
  }
  process.stdout.write(
    `${'network'.padEnd(30)} ${'method'.padEnd(9)} ${'status'.padEnd(10)} ${'s'.padStart(6)} ${'peak MiB'.padStart(9)} ${'net MiB'.padStart(8)} ${'est. MiB'.padStart(9)} ${'est/net'.padStart(8)} ${'SDP rows'.padStart(8)} ${'A nnz'.padStart(10)} ${'solver MiB'.padStart(10)} ${'/net'.padStart(6)}\n`,
  );
  let base = 0;
  const ratios = new Map<Method, number[]>();
  const solverRatios = new Map<Method, number[]>();
  for (const [index, c] of cases.entries()) {
    const scn = parseScenario(generateScenario(c.opts));
    // the baseline runs whatever --methods says: every net peak below is measured from it
    for (const method of index === 0 ? BASELINE.only! : methods) {
      if (c.only && !c.only.includes(method)) continue;
      const run = await measure(index, method, cap);
      if (index === 0) base = run.peak;
      const net = run.peak - base;
      const estimate = estimateSolveBytes(scn, method);
      const ratio = index === 0 ? NaN : estimate / Math.max(net, MIB);
      if (index > 0 && net >= 64 * MIB) {
        ratios.set(method, [...(ratios.get(method) ?? []), ratio]);
        if (run.guard !== undefined) solverRatios.set(method, [...(solverRatios.get(method) ?? []), run.guard / net]);
      }
      const cells = [run.seconds.toFixed(1).padStart(6), (run.peak / MIB).toFixed(0).padStart(9), (net / MIB).toFixed(0).padStart(8)];
      const ratioCell = Number.isNaN(ratio) ? '' : ratio.toPrecision(3);
      process.stdout.write(
        `${c.label.padEnd(30)} ${method.padEnd(9)} ${run.status.padEnd(10)} ${cells.join(' ')} ${(estimate / MIB).toFixed(0).padStart(9)} ${ratioCell.padStart(8)} ${String(run.rows ?? '-').padStart(8)} ${String(run.nonzeros ?? '-').padStart(10)} ${guardCells(run, net)}\n`,
      );
    }
  }
  process.stdout.write(`\nestimate / net peak per method over the runs that used 64 MiB or more (>= 1: on the long side, as the refusal needs):\n`);
  const range = (r: number[] | undefined) => (r ? `min ${Math.min(...r).toPrecision(3)} max ${Math.max(...r).toPrecision(3)}` : '-');
  for (const [method, r] of ratios) process.stdout.write(`  ${method.padEnd(9)} up front ${range(r)}; the solver's check ${range(solverRatios.get(method))}\n`);
}
