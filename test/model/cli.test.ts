import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { InputError } from '../../src/errors.ts';
import { register as registerEvaluate } from '../../src/cli/commands/evaluate.ts';
import { register as registerScenario } from '../../src/cli/commands/scenario.ts';
import { generateScenario } from '../../src/model/generate.ts';
import { parseScenario } from '../../src/model/scenario.ts';
import { designToJson, isotropicDesign } from '../../src/model/design.ts';

/** Runs `netisac ARGS` with only these two commands; returns stdout and stderr. */
async function run(...args: string[]): Promise<{ out: string; err: string }> {
  const program = new Command().exitOverride();
  registerEvaluate(program);
  registerScenario(program);
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    vi.restoreAllMocks();
  }
  return { out, err };
}

afterEach(() => vi.restoreAllMocks());

const dir = mkdtempSync(join(tmpdir(), 'netisac-cli-'));

describe('netisac scenario generate', () => {
  it('--preset fig2 prints the preset scenario (stdout); --out writes the file', async () => {
    const { out } = await run('scenario', 'generate', '--preset', 'fig2');
    expect(JSON.parse(out)).toEqual(generateScenario({ preset: 'fig2' }));
    const f = join(dir, 'fig2.json');
    const r = await run('scenario', 'generate', '--preset', 'fig2', '--out', f);
    expect(r.out).toBe('');
    expect(r.err).toContain(f);
    expect(readFileSync(f, 'utf8')).toBe(out);
  });

  it('random layouts from flags', async () => {
    const { out } = await run('scenario', 'generate', '--seed', '4', '--users', '3', '--antennas', '2', '--layout', 'hexagon', '--min-sinr-db', '5', '--crlb-max', '0.5', '--radius', '90');
    const j = JSON.parse(out);
    expect(j).toEqual(generateScenario({ seed: 4, users: 3, antennas: 2, layout: 'hexagon', minSinrDb: 5, crlbMax: 0.5, radius: 90, bsSpacing: 100 }));
    expect(j.baseStations).toHaveLength(7);
    expect(j.channels[0][0]).toHaveLength(2);
  });

  it('bad flags are InputErrors naming the flag', async () => {
    await expect(run('scenario', 'generate', '--users', '3')).rejects.toThrow(/--seed/);
    await expect(run('scenario', 'generate', '--seed', '1')).rejects.toThrow(/--users/);
    await expect(run('scenario', 'generate', '--seed', '1.5', '--users', '3')).rejects.toThrow(InputError);
    await expect(run('scenario', 'generate', '--seed', '1', '--users', '3', '--layout', 'ring')).rejects.toThrow(/--layout/);
    await expect(run('scenario', 'generate', '--seed', '1', '--users', '3', '--radius', 'far')).rejects.toThrow(/--radius/);
  });
});

describe('netisac evaluate', () => {
  const scnFile = join(dir, 's.json');
  const designFile = join(dir, 'd.json');
  const json = generateScenario({ preset: 'fig2' });
  writeFileSync(scnFile, JSON.stringify(json));
  const scn = parseScenario(json);
  writeFileSync(designFile, JSON.stringify(designToJson(scn, isotropicDesign(scn, 1))));

  it('--json gives sinrDb, crlb, powerPerBs, totalPower, feasible', async () => {
    const { out } = await run('evaluate', scnFile, designFile, '--json');
    const ev = JSON.parse(out);
    expect(ev.sinrDb).toEqual([null, null, null, null, null]);
    expect(ev.crlb).toBeGreaterThan(0);
    expect(ev.crlb).toBeLessThan(1);
    expect(ev.powerPerBs[1]).toBe(0);
    expect(ev.totalPower).toBeCloseTo(3 * 10 ** 1.5, 9);
    expect(ev.feasible).toBe(false);
  });

  it('prints a readable table by default', async () => {
    const { out } = await run('evaluate', scnFile, designFile);
    expect(out).toMatch(/receiving BS: BS2/);
    expect(out).toMatch(/CRLB 0\.0268\d* m\^2/);
    expect(out).toMatch(/feasible: no/);
    expect(out).toMatch(/users\[4\]: SINR -inf dB/);
  });

  it('rejects a design violating the contract with the file and JSON path', async () => {
    const bad = JSON.parse(readFileSync(designFile, 'utf8'));
    bad.association[2] = 1;
    const f = join(dir, 'bad.json');
    writeFileSync(f, JSON.stringify(bad));
    await expect(run('evaluate', scnFile, f)).rejects.toThrow(/bad\.json: association\[2\].*receiving BS/);
    await expect(run('evaluate', scnFile, join(dir, 'missing.json'))).rejects.toThrow(InputError);
  });
});
