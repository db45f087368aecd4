/** Messages between the page and the solver worker. */
import type { DesignJson } from '../../../src/design/api.ts';
import type { UiMethod } from '../app/state.ts';

export interface SolveRequest {
  id: number;
  /** Contract scenario JSON (channels drawn in the worker exactly as parseScenario draws them). */
  scenario: Record<string, unknown>;
  method: UiMethod;
  /** exact only, seconds. */
  timeLimit?: number;
  /** fixed: the receiving BS and the association (0-based). */
  receiver?: number;
  association?: number[];
  /** scheme2's random choice. */
  seed?: number;
}

export type SolverKernels = 'WebAssembly' | 'TypeScript';

export type WorkerReply =
  | { id: number; type: 'progress'; fraction: number; message: string }
  /** `kernels`: whether the solver's dense kernels ran in WebAssembly or in the TypeScript fallback. */
  | { id: number; type: 'done'; design: DesignJson; kernels: SolverKernels }
  | { id: number; type: 'error'; message: string };
