/**
 * Scenario generation: random layouts (users and target uniform in a disc) and the paper's
 * Fig. 2 preset. The result is contract JSON with explicit channels drawn from the default
 * channel model, so every tool sees the same propagation.
 *
 * Draw order (all streams hashed from `seed`, see prng.ts): user k's position from
 * derive(seed, 10, k), the target's from derive(seed, 11) (with `targets: T`, target 0 there
 * too and target t >= 1 from derive(seed, 12, t)); each is rejection-sampled
 * (r = radius sqrt(u1), phi = 2 pi u2) until it is at least 1 m from every BS. Channels use
 * channelModel.seed (default: `seed`) as described in channels.ts.
 */
import { InputError } from '../errors.ts';
import { derive } from '../linalg/prng.ts';
import { requireFits, scenarioBytes } from '../limits.ts';
import type { ChannelModel, Point } from './types.ts';
import { CHANNEL_MODEL_DEFAULTS } from './schema.ts';
import { parseScenario, scenarioToJson } from './scenario.ts';

export const STREAM_USER_POSITION = 10;
export const STREAM_TARGET_POSITION = 11;
/** Positions of targets t >= 1 (target 0 keeps STREAM_TARGET_POSITION). */
export const STREAM_EXTRA_TARGET_POSITION = 12;
/** Minimum distance of a user or the target from every BS, m. */
export const MIN_BS_DISTANCE = 1;

/** The paper's four BSs (Sec. IV). */
export const PAPER_BS_POSITIONS: Point[] = [
  [0, 100],
  [100, 0],
  [0, -100],
  [-100, 0],
];

/** The paper's Fig. 2 users and target. */
export const FIG2 = {
  users: [
    [-30, 80],
    [20, 130],
    [50, -80],
    [-40, -70],
    [-70, -20],
  ] as Point[],
  target: [30, 60] as Point,
  minSinrDb: 8,
  crlbMax: 1,
  /** Channel-model seed of the preset (documented default). */
  seed: 1,
};

export interface GenerateOptions {
  /** Seed of the geometry and (by default) of the channel draws. Required unless preset is set (fig2: 1). */
  seed?: number;
  /** K (ignored by the fig2 preset, which has 5 users). */
  users?: number;
  /** Radius of the service disc, m (default 150). */
  radius?: number;
  antennas?: number;
  radarSamples?: number;
  maxPowerDbm?: number;
  radarNoisePowerDbm?: number;
  userNoisePowerDbm?: number;
  minSinrDb?: number;
  crlbMax?: number;
  /** 'paper' (4 BSs), 'hexagon' (centre + 6 at bsSpacing) or explicit positions. */
  layout?: 'paper' | 'hexagon' | Point[];
  /** Hexagon spacing, m (default 100). */
  bsSpacing?: number;
  /** Hexagon: rings of cells around the centre BS (1: 7 BSs, 2: 19 BSs, R: 1 + 3R(R+1)). Default 1. */
  rings?: number;
  /** Channel-model parameters (seed defaults to `seed`). */
  channelModel?: Partial<ChannelModel>;
  preset?: 'fig2';
  name?: string;
  /**
   * T: write the scenario with `targets` (T targets uniform in the disc, each with the
   * scenario's crlbMax). Absent: the single-target form `target`.
   */
  targets?: number;
}

/**
 * BS positions on a hexagonal grid: the centre BS, then ring n = 1..rings of 6n BSs at hexagon
 * distance n (corners at n * spacing, angles 0, 60, .. degrees, edges filled at equal steps),
 * each ring counter-clockwise from angle 0. rings = 1 is the 7-BS layout (centre + 6 at spacing).
 */
export function hexagonLayout(spacing: number, rings = 1): Point[] {
  const out: Point[] = [[0, 0]];
  // Round away the cos/sin residue (e.g. 6e-15) so positions read cleanly.
  const clean = (x: number) => Math.round(x * 1e9) / 1e9;
  const corner = (n: number, i: number): Point => [n * spacing * Math.cos((i * Math.PI) / 3), n * spacing * Math.sin((i * Math.PI) / 3)];
  for (let n = 1; n <= rings; n++) {
    for (let i = 0; i < 6; i++) {
      const a = corner(n, i);
      const b = corner(n, i + 1);
      for (let j = 0; j < n; j++) out.push([clean(a[0] + ((b[0] - a[0]) * j) / n), clean(a[1] + ((b[1] - a[1]) * j) / n)]);
    }
  }
  return out;
}

/** 5 rings = 91 BSs, already far beyond what the solvers handle in minutes. */
const MAX_RINGS = 5;

function resolveLayout(opts: GenerateOptions): Point[] {
  if (opts.rings !== undefined && opts.layout !== 'hexagon') throw new InputError('rings needs the hexagon layout', 'rings');
  const layout = opts.layout ?? 'paper';
  if (layout === 'paper') return PAPER_BS_POSITIONS.map((p) => [p[0], p[1]]);
  if (layout === 'hexagon') {
    const spacing = opts.bsSpacing ?? 100;
    if (!(spacing > 0) || !Number.isFinite(spacing)) throw new InputError(`bsSpacing must be > 0, got ${spacing}`, 'bsSpacing');
    const rings = opts.rings ?? 1;
    if (!Number.isInteger(rings) || rings < 1 || rings > MAX_RINGS) {
      throw new InputError(`must be an integer in 1..${MAX_RINGS}, got ${rings}`, 'rings');
    }
    return hexagonLayout(spacing, rings);
  }
  if (!Array.isArray(layout)) throw new InputError(`unknown layout '${String(layout)}' (paper, hexagon or positions)`, 'layout');
  return layout.map((p) => [p[0], p[1]]);
}

function samplePoint(seedTag: number[], seed: number, radius: number, bs: Point[]): Point {
  const rng = derive(seed, ...seedTag);
  for (let attempt = 0; attempt < 100000; attempt++) {
    const r = radius * Math.sqrt(rng.uniform());
    const phi = 2 * Math.PI * rng.uniform();
    const p: Point = [r * Math.cos(phi), r * Math.sin(phi)];
    if (bs.every((q) => Math.hypot(p[0] - q[0], p[1] - q[1]) >= MIN_BS_DISTANCE)) return p;
  }
  throw new InputError(`cannot place a point in the disc of radius ${radius} m at least ${MIN_BS_DISTANCE} m from every BS`, 'radius');
}

function checkInt(name: string, v: number, min: number): void {
  if (!Number.isSafeInteger(v) || v < min) throw new InputError(`${name} must be an integer >= ${min}, got ${v}`, name);
}

/** Generates scenario JSON (contract) with explicit channels and radar gains. */
export function generateScenario(opts: GenerateOptions): Record<string, unknown> {
  const fig2 = opts.preset === 'fig2';
  if (opts.preset !== undefined && !fig2) throw new InputError(`unknown preset '${opts.preset}' (known: fig2)`, 'preset');
  const seed = opts.seed ?? (fig2 ? FIG2.seed : undefined);
  if (seed === undefined) throw new InputError('a seed is required (or use a preset)', 'seed');
  checkInt('seed', seed, Number.MIN_SAFE_INTEGER);
  if (fig2 && opts.users !== undefined && opts.users !== FIG2.users.length) {
    throw new InputError(`the fig2 preset has ${FIG2.users.length} users; got users = ${opts.users}`, 'users');
  }
  if (fig2 && opts.layout !== undefined && opts.layout !== 'paper') {
    throw new InputError("the fig2 preset uses the paper's layout", 'layout');
  }
  const K = fig2 ? FIG2.users.length : opts.users;
  if (K === undefined) throw new InputError('the number of users is required (or use a preset)', 'users');
  checkInt('users', K, 0);
  const radius = opts.radius ?? 150;
  if (!(radius > 0) || !Number.isFinite(radius)) throw new InputError(`radius must be > 0, got ${radius}`, 'radius');
  const bs = resolveLayout(opts);
  // before the first user is placed: the channels of S x K x N must fit
  const N = opts.antennas ?? 8;
  requireFits(scenarioBytes(bs.length, K, N), `a scenario with S = ${bs.length}, K = ${K}, N = ${N}`, 'users', 'heap');
  const users: Point[] = fig2
    ? FIG2.users.map((p) => [p[0], p[1]])
    : Array.from({ length: K }, (_, k) => samplePoint([STREAM_USER_POSITION, k], seed, radius, bs));
  if (opts.targets !== undefined) {
    checkInt('targets', opts.targets, 1);
    if (fig2 && opts.targets !== 1) throw new InputError(`the fig2 preset has one target; got targets = ${opts.targets}`, 'targets');
  }
  const targets: Point[] = Array.from({ length: opts.targets ?? 1 }, (_, t) => {
    if (fig2) return [FIG2.target[0], FIG2.target[1]];
    return samplePoint(t === 0 ? [STREAM_TARGET_POSITION] : [STREAM_EXTRA_TARGET_POSITION, t], seed, radius, bs);
  });
  const minSinrDb = opts.minSinrDb ?? FIG2.minSinrDb;
  const userNoise = opts.userNoisePowerDbm ?? -85;
  const json = {
    name:
      opts.name ??
      (fig2
        ? 'paper-fig2'
        : `random-${opts.layout === 'hexagon' ? `hexagon${opts.rings && opts.rings > 1 ? `${opts.rings}` : ''}` : 'paper'}-K${K}${opts.targets === undefined ? '' : `-T${opts.targets}`}-seed${seed}`),
    antennas: opts.antennas ?? 8,
    radarSamples: opts.radarSamples ?? 1024,
    maxPowerDbm: opts.maxPowerDbm ?? 45,
    radarNoisePowerDbm: opts.radarNoisePowerDbm ?? -65,
    crlbMax: opts.crlbMax ?? FIG2.crlbMax,
    baseStations: bs.map((position) => ({ position })),
    users: users.map((position) => ({ position, minSinrDb, noisePowerDbm: userNoise })),
    ...(opts.targets === undefined ? { target: { position: targets[0] } } : { targets: targets.map((position) => ({ position })) }),
    channelModel: { ...CHANNEL_MODEL_DEFAULTS, seed, ...opts.channelModel },
  };
  // Validate through the same path as a file (options become InputErrors with their field), draw, write explicitly.
  return scenarioToJson(parseScenario(json, 'generated scenario'));
}
