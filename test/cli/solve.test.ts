/**
 * `netisac solve` through main(): exit codes and messages for bad input, and a real run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli as run } from './run-cli.ts';
import { generateScenario } from '../../src/model/generate.ts';
import { parseScenario } from '../../src/model/scenario.ts';
import { parseDesign } from '../../src/model/design.ts';
import { evaluateDesign } from '../../src/model/evaluate.ts';

let dir = '';
let file = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netisac-solve-'));
  file = join(dir, 'scn.json');
  const layout: [number, number][] = [
    [0, 100],
    [-86.6, -50],
    [86.6, -50],
  ];
  writeFileSync(file, JSON.stringify(generateScenario({ seed: 41, users: 2, antennas: 4, layout, minSinrDb: 5, crlbMax: 10 })));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('netisac solve: bad input exits 2 with a message naming the problem', () => {
  const cases: [string, string[], RegExp][] = [
    ['receiver out of range', ['--method', 'fixed', '--receiver', '7', '--association', '1,2'], /receiver.*0\.\.2/],
    ['receiver not an integer', ['--method', 'fixed', '--receiver', 'x', '--association', '1,2'], /--receiver.*integer/],
    ['association naming the receiver', ['--method', 'fixed', '--receiver', '1', '--association', '1,2'], /association\[0\].*receiving BS/],
    ['association with a missing user', ['--method', 'fixed', '--receiver', '0', '--association', '1'], /association.*2 entries/],
    ['association naming a missing BS', ['--method', 'fixed', '--receiver', '0', '--association', '1,5'], /association\[1\].*BS 5/],
    ['fixed without receiver', ['--method', 'fixed', '--association', '1,2'], /receiver/],
    ['unknown method', ['--method', 'magic'], /unknown method 'magic'/],
    ['bad time limit', ['--method', 'exact', '--time-limit', '-1'], /--time-limit/],
    ['unknown initial point', ['--method', 'proposed', '--init', 'magic'], /init.*relaxation, uniform, closest/],
    ['a mu continuation that does not start above 0', ['--method', 'proposed', '--mu-start', '0'], /--mu-start.*positive number/],
  ];
  for (const [name, args, pattern] of cases) {
    it(name, async () => {
      const r = await run(['solve', file, ...args]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(pattern);
      expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
    });
  }
  it('missing scenario file', async () => {
    const r = await run(['solve', join(dir, 'nope.json'), '--method', 'proposed']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/nope\.json/);
  });
});

describe('netisac solve: a real run', () => {
  it('writes a design that evaluate accepts, and prints the summary', async () => {
    const out = join(dir, 'design.json');
    const r = await run(['solve', file, '--method', 'fixed', '--receiver', '0', '--association', '1,2', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/receiving BS: BS1/);
    expect(r.out).toMatch(/user 1 <- BS2/);
    const scn = parseScenario(JSON.parse(readFileSync(file, 'utf8')));
    const design = JSON.parse(readFileSync(out, 'utf8'));
    expect(design.status).toBe('optimal');
    expect(typeof design.seconds).toBe('number');
    const ev = evaluateDesign(scn, parseDesign(design, scn));
    expect(ev.feasible).toBe(true);
    const e2 = await run(['evaluate', file, out, '--json']);
    expect(e2.code).toBe(0);
    expect(JSON.parse(e2.out).feasible).toBe(true);
  });
});
