/**
 * `npm run bench:design -- [--instances 20] [--seed 1] [--no-large] [--large-time-limit 60]`
 *
 * Runs every method on seeded instances of the paper's setting (S = 4, K = 5, N = 8,
 * Table I, Gamma = 8 dB, eps = 1) and prints, per method: median and max seconds, mean
 * total power over feasible instances, feasibility count and the gap to the `exact`
 * optimum; `fixed` is timed at the optimum's receiver and association. Then one larger
 * network (7 BSs in a hexagon, K = 15, N = 16): `proposed` and `exact` with a time limit.
 * Also reports where the time goes (share inside the conic solver, SDP calls, IPM
 * iterations per call), and `fixed` with three targets against one (bench/targets.ts).
 */
import { generateScenario } from '../src/model/generate.ts';
import { parseScenario } from '../src/model/scenario.ts';
import type { Scenario } from '../src/model/types.ts';
import { solveScenarioSync } from '../src/design/solve.ts';
import type { DesignJson, Method } from '../src/design/api.ts';
import { benchTargets } from './targets.ts';

interface Args {
  instances: number;
  seed: number;
  large: boolean;
  largeTimeLimit: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { instances: 20, seed: 1, large: true, largeTimeLimit: 60 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1];
    if (k === '--instances') (a.instances = Number(v)), i++;
    else if (k === '--seed') (a.seed = Number(v)), i++;
    else if (k === '--no-large') a.large = false;
    else if (k === '--large-time-limit') (a.largeTimeLimit = Number(v)), i++;
    else {
      process.stderr.write(`bench:design: unknown argument '${k}'\n`);
      process.exit(2);
    }
  }
  return a;
}

const median = (v: number[]): number => {
  if (v.length === 0) return NaN;
  const s = [...v].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

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

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const methods: Method[] = ['exact', 'fixed', 'proposed', 'scheme1', 'scheme2', 'scheme3'];
  const rows = new Map<string, Row>(methods.map((m) => [m, { seconds: [], sdpSeconds: [], sdpCalls: [], sdpIterations: [], power: [], feasible: 0, gaps: [], failed: 0 }]));
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

  if (args.large) {
    process.stdout.write(`\n# larger network: 7 BSs (hexagon), K = 15, N = 16, exact with --time-limit ${args.largeTimeLimit}\n`);
    const scn = parseScenario(
      generateScenario({ seed: args.seed, users: 15, antennas: 16, layout: 'hexagon', radius: 200, minSinrDb: 8, crlbMax: 1 }),
    );
    for (const m of ['proposed', 'exact'] as Method[]) {
      const d = solveScenarioSync(scn, { method: m, timeLimit: m === 'exact' ? args.largeTimeLimit : undefined });
      const det = d.detail ?? {};
      const gap = det.relativeGap;
      process.stdout.write(
        `${m}: ${d.status}${d.stoppedBy ? ` (stopped by ${d.stoppedBy})` : ''}, ${d.totalPower?.toFixed(5) ?? '-'} W, ${d.seconds.toFixed(1)} s, ` +
          `solver ${Number(det.sdpSeconds ?? 0).toFixed(1)} s in ${det.sdpCalls} SDPs` +
          (m === 'exact' ? `, lower bound ${d.lowerBound?.toFixed(5) ?? '-'} W, gap ${typeof gap === 'number' ? (100 * gap).toFixed(3) + '%' : '-'}, ${det.nodes} nodes` : '') +
          '\n',
      );
    }
  }
}

main();
