/**
 * The `<out>.lock` file that keeps two live runs from appending to the same results file.
 *
 * The lock holds one JSON line naming its holder: host, pid and, inside Slurm, the job id.
 * It is created whole (written to a private file, then hard-linked into place), so a lock
 * file is never seen half-written. A lock is taken over, without asking a person, when its
 * holder has certainly ended:
 * - it is empty (no netisac run writes an empty lock);
 * - it names a Slurm job that Slurm reports as ended (or no longer knows), or this very
 *   Slurm job on another host (a requeued job runs in one place at a time);
 * - it names a process on this host that no longer exists.
 * Otherwise the run stops with a message naming the holder. A take-over renames the stale
 * file first, so of two runs that find the same stale lock only one removes it.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { InputError } from '../errors.ts';

/** What a lock file says about its holder. */
export interface LockOwner {
  host: string;
  pid: number;
  /** SLURM_JOB_ID of the holder, when it ran inside Slurm. */
  slurmJobId?: string;
  /** `<array job>_<task>` of the holder, for people reading the lock. */
  slurmArrayTask?: string;
  started?: string;
}

/** A Slurm job's state as far as the lock cares; `unknown` when Slurm cannot be asked. */
export type JobState = 'active' | 'ended' | 'unknown';

export interface LockOptions {
  env?: NodeJS.ProcessEnv;
  host?: string;
  pid?: number;
  /** Asks Slurm about a job (default: `squeue`). */
  jobState?: (jobId: string) => JobState;
  /** Is this process (on this host) alive? */
  pidAlive?: (pid: number) => boolean;
  log?: (message: string) => void;
}

// Slurm's terminal job states: the job's processes are gone.
const ENDED_STATES = new Set([
  'BOOT_FAIL',
  'CANCELLED',
  'COMPLETED',
  'DEADLINE',
  'FAILED',
  'NODE_FAIL',
  'OUT_OF_MEMORY',
  'PREEMPTED',
  'TIMEOUT',
  'SPECIAL_EXIT',
]);

/** A job's state from `squeue -h -t all -j ID -o %T` (empty once the job has left the queue). */
export function slurmJobState(jobId: string): JobState {
  let out: string;
  try {
    out = execFileSync('squeue', ['-h', '-t', 'all', '-j', jobId, '-o', '%T'], { encoding: 'utf8', timeout: 15_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { code?: string; stderr?: string };
    // The controller answered that it no longer knows the job: it ended long enough ago.
    if (typeof e.stderr === 'string' && /invalid job id/i.test(e.stderr)) return 'ended';
    return 'unknown';
  }
  const state = out.trim().split(/\s+/)[0] ?? '';
  if (state === '') return 'ended';
  return ENDED_STATES.has(state.replace(/\+$/, '')) ? 'ended' : 'active';
}

/** Whether a process with this pid exists on this host. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This process as a lock holder. */
export function currentOwner(env: NodeJS.ProcessEnv, host: string, pid: number): LockOwner {
  const owner: LockOwner = { host, pid };
  if (env.SLURM_JOB_ID) owner.slurmJobId = env.SLURM_JOB_ID;
  if (env.SLURM_ARRAY_JOB_ID && env.SLURM_ARRAY_TASK_ID) owner.slurmArrayTask = `${env.SLURM_ARRAY_JOB_ID}_${env.SLURM_ARRAY_TASK_ID}`;
  owner.started = new Date().toISOString();
  return owner;
}

/** Reads a lock's text: JSON, or the older `host pid` line. Undefined when unreadable. */
export function parseLock(text: string): LockOwner | undefined {
  const t = text.trim();
  if (t.startsWith('{')) {
    try {
      const o = JSON.parse(t) as Partial<LockOwner>;
      if (typeof o.host === 'string' && typeof o.pid === 'number') return o as LockOwner;
    } catch {
      return undefined;
    }
    return undefined;
  }
  const [host, pidText, extra] = t.split(/\s+/);
  const pid = Number(pidText);
  return host && extra === undefined && Number.isInteger(pid) && pid > 0 ? { host, pid } : undefined;
}

/** A lock holder for messages: "pid P on HOST, Slurm job J (A_T)". */
export function describeOwner(o: LockOwner): string {
  const job = o.slurmJobId ? `, Slurm job ${o.slurmJobId}${o.slurmArrayTask ? ` (${o.slurmArrayTask})` : ''}` : '';
  return `pid ${o.pid} on ${o.host}${job}`;
}

interface Verdict {
  stale: boolean;
  why: string;
}

/** Has the holder of this lock certainly ended? */
export function judgeLock(text: string, me: LockOwner, opts: Required<Pick<LockOptions, 'jobState' | 'pidAlive'>>): Verdict {
  if (text.trim() === '') return { stale: true, why: 'the lock file is empty' };
  const o = parseLock(text);
  if (!o) return { stale: false, why: `the lock file is not a netisac lock (${JSON.stringify(text.slice(0, 80))})` };
  const who = describeOwner(o);
  const sameHost = o.host === me.host;
  if (sameHost && o.pid === me.pid) return { stale: false, why: `this process (${who}) already holds it` };
  // Slurm first: it knows about jobs on every node, and a job id is never reused the way a
  // pid is. Then, on this host, the process itself.
  if (o.slurmJobId) {
    if (o.slurmJobId === me.slurmJobId && !sameHost) return { stale: true, why: `${who} is an earlier run of this same Slurm job` };
    if (o.slurmJobId !== me.slurmJobId) {
      const state = opts.jobState(o.slurmJobId);
      if (state === 'ended') return { stale: true, why: `Slurm reports job ${o.slurmJobId} as ended (${who})` };
      if (state === 'active' && !sameHost) return { stale: false, why: `${who} is still running (Slurm reports job ${o.slurmJobId} as active)` };
    }
  }
  if (sameHost) return opts.pidAlive(o.pid) ? { stale: false, why: `${who} is running` } : { stale: true, why: `${who} no longer exists` };
  const slurmNote = o.slurmJobId ? ` and Slurm could not be asked about job ${o.slurmJobId}` : '';
  return { stale: false, why: `${who} may still be running (another host${slurmNote})` };
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Creates `lock` holding `text`, all at once; false when it exists already. */
function createWhole(lock: string, text: string, me: LockOwner): boolean {
  const tmp = `${lock}.${me.host}.${me.pid}.tmp`;
  writeFileSync(tmp, text);
  try {
    linkSync(tmp, lock);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
    // A file system without hard links: exclusive create (a reader may see it empty briefly).
    let fd: number;
    try {
      fd = openSync(lock, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
    writeSync(fd, text);
    closeSync(fd);
    return true;
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      /* gone */
    }
  }
}

/** Removes a stale lock if it still holds `text`; true when this call removed it. */
function removeStale(lock: string, text: string, me: LockOwner): boolean {
  const aside = `${lock}.stale.${me.host}.${me.pid}`;
  try {
    renameSync(lock, aside);
  } catch {
    return false; // someone else moved it first
  }
  if (readText(aside) === text) {
    unlinkSync(aside);
    return true;
  }
  // It changed between our read and the rename: a new holder's lock; put it back.
  try {
    linkSync(aside, lock);
  } catch {
    /* a newer lock is in place */
  }
  unlinkSync(aside);
  return false;
}

/** Takes `<out>.lock` for this process; returns the function that releases it. */
export function acquireLock(out: string, opts: LockOptions = {}): () => void {
  const lock = `${out}.lock`;
  const env = opts.env ?? process.env;
  const me = currentOwner(env, opts.host ?? hostname(), opts.pid ?? process.pid);
  const text = `${JSON.stringify(me)}\n`;
  const judge = { jobState: opts.jobState ?? slurmJobState, pidAlive: opts.pidAlive ?? processAlive };
  for (let attempt = 0; attempt < 5; attempt++) {
    let created: boolean;
    try {
      created = createWhole(lock, text, me);
    } catch (err) {
      throw new InputError(`cannot write next to the results file: ${(err as Error).message}`, out);
    }
    if (created) {
      return () => {
        if (readText(lock) === text) {
          try {
            unlinkSync(lock);
          } catch {
            /* already gone */
          }
        }
      };
    }
    const held = readText(lock);
    if (held === undefined) continue; // released meanwhile: try again
    const verdict = judgeLock(held, me, judge);
    if (!verdict.stale) throw new InputError(`another run is writing this results file: ${verdict.why}; if none is, delete ${lock}`, out);
    if (removeStale(lock, held, me)) opts.log?.(`took over the lock ${lock}: ${verdict.why}`);
  }
  throw new InputError(`cannot take the lock ${lock} (it keeps changing hands)`, out);
}
