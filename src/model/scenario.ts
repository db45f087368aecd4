/**
 * Scenario: parse (contract JSON -> resolved SI-unit Scenario, drawing channels from the
 * channel model when absent) and write back with explicit channels. Reading files lives in
 * load-scenario.ts, so that this module (and everything above it) runs in a browser.
 */
import { vecFromPairs, vecToPairs } from '../linalg/complex.ts';
import type { Scenario, ChannelModel, Point } from './types.ts';
import { checkScenarioJson, channelModelSchema, parseWithSchema, scenarioSchema } from './schema.ts';
import { drawChannel, drawRadarGain, dbToLinear, dbmToWatt } from './channels.ts';
import { defaultArrayAxis, normalize } from './geometry.ts';
import { checkScenarioRanges } from './ranges.ts';
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
  reportUnknownFields(scenarioSchema, json, 'scenario', source, policy);
  checkScenarioRanges(json, source);
  const j = parseWithSchema(scenarioSchema, json, 'scenario', source);
  checkScenarioJson(j, source);
  // before any channel is drawn: S x K x N complex numbers must fit in memory
  requireFits(scenarioBytes(j.baseStations.length, j.users.length, j.antennas), `a scenario with S = ${j.baseStations.length}, K = ${j.users.length}, N = ${j.antennas}`, source ? `${source}: antennas` : 'antennas', 'heap');
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
  const target: Point = [j.target.position[0], j.target.position[1]];
  const channels = j.channels
    ? j.channels.map((row) => row.map((h) => vecFromPairs(h)))
    : baseStations.map((b, s) => users.map((u, k) => drawChannel(model, s, k, b.position, u.position, N)));
  const radarGains = j.radarGains
    ? j.radarGains.map((row, s) => row.map((g, sp) => (s === sp ? [0, 0] : [g[0], g[1]]) as [number, number]))
    : baseStations.map((rx, s) => baseStations.map((tx, sp) => drawRadarGain(model, s, sp, rx.position, tx.position, target)));
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
    target,
    channels,
    radarGains,
    channelModel: model,
    drawn: { channels: !j.channels, radarGains: !j.radarGains },
    channelModelGiven: j.channelModel !== undefined,
  };
}

/**
 * The scenario as contract JSON with explicit `channels` and `radarGains` (so any tool sees
 * exactly the propagation used here). The channel model is kept for provenance.
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
    target: { position: scn.target },
    ...(scn.channelModelGiven || scn.drawn.channels || scn.drawn.radarGains ? { channelModel: scn.channelModel } : {}),
    channels: scn.channels.map((row) => row.map((h) => vecToPairs(h))),
    radarGains: scn.radarGains,
  };
}
