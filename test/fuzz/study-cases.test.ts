/**
 * Study files from the adversarial campaign (issue 14), generated here: a results line of
 * another study is refused on resume, by `study merge` and by `readResults`.
 */
import { describe, expect, it } from 'vitest';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runStudy } from '../../src/study/engine.ts';
import { mergeResults } from '../../src/study/merge.ts';
import { readResults, withoutTiming } from '../../src/study/results.ts';
import { parseStudy } from '../../src/study/schema.ts';
import { runTrial as fakeRunTrial } from '../study/fixtures/fake-runner.ts';
import { smallStudy, tmp } from '../study/helpers.ts';

const quiet = { progress: false as const, log: () => undefined };

describe('results lines carry the header study hash (issue 14)', () => {
  it('a line of another study is refused by resume, merge and readResults, naming file:line', async () => {
    const dir = tmp();
    const mine = parseStudy(smallStudy({ trials: 1 }));
    const other = parseStudy(smallStudy({ trials: 1, seed: 99 }));
    const a = join(dir, 'a.jsonl');
    const b = join(dir, 'b.jsonl');
    await runStudy({ study: mine, out: a, workers: 0, runTrial: fakeRunTrial, ...quiet });
    await runStudy({ study: other, out: b, workers: 0, runTrial: fakeRunTrial, ...quiet });
    const foreign = readFileSync(b, 'utf8').split('\n')[1];
    expect(JSON.parse(foreign!).study).not.toBe(JSON.parse(readFileSync(a, 'utf8').split('\n')[0]!).studyHash);
    const lines = readFileSync(a, 'utf8').split('\n').filter(Boolean).length;
    appendFileSync(a, `${foreign}\n`);
    const at = `${a}:${lines + 1}`;
    expect(() => readResults(a)).toThrow(`${at}: line of study`);
    await expect(runStudy({ study: mine, out: a, workers: 0, runTrial: fakeRunTrial, ...quiet })).rejects.toThrow(
      /results of different studies cannot be mixed/,
    );
    expect(() => mergeResults([a], join(dir, 'm.jsonl'), { log: () => undefined })).toThrow(/line of study/);
  });
});

describe('timing fields are documented and the only difference of a resumed file (issue 14)', () => {
  it('a resumed run equals an uninterrupted one apart from seconds, wallSeconds and detail.*Seconds', async () => {
    const { runTrial } = await import('../../src/study/runner.ts');
    const dir = tmp();
    const study = parseStudy({ name: 't', scenario: { users: 1, antennas: 2 }, sweep: { minSinrDb: [0] }, trials: 2, methods: ['scheme2', 'exact'], seed: 4 });
    const whole = join(dir, 'whole.jsonl');
    const resumed = join(dir, 'resumed.jsonl');
    await runStudy({ study, out: whole, workers: 0, runTrial, ...quiet });
    await runStudy({ study, out: resumed, workers: 0, runTrial, ...quiet });
    // drop the last two lines (as if killed), then resume
    const lines = readFileSync(resumed, 'utf8').split('\n').filter(Boolean);
    writeFileSync(resumed, `${lines.slice(0, -2).join('\n')}\n`);
    const again = await runStudy({ study, out: resumed, workers: 0, runTrial, ...quiet });
    expect(again.ran).toBe(2);
    const a = readResults(whole).records;
    const b = readResults(resumed).records.sort((x, y) => x.task - y.task);
    expect(b.map(withoutTiming)).toEqual(a.map(withoutTiming));
    // the timing keys are really there, and withoutTiming removed nothing else
    expect(a.some((r) => typeof r.detail?.sdpSeconds === 'number')).toBe(true);
    for (const r of a) {
      const kept = Object.keys(withoutTiming(r).detail ?? {});
      expect(kept.sort()).toEqual(
        Object.keys(r.detail ?? {})
          .filter((k) => !/seconds$/i.test(k))
          .sort(),
      );
    }
  }, 60_000);
});
