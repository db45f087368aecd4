/**
 * The scenario as the UI edits it: the contract's JSON fields without channels. Channels are
 * drawn by the contract's channel model from the seed whenever the scenario is parsed, so
 * moving a user changes its path loss and hence its channel (intended). An imported file with
 * explicit channels that differ from the model keeps them (`explicit`) until a geometry edit.
 */
import { parseScenario, scenarioToJson } from '../../../src/model/scenario.ts';
import type { ChannelModel, Scenario } from '../../../src/model/types.ts';

export type XY = [number, number];

export interface DraftBs {
  position: XY;
  /** Only when set explicitly; otherwise the contract's default (broadside faces the origin). */
  arrayAxis?: XY;
}

export interface DraftUser {
  position: XY;
  minSinrDb: number;
  noisePowerDbm: number;
}

export interface Draft {
  name?: string;
  antennas: number;
  radarSamples: number;
  maxPowerDbm: number;
  radarNoisePowerDbm: number;
  crlbMax: number;
  baseStations: DraftBs[];
  users: DraftUser[];
  /** The sensed targets (at least one), each with its own CRLB bound when set. */
  targets: DraftTarget[];
  /** The file used `targets` (written back in that form, even with one target). */
  targetsForm: boolean;
  channelModel: ChannelModel;
}

export interface DraftTarget {
  position: XY;
  /** This target's own bound epsilon_t, m^2; unset = the scenario's crlbMax. */
  crlbMax?: number;
}

/** Whether the draft needs the contract's `targets` form (several targets, or own bounds). */
export function usesTargetsForm(d: Draft): boolean {
  return d.targetsForm || d.targets.length !== 1 || d.targets.some((t) => t.crlbMax !== undefined);
}

/** Explicit propagation of an imported file (contract JSON arrays), kept as given until a geometry edit. */
export interface ExplicitPropagation {
  channels?: unknown;
  radarGains?: unknown;
  /**
   * Whether they equal the channel model's draws for this geometry and seed (files written by
   * `netisac scenario generate` do, up to the last bit of Math.log/cos across JS engines).
   */
  matchesModel: boolean;
}

/** The contract JSON of the draft (channels only where explicit ones are kept). */
export function draftToJson(d: Draft, explicit: ExplicitPropagation | null): Record<string, unknown> {
  return {
    ...(d.name !== undefined ? { name: d.name } : {}),
    antennas: d.antennas,
    radarSamples: d.radarSamples,
    maxPowerDbm: d.maxPowerDbm,
    radarNoisePowerDbm: d.radarNoisePowerDbm,
    crlbMax: d.crlbMax,
    baseStations: d.baseStations.map((b) => ({ position: b.position, ...(b.arrayAxis ? { arrayAxis: b.arrayAxis } : {}) })),
    users: d.users.map((u) => ({ position: u.position, minSinrDb: u.minSinrDb, noisePowerDbm: u.noisePowerDbm })),
    ...(usesTargetsForm(d)
      ? { targets: d.targets.map((t) => ({ position: t.position, ...(t.crlbMax !== undefined ? { crlbMax: t.crlbMax } : {}) })) }
      : { target: { position: d.targets[0].position } }),
    channelModel: d.channelModel,
    ...(explicit?.channels !== undefined ? { channels: explicit.channels } : {}),
    // A one-target file's S x S gains become the T x S x S list once the draft needs `targets`
    // (an own bound set on its target: a params edit keeps the explicit propagation).
    ...(explicit?.radarGains !== undefined ? { radarGains: usesTargetsForm(d) && !d.targetsForm ? [explicit.radarGains] : explicit.radarGains } : {}),
  };
}

/** What the exported scenario file holds: every channel explicit, so the CLI sees the same propagation. */
export function exportScenarioJson(d: Draft, explicit: ExplicitPropagation | null): Record<string, unknown> {
  return scenarioToJson(parseScenario(draftToJson(d, explicit)));
}

function draftOf(scn: Scenario): Draft {
  // The scenario's contract JSON (one writer for the CLI and the UI) without its propagation.
  const json = structuredClone(scenarioToJson(scn)) as Record<string, unknown>;
  const { channels: _c, radarGains: _r, channelModel: _m, target: _t, targets: _ts, ...rest } = json;
  void [_c, _r, _m, _t, _ts];
  return {
    ...(rest as unknown as Omit<Draft, 'targets' | 'targetsForm' | 'channelModel'>),
    targets: scn.targets.map((t) => ({ position: [t.position[0], t.position[1]] as XY, ...(t.crlbMaxGiven ? { crlbMax: t.crlbMax } : {}) })),
    targetsForm: scn.targetsGiven,
    channelModel: { ...scn.channelModel },
  };
}

function close(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]), Math.abs(b[i]));
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) > 1e-9 * scale) return false;
  return true;
}

/**
 * Validates an imported scenario (throws the library's InputError with the JSON path) and
 * splits it into a draft and the explicit propagation the file gave. Those are kept verbatim
 * (so a CLI design evaluates on exactly the CLI's channels) until a geometry edit.
 */
export function importScenario(json: unknown, source?: string): { draft: Draft; explicit: ExplicitPropagation | null } {
  const scn = parseScenario(json, source);
  const draft = draftOf(scn);
  if (scn.drawn.channels && scn.drawn.radarGains) return { draft, explicit: null };
  const model = parseScenario(draftToJson(draft, null));
  const sameChannels = scn.channels.every((row, s) => row.every((h, k) => close(h, model.channels[s][k])));
  const sameGains = scn.targets.every(
    (tg, i) => model.targets[i] !== undefined && tg.radarGains.every((row, s) => row.every((g, t) => close(g, model.targets[i].radarGains[s][t]))),
  );
  const full = scenarioToJson(scn);
  return {
    draft,
    explicit: {
      ...(scn.drawn.channels ? {} : { channels: full.channels }),
      ...(scn.drawn.radarGains ? {} : { radarGains: full.radarGains }),
      matchesModel: sameChannels && sameGains,
    },
  };
}
