/**
 * The planner's limits: one table used by the panel's fields, by imported files and by typed
 * coordinates, so the model can never hold a value a field would refuse. They are narrower
 * than the contract's (which has no upper bounds): beyond them the in-browser SDPs get slow or
 * the map unreadable.
 */
import { usesTargetsForm, type Draft } from './draft.ts';

/** At most this many targets (each adds a CRLB constraint and a FIM block). */
export const MAX_TARGETS = 8;

export interface Range {
  min: number;
  max: number;
  /** min itself is not allowed (epsilon > 0). */
  above?: boolean;
  integer?: boolean;
}

export const LIMITS = {
  antennas: { min: 1, max: 32, integer: true },
  radarSamples: { min: 1, max: 10_000_000, integer: true },
  maxPowerDbm: { min: -30, max: 90 },
  radarNoisePowerDbm: { min: -200, max: 30 },
  noisePowerDbm: { min: -200, max: 30 },
  minSinrDb: { min: -30, max: 60 },
  crlbMax: { min: 0, max: 1e6, above: true },
  /** |x| and |y| of every node, m. */
  coordinate: { min: -2000, max: 2000 },
  radius: { min: 10, max: 2000 },
} satisfies Record<string, Range>;

export const MAX_BASE_STATIONS = 19;
export const MAX_USERS = 64;
/** Files above this are refused before they are read (a 60,000-user file is ~5.6 MB). */
export const MAX_FILE_BYTES = 2_000_000;

export function inRange(r: Range, v: number): boolean {
  if (!Number.isFinite(v)) return false;
  if (r.integer && !Number.isInteger(v)) return false;
  return (r.above ? v > r.min : v >= r.min) && v <= r.max;
}

export function rangeText(r: Range): string {
  return r.above ? `> ${r.min} and ≤ ${r.max}` : `between ${r.min} and ${r.max}`;
}

export function clampCoordinate(v: number): number {
  return Math.max(LIMITS.coordinate.min, Math.min(LIMITS.coordinate.max, v));
}

/**
 * Cheap checks on raw JSON before the contract parser runs (so a 60,000-user file is refused
 * at once): the sizes the planner can handle. Null when they fit.
 */
export function sizeProblem(json: unknown): string | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const j = json as Record<string, unknown>;
  if (Array.isArray(j.users) && j.users.length > MAX_USERS) {
    return `users: ${j.users.length} users; the planner handles at most ${MAX_USERS} (use the CLI for larger networks)`;
  }
  if (Array.isArray(j.baseStations) && j.baseStations.length > MAX_BASE_STATIONS) {
    return `baseStations: ${j.baseStations.length} BSs; the planner handles at most ${MAX_BASE_STATIONS} (use the CLI for larger networks)`;
  }
  if (Array.isArray(j.targets) && j.targets.length > MAX_TARGETS) {
    return `targets: ${j.targets.length} targets; the planner handles at most ${MAX_TARGETS}`;
  }
  if (typeof j.antennas === 'number' && !inRange(LIMITS.antennas, j.antennas)) {
    return `antennas: ${j.antennas} is outside the planner's range (${rangeText(LIMITS.antennas)}, as in the Antennas N field)`;
  }
  return null;
}

/** The same ranges as the panel's fields, on a parsed draft; the first problem with its JSON path, or null. */
export function draftLimitProblem(d: Draft): string | null {
  const check = (path: string, r: Range, v: number): string | null => (inRange(r, v) ? null : `${path}: ${v} is outside the planner's range (${rangeText(r)})`);
  const scalar =
    check('antennas', LIMITS.antennas, d.antennas) ??
    check('radarSamples', LIMITS.radarSamples, d.radarSamples) ??
    check('maxPowerDbm', LIMITS.maxPowerDbm, d.maxPowerDbm) ??
    check('radarNoisePowerDbm', LIMITS.radarNoisePowerDbm, d.radarNoisePowerDbm) ??
    check('crlbMax', LIMITS.crlbMax, d.crlbMax);
  if (scalar) return scalar;
  if (d.baseStations.length > MAX_BASE_STATIONS) return `baseStations: at most ${MAX_BASE_STATIONS} BSs`;
  if (d.users.length > MAX_USERS) return `users: at most ${MAX_USERS} users`;
  const point = (path: string, p: readonly number[]) => check(`${path}[0]`, LIMITS.coordinate, p[0]) ?? check(`${path}[1]`, LIMITS.coordinate, p[1]);
  for (let s = 0; s < d.baseStations.length; s++) {
    const e = point(`baseStations[${s}].position`, d.baseStations[s].position);
    if (e) return e;
  }
  for (let k = 0; k < d.users.length; k++) {
    const u = d.users[k];
    const e =
      point(`users[${k}].position`, u.position) ??
      check(`users[${k}].minSinrDb`, LIMITS.minSinrDb, u.minSinrDb) ??
      check(`users[${k}].noisePowerDbm`, LIMITS.noisePowerDbm, u.noisePowerDbm);
    if (e) return e;
  }
  if (d.targets.length > MAX_TARGETS) return `targets: at most ${MAX_TARGETS} targets`;
  for (let t = 0; t < d.targets.length; t++) {
    const path = usesTargetsForm(d) ? `targets[${t}]` : 'target';
    const e = point(`${path}.position`, d.targets[t].position);
    if (e) return e;
    const own = d.targets[t].crlbMax;
    if (own !== undefined) {
      const b = check(`${path}.crlbMax`, LIMITS.crlbMax, own);
      if (b) return b;
    }
  }
  return null;
}
