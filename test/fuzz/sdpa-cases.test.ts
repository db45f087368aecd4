/**
 * The SDPA reader's cases from the adversarial campaign (issue 14): every malformed file is
 * refused with the line that is wrong and exit code 2, never read as something else; sizes
 * that cannot fit are refused before anything is allocated. Files are generated here.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSdpa, solveSdpa } from '../../src/conic/sdpa.ts';
import { InputError } from '../../src/errors.ts';
import { runCli } from '../cli/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'netisac-sdpa-cases-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** min x s.t. x - 1 >= 0 and x - 2 >= 0, written with the given line ending. */
const twoBlocks = (eol: string) => ['1', '2', '1 1', '1', '1 1 1 1 1', '1 2 1 1 1', '0 1 1 1 1', '0 2 1 1 2'].join(eol) + eol;

function refusal(text: string): InputError {
  try {
    parseSdpa(text, 'f.dat-s');
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('the file was accepted');
}

describe('strict SDPA parsing (issue 14 cases)', () => {
  it('the well-formed two-block problem solves to 2 with LF, CRLF and CR-only line endings', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const r = solveSdpa(twoBlocks(eol));
      expect(r.status).toBe('optimal');
      expect(r.objective).toBeCloseTo(2, 6);
    }
  });

  it.each([
    [
      '2 blocks declared, 1 size given (the c line was read as a block size)',
      '1\n2\n1\n1\n1 1 1 1 1\n0 1 1 1 1\n',
      /expected 2 block sizes, found 1 on this line/,
      3,
    ],
    ['too few c values (the next entry line was swallowed)', '2\n1\n2\n1\n1 1 1 1 1\n0 1 1 1 1\n', /expected 2 entries of the vector c, found 1/, 4],
    ['extra c values', '1\n1\n1\n1 5\n1 1 1 1 1\n', /more than the 1 entries of the vector c declared \(extra value '5'\)/, 4],
    ['extra block sizes', '1\n1\n1 1\n1\n1 1 1 1 1\n', /more than the 1 block sizes declared \(extra value '1'\)/, 3],
    ['a hexadecimal value', '1\n1\n1\n1\n1 1 1 1 0x10\n', /expected the value \(a decimal number\), got '0x10'/, 5],
    ['a hexadecimal index', '1\n1\n1\n1\n1 1 0x1 1 1\n', /i must be a decimal integer, got '0x1'/, 5],
    ['Infinity as a value', '1\n1\n1\n1\n1 1 1 1 Infinity\n', /decimal number/, 5],
    ['a value beyond double precision', '1\n1\n1\n1\n1 1 1 1 1e999\n', /beyond the range of double precision/, 5],
    ['m and the block count on one line', '1 1\n1\n1\n1 1 1 1 1\n', /stands alone on its line; found a second value '1'/, 1],
    ['a hexadecimal word after m', '1 0x10\n1\n1\n1\n', /found a second value '0x10'/, 1],
    ['an entry line with 4 fields', '1\n1\n1\n1\n1 1 1 1\n', /expected 5 fields/, 5],
  ])('refuses %s, naming the line', (_, text, msg, line) => {
    const err = refusal(text);
    expect(err.message).toMatch(msg);
    expect(err.where).toBe(`f.dat-s:${line}`);
  });

  it('CR-only files name the right line in errors', () => {
    const err = refusal(['1', '1', '1', '1', '1 1 1 1 x'].join('\r'));
    expect(err.where).toBe('f.dat-s:5');
  });

  it.each([
    ['a block of order 30000', '1\n1\n30000\n1\n'],
    ['a diagonal block of order 1e9', '1\n1\n-1000000000\n1\n'],
    ['m = 1e15', '1000000000000000\n1\n2\n'],
  ])('refuses %s before allocating it, with the memory it would need', (_, text) => {
    const t0 = performance.now();
    const err = refusal(text);
    expect(err.message).toMatch(/would need about [\d.e+]+ GB of memory; this machine allows/);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('the CLI exits 2 with the file and line for a malformed file, and 2 for one too large', async () => {
    const bad = join(dir, 'bad.dat-s');
    writeFileSync(bad, '1\n2\n1\n1\n1 1 1 1 1\n');
    const r = await runCli(['sdpa', bad]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${bad}:3: expected 2 block sizes`);
    const big = join(dir, 'big.dat-s');
    writeFileSync(big, '1\n1\n30000\n1\n1 1 1 1 1\n');
    const q = await runCli(['sdpa', big]);
    expect(q.code).toBe(2);
    expect(q.err).toMatch(/would need about/);
    expect(q.err).not.toMatch(/\n\s+at /); // no stack trace
  });
});
