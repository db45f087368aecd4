/**
 * Piscina worker body: loads the trial runner module named in the task (cached per
 * thread) and runs one trial. Compiled, piscina loads this file directly; from the sources it
 * is loaded through `worker.mjs`, which registers tsx first so that worker threads can import
 * TypeScript.
 */
import { useThisMachinesMemory } from '../machine-memory.ts';
import { executeTrial, loadRunner, type TrialInput, type TrialResult, type TrialRunner } from './trial.ts';

export interface WorkerTask {
  runner: string;
  input: TrialInput;
}

// a thread has its own limits (limits.ts): this machine's, not the browser's default
useThisMachinesMemory();

const runners = new Map<string, Promise<TrialRunner>>();

export default async function runTask(task: WorkerTask): Promise<TrialResult> {
  let runner = runners.get(task.runner);
  if (!runner) {
    runner = loadRunner(task.runner);
    runners.set(task.runner, runner);
  }
  return executeTrial(await runner, task.input);
}
