/**
 * netisac: network ISAC planning (BS selection, user association, beamforming) with its own
 * conic interior-point solver. This is the package entry; the CLI is a thin layer over it.
 */
export * from './model/index.ts';
export { InputError, RunError } from './errors.ts';
export { METHODS, type Method, type SolveOptions, type DesignJson, type Complex } from './design/api.ts';
export { solveScenario, solveScenarioSync, validateSolveOptions } from './design/solve.ts';
export { solveFixed } from './design/fixed.ts';
export { solveProposed, PROPOSED_INITS, type ProposedOptions } from './design/proposed.ts';
export { solveExact, type ExactOptions } from './design/exact.ts';
export { designData } from './design/from-scenario.ts';
export * as conic from './conic/index.ts';
