/**
 * Scenario: parse (contract JSON -> resolved SI-unit Scenario, drawing channels from the
 * channel model when absent) and write back with explicit channels. Reading files lives in
 * load-scenario.ts, so that this module (and everything above it) runs in a browser.
 */
import { vecFromPairs, vecToPairs } from '../linalg/complex.ts';
import type { Scenario, ChannelModel, Point, SensingTarget } from './types.ts';
import {
  checkScenarioJson,
  inputErrorAt,
  channelModelSchema,
  parseWithSchema,
  radarGainsSchema,
  scenarioSchema,
  type RadarGainsJson,
  type ScenarioParsed,
} from './schema.ts';
import { drawChannel, drawRadarGain, dbToLinear, dbmToWatt } from './channels.ts';
import { defaultArrayAxis, normalize } from './geometry.ts';
import { checkScenarioRanges } from './ranges.ts';
import { MAX_JSON_NESTING, tooDeepPath } from './json-text.ts';
import { reportUnknownFields, type UnknownFieldPolicy } from './unknown-fields.ts';
import { requireFits, scenarioBytes } from '../limits.ts';

/**
 * Validates scenario JSON and resolves it. `source` (a file name) prefixes error messages.
 * Channels / radar gains missing from the JSON are drawn from `channelModel` (defaults of the
 * contract when absent); see channels.ts for the draw order. Unknown fields warn (or throw
 * under `policy.strict`); values outside the usable ranges (ranges.ts) and sizes that cannot
 * fit in memory (limits.ts) throw InputErrors.
 */
export function parseScenario(json: unknown, source?: string, policy?: UnknownFieldPolicy): Scenario {
  // the checks below recurse: a value nested thousands deep would overflow their stack
  const deep = tooDeepPath(json);
  if (deep) throw inputErrorAt(deep, `arrays and objects nest more than ${MAX_JSON_NESTING} levels deep (a scenario needs at most six)`, source);
  reportUnknownFields(scenarioSchema, json, 'scenario', source, policy);
  checkScenarioRanges(json, source);
  const j = parseWithSchema(scenarioSchema, json, 'scenario', source);
  const perTarget = j.targets !== undefined;
  const rg = parseWithSchema(radarGainsSchema(perTarget), { radarGains: j.radarGains }, 'scenario', source).radarGains;
  // One S x S matrix per target (the single-target form is the case T = 1).
  const gainsJson: RadarGainsJson | undefined = rg === undefined ? undefined : perTarget ? (rg as RadarGainsJson) : [rg as RadarGainsJson[number]];
  checkScenarioJson(j, gainsJson, source);
  // before any channel is drawn: S x K x N complex numbers must fit in memory
  requireFits(
    scenarioBytes(j.baseStations.length, j.users.length, j.antennas),
    `a scenario with S = ${j.baseStations.length}, K = ${j.users.length}, N = ${j.antennas}`,
    source ? `${source}: antennas` : 'antennas',
    'heap',
  );
  const model: ChannelModel = j.channelModel ?? channelModelSchema.parse({});
  const N = j.antennas;
  const baseStations = j.baseStations.map((b) => ({
    position: [b.position[0], b.position[1]] as Point,
    arrayAxis: b.arrayAxis ? normalize(b.arrayAxis) : defaultArrayAxis(b.position),
    arrayAxisGiven: b.arrayAxis !== undefined,
  }));
  const users = j.users.map((u) => ({
    position: [u.position[0], u.position[1]] as Point,
    minSinrDb: u.minSinrDb,
    minSinr: dbToLinear(u.minSinrDb),
    noisePowerDbm: u.noisePowerDbm,
    noisePower: dbmToWatt(u.noisePowerDbm),
  }));
  const channels = j.channels
    ? j.channels.map((row) => row.map((h) => vecFromPairs(h)))
    : baseStations.map((b, s) => users.map((u, k) => drawChannel(model, s, k, b.position, u.position, N)));
  const targets: SensingTarget[] = targetEntries(j).map((entry, t) => {
    const position: Point = [entry.position[0], entry.position[1]];
    const radarGains = gainsJson
      ? gainsJson[t]!.map((row, s) => row.map((g, sp) => (s === sp ? [0, 0] : [g[0], g[1]]) as [number, number]))
      : baseStations.map((rx, s) => baseStations.map((tx, sp) => drawRadarGain(model, s, sp, rx.position, tx.position, position, t)));
    return { position, crlbMax: entry.crlbMax ?? j.crlbMax, crlbMaxGiven: entry.crlbMax !== undefined, radarGains };
  });
  return {
    ...(j.name !== undefined ? { name: j.name } : {}),
    N,
    L: j.radarSamples,
    S: baseStations.length,
    K: users.length,
    maxPowerDbm: j.maxPowerDbm,
    maxPower: dbmToWatt(j.maxPowerDbm),
    radarNoisePowerDbm: j.radarNoisePowerDbm,
    radarNoisePower: dbmToWatt(j.radarNoisePowerDbm),
    crlbMax: j.crlbMax,
    baseStations,
    users,
    targets,
    targetsGiven: perTarget,
    channels,
    channelModel: model,
    drawn: { channels: !j.channels, radarGains: !gainsJson },
    channelModelGiven: j.channelModel !== undefined,
  };
}

/** The file's targets in one form: `target` is the one-element list with the scenario's bound. */
function targetEntries(j: ScenarioParsed): { position: [number, number]; crlbMax?: number | undefined }[] {
  return j.targets ?? [{ position: j.target!.position }];
}

/**
 * The scenario as contract JSON with explicit `channels` and `radarGains` (so any tool sees
 * exactly the propagation used here), in the file's form (`target` or `targets`). The
 * channel model is kept for provenance.
 */
export function scenarioToJson(scn: Scenario): Record<string, unknown> {
  return {
    ...(scn.name !== undefined ? { name: scn.name } : {}),
    antennas: scn.N,
    radarSamples: scn.L,
    maxPowerDbm: scn.maxPowerDbm,
    radarNoisePowerDbm: scn.radarNoisePowerDbm,
    crlbMax: scn.crlbMax,
    baseStations: scn.baseStations.map((b) => ({
      position: b.position,
      ...(b.arrayAxisGiven ? { arrayAxis: b.arrayAxis } : {}),
    })),
    users: scn.users.map((u) => ({ position: u.position, minSinrDb: u.minSinrDb, noisePowerDbm: u.noisePowerDbm })),
    ...(scn.targetsGiven
      ? {
          targets: scn.targets.map((t) => ({ position: t.position, ...(t.crlbMaxGiven ? { crlbMax: t.crlbMax } : {}) })),
        }
      : { target: { position: scn.targets[0]!.position } }),
    ...(scn.channelModelGiven || scn.drawn.channels || scn.drawn.radarGains ? { channelModel: scn.channelModel } : {}),
    channels: scn.channels.map((row) => row.map((h) => vecToPairs(h))),
    radarGains: scn.targetsGiven ? scn.targets.map((t) => t.radarGains) : scn.targets[0]!.radarGains,
  };
}
