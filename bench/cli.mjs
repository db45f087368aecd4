#!/usr/bin/env node
/**
 * `npm run bench:cli -- [--runs 20] [--against DIR]`: start-up of the compiled `netisac`
 * command (dist/, run `npm run build` first; `npm ci` does), and the solve time it reports.
 *
 * Measures whole processes, as a user waits for them: `netisac --help` (target <= 150 ms
 * wall) and a paper-scale `netisac solve --method fixed` (the Fig. 2 scenario: 4 BSs,
 * 5 users, 8 antennas; target <= 400 ms wall), plus `node -e 0` as the floor. With
 * hyperfine on PATH it runs hyperfine (wall mean, user and system CPU); otherwise a
 * node loop (wall only). Wall times on a shared machine are inflated by other load; the
 * CPU times (user + system) are less so.
 *
 * Then the number a user reads (issue 10 item 4a: <= 40 ms): the paper `fixed` solve's
 * `detail.sdpSeconds`, the conic solve as `solve --json` reports it, over 3 x runs fresh
 * processes (median and quartiles: this host's speed moves single sets by 30-45 %). With
 * `--against DIR` (another checkout with its own dist/, e.g. a `git worktree` of an earlier
 * commit) the processes alternate between the two packages and the paired median ratio is
 * printed: the comparison that survives the host's drift.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 20;
const bin = join(root, 'bin', 'netisac.js');
if (!existsSync(join(root, 'dist', 'cli', 'run.js'))) {
  console.error('bench:cli: dist/ is missing; run `npm run build` first');
  process.exit(1);
}
const fig2 = join(root, 'examples', 'fig2.json');
const cases = [
  { name: 'node -e 0 (floor)', args: ['-e', '0'], target: undefined },
  { name: 'netisac --help', args: [bin, '--help'], target: 150 },
  { name: 'netisac solve fig2 --method fixed', args: [bin, 'solve', fig2, '--method', 'fixed', '--receiver', '1', '--association', '0,0,2,2,3'], target: 400 },
];

const hyperfine = spawnSync('hyperfine', ['--version'], { encoding: 'utf8' }).status === 0;
const rows = [];
if (hyperfine) {
  const out = join(mkdtempSync(join(tmpdir(), 'netisac-bench-')), 'cli.json');
  const quoted = (a) => `'${a.replace(/'/g, "'\\''")}'`;
  const commands = cases.map((c) => [process.execPath, ...c.args].map(quoted).join(' '));
  const r = spawnSync('hyperfine', ['-N', '--warmup', '3', '--runs', String(runs), '--export-json', out, ...commands], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
  const results = JSON.parse(readFileSync(out, 'utf8')).results;
  results.forEach((res, i) =>
    rows.push({ ...cases[i], wall: res.mean * 1000, sd: res.stddev * 1000, min: res.min * 1000, cpu: (res.user + res.system) * 1000 }),
  );
} else {
  for (const c of cases) {
    const times = [];
    for (let i = 0; i < runs + 3; i++) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, c.args, { stdio: 'ignore' });
      if (r.status !== 0) throw new Error(`${c.name} failed`);
      if (i >= 3) times.push(performance.now() - t0);
    }
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    const sd = Math.sqrt(times.reduce((a, b) => a + (b - mean) ** 2, 0) / (times.length - 1));
    rows.push({ ...c, wall: mean, sd, min: Math.min(...times), cpu: undefined });
  }
}

const fmt = (x) => (x === undefined ? '—' : `${x.toFixed(0)} ms`);
console.log(`${hyperfine ? 'hyperfine' : 'node loop'}, ${runs} runs each (Node ${process.version})`);
console.log('| process | wall mean ± sd | wall min | CPU (user+sys) | target (wall) |');
console.log('| --- | --- | --- | --- | --- |');
for (const r of rows) {
  const verdict = r.target === undefined ? '' : `${r.target} ms: ${r.wall <= r.target ? 'met' : `missed (min ${r.min <= r.target ? 'within' : 'above'})`}`;
  console.log(`| ${r.name} | ${fmt(r.wall)} ± ${r.sd.toFixed(0)} | ${fmt(r.min)} | ${fmt(r.cpu)} | ${verdict} |`);
}

// ---- the reported solve of the paper case, alternating with --against when given
const againstArg = process.argv.indexOf('--against');
const against = againstArg > 0 ? process.argv[againstArg + 1] : undefined;
if (against !== undefined && !existsSync(join(against, 'dist', 'cli', 'run.js'))) {
  console.error(`bench:cli: ${against} has no dist/ (run \`npm run build\` there)`);
  process.exit(2);
}
const packages = against === undefined ? [root] : [root, against];
const solveArgs = (dir) => [
  join(dir, 'bin', 'netisac.js'),
  'solve',
  join(dir, 'examples', 'fig2.json'),
  '--method',
  'fixed',
  '--receiver',
  '1',
  '--association',
  '0,0,2,2,3',
  '--json',
];
const reported = packages.map(() => []);
for (let i = 0; i < 3 * runs; i++) {
  packages.forEach((dir, j) => {
    const r = spawnSync(process.execPath, solveArgs(dir), { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`netisac solve in ${dir} failed: ${r.stderr}`);
    reported[j].push(1000 * JSON.parse(r.stdout).detail.sdpSeconds);
  });
}
const quantile = (a, q) => [...a].sort((x, y) => x - y)[Math.floor(q * (a.length - 1))];
console.log('');
console.log(`reported solve of the paper \`fixed\` case (detail.sdpSeconds), ${3 * runs} fresh processes${against ? ', alternating' : ''}:`);
console.log('| package | median | quartiles | target |');
console.log('| --- | --- | --- | --- |');
packages.forEach((dir, j) => {
  const med = quantile(reported[j], 0.5);
  console.log(
    `| ${dir === root ? 'this one' : dir} | ${med.toFixed(1)} ms | ${quantile(reported[j], 0.25).toFixed(1)}-${quantile(reported[j], 0.75).toFixed(1)} ms | 40 ms: ${med <= 40 ? 'met' : 'missed'} |`,
  );
});
if (against !== undefined) {
  const ratios = reported[0].map((x, i) => x / reported[1][i]);
  console.log(`paired median ratio, this one / ${against}: ${quantile(ratios, 0.5).toFixed(3)}`);
}
