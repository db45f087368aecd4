import type { SolverSettings } from './types.ts';

/** Defaults of every setting (documented in types.ts and docs/solver.md). */
export const DEFAULT_SETTINGS: Readonly<SolverSettings> = Object.freeze({
  maxIterations: 100,
  tolGapAbs: 1e-8,
  tolGapRel: 1e-8,
  tolFeas: 1e-8,
  tolInfeas: 1e-8,
  reducedTol: 1e-5,
  timeLimit: Infinity,
  verbose: false,
  hermitian: 'native',
  equilibrate: 'auto',
  xScaleBand: 16,
  xScaleSkipPins: false,
  correctors: 1,
  centringFallback: true,
  certifyBound: true,
  facialReduction: true,
});

/** DEFAULT_SETTINGS overridden by the given (defined) settings. */
export function resolveSettings(s?: Partial<SolverSettings>): SolverSettings {
  const out: SolverSettings = { ...DEFAULT_SETTINGS };
  if (s) for (const [k, v] of Object.entries(s)) if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  return out;
}
