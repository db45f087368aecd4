/**
 * `study merge`: joins shard result files into one results file of the whole study, after
 * checking that they belong to the same study, overlap nowhere and together hold every task.
 */
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { ensureDirectory, writeFileWhole } from '../model/io.ts';
import { headerFor } from './engine.ts';
import { readResults, type ResultsHeader, type TrialRecord } from './results.ts';
import { studyTasks, taskKey } from './tasks.ts';

export interface LoadedResults {
  header: ResultsHeader;
  records: TrialRecord[];
}

export interface MergeSummary {
  studyHash: string;
  files: number;
  records: number;
}

/**
 * Reads one or more results files of the same study. A partial last line is ignored with a
 * warning (it is what an interrupted run leaves).
 */
export function loadResults(
  files: string[],
  opts: { allowDuplicates?: boolean; log?: (m: string) => void } = {},
): LoadedResults & { headers: ResultsHeader[] } {
  if (files.length === 0) throw new InputError('no results files given');
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  let header: ResultsHeader | undefined;
  let headerFile = '';
  const byKey = new Map<string, { record: TrialRecord; file: string }>();
  const headers: ResultsHeader[] = [];
  for (const file of files) {
    const rf = readResults(file);
    if (!rf.header) throw new InputError('empty results file (no study header)', file);
    if (rf.validBytes < rf.totalBytes) log(`warning: ${file}: ignoring a partial last line (${rf.totalBytes - rf.validBytes} bytes)`);
    if (!header) {
      header = rf.header;
      headerFile = file;
    } else if (rf.header.studyHash !== header.studyHash) {
      throw new InputError(
        `belongs to study ${rf.header.studyHash} ("${rf.header.study.name}"), but ${headerFile} to study ${header.studyHash} ("${header.study.name}"): results of different studies cannot be combined`,
        file,
      );
    }
    if (rf.duplicates.length && !opts.allowDuplicates)
      throw new InputError(`holds ${rf.duplicates.length} duplicate line(s), e.g. task ${rf.duplicates[0]}`, file);
    for (const r of rf.records) {
      const key = taskKey(r.point, r.trial, r.method);
      const prev = byKey.get(key);
      if (prev) {
        if (opts.allowDuplicates) continue;
        throw new InputError(
          `point ${r.point}, trial ${r.trial}, method ${r.method} appears both in ${prev.file} and in ${file} (overlapping shards, or the same file twice)`,
        );
      }
      byKey.set(key, { record: r, file });
    }
    headers.push(rf.header);
  }
  const records = [...byKey.values()].map((v) => v.record).sort((a, b) => a.task - b.task);
  return { header: header!, records, headers };
}

/** Checks completeness and writes the merged file (atomically: temp file, then rename). */
export function mergeResults(files: string[], out: string, opts: { log?: (m: string) => void } = {}): MergeSummary {
  const { header, records, headers } = loadResults(files, opts);
  const study = header.study;
  const have = new Set(records.map((r) => taskKey(r.point, r.trial, r.method)));
  const all = studyTasks(study);
  const missing = all.filter((t) => !have.has(taskKey(t.point, t.trial, t.method)));
  if (missing.length) {
    const shards = new Map<number, number>();
    const n = headers.find((h) => h.shard)?.shard?.count ?? 1;
    for (const t of missing) {
      const s = n > 1 ? (t.point * study.trials + t.trial) % n : 0;
      shards.set(s, (shards.get(s) ?? 0) + 1);
    }
    const where = n > 1 ? `; missing per shard: ${[...shards].map(([s, c]) => `${s + 1}/${n}: ${c}`).join(', ')}` : '';
    const eg = missing.slice(0, 3).map((t) => `point ${t.point} trial ${t.trial} ${t.method}`);
    throw new InputError(
      `the files are incomplete: ${missing.length} of ${all.length} tasks have no result (e.g. ${eg.join('; ')})${where}. Resume the unfinished shards (same command) and merge again`,
    );
  }
  const extra = records.length - all.length;
  if (extra > 0) throw new InputError(`the files hold ${extra} record(s) that are not tasks of the study`);
  const target = resolve(out);
  const inputs = new Set(files.map((f) => resolve(f)));
  if (inputs.has(target)) throw new InputError('--out must not be one of the input files', out);
  const text = [JSON.stringify(headerFor(study, null)), ...records.map((r) => JSON.stringify(r))].join('\n') + '\n';
  ensureDirectory(dirname(target), out);
  try {
    writeFileWhole(target, text);
  } catch (err) {
    throw new InputError(`cannot write: ${(err as Error).message}`, out);
  }
  return { studyHash: header.studyHash, files: files.length, records: records.length };
}
