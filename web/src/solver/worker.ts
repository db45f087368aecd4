/**
 * The optimiser in a Web Worker so the page stays responsive. One request at a time; the page
 * cancels by terminating the worker.
 */
import { parseScenario } from '../../../src/model/scenario.ts';
import { estimateSolveSeconds, solveScenarioSync } from '../../../src/design/solve.ts';
import { longSolveNote } from '../../../src/limits.ts';
import { wasmKernelsActive } from '../../../src/linalg/wasm-kernels.ts';
import type { SolveRequest, WorkerReply } from './protocol.ts';

const post = (m: WorkerReply) => (self as unknown as { postMessage(m: WorkerReply): void }).postMessage(m);

/** At most ~20 progress messages a second: the solver may report far more often. */
const PROGRESS_INTERVAL_MS = 50;

self.onmessage = (e: MessageEvent<SolveRequest>) => {
  const { id, scenario, method, timeLimit, seed, receiver, association } = e.data;
  let last = 0;
  try {
    const scn = parseScenario(scenario);
    // The CLI refuses a solve estimated above 10 min unless --force is given: a user there has
    // no other handle on it. Here the progress shows and Cancel stops it, so the solve runs and
    // its estimate (on the long side, design/solve.ts) stays in the progress line.
    const long = longSolveNote(estimateSolveSeconds(scn, method));
    const note = long ? ` (${long})` : '';
    if (note) post({ id, type: 'progress', fraction: 0, message: `starting${note}` });
    const design = solveScenarioSync(scn, {
      method,
      force: true,
      ...(method === 'exact' && timeLimit !== undefined ? { timeLimit } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(method === 'fixed' ? { receiver, association } : {}),
      onProgress: (fraction, message) => {
        const now = performance.now();
        // exact's node reports carry the bound and the incumbent: never drop those (one per
        // node, each an SDP solve, so they come at most a few times a second).
        if (now - last < PROGRESS_INTERVAL_MS && !/ nodes, bound /.test(message)) return;
        last = now;
        post({ id, type: 'progress', fraction, message: message + note });
      },
    });
    post({ id, type: 'done', design, kernels: wasmKernelsActive() ? 'WebAssembly' : 'TypeScript' });
  } catch (err) {
    post({ id, type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
