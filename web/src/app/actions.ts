/**
 * State transitions that touch the scenario: edits (with the channel-source rule and undo),
 * imports and presets. Each bumps `version`, so a shown result becomes "stale" (re-evaluated
 * on the edited scenario) or is dropped when its dimensions no longer fit.
 */
import { generateScenario } from '../../../src/model/generate.ts';
import { parseDesign } from '../../../src/model/design.ts';
import { parseScenario } from '../../../src/model/scenario.ts';
import { inView } from '../map/transform.ts';
import { draftToJson, importScenario, type Draft, type ExplicitPropagation } from './draft.ts';
import { EditError } from './edits.ts';
import { draftLimitProblem, sizeProblem } from './limits.ts';
import { fitView, nodePoints, userDefaultsOf, type AppState, type MessageSlot, type NodeRef, type Snapshot } from './state.ts';
import type { Store } from './store.ts';

/** geometry: a node moved/added/removed; antennas: N (channel shapes); seed: the draws; params: the rest. */
export type EditKind = 'geometry' | 'antennas' | 'seed' | 'params';

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function setMessage(store: Store<AppState>, slot: MessageSlot, text: string | undefined): void {
  store.update((s) => ({ messages: { ...s.messages, [slot]: text } }));
}

const dims = (d: Draft) => `${d.baseStations.length}x${d.users.length}x${d.antennas}`;

function droppedNote(matchesModel: boolean, why: string, seed: number): string {
  return matchesModel
    ? `Channels are now drawn in the browser from the channel model (seed ${seed}) since ${why}; the file's channels were the model's draws, so only the edited links change.`
    : `The imported channels were dropped because ${why}: all channels are now drawn from the channel model (seed ${seed}).`;
}

/** Undo keeps this many steps. */
const HISTORY_DEPTH = 100;

const snapshotOf = (s: AppState): Snapshot => ({ draft: s.draft, explicit: s.explicit, channelNote: s.channelNote });
const pushed = (list: Snapshot[], snap: Snapshot) => [...list.slice(-(HISTORY_DEPTH - 1)), snap];

/** The current view if every node is still in it, else a fit (a typed coordinate far away must not vanish). */
function viewFor(s: AppState, draft: Draft): AppState['view'] {
  return nodePoints(draft).every((p) => inView(s.view, p)) ? s.view : fitView(draft, s.radius);
}

/**
 * Applies an edit; returns false (with the reason in messages.edit) when it is refused.
 * `history: 'merge'` folds the edit into the last undo step (the moves of one drag).
 */
export function editScenario(store: Store<AppState>, fn: (d: Draft) => Draft, kind: EditKind, opts: { history?: 'push' | 'merge' } = {}): boolean {
  const s = store.state;
  let next: Draft;
  try {
    next = fn(s.draft);
  } catch (err) {
    if (!(err instanceof EditError)) throw err;
    setMessage(store, 'edit', err.message);
    return false;
  }
  const dropExplicit = s.explicit !== null && kind !== 'params';
  const why = kind === 'geometry' ? 'the geometry changed' : kind === 'antennas' ? 'N changed' : 'the seed changed';
  store.update({
    draft: next,
    explicit: dropExplicit ? null : s.explicit,
    channelNote: dropExplicit ? droppedNote(s.explicit!.matchesModel, why, next.channelModel.seed) : s.channelNote,
    version: s.version + 1,
    result: s.result && dims(s.draft) === dims(next) ? s.result : null,
    view: viewFor(s, next),
    undo: opts.history === 'merge' ? s.undo : pushed(s.undo, snapshotOf(s)),
    redo: [],
    messages: { ...s.messages, edit: undefined },
  });
  return true;
}

function nodeExists(d: Draft, ref: NodeRef): boolean {
  return ref.index < (ref.kind === 'user' ? d.users.length : ref.kind === 'bs' ? d.baseStations.length : d.targets.length);
}

/** Undo or redo: restores a snapshot and moves the current scenario onto the other stack. */
export function travel(store: Store<AppState>, direction: 'undo' | 'redo'): boolean {
  const s = store.state;
  const from = direction === 'undo' ? s.undo : s.redo;
  const snap = from[from.length - 1];
  if (!snap) return false;
  const rest = from.slice(0, -1);
  const here = snapshotOf(s);
  store.update({
    ...snap,
    version: s.version + 1,
    result: s.result && dims(s.draft) === dims(snap.draft) ? s.result : null,
    view: viewFor(s, snap.draft),
    undo: direction === 'undo' ? rest : pushed(s.undo, here),
    redo: direction === 'undo' ? pushed(s.redo, here) : rest,
    selection: s.selection && nodeExists(snap.draft, s.selection) ? s.selection : null,
    fieldEpoch: s.fieldEpoch + 1,
    userDefaults: userDefaultsOf(snap.draft),
    messages: { ...s.messages, edit: undefined },
  });
  return true;
}

/** A checked scenario to load: from a file (parsed in the worker), a preset or the URL. */
export interface Loaded {
  draft: Draft;
  explicit: ExplicitPropagation | null;
}

/** Validates contract JSON with the library and the planner's limits (throws with the JSON path). */
export function checkScenario(json: unknown, source?: string): Loaded {
  const size = sizeProblem(json);
  if (size) throw new Error(`${source ? `${source}: ` : ''}${size}`);
  const imported = importScenario(json, source);
  const problem = draftLimitProblem(imported.draft);
  if (problem) throw new Error(`${source ? `${source}: ` : ''}${problem}`);
  return imported;
}

/** Parses and checks scenario text; JSON syntax errors name the file. Runs in the tools worker. */
export function parseScenarioText(text: string, fileName: string): Loaded {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${fileName}: not valid JSON (${errorText(err)})`);
  }
  return checkScenario(json, fileName);
}

/**
 * Replaces the scenario (undoable). Presets are generated here from the channel model, so
 * their channels are model draws by construction and the draft need not carry them.
 */
export function loadScenario(store: Store<AppState>, loaded: Loaded, slot: MessageSlot, generated = false): void {
  const draft = loaded.draft;
  const explicit = generated ? null : loaded.explicit;
  const s = store.state;
  store.update({
    draft,
    explicit,
    channelNote: !explicit
      ? null
      : explicit.matchesModel
        ? "Using the file's explicit channels (they equal the channel model's draws); a geometry edit redraws them from the model."
        : "Using the file's explicit channels (they differ from the channel model's draws); a geometry edit replaces them with model draws.",
    version: s.version + 1,
    view: fitView(draft, s.radius),
    userDefaults: userDefaultsOf(draft),
    selection: null,
    result: null,
    fieldEpoch: s.fieldEpoch + 1,
    undo: pushed(s.undo, snapshotOf(s)),
    redo: [],
    importing: null,
    messages: { [slot]: undefined },
  });
}

function replaceScenario(store: Store<AppState>, json: unknown, source: string, slot: MessageSlot, generated = false): boolean {
  let loaded: Loaded;
  try {
    loaded = checkScenario(json, source);
  } catch (err) {
    setMessage(store, slot, errorText(err));
    return false;
  }
  loadScenario(store, loaded, slot, generated);
  return true;
}

export function loadFig2(store: Store<AppState>): void {
  replaceScenario(store, generateScenario({ preset: 'fig2' }), 'Fig. 2 preset', 'import', true);
}

/** A random drop (users and target uniform in the service disc) with the panel's parameters and seed. */
export function loadRandom(store: Store<AppState>): void {
  const { draft, radius, randomUsers, randomLayout } = store.state;
  const user0 = draft.users[0];
  let json: unknown;
  try {
    json = generateScenario({
      seed: draft.channelModel.seed,
      users: randomUsers,
      radius,
      layout: randomLayout,
      antennas: draft.antennas,
      radarSamples: draft.radarSamples,
      maxPowerDbm: draft.maxPowerDbm,
      radarNoisePowerDbm: draft.radarNoisePowerDbm,
      crlbMax: draft.crlbMax,
      ...(user0 ? { minSinrDb: user0.minSinrDb, userNoisePowerDbm: user0.noisePowerDbm } : {}),
    });
  } catch (err) {
    setMessage(store, 'random', errorText(err));
    return;
  }
  if (replaceScenario(store, json, 'random scenario', 'random', true)) setMessage(store, 'import', undefined);
}

/** Imports a design file and checks it against the current scenario (errors name the JSON path). */
export function importDesignFile(store: Store<AppState>, text: string, fileName: string): boolean {
  const s = store.state;
  let json: unknown;
  try {
    json = JSON.parse(text);
    parseDesign(json, parseScenario(draftToJson(s.draft, s.explicit)), fileName);
  } catch (err) {
    setMessage(store, 'design', json === undefined ? `${fileName}: not valid JSON (${errorText(err)})` : errorText(err));
    return false;
  }
  store.update({
    result: { design: json as Record<string, unknown>, origin: 'file', fileName, scenarioVersion: s.version },
    messages: { ...s.messages, design: undefined },
  });
  return true;
}
