/** How many worker threads a study run uses when none are asked for. */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { defaultWorkers } from '../../src/study/engine.ts';

describe('defaultWorkers', () => {
  it('inside a Slurm job: the CPUs the job was given', () => {
    expect(defaultWorkers({ SLURM_JOB_ID: '12', SLURM_CPUS_PER_TASK: '3' })).toBe(3);
  });
  it('otherwise (or with an unusable value): the cores of this machine', () => {
    expect(defaultWorkers({})).toBe(availableParallelism());
    expect(defaultWorkers({ SLURM_CPUS_PER_TASK: '3' })).toBe(availableParallelism()); // not in a job
    expect(defaultWorkers({ SLURM_JOB_ID: '12' })).toBe(availableParallelism());
    expect(defaultWorkers({ SLURM_JOB_ID: '12', SLURM_CPUS_PER_TASK: 'x' })).toBe(availableParallelism());
  });
});
