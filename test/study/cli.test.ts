/**
 * The `study` commands end to end: real child processes killed with SIGKILL / SIGINT /
 * SIGTERM mid-run, then resumed; exit codes of bad input.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { BIN, FAKE_RUNNER, keys, recordLines, ROOT, smallStudy, tmp } from './helpers.ts';

interface Child {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function lineCount(file: string): number {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
}

/** Runs the CLI; when `killAt` is given, sends `signal` once the results file has that many lines. */
function cli(args: string[], opts: { env?: Record<string, string>; killAt?: { file: string; lines: number; signal: NodeJS.Signals } } = {}): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let timer: NodeJS.Timeout | undefined;
    if (opts.killAt) {
      const k = opts.killAt;
      timer = setInterval(() => {
        if (lineCount(k.file) >= k.lines) {
          clearInterval(timer);
          child.kill(k.signal);
        }
      }, 20);
    }
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearInterval(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

async function inProcess(args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  let stderr = '';
  let stdout = '';
  const e = process.stderr.write.bind(process.stderr);
  const o = process.stdout.write.bind(process.stdout);
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  try {
    const code = await main(args);
    return { code, stderr, stdout };
  } finally {
    process.stderr.write = e;
    process.stdout.write = o;
    process.exitCode = undefined;
  }
}

const slow = { FAKE_RUNNER_DELAY_MS: '60' };

describe('study run as a process', () => {
  it('survives kill -9 mid-run: the rerun completes without duplicates', async () => {
    const dir = tmp();
    const studyFile = join(dir, 'study.json');
    writeFileSync(studyFile, JSON.stringify(smallStudy()));
    const ref = join(dir, 'ref.jsonl');
    const out = join(dir, 'r.jsonl');
    const base = ['study', 'run', studyFile, '--runner', FAKE_RUNNER, '--workers', '2', '--no-progress'];
    const r0 = await cli([...base, '--out', ref]);
    expect(r0.code).toBe(0);

    const killed = await cli([...base, '--out', out], { env: slow, killAt: { file: out, lines: 8, signal: 'SIGKILL' } });
    expect(killed.signal).toBe('SIGKILL');
    const partialCount = lineCount(out) - 1;
    expect(partialCount).toBeGreaterThanOrEqual(7);
    expect(partialCount).toBeLessThan(36);
    expect(existsSync(`${out}.lock`)).toBe(true); // left behind by the killed run

    const resumed = await cli([...base, '--out', out]);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ alreadyDone: partialCount, ran: 36 - partialCount });
    expect(keys(out)).toHaveLength(36);
    expect(new Set(keys(out)).size).toBe(36);
    expect(recordLines(out)).toEqual(recordLines(ref));
    expect(existsSync(`${out}.lock`)).toBe(false);
  });

  it('stops on SIGINT (exit 130) and SIGTERM (exit 143), terminating busy workers; reruns complete', async () => {
    const dir = tmp();
    const studyFile = join(dir, 'study.json');
    writeFileSync(studyFile, JSON.stringify(smallStudy()));
    const out = join(dir, 'r.jsonl');
    const base = ['study', 'run', studyFile, '--runner', FAKE_RUNNER, '--workers', '2', '--out', out, '--no-progress'];
    const busy = { FAKE_RUNNER_DELAY_MS: '400', FAKE_RUNNER_BUSY: '1' };
    const a = await cli(base, { env: busy, killAt: { file: out, lines: 3, signal: 'SIGINT' } });
    expect(a.code).toBe(130);
    expect(a.stderr).toMatch(/SIGINT: stopping/);
    const afterInt = lineCount(out);
    const b = await cli(base, { env: { ...busy, FAKE_RUNNER_DELAY_MS: '100' }, killAt: { file: out, lines: afterInt + 4, signal: 'SIGTERM' } });
    expect(b.code).toBe(143);
    const c = await cli(base);
    expect(c.code).toBe(0);
    expect(new Set(keys(out)).size).toBe(36);
    expect(keys(out)).toHaveLength(36);
  });

  it('takes its shard from Slurm array variables', async () => {
    const dir = tmp();
    const studyFile = join(dir, 'study.json');
    writeFileSync(studyFile, JSON.stringify(smallStudy()));
    const out = join(dir, 's2.jsonl');
    const r = await cli(['study', 'run', studyFile, '--runner', FAKE_RUNNER, '--workers', '0', '--out', out, '--no-progress'], {
      env: { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '3', SLURM_ARRAY_TASK_MIN: '1' },
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Slurm array task: running shard 2\/3/);
    const header = JSON.parse(readFileSync(out, 'utf8').split('\n')[0]!) as { shard: unknown };
    expect(header.shard).toEqual({ index: 1, count: 3 });
    // units u = point * 4 + trial with u % 3 == 1
    for (const k of keys(out)) {
      const [p, t] = k.split('/').map(Number);
      expect((p! * 4 + t!) % 3).toBe(1);
    }
  });
});

describe('study commands: bad input exits 2 with a clear message', () => {
  it('rejects malformed studies, unknown methods, bad shards and unwritable outputs', async () => {
    const dir = tmp();
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(smallStudy()));
    const malformed = join(dir, 'bad.json');
    writeFileSync(malformed, '{ "trials": 3, ');
    const unknown = join(dir, 'unknown.json');
    writeFileSync(unknown, JSON.stringify(smallStudy({ methods: ['proposed', 'oracle' as 'exact'] })));
    const out = join(dir, 'r.jsonl');
    const run = (study: string, ...more: string[]) =>
      inProcess(['study', 'run', study, '--out', out, '--runner', FAKE_RUNNER, '--workers', '0', '--no-progress', ...more]);

    let r = await run(malformed);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.json: invalid JSON in study file at the end \(line 1, column 16\)/);
    r = await run(unknown);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/methods\[1\]: Invalid option: expected one of "proposed"\|"proposed-relaxation"\|"exact"/);
    r = await run(join(dir, 'missing.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read study file/);
    for (const spec of ['3/2', '0/0', 'a/b']) {
      r = await run(good, '--shard', spec);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--shard: invalid shard/);
    }
    r = await run(good, '--workers', '-1');
    expect(r.code).toBe(2);
    expect(existsSync(out)).toBe(false);

    // an output path below a regular file cannot be created
    const blocker = join(dir, 'file');
    writeFileSync(blocker, 'x');
    r = await inProcess(['study', 'run', good, '--out', join(blocker, 'r.jsonl'), '--runner', FAKE_RUNNER, '--workers', '0', '--no-progress']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot create the folder .*file is not a folder/);
    r = await inProcess(['study', 'run', good, '--out', dir, '--runner', FAKE_RUNNER, '--workers', '0', '--no-progress']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is a directory/);

    // a finished run, then another study pointed at the same file: refused, file untouched
    r = await run(good);
    expect(r.code).toBe(0);
    const before = readFileSync(out, 'utf8');
    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify(smallStudy({ seed: 123 })));
    r = await run(other);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds results of another study/);
    expect(readFileSync(out, 'utf8')).toBe(before);

    // merge: different studies, incomplete
    const otherOut = join(dir, 'other.jsonl');
    expect((await inProcess(['study', 'run', other, '--out', otherOut, '--runner', FAKE_RUNNER, '--workers', '0', '--no-progress'])).code).toBe(0);
    r = await inProcess(['study', 'merge', out, otherOut, '--out', join(dir, 'm.jsonl')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/results of different studies cannot be combined/);
    const s1 = join(dir, 's1.jsonl');
    expect((await inProcess(['study', 'run', good, '--out', s1, '--shard', '1/2', '--runner', FAKE_RUNNER, '--workers', '0', '--no-progress'])).code).toBe(0);
    r = await inProcess(['study', 'merge', s1, '--out', join(dir, 'm.jsonl')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/incomplete: 18 of 36 tasks have no result/);
    expect(existsSync(join(dir, 'm.jsonl'))).toBe(false);
    r = await inProcess(['study', 'merge', out, out, '--out', join(dir, 'm.jsonl')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/appears both in/);
  });
});
