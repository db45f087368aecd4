/** Random scenarios and covariances for the model tests (built from the PRNG, never from ../shared). */
import { type CMat, adjoint, mul, zeros, normF, trace, scale } from '../../src/linalg/complex.ts';
import { Rng } from '../../src/linalg/prng.ts';
import { parseScenario } from '../../src/model/scenario.ts';
import type { Scenario } from '../../src/model/types.ts';

export interface RandomScenarioOptions {
  N?: number;
  S?: number;
  K?: number;
  L?: number;
  /** Random array axes instead of the contract default. */
  randomAxes?: boolean;
  /**
   * T: write `targets` with T random targets (the first where `target` would be; the others
   * drawn after everything else, so the rest of the scenario is the same as without).
   */
  targets?: number;
}

/** A scenario with random geometry (BSs, users, target in a 200 m box), drawn channels. */
export function randomScenarioJson(seed: number, o: RandomScenarioOptions = {}): Record<string, unknown> {
  const rng = new Rng(seed);
  const S = o.S ?? 4;
  const K = o.K ?? 3;
  const pt = (): [number, number] => [200 * rng.uniform() - 100, 200 * rng.uniform() - 100];
  return {
    antennas: o.N ?? 4,
    radarSamples: o.L ?? 64,
    maxPowerDbm: 45,
    radarNoisePowerDbm: -65,
    crlbMax: 1,
    baseStations: Array.from({ length: S }, () => ({
      position: pt(),
      ...(o.randomAxes ? { arrayAxis: [rng.normal(), rng.normal()] } : {}),
    })),
    users: Array.from({ length: K }, () => ({ position: pt(), minSinrDb: 5 * rng.uniform(), noisePowerDbm: -85 })),
    ...targetFields(pt(), o.targets, pt),
    channelModel: { seed },
  };
}

function targetFields(first: [number, number], T: number | undefined, pt: () => [number, number]): Record<string, unknown> {
  if (T === undefined) return { target: { position: first } };
  return { targets: [first, ...Array.from({ length: T - 1 }, pt)].map((position) => ({ position })) };
}

export function randomScenario(seed: number, o: RandomScenarioOptions = {}): Scenario {
  return parseScenario(randomScenarioJson(seed, o));
}

export function randomMatrix(rng: Rng, r: number, c: number): CMat {
  const m = zeros(r, c);
  for (let k = 0; k < m.data.length; k++) m.data[k] = rng.normal();
  return m;
}

/** B B^H with B = N x rank, scaled to trace `power`. */
export function randomPsd(rng: Rng, n: number, rank: number, power = 1): CMat {
  const b = randomMatrix(rng, n, rank);
  const q = mul(b, adjoint(b));
  const t = trace(q)[0];
  return t > 0 ? scale(q, power / t) : q;
}

/** Random transmit covariances for every BS (receiver's zero), random ranks. */
export function randomCovariances(rng: Rng, scn: Scenario, receiver: number): CMat[] {
  return scn.baseStations.map((_, s) =>
    s === receiver ? zeros(scn.N, scn.N) : randomPsd(rng, scn.N, 1 + rng.int(scn.N), scn.maxPower * (0.1 + rng.uniform())),
  );
}

export function relDiff(a: number, b: number): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);
}

export { normF };
