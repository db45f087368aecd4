/** The app's state: the scenario being edited, UI settings, the current result and messages. */
import { generateScenario } from '../../../src/model/generate.ts';
import { importScenario, type Draft, type ExplicitPropagation, type XY } from './draft.ts';

export const UI_METHODS = ['proposed', 'exact', 'scheme1', 'scheme2', 'scheme3'] as const;
export type UiMethod = (typeof UI_METHODS)[number];

export type Mode = 'move' | 'add-user' | 'add-bs' | 'delete';
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
}

export interface SolveProgress {
  method: UiMethod;
  fraction: number;
  message: string;
  startedAt: number;
}

export type MessageSlot = 'import' | 'design' | 'solve' | 'edit' | 'random';

export interface AppState {
  draft: Draft;
  explicit: ExplicitPropagation | null;
  /** Bumped on every scenario change; results remember the version they were made for. */
  version: number;
  /** Why the channels changed source (e.g. imported explicit channels dropped after a move). */
  channelNote: string | null;
  /** Radius of the service area drawn on the map and used by the random preset, m. */
  radius: number;
  /** Half-width of the map view in metres, fixed between fits so drags do not rescale it. */
  viewRadius: number;
  /** SINR target and noise of new users; the "all users" fields set these and every user. */
  userDefaults: { minSinrDb: number; noisePowerDbm: number };
  randomUsers: number;
  randomLayout: 'paper' | 'hexagon';
  method: UiMethod;
  timeLimit: number;
  autoSolve: boolean;
  beamScale: 'linear' | 'db' | 'off';
  mode: Mode;
  selection: NodeRef | null;
  /** A node is being dragged (auto-solve waits for the drop). */
  dragging: boolean;
  result: ResultEntry | null;
  solving: SolveProgress | null;
  messages: Partial<Record<MessageSlot, string>>;
}

export const DEFAULT_RADIUS = 150;

/** The view half-width that shows the service area and every node with a margin. */
export function fitView(draft: Draft, radius: number): number {
  const pts: XY[] = [...draft.baseStations.map((b) => b.position), ...draft.users.map((u) => u.position), draft.target];
  const far = Math.max(radius, ...pts.map((p) => Math.hypot(p[0], p[1])));
  return far * 1.15;
}

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
    viewRadius: fitView(draft, DEFAULT_RADIUS),
    userDefaults: userDefaultsOf(draft),
    randomUsers: 5,
    randomLayout: 'paper',
    method: 'proposed',
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
