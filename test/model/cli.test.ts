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
    const { out } = await run(
      'scenario',
      'generate',
      '--seed',
      '4',
      '--users',
      '3',
      '--antennas',
      '2',
      '--layout',
      'hexagon',
      '--min-sinr-db',
      '5',
      '--crlb-max',
      '0.5',
      '--radius',
      '90',
    );
    const j = JSON.parse(out);
    expect(j).toEqual(generateScenario({ seed: 4, users: 3, antennas: 2, layout: 'hexagon', minSinrDb: 5, crlbMax: 0.5, radius: 90, bsSpacing: 100 }));
    expect(j.baseStations).toHaveLength(7);
    expect(j.channels[0][0]).toHaveLength(2);
    const city = JSON.parse((await run('scenario', 'generate', '--seed', '4', '--users', '3', '--antennas', '2', '--layout', 'hexagon', '--rings', '2')).out);
    expect(city.baseStations).toHaveLength(19);
  });

  it('bad flags are InputErrors naming the flag', async () => {
    await expect(run('scenario', 'generate', '--users', '3')).rejects.toThrow(/--seed/);
    await expect(run('scenario', 'generate', '--seed', '1')).rejects.toThrow(/--users/);
    await expect(run('scenario', 'generate', '--seed', '1.5', '--users', '3')).rejects.toThrow(InputError);
    await expect(run('scenario', 'generate', '--seed', '1', '--users', '3', '--layout', 'ring')).rejects.toThrow(/--layout/);
    await expect(run('scenario', 'generate', '--seed', '1', '--users', '3', '--radius', 'far')).rejects.toThrow(/--radius/);
    await expect(run('scenario', 'generate', '--seed', '1', '--users', '3', '--rings', '2')).rejects.toThrow(/--rings/);
    await expect(run('scenario', 'generate', '--seed', '1', '--users', '3', '--layout', 'hexagon', '--rings', '1.5')).rejects.toThrow(/--rings/);
    await expect(run('scenario', 'generate', '--seed', '1', '--users', '3', '--layout', 'hexagon', '--rings', '9')).rejects.toThrow(/rings/);
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

describe('several targets on the command line', () => {
  it('scenario generate --targets T writes `targets` and T gain matrices; bad T names the flag', async () => {
    const { out } = await run('scenario', 'generate', '--seed', '3', '--users', '2', '--targets', '3');
    const j = JSON.parse(out);
    expect(j).toEqual(generateScenario({ seed: 3, users: 2, targets: 3, radius: 150, antennas: 8, minSinrDb: 8, crlbMax: 1, bsSpacing: 100 }));
    expect(j.targets).toHaveLength(3);
    expect(j.radarGains).toHaveLength(3);
    await expect(run('scenario', 'generate', '--seed', '3', '--users', '2', '--targets', '0')).rejects.toThrow(/--targets/);
    await expect(run('scenario', 'generate', '--seed', '3', '--users', '2', '--targets', 'two')).rejects.toThrow(/--targets/);
  });

  it('evaluate reports every target (JSON: a targets array with crlb and crlbMax; table: one row per target)', async () => {
    const json = generateScenario({ seed: 5, users: 2, targets: 2 }) as any;
    json.targets[1].crlbMax = 0.5;
    const scnFile = join(dir, 'two-targets.json');
    const designFile = join(dir, 'two-targets-design.json');
    writeFileSync(scnFile, JSON.stringify(json));
    const scn = parseScenario(json);
    writeFileSync(designFile, JSON.stringify(designToJson(scn, isotropicDesign(scn, 0))));
    const ev = JSON.parse((await run('evaluate', scnFile, designFile, '--json')).out);
    expect(ev.targets).toHaveLength(2);
    expect(ev.targets[0].crlb).toBeGreaterThan(0);
    expect(ev.targets.map((t: any) => t.crlbMax)).toEqual([1, 0.5]);
    expect(ev.crlb).toBe(ev.targets[ev.bindingTarget].crlb);
    const { out } = await run('evaluate', scnFile, designFile);
    expect(out).toMatch(/^target\s+position m\s+CRLB m\^2\s+epsilon m\^2\s+ok$/m);
    const ok = ev.targets[1].crlb <= 0.5 ? 'yes' : 'NO';
    const pos = json.targets[1].position.map((x: number) => x.toFixed(1)).join(', ');
    expect(out).toContain(`(${pos})`);
    expect(out).toMatch(new RegExp(`^2\\s+\\(.*\\)\\s+${ev.targets[1].crlb.toPrecision(6)}\\s+0\\.5\\s+${ok}$`, 'm'));
    expect(ok).toBe('NO'); // this seed's second target is out of reach at epsilon = 0.5
    expect(out).toMatch(/targets\[1\]: CRLB .* above crlbMax 0\.5/);
  });
});
