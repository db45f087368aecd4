/**
 * examples/slurm/study.sbatch on a real single-node Slurm cluster that this test starts
 * itself (munged, slurmctld, slurmd as root, with a slurm.conf generated for this host, all
 * state in a temporary folder) and stops at the end. docs/study.md ("Tested on a real Slurm")
 * describes these steps; keep the two in step.
 *
 * 1. Submit the script as an array of 4 shards over a tiny study (16 trials, real solver,
 *    each trial slowed to 1.5 s), one CPU per task.
 * 2. Cancel task 2 mid-run with plain `scancel` (SIGTERM: it stops, keeps its results and
 *    releases its lock) and kill task 3's node process with SIGKILL, as the OOM killer would
 *    (no chance to clean up: the job fails and its lock stays behind). (`scancel
 *    --signal=KILL` is no test of that: Slurm turns it into an ordinary cancel, SIGTERM first.)
 * 3. Resubmit index 2 alone and index 3 alone (`ARRAY=2`, `ARRAY=3`); each resumes its shard,
 *    task 3 taking over the dead job's lock after asking Slurm that the job has ended.
 * 4. Merge the four shards and compare with an unsharded run of the same study: equal
 *    record for record (timing fields aside).
 * Skipped, with the reason, when the Slurm or munge programs are missing or not running as root.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, recordLines, ROOT, tmp } from '../study/helpers.ts';

const PROGRAMS = ['munged', 'mungekey', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'scancel', 'sinfo'];
const SCRIPT = join(ROOT, 'examples', 'slurm', 'study.sbatch');
const RUNNER = fileURLToPath(new URL('./fixtures/slow-runner.ts', import.meta.url));

function which(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

const missing = PROGRAMS.filter((p) => !which(p));
const notRoot = typeof process.getuid === 'function' && process.getuid() !== 0;
const skipReason = missing.length
  ? `Slurm/munge programs missing: ${missing.join(', ')} (install slurm-wlm and munge)`
  : notRoot
    ? 'needs root to run slurmd'
    : '';
if (skipReason) console.warn(`test/slurm: skipped: ${skipReason}`);

let dir = '';
let env: NodeJS.ProcessEnv = {};
const daemons: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function sh(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? dir, env: { ...env, ...opts.env }, encoding: 'utf8' });
  return { code: r.status, out: r.stdout ?? '', err: r.stderr ?? '' };
}

function daemon(cmd: string, args: string[]): void {
  const log = join(dir, `${cmd}.out`);
  const child = spawn(cmd, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d) => writeFileSync(log, d, { flag: 'a' }));
  child.stderr?.on('data', (d) => writeFileSync(log, d, { flag: 'a' }));
  daemons.push(child);
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 180_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; daemon logs in ${dir}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function lines(file: string): number {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
}

/** States of the tasks of job `id` that are still queued or running (empty when all ended). */
function activeTasks(id: string): string[] {
  const r = sh('squeue', ['-h', '-j', id, '-o', '%i %T']);
  return r.out.split('\n').filter(Boolean);
}

/** Submits the batch script through bash (it creates logs/ and calls sbatch); returns the job id. */
function submit(extra: NodeJS.ProcessEnv = {}): string {
  const r = sh('bash', [SCRIPT, '--parsable', '--cpus-per-task=1', '--mem-per-cpu=100M', '--time=10'], { env: extra });
  if (r.code !== 0) throw new Error(`sbatch failed: ${r.err}`);
  return r.out.trim().split(';')[0]!;
}

function logOf(job: string, task: number): string {
  const f = join(dir, 'logs', `netisac-study-${job}_${task}.log`);
  return existsSync(f) ? readFileSync(f, 'utf8') : '';
}

describe.skipIf(!!skipReason)('a study on a real Slurm (examples/slurm/study.sbatch)', () => {
  beforeAll(async () => {
    dir = tmp('netisac-slurm-');
    chmodSync(dir, 0o755); // munged wants a socket folder others can traverse
    mkdirSync(join(dir, 'state'));
    mkdirSync(join(dir, 'spool'));
    const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
    env = { ...process.env, SLURM_CONF: join(dir, 'slurm.conf') };
    for (const k of Object.keys(env)) if (k.startsWith('SLURM_') && k !== 'SLURM_CONF') delete env[k];
    const node = sh('slurmd', ['-C'])
      .out.split('\n')[0]!
      .replace(/^NodeName=\S+/, `NodeName=${hostname().split('.')[0]}`);
    writeFileSync(
      join(dir, 'slurm.conf'),
      [
        'ClusterName=netisactest',
        `SlurmctldHost=${hostname().split('.')[0]}`,
        'SlurmUser=root',
        'SlurmdUser=root',
        `SlurmctldPort=${ctldPort}`,
        `SlurmdPort=${slurmdPort}`,
        'AuthType=auth/munge',
        `AuthInfo=socket=${dir}/munge.sock`,
        'CredType=cred/munge',
        `StateSaveLocation=${dir}/state`,
        `SlurmdSpoolDir=${dir}/spool`,
        `SlurmctldPidFile=${dir}/slurmctld.pid`,
        `SlurmdPidFile=${dir}/slurmd.pid`,
        `SlurmctldLogFile=${dir}/slurmctld.log`,
        `SlurmdLogFile=${dir}/slurmd.log`,
        'ProctrackType=proctrack/linuxproc',
        'TaskPlugin=task/none',
        'SchedulerType=sched/builtin',
        'SelectType=select/cons_tres',
        'SelectTypeParameters=CR_CPU',
        'ReturnToService=2',
        'MpiDefault=none',
        'JobAcctGatherType=jobacct_gather/none',
        'AccountingStorageType=accounting_storage/none',
        'JobCompType=jobcomp/none',
        'KillWait=5',
        'MinJobAge=300',
        `${node} State=UNKNOWN`,
        `PartitionName=test Nodes=${hostname().split('.')[0]} Default=YES MaxTime=INFINITE State=UP`,
        '',
      ].join('\n'),
    );
    const key = sh('mungekey', ['--create', '--keyfile', join(dir, 'munge.key'), '--bits', '1024']);
    if (key.code !== 0) throw new Error(`mungekey: ${key.err}`);
    chmodSync(join(dir, 'munge.key'), 0o600);
    daemon('munged', [
      '--foreground',
      '--force',
      `--socket=${dir}/munge.sock`,
      `--key-file=${dir}/munge.key`,
      `--pid-file=${dir}/munged.pid`,
      `--log-file=${dir}/munged.log`,
      `--seed-file=${dir}/munged.seed`,
    ]);
    await waitFor('munged', () => existsSync(join(dir, 'munge.sock')), 30_000);
    daemon('slurmctld', ['-D', '-c', '-f', join(dir, 'slurm.conf')]);
    daemon('slurmd', ['-D', '-f', join(dir, 'slurm.conf')]);
    await waitFor('the node to be idle', () => /idle/.test(sh('sinfo', ['-h', '-o', '%T']).out), 60_000);
  }, 120_000);

  afterAll(async () => {
    if (dir) sh('scancel', ['--user=root']);
    for (const d of daemons.reverse()) {
      if (d.exitCode !== null || d.signalCode !== null) continue;
      const gone = new Promise((r) => d.once('exit', r));
      d.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 10_000))]);
      if (d.exitCode === null && d.signalCode === null) d.kill('SIGKILL');
    }
  }, 60_000);

  it('runs the array, survives scancel of two tasks, resumes them resubmitted alone, and merges to the unsharded result', async () => {
    const study = join(dir, 'study.json');
    writeFileSync(
      study,
      JSON.stringify({ name: 'slurm-test', scenario: { users: 2 }, sweep: { minSinrDb: [0, 10] }, trials: 4, methods: ['scheme2', 'proposed'], seed: 11 }),
    );
    const results = join(dir, 'results');
    const vars = { STUDY: study, SHARDS: '4', OUT_DIR: results, NETISAC: BIN, RUN_ARGS: `--runner ${RUNNER}`, SLOW_RUNNER_DELAY_MS: '1500' };
    const shard = (i: number): string => join(results, `shard-${i}.jsonl`);

    // 1. The array. 2. Cancel task 2 (SIGTERM) and task 3 (SIGKILL) once each has results.
    const job = submit(vars);
    await waitFor('task 2 to write a result', () => lines(shard(2)) >= 2);
    expect(sh('scancel', [`${job}_2`]).code).toBe(0);
    await waitFor('task 3 to write a result', () => lines(shard(3)) >= 2);
    const holder = JSON.parse(readFileSync(`${shard(3)}.lock`, 'utf8')) as { pid: number };
    process.kill(holder.pid, 'SIGKILL'); // as the OOM killer would: no chance to clean up
    await waitFor('the array to end', () => activeTasks(job).length === 0);

    for (const i of [1, 4]) expect(lines(shard(i)), `shard ${i}`).toBe(1 + 4);
    for (const i of [2, 3]) expect(lines(shard(i)), `shard ${i}`).toBeLessThan(1 + 4);
    expect(logOf(job, 2)).toMatch(/SIGTERM: stopping/);
    expect(existsSync(`${shard(2)}.lock`)).toBe(false); // released on SIGTERM
    expect(existsSync(`${shard(3)}.lock`)).toBe(true); // left behind by SIGKILL
    expect(JSON.parse(readFileSync(`${shard(3)}.lock`, 'utf8'))).toMatchObject({ slurmArrayTask: `${job}_3` });
    // --workers follows --cpus-per-task=1 (this machine has more cores).
    expect(logOf(job, 1)).toMatch(/on 1 worker thread\(s\)/);

    // 3. Resubmit each cancelled index alone.
    const again2 = submit({ ...vars, ARRAY: '2' });
    const again3 = submit({ ...vars, ARRAY: '3' });
    await waitFor('the resubmitted tasks to end', () => activeTasks(again2).length + activeTasks(again3).length === 0);
    expect(logOf(again3, 3)).toMatch(/took over the lock .*Slurm reports job \d+ as ended/);
    expect(logOf(again2, 2)).toMatch(/already done/);
    for (const i of [1, 2, 3, 4]) expect(lines(shard(i)), `shard ${i}`).toBe(1 + 4);
    expect(readdirSync(results).filter((f) => f.endsWith('.lock'))).toEqual([]);
    expect(readdirSync(join(dir, 'logs')).sort()).toEqual(
      [
        `netisac-study-${job}_1.log`,
        `netisac-study-${job}_2.log`,
        `netisac-study-${job}_3.log`,
        `netisac-study-${job}_4.log`,
        `netisac-study-${again2}_2.log`,
        `netisac-study-${again3}_3.log`,
      ].sort(),
    );

    // 4. Merge and compare with an unsharded run of the same study.
    const merged = join(dir, 'merged.jsonl');
    const m = sh(process.execPath, [BIN, 'study', 'merge', ...[1, 2, 3, 4].map(shard), '-o', merged]);
    expect(m.code, m.err).toBe(0);
    const ref = join(dir, 'ref.jsonl');
    const r = sh(process.execPath, [BIN, 'study', 'run', study, '-o', ref, '--runner', RUNNER, '--workers', '2', '--no-progress'], {
      env: { SLOW_RUNNER_DELAY_MS: '0' },
    });
    expect(r.code, r.err).toBe(0);
    const a = recordLines(merged);
    expect(a).toHaveLength(16);
    expect(a).toEqual(recordLines(ref));
  }, 600_000);
});
