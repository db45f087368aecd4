/**
 * Adapter from the model's resolved Scenario to the design layer's DesignData.
 */
import type { Scenario } from '../model/types.ts';
import { InputError } from '../errors.ts';
import { fimCoefficients, coefficientEntry, upperTriangleIndex, type FimCoefficients } from '../model/fim.ts';
import type { DesignData, FimLinear } from './data.ts';

/** V (N x 2, row-major interleaved CMat data) -> column-major interleaved. */
function toColumnMajor(data: Float64Array, n: number): Float64Array {
  const out = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 2; c++) {
      out[2 * n * c + 2 * i] = data[2 * (i * 2 + c)]!;
      out[2 * n * c + 2 * i + 1] = data[2 * (i * 2 + c) + 1]!;
    }
  }
  return out;
}

/**
 * The FIM of receiver r restricted to the echoes of `transmitters` (a subset of the
 * other BSs, in increasing order): the other paths' parameters and terms are dropped.
 */
function restrictFim(scn: Scenario, full: FimCoefficients, transmitters: number[]): FimLinear {
  const T = full.transmitters.length;
  const sub = transmitters.map((s) => {
    const m = full.transmitters.indexOf(s);
    if (m < 0) throw new Error(`BS ${s} is not a transmitter for receiver ${full.receiver}`);
    return m;
  });
  const Tp = sub.length;
  // Full parameter index of restricted index i.
  const fullIndex = (i: number): number => {
    if (i < 2) return i;
    if (i < 2 + Tp) return 2 + sub[i - 2]!;
    return 2 + T + sub[i - 2 - Tp]!;
  };
  const V = transmitters.map((s) => toColumnMajor(full.basis[s]!.data, scn.N));
  const dim = 2 + 2 * Tp;
  // Each entry's coefficients by restricted transmitter, read from `full` at the first call:
  // callers scan every (i, j, q), dim^2 Tp calls (~2e5 per target on the 37-BS hexagon), of
  // which O(Tp) entries have any term (F_pp from every transmitter, the others from one).
  const rows: (readonly (Float64Array | null)[] | undefined)[] = new Array((dim * (dim + 1)) / 2);
  const slotOf = new Map(transmitters.map((s, q) => [s, q]));
  const rowOf = (a: number, b: number): readonly (Float64Array | null)[] => {
    const terms = coefficientEntry(full, fullIndex(a), fullIndex(b)).terms;
    if (terms.length === 0) return NO_TERMS;
    const row = new Array<Float64Array | null>(Tp).fill(null);
    for (const t of terms) {
      const q = slotOf.get(t.transmitter);
      if (q !== undefined && row[q] === null) row[q] = t.m.data;
    }
    return row;
  };
  return {
    dim,
    transmitters: transmitters.slice(),
    alphaAbs: transmitters.map((s) => Math.hypot(...scn.targets[full.target]!.radarGains[full.receiver]![s]!)),
    V,
    coef(i: number, j: number, q: number): Float64Array | null {
      // F is symmetric: (i, j) and (j, i) share one entry
      const row = (rows[upperTriangleIndex(i, j, dim)] ??= rowOf(Math.min(i, j), Math.max(i, j)));
      return row[q] ?? null;
    },
  };
}

/** The coefficients of an entry without terms (most of them). */
const NO_TERMS: readonly (Float64Array | null)[] = [];

/**
 * The design entry points take a scenario parsed by parseScenario / loadScenario (SI units, the
 * channels drawn): from JavaScript, the scenario JSON itself can be passed by mistake, and would
 * fail deep inside with an unrelated message. Its counts and channels are checked here instead.
 */
export function requireParsedScenario(scn: unknown): void {
  const s = scn as Partial<Scenario> | null;
  // (no users is a scenario: sensing only)
  const counts =
    s !== null && typeof s === 'object' && [s.S, s.N].every((v) => Number.isInteger(v) && (v as number) >= 1) && Number.isInteger(s.K) && s.K! >= 0;
  if (counts && Array.isArray(s.channels) && s.channels.length === s.S && Array.isArray(s.targets)) return;
  const json = s !== null && typeof s === 'object' && 'baseStations' in s;
  throw new InputError(
    json
      ? 'the design methods take a parsed scenario, not its JSON: pass parseScenario(json) (or loadScenario(path))'
      : 'not a scenario: the design methods take what parseScenario(json) or loadScenario(path) returns',
    'scenario',
  );
}

/** The design layer's data of a scenario (channels, FIM coefficients, budgets); one target so far. */
export function designData(scn: Scenario): DesignData {
  requireParsedScenario(scn);
  const fimCache = new Map<string, FimCoefficients>();
  const fullFim = (r: number, target: number): FimCoefficients => {
    const key = `${r}|${target}`;
    let f = fimCache.get(key);
    if (!f) {
      f = fimCoefficients(scn, r, { target });
      fimCache.set(key, f);
    }
    return f;
  };
  const restricted = new Map<string, FimLinear>();
  return {
    S: scn.S,
    K: scn.K,
    N: scn.N,
    P: scn.maxPower,
    targets: scn.targets.map((t) => ({ position: [t.position[0], t.position[1]], epsilon: t.crlbMax })),
    gamma: Float64Array.from(scn.users.map((u) => u.minSinr)),
    sigma2: Float64Array.from(scn.users.map((u) => u.noisePower)),
    bsPositions: scn.baseStations.map((b) => [b.position[0], b.position[1]] as [number, number]),
    channel: (s, k) => scn.channels[s]![k]!,
    fim(r, transmitters, target) {
      const key = `${r}|${transmitters.join(',')}|${target}`;
      let f = restricted.get(key);
      if (!f) {
        f = restrictFim(scn, fullFim(r, target), transmitters);
        restricted.set(key, f);
      }
      return f;
    },
  };
}
