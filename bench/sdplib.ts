/**
 * SDPLIB benchmark: `npm run bench:sdplib -- [DIR] [--repeat N]` (default ../shared/sdplib, N = 5).
 * Solves every *.dat-s in DIR cold and warm and compares with DIR/OPTIMA.txt (`name value` or
 * `name primal infeasible` / `name dual infeasible`, `#` comments):
 * - cold: as a user runs it, `netisac sdpa FILE --json` in a fresh Node process; its time is
 *   the `seconds` field (parse + solve, JIT warm-up included, process start excluded);
 * - warm: in this process after every instance has been solved once untimed (JIT warm), with
 *   the command's settings (no certified bound: `netisac sdpa` certifies one only with --bound).
 * When `csdp` is on PATH it runs CSDP on the same file as a child process (its wall time,
 * which includes its process start) and prints both time ratios. Our cold time leaves Node's
 * start out, CSDP's holds its own: so the run also times CSDP's bare start (`csdp` without
 * arguments, once per run of an instance) and gives the cold ratio against CSDP's time less
 * that start, over the instances where CSDP takes at least twice its start (below that the
 * difference is mostly noise).
 *
 * Each instance is run N times, cold and CSDP alternating (this machine's speed moves by
 * 20-40 % between minutes, and a small instance's single cold run by as much), and every time
 * in the table is the median of its N runs. The last lines give the geometric means of the
 * median ratios and, to show the spread, the range of the geometric mean of each repetition's
 * own ratios. Status, objective and iterations are the first cold run's (every run solves the
 * same file the same way).
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve, basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { solveSdpa } from '../src/conic/sdpa.ts';
import { csdpStartSeconds, haveCsdp, readOptima, runCsdp, type CsdpRun, type Published } from './sdplib-io.ts';
import { median as finiteMedian } from '../src/report/stats.ts';

/** The median of the finite values (a failed run's NaN left out), NaN when there are none. */
const median = (v: number[]): number => finiteMedian(v) ?? NaN;

const CAP = 10;

interface OurRun {
  status: string;
  almost: boolean;
  objective: number;
  iterations: number;
  seconds: number;
}

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'netisac.js');

/** `netisac sdpa FILE --json` in a fresh process, as a user runs it. */
function runCold(file: string): OurRun {
  const r = spawnSync(process.execPath, [CLI, 'sdpa', file, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  try {
    const j = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as Record<string, unknown>;
    const num = (v: unknown) => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : Number(v));
    return { status: String(j.status), almost: j.almost === true, objective: num(j.objective), iterations: Number(j.iterations), seconds: Number(j.seconds) };
  } catch {
    // say why in the log (the table keeps one word)
    const why = (r.stderr ?? '').trim().split('\n').slice(-3).join(' | ');
    process.stderr.write(`${basename(file)}: cold run failed (exit ${r.status}, signal ${r.signal ?? '-'}): ${why}\n`);
    return { status: 'failed', almost: false, objective: NaN, iterations: 0, seconds: NaN };
  }
}

function runWarm(path: string): OurRun {
  const text = readFileSync(path, 'utf8');
  const t0 = performance.now();
  // as `netisac sdpa FILE` solves it: without the certified bound it prints only with --bound
  const r = solveSdpa(text, { certifyBound: false }, path);
  return { status: r.status, almost: r.almost, objective: r.objective, iterations: r.iterations, seconds: (performance.now() - t0) / 1000 };
}

function agreement(name: string, r: OurRun, pub: Published | undefined): { published: string; digits: string; ok: string; bad: boolean } {
  if (pub?.kind === 'value') {
    const rel = Math.abs(r.objective - pub.value) / Math.max(Math.abs(pub.value), 1e-300);
    const digits = Number.isFinite(rel) ? Math.min(CAP, rel === 0 ? CAP : -Math.log10(rel)).toFixed(1) : '0.0';
    const agrees = r.status === 'optimal' && Math.abs(r.objective - pub.value) <= pub.halfUlp * (1 + 1e-9);
    return { published: String(pub.value), digits, ok: agrees ? 'yes' : 'NO', bad: !agrees && !name.startsWith('hinf') };
  }
  if (pub) return { published: pub.kind, digits: '-', ok: r.status === pub.kind ? 'yes' : 'NO', bad: r.status !== pub.kind };
  return { published: '-', digits: '-', ok: '-', bad: false };
}

const geoMean = (v: number[]): number => Math.exp(v.reduce((s, x) => s + Math.log(x), 0) / v.length);

/** DIR and --repeat N from the command line (exit code 2 on a bad N). */
function parseArgs(argv: string[]): { dir: string; repeat: number } | null {
  let dir = '../shared/sdplib';
  let repeat = 5;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--repeat') {
      repeat = Number(argv[++i]);
      if (!Number.isInteger(repeat) || repeat < 1 || repeat > 100) {
        process.stderr.write(`bench:sdplib: --repeat must be an integer from 1 to 100, got ${argv[i] ?? 'nothing'}\n`);
        return null;
      }
    } else dir = argv[i]!;
  }
  return { dir: resolve(dir), repeat };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  if (!args) {
    process.exitCode = 2;
    return;
  }
  const { dir, repeat } = args;
  if (!existsSync(dir)) {
    process.stderr.write(`bench:sdplib: no directory ${dir}\n`);
    process.exitCode = 2;
    return;
  }
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.dat-s'))
    .sort();
  const optima = readOptima(join(dir, 'OPTIMA.txt'));
  const csdp = haveCsdp();
  // JIT warm-up for the warm column: every instance once, untimed
  for (const f of files) runWarm(join(dir, f));

  const header = [
    'instance',
    'status',
    'objective',
    'published',
    'digits',
    'ok',
    'iter',
    'cold s',
    'warm s',
    ...(csdp ? ['csdp it', 'csdp s', 'cold/csdp', 'warm/csdp'] : []),
  ];
  const rows: string[][] = [header];
  const coldRatios: number[] = [];
  const warmRatios: number[] = [];
  // per repetition, every instance's cold / CSDP and warm / CSDP (for the spread line)
  const perRep = Array.from({ length: repeat }, () => ({ cold: [] as number[], warm: [] as number[] }));
  let failures = 0;
  const starts: number[] = [];
  const coldVsSolve: { name: string; cold: number; csdp: number }[] = [];
  for (const f of files) {
    const name = basename(f, '.dat-s');
    const path = join(dir, f);
    const colds: OurRun[] = [];
    const warms: OurRun[] = [];
    const csdps: number[] = [];
    let c: CsdpRun | undefined;
    for (let r = 0; r < repeat; r++) {
      colds.push(runCold(path));
      warms.push(runWarm(path));
      if (csdp) {
        c = runCsdp(path);
        csdps.push(c.seconds);
        starts.push(csdpStartSeconds());
        const last = colds[r]!.seconds;
        if (Number.isFinite(last)) perRep[r]!.cold.push(last / c.seconds);
        perRep[r]!.warm.push(warms[r]!.seconds / c.seconds);
      }
    }
    const cold = colds[0]!;
    const warm = warms[0]!;
    const coldS = median(colds.map((x) => x.seconds));
    const warmS = median(warms.map((x) => x.seconds));
    const a = agreement(name, cold, optima.get(name));
    if (a.bad) failures++;
    const obj = Number.isFinite(cold.objective) ? cold.objective.toPrecision(9) : String(cold.objective);
    const iters = cold.iterations === warm.iterations ? String(cold.iterations) : `${cold.iterations}/${warm.iterations}`;
    const row = [name, cold.status + (cold.almost ? '*' : ''), obj, a.published, a.digits, a.ok, iters, coldS.toFixed(3), warmS.toFixed(3)];
    if (csdp && c) {
      const csdpS = median(csdps);
      if (Number.isFinite(coldS)) {
        coldRatios.push(coldS / csdpS);
        coldVsSolve.push({ name, cold: coldS, csdp: csdpS });
      }
      warmRatios.push(warmS / csdpS);
      row.push(String(c.iterations), csdpS.toFixed(3), (coldS / csdpS).toFixed(2), (warmS / csdpS).toFixed(2));
    }
    rows.push(row);
    process.stderr.write(`${name} done\n`);
  }
  const widths = header.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows) process.stdout.write(`${r.map((cell, c) => (c === 0 || c === 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')}\n`);
  process.stdout.write('\n* = reduced accuracy (almost). digits = -log10 relative error vs published, capped at 10;\n');
  process.stdout.write('ok = agrees to the printed digits (infeasible: same certificate). status/objective/ok: the first cold run.\n');
  process.stdout.write(`times: medians of ${repeat} runs each, cold and CSDP alternating.\n`);
  if (warmRatios.length > 0) {
    process.stdout.write(
      `geometric mean of time ratio: cold/CSDP ${geoMean(coldRatios).toFixed(2)} over ${coldRatios.length} instances, ` +
        `warm/CSDP ${geoMean(warmRatios).toFixed(2)} over ${warmRatios.length}\n`,
    );
    if (repeat > 1) {
      const range = (v: number[]) => `${Math.min(...v).toFixed(2)}-${Math.max(...v).toFixed(2)}`;
      process.stdout.write(
        `each repetition on its own: cold/CSDP ${range(perRep.map((r) => geoMean(r.cold)))}, warm/CSDP ${range(perRep.map((r) => geoMean(r.warm)))}\n`,
      );
    }
    const start = median(starts);
    const solving = coldVsSolve.filter((x) => x.csdp >= 2 * start);
    const left = coldVsSolve.filter((x) => x.csdp < 2 * start).map((x) => x.name);
    process.stdout.write(
      `CSDP's process start (csdp without arguments): median ${(start * 1000).toFixed(1)} ms; ` +
        `cold/(CSDP - its start) ${geoMean(solving.map((x) => x.cold / (x.csdp - start))).toFixed(2)} over ${solving.length} instances ` +
        `(left out, CSDP under twice its start: ${left.join(', ') || 'none'})\n`,
    );
  } else process.stdout.write('csdp not found on PATH: no time comparison\n');
  process.stdout.write(`disagreements (hinf excluded): ${failures}\n`);
}

main();
