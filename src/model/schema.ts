/**
 * Zod schemas of the scenario and design JSON (the contract in the scenario spec) and the
 * checks zod cannot express (shapes that depend on S, K, N; geometry; Hermitian/PSD).
 * Every failure becomes an InputError naming the JSON path, e.g. `users[2].position[1]`.
 */
import { z } from 'zod';
import { InputError } from '../errors.ts';

/** A finite number (zod 4 numbers already reject NaN and +-Infinity). */
const num = z.number();
const complexPair = z.tuple([num, num], { error: 'expected a complex number [re, im]' });
const point = z.tuple([num, num], { error: 'expected a 2-D point [x, y] in metres' });

const baseStation = z.object({
  position: point,
  arrayAxis: point.refine(([x, y]) => x !== 0 || y !== 0, { error: 'arrayAxis must be a non-zero vector' }).optional(),
});

/** One entry of `targets`: its position and, optionally, its own CRLB bound. */
const sensingTarget = z.object({
  position: point,
  crlbMax: num.positive({ error: 'crlbMax (epsilon of this target) must be > 0' }).optional(),
});

const user = z.object({
  position: point,
  minSinrDb: num,
  noisePowerDbm: num,
});

export const CHANNEL_MODEL_DEFAULTS = {
  seed: 1,
  pathLossDbAt1m: -50,
  commPathLossExponent: 3,
  radarGainDbAt1m: -30,
  radarPathLossExponent: 2,
  radarPhase: 'uniform',
} as const;

export const channelModelSchema = z.object({
  seed: z.number().int({ error: 'seed must be an integer' }).default(CHANNEL_MODEL_DEFAULTS.seed),
  pathLossDbAt1m: num.default(CHANNEL_MODEL_DEFAULTS.pathLossDbAt1m),
  commPathLossExponent: num.min(0).default(CHANNEL_MODEL_DEFAULTS.commPathLossExponent),
  radarGainDbAt1m: num.default(CHANNEL_MODEL_DEFAULTS.radarGainDbAt1m),
  radarPathLossExponent: num.min(0).default(CHANNEL_MODEL_DEFAULTS.radarPathLossExponent),
  radarPhase: z.literal('uniform', { error: "radarPhase must be 'uniform'" }).default('uniform'),
});

export const scenarioSchema = z.object({
  name: z.string().optional(),
  antennas: z.number().int({ error: 'antennas (N) must be an integer' }).min(1, { error: 'antennas (N) must be >= 1' }),
  radarSamples: z.number().int({ error: 'radarSamples (L) must be an integer' }).min(1, { error: 'radarSamples (L) must be >= 1' }),
  maxPowerDbm: num,
  radarNoisePowerDbm: num,
  crlbMax: num.positive({ error: 'crlbMax (epsilon) must be > 0' }),
  baseStations: z.array(baseStation).min(2, { error: 'at least S = 2 base stations are required' }),
  users: z.array(user),
  // Exactly one of target / targets (checked in checkScenarioJson, which names the field).
  target: z.object({ position: point }).optional(),
  targets: z.array(sensingTarget).min(1, { error: 'targets must list at least one target' }).optional(),
  channels: z.array(z.array(z.array(complexPair))).optional(),
  // S x S with `target`, T x S x S with `targets`: its schema depends on which one is given,
  // so it is parsed by radarGainsSchema once that is known.
  radarGains: z.unknown().optional(),
  channelModel: channelModelSchema.optional(),
});

const gainMatrix = z.array(z.array(complexPair));

/**
 * The schema of `radarGains`, wrapped in an object so that error paths start with
 * `radarGains`: S x S pairs with `target`, T x S x S with `targets`.
 */
export function radarGainsSchema(perTarget: boolean) {
  return z.object({ radarGains: (perTarget ? z.array(gainMatrix) : gainMatrix).optional() });
}

/** The scenario JSON after structural validation (channel-model defaults not yet applied). */
export type ScenarioJson = z.input<typeof scenarioSchema>;
export type ChannelModelJson = z.output<typeof channelModelSchema>;

export const DESIGN_STATUSES = ['optimal', 'feasible', 'infeasible', 'failed', 'time_limit'] as const;

export const designSchema = z.object({
  status: z.enum(DESIGN_STATUSES).optional(),
  method: z.string().optional(),
  receiver: z.number().int({ error: 'receiver must be an integer BS index' }).optional(),
  association: z.array(z.number().int({ error: 'expected an integer BS index' })).optional(),
  beamformers: z.array(z.array(complexPair)).optional(),
  sensingCovariances: z.array(z.array(z.array(complexPair))).optional(),
  totalPower: num.optional(),
  lowerBound: num.optional(),
});

export type DesignInputJson = z.input<typeof designSchema>;

/** `['users', 2, 'position', 1]` -> `users[2].position[1]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out === '' ? '(top level)' : out;
}

/** An InputError for a JSON path, prefixed with the file name when known. */
export function inputErrorAt(path: readonly PropertyKey[] | string, message: string, source?: string): InputError {
  const where = typeof path === 'string' ? path : formatPath(path);
  return new InputError(message, source ? `${source}: ${where}` : where);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  let msg = issue.message.replace(/^Invalid input: /, '');
  if (issue.code === 'invalid_type' && /received undefined$/.test(msg)) {
    msg = `missing (expected ${issue.expected})`;
  }
  return msg;
}

/** Runs a zod schema; throws an InputError listing up to 5 issues, each with its JSON path. */
export function parseWithSchema<T extends z.ZodType>(schema: T, json: unknown, what: string, source?: string): z.output<T> {
  const r = schema.safeParse(json);
  if (r.success) return r.data;
  const issues = r.error.issues;
  const first = issues[0]!;
  const more = issues
    .slice(1, 5)
    .map((i) => `\n  ${formatPath(i.path)}: ${describeIssue(i)}`)
    .join('');
  const tail = issues.length > 5 ? `\n  ... and ${issues.length - 5} more` : '';
  throw inputErrorAt(first.path, `${describeIssue(first!)} (invalid ${what})${more}${tail}`, source);
}

export type ScenarioParsed = z.output<typeof scenarioSchema>;

/** Radar gains as read: one S x S matrix per target (T = 1 for a file with `target`). */
export type RadarGainsJson = [number, number][][][];

/**
 * Checks zod cannot express for a scenario: exactly one of target/targets, array shapes
 * against S, K, N, T; positions. `radarGains` are the parsed gains (T x S x S), if given.
 */
export function checkScenarioJson(json: ScenarioParsed, radarGains: RadarGainsJson | undefined, source?: string): void {
  const S = json.baseStations.length;
  const K = json.users.length;
  const N = json.antennas;
  const fail = (path: PropertyKey[], msg: string) => {
    throw inputErrorAt(path, msg, source);
  };
  if (json.target && json.targets) fail(['targets'], 'give either target or targets, not both');
  if (!json.target && !json.targets) fail(['target'], 'missing (a scenario needs target, or targets for several)');
  if (json.channels) {
    const ch = json.channels;
    if (ch.length !== S) fail(['channels'], `must be S x K x N = ${S} x ${K} x ${N}; has ${ch.length} entries, expected S = ${S}`);
    ch.forEach((row, s) => {
      if (row.length !== K) fail(['channels', s], `must have K = ${K} entries (one per user), has ${row.length}`);
      row.forEach((h, k) => {
        if (h.length !== N) fail(['channels', s, k], `must have N = ${N} complex entries, has ${h.length}`);
      });
    });
  }
  if (radarGains) checkRadarGainShape(radarGains, json.targets ? json.targets.length : undefined, S, fail);
  const atBs = (p: [number, number]) => json.baseStations.findIndex((b) => b.position[0] === p[0] && b.position[1] === p[1]);
  json.users.forEach((u, k) => {
    const s = atBs(u.position);
    if (s >= 0) fail(['users', k, 'position'], `user is at the position of base station ${s} (${u.position}); angles are undefined there`);
  });
  const targetPaths: [PropertyKey[], [number, number]][] = json.targets
    ? json.targets.map((t, i) => [['targets', i, 'position'], t.position])
    : [[['target', 'position'], json.target!.position]];
  for (const [path, p] of targetPaths) {
    const st = atBs(p);
    if (st >= 0) fail(path, `target is at the position of base station ${st} (${p})`);
  }
  json.baseStations.forEach((b, s) => {
    const other = json.baseStations.findIndex((c, t) => t < s && c.position[0] === b.position[0] && c.position[1] === b.position[1]);
    if (other >= 0) fail(['baseStations', s, 'position'], `coincides with base station ${other}`);
  });
}

/** S x S per target; `T` undefined means the file's single-target form (one S x S matrix). */
function checkRadarGainShape(gains: RadarGainsJson, T: number | undefined, S: number, fail: (path: PropertyKey[], msg: string) => void): void {
  if (T !== undefined && gains.length !== T) {
    fail(['radarGains'], `must be T x S x S = ${T} x ${S} x ${S} (one matrix per target); has ${gains.length} matrices`);
  }
  gains.forEach((g, t) => {
    const at = T === undefined ? ['radarGains'] : ['radarGains', t];
    if (g.length !== S) fail(at, `must be S x S = ${S} x ${S}; has ${g.length} rows`);
    g.forEach((row, s) => {
      if (row.length !== S) fail([...at, s], `must have S = ${S} entries, has ${row.length}`);
    });
  });
}

/** Dimensions a design is checked against. */
export interface DesignDims {
  S: number;
  K: number;
  N: number;
}

/** Tolerances of the design checks (relative, as in the brief). */
export const DESIGN_TOL = {
  /** max |R - R^H| <= hermitian * ||R||_F */
  hermitian: 1e-9,
  /** min eig(R) >= -psd * max(1, ||R||_F) */
  psd: 1e-9,
  /** ||R_receiver||_F <= receiverZero * max(1, max_s ||R_s||_F) counts as zero (round-off of solvers). */
  receiverZero: 1e-12,
};
