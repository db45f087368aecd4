/**
 * Inputs are read at most MAX_INPUT_BYTES at a time: a device or pipe that keeps giving data
 * (`netisac solve /dev/zero` used to read for minutes and take 5-7 GB) or a file larger than
 * any netisac input is refused with a message naming it, exit code 2.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, ftruncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { MAX_INPUT_BYTES, readInputBytes } from '../../src/model/io.ts';
import { runCli } from '../cli/run-cli.ts';
import { Readable } from 'node:stream';
import { readStdin } from '../../src/cli/input.ts';

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('input size', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netisac-size-'));

  it('reads a file up to the limit and refuses one byte more, from its size or from reading', () => {
    const f = join(dir, 'ten.json');
    writeFileSync(f, '0123456789');
    expect(readInputBytes(f, 'scenario file', { maxBytes: 10 }).toString()).toBe('0123456789');
    expect(refusal(() => readInputBytes(f, 'scenario file', { maxBytes: 9 }))).toBe(
      `${f}: cannot read scenario file: larger than 9 bytes, more than any netisac input needs`,
    );
    // a device has no size: refused once it gives more than the limit
    expect(refusal(() => readInputBytes('/dev/zero', 'SDPA file', { maxBytes: 3 << 20 }))).toBe(
      '/dev/zero: cannot read SDPA file: larger than 3 MiB, more than any netisac input needs',
    );
    expect(readInputBytes('/dev/null', 'scenario file')).toHaveLength(0);
  });

  it('says what is missing, a directory, or not a regular file where one is needed', () => {
    expect(refusal(() => readInputBytes(join(dir, 'nope.json'), 'scenario file'))).toMatch(/cannot read scenario file: no such file$/);
    mkdirSync(join(dir, 'adir'));
    expect(refusal(() => readInputBytes(join(dir, 'adir'), 'study file'))).toMatch(/cannot read study file: is a directory$/);
    expect(refusal(() => readInputBytes('/dev/zero', 'results', { regularOnly: true }))).toBe('/dev/zero: cannot read results: not a regular file');
  });

  it('standard input that keeps giving data is refused once past the limit (yes | netisac solve -)', async () => {
    const MiB = Buffer.alloc(2 ** 20, 'y');
    let given = 0;
    const endless = Readable.from(
      (function* () {
        for (;;) {
          given++;
          yield MiB;
        }
      })(),
    );
    const stdin = Object.getOwnPropertyDescriptor(process, 'stdin')!;
    Object.defineProperty(process, 'stdin', { value: endless, configurable: true });
    try {
      await expect(readStdin()).rejects.toThrow('<stdin>: standard input gave more than 256 MiB, more than any netisac input needs');
    } finally {
      Object.defineProperty(process, 'stdin', stdin);
    }
    // it stopped reading right after the limit
    expect(given).toBeLessThanOrEqual(MAX_INPUT_BYTES / 2 ** 20 + 3);
  });

  it('every command that reads a file refuses one larger than the limit, before reading it', async () => {
    // a sparse file: its size is past the limit, its blocks are not written
    const big = join(dir, 'big.json');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, MAX_INPUT_BYTES + 1);
    closeSync(fd);
    const scn = join(dir, 'scn.json');
    expect((await runCli(['scenario', 'generate', '--preset', 'fig2', '-o', scn])).code).toBe(0);
    const cases: [string[], string][] = [
      [['solve', big, '--method', 'fixed'], 'scenario file'],
      [['evaluate', scn, big], 'design file'],
      [['sdpa', big], 'SDPA file'],
      [['study', 'run', big, '--out', join(dir, 'r.jsonl')], 'study file'],
    ];
    for (const [args, what] of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toContain(`${big}: cannot read ${what}: larger than 256 MiB`);
    }
    const rep = await runCli(['study', 'report', '/dev/zero', '--out', join(dir, 'rep')]);
    expect(rep.code).toBe(2);
    expect(rep.err).toContain('/dev/zero: cannot read results: not a regular file');
  });
});
