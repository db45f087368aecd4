/**
 * Values computed from the state and cached by identity: the parsed scenario (channels drawn
 * here, the same way the worker and the CLI draw them) and the evaluation of the shown design.
 */
import { parseScenario } from '../../../src/model/scenario.ts';
import { parseDesign } from '../../../src/model/design.ts';
import { evaluateDesign, type Evaluation } from '../../../src/model/evaluate.ts';
import { transmitCovariances } from '../../../src/model/covariance.ts';
import { add, outer, zeros, type CMat } from '../../../src/linalg/complex.ts';
import type { Design, Scenario } from '../../../src/model/types.ts';
import { draftToJson } from './draft.ts';
import type { AppState, ResultEntry } from './state.ts';
import { errorText } from './actions.ts';

export interface Shown {
  entry: ResultEntry;
  /** Made for an earlier version of the scenario (evaluated on the current one). */
  stale: boolean;
  design: Design | null;
  evaluation: Evaluation | null;
  /** Q_s per BS. */
  covariances: CMat[] | null;
  /** The two parts of Q_s drawn apart on the map: sum of w_k w_k^H of its users, and R_s. */
  comm: CMat[] | null;
  sensing: CMat[] | null;
  /** Why the design cannot be evaluated (e.g. the method found none). */
  problem: string | null;
}

export interface Derived {
  scenario: Scenario | null;
  scenarioError: string | null;
  shown: Shown | null;
}

let lastDraft: unknown = null;
let lastExplicit: unknown = null;
let lastScenario: { scenario: Scenario | null; error: string | null } = { scenario: null, error: null };
let lastShownKey: [unknown, unknown] = [null, null];
let lastShown: Shown | null = null;

function scenarioOf(s: AppState): { scenario: Scenario | null; error: string | null } {
  if (s.draft === lastDraft && s.explicit === lastExplicit) return lastScenario;
  lastDraft = s.draft;
  lastExplicit = s.explicit;
  try {
    lastScenario = { scenario: parseScenario(draftToJson(s.draft, s.explicit)), error: null };
  } catch (err) {
    lastScenario = { scenario: null, error: errorText(err) };
  }
  return lastScenario;
}

function evaluate(scn: Scenario, entry: ResultEntry, stale: boolean): Shown {
  const json = entry.design;
  const base = { entry, stale, design: null, evaluation: null, covariances: null, comm: null, sensing: null };
  if (json.beamformers === undefined) {
    const why = typeof json.message === 'string' ? json.message : `no design (status ${String(json.status)})`;
    return { ...base, problem: why };
  }
  try {
    const design = parseDesign(json, scn);
    const comm = scn.baseStations.map(() => zeros(scn.N, scn.N));
    design.association.forEach((bs, k) => {
      comm[bs] = add(comm[bs], outer(design.beamformers[k]));
    });
    const sensing = scn.baseStations.map((_, bs) => (bs === design.receiver ? zeros(scn.N, scn.N) : design.sensingCovariances[bs]));
    return {
      ...base,
      design,
      evaluation: evaluateDesign(scn, design),
      covariances: transmitCovariances(scn, design),
      comm,
      sensing,
      problem: null,
    };
  } catch (err) {
    return { ...base, problem: errorText(err) };
  }
}

export function derive(s: AppState): Derived {
  const { scenario, error } = scenarioOf(s);
  let shown: Shown | null = null;
  if (s.result && scenario) {
    if (lastShownKey[0] === s.result && lastShownKey[1] === scenario && lastShown) shown = lastShown;
    else {
      shown = evaluate(scenario, s.result, s.result.scenarioVersion !== s.version);
      lastShownKey = [s.result, scenario];
      lastShown = shown;
    }
  }
  return { scenario, scenarioError: error, shown };
}
