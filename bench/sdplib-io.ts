/**
 * What the SDPLIB benchmarks share: the published optima of a directory (OPTIMA.txt) and CSDP
 * run on a file as a child process.
 */
import { readFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export interface Published {
  kind: 'value' | 'primal_infeasible' | 'dual_infeasible';
  value: number;
  /** Significant digits printed. */
  sig: number;
  /** Half a unit of the last printed digit. */
  halfUlp: number;
}

export function readOptima(path: string): Map<string, Published> {
  const out = new Map<string, Published>();
  if (!existsSync(path)) return out;
  for (const raw of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [name, ...rest] = line.split(/\s+/);
    const tail = rest.join(' ');
    if (/^primal infeasible$/i.test(tail)) out.set(name!, { kind: 'primal_infeasible', value: NaN, sig: 0, halfUlp: 0 });
    else if (/^dual infeasible$/i.test(tail)) out.set(name!, { kind: 'dual_infeasible', value: NaN, sig: 0, halfUlp: 0 });
    else {
      const m = /^([+-]?)(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?$/.exec(rest[0] ?? '');
      const value = Number(rest[0]);
      if (!m || !Number.isFinite(value)) continue;
      const digits = (m[2]! + m[3]!).replace(/^0+/, '');
      const exp = Number(m[4] ?? 0);
      out.set(name!, { kind: 'value', value, sig: Math.max(1, digits.length), halfUlp: 0.5 * 10 ** (exp - m[3]!.length) });
    }
  }
  return out;
}

export interface CsdpRun {
  seconds: number;
  iterations: number;
  objective: number;
  status: string;
}

/**
 * CSDP's process start as the benchmark spawns it: `csdp` without arguments prints its usage
 * and exits (its libraries loaded, no file read). Its wall time is in every CSDP time of the
 * table; on this machine it has ranged from a few ms to ~10 ms between hosts.
 */
export function csdpStartSeconds(): number {
  const t0 = performance.now();
  spawnSync('csdp', [], { encoding: 'utf8' });
  return (performance.now() - t0) / 1000;
}

export function haveCsdp(): boolean {
  const r = spawnSync('sh', ['-c', 'command -v csdp'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim().length > 0;
}

export function runCsdp(file: string): CsdpRun {
  const t0 = performance.now();
  const r = spawnSync('csdp', [file], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - t0) / 1000;
  const text = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const obj = /Primal objective value:\s*([-+0-9.eE]+)/.exec(text);
  const its = text.match(/^Iter:\s*\d+/gm);
  let status = 'unknown';
  if (/primal infeasible/i.test(text)) status = 'infeasible(D)';
  else if (/dual infeasible/i.test(text)) status = 'infeasible(P)';
  else if (/Partial Success/i.test(text)) status = 'partial';
  else if (/Success: SDP solved/i.test(text)) status = 'optimal';
  return { seconds, iterations: its ? Number(its[its.length - 1]!.replace(/\D+/, '')) : NaN, objective: obj ? Number(obj[1]) : NaN, status };
}
