import { describe, it, expect, vi, afterEach } from 'vitest';
import { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { register } from '../../src/cli/commands/sdpa.ts';
import { InputError } from '../../src/errors.ts';
import { qapRelaxation } from './qap-gen.ts';
import { rng } from './helpers.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

async function run(args: string[]): Promise<string> {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  try {
    const program = new Command().exitOverride();
    register(program);
    await program.parseAsync(args, { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  return out.join('');
}

afterEach(() => vi.restoreAllMocks());

describe('netisac sdpa', () => {
  it('prints JSON with the SDPA-convention objective', async () => {
    const o = JSON.parse(await run(['sdpa', fixture('example1.dat-s'), '--json']));
    expect(o.status).toBe('optimal');
    expect(o.objective).toBeCloseTo(-41.9, 6);
    expect(o.iterations).toBeGreaterThan(0);
    expect(typeof o.seconds).toBe('number');
  });

  it('certifies a bound on the optimal value with --bound, and skips that work without it', async () => {
    // example1's optimum is -41.9 (both objectives): the certified upper bound on tr(F0 Y)
    // lies at or above it (it is rigorous) and within the solver's gap of it
    const o = JSON.parse(await run(['sdpa', fixture('example1.dat-s'), '--json', '--bound']));
    expect(o.status).toBe('optimal');
    expect(o.dualBound).toBeGreaterThanOrEqual(-41.9 * (1 - 1e-12));
    expect(o.dualBound).toBeLessThan(-41.9 + 41.9 * 1e-6);
    const plain = JSON.parse(await run(['sdpa', fixture('example1.dat-s'), '--json']));
    expect(plain).not.toHaveProperty('dualBound');
    expect(plain.objective).toBe(o.objective); // the same iterates either way
    expect(await run(['sdpa', fixture('example1.dat-s'), '--bound'])).toMatch(/certified bound: tr\(F0 Y\) <= -41\.(?:9|8999)\d* for every feasible Y/);
    // (D) certified infeasible (tr(F1 Y) = -1 with F1 = 1, Y >= 0): no Y, so -inf bounds it
    const dir = mkdtempSync(join(tmpdir(), 'sdpa-'));
    const f = join(dir, 'dinf.dat-s');
    writeFileSync(f, '1\n1\n1\n-1\n1 1 1 1 1\n');
    const d = JSON.parse(await run(['sdpa', f, '--json', '--bound']));
    expect(d.status).toBe('dual_infeasible');
    expect(d.dualBound).toBe('-inf');
  });

  it('solves a QAP relaxation over the face its rows force, or without that when asked', async () => {
    // the generated relaxation (qap-gen.ts) as an SDPA file: (D) max tr(F0 Y), tr(F_k Y) = c_k
    // with F0 = -C, F_k = A_k, c = b; svec coordinates back to matrix entries (i <= j)
    const p = qapRelaxation(4, rng(1), 'random');
    const N = 17;
    const entry = (v: number, e: number, k: number) => {
      for (let j = 0, at = 0; j < N; j++) for (let i = j; i < N; i++, at++) if (at === e) return `${k} 1 ${j + 1} ${i + 1} ${i === j ? v : v * Math.SQRT1_2}`;
      return '';
    };
    const lines = [String(p.A.rows), '1', String(N), Array.from(p.b).join(' ')];
    p.c.forEach((v, e) => {
      if (v !== 0) lines.push(entry(-v, e, 0));
    });
    for (let k = 0; k < p.A.rows; k++) for (let t = p.A.rowPtr[k]!; t < p.A.rowPtr[k + 1]!; t++) lines.push(entry(p.A.values[t]!, p.A.colIdx[t]!, k + 1));
    const f = join(mkdtempSync(join(tmpdir(), 'sdpa-')), 'qap4.dat-s');
    writeFileSync(f, `${lines.join('\n')}\n`);
    const faced = JSON.parse(await run(['sdpa', f, '--json']));
    expect(faced.status).toBe('optimal');
    expect(faced.almost).toBe(false);
    expect(faced.note).toMatch(/face/);
    const plain = JSON.parse(await run(['sdpa', f, '--json', '--no-facial-reduction']));
    expect(plain.almost).toBe(true);
    expect(plain).not.toHaveProperty('note');
    // SDPA's c^T x is minus our minimum: the face's optimum, -3.0594343 (facial-reduction.test.ts)
    expect(faced.objective).toBeCloseTo(3.0594343, 6);
  });

  it('prints a readable summary', async () => {
    const text = await run(['sdpa', fixture('mixed.dat-s')]);
    expect(text).toMatch(/status: optimal/);
    expect(text).toMatch(/primal objective \(SDPA c\^T x\): 3\.0000/);
    expect(text).toMatch(/iterations: \d+/);
  });

  it('reports infeasibility and stops at --max-iter', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sdpa-'));
    const f = join(dir, 'pinf.dat-s');
    writeFileSync(f, '1\n1\n2\n1\n0 1 2 2 1\n1 1 1 1 1\n1 1 2 2 -1\n'); // x >= 0 and x <= -1
    const o = JSON.parse(await run(['sdpa', f, '--json']));
    expect(o.status).toBe('primal_infeasible');
    expect(o.objective).toBe('inf');
    expect(process.exitCode ?? 0).toBe(0);
    const o2 = JSON.parse(await run(['sdpa', fixture('example1.dat-s'), '--json', '--max-iter', '1']));
    expect(o2.status).toBe('max_iterations');
    // a run that stops without an answer is a failed run: exit code 1
    expect(process.exitCode).toBe(1);
    process.exitCode = undefined;
  });

  it('throws InputError for bad input and bad options', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sdpa-'));
    const f = join(dir, 'bad.dat-s');
    writeFileSync(f, '2\n1\n2\n1 2\n0 1 1 1\n');
    await expect(run(['sdpa', f])).rejects.toThrow(InputError);
    await expect(run(['sdpa', f])).rejects.toThrow(/bad\.dat-s:5/);
    await expect(run(['sdpa', join(dir, 'missing.dat-s')])).rejects.toThrow(InputError);
    await expect(run(['sdpa', fixture('example1.dat-s'), '--max-iter', 'x'])).rejects.toThrow(/--max-iter/);
  });
});
