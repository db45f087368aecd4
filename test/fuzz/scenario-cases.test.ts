/**
 * Scenario, design and CLI cases from the adversarial campaign (issue 14), each generated
 * here from a freshly generated scenario: extreme but valid values name their field (exit 2),
 * integer limits say 2^53, unknown fields warn (error under --strict), a byte-order mark is
 * accepted, JSON syntax errors give line and column, violations print the violation.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateScenario } from '../../src/model/generate.ts';
import { parseScenario } from '../../src/model/scenario.ts';
import { designToJson, isotropicDesign } from '../../src/model/design.ts';
import { feasibilityViolations, FEASIBILITY_TOL } from '../../src/model/evaluate.ts';
import { InputError } from '../../src/errors.ts';
import { runCli } from '../cli/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'netisac-scenario-cases-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const layout: [number, number][] = [
  [0, 100],
  [-86.6, -50],
  [86.6, -50],
];
const base = (): Json => generateScenario({ seed: 3, users: 2, antennas: 2, layout, minSinrDb: 0, crlbMax: 10 });

let n = 0;
function file(json: unknown, text?: string): string {
  const f = join(dir, `s${n++}.json`);
  writeFileSync(f, text ?? JSON.stringify(json));
  return f;
}

function refused(json: unknown): InputError {
  try {
    parseScenario(json, 'f.json', { warn: () => undefined });
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('accepted');
}

describe('extreme but valid values: the field and the reason, exit 2 (issue 14)', () => {
  it.each([
    ['maxPowerDbm', (s: Json) => (s.maxPowerDbm = 1e308), /maxPowerDbm: 1e\+308 is outside the usable range -600\.\.600 dB/],
    ['maxPowerDbm', (s: Json) => (s.maxPowerDbm = -1e308), /maxPowerDbm: -1e\+308 is outside the usable range/],
    ['radarNoisePowerDbm', (s: Json) => (s.radarNoisePowerDbm = -1e308), /radarNoisePowerDbm: -1e\+308 is outside/],
    ['users[1].noisePowerDbm', (s: Json) => (s.users[1].noisePowerDbm = -1e308), /users\[1\]\.noisePowerDbm: -1e\+308 is outside/],
    ['channels', (s: Json) => (s.channels[1][0][1] = [0, 1e150]), /channels\[1\]\[0\]\[1\]\[1\]: 1e\+150 exceeds 1e\+30 in magnitude/],
    ['radarGains', (s: Json) => (s.radarGains[0][1] = [-1e150, 0]), /radarGains\[0\]\[1\]\[0\]: -1e\+150 exceeds/],
    ['crlbMax', (s: Json) => (s.crlbMax = 5e-324), /crlbMax: 5e-324 m\^2 is outside the usable range 1e-60\.\.1e\+60/],
    ['users[0].position', (s: Json) => (s.users[0].position = [1e200, 0]), /users\[0\]\.position\[0\]: 1e\+200 m is beyond/],
    ['radarSamples', (s: Json) => (s.radarSamples = 1e20), /radarSamples: 100000000000000000000 is beyond 2\^53 = 9007199254740992/],
    ['channelModel.seed', (s: Json) => (delete s.channels, (s.channelModel.seed = 1e300)), /channelModel\.seed: 1e\+300 is beyond 2\^53/],
  ])('%s', async (_, mutate, msg) => {
    const s = base();
    mutate(s);
    expect(refused(s).message).toMatch(msg);
    const r = await runCli(['solve', file(s), '-m', 'fixed', '--receiver', '0', '--association', '1,2']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(msg);
    expect(r.err).not.toMatch(/non-finite|\n\s+at /);
  });

  it('the same values one step inside the ranges are accepted', () => {
    const s = base();
    Object.assign(s, { maxPowerDbm: 600, radarNoisePowerDbm: -600, crlbMax: 1e-60, radarSamples: 2 ** 53 - 1 });
    s.channels[0][0][0] = [1e30, -1e30];
    expect(() => parseScenario(s)).not.toThrow();
  });

  it('solve --seed with 30 digits exits 2 naming the flag and 2^53', async () => {
    const r = await runCli(['solve', file(base()), '-m', 'scheme2', '--seed', '123456789012345678901234567890']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--seed: 123456789012345678901234567890 is beyond 2\^53/);
  });
});

describe('unknown fields (issue 14)', () => {
  it('"chanels", "arrayaxis" and "channelModel.sed" warn with their JSON path; --strict refuses them', async () => {
    const s = base();
    s.chanels = s.channels;
    delete s.channels;
    s.baseStations[1].arrayaxis = [1, 0];
    s.channelModel.sed = 4;
    const warnings: string[] = [];
    parseScenario(s, 'f.json', { warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([
      expect.stringContaining('f.json: baseStations[1].arrayaxis: unknown field in the scenario'),
      expect.stringContaining('f.json: channelModel.sed: unknown field'),
      expect.stringContaining('f.json: chanels: unknown field'),
    ]);
    const f = file(s);
    const design = file(designToJson(parseScenario(base()), isotropicDesign(parseScenario(base()), 0)));
    const loose = await runCli(['evaluate', f, design]);
    expect(loose.code).toBe(0);
    expect(loose.err).toMatch(/chanels: unknown field in the scenario, ignored/);
    for (const args of [
      ['--strict', 'evaluate', f, design],
      ['evaluate', f, design, '--strict'],
    ]) {
      const strict = await runCli(args);
      expect(strict.code).toBe(2);
      expect(strict.err).toMatch(/unknown fields in the scenario: baseStations\[1\]\.arrayaxis, channelModel\.sed, chanels \(refused under --strict/);
    }
  });

  it('a scenario without unknown fields gives no warning', () => {
    const warnings: string[] = [];
    parseScenario(base(), 'f.json', { warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
  });
});

describe('JSON text (issue 14)', () => {
  it('a UTF-8 byte-order mark is accepted', async () => {
    const s = base();
    const r = await runCli(['evaluate', file(null, `\uFEFF${JSON.stringify(s)}`), file(designToJson(parseScenario(s), isotropicDesign(parseScenario(s), 0)))]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/feasible: /);
  });

  it('syntax errors give line and column', async () => {
    const text = JSON.stringify(base(), null, 2).split('\n');
    text[3] = text[3]!.replace(/,$/, ''); // a missing comma at the end of line 4
    const r = await runCli(['solve', file(null, text.join('\n')), '-m', 'proposed']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/invalid JSON in scenario file at line 5, column 3: Expected ',' or '}' after property value/);
  });
});

describe('violation messages show the violation (issue 14)', () => {
  it('a SINR 3e-6 (relative) below the target says by how much', () => {
    const scn = parseScenario(generateScenario({ seed: 3, users: 2, antennas: 2, layout, minSinrDb: 16.89, crlbMax: 10 }));
    const target = scn.users[0]!.minSinr;
    const g = target * (1 - 3 * FEASIBILITY_TOL);
    const [msg] = feasibilityViolations(scn, [g, 1e9], [1], [0, 0, 0]);
    const shortDb = 16.89 - 10 * Math.log10(g);
    expect(msg).toContain(`short by ${shortDb.toExponential(1)} dB (relative 3.0e-6)`);
    // the printed SINR differs from the printed target
    expect(msg).toMatch(/SINR 16\.889987 dB below the required 16\.89 dB/);
  });

  it('power and CRLB excess are printed relative', () => {
    const scn = parseScenario(base());
    const v = feasibilityViolations(scn, [1e9, 1e9], [scn.crlbMax * (1 + 5e-6)], [0, scn.maxPower * (1 + 2e-6), 0]);
    expect(v[0]).toMatch(/CRLB .* above crlbMax 10 m\^2 \(relative excess 5\.0e-6\)/);
    expect(v[1]).toMatch(/baseStations\[1\]: power .* above the budget .* \(relative excess 2\.0e-6\)/);
  });
});
