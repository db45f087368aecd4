/**
 * The Monte Carlo study engine: runs every (point, trial, method) task of a study (or of
 * one shard) on worker threads and appends one JSON line per finished task.
 *
 * Resumption: the results file is the only state. On start the engine reads it, truncates
 * a partial last line (a kill mid-write), and runs only the tasks that have no line yet;
 * tasks that were in flight when the previous run died simply have no line and run again.
 * Every line is written with one write(2) call on an O_APPEND descriptor, from the main
 * thread only, so no line is ever duplicated or interleaved. A `<out>.lock` file (holding
 * host, pid and Slurm job, see lock.ts) keeps two live runs from appending to the same file.
 */
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { Piscina } from 'piscina';
import { InputError, RunError } from '../errors.ts';
import { acquireLock } from './lock.ts';
import { ensureDirectory } from '../model/io.ts';
import { createProgress, type Progress } from './progress.ts';
import { readResults, repairTail, resultsExist, RESULTS_FORMAT, type ResultsHeader, type TrialRecord } from './results.ts';
import { studyHash, type Study } from './schema.ts';
import { formatShard, methodSeed, scenarioSeed, studyTasks, taskKey, type Shard, type Task } from './tasks.ts';
import { executeTrial, loadRunner, type TrialInput, type TrialResult, type TrialRunner } from './trial.ts';
import type { WorkerTask } from './worker.ts';

/**
 * Run from the TypeScript sources (tests, tsx) or from the compiled package (dist/)? The
 * module's own file name tells; workers and the default runner are loaded by URL, so their
 * names must follow it.
 */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** The real trial runner (scenario generator + solveScenario + evaluateDesign). */
export const DEFAULT_RUNNER = new URL(FROM_SOURCE ? '../study/runner.ts' : '../study/runner.js', import.meta.url).href;
// From source, worker threads need tsx registered first (worker.mjs does that); compiled,
// the worker body is plain JavaScript.
const WORKER_ENTRY = new URL(FROM_SOURCE ? '../study/worker.mjs' : '../study/worker.js', import.meta.url).href;

export interface RunStudyOptions {
  study: Study;
  /** Results file (JSON lines); appended to and resumed. */
  out: string;
  /** Worker threads; 0 runs the trials in this thread. Default: {@link defaultWorkers}. */
  workers?: number | undefined;
  shard?: Shard | undefined;
  /** Module (path or file URL) exporting `runTrial`; default DEFAULT_RUNNER. */
  runner?: string | undefined;
  /** A runner function, run in this thread (only with `workers: 0`; for tests and embedding). */
  runTrial?: TrialRunner | undefined;
  /** Stop dispatching when aborted; in-flight tasks are discarded. */
  signal?: AbortSignal | undefined;
  /** Progress display: default a bar on a TTY, lines otherwise; false for none. */
  progress?: boolean | { tty?: boolean; interval?: number };
  /** Messages (default: stderr). */
  log?: ((message: string) => void) | undefined;
}

export interface RunStudySummary {
  studyHash: string;
  out: string;
  shard: Shard | null;
  /** Tasks of this study (or shard). */
  total: number;
  /** Tasks found complete in the results file at start. */
  alreadyDone: number;
  /** Tasks finished (and written) by this run. */
  ran: number;
  /** Of those, how many threw (`status: "error"`). */
  errors: number;
  /** Of those, how many ended without a feasible design. */
  noDesign: number;
  /** Stopped by the abort signal before all tasks were done. */
  interrupted: boolean;
  /** Bytes of a partial last line removed at start. */
  repairedBytes: number;
}

/**
 * Worker threads when none are asked for: inside a Slurm job the CPUs it was given
 * (`SLURM_CPUS_PER_TASK`), else the cores of this machine.
 */
export function defaultWorkers(env: NodeJS.ProcessEnv = process.env): number {
  const slurm = Number(env.SLURM_CPUS_PER_TASK);
  if (env.SLURM_JOB_ID && Number.isInteger(slurm) && slurm > 0) return slurm;
  return availableParallelism();
}

function sameShard(a: Shard | null, b: Shard | null): boolean {
  if (!a || a.count === 1) return !b || b.count === 1;
  return !!b && a.index === b.index && a.count === b.count;
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Creates the parent folder and checks that `out` can be a results file. */
function prepareOutput(out: string): void {
  ensureDirectory(dirname(out), out);
  try {
    if (statSync(out).isDirectory()) throw new InputError('is a directory, expected a results file path', out);
  } catch (err) {
    if (err instanceof InputError) throw err;
    // does not exist yet: fine
  }
}

function buildInput(study: Study, hash: string, task: Task): TrialInput {
  const input: TrialInput = {
    studyHash: hash,
    scenario: study.scenario,
    point: task.point,
    params: study.points[task.point]!,
    trial: task.trial,
    method: task.method,
    scenarioSeed: scenarioSeed(study, task.point, task.trial),
    methodSeed: methodSeed(study, task.point, task.trial, task.method),
    recordHistory: task.method.startsWith('proposed') && task.trial < study.historyTrials,
  };
  const limit = study.timeLimit[task.method];
  if (limit !== undefined) input.timeLimit = limit;
  return input;
}

function buildRecord(hash: string, input: TrialInput, task: Task, res: TrialResult): TrialRecord {
  return {
    kind: 'trial',
    study: hash,
    task: task.index,
    point: task.point,
    params: input.params,
    trial: task.trial,
    method: task.method,
    seed: input.scenarioSeed,
    ...res.outcome,
    wallSeconds: res.wallSeconds,
  };
}

/** The header line of a results file of this study (and shard). */
export function headerFor(study: Study, shard: Shard | null): ResultsHeader {
  return { kind: 'study', format: RESULTS_FORMAT, version: 1, studyHash: studyHash(study), study, shard: shard && shard.count > 1 ? shard : null };
}

/** Runs (or resumes) a study. Throws InputError for unusable input, RunError for failures. */
export async function runStudy(opts: RunStudyOptions): Promise<RunStudySummary> {
  const { study } = opts;
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const hash = studyHash(study);
  const shard = opts.shard && opts.shard.count > 1 ? opts.shard : null;
  const workers = opts.workers ?? defaultWorkers();
  if (!Number.isInteger(workers) || workers < 0) throw new InputError(`--workers must be a non-negative integer, got ${workers}`);
  if (opts.runTrial && workers > 0) throw new InputError('an in-thread runTrial function needs workers: 0');
  const out = resolve(opts.out);
  prepareOutput(out);
  const release = acquireLock(out, { log });
  let fd: number | undefined;
  let pool: Piscina | undefined;
  let progress: Progress | undefined;
  try {
    // 1. What is already there.
    const { done, haveHeader, repairedBytes } = readExisting(out, study, hash, shard, log);
    const tasks = studyTasks(study, shard ?? undefined);
    const pending = tasks.filter((t) => !done.has(taskKey(t.point, t.trial, t.method)));
    const alreadyDone = tasks.length - pending.length;
    try {
      fd = openSync(out, 'a');
      if (!haveHeader) writeSync(fd, `${JSON.stringify(headerFor(study, shard))}\n`);
    } catch (err) {
      throw new InputError(`cannot write the results file: ${describeError(err)}`, out);
    }
    const summary: RunStudySummary = {
      studyHash: hash,
      out,
      shard,
      total: tasks.length,
      alreadyDone,
      ran: 0,
      errors: 0,
      noDesign: 0,
      interrupted: false,
      repairedBytes,
    };
    log(
      `study "${study.name}" (${hash}), shard ${formatShard(shard)}: ${tasks.length} tasks, ${alreadyDone} already done, ${pending.length} to run` +
        (pending.length ? ` on ${workers === 0 ? 'this thread' : `${workers} worker thread(s)`}` : ''),
    );
    if (pending.length === 0 || opts.signal?.aborted) {
      summary.interrupted = pending.length > 0;
      return summary;
    }

    // 2. The runner: load it here first so a broken runner fails once, clearly.
    const runnerRef = opts.runner ?? DEFAULT_RUNNER;
    let local: TrialRunner | undefined = opts.runTrial;
    if (!local) {
      try {
        const fn = await loadRunner(runnerRef);
        if (workers === 0) local = fn;
      } catch (err) {
        throw new RunError(`cannot load the trial runner ${runnerRef}: ${describeError(err)}`);
      }
    }
    if (workers > 0) {
      pool = new Piscina({ filename: WORKER_ENTRY, minThreads: workers, maxThreads: workers, idleTimeout: 60_000, concurrentTasksPerWorker: 1 });
    }
    const exec = (input: TrialInput): Promise<TrialResult> => {
      if (local) return executeTrial(local, input);
      const wt: WorkerTask = { runner: runnerRef, input };
      return pool!.run(wt) as Promise<TrialResult>;
    };

    if (opts.progress !== false) {
      const p = typeof opts.progress === 'object' ? opts.progress : {};
      progress = createProgress({ total: pending.length, already: alreadyDone, ...p, label: study.name });
    }

    // 3. Dispatch with at most `concurrency` tasks in flight, each result appended as it comes.
    const run = await dispatch(
      pending,
      Math.max(1, workers),
      opts.signal,
      (task) => buildInput(study, hash, task),
      exec,
      (task, input, res) => {
        const record = buildRecord(hash, input, task, res);
        writeSync(fd!, `${JSON.stringify(record)}\n`);
        summary.ran++;
        if (record.status === 'error') {
          summary.errors++;
          if (summary.errors === 1)
            log(`warning: trial ${task.trial} of point ${task.point} (${task.method}) threw: ${record.message ?? ''} (recorded as status "error")`);
        }
        if (!record.feasible) summary.noDesign++;
        progress?.tick(!record.feasible);
      },
    );
    if (run.interrupted) summary.interrupted = true;
    if (run.error !== undefined) throw new RunError(`study run failed: ${describeError(run.error)}`);
    return summary;
  } finally {
    progress?.stop();
    if (pool) {
      // Terminates in-flight trials (an interrupted run discards them).
      await pool.destroy().catch(() => undefined);
    }
    if (fd !== undefined) closeSync(fd);
    release();
  }
}

/**
 * What the results file `out` already holds for this study and shard: the tasks done, whether
 * it has its header, and how many bytes of a partial last line (a kill mid-write) were cut off.
 * A file of another study or shard, or not a results file at all, is refused.
 */
function readExisting(
  out: string,
  study: Study,
  hash: string,
  shard: Shard | null,
  log: (m: string) => void,
): { done: Set<string>; haveHeader: boolean; repairedBytes: number } {
  const done = new Set<string>();
  if (!resultsExist(out)) return { done, haveHeader: false, repairedBytes: 0 };
  const rf = readResults(out);
  if (rf.header) {
    if (rf.header.studyHash !== hash)
      throw new InputError(
        `holds results of another study (hash ${rf.header.studyHash}, "${rf.header.study.name}"), not of this one (hash ${hash}, "${study.name}"); choose another --out or delete it`,
        out,
      );
    if (!sameShard(rf.header.shard, shard))
      throw new InputError(`holds shard ${formatShard(rf.header.shard)} of this study, but this run is shard ${formatShard(shard)}; choose another --out`, out);
    for (const r of rf.records) done.add(taskKey(r.point, r.trial, r.method));
    if (rf.duplicates.length) log(`warning: ${out} has ${rf.duplicates.length} duplicate line(s) (e.g. ${rf.duplicates[0]}); the first of each is used`);
  } else {
    // No complete line at all: only a header cut short by a kill may be dropped.
    const prefix = '{"kind":"study"';
    const head = rf.head.slice(0, prefix.length);
    if (!prefix.startsWith(head)) throw new InputError('exists and is not a netisac results file; choose another --out', out);
  }
  const repairedBytes = repairTail(out, rf.header ? rf.validBytes : 0);
  if (repairedBytes > 0) log(`repaired ${out}: removed a partial last line (${repairedBytes} bytes)`);
  return { done, haveHeader: Boolean(rf.header), repairedBytes };
}

/**
 * Runs `pending` (each task's input from `inputOf`) with at most `concurrency` tasks in
 * flight, handing each result to `record` as it comes. Stops launching at the first failure of `exec` (returned as `error`) or when
 * `signal` aborts (`interrupted`: returns at once, in-flight results are discarded).
 */
function dispatch(
  pending: Task[],
  concurrency: number,
  signal: AbortSignal | undefined,
  inputOf: (task: Task) => TrialInput,
  exec: (input: TrialInput) => Promise<TrialResult>,
  record: (task: Task, input: TrialInput, res: TrialResult) => void,
): Promise<{ error?: unknown; interrupted: boolean }> {
  let next = 0;
  let active = 0;
  let stopped = false;
  const state: { error?: unknown; interrupted: boolean } = { interrupted: false };
  return new Promise((finish) => {
    signal?.addEventListener(
      'abort',
      () => {
        stopped = true;
        state.interrupted = true;
        finish(state);
      },
      { once: true },
    );
    const launch = (): void => {
      while (!stopped && active < concurrency && next < pending.length) {
        const task = pending[next++]!;
        const input = inputOf(task);
        active++;
        exec(input)
          .then((res) => {
            if (!stopped) record(task, input, res);
          })
          .catch((err: unknown) => {
            if (stopped) return;
            state.error = err;
            stopped = true;
          })
          .finally(() => {
            active--;
            if (stopped) {
              if (active === 0 || state.interrupted) finish(state);
            } else if (next >= pending.length && active === 0) finish(state);
            else launch();
          });
      }
    };
    launch();
  });
}
