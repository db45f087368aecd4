/**
 * Worker body of exact-pool.ts: the scenario arrives once as `workerData`; each task is
 * one relaxation or `fixed` solve of the branch and bound.
 */
import { workerData } from 'node:worker_threads';
import type { Scenario } from '../model/types.ts';
import { designData } from './from-scenario.ts';
import { runExactTask, type ExactTask } from './exact.ts';
import { sdpStats } from './sdp.ts';
import { useThisMachinesMemory } from '../machine-memory.ts';
import type { WireResult, WireTask } from './exact-pool.ts';

// a thread has its own limits (limits.ts): this machine's, not the browser's default
useThisMachinesMemory();
const data = designData((workerData as { scenario: Scenario }).scenario);

export default function run(task: WireTask): WireResult {
  const { deadlineEpoch, ...rest } = task;
  const deadline = deadlineEpoch === undefined ? undefined : performance.now() + (deadlineEpoch - Date.now());
  const before = { ...sdpStats };
  const result = runExactTask(data, rest as ExactTask, deadline);
  return {
    result,
    stats: { calls: sdpStats.calls - before.calls, iterations: sdpStats.iterations - before.iterations, seconds: sdpStats.seconds - before.seconds },
  };
}
