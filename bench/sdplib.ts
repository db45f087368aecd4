/**
 * SDPLIB benchmark: `npm run bench:sdplib -- [DIR]` (default ../shared/sdplib).
 * Solves every *.dat-s in DIR, compares with DIR/OPTIMA.txt (`name value` or
 * `name primal infeasible` / `name dual infeasible`, `#` comments) and, when `csdp` is on
 * PATH, runs CSDP on the same file as a child process for the time ratio.
 * Our time is parse + solve inside this process (after one untimed JIT warm-up solve);
 * CSDP's is the child's wall time, which includes its process start (a few ms).
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve, basename } from 'node:path';
import { solveSdpa } from '../src/conic/sdpa.ts';

interface Published {
  kind: 'value' | 'primal_infeasible' | 'dual_infeasible';
  value: number;
  /** Significant digits printed. */
  sig: number;
  /** Half a unit of the last printed digit. */
  halfUlp: number;
}

function readOptima(path: string): Map<string, Published> {
  const out = new Map<string, Published>();
  if (!existsSync(path)) return out;
  for (const raw of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [name, ...rest] = line.split(/\s+/);
    const tail = rest.join(' ');
    if (/^primal infeasible$/i.test(tail)) out.set(name, { kind: 'primal_infeasible', value: NaN, sig: 0, halfUlp: 0 });
    else if (/^dual infeasible$/i.test(tail)) out.set(name, { kind: 'dual_infeasible', value: NaN, sig: 0, halfUlp: 0 });
    else {
      const m = /^([+-]?)(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?$/.exec(rest[0] ?? '');
      const value = Number(rest[0]);
      if (!m || !Number.isFinite(value)) continue;
      const digits = (m[2] + m[3]).replace(/^0+/, '');
      const exp = Number(m[4] ?? 0);
      out.set(name, { kind: 'value', value, sig: Math.max(1, digits.length), halfUlp: 0.5 * 10 ** (exp - m[3].length) });
    }
  }
  return out;
}

interface CsdpRun {
  seconds: number;
  objective: number;
  status: string;
}

function haveCsdp(): boolean {
  const r = spawnSync('sh', ['-c', 'command -v csdp'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim().length > 0;
}

function runCsdp(file: string): CsdpRun {
  const t0 = performance.now();
  const r = spawnSync('csdp', [file], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - t0) / 1000;
  const text = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const obj = /Primal objective value:\s*([-+0-9.eE]+)/.exec(text);
  let status = 'unknown';
  if (/primal infeasible/i.test(text)) status = 'infeasible(D)';
  else if (/dual infeasible/i.test(text)) status = 'infeasible(P)';
  else if (/Partial Success/i.test(text)) status = 'partial';
  else if (/Success: SDP solved/i.test(text)) status = 'optimal';
  return { seconds, objective: obj ? Number(obj[1]) : NaN, status };
}

const CAP = 10;

function main(): void {
  const dir = resolve(process.argv[2] ?? '../shared/sdplib');
  if (!existsSync(dir)) {
    process.stderr.write(`bench:sdplib: no directory ${dir}\n`);
    process.exitCode = 2;
    return;
  }
  const files = readdirSync(dir).filter((f) => f.endsWith('.dat-s')).sort();
  const optima = readOptima(join(dir, 'OPTIMA.txt'));
  const csdp = haveCsdp();
  // JIT warm-up on the smallest file, untimed
  const smallest = files.map((f) => join(dir, f)).sort((a, b) => readFileSync(a).length - readFileSync(b).length)[0];
  if (smallest) solveSdpa(readFileSync(smallest, 'utf8'), {}, smallest);

  const header = ['instance', 'status', 'objective', 'published', 'digits', 'ok', 'iter', 'sec', ...(csdp ? ['csdp sec', 'ratio'] : [])];
  const rows: string[][] = [header];
  const ratios: number[] = [];
  let failures = 0;
  for (const f of files) {
    const name = basename(f, '.dat-s');
    const path = join(dir, f);
    const text = readFileSync(path, 'utf8');
    const t0 = performance.now();
    const r = solveSdpa(text, {}, path);
    const sec = (performance.now() - t0) / 1000;
    const pub = optima.get(name);
    let published = '-';
    let digits = '-';
    let ok = '-';
    if (pub?.kind === 'value') {
      published = String(pub.value);
      const rel = Math.abs(r.objective - pub.value) / Math.max(Math.abs(pub.value), 1e-300);
      digits = Number.isFinite(rel) ? Math.min(CAP, rel === 0 ? CAP : -Math.log10(rel)).toFixed(1) : '0.0';
      const agrees = r.status === 'optimal' && Math.abs(r.objective - pub.value) <= pub.halfUlp * (1 + 1e-9);
      ok = agrees ? 'yes' : 'NO';
      if (!agrees && !name.startsWith('hinf')) failures++;
    } else if (pub) {
      published = pub.kind;
      ok = r.status === pub.kind ? 'yes' : 'NO';
      if (r.status !== pub.kind) failures++;
    }
    const row = [name, r.status + (r.almost ? '*' : ''), Number.isFinite(r.objective) ? r.objective.toPrecision(9) : String(r.objective), published, digits, ok, String(r.iterations), sec.toFixed(3)];
    if (csdp) {
      const c = runCsdp(path);
      const ratio = sec / c.seconds;
      ratios.push(ratio);
      row.push(c.seconds.toFixed(3), ratio.toFixed(2));
    }
    rows.push(row);
    process.stderr.write(`${name} done\n`);
  }
  const widths = header.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) process.stdout.write(`${r.map((cell, c) => (c === 0 || c === 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')}\n`);
  process.stdout.write('\n* = reduced accuracy (almost). digits = -log10 relative error vs published, capped at 10;\n');
  process.stdout.write('ok = agrees to the printed digits (infeasible: same certificate).\n');
  if (ratios.length > 0) {
    const gm = Math.exp(ratios.reduce((s, v) => s + Math.log(v), 0) / ratios.length);
    process.stdout.write(`geometric mean of time ratio (ours / CSDP): ${gm.toFixed(2)} over ${ratios.length} instances\n`);
  } else process.stdout.write('csdp not found on PATH: no time comparison\n');
  process.stdout.write(`disagreements (hinf excluded): ${failures}\n`);
}

main();
