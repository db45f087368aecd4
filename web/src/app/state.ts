/** The app's state: the scenario being edited, UI settings, the current result and messages. */
import { generateScenario } from '../../../src/model/generate.ts';
import { importScenario, type Draft, type ExplicitPropagation, type XY } from './draft.ts';
import type { View } from '../map/transform.ts';
import type { ReceiverCertificate } from '../tools/certificate.ts';
import type { Diagnosis } from '../tools/diagnose.ts';
import type { SolverKernels } from '../solver/protocol.ts';

export const UI_METHODS = ['proposed', 'exact', 'fixed', 'scheme1', 'scheme2', 'scheme3'] as const;
export type UiMethod = (typeof UI_METHODS)[number];

export type Mode = 'move' | 'add-user' | 'add-bs' | 'add-target' | 'delete' | 'fixed';
export type NodeKind = 'user' | 'bs' | 'target';
export interface NodeRef {
  kind: NodeKind;
  index: number;
}

/** A design to show: from the in-browser solver or an imported file (contract JSON). */
export interface ResultEntry {
  design: Record<string, unknown>;
  origin: 'solver' | 'file';
  fileName?: string;
  /** The scenario version it was made for; older means "stale" (evaluated on the edited scenario). */
  scenarioVersion: number;
  /** From the solver: whether its dense kernels ran in WebAssembly or in the TypeScript fallback. */
  kernels?: SolverKernels;
}

export interface SolveProgress {
  method: UiMethod;
  fraction: number;
  message: string;
  startedAt: number;
}

export interface HeatLayer {
  result: ResultEntry;
  version: number;
  view: View;
  n: number;
  /** CRLB in m^2 per cell, row-major from the top-left; NaN on a BS, Infinity where unbounded. */
  crlb: Float64Array;
}

export type MessageSlot = 'import' | 'design' | 'solve' | 'edit' | 'random' | 'share';

/** What undo/redo restores: the scenario and where its channels come from. */
export interface Snapshot {
  draft: Draft;
  explicit: ExplicitPropagation | null;
  channelNote: string | null;
}

/** A result kept for comparison (pinned), with the scenario version it was made for. */
export interface Pinned {
  id: number;
  entry: ResultEntry;
  /** What the compare table shows, taken from the evaluation when it was pinned. */
  method: string;
  verdict: string;
  receiver: number;
  association: number[];
  powerPerBs: number[];
  totalPower: number;
  crlb: number | null;
  gap: number | null;
  /** The scenario version it was evaluated on. */
  version: number;
}

export interface AppState {
  draft: Draft;
  explicit: ExplicitPropagation | null;
  /** Bumped on every scenario change; results remember the version they were made for. */
  version: number;
  /** Why the channels changed source (e.g. imported explicit channels dropped after a move). */
  channelNote: string | null;
  /** Radius of the service area drawn on the map and used by the random preset, m. */
  radius: number;
  /** The map's view (centre and half-width, m); zoom/pan change it, edits refit it only when a node leaves it. */
  view: View;
  /** Bumped when the scenario is replaced or the selection changes: fields then show the model's value again. */
  fieldEpoch: number;
  /** Fields whose typed text is invalid (id -> "label: reason"); Solve and Export wait for them. */
  fieldErrors: Record<string, string>;
  undo: Snapshot[];
  redo: Snapshot[];
  pinned: Pinned[];
  /** Map layer: none, or the CRLB the shown design would give with the target at each point. */
  heatmap: 'off' | 'crlb';
  /** Map layer: each user's achieved SINR against its target (ring and label). */
  sinrLayer: boolean;
  /** The computed CRLB map (for the result, scenario version and view it was made for). */
  heat: HeatLayer | null;
  /** Why the shown infeasible result is infeasible (computed in the tools worker). */
  diagnosis: { result: ResultEntry; running: boolean; message: string; certificates?: ReceiverCertificate[]; value?: Diagnosis } | null;
  /** A file is being read and checked in the worker. */
  importing: string | null;
  /** SINR target and noise of new users; the "all users" fields set these and every user. */
  userDefaults: { minSinrDb: number; noisePowerDbm: number };
  randomUsers: number;
  randomLayout: 'paper' | 'hexagon';
  method: UiMethod;
  /** For `fixed`: the receiving BS and each user's serving BS (0-based), chosen by the user. */
  fixed: { receiver: number; association: number[] };
  /** Mode "Choose fixed": the user clicked last, waiting for the BS that should serve it. */
  fixedPending: number | null;
  timeLimit: number;
  autoSolve: boolean;
  beamScale: 'linear' | 'db' | 'off';
  mode: Mode;
  selection: NodeRef | null;
  /** A node is being dragged (auto-solve waits for the drop). */
  dragging: boolean;
  result: ResultEntry | null;
  solving: SolveProgress | null;
  messages: Partial<Record<MessageSlot, string | undefined>>;
}

export const DEFAULT_RADIUS = 150;

export function nodePoints(draft: Draft): XY[] {
  return [...draft.baseStations.map((b) => b.position), ...draft.users.map((u) => u.position), ...draft.targets.map((t) => t.position)];
}

/** The view that shows the service area and every node with a margin (centred on their bounding box). */
export function fitView(draft: Draft, radius: number): View {
  const pts = nodePoints(draft);
  const xs = [-radius, radius, ...pts.map((p) => p[0])];
  const ys = [-radius, radius, ...pts.map((p) => p[1])];
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  return { cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, R: (Math.max(x1 - x0, y1 - y0) / 2) * 1.15 };
}

/** Zoom limits: from 2 m to twice the coordinate limit across. */
export const VIEW_LIMITS = { min: 2, max: 5000 };

export function userDefaultsOf(draft: Draft): AppState['userDefaults'] {
  const u = draft.users[0];
  return { minSinrDb: u?.minSinrDb ?? 8, noisePowerDbm: u?.noisePowerDbm ?? -85 };
}

export function initialState(): AppState {
  // Generated here from the channel model: no explicit channels to keep.
  const { draft } = importScenario(generateScenario({ preset: 'fig2' }));
  return {
    draft,
    explicit: null,
    version: 1,
    channelNote: null,
    radius: DEFAULT_RADIUS,
    view: fitView(draft, DEFAULT_RADIUS),
    fieldEpoch: 0,
    fieldErrors: {},
    undo: [],
    redo: [],
    pinned: [],
    heatmap: 'off',
    sinrLayer: false,
    heat: null,
    diagnosis: null,
    importing: null,
    userDefaults: userDefaultsOf(draft),
    randomUsers: 5,
    randomLayout: 'paper',
    method: 'proposed',
    fixed: { receiver: 0, association: draft.users.map(() => 1) },
    fixedPending: null,
    timeLimit: 60,
    autoSolve: false,
    beamScale: 'linear',
    mode: 'move',
    selection: null,
    dragging: false,
    result: null,
    solving: null,
    messages: {},
  };
}
