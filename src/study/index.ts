/**
 * The study and report API (the package's `netisac/study` entry): define a Monte Carlo study,
 * run or resume it (worker threads, shards), merge shard results and write the report.
 * Kept apart from the main entry so that `import 'netisac'` does not load the study engine.
 */
export { runStudy, headerFor, DEFAULT_RUNNER, type RunStudyOptions, type RunStudySummary } from './engine.ts';
export { mergeResults, loadResults } from './merge.ts';
export { readResults, RESULTS_FORMAT, type ResultsHeader, type TrialRecord, type TrialOutcome } from './results.ts';
export { loadStudy, parseStudy, studyHash, canonicalJson, type Study, type StudyInput, type StudyScenario, type PointParams } from './schema.ts';
export { studyTasks, parseShard, formatShard, type Shard, type Task } from './tasks.ts';
export type { TrialInput, TrialResult, TrialRunner } from './trial.ts';
export { PAPER_FIG3_STUDY } from './paper.ts';
export { writeReport, type ReportInput, type Fig2Input } from '../report/report.ts';
export { aggregate, type Aggregates } from '../report/aggregate.ts';
export { scenarioMapSpec, powerSpec, infeasibilitySpec, convergenceSpec, gapHistogramSpec, type VlSpec } from '../report/specs.ts';
export { table2, type Table2Input, type ReceiverResult } from '../report/table.ts';
export { renderSvg, svgToPng } from '../report/render.ts';
