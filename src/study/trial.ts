/**
 * What the engine hands a trial runner and how it calls it. A runner is any module that
 * exports `runTrial(input: TrialInput): TrialOutcome | Promise<TrialOutcome>`; the real one
 * is `runner.ts` (scenario generator + solveScenario + evaluateDesign). Inputs and outputs
 * are plain JSON so they cross worker-thread boundaries.
 */
import { performance } from 'node:perf_hooks';
import type { TrialOutcome } from './results.ts';
import type { PointParams, StudyMethod, StudyScenario } from './schema.ts';

export interface TrialInput {
  studyHash: string;
  /** The study's scenario-generator settings. */
  scenario: StudyScenario;
  point: number;
  params: PointParams;
  trial: number;
  method: StudyMethod;
  /** Seed of the scenario realisation (same for all methods of this point and trial). */
  scenarioSeed: number;
  /** Seed for the method's own random choices. */
  methodSeed: number;
  /** Wall-clock limit for this method, s. */
  timeLimit?: number;
  /** Keep the AO history (objective per iteration) in the outcome. */
  recordHistory: boolean;
}

export type TrialRunner = (input: TrialInput) => TrialOutcome | Promise<TrialOutcome>;

export interface TrialResult {
  outcome: TrialOutcome;
  wallSeconds: number;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Coerces a runner's outcome into a clean record body: finite numbers or null, no NaN. */
export function sanitizeOutcome(o: TrialOutcome, recordHistory: boolean): TrialOutcome {
  const clean: TrialOutcome = {
    status: o.status,
    feasible: o.feasible === true,
    totalPower: num(o.totalPower),
    crlb: num(o.crlb),
    minSinrMarginDb: num(o.minSinrMarginDb),
    receiver: Number.isInteger(o.receiver) ? o.receiver : null,
    association: Array.isArray(o.association) && o.association.every(Number.isInteger) ? [...o.association] : null,
    seconds: num(o.seconds) ?? 0,
    iterations: num(o.iterations),
    lowerBound: num(o.lowerBound),
    gap: num(o.gap),
  };
  if (recordHistory && Array.isArray(o.history)) {
    const h = o.history.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (h.length) clean.history = h;
  }
  if (o.message) clean.message = String(o.message).slice(0, 500);
  if (o.detail && typeof o.detail === 'object') {
    const d: Record<string, number | string | boolean> = {};
    for (const [k, v] of Object.entries(o.detail)) {
      if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') d[k] = v;
      else if (typeof v === 'string') d[k] = v.slice(0, 200);
    }
    if (Object.keys(d).length) clean.detail = d;
  }
  return clean;
}

/** Runs one trial; an exception becomes an `error` outcome instead of stopping the study. */
export async function executeTrial(runner: TrialRunner, input: TrialInput): Promise<TrialResult> {
  const t0 = performance.now();
  let outcome: TrialOutcome;
  try {
    outcome = sanitizeOutcome(await runner(input), input.recordHistory);
  } catch (err) {
    const seconds = (performance.now() - t0) / 1000;
    outcome = {
      status: 'error',
      feasible: false,
      totalPower: null,
      crlb: null,
      minSinrMarginDb: null,
      receiver: null,
      association: null,
      seconds,
      iterations: null,
      lowerBound: null,
      gap: null,
      message: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
    };
  }
  return { outcome, wallSeconds: (performance.now() - t0) / 1000 };
}

/** Loads a runner module (path or file URL) and returns its `runTrial`. */
export async function loadRunner(moduleRef: string): Promise<TrialRunner> {
  const { pathToFileURL } = await import('node:url');
  const href = /^[a-z]+:/i.test(moduleRef) && !/^[a-z]:[\\/]/i.test(moduleRef) ? moduleRef : pathToFileURL(moduleRef).href;
  const mod = (await import(href)) as { runTrial?: unknown; default?: unknown };
  const fn = typeof mod.runTrial === 'function' ? mod.runTrial : typeof mod.default === 'function' ? mod.default : undefined;
  if (!fn) throw new Error(`trial runner module ${moduleRef} exports no runTrial function`);
  return fn as TrialRunner;
}
