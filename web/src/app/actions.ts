/**
 * State transitions that touch the scenario: edits (with the channel-source rule), imports
 * and presets. Each bumps `version`, so a shown result becomes "stale" (re-evaluated on the
 * edited scenario) or is dropped when its dimensions no longer fit.
 */
import { generateScenario } from '../../../src/model/generate.ts';
import { parseDesign } from '../../../src/model/design.ts';
import { parseScenario } from '../../../src/model/scenario.ts';
import { draftToJson, importScenario, type Draft } from './draft.ts';
import { EditError } from './edits.ts';
import { fitView, userDefaultsOf, type AppState, type MessageSlot } from './state.ts';
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

/** Applies an edit; returns false (with the reason in messages.edit) when it is refused. */
export function editScenario(store: Store<AppState>, fn: (d: Draft) => Draft, kind: EditKind): boolean {
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
    messages: { ...s.messages, edit: undefined },
  });
  return true;
}

/**
 * Replaces the scenario. Presets are generated here from the channel model, so their channels
 * are model draws by construction and the draft need not carry them (`generated`).
 */
function replaceScenario(store: Store<AppState>, json: unknown, source: string | undefined, slot: MessageSlot, generated = false): boolean {
  let imported;
  try {
    imported = importScenario(json, source);
  } catch (err) {
    setMessage(store, slot, errorText(err));
    return false;
  }
  const draft = imported.draft;
  const explicit = generated ? null : imported.explicit;
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
    viewRadius: fitView(draft, s.radius),
    userDefaults: userDefaultsOf(draft),
    selection: null,
    result: null,
    messages: { [slot]: undefined },
  });
  return true;
}

/** Imports scenario JSON (already parsed); errors name the JSON path. */
export function importScenarioFile(store: Store<AppState>, text: string, fileName: string): boolean {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    setMessage(store, 'import', `${fileName}: not valid JSON (${errorText(err)})`);
    return false;
  }
  return replaceScenario(store, json, fileName, 'import');
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
