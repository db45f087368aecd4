/** Messages between the page and the tools worker (file checks, the CRLB map, explanations). */
import type { Loaded } from '../app/actions.ts';
import type { View } from '../map/transform.ts';
import type { FixedChoice, ReceiverCertificate } from './certificate.ts';
import type { Diagnosis } from './diagnose.ts';

export interface ToolRequests {
  /** Parse and check a scenario file (contract + the planner's limits). */
  import: { text: string; name: string; args?: never };
  /** CRLB per map point for the design, on an n x n grid over the view. */
  heatmap: { scenario: Record<string, unknown>; design: Record<string, unknown>; view: View; n: number };
  /** Which requirement to relax when the scenario is infeasible. */
  diagnose: { scenario: Record<string, unknown> };
  /** The solver's infeasibility certificates (one per receiver) and their weights on the requirements. */
  certify: { scenario: Record<string, unknown>; fixed?: FixedChoice };
}

export interface ToolReplies {
  import: Loaded;
  heatmap: { n: number; crlb: Float64Array };
  diagnose: Diagnosis;
  certify: ReceiverCertificate[];
}

export type ToolKind = keyof ToolRequests;

export type ToolRequest = { [K in ToolKind]: { id: number; kind: K; payload: ToolRequests[K] } }[ToolKind];

export type ToolReply =
  | { id: number; type: 'done'; value: unknown }
  | { id: number; type: 'progress'; message: string }
  | { id: number; type: 'error'; message: string };
