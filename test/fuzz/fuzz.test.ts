/**
 * Fuzz tests (fast-check, fixed seed, small budget so they run in CI): scenario, design and
 * SDPA inputs mutated at random must either be accepted, with finite results, or refused
 * with an InputError (exit 2) that says where — never another exception, a NaN, or a hang.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateScenario } from '../../src/model/generate.ts';
import { parseScenario } from '../../src/model/scenario.ts';
import { designToJson, isotropicDesign, parseDesign } from '../../src/model/design.ts';
import { evaluateDesign } from '../../src/model/evaluate.ts';
import { parseJsonText } from '../../src/model/json-text.ts';
import { parseSdpa, type SdpaProblem } from '../../src/conic/sdpa.ts';
import { InputError } from '../../src/errors.ts';

/** The fuzz budget: a fixed seed (reproducible in CI) and a few hundred cases per property. */
const FUZZ = { seed: 14, numRuns: 150 };

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Values that are valid JSON but hostile: extremes, wrong types, wrong shapes. */
const nasty: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(1e308, -1e308, 5e-324, -0, 0, 1, -1, 0.5, 1e20, 2 ** 53 + 2, 1e-320, 1e150, -1e150, 4096, 1e9, -1e9),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom<Json>('', 'x', '1', null, true, false, [], {}, [0], [0, 0], [0, 0, 0], [[0, 0]], { position: [0, 0] }),
);

type Mutation = { kind: 'replace' | 'delete' | 'add' | 'duplicate' | 'truncate'; pick: number; value: Json; key: string };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('replace', 'delete', 'add', 'duplicate', 'truncate'),
  pick: fc.nat(),
  value: nasty,
  key: fc.constantFrom('chanels', 'arrayaxis', 'sed', 'extra', 'antennas', 'target', 'position'),
});

type Slot = { parent: Json[] | { [k: string]: Json }; key: string | number; bulk: boolean };

/**
 * Every container and leaf of a JSON value with its parent and key, in document order;
 * `bulk` marks those inside large numeric arrays (channels, gains, covariances, beamformers),
 * which would otherwise draw almost every mutation away from the scalar fields.
 */
function slots(root: Json): Slot[] {
  const out: Slot[] = [];
  const BULK = new Set(['channels', 'radarGains', 'beamformers', 'sensingCovariances']);
  const walk = (v: Json, bulk: boolean) => {
    if (Array.isArray(v)) v.forEach((x, i) => (out.push({ parent: v, key: i, bulk }), walk(x, bulk)));
    else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) out.push({ parent: v, key: k, bulk }), walk(v[k]!, bulk || BULK.has(k));
  };
  walk(root, false);
  return out;
}

function mutate(root: Json, m: Mutation): void {
  const every = slots(root);
  // three mutations in four go to the scalar fields and the structure, one to the bulk data
  const scalar = every.filter((x) => !x.bulk);
  const all = m.pick % 4 === 0 || scalar.length === 0 ? every : scalar;
  if (all.length === 0) return;
  const { parent, key } = all[Math.floor(m.pick / 4) % all.length]!;
  const arr = Array.isArray(parent) ? parent : null;
  const obj = arr ? null : (parent as { [k: string]: Json });
  switch (m.kind) {
    case 'replace':
      if (arr) arr[key as number] = m.value;
      else obj![key as string] = m.value;
      break;
    case 'delete':
      if (arr) arr.splice(key as number, 1);
      else delete obj![key as string];
      break;
    case 'add':
      if (arr) arr.push(m.value);
      else obj![m.key] = m.value;
      break;
    case 'duplicate':
      if (arr) arr.push(structuredClone(arr[key as number]!));
      break;
    case 'truncate':
      if (arr) arr.length = Math.floor(arr.length / 2);
      break;
  }
}

/** True when every number reachable in `v` is finite (typed arrays included). */
function allFinite(v: unknown, seen = new Set<unknown>()): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (v === null || typeof v !== 'object' || seen.has(v)) return true;
  seen.add(v);
  if (ArrayBuffer.isView(v)) return Array.from(v as Float64Array).every(Number.isFinite);
  return Object.values(v as object).every((x) => allFinite(x, seen));
}

/** Runs `f`; an InputError is a refusal (fine), anything else fails the property. */
function acceptedOrRefused<T>(f: () => T): T | InputError {
  try {
    return f();
  } catch (err) {
    if (err instanceof InputError) {
      expect(err.message.length).toBeGreaterThan(0);
      return err;
    }
    throw err;
  }
}

const layout: [number, number][] = [
  [0, 100],
  [-86.6, -50],
  [86.6, -50],
];
const baseScenario = (seed: number): Json => generateScenario({ seed, users: 2, antennas: 2, layout, minSinrDb: 0, crlbMax: 10 }) as Json;
const quiet = { warn: () => undefined };

describe('fuzz: scenario files', () => {
  it('a mutated scenario is accepted with finite numbers (and evaluates to finite metrics) or refused with an InputError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), (seed, ms) => {
        const json = baseScenario(seed);
        for (const m of ms) mutate(json, m);
        const scn = acceptedOrRefused(() => parseScenario(json, 'fuzz.json', quiet));
        if (scn instanceof InputError) return;
        expect(allFinite(scn)).toBe(true);
        const ev = acceptedOrRefused(() => evaluateDesign(scn, isotropicDesign(scn, 0)));
        if (!(ev instanceof InputError)) expect(JSON.stringify(ev)).not.toMatch(/NaN|Infinity/);
      }),
      FUZZ,
    );
  });

  it('mutated JSON text parses or names a line and column inside the text', () => {
    const text = JSON.stringify(baseScenario(1), null, 2);
    fc.assert(
      fc.property(fc.nat(text.length - 1), fc.constantFrom('', ',', '}', '"', ']', 'x', '\n', '\uFEFF', '01', '-'), fc.nat(3), (at, insert, cut) => {
        const t = text.slice(0, at) + insert + text.slice(at + cut);
        const r = acceptedOrRefused(() => parseJsonText(t, 'scenario', 'fuzz.json'));
        if (!(r instanceof InputError)) return;
        const m = /line (\d+), column (\d+)/.exec(r.message);
        expect(m).not.toBeNull();
        const lines = t.split('\n');
        const line = Number(m![1]);
        expect(line).toBeGreaterThanOrEqual(1);
        expect(line).toBeLessThanOrEqual(lines.length);
        expect(Number(m![2])).toBeLessThanOrEqual(lines[line - 1]!.length + 1);
      }),
      FUZZ,
    );
  });
});

describe('fuzz: design files', () => {
  const scn = parseScenario(baseScenario(7));
  const design = designToJson(scn, isotropicDesign(scn, 1)) as Json;

  it('a mutated design is accepted and evaluates to finite metrics, or is refused with an InputError', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (ms) => {
        const json = structuredClone(design);
        for (const m of ms) mutate(json, m);
        const d = acceptedOrRefused(() => parseDesign(json, scn, 'fuzz-design.json'));
        if (d instanceof InputError) return;
        const ev = acceptedOrRefused(() => evaluateDesign(scn, d));
        if (ev instanceof InputError) return;
        expect(JSON.stringify(ev)).not.toMatch(/NaN|Infinity/);
        expect(Number.isFinite(ev.totalPower)).toBe(true);
      }),
      FUZZ,
    );
  });
});

/** A random small SDPA problem (what the writer below prints must parse back to it). */
const sdpaProblem: fc.Arbitrary<SdpaProblem> = fc
  .record({
    m: fc.integer({ min: 1, max: 3 }),
    blocks: fc.array(
      fc.integer({ min: -3, max: 3 }).filter((b) => b !== 0),
      { minLength: 1, maxLength: 3 },
    ),
    seed: fc.nat(),
  })
  .chain(({ m, blocks }) =>
    fc
      .record({
        c: fc.array(fc.integer({ min: -9, max: 9 }), { minLength: m, maxLength: m }),
        entries: fc.array(
          fc.record({
            mat: fc.integer({ min: 0, max: m }),
            blk: fc.integer({ min: 0, max: blocks.length - 1 }),
            i: fc.nat(),
            j: fc.nat(),
            v: fc.integer({ min: -99, max: 99 }),
          }),
          { maxLength: 8 },
        ),
      })
      .map(({ c, entries }) => {
        const fixed = entries.map((e) => {
          const n = Math.abs(blocks[e.blk]!);
          const i = e.i % n;
          const j = blocks[e.blk]! < 0 ? i : e.j % n;
          return { ...e, i: Math.min(i, j), j: Math.max(i, j) };
        });
        return {
          m,
          blocks,
          c: Float64Array.from(c),
          entries: {
            mat: Int32Array.from(fixed.map((e) => e.mat)),
            blk: Int32Array.from(fixed.map((e) => e.blk)),
            i: Int32Array.from(fixed.map((e) => e.i)),
            j: Int32Array.from(fixed.map((e) => e.j)),
            v: Float64Array.from(fixed.map((e) => e.v)),
          },
        };
      }),
  );

function writeSdpa(p: SdpaProblem, eol: string): string {
  const lines = [`"fuzz`, `${p.m} =mDIM`, `${p.blocks.length} =nBLOCK`, `{${p.blocks.join(', ')}}`, Array.from(p.c).join(' ')];
  for (let k = 0; k < p.entries.v.length; k++) {
    lines.push(`${p.entries.mat[k]} ${p.entries.blk[k]! + 1} ${p.entries.i[k]! + 1} ${p.entries.j[k]! + 1} ${p.entries.v[k]}`);
  }
  return lines.join(eol) + eol;
}

describe('fuzz: SDPA files', () => {
  it('what the writer prints parses back to the same problem with LF, CRLF or CR line endings', () => {
    fc.assert(
      fc.property(sdpaProblem, fc.constantFrom('\n', '\r\n', '\r'), (p, eol) => {
        const q = parseSdpa(writeSdpa(p, eol));
        expect(q.m).toBe(p.m);
        expect(q.blocks).toEqual(p.blocks);
        expect(q.c).toEqual(p.c);
        expect(q.entries).toEqual(p.entries);
      }),
      FUZZ,
    );
  });

  it('a mutated file is refused naming a line of the file, or parses to counts that match its declarations', () => {
    const token = fc.constantFrom('0x10', '1e999', 'Infinity', 'NaN', '1.5', '-1', '0', '2', '99', '1e15', '30000', '-1000000000', 'x', '', '1 1', '{', '}');
    fc.assert(
      fc.property(sdpaProblem, fc.nat(), fc.nat(), token, fc.constantFrom('replace', 'delete-line', 'duplicate-line', 'insert'), (p, li, ti, tok, kind) => {
        const lines = writeSdpa(p, '\n').split('\n');
        const l = li % lines.length;
        const words = lines[l]!.split(' ');
        if (kind === 'replace') words[ti % words.length] = tok;
        if (kind === 'insert') words.splice(ti % (words.length + 1), 0, tok);
        if (kind === 'delete-line') lines.splice(l, 1);
        else if (kind === 'duplicate-line') lines.splice(l, 0, lines[l]!);
        else lines[l] = words.join(' ');
        const text = lines.join('\n');
        const r = acceptedOrRefused(() => parseSdpa(text, 'f.dat-s'));
        if (r instanceof InputError) {
          const at = /^f\.dat-s:(\d+)$/.exec(r.where ?? '');
          expect(at, r.message).not.toBeNull();
          expect(Number(at![1])).toBeGreaterThanOrEqual(1);
          expect(Number(at![1])).toBeLessThanOrEqual(text.split('\n').length);
          return;
        }
        // Accepted: every number of the text is accounted for by the declarations (nothing
        // skipped, nothing read as something else), and each is a plain decimal.
        const numbers = text
          .split('\n')
          .filter((x) => !/^\s*["*]/.test(x))
          .flatMap((x) => {
            // a line's numbers end where a comment word (`=mDIM`) begins
            const words = x.split(/[\s,(){}]+/).filter((w) => w !== '');
            const end = words.findIndex((w) => !/^[+-]?([\d.]|inf|nan)/i.test(w));
            return end < 0 ? words : words.slice(0, end);
          });
        expect(numbers.length).toBe(2 + r.blocks.length + r.m + 5 * r.entries.v.length);
        for (const w of numbers) expect(w).toMatch(/^[+-]?(\d+\.?\d*|\.\d+)([eEdD][+-]?\d+)?$/);
        expect(r.c.length).toBe(r.m);
        for (let k = 0; k < r.entries.v.length; k++) {
          const n = Math.abs(r.blocks[r.entries.blk[k]!]!);
          expect(r.entries.mat[k]).toBeLessThanOrEqual(r.m);
          expect(r.entries.i[k]).toBeLessThanOrEqual(r.entries.j[k]!);
          expect(r.entries.j[k]).toBeLessThan(n);
          expect(Number.isFinite(r.entries.v[k])).toBe(true);
        }
      }),
      { ...FUZZ, numRuns: 300 },
    );
  });
});
