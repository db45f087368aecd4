/**
 * The results file: JSON lines. Line 1 is a header naming the study (its hash and the
 * full resolved study, so a results file is self-describing); every further line is one
 * (point, trial, method) record. Lines are written whole, one write call each, so a kill
 * can leave at most a partial last line, which `readResults` detects and `repairTail`
 * truncates. Every record must carry the header's study hash (checked on every read: by
 * resume, `study merge` and `study report`).
 */
import { closeSync, existsSync, ftruncateSync, openSync, statSync } from 'node:fs';
import { InputError } from '../errors.ts';
import { readInputBytes } from '../model/io.ts';
import { isResolvedStudy, type PointParams, type Study, type StudyMethod } from './schema.ts';
import { taskKey, type Shard } from './tasks.ts';

export const RESULTS_FORMAT = 'netisac-study-results';

export interface ResultsHeader {
  kind: 'study';
  format: typeof RESULTS_FORMAT;
  version: 1;
  /** `studyHash(study)`. */
  studyHash: string;
  study: Study;
  /** The slice this file holds; null for a whole study (or a merge of all shards). */
  shard: Shard | null;
}

/** Outcome of one trial as the runner reports it (everything but the identification). */
export interface TrialOutcome {
  /** The method's status, or `error` when the runner threw. */
  status: 'optimal' | 'feasible' | 'infeasible' | 'failed' | 'time_limit' | 'error';
  /** The design was checked by `evaluateDesign` and meets every constraint. */
  feasible: boolean;
  /** W. Null when the method returned no design. */
  totalPower: number | null;
  /** m^2, of the returned design. */
  crlb: number | null;
  /** min over users of (SINR - Gamma_k) in dB; >= 0 when every user's target is met. */
  minSinrMarginDb: number | null;
  receiver: number | null;
  association: number[] | null;
  /** The method's own run time, s. */
  seconds: number;
  /** AO iterations (`proposed`), nodes (`exact`) or solver calls: what `detail` reports. */
  iterations: number | null;
  /** W, proven lower bound (`exact`). */
  lowerBound: number | null;
  /** (totalPower - lowerBound) / totalPower for `exact`. */
  gap: number | null;
  /** Objective per AO iteration (`proposed`, first `historyTrials` trials only). */
  history?: number[] | undefined;
  message?: string;
  /** Small method-specific facts (solver calls, nodes, ...), numbers and strings only. */
  detail?: Record<string, number | string | boolean>;
}

/** One line of the results file. */
export interface TrialRecord extends TrialOutcome {
  kind: 'trial';
  /** The study hash (same as the header's). */
  study: string;
  /** Canonical task index. */
  task: number;
  point: number;
  params: PointParams;
  trial: number;
  method: StudyMethod;
  /** Scenario seed of this (point, trial): the same for every method. */
  seed: number;
  /** Wall time of the whole trial (scenario generation, solve, evaluation), s. */
  wallSeconds: number;
}

/**
 * Fields that vary between runs of the same task (ignored when comparing results): the
 * record's `seconds` and `wallSeconds`, and every `detail` key ending in `seconds`/`Seconds`
 * (`sdpSeconds`: time inside the conic solver; `seconds`: exact's search time). Everything
 * else in a line is reproducible, so a resumed file equals an uninterrupted run apart from these.
 */
export const TIMING_FIELDS = ['seconds', 'wallSeconds'] as const;

/** A `detail` key that holds a time (see TIMING_FIELDS). */
export const isDetailTiming = (key: string): boolean => /seconds$/i.test(key);

export interface ResultsFile {
  header: ResultsHeader | null;
  records: TrialRecord[];
  /** Byte length of the intact prefix (whole, parseable lines). */
  validBytes: number;
  /** Total byte length of the file. */
  totalBytes: number;
  /** Keys seen more than once (the first occurrence is kept in `records`). */
  duplicates: string[];
  /** The file's first bytes (up to 32), as text: what a file without a complete line starts with. */
  head: string;
}

function isHeader(v: unknown): v is ResultsHeader {
  if (typeof v !== 'object' || v === null) return false;
  const h = v as Record<string, unknown>;
  return h.kind === 'study' && h.format === RESULTS_FORMAT && typeof h.studyHash === 'string' && isResolvedStudy(h.study);
}

function isRecord(v: unknown): v is TrialRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    r.kind === 'trial' &&
    typeof r.study === 'string' &&
    Number.isInteger(r.point) &&
    Number.isInteger(r.trial) &&
    typeof r.method === 'string' &&
    typeof r.status === 'string' &&
    typeof r.feasible === 'boolean'
  );
}

/**
 * The largest results file read (2 GiB, what Node's readFileSync allowed before): a study of
 * thousands of designs stays far below it.
 */
export const MAX_RESULTS_BYTES = 2 ** 31 - 1;

/**
 * Reads a results file. A partial or unparseable *last* line (what a kill mid-write
 * leaves) is reported through `validBytes < totalBytes`, not as an error; any other bad
 * line is an InputError naming `file:line`.
 */
export function readResults(file: string): ResultsFile {
  // results are ours and may be large; they are appended to and truncated, so a regular file
  const buf = readInputBytes(file, 'results', { maxBytes: MAX_RESULTS_BYTES, regularOnly: true });
  const out: ResultsFile = { header: null, records: [], validBytes: 0, totalBytes: buf.length, duplicates: [], head: buf.subarray(0, 32).toString('utf8') };
  const seen = new Set<string>();
  let start = 0;
  let lineNo = 0;
  while (start < buf.length) {
    const nl = buf.indexOf(0x0a, start);
    lineNo++;
    if (nl < 0) break; // partial tail: no newline yet
    const text = buf.subarray(start, nl).toString('utf8');
    const isLast = nl === buf.length - 1;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      if (isLast) break;
      throw new InputError(`corrupt line (not JSON): ${text.slice(0, 80)}`, `${file}:${lineNo}`);
    }
    if (lineNo === 1) {
      if (!isHeader(value)) throw new InputError('not a netisac study results file (line 1 is not a study header)', `${file}:1`);
      out.header = value;
    } else if (isRecord(value)) {
      // A line of another study (appended by hand, or files concatenated) would count as done
      // on resume and change the report: refuse it instead of mixing studies.
      if (out.header && value.study !== out.header.studyHash) {
        throw new InputError(
          `line of study ${value.study}, but the header is study ${out.header.studyHash}: results of different studies cannot be mixed; remove this line`,
          `${file}:${lineNo}`,
        );
      }
      const key = taskKey(value.point, value.trial, value.method);
      if (seen.has(key)) out.duplicates.push(key);
      else {
        seen.add(key);
        out.records.push(value);
      }
    } else if (isLast) {
      break;
    } else {
      throw new InputError('not a trial record', `${file}:${lineNo}`);
    }
    start = nl + 1;
    out.validBytes = start;
  }
  return out;
}

/** Truncates a results file to its intact prefix. Returns the number of bytes removed. */
export function repairTail(file: string, validBytes: number): number {
  const size = statSync(file).size;
  if (size <= validBytes) return 0;
  const fd = openSync(file, 'r+');
  try {
    ftruncateSync(fd, validBytes);
  } finally {
    closeSync(fd);
  }
  return size - validBytes;
}

/** Whether the results file exists and is not empty. */
export function resultsExist(file: string): boolean {
  return existsSync(file) && statSync(file).size > 0;
}

/** The record with its timing fields removed, `detail`'s included (for comparing runs). */
export function withoutTiming(r: TrialRecord): Omit<TrialRecord, (typeof TIMING_FIELDS)[number]> {
  const { seconds: _s, wallSeconds: _w, ...rest } = r;
  void _s;
  void _w;
  if (!rest.detail) return rest;
  const detail = Object.fromEntries(Object.entries(rest.detail).filter(([k]) => !isDetailTiming(k)));
  return { ...rest, detail };
}
