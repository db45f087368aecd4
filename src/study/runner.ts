/**
 * The real trial runner and the paper-figure solves: the one module that wires the study
 * and report layers to the model (scenario generation, evaluation) and the design layer
 * (solveScenario). Workers import it by path (see engine.ts), so nothing else in
 * src/study depends on the solver at load time.
 */
import type { DesignJson, SolveOptions } from '../design/api.ts';
import { solveScenario } from '../design/solve.ts';
import { evaluateDesign, generateScenario, parseDesign, parseScenario, type GenerateOptions, type Scenario } from '../model/index.ts';
import type { ReceiverResult } from '../report/table.ts';
import { outcomeFromDesign, type EvaluationLike } from './outcome.ts';
import type { TrialOutcome } from './results.ts';
import type { PointParams, StudyMethod, StudyScenario } from './schema.ts';
import type { TrialInput } from './trial.ts';

/** Generator options of a study scenario at one point with one seed. */
export function generatorOptions(sc: StudyScenario, params: PointParams, seed: number): GenerateOptions {
  const opts: GenerateOptions = {
    seed,
    users: sc.users,
    radius: sc.radius,
    antennas: sc.antennas,
    radarSamples: sc.radarSamples,
    maxPowerDbm: params.maxPowerDbm,
    radarNoisePowerDbm: sc.radarNoisePowerDbm,
    userNoisePowerDbm: sc.noisePowerDbm,
    minSinrDb: params.minSinrDb,
    crlbMax: params.crlbMax,
    layout: Array.isArray(sc.layout) ? sc.layout.map((p) => [p[0], p[1]] as [number, number]) : sc.layout,
  };
  if (params.targets !== undefined) opts.targets = params.targets;
  if (sc.bsSpacing !== undefined) opts.bsSpacing = sc.bsSpacing;
  if (sc.channelModel) opts.channelModel = { ...sc.channelModel };
  return opts;
}

/** The solve options of a study method (`proposed-relaxation` is `proposed` from the relaxation start). */
export function studyMethodOptions(method: StudyMethod): Pick<SolveOptions, 'method' | 'init'> {
  return method === 'proposed-relaxation' ? { method: 'proposed', init: 'relaxation' } : { method };
}

/** The scenario JSON (contract format, explicit channels) of one (point, trial). */
export function trialScenarioJson(input: Pick<TrialInput, 'scenario' | 'params' | 'scenarioSeed'>): Record<string, unknown> {
  return generateScenario(generatorOptions(input.scenario, input.params, input.scenarioSeed));
}

/** Independent check of a design with the model (undefined when there is no design). */
export function evaluate(scn: Scenario, design: DesignJson): EvaluationLike | undefined {
  if (!design.beamformers || design.receiver === undefined || !design.association) return undefined;
  try {
    const ev = evaluateDesign(scn, parseDesign(design, scn));
    return { feasible: ev.feasible, totalPower: ev.totalPower, crlb: ev.crlb, sinrMarginDb: ev.sinrMarginDb };
  } catch {
    return { feasible: false };
  }
}

/** Runs one method with an optional wall-clock limit (passed on, and enforced between solver calls). */
export async function solveWithLimit(scn: Scenario, opts: SolveOptions): Promise<{ design: DesignJson; stopped: boolean }> {
  const start = Date.now();
  let stopped = false;
  const limit = opts.timeLimit;
  const design = await solveScenario(scn, {
    ...opts,
    shouldStop:
      limit === undefined
        ? opts.shouldStop
        : () => {
            if (Date.now() - start > limit * 1000) stopped = true;
            return stopped || (opts.shouldStop?.() ?? false);
          },
  });
  return { design, stopped };
}

/** The study's trial runner: generate the scenario, solve with the method, check the design. */
export async function runTrial(input: TrialInput): Promise<TrialOutcome> {
  const scn = parseScenario(trialScenarioJson(input));
  const opts: SolveOptions = { ...studyMethodOptions(input.method), seed: input.methodSeed };
  if (input.timeLimit !== undefined) opts.timeLimit = input.timeLimit;
  const { design, stopped } = await solveWithLimit(scn, opts);
  const out = outcomeFromDesign(design, evaluate(scn, design), input.recordHistory);
  // Stopped by the limit (the method's own, or ours between solver calls): the record says
  // so; a design found before the stop is kept (and counted when it passes the check).
  const limited = stopped || design.stoppedBy === 'time_limit';
  if (limited && out.status !== 'optimal' && out.status !== 'infeasible') out.status = 'time_limit';
  if (limited) out.detail = { ...out.detail, stoppedByTimeLimit: true };
  return out;
}

// ---------------------------------------------------------------------------------------
// The paper's Fig. 2 / Table II setup (used by `netisac figures`).

/** The Fig. 2 scenario JSON (the model's preset: the paper's BSs, users and target). */
export function fig2ScenarioJson(): Record<string, unknown> {
  return generateScenario({ preset: 'fig2' });
}

export interface MethodDesign {
  method: string;
  design: DesignJson;
  evaluation?: EvaluationLike;
}

/** Solves the Fig. 2 scenario with each method (study method names: `proposed-relaxation` too). */
export async function solveFig2(methods: StudyMethod[], timeLimit?: number): Promise<{ scenario: Record<string, unknown>; designs: MethodDesign[] }> {
  const json = fig2ScenarioJson();
  const scn = parseScenario(json);
  const designs: MethodDesign[] = [];
  for (const method of methods) {
    const opts: SolveOptions = { ...studyMethodOptions(method), seed: 1 };
    if (timeLimit !== undefined && method === 'exact') opts.timeLimit = timeLimit;
    const { design } = await solveWithLimit(scn, opts);
    designs.push({ method, design, evaluation: evaluate(scn, design) });
  }
  return { scenario: json, designs };
}

/** Every association of K users to the BSs other than `receiver` (S-1)^K of them. */
export function* associations(S: number, K: number, receiver: number): Generator<number[]> {
  const others = Array.from({ length: S }, (_, s) => s).filter((s) => s !== receiver);
  if (others.length === 0) return;
  const idx = new Array<number>(K).fill(0);
  for (;;) {
    yield idx.map((i) => others[i]);
    let k = K - 1;
    while (k >= 0 && idx[k] === others.length - 1) {
      idx[k] = 0;
      k--;
    }
    if (k < 0) return;
    idx[k]++;
  }
}

/**
 * Table II: for every receiving BS r, the best design with r receiving.
 *
 * `exact` (default): the global search (`exact`, branch and bound) restricted to receiver r;
 * its proven optimum is the best over all associations with r. Otherwise, or with `enumerate`, every one of the (S-1)^K associations is solved as
 * `fixed` (the convex problem (13), exact by Theorem 1) and the best is kept.
 */
export async function perReceiverBest(
  scenarioJson: Record<string, unknown>,
  opts: { how?: 'exact' | 'enumerate'; timeLimit?: number; onProgress?: (message: string) => void } = {},
): Promise<ReceiverResult[]> {
  const scn = parseScenario(scenarioJson);
  const S = scn.S;
  const K = scn.K;
  const rows: ReceiverResult[] = [];
  for (let r = 0; r < S; r++) {
    if ((opts.how ?? 'exact') === 'exact') {
      const d = await solveScenario(scn, { method: 'exact', receiver: r, ...(opts.timeLimit !== undefined ? { timeLimit: opts.timeLimit } : {}) });
      if (d.status === 'infeasible') {
        rows.push({ receiver: r, status: 'infeasible', totalPower: null, association: null });
        opts.onProgress?.(`BS${r + 1}: infeasible (proven)`);
        continue;
      }
      const ev = d.receiver === r ? evaluate(scn, d) : undefined;
      if (d.status === 'optimal' && d.receiver === r && ev?.feasible && ev.totalPower !== undefined) {
        rows.push({ receiver: r, status: 'optimal', totalPower: ev.totalPower, association: [...d.association!] });
        opts.onProgress?.(`BS${r + 1}: ${ev.totalPower.toPrecision(5)} W (exact)`);
        continue;
      }
      opts.onProgress?.(`BS${r + 1}: exact search inconclusive (${d.status}), enumerating the associations`);
    }
    rows.push(await enumerateReceiver(scn, r, K, opts.onProgress));
  }
  return rows;
}

async function enumerateReceiver(scn: Scenario, r: number, K: number, onProgress?: (message: string) => void): Promise<ReceiverResult> {
  let best: ReceiverResult = { receiver: r, status: 'infeasible', totalPower: null, association: null };
  let failures = 0;
  let count = 0;
  for (const a of associations(scn.S, K, r)) {
    const d = await solveScenario(scn, { method: 'fixed', receiver: r, association: a });
    count++;
    if (d.status === 'failed') failures++;
    if ((d.status === 'optimal' || d.status === 'feasible') && d.totalPower !== undefined && (best.totalPower === null || d.totalPower < best.totalPower)) {
      best = { receiver: r, status: 'optimal', totalPower: d.totalPower, association: a };
    }
  }
  if (best.totalPower === null && failures > 0) best.status = `infeasible or failed (${failures} solver failure(s))`;
  onProgress?.(`BS${r + 1}: ${best.totalPower === null ? best.status : `${best.totalPower.toPrecision(5)} W`} (${count} associations)`);
  return best;
}
