/**
 * Values the JSON grammar allows but the arithmetic cannot carry. A budget of 1e308 dBm is a
 * valid JSON number, but 10^(1e308/10) W is not a double, and a channel entry of 1e150 has a
 * squared magnitude that overflows once it is multiplied by a power. Such values are refused
 * up front, naming the field and the usable range, instead of failing later inside the solver
 * with its internals ("A row 0: non-finite value").
 *
 * The ranges are chosen so that every product the model and the SDP form (power x squared
 * gain / noise, L x |alpha|^2 x power / radar noise x geometry terms) stays far inside double
 * precision (about 1e+-308): dB quantities within +-600 dB (linear 1e+-60), complex gains
 * with |re|, |im| <= 1e30 (squared 1e60), the CRLB bound within [1e-60, 1e60] m^2,
 * coordinates within 1e9 m, path-loss exponents at most 10, counts and seeds exact integers
 * (at most 2^53, the largest a double counts exactly). They are far wider than any
 * physical scenario.
 */
import { InputError } from '../errors.ts';
import { formatPath } from './schema.ts';

export const RANGES = {
  /** |x| for dB and dBm fields. */
  db: 600,
  /** |re|, |im| of channel and radar-gain entries. */
  gain: 1e30,
  /** crlbMax bounds, m^2. */
  crlbMin: 1e-60,
  crlbMax: 1e60,
  /** |x|, |y| of positions and array axes, m. */
  coordinate: 1e9,
  /** Path-loss exponents. */
  exponent: 10,
} as const;

/** 2^53: beyond it a double cannot represent every integer. */
export const MAX_EXACT_INTEGER = Number.MAX_SAFE_INTEGER + 1;

type Rule = (v: number, field: string) => string | null;

const dbRule: Rule = (v) =>
  Math.abs(v) <= RANGES.db
    ? null
    : `${v} is outside the usable range -${RANGES.db}..${RANGES.db} dB: in linear units it would be 10^(${v}/10), ` +
      'which the SINR and CRLB arithmetic cannot carry in double precision';

const gainRule: Rule = (v) =>
  Math.abs(v) <= RANGES.gain ? null : `${v} exceeds ${RANGES.gain} in magnitude: its square times a power would overflow double precision`;

const crlbRule: Rule = (v) =>
  !(v > 0) || (v >= RANGES.crlbMin && v <= RANGES.crlbMax)
    ? null // <= 0 is the schema's message
    : `${v} m^2 is outside the usable range ${RANGES.crlbMin}..${RANGES.crlbMax} m^2 (the CRLB constraint would be scaled beyond double precision)`;

const coordinateRule: Rule = (v) =>
  Math.abs(v) <= RANGES.coordinate ? null : `${v} m is beyond ${RANGES.coordinate} m from the origin (squared distances would lose all precision)`;

const exponentRule: Rule = (v) => (v <= RANGES.exponent ? null : `${v} is above ${RANGES.exponent} (distance^-exponent would underflow to zero)`);

const integerRule: Rule = (v, field) => {
  if (!Number.isInteger(v)) return null; // "must be an integer" is the schema's message
  return Math.abs(v) < MAX_EXACT_INTEGER
    ? null
    : `${v} is beyond 2^53 = ${MAX_EXACT_INTEGER}, the largest integer a double represents exactly; ${field} must be an integer of at most 2^53`;
};

/**
 * Rules by the field's path with array indices removed (`users[].noisePowerDbm`); a rule
 * ending in `*` applies to every number below that path.
 */
const SCENARIO_RULES: [string, Rule][] = [
  ['antennas', integerRule],
  ['radarSamples', integerRule],
  ['maxPowerDbm', dbRule],
  ['radarNoisePowerDbm', dbRule],
  ['crlbMax', crlbRule],
  ['targets[].crlbMax', crlbRule],
  ['users[].minSinrDb', dbRule],
  ['users[].noisePowerDbm', dbRule],
  ['users[].position*', coordinateRule],
  ['baseStations[].position*', coordinateRule],
  ['baseStations[].arrayAxis*', coordinateRule],
  ['target.position*', coordinateRule],
  ['targets[].position*', coordinateRule],
  ['channels[*', gainRule],
  ['radarGains[*', gainRule],
  ['channelModel.seed', integerRule],
  ['channelModel.pathLossDbAt1m', dbRule],
  ['channelModel.radarGainDbAt1m', dbRule],
  ['channelModel.commPathLossExponent', exponentRule],
  ['channelModel.radarPathLossExponent', exponentRule],
];

function ruleFor(rules: [string, Rule][], shape: string): Rule | undefined {
  for (const [pattern, rule] of rules) {
    if (pattern.endsWith('*') ? shape.startsWith(pattern.slice(0, -1)) : shape === pattern) return rule;
  }
  return undefined;
}

/**
 * Checks raw scenario JSON (before the schema, which reports wrong types) for numbers outside
 * the usable ranges; throws an InputError naming the JSON path and the reason.
 *
 * One walk, each number's rule looked up by its shape (the path without array indices) once
 * per shape: a scenario with explicit channels holds hundreds of numbers of a few shapes. A
 * generator with a scan of every rule per number made V8 optimise both in the background,
 * 35-45 ms of compilation competing with the command's start on two cores.
 */
export function checkScenarioRanges(json: unknown, source?: string): void {
  const rules = new Map<string, Rule | null>();
  const path: PropertyKey[] = [];
  const visit = (v: unknown, shape: string): void => {
    if (typeof v === 'number') {
      let rule = rules.get(shape);
      if (rule === undefined) rules.set(shape, (rule = ruleFor(SCENARIO_RULES, shape) ?? null));
      const why = rule?.(v, shape);
      if (why) throw new InputError(why, source ? `${source}: ${formatPath(path)}` : formatPath(path));
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        visit(v[i], `${shape}[]`);
        path.pop();
      }
    } else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        path.push(k);
        // a key written like an index reads as one in the shape too, as formatPath prints it
        const name = k.replace(/\[\d+\]/g, '[]');
        visit((v as Record<string, unknown>)[k], shape === '' ? name : `${shape}.${name}`);
        path.pop();
      }
    }
  };
  visit(json, '');
}

const RULES_BY_KIND = { db: dbRule, crlb: crlbRule, coordinate: coordinateRule, exponent: exponentRule, integer: integerRule };

/** Checks one value of a kind the ranges know (for inputs other than scenario files, e.g. a study's sweep). */
export function checkValueRange(kind: keyof typeof RULES_BY_KIND, v: number, field: string, source?: string): void {
  const why = RULES_BY_KIND[kind](v, field);
  if (why) throw new InputError(why, source ? `${source}: ${field}` : field);
}
