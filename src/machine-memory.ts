/**
 * Node only: tells limits.ts this machine's memory and V8's heap limit, so that its estimates
 * are checked against what this process may use rather than the browser's assumed 4 GiB. Called
 * by the CLI and by every worker thread (a thread has its own copy of the limits' state).
 */
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { setMachineMemory } from './limits.ts';

export function useThisMachinesMemory(): void {
  setMachineMemory(totalmem(), getHeapStatistics().heap_size_limit);
}
