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

export type WorkerReply =
  | { id: number; type: 'progress'; fraction: number; message: string }
  | { id: number; type: 'done'; design: DesignJson }
  | { id: number; type: 'error'; message: string };
