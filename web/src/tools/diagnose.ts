/**
 * Which requirement to relax when a scenario is infeasible: for each of the CRLB bound
 * epsilon, the SINR targets (all users shifted by the same dB) and the per-BS budget P, the
 * smallest relaxation of that one requirement (the others as they are) for which `proposed`
 * finds a design. Brackets by steps, then bisects a few times. A "feasible" probe is a real
 * design, checked by the model; an infeasible probe only means proposed found none (it is a
 * heuristic), so the thresholds are upper estimates of what is needed.
 */
import { parseScenario } from '../../../src/model/scenario.ts';
import { solveScenarioSync } from '../../../src/design/solve.ts';
import { LIMITS } from '../app/limits.ts';

export type Requirement = 'crlbMax' | 'minSinrDb' | 'maxPowerDbm';

export interface Relaxation {
  requirement: Requirement;
  /** The value now (for minSinrDb: the largest user target). */
  current: number;
  /** The least relaxed value found feasible, or null when even the planner's limit is not. */
  feasibleAt: number | null;
  /** The most relaxed value probed that was still infeasible. */
  infeasibleAt: number;
}

export interface Diagnosis {
  /** proposed found a design for the scenario as it is (nothing to relax). */
  feasibleNow: boolean;
  relaxations: Relaxation[];
  probes: number;
}

type Json = Record<string, unknown> & { users: { minSinrDb: number }[] };

interface Knob {
  requirement: Requirement;
  current: number;
  /** Candidate values in the relaxing direction, up to the planner's limit. */
  steps: number[];
  apply(json: Json, v: number): Json;
  /** Midpoint for bisection (log scale for epsilon). */
  mid(a: number, b: number): number;
}

function knobs(json: Json): Knob[] {
  const eps = json.crlbMax as number;
  const gMax = Math.max(...json.users.map((u) => u.minSinrDb));
  const p = json.maxPowerDbm as number;
  const upTo = (from: number, deltas: number[], limit: number, sign: 1 | -1) => [
    ...new Set([...deltas.map((d) => from + sign * d).filter((v) => sign * v < sign * limit), limit]),
  ];
  const list: Knob[] = [
    {
      requirement: 'crlbMax',
      current: eps,
      steps: [...new Set([eps * 10, eps * 100, eps * 1e3, eps * 1e4].filter((v) => v < LIMITS.crlbMax.max).concat(LIMITS.crlbMax.max))],
      apply: (j, v) => ({ ...j, crlbMax: v }),
      mid: (a, b) => Math.sqrt(a * b),
    },
    {
      requirement: 'minSinrDb',
      current: gMax,
      steps: upTo(gMax, [3, 10, 20, 40], LIMITS.minSinrDb.min, -1),
      apply: (j, v) => ({ ...j, users: j.users.map((u) => ({ ...u, minSinrDb: Math.max(LIMITS.minSinrDb.min, u.minSinrDb + (v - gMax)) })) }),
      mid: (a, b) => (a + b) / 2,
    },
    {
      requirement: 'maxPowerDbm',
      current: p,
      steps: upTo(p, [3, 10, 20, 40], LIMITS.maxPowerDbm.max, 1),
      apply: (j, v) => ({ ...j, maxPowerDbm: v }),
      mid: (a, b) => (a + b) / 2,
    },
  ];
  return list;
}

const BISECTIONS = 3;

export function diagnose(scenario: Record<string, unknown>, progress: (message: string) => void = () => {}): Diagnosis {
  const json = scenario as Json;
  let probes = 0;
  const feasible = (j: Json): boolean => {
    probes++;
    const d = solveScenarioSync(parseScenario(j), { method: 'proposed' });
    return d.status === 'optimal' || d.status === 'feasible';
  };
  progress('checking the scenario as it is');
  if (feasible(json)) return { feasibleNow: true, relaxations: [], probes };
  const relaxations: Relaxation[] = [];
  for (const k of knobs(json)) {
    progress(`relaxing ${k.requirement} alone`);
    let bad = k.current;
    let good: number | null = null;
    for (const v of k.steps) {
      if (feasible(k.apply(json, v))) {
        good = v;
        break;
      }
      bad = v;
    }
    if (good !== null) {
      for (let i = 0; i < BISECTIONS; i++) {
        const m = k.mid(bad, good);
        if (feasible(k.apply(json, m))) good = m;
        else bad = m;
      }
    }
    relaxations.push({ requirement: k.requirement, current: k.current, feasibleAt: good, infeasibleAt: bad });
  }
  return { feasibleNow: false, relaxations, probes };
}
