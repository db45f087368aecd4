/**
 * `npm run bench:design -- [--instances 20] [--seed 1] [--no-large] [--cases hex-K15-N16,...]
 *                         [--methods proposed,exact] [--threads 2] [--large-time-limit S] [--baseline]`
 *
 * Runs every method on seeded instances of the paper's setting (S = 4, K = 5, N = 8,
 * Table I, Gamma = 8 dB, eps = 1) and prints, per method: median and max seconds, mean
 * total power over feasible instances, feasibility count and the gap to the `exact`
 * optimum; `fixed` is timed at the optimum's receiver and association. `--instances 0`
 * skips that part.
 *
 * Then the network cases of issue 11 (default: hex-K15-N16; see NETWORK_CASES): `proposed`,
 * and `exact` on `--threads` worker threads with the case's time limit (or
 * --large-time-limit). `--baseline` first times one root relaxation with the subspace
 * restriction and the active set on and off, side by side in the same process, so that the
 * ratio holds even when the machine is shared.
 * Also reports where the time goes (share inside the conic solver, SDP calls, IPM
 * iterations per call) and the process's peak resident memory, and `fixed` with three
 * targets against one (bench/targets.ts).
 */
import { generateScenario } from '../src/model/generate.ts';
import { parseScenario } from '../src/model/scenario.ts';
import type { Scenario } from '../src/model/types.ts';
import { solveScenario, solveScenarioSync } from '../src/design/solve.ts';
import type { DesignJson, Method } from '../src/design/api.ts';
import { designData } from '../src/design/from-scenario.ts';
import { othersThan, solveRelaxation } from '../src/design/relaxation.ts';
import { benchTargets } from './targets.ts';
import { useThisMachinesMemory } from '../src/machine-memory.ts';
import { median as finiteMedian } from '../src/report/stats.ts';

interface Args {
  instances: number;
  seed: number;
  large: boolean;
  largeTimeLimit?: number;
  cases: string[];
  methods: Method[];
  threads: number;
  baseline: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { instances: 20, seed: 1, large: true, cases: ['hex-K15-N16'], methods: ['proposed', 'exact'], threads: 2, baseline: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1]!;
    if (k === '--instances') (a.instances = Number(v)), i++;
    else if (k === '--seed') (a.seed = Number(v)), i++;
    else if (k === '--no-large') a.large = false;
    else if (k === '--large-time-limit') (a.largeTimeLimit = Number(v)), i++;
    else if (k === '--cases') (a.cases = v.split(',')), i++;
    else if (k === '--methods') (a.methods = v.split(',') as Method[]), i++;
    else if (k === '--threads') (a.threads = Number(v)), i++;
    else if (k === '--baseline') a.baseline = true;
    else {
      process.stderr.write(`bench:design: unknown argument '${k}'\n`);
      process.exit(2);
    }
  }
  return a;
}

const median = (v: number[]): number => finiteMedian(v) ?? NaN;

interface Row {
  seconds: number[];
  sdpSeconds: number[];
  sdpCalls: number[];
  sdpIterations: number[];
  power: number[];
  feasible: number;
  gaps: number[];
  failed: number;
}

function record(row: Row, d: DesignJson, exactPower: number | undefined): void {
  row.seconds.push(d.seconds);
  const det = d.detail ?? {};
  row.sdpSeconds.push(Number(det.sdpSeconds ?? 0));
  row.sdpCalls.push(Number(det.sdpCalls ?? 0));
  row.sdpIterations.push(Number(det.sdpIterations ?? 0));
  if (d.status === 'optimal' || d.status === 'feasible') {
    row.feasible++;
    row.power.push(d.totalPower!);
    if (exactPower !== undefined) row.gaps.push((d.totalPower! - exactPower) / exactPower);
  }
  if (d.status === 'failed') row.failed++;
}

function fmt(x: number, digits = 3): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '-';
}

function table(rows: Map<string, Row>, n: number): string {
  const head = ['method', 'median s', 'max s', 'feasible', 'failed', 'mean W', 'mean gap', 'max gap', 'solver share', 'SDPs', 'IPM it/SDP'];
  const lines = [head.join(' | '), head.map(() => '---').join(' | ')];
  for (const [m, r] of rows) {
    const tot = r.seconds.reduce((a, b) => a + b, 0);
    const sdp = r.sdpSeconds.reduce((a, b) => a + b, 0);
    const calls = r.sdpCalls.reduce((a, b) => a + b, 0);
    const its = r.sdpIterations.reduce((a, b) => a + b, 0);
    const meanP = r.power.length ? r.power.reduce((a, b) => a + b, 0) / r.power.length : NaN;
    const meanGap = r.gaps.length ? r.gaps.reduce((a, b) => a + b, 0) / r.gaps.length : NaN;
    const maxGap = r.gaps.length ? Math.max(...r.gaps) : NaN;
    lines.push(
      [
        m,
        fmt(median(r.seconds)),
        fmt(Math.max(...r.seconds)),
        `${r.feasible}/${n}`,
        String(r.failed),
        fmt(meanP, 4),
        r.gaps.length ? `${(100 * meanGap).toFixed(2)}%` : '-',
        r.gaps.length ? `${(100 * maxGap).toFixed(2)}%` : '-',
        tot > 0 ? `${((100 * sdp) / tot).toFixed(0)}%` : '-',
        fmt(calls / r.seconds.length, 1),
        calls ? fmt(its / calls, 1) : '-',
      ].join(' | '),
    );
  }
  return lines.join('\n');
}

function paperInstance(seed: number): Scenario {
  return parseScenario(generateScenario({ seed, users: 5, antennas: 8, minSinrDb: 8, crlbMax: 1 }));
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // As the CLI does: size checks against this machine's memory, not the browser's 4 GiB default.
  useThisMachinesMemory();
  if (args.instances > 0) paperBenchmark(args);
  if (args.large) await networkBenchmarks(args);
}

function paperBenchmark(args: Args): void {
  const methods: Method[] = ['exact', 'fixed', 'proposed', 'scheme1', 'scheme2', 'scheme3'];
  const rows = new Map<string, Row>(
    methods.map((m) => [m, { seconds: [], sdpSeconds: [], sdpCalls: [], sdpIterations: [], power: [], feasible: 0, gaps: [], failed: 0 }]),
  );
  process.stdout.write(`# bench:design — ${args.instances} instances of the paper's setting (S=4, K=5, N=8, Gamma=8 dB, eps=1)\n\n`);
  for (let i = 0; i < args.instances; i++) {
    const seed = args.seed + i;
    const scn = paperInstance(seed);
    const exact = solveScenarioSync(scn, { method: 'exact' });
    const exactPower = exact.status === 'optimal' ? exact.totalPower : undefined;
    record(rows.get('exact')!, exact, exactPower);
    const line = [`seed ${seed}: exact ${exact.status} ${exact.totalPower?.toFixed(5) ?? '-'} W (${exact.seconds.toFixed(2)} s, ${exact.detail?.nodes} nodes)`];
    if (exact.receiver !== undefined && exact.association) {
      const fixed = solveScenarioSync(scn, { method: 'fixed', receiver: exact.receiver, association: exact.association });
      record(rows.get('fixed')!, fixed, exactPower);
      line.push(`fixed ${fixed.seconds.toFixed(3)} s`);
    }
    for (const m of ['proposed', 'scheme1', 'scheme2', 'scheme3'] as Method[]) {
      const d = solveScenarioSync(scn, { method: m, seed });
      record(rows.get(m)!, d, exactPower);
      line.push(`${m} ${d.status} ${d.totalPower?.toFixed(5) ?? '-'} (${d.seconds.toFixed(2)} s)`);
    }
    process.stdout.write(`${line.join('; ')}\n`);
  }
  process.stdout.write(`\n${table(rows, args.instances)}\n`);
  process.stdout.write('\ntargets: fixed median <= 0.030 s, proposed median <= 1 s, exact median <= 2 s\n');
  benchTargets(Math.min(args.instances, 10), args.seed);
}

/** The network cases of issue 11 (7-BS hexagon, the 19-BS two-ring city network), and a 37-BS three-ring one. */
const NETWORK_CASES: Record<string, { users: number; antennas: number; rings: number; radius: number; exactLimit: number }> = {
  'hex-K15-N16': { users: 15, antennas: 16, rings: 1, radius: 200, exactLimit: 60 },
  'hex-K30-N16': { users: 30, antennas: 16, rings: 1, radius: 200, exactLimit: 120 },
  'hex-K15-N32': { users: 15, antennas: 32, rings: 1, radius: 200, exactLimit: 120 },
  'city19-K60-N32': { users: 60, antennas: 32, rings: 2, radius: 350, exactLimit: 600 },
  'metro37-K30-N8': { users: 30, antennas: 8, rings: 3, radius: 450, exactLimit: 600 },
};

/** Progress of a long solve on stderr, at most every 5 s (stdout keeps the results only). */
function progress(): (fraction: number, message: string) => void {
  let last = performance.now();
  return (_fraction, message) => {
    if (performance.now() - last < 5000) return;
    last = performance.now();
    process.stderr.write(`  ${message}\n`);
  };
}

async function networkBenchmarks(args: Args): Promise<void> {
  for (const name of args.cases) {
    const c = NETWORK_CASES[name];
    if (!c) {
      process.stderr.write(`bench:design: unknown case '${name}' (known: ${Object.keys(NETWORK_CASES).join(', ')})\n`);
      process.exit(2);
    }
    const limit = args.largeTimeLimit ?? c.exactLimit;
    process.stdout.write(
      `\n# ${name}: ${1 + 3 * c.rings * (c.rings + 1)} BSs (hexagon, ${c.rings} ring${c.rings > 1 ? 's' : ''}), K = ${c.users}, N = ${c.antennas}, radius ${c.radius} m\n`,
    );
    const scn = parseScenario(
      generateScenario({
        seed: args.seed,
        users: c.users,
        antennas: c.antennas,
        layout: 'hexagon',
        rings: c.rings,
        radius: c.radius,
        minSinrDb: 8,
        crlbMax: 1,
      }),
    );
    if (args.baseline) rootBaseline(scn);
    for (const m of args.methods) {
      const rss0 = process.memoryUsage().rss;
      const d =
        m === 'exact'
          ? await solveScenario(scn, { method: m, timeLimit: limit, threads: args.threads, force: true, onProgress: progress() })
          : solveScenarioSync(scn, { method: m, force: true, onProgress: progress() });
      const det = d.detail ?? {};
      const gap = det.relativeGap;
      process.stdout.write(
        `${m}: ${d.status}${d.stoppedBy ? ` (stopped by ${d.stoppedBy})` : ''}, ${d.totalPower?.toFixed(6) ?? '-'} W, ${d.seconds.toFixed(1)} s, ` +
          `solver ${Number(det.sdpSeconds ?? 0).toFixed(1)} s in ${det.sdpCalls} SDPs, peak RSS ${(Math.max(rss0, process.memoryUsage().rss) / 2 ** 30).toFixed(2)} GiB` +
          (m === 'exact'
            ? `, --time-limit ${limit}, ${args.threads} threads, lower bound ${(d.lowerBound ?? (det.lowerBound as number | null | undefined))?.toExponential(6) ?? '-'} W, gap ${typeof gap === 'number' ? gap.toExponential(2) : '-'}, ${det.nodes} nodes`
            : '') +
          '\n',
      );
    }
  }
}

/**
 * One root relaxation (receiver BS1) with the levers on and off in the same process: the
 * subspace restriction, the active set, both, neither. A ratio measured side by side.
 */
function rootBaseline(scn: Scenario): void {
  const data = designData(scn);
  const others = othersThan(scn.S, 0);
  const candidates = Array.from({ length: scn.K }, () => others.slice());
  const variants: [string, boolean, number][] = [
    ['subspace + active set', true, 2],
    ['subspace only', true, Infinity],
    ['neither (baseline)', false, Infinity],
  ];
  const times: number[] = [];
  for (const [label, subspace, initialCandidates] of variants) {
    const t0 = performance.now();
    const r = solveRelaxation(data, 0, candidates, undefined, { initialCandidates, subspace });
    const sec = (performance.now() - t0) / 1000;
    times.push(sec);
    process.stdout.write(
      `root relaxation (BS1 receives), ${label}: ${sec.toFixed(2)} s, ${r.status}` +
        (r.status === 'optimal' ? `, bound ${r.bound.toExponential(9)} W, ${r.rounds} round(s), ${r.activeBlocks}/${r.totalBlocks} blocks` : '') +
        '\n',
    );
  }
  process.stdout.write(`  speed-up over the baseline: ${variants.map(([l], i) => `${l} ${(times[2]! / times[i]!).toFixed(2)}x`).join(', ')}\n`);
}

await main();
