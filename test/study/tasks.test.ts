import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { parseStudy } from '../../src/study/schema.ts';
import { deriveSeed, derive64 } from '../../src/study/seed.ts';
import { methodSeed, parseShard, scenarioSeed, shardFromSlurm, studyTasks, taskCount } from '../../src/study/tasks.ts';
import { smallStudy } from './helpers.ts';

describe('seeds', () => {
  it('are pure functions of (seed, indices) and well spread', () => {
    expect(deriveSeed(1, 2, 3)).toBe(deriveSeed(1, 2, 3));
    expect(deriveSeed(1, 2, 3)).not.toBe(deriveSeed(1, 3, 2));
    expect(derive64(1, 2)).not.toBe(derive64(1, 2, 0));
    const seen = new Set<number>();
    for (let t = 0; t < 2000; t++) seen.add(deriveSeed(42, 0, t));
    expect(seen.size).toBe(2000);
    // splitmix64 finaliser on 0 + golden increment: a fixed value, so seeds never change silently.
    expect(derive64(0).toString(16)).toBe('0');
    expect(deriveSeed(20240501, 0, 0)).toBe(deriveSeed(20240501, 0, 0));
  });

  it('give every method the same scenario, and (common mode) every point the same realisation', () => {
    const s = parseStudy(smallStudy());
    expect(scenarioSeed(s, 0, 3)).toBe(scenarioSeed(s, 2, 3));
    expect(scenarioSeed(s, 0, 3)).not.toBe(scenarioSeed(s, 0, 2));
    expect(methodSeed(s, 0, 1, 'scheme2')).toBe(methodSeed(s, 2, 1, 'scheme2'));
    const ind = parseStudy(smallStudy({ seedMode: 'independent' }));
    expect(scenarioSeed(ind, 0, 3)).not.toBe(scenarioSeed(ind, 1, 3));
  });
});

describe('tasks and shards', () => {
  it('shards partition the task list', () => {
    const s = parseStudy(smallStudy({ trials: 7 }));
    const all = studyTasks(s)
      .map((t) => t.index)
      .sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: taskCount(s) }, (_, i) => i));
    for (const n of [1, 2, 3, 5, 40]) {
      const parts = Array.from({ length: n }, (_, i) => studyTasks(s, { index: i, count: n }).map((t) => t.index));
      const union = parts.flat().sort((a, b) => a - b);
      expect(union).toEqual(all);
      // every method of a (point, trial) lands in the same shard
      for (const p of parts) for (const i of p) expect(p).toContain(i - (i % 3));
    }
  });

  it('parses i/n with 1 <= i <= n', () => {
    expect(parseShard('1/4')).toEqual({ index: 0, count: 4 });
    expect(parseShard('4/4')).toEqual({ index: 3, count: 4 });
    for (const bad of ['3/2', '0/0', '0/3', '1/0', 'x', '1-2', '-1/2', '1/2/3']) expect(() => parseShard(bad)).toThrow(InputError);
    expect(() => parseShard('3/2')).toThrow(/shards are numbered 1..2/);
  });

  it('reads Slurm array variables (ids from 0 or 1, with a step)', () => {
    expect(shardFromSlurm({})).toBeUndefined();
    expect(shardFromSlurm({ SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '0' })).toEqual({ index: 0, count: 4 });
    expect(shardFromSlurm({ SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '1' })).toEqual({ index: 3, count: 4 });
    expect(shardFromSlurm({ SLURM_ARRAY_TASK_ID: '6', SLURM_ARRAY_TASK_MIN: '2', SLURM_ARRAY_TASK_MAX: '8', SLURM_ARRAY_TASK_STEP: '2' })).toEqual({
      index: 2,
      count: 4,
    });
    expect(() => shardFromSlurm({ SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '1' })).toThrow(InputError);
    expect(() => shardFromSlurm({ SLURM_ARRAY_TASK_ID: '1' })).toThrow(/SLURM_ARRAY_TASK_COUNT/);
    // One index resubmitted alone (sbatch --array=3) cannot know the shard count.
    expect(() => shardFromSlurm({ SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '1', SLURM_ARRAY_TASK_MIN: '3', SLURM_ARRAY_TASK_MAX: '3' })).toThrow(
      /pass --shard 3\/<shards>/,
    );
  });
});
