/**
 * The system model of network ISAC (paper Sec. II and Appendix; contract: the scenario spec).
 *
 * - Scenarios: {@link parseScenario}, {@link loadScenario}, {@link scenarioToJson},
 *   {@link generateScenario} (random layouts and the paper's Fig. 2 preset).
 * - Designs: {@link parseDesign} (validation against a scenario), {@link designToJson},
 *   {@link isotropicDesign} (full-power isotropic sensing reference).
 * - Metrics: {@link userSinr} (5), {@link transmitCovariances} (2), {@link fisherInformation} (29),
 *   {@link equivalentFim}, {@link crlb} (7) and {@link crlbPerTarget} (one CRLB per target), {@link fimCoefficients} (the FIM as a linear map of
 *   the Q_{s'} in low-rank form, for the LMI (12)), {@link evaluateDesign}.
 *
 * Units: W, m, s, linear SINR; indices 0-based. Complex matrices: see src/linalg/complex.ts.
 */
export type { Scenario, Design, BaseStation, User, ChannelModel, Point, SensingTarget } from './types.ts';
export { parseScenario, scenarioToJson } from './scenario.ts';
export { loadScenario } from './load-scenario.ts';
export { generateScenario, hexagonLayout, PAPER_BS_POSITIONS, FIG2, type GenerateOptions } from './generate.ts';
export { parseDesign, designToJson, isotropicDesign, nearestBs } from './design.ts';
export { readJsonFile } from './io.ts';
export { transmitCovariances, powerPerBs } from './covariance.ts';
export { userSinr, sinrTerms, type SinrTerms } from './sinr.ts';
export {
  fisherInformation,
  equivalentFim,
  crlb,
  crlbPerTarget,
  targetIndex,
  crlbFromEquivalentFim,
  fimCoefficients,
  fimFromCoefficients,
  coefficientMatrix,
  coefficientEntry,
  fimDimension,
  fimParameterNames,
  transmittersOf,
  radarLink,
  type FimOptions,
  type FimCoefficients,
  type FimCoefficientEntry,
  type FimCoefficientTerm,
  type RadarLink,
} from './fim.ts';
export { evaluateDesign, feasibilityViolations, FEASIBILITY_TOL, type Evaluation, type TargetEvaluation } from './evaluate.ts';
export { dbmToWatt, dbToLinear, drawChannel, drawRadarGain } from './channels.ts';
export {
  SPEED_OF_LIGHT,
  defaultArrayAxis,
  sinTheta,
  sinThetaGradient,
  steering,
  steeringDerivative,
  delay,
  delayGradient,
} from './geometry.ts';
export { scenarioSchema, designSchema, channelModelSchema, formatPath, DESIGN_TOL, CHANNEL_MODEL_DEFAULTS } from './schema.ts';

/** Loads a design file and validates it against the scenario. */
export { loadDesign } from './load-design.ts';
