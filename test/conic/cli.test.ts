import { describe, it, expect, vi, afterEach } from 'vitest';
import { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { register } from '../../src/cli/commands/sdpa.ts';
import { InputError } from '../../src/errors.ts';

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
