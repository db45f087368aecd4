import { describe, expect, it } from 'vitest';
import { appendFileSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../src/errors.ts';
import { runStudy } from '../../src/study/engine.ts';
import { mergeResults } from '../../src/study/merge.ts';
import { readResults } from '../../src/study/results.ts';
import { parseStudy } from '../../src/study/schema.ts';
import { runTrial as fakeRunTrial } from './fixtures/fake-runner.ts';
import { FAKE_RUNNER, keys, recordLines, smallStudy, tmp } from './helpers.ts';

const quiet = { progress: false as const, log: () => undefined };

describe('study engine', () => {
  it('runs every (point, trial, method) once, with reproducible records', async () => {
    const dir = tmp();
    const study = parseStudy(smallStudy());
    const out = join(dir, 'r.jsonl');
    const s = await runStudy({ study, out, workers: 0, runTrial: fakeRunTrial, ...quiet });
    expect(s).toMatchObject({ total: 36, alreadyDone: 0, ran: 36, interrupted: false, errors: 0 });
    const rf = readResults(out);
    expect(rf.header?.studyHash).toBe(s.studyHash);
    expect(rf.records).toHaveLength(36);
    expect(new Set(keys(out)).size).toBe(36);
    for (const r of rf.records) {
      expect(r.study).toBe(s.studyHash);
      // the same scenario seed for every method and (common mode) every point of a trial
      expect(r.seed).toBe(rf.records.find((q) => q.trial === r.trial && q.point === 0 && q.method === 'exact')!.seed);
      expect(r.params.minSinrDb).toBe([0, 10, 20][r.point]);
      // history only for proposed, first historyTrials trials
      expect(r.history !== undefined).toBe(r.method === 'proposed' && r.trial < 2);
    }
    // a second run finds everything done
    const again = await runStudy({ study, out, workers: 0, runTrial: fakeRunTrial, ...quiet });
    expect(again).toMatchObject({ alreadyDone: 36, ran: 0 });
    // an independent run gives the same lines (timing aside)
    const out2 = join(dir, 'r2.jsonl');
    await runStudy({ study, out: out2, workers: 0, runTrial: fakeRunTrial, ...quiet });
    expect(recordLines(out2)).toEqual(recordLines(out));
  });

  it('runs trials on piscina worker threads that load the TypeScript runner', async () => {
    const dir = tmp();
    const study = parseStudy(smallStudy());
    const ref = join(dir, 'ref.jsonl');
    await runStudy({ study, out: ref, workers: 0, runTrial: fakeRunTrial, ...quiet });
    const out = join(dir, 'w.jsonl');
    const s = await runStudy({ study, out, workers: 2, runner: FAKE_RUNNER, ...quiet });
    expect(s).toMatchObject({ ran: 36, errors: 0 });
    expect(recordLines(out)).toEqual(recordLines(ref));
    // really on worker threads (thread id != 0)
    const threads = new Set(readResults(out).records.map((r) => r.detail?.thread));
    expect([...threads].every((t) => typeof t === 'number' && t > 0)).toBe(true);
    expect(threads.size).toBeGreaterThanOrEqual(1);
  });

  it('repairs a half-written last line and redoes the missing tasks without duplicates', async () => {
    const dir = tmp();
    const study = parseStudy(smallStudy());
    const ref = join(dir, 'ref.jsonl');
    await runStudy({ study, out: ref, workers: 0, runTrial: fakeRunTrial, ...quiet });
    const out = join(dir, 'r.jsonl');
    const text = readFileSync(ref, 'utf8');
    const lines = text.split('\n').filter(Boolean);
    // keep header + 20 records, then half of the 21st line (no newline): what a kill mid-write leaves
    const partial = `${lines.slice(0, 21).join('\n')}\n${lines[21]!.slice(0, 40)}`;
    writeFileSync(out, partial);
    const logs: string[] = [];
    const s = await runStudy({ study, out, workers: 0, runTrial: fakeRunTrial, progress: false, log: (m) => logs.push(m) });
    expect(s.repairedBytes).toBe(40);
    expect(s.alreadyDone).toBe(20);
    expect(s.ran).toBe(16);
    expect(logs.join('\n')).toMatch(/partial last line/);
    expect(keys(out)).toHaveLength(36);
    expect(new Set(keys(out)).size).toBe(36);
    expect(recordLines(out)).toEqual(recordLines(ref));
  });

  it('treats an unparseable last line as partial too, but refuses a corrupt middle line', async () => {
    const dir = tmp();
    const study = parseStudy(smallStudy());
    const out = join(dir, 'r.jsonl');
    await runStudy({ study, out, workers: 0, runTrial: fakeRunTrial, ...quiet });
    const lines = readFileSync(out, 'utf8').split('\n').filter(Boolean);
    writeFileSync(out, `${lines.slice(0, 10).join('\n')}\n{"kind":"tri\n`);
    const s = await runStudy({ study, out, workers: 0, runTrial: fakeRunTrial, ...quiet });
    expect(s.alreadyDone).toBe(9);
    expect(new Set(keys(out)).size).toBe(36);

    const bad = `${lines.slice(0, 5).join('\n')}\ngarbage\n${lines.slice(5).join('\n')}\n`;
    writeFileSync(out, bad);
    await expect(runStudy({ study, out, workers: 0, runTrial: fakeRunTrial, ...quiet })).rejects.toThrow(/r\.jsonl:6: corrupt line/);
    expect(readFileSync(out, 'utf8')).toBe(bad);
  });

  it('refuses a results file of another study or shard without touching it', async () => {
    const dir = tmp();
    const out = join(dir, 'r.jsonl');
    await runStudy({ study: parseStudy(smallStudy()), out, workers: 0, runTrial: fakeRunTrial, ...quiet });
    truncateSync(out, statSync(out).size - 5); // also a partial tail: must not be "repaired" for the wrong study
    const before = readFileSync(out);
    await expect(runStudy({ study: parseStudy(smallStudy({ seed: 99 })), out, workers: 0, runTrial: fakeRunTrial, ...quiet })).rejects.toThrow(/another study/);
    await expect(
      runStudy({ study: parseStudy(smallStudy()), out, shard: { index: 0, count: 2 }, workers: 0, runTrial: fakeRunTrial, ...quiet }),
    ).rejects.toThrow(InputError);
    expect(readFileSync(out).equals(before)).toBe(true);
  });

  it('never truncates a file that is not a results file', async () => {
    const dir = tmp();
    const study = parseStudy(smallStudy());
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'my precious notes without a newline');
    await expect(runStudy({ study, out: notes, workers: 0, runTrial: fakeRunTrial, ...quiet })).rejects.toThrow(/not a netisac results file/);
    expect(readFileSync(notes, 'utf8')).toBe('my precious notes without a newline');
    writeFileSync(notes, 'line one\nline two\n');
    await expect(runStudy({ study, out: notes, workers: 0, runTrial: fakeRunTrial, ...quiet })).rejects.toThrow(InputError);
    expect(readFileSync(notes, 'utf8')).toBe('line one\nline two\n');
    // a header cut short by a kill is dropped and rewritten
    const out = join(dir, 'r.jsonl');
    writeFileSync(out, '{"kind":"study","format":"netisac-st');
    const s = await runStudy({ study, out, workers: 0, runTrial: fakeRunTrial, ...quiet });
    expect(s.ran).toBe(36);
    expect(readResults(out).records).toHaveLength(36);
  });

  it('records a throwing trial as status "error" and goes on', async () => {
    const dir = tmp();
    const out = join(dir, 'r.jsonl');
    process.env.FAKE_RUNNER_THROW_TRIAL = '1';
    try {
      const s = await runStudy({ study: parseStudy(smallStudy()), out, workers: 0, runTrial: fakeRunTrial, ...quiet });
      expect(s.errors).toBe(3);
      const errs = readResults(out).records.filter((r) => r.status === 'error');
      expect(errs.map((r) => r.method)).toEqual(['scheme2', 'scheme2', 'scheme2']);
      expect(errs[0]!.message).toMatch(/fake runner failure/);
    } finally {
      delete process.env.FAKE_RUNNER_THROW_TRIAL;
    }
  });

  it('n shards merged equal one unsharded run, line for line', async () => {
    const dir = tmp();
    const study = parseStudy(smallStudy({ trials: 5 }));
    const whole = join(dir, 'whole.jsonl');
    await runStudy({ study, out: whole, workers: 0, runTrial: fakeRunTrial, ...quiet });
    const parts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const f = join(dir, `part${i + 1}.jsonl`);
      const s = await runStudy({ study, out: f, shard: { index: i, count: 3 }, workers: 0, runTrial: fakeRunTrial, ...quiet });
      expect(s.total).toBeGreaterThan(0);
      parts.push(f);
    }
    const merged = join(dir, 'all.jsonl');
    const m = mergeResults(parts, merged, { log: () => undefined });
    expect(m.records).toBe(45);
    expect(recordLines(merged)).toEqual(recordLines(whole));
    expect(readResults(merged).header?.shard).toBeNull();
    // merged lines are in canonical task order
    const tasks = readResults(merged).records.map((r) => r.task);
    expect(tasks).toEqual([...tasks].sort((a, b) => a - b));

    // incomplete, overlapping, foreign
    expect(() => mergeResults(parts.slice(0, 2), join(dir, 'x.jsonl'), { log: () => undefined })).toThrow(/incomplete.*missing per shard: 3\/3/);
    expect(() => mergeResults([...parts, parts[1]!], join(dir, 'x.jsonl'), { log: () => undefined })).toThrow(/appears both in/);
    const other = join(dir, 'other.jsonl');
    await runStudy({ study: parseStudy(smallStudy({ seed: 1 })), out: other, workers: 0, runTrial: fakeRunTrial, ...quiet });
    expect(() => mergeResults([...parts, other], join(dir, 'x.jsonl'), { log: () => undefined })).toThrow(/different studies/);
    // a partial tail in a shard: ignored with a warning, then reported missing
    appendFileSync(parts[0]!, '{"kind":"trial","stu');
    expect(() => mergeResults(parts, join(dir, 'x.jsonl'), { log: () => undefined })).not.toThrow();
  });
});
