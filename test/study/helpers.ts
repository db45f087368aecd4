import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StudyInput } from '../../src/study/schema.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FAKE_RUNNER = fileURLToPath(new URL('./fixtures/fake-runner.ts', import.meta.url));
/** The CLI from the sources (see test/bin/netisac-src.mjs). */
export const BIN = join(ROOT, 'test', 'bin', 'netisac-src.mjs');

export function tmp(prefix = 'netisac-study-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A small study: 3 points x 4 trials x 3 methods = 36 tasks. */
export function smallStudy(over: Partial<StudyInput> = {}): StudyInput {
  return {
    name: 'small',
    scenario: { users: 5 },
    sweep: { minSinrDb: [0, 10, 20] },
    trials: 4,
    methods: ['proposed', 'exact', 'scheme2'],
    seed: 7,
    historyTrials: 2,
    ...over,
  };
}

export interface Line {
  [k: string]: unknown;
}

/** The record lines of a results file, timing fields removed, sorted by task. */
export function recordLines(file: string): Line[] {
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(1);
  return lines
    .map((l) => {
      const r = JSON.parse(l) as Line;
      delete r.seconds;
      delete r.wallSeconds;
      delete r.detail; // the fake runner's thread id
      return r;
    })
    .sort((a, b) => (a.task as number) - (b.task as number));
}

export function keys(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(1)
    .map((l) => {
      const r = JSON.parse(l) as { point: number; trial: number; method: string };
      return `${r.point}/${r.trial}/${r.method}`;
    });
}
