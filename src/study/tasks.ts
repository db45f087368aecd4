/**
 * The task list of a study: one task per (point, trial, method), their canonical order,
 * their seeds and the shard each belongs to.
 *
 * Canonical task index: `(point * trials + trial) * methods.length + methodIndex`.
 * A *unit* is one (point, trial) pair, `unit = point * trials + trial`; all methods of a
 * unit see the same scenario. Shard k of n (0-based k) holds the units with
 * `unit % n === k` (round robin, so every shard gets a share of every point and of the
 * slow methods), i.e. all methods of a unit always run in the same shard.
 */
import { InputError } from '../errors.ts';
import { STUDY_METHODS, type Study, type StudyMethod } from './schema.ts';
import { deriveSeed } from './seed.ts';

export interface Task {
  /** Canonical index (see above). */
  index: number;
  point: number;
  trial: number;
  method: StudyMethod;
}

/** A slice of a study: `index` is 0-based, `0 <= index < count`. */
export interface Shard {
  index: number;
  count: number;
}

/** Number of tasks of a study: points x trials x methods. */
export function taskCount(study: Study): number {
  return study.points.length * study.trials * study.methods.length;
}

/** The index of a (point, trial, method) task in the study's canonical order. */
export function taskIndex(study: Study, point: number, trial: number, method: StudyMethod): number {
  const m = study.methods.indexOf(method);
  if (m < 0) throw new RangeError(`method ${method} is not in the study`);
  return (point * study.trials + trial) * study.methods.length + m;
}

/** A task's key "point/trial/method" (for sets of finished tasks). */
export function taskKey(point: number, trial: number, method: string): string {
  return `${point}/${trial}/${method}`;
}

/** Whether the (point, trial) unit belongs to the shard (all of them without one). */
export function inShard(shard: Shard | undefined, study: Study, point: number, trial: number): boolean {
  if (!shard || shard.count === 1) return true;
  return (point * study.trials + trial) % shard.count === shard.index;
}

/**
 * The tasks of a study (or of one shard) in dispatch order: trial-major (all points and
 * methods of trial 0 first), so a run stopped early has covered every point evenly.
 */
export function studyTasks(study: Study, shard?: Shard): Task[] {
  const out: Task[] = [];
  for (let trial = 0; trial < study.trials; trial++) {
    for (let point = 0; point < study.points.length; point++) {
      if (!inShard(shard, study, point, trial)) continue;
      study.methods.forEach((method, m) => {
        out.push({ index: (point * study.trials + trial) * study.methods.length + m, point, trial, method });
      });
    }
  }
  return out;
}

/**
 * Seed of the scenario (user and target drop, fading) of trial `trial` at point `point`:
 * splitmix64 hash of (study seed, trial) in `common` mode, so a trial's channel realisation
 * is the same at every point, or of (study seed, point, trial) in `independent` mode.
 * It never depends on the method: every method sees the same realisation.
 */
export function scenarioSeed(study: Study, point: number, trial: number): number {
  return study.seedMode === 'common' ? deriveSeed(study.seed, 0, trial) : deriveSeed(study.seed, 1, point, trial);
}

/**
 * Seed for a randomised method's own choices (scheme 2's random selection): a hash of
 * (study seed, trial, method) in `common` mode (the same choice at every point), of
 * (study seed, point, trial, method) in `independent` mode.
 */
export function methodSeed(study: Study, point: number, trial: number, method: StudyMethod): number {
  const m = STUDY_METHODS.indexOf(method);
  return study.seedMode === 'common' ? deriveSeed(study.seed, 2, trial, m) : deriveSeed(study.seed, 3, point, trial, m);
}

/** Parses `--shard i/n` with 1-based `i` (1 <= i <= n), e.g. `1/4` .. `4/4`. */
export function parseShard(spec: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(spec);
  if (!m) throw new InputError(`invalid shard "${spec}": expected i/n with 1 <= i <= n, e.g. 1/4`, '--shard');
  const i = Number(m[1]);
  const n = Number(m[2]);
  if (n < 1) throw new InputError(`invalid shard "${spec}": the number of shards must be at least 1`, '--shard');
  if (i < 1 || i > n) throw new InputError(`invalid shard "${spec}": shards are numbered 1..${n}`, '--shard');
  return { index: i - 1, count: n };
}

/**
 * The shard of a Slurm array task: index `(SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN) /
 * SLURM_ARRAY_TASK_STEP` of `SLURM_ARRAY_TASK_COUNT`, so `--array=0-9` and `--array=1-10`
 * both give shards 0..9 of 10. Undefined outside an array job; an InputError in a one-task
 * array (a resubmitted index cannot know the count).
 */
export function shardFromSlurm(env: NodeJS.ProcessEnv = process.env): Shard | undefined {
  const idRaw = env.SLURM_ARRAY_TASK_ID;
  if (idRaw === undefined || idRaw === '') return undefined;
  const num = (name: string, fallback?: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') {
      if (fallback !== undefined) return fallback;
      throw new InputError(`SLURM_ARRAY_TASK_ID is set but ${name} is not; pass --shard i/n explicitly`);
    }
    const v = Number(raw);
    if (!Number.isInteger(v)) throw new InputError(`${name}=${raw} is not an integer; pass --shard i/n explicitly`);
    return v;
  };
  const id = num('SLURM_ARRAY_TASK_ID');
  const min = num('SLURM_ARRAY_TASK_MIN', 0);
  const step = num('SLURM_ARRAY_TASK_STEP', 1);
  const max = env.SLURM_ARRAY_TASK_MAX;
  const count =
    env.SLURM_ARRAY_TASK_COUNT !== undefined && env.SLURM_ARRAY_TASK_COUNT !== ''
      ? num('SLURM_ARRAY_TASK_COUNT')
      : max !== undefined && max !== ''
        ? Math.floor((num('SLURM_ARRAY_TASK_MAX') - min) / step) + 1
        : num('SLURM_ARRAY_TASK_COUNT');
  // A one-task array is typically one index resubmitted (`sbatch --array=3`): its shard
  // count says nothing about the original array's.
  if (count === 1) throw new InputError(`Slurm array task ${id} is the only task of its array, so the shard count is unknown; pass --shard ${id}/<shards>`);
  if (step < 1 || (id - min) % step !== 0) throw new InputError(`Slurm array id ${id} does not fit min ${min} step ${step}; pass --shard i/n explicitly`);
  const index = (id - min) / step;
  if (count < 1 || index < 0 || index >= count)
    throw new InputError(`Slurm array id ${id} (min ${min}) gives shard ${index} of ${count}; use a contiguous --array range or pass --shard i/n`);
  return { index, count };
}

/** A shard for messages: "i/n" (1-based), or "all". */
export function formatShard(shard: Shard | undefined | null): string {
  return shard ? `${shard.index + 1}/${shard.count}` : 'all';
}
