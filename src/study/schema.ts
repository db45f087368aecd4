/**
 * The study file: what a Monte Carlo study runs. Validated with zod; every error names
 * the JSON path of the offending value. See docs/study.md for the format.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { InputError } from '../errors.ts';
import { parseJsonText } from '../model/json-text.ts';
import { readInputBytes } from '../model/io.ts';
import { requireFits } from '../limits.ts';
import { checkValueRange } from '../model/ranges.ts';
import { CHANNEL_MODEL_DEFAULTS } from '../model/schema.ts';

/**
 * Methods a study may compare (`fixed` needs a hand-given design, so it is not one).
 * `proposed-relaxation` is `proposed` with `init: 'relaxation'` ("Alg. 1 + relaxation start").
 */
export const STUDY_METHODS = ['proposed', 'proposed-relaxation', 'exact', 'scheme1', 'scheme2', 'scheme3'] as const;
export type StudyMethod = (typeof STUDY_METHODS)[number];

/** Parameters a sweep point may set; the rest of the scenario is fixed for the study. */
export const POINT_KEYS = ['minSinrDb', 'crlbMax', 'maxPowerDbm'] as const;
export type PointKey = (typeof POINT_KEYS)[number];

/** The per-point parameters, fully resolved. */
export interface PointParams {
  /** Gamma_req: every user's minimum SINR, dB. */
  minSinrDb: number;
  /** epsilon: bound on the target-position CRLB, m^2. */
  crlbMax: number;
  /** P: each BS's power budget, dBm. */
  maxPowerDbm: number;
  /**
   * T: sensed targets dropped in the disc (several targets: one CRLB bound each). Absent
   * means the single-target scenario (`target`); it is set only by studies that use it, so
   * the identity (hash) of every other study is unchanged.
   */
  targets?: number;
}

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
/** T, a number of sensed targets. */
const targetCount = z.number().int('must be an integer').min(1).max(16);
const positive = z.number().positive().refine(Number.isFinite, 'must be a finite number');

/** An axis: an explicit list, or an inclusive range `{from, to, step}`. */
const axisSchema = (value: z.ZodType<number>) =>
  z.union([z.array(value).min(1, 'needs at least one value'), z.strictObject({ from: finite, to: finite, step: positive })]);

const channelModelSchema = z.strictObject({
  pathLossDbAt1m: finite.optional(),
  commPathLossExponent: positive.optional(),
  radarGainDbAt1m: finite.optional(),
  radarPathLossExponent: positive.optional(),
});

const scenarioSchema = z.strictObject({
  /**
   * `paper`: the paper's 4 BSs at (0,100), (100,0), (0,-100), (-100,0); `hexagon`: one BS at
   * the centre and 6 around it at `bsSpacing`; or explicit BS positions `[[x, y], ...]`.
   */
  layout: z.union([z.enum(['paper', 'hexagon']), z.array(z.tuple([finite, finite])).min(2, 'needs at least 2 base stations')]).default('paper'),
  /** Hexagon layout: distance of the outer BSs from the centre, m (default 100). */
  bsSpacing: positive.optional(),
  /** K, users dropped uniformly in the service disc. */
  users: z.number().int().min(0).max(64).default(5),
  /** Service-area radius, m (users and the target are dropped uniformly inside). */
  radius: positive.default(150),
  /** N, antennas per BS. */
  antennas: z.number().int().min(1).max(64).default(8),
  /** L, radar samples. */
  radarSamples: z.number().int().min(1).default(1024),
  maxPowerDbm: finite.default(45),
  radarNoisePowerDbm: finite.default(-65),
  /** sigma_c^2 of every user, dBm. */
  noisePowerDbm: finite.default(-85),
  /** Default Gamma_req (a sweep point may override it), dB. */
  minSinrDb: finite.default(8),
  /** Default epsilon (a sweep point may override it), m^2. */
  crlbMax: positive.default(1),
  /** T, targets dropped in the disc, each with bound crlbMax (a sweep point may override it). Default: one `target`. */
  targets: targetCount.optional(),
  channelModel: channelModelSchema.optional(),
});

const pointSchema = z.strictObject({
  minSinrDb: finite.optional(),
  crlbMax: positive.optional(),
  maxPowerDbm: finite.optional(),
  targets: targetCount.optional(),
});

const timeLimitSchema = z.strictObject({
  proposed: positive.optional(),
  'proposed-relaxation': positive.optional(),
  exact: positive.optional(),
  scheme1: positive.optional(),
  scheme2: positive.optional(),
  scheme3: positive.optional(),
});

const studySchema = z
  .strictObject({
    version: z.literal(1).default(1),
    name: z.string().min(1).default('study'),
    description: z.string().optional(),
    scenario: scenarioSchema.default(() => scenarioSchema.parse({})),
    /** A grid: the cartesian product of the given axes (minSinrDb outermost). */
    sweep: z
      .strictObject({
        minSinrDb: axisSchema(finite).optional(),
        crlbMax: axisSchema(positive).optional(),
        maxPowerDbm: axisSchema(finite).optional(),
        targets: axisSchema(targetCount).optional(),
      })
      .optional(),
    /** Or an explicit list of points. */
    points: z.array(pointSchema).min(1, 'needs at least one point').optional(),
    trials: z.number().int().min(1).max(1_000_000),
    methods: z
      .array(z.enum(STUDY_METHODS))
      .min(1, 'needs at least one method')
      .refine((m) => new Set(m).size === m.length, 'methods must not repeat'),
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    /**
     * `common` (default): trial t uses the same drop and channels at every point (common random
     * numbers, as in the paper's curves); `independent`: a fresh realisation per (point, trial).
     */
    seedMode: z.enum(['common', 'independent']).default('common'),
    /** Wall-clock limit per trial and method, s. */
    timeLimit: timeLimitSchema.optional(),
    /** `proposed` keeps its AO history for trials 0..historyTrials-1 of every point. */
    historyTrials: z.number().int().min(0).default(3),
    /** What `--quick` keeps: the first `trials` trials, the points with these indices, these methods; its time limits. */
    quick: z
      .strictObject({
        trials: z.number().int().min(1).optional(),
        points: z.array(z.number().int().min(0)).min(1).optional(),
        methods: z.array(z.enum(STUDY_METHODS)).min(1).optional(),
        /** Time limits of the quick variant (override the study's). */
        timeLimit: timeLimitSchema.optional(),
      })
      .optional(),
  })
  .superRefine((s, ctx) => {
    if (s.sweep && s.points) ctx.addIssue({ code: 'custom', message: 'give either "sweep" or "points", not both', path: ['points'] });
    if (!s.sweep && !s.points) ctx.addIssue({ code: 'custom', message: 'missing: give a "sweep" (grid) or a "points" list', path: ['sweep'] });
    if (s.sweep && !s.sweep.minSinrDb && !s.sweep.crlbMax && !s.sweep.maxPowerDbm && !s.sweep.targets)
      ctx.addIssue({ code: 'custom', message: 'needs at least one axis (minSinrDb, crlbMax, maxPowerDbm, targets)', path: ['sweep'] });
    if (Array.isArray(s.scenario.layout)) {
      const seen = new Map<string, number>();
      s.scenario.layout.forEach((p, i) => {
        const prev = seen.get(`${p[0]},${p[1]}`);
        if (prev !== undefined)
          ctx.addIssue({
            code: 'custom',
            message: `base station ${i} is at the position of base station ${prev} (${p[0]}, ${p[1]})`,
            path: ['scenario', 'layout', i],
          });
        seen.set(`${p[0]},${p[1]}`, i);
      });
    }
    if (s.scenario.bsSpacing !== undefined && s.scenario.layout !== 'hexagon')
      ctx.addIssue({ code: 'custom', message: 'bsSpacing applies to the hexagon layout only', path: ['scenario', 'bsSpacing'] });
    if (s.quick?.methods) {
      s.quick.methods.forEach((m, i) => {
        if (!s.methods.includes(m)) ctx.addIssue({ code: 'custom', message: `"${m}" is not one of the study's methods`, path: ['quick', 'methods', i] });
      });
    }
  });

export type StudyInput = z.input<typeof studySchema>;
type StudyParsed = z.output<typeof studySchema>;
export type StudyScenario = z.output<typeof scenarioSchema>;

/** A study with defaults filled in and the sweep expanded into points. */
export interface Study {
  version: 1;
  name: string;
  description?: string;
  scenario: StudyScenario;
  points: PointParams[];
  trials: number;
  methods: StudyMethod[];
  seed: number;
  seedMode: 'common' | 'independent';
  timeLimit: Partial<Record<StudyMethod, number>>;
  historyTrials: number;
}

/** Formats a zod path as a JSON path: `sweep.minSinrDb[2]`. */
export function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}

type Axis = number[] | { from: number; to: number; step: number };

/** How many values an axis gives (checked before anything is expanded). */
function axisLength(axis: Axis, where: string): number {
  if (Array.isArray(axis)) return axis.length;
  const span = axis.to - axis.from;
  if (span < 0) throw new InputError('"to" must not be below "from"', where);
  const count = Math.floor(span / axis.step + 1e-9) + 1;
  if (!(count <= 10_000)) throw new InputError(`range gives ${count} values (at most 10000)`, where);
  return count;
}

/**
 * The task list, the results file and a report hold about a kilobyte per task: a study whose
 * axes multiply to more tasks than fit in memory is refused before its points are listed.
 */
function checkStudySize(points: number, trials: number, methods: number): void {
  const tasks = points * trials * methods;
  const what = `a study of ${points} points x ${trials} trials x ${methods} methods = ${tasks.toExponential(2)} tasks`;
  requireFits(tasks * 1000, what, 'sweep', 'heap');
}

function expandAxis(axis: Axis, where: string): number[] {
  if (Array.isArray(axis)) return axis;
  const count = axisLength(axis, where);
  // Round to 12 significant digits so 0.1-steps print as 0.3, not 0.30000000000000004.
  return Array.from({ length: count }, (_, i) => Number((axis.from + i * axis.step).toPrecision(12)));
}

function resolve(s: StudyParsed, quick: boolean): Study {
  const base: PointParams = {
    minSinrDb: s.scenario.minSinrDb,
    crlbMax: s.scenario.crlbMax,
    maxPowerDbm: s.scenario.maxPowerDbm,
    ...(s.scenario.targets !== undefined ? { targets: s.scenario.targets } : {}),
  };
  let points: PointParams[];
  if (s.points) {
    points = s.points.map((p) => ({ ...base, ...p }) as PointParams);
  } else {
    const sw = s.sweep!;
    const lengths = (['minSinrDb', 'crlbMax', 'maxPowerDbm'] as const).map((k) => (sw[k] ? axisLength(sw[k], `sweep.${k}`) : 1));
    checkStudySize(
      lengths.reduce((a, b) => a * b, 1),
      s.trials,
      s.methods.length,
    );
    const g = expandAxis(sw.minSinrDb ?? [base.minSinrDb], 'sweep.minSinrDb');
    const e = expandAxis(sw.crlbMax ?? [base.crlbMax], 'sweep.crlbMax');
    const pw = expandAxis(sw.maxPowerDbm ?? [base.maxPowerDbm], 'sweep.maxPowerDbm');
    const tg = sw.targets ? expandAxis(sw.targets, 'sweep.targets') : [base.targets];
    tg.forEach((v, i) => {
      if (v !== undefined && !(Number.isInteger(v) && v >= 1 && v <= 16)) throw new InputError('must be an integer in 1..16', `sweep.targets[${i}]`);
    });
    points = [];
    for (const minSinrDb of g)
      for (const crlbMax of e)
        for (const maxPowerDbm of pw) for (const targets of tg) points.push({ minSinrDb, crlbMax, maxPowerDbm, ...(targets !== undefined ? { targets } : {}) });
    e.forEach((v, i) => {
      if (!(v > 0)) throw new InputError('must be positive', `sweep.crlbMax[${i}]`);
    });
  }
  // values every trial would refuse (ranges.ts) are refused here, before any trial runs
  points.forEach((p, i) => {
    const at = s.points ? `points[${i}]` : `point ${i} of the sweep`;
    checkValueRange('db', p.minSinrDb, `${at}: minSinrDb`);
    checkValueRange('db', p.maxPowerDbm, `${at}: maxPowerDbm`);
    checkValueRange('crlb', p.crlbMax, `${at}: crlbMax`);
  });
  checkValueRange('db', s.scenario.noisePowerDbm, 'scenario.noisePowerDbm');
  checkValueRange('db', s.scenario.radarNoisePowerDbm, 'scenario.radarNoisePowerDbm');
  let trials = s.trials;
  let methods = [...s.methods];
  if (quick) {
    const q = s.quick ?? {};
    trials = Math.min(trials, q.trials ?? 4);
    const idx = q.points ?? [...new Set([0, Math.floor((points.length - 1) / 2), points.length - 1])];
    idx.forEach((i, j) => {
      if (i >= points.length) throw new InputError(`point index ${i} out of range (the study has ${points.length} points)`, `quick.points[${j}]`);
    });
    points = [...new Set(idx)].sort((a, b) => a - b).map((i) => points[i]!);
    if (q.methods) methods = methods.filter((m) => q.methods!.includes(m));
  }
  const timeLimit: Partial<Record<StudyMethod, number>> = {};
  for (const m of STUDY_METHODS) {
    const v = (quick ? s.quick?.timeLimit?.[m] : undefined) ?? s.timeLimit?.[m];
    if (v !== undefined) timeLimit[m] = v;
  }
  // The channel model's defaults are written into the resolved study, so the hash covers the
  // propagation actually used (results drawn under an earlier default never match).
  const d = CHANNEL_MODEL_DEFAULTS;
  const channelModel = {
    pathLossDbAt1m: d.pathLossDbAt1m,
    commPathLossExponent: d.commPathLossExponent,
    radarGainDbAt1m: d.radarGainDbAt1m,
    radarPathLossExponent: d.radarPathLossExponent,
    ...s.scenario.channelModel,
  };
  const study: Study = {
    version: 1,
    name: quick ? `${s.name} (quick)` : s.name,
    scenario: { ...s.scenario, channelModel },
    points,
    trials,
    methods,
    seed: s.seed,
    seedMode: s.seedMode,
    timeLimit,
    historyTrials: s.historyTrials,
  };
  if (s.description !== undefined) study.description = s.description;
  return study;
}

/** Validates a parsed study JSON value. Throws InputError naming the JSON path. */
export function parseStudy(json: unknown, opts: { quick?: boolean | undefined; source?: string | undefined } = {}): Study {
  const r = studySchema.safeParse(json);
  if (!r.success) {
    const lines = r.error.issues.slice(0, 8).map((i) => `  ${jsonPath(i.path)}: ${i.message}`);
    const more = r.error.issues.length > 8 ? `\n  ... and ${r.error.issues.length - 8} more` : '';
    throw new InputError(`invalid study${opts.source ? ` file ${opts.source}` : ''}:\n${lines.join('\n')}${more}`);
  }
  return resolve(r.data, opts.quick ?? false);
}

/** Reads and validates a study file. */
export function loadStudy(file: string, opts: { quick?: boolean | undefined } = {}): Study {
  const text = readInputBytes(file, 'study file').toString('utf8');
  return parseStudy(parseJsonText(text, 'study', file), { ...opts, source: file });
}

/**
 * Validates an already-resolved study (as stored in a results file's header) by checking
 * its shape; used when reading results back.
 */
export function isResolvedStudy(v: unknown): v is Study {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  return (
    s.version === 1 &&
    Array.isArray(s.points) &&
    typeof s.trials === 'number' &&
    Array.isArray(s.methods) &&
    typeof s.seed === 'number' &&
    typeof s.scenario === 'object'
  );
}

/** JSON with object keys sorted recursively: the canonical form the hash is taken of. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * The study's identity: the first 16 hex digits of SHA-256 of the canonical JSON of the
 * resolved study (defaults filled in, sweep expanded), without its name and description:
 * what is computed, not what it is called.
 * Two files that resolve to the same study have the same hash.
 */
export function studyHash(study: Study): string {
  const { description: _d, name: _n, ...rest } = study;
  void _d;
  void _n;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex').slice(0, 16);
}
