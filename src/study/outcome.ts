/**
 * Turns a method's design and its independent evaluation into a study record body.
 * Pure functions, kept apart from `runner.ts` (which wires the real solver) so they can be
 * tested on their own.
 */
import type { DesignJson } from '../design/api.ts';
import type { TrialOutcome } from './results.ts';

/** The parts of `evaluateDesign`'s result the study uses. */
export interface EvaluationLike {
  feasible: boolean;
  totalPower?: number;
  crlb?: number | null;
  /** Per user: SINR minus its requirement, dB (null where the SINR is 0). */
  sinrMarginDb?: (number | null)[];
}

const finiteOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The objective per AO iteration from a design's `detail.history`, which may be a list of
 * numbers or of objects carrying `objective` (or `f`, `value`, `totalPower`).
 */
export function historyObjectives(history: unknown): number[] | undefined {
  if (!Array.isArray(history)) return undefined;
  const out: number[] = [];
  for (const h of history) {
    let v: unknown = h;
    if (h && typeof h === 'object') {
      const o = h as Record<string, unknown>;
      v = o.objective ?? o.f ?? o.value ?? o.penalized ?? o.totalPower;
    }
    if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
  }
  return out.length ? out : undefined;
}

/** Iterations (AO), nodes (B&B) or solver calls, whichever the design's detail reports. */
export function iterationCount(detail: Record<string, unknown> | undefined): number | null {
  if (!detail) return null;
  // AO iterations (proposed, schemes 1/3), B&B nodes (exact), else the interior-point
  // iterations of the single SDP (fixed, scheme 2).
  for (const k of ['aoIterations', 'nodes', 'iterations', 'sdpCalls']) {
    const v = finiteOrNull(detail[k]);
    if (v !== null) return v;
  }
  const h = historyObjectives(detail.history);
  return h ? h.length : null;
}

/** Builds the record body of one trial. `evaluation` is undefined when there is no design. */
export function outcomeFromDesign(design: DesignJson, evaluation: EvaluationLike | undefined, recordHistory: boolean): TrialOutcome {
  const hasDesign = design.receiver !== undefined && design.association !== undefined && evaluation !== undefined;
  const totalPower = hasDesign ? (finiteOrNull(evaluation!.totalPower) ?? finiteOrNull(design.totalPower)) : null;
  const rawMargins = hasDesign ? (evaluation!.sinrMarginDb ?? []) : [];
  // A user with zero SINR has no finite margin: then the minimum is undefined (null).
  const margins = rawMargins.every((m) => typeof m === 'number' && Number.isFinite(m)) ? (rawMargins as number[]) : [];
  const lowerBound = finiteOrNull(design.lowerBound);
  const detail = design.detail;
  const out: TrialOutcome = {
    status: design.status,
    feasible: hasDesign && evaluation!.feasible === true && totalPower !== null,
    totalPower,
    crlb: hasDesign ? finiteOrNull(evaluation!.crlb) : null,
    minSinrMarginDb: margins.length ? Math.min(...margins) : null,
    // The decision is recorded whenever the method named one, also when it admits no feasible
    // beamforming (e.g. Algorithm 1's rounded receiver and association): `feasible` says which.
    receiver: Number.isInteger(design.receiver) ? design.receiver! : null,
    association: Array.isArray(design.association) ? [...design.association] : null,
    seconds: finiteOrNull(design.seconds) ?? 0,
    iterations: iterationCount(detail),
    lowerBound,
    gap: lowerBound !== null && totalPower !== null && totalPower > 0 ? Math.max(0, (totalPower - lowerBound) / totalPower) : null,
  };
  if (recordHistory) {
    const h = historyObjectives(detail?.history);
    if (h) out.history = h;
  }
  if (design.message) out.message = design.message;
  if (detail) {
    const small: Record<string, number | string | boolean> = {};
    for (const [k, v] of Object.entries(detail)) {
      if (k === 'history') continue;
      if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean' || (typeof v === 'string' && v.length <= 200)) small[k] = v;
    }
    if (Object.keys(small).length) out.detail = small;
  }
  return out;
}
