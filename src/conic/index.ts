/** Public API of the conic interior-point solver. */
export type { Cone, ConicProblem, LowRankHint, SolveStatus, SolverResult, SolverSettings, SparseRows } from './types.ts';
export { solve, solvePeakBytes } from './solve.ts';
export { DEFAULT_SETTINGS } from './settings.ts';
export { svec, smat, hvec, hmat, svecDim, hvecDim, svecIndex, hvecDiagIndex, type ComplexMatrix } from './vec.ts';
export { parseSdpa, sdpaToConic, solveSdpa, type SdpaProblem, type SdpaResult } from './sdpa.ts';
