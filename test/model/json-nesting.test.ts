/**
 * Files nested deeper than any netisac format are refused with the line and column of the
 * first bracket too deep, before anything walks them recursively (a scenario nested 200,000
 * deep used to end the command with "Maximum call stack size exceeded" and exit code 1).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { lineColumn, MAX_JSON_NESTING, nestingTooDeepAt, parseJsonText, tooDeepPath } from '../../src/model/json-text.ts';
import { parseScenario } from '../../src/model/scenario.ts';
import { runCli } from '../cli/run-cli.ts';

type Json = null | number | string | Json[] | { [k: string]: Json };

/** Depth of a parsed value, counted on the value (not the text): 0 for a scalar. */
function depthOf(v: Json): number {
  if (Array.isArray(v)) return 1 + Math.max(0, ...v.map(depthOf));
  if (v !== null && typeof v === 'object') return 1 + Math.max(0, ...Object.values(v).map(depthOf));
  return 0;
}

/** Strings full of what the scan must not count: brackets, quotes and backslashes. */
const tricky = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a', ' ') });

/** A value nested `depth` levels on one branch, with tricky strings beside it. */
function nested(depth: number, side: string, objectAt: number): Json {
  let v: Json = side;
  for (let d = 0; d < depth; d++) v = d % objectAt === 0 ? { [side]: v, k: side } : [side, v, 1];
  return v;
}

describe('JSON nesting', () => {
  it('finds the first bracket too deep, counting on the text what the parsed value holds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 * MAX_JSON_NESTING }), tricky, fc.integer({ min: 1, max: 5 }), (depth, side, objectAt) => {
        const v = nested(depth, side, objectAt);
        const text = JSON.stringify(v, null, depth % 2 === 0 ? 1 : undefined);
        const at = nestingTooDeepAt(text);
        expect(depthOf(v)).toBe(depth);
        if (depth <= MAX_JSON_NESTING) expect(at).toBe(-1);
        else {
          expect('[{').toContain(text[at]);
          // the bracket found opens level MAX + 1: the text before it holds MAX unclosed ones
          expect(nestingTooDeepAt(`${text.slice(0, at)}[`)).toBe(at);
          expect(nestingTooDeepAt(text.slice(0, at))).toBe(-1);
        }
      }),
      { seed: 3, numRuns: 200 },
    );
  });

  it('refuses a deep file, valid or not, with its line and column, as an input error', () => {
    for (const text of [`{"channels":\n${'['.repeat(200_000)}${']'.repeat(200_000)}}`, `{"channels":\n${'['.repeat(200_000)}`]) {
      let err: unknown;
      try {
        parseJsonText(text, 'scenario', 'deep.json');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      const { line, column } = lineColumn(text, text.indexOf('[') + MAX_JSON_NESTING - 1);
      expect((err as Error).message).toBe(
        `deep.json: scenario file at line ${line}, column ${column}: arrays and objects nest more than ${MAX_JSON_NESTING} levels deep (netisac files need at most six)`,
      );
    }
    // at the limit it parses
    expect(parseJsonText(`${'['.repeat(MAX_JSON_NESTING)}${']'.repeat(MAX_JSON_NESTING)}`, 'scenario')).toBeInstanceOf(Array);
  });

  it('the command exits with 2 and a message, no stack overflow', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netisac-deep-'));
    const file = join(dir, 'deep.json');
    writeFileSync(file, `{"name": "x", "channels": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    const r = await runCli(['solve', file, '--method', 'fixed']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/deep\.json: scenario file at line 1, column \d+: arrays and objects nest more than 64 levels deep/);
    expect(r.err).not.toMatch(/Maximum call stack|\n\s+at /);
  });
});

describe('nesting of values a library caller passes', () => {
  it('parseScenario refuses an object nested too deep, naming the path, as an input error', () => {
    let v: unknown = 1;
    for (let i = 0; i < 100_000; i++) v = [v];
    let err: unknown;
    try {
      parseScenario({ name: 'x', channels: v });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    // the first array at level 65: the top-level object is level 1, channels' array level 2
    expect((err as Error).message).toBe(
      `channels${'[0]'.repeat(MAX_JSON_NESTING - 1)}: arrays and objects nest more than 64 levels deep (a scenario needs at most six)`,
    );
  });

  it('tooDeepPath agrees with the depth counted on the value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 * MAX_JSON_NESTING }), tricky, fc.integer({ min: 1, max: 5 }), (depth, side, objectAt) => {
        const v = nested(depth, side, objectAt);
        const p = tooDeepPath(v);
        expect(p === undefined).toBe(depthOf(v) <= MAX_JSON_NESTING);
        if (p) expect(p).toHaveLength(MAX_JSON_NESTING);
      }),
      { seed: 4, numRuns: 200 },
    );
  });
});
