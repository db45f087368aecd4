/**
 * The results-file lock: who may take over a lock left behind, and who must be refused.
 * Slurm is asked through an injected `jobState` here; test/slurm/ runs the real `squeue`.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, judgeLock, parseLock, slurmJobState, type JobState, type LockOwner } from '../../src/study/lock.ts';
import { tmp } from './helpers.ts';

const me: LockOwner = { host: 'node-a', pid: 1000, slurmJobId: '77' };
const never = (): JobState => {
  throw new Error('Slurm must not be asked');
};
const line = (o: LockOwner): string => `${JSON.stringify(o)}\n`;

describe('judgeLock', () => {
  const alive = () => true;
  const dead = () => false;
  it('takes over an empty lock file', () => {
    expect(judgeLock('', me, { jobState: never, pidAlive: alive }).stale).toBe(true);
    expect(judgeLock('  \n', me, { jobState: never, pidAlive: alive }).stale).toBe(true);
  });
  it('refuses a file that is not a lock', () => {
    expect(judgeLock('hello world, I am here', me, { jobState: never, pidAlive: dead })).toMatchObject({ stale: false });
  });
  it('on this host: a dead pid is stale, a live one is not', () => {
    const o = line({ host: 'node-a', pid: 5 });
    expect(judgeLock(o, me, { jobState: never, pidAlive: dead }).stale).toBe(true);
    expect(judgeLock(o, me, { jobState: never, pidAlive: alive }).stale).toBe(false);
    // the older "host pid" format
    expect(judgeLock('node-a 5\n', me, { jobState: never, pidAlive: dead }).stale).toBe(true);
  });
  it('on another host without Slurm: never taken over', () => {
    const v = judgeLock(line({ host: 'node-b', pid: 5 }), me, { jobState: never, pidAlive: dead });
    expect(v.stale).toBe(false);
    expect(v.why).toMatch(/pid 5 on node-b may still be running/);
  });
  it('another Slurm job on another host: asks Slurm', () => {
    const o = line({ host: 'node-b', pid: 5, slurmJobId: '12' });
    const asked: string[] = [];
    const state = (s: JobState) => (id: string) => (asked.push(id), s);
    expect(judgeLock(o, me, { jobState: state('ended'), pidAlive: alive })).toMatchObject({ stale: true });
    expect(judgeLock(o, me, { jobState: state('active'), pidAlive: alive })).toMatchObject({ stale: false });
    const unknown = judgeLock(o, me, { jobState: state('unknown'), pidAlive: alive });
    expect(unknown.stale).toBe(false);
    expect(unknown.why).toMatch(/Slurm could not be asked about job 12/);
    expect(asked).toEqual(['12', '12', '12']);
  });
  it('this same Slurm job on another host is an earlier attempt (requeue)', () => {
    expect(judgeLock(line({ host: 'node-b', pid: 5, slurmJobId: '77' }), me, { jobState: never, pidAlive: alive }).stale).toBe(true);
  });
  it('this very process is not stale', () => {
    expect(judgeLock(line({ host: 'node-a', pid: 1000 }), me, { jobState: never, pidAlive: dead }).stale).toBe(false);
  });
  it('parses both formats', () => {
    expect(parseLock('h 12\n')).toEqual({ host: 'h', pid: 12 });
    expect(parseLock('{"host":"h","pid":3,"slurmJobId":"9"}')).toEqual({ host: 'h', pid: 3, slurmJobId: '9' });
    expect(parseLock('{"host":"h"}')).toBeUndefined();
  });
});

describe('acquireLock', () => {
  it('writes the holder (host, pid, Slurm job) and releases only its own lock', () => {
    const out = join(tmp(), 'r.jsonl');
    const release = acquireLock(out, { env: { SLURM_JOB_ID: '42', SLURM_ARRAY_JOB_ID: '40', SLURM_ARRAY_TASK_ID: '2' }, host: 'h1', pid: 7 });
    const held = parseLock(readFileSync(`${out}.lock`, 'utf8'));
    expect(held).toMatchObject({ host: 'h1', pid: 7, slurmJobId: '42', slurmArrayTask: '40_2' });
    expect(() => acquireLock(out, { env: {}, host: 'h2', pid: 8, pidAlive: () => true })).toThrow(/pid 7 on h1, Slurm job 42 \(40_2\)/);
    release();
    expect(existsSync(`${out}.lock`)).toBe(false);
    // No private temporary files are left next to the results.
    expect(readdirSync(join(out, '..'))).toEqual([]);
  });

  it('takes over an empty lock and a lock of an ended Slurm job, and says so', () => {
    const out = join(tmp(), 'r.jsonl');
    writeFileSync(`${out}.lock`, '');
    const logs: string[] = [];
    acquireLock(out, { env: {}, host: 'h1', pid: 7, log: (m) => logs.push(m) })();
    writeFileSync(`${out}.lock`, line({ host: 'other', pid: 3, slurmJobId: '55' }));
    const release = acquireLock(out, { env: {}, host: 'h1', pid: 7, jobState: (id) => (id === '55' ? 'ended' : 'active'), log: (m) => logs.push(m) });
    expect(logs[0]).toMatch(/took over .*the lock file is empty/);
    expect(logs[1]).toMatch(/Slurm reports job 55 as ended/);
    expect(parseLock(readFileSync(`${out}.lock`, 'utf8'))?.pid).toBe(7);
    release();
  });

  it('takes over the lock of a killed process on this host, not of a live one', async () => {
    const out = join(tmp(), 'r.jsonl');
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    const host = 'this-host';
    writeFileSync(`${out}.lock`, line({ host, pid: child.pid! }));
    expect(() => acquireLock(out, { env: {}, host, pid: process.pid })).toThrow(/is running/);
    const gone = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await gone;
    acquireLock(out, { env: {}, host, pid: process.pid })();
  });
});

describe('slurmJobState (squeue)', () => {
  // A stand-in `squeue` on PATH that answers like the real one.
  function withSqueue(script: string): NodeJS.ProcessEnv {
    const dir = tmp('netisac-squeue-');
    const file = join(dir, 'squeue');
    writeFileSync(file, `#!/bin/sh\n${script}\n`);
    chmodSync(file, 0o755);
    return { PATH: `${dir}:${process.env.PATH}` };
  }
  function stateWith(script: string, id = '12'): JobState {
    const old = process.env.PATH;
    process.env.PATH = withSqueue(script).PATH;
    try {
      return slurmJobState(id);
    } finally {
      process.env.PATH = old;
    }
  }
  it('maps squeue answers to active / ended / unknown', () => {
    expect(stateWith('echo RUNNING')).toBe('active');
    expect(stateWith('echo COMPLETING')).toBe('active');
    expect(stateWith('echo PENDING')).toBe('active');
    expect(stateWith('echo CANCELLED+')).toBe('ended');
    expect(stateWith('echo COMPLETED')).toBe('ended');
    expect(stateWith('true')).toBe('ended');
    expect(stateWith('echo "slurm_load_jobs error: Invalid job id specified" >&2; exit 1')).toBe('ended');
    expect(stateWith('echo "slurm_load_jobs error: Unable to contact slurm controller" >&2; exit 1')).toBe('unknown');
    expect(stateWith('[ "$5" = 99 ] && echo RUNNING', '99')).toBe('active');
  });
  it('is unknown without squeue', () => {
    const old = process.env.PATH;
    process.env.PATH = tmp('netisac-empty-');
    try {
      expect(slurmJobState('12')).toBe('unknown');
    } finally {
      process.env.PATH = old;
    }
  });
});

describe('acquireLock between processes', () => {
  it('of several processes that find the same stale lock at the same moment, exactly one takes it', async () => {
    const out = join(tmp(), 'r.jsonl');
    writeFileSync(`${out}.lock`, line({ host: hostname(), pid: 2 ** 22 + 12345 })); // no such process
    const go = Date.now() + 4000;
    const lockModule = new URL('../../src/study/lock.ts', import.meta.url).href;
    const code = `
      const { acquireLock } = await import(${JSON.stringify(lockModule)});
      while (Date.now() < ${go}) {}
      try {
        acquireLock(${JSON.stringify(out)}, { env: {} });
        console.log('took');
        await new Promise((r) => setTimeout(r, 3000));
      } catch (err) {
        console.log(/another run is writing/.test(err.message) ? 'refused' : 'error: ' + err.message);
      }`;
    const runs = Array.from(
      { length: 4 },
      () =>
        new Promise<string>((resolve) => {
          const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
          let text = '';
          child.stdout.on('data', (d) => (text += d));
          child.on('close', () => resolve(text.trim()));
        }),
    );
    const results = (await Promise.all(runs)).sort();
    expect(results).toEqual(['refused', 'refused', 'refused', 'took']);
  }, 60_000);
});
