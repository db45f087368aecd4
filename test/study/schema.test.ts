import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../src/errors.ts';
import { PAPER_FIG3_STUDY, QUICK_STUDY } from '../../src/study/paper.ts';
import { canonicalJson, parseStudy, studyHash } from '../../src/study/schema.ts';
import { ROOT, smallStudy } from './helpers.ts';

function errorOf(f: () => unknown): InputError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected an InputError');
}

describe('study file', () => {
  it('fills defaults and expands a grid sweep', () => {
    const s = parseStudy(smallStudy({ sweep: { minSinrDb: { from: 0, to: 1, step: 0.25 }, crlbMax: [1, 2] } }));
    expect(s.points).toHaveLength(10);
    expect(s.points[0]).toEqual({ minSinrDb: 0, crlbMax: 1, maxPowerDbm: 45 });
    expect(s.points[1]).toEqual({ minSinrDb: 0, crlbMax: 2, maxPowerDbm: 45 });
    expect(s.points.map((p) => p.minSinrDb)).toEqual([0, 0, 0.25, 0.25, 0.5, 0.5, 0.75, 0.75, 1, 1]);
    expect(s.scenario).toMatchObject({ layout: 'paper', users: 5, radius: 150, antennas: 8, radarSamples: 1024, noisePowerDbm: -85 });
    expect(s.seedMode).toBe('common');
  });

  it('accepts an explicit point list', () => {
    const s = parseStudy({ ...smallStudy(), sweep: undefined, points: [{ minSinrDb: 3 }, { crlbMax: 0.5 }] });
    expect(s.points).toEqual([
      { minSinrDb: 3, crlbMax: 1, maxPowerDbm: 45 },
      { minSinrDb: 8, crlbMax: 0.5, maxPowerDbm: 45 },
    ]);
  });

  it('names the JSON path of bad values', () => {
    expect(errorOf(() => parseStudy(smallStudy({ methods: ['proposed', 'magic' as 'exact'] }))).message).toMatch(/methods\[1\]: Invalid option/);
    expect(errorOf(() => parseStudy(smallStudy({ trials: 0 }))).message).toMatch(/trials:/);
    expect(errorOf(() => parseStudy(smallStudy({ sweep: { minSinrDb: [1, 'x' as unknown as number] } }))).message).toMatch(/sweep\.minSinrDb/);
    expect(errorOf(() => parseStudy({ ...smallStudy(), scenario: { users: 5, colour: 'red' } })).message).toMatch(/scenario: Unrecognized key: "colour"/);
    expect(errorOf(() => parseStudy({ ...smallStudy(), sweep: undefined })).message).toMatch(/sweep: missing/);
    expect(errorOf(() => parseStudy(smallStudy({ methods: ['exact', 'exact'] }))).message).toMatch(/methods: methods must not repeat/);
    expect(errorOf(() => parseStudy(smallStudy({ sweep: { crlbMax: [1, -1] } }))).message).toMatch(/sweep\.crlbMax/);
  });

  it('hashes the resolved study, not its spelling', () => {
    const a = parseStudy(smallStudy());
    const b = parseStudy({
      ...smallStudy(),
      description: 'other words',
      name: 'renamed',
      scenario: { users: 5, radius: 150, layout: 'paper' },
      seedMode: 'common',
    });
    expect(studyHash(a)).toBe(studyHash(b));
    expect(studyHash(parseStudy(smallStudy({ seed: 8 })))).not.toBe(studyHash(a));
    expect(studyHash(parseStudy(smallStudy(), { quick: true }))).toBe(studyHash(a)); // already quick-sized
    expect(studyHash(parseStudy(smallStudy({ trials: 10 }), { quick: true }))).toBe(studyHash(a));
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });

  it('writes the channel-model defaults into the resolved study, so the hash covers them', () => {
    const a = parseStudy(smallStudy());
    expect(a.scenario.channelModel).toEqual({ pathLossDbAt1m: -50, commPathLossExponent: 3, radarGainDbAt1m: -30, radarPathLossExponent: 2 });
    const spelled = parseStudy({ ...smallStudy(), scenario: { channelModel: { pathLossDbAt1m: -50 } } });
    expect(studyHash(spelled)).toBe(studyHash(a));
    const old = parseStudy({ ...smallStudy(), scenario: { channelModel: { pathLossDbAt1m: -30 } } });
    expect(studyHash(old)).not.toBe(studyHash(a));
  });

  it('quick keeps a few points and trials', () => {
    const s = parseStudy(PAPER_FIG3_STUDY, { quick: true });
    expect(s.points.map((p) => p.minSinrDb)).toEqual([0, 15, 25]);
    expect(s.trials).toBe(4);
    expect(s.timeLimit).toEqual({ exact: 30 });
    const full = parseStudy(PAPER_FIG3_STUDY);
    expect(full.points.map((p) => p.minSinrDb)).toEqual([0, 2.5, 5, 7.5, 10, 12.5, 15, 17.5, 20, 22.5, 25]);
    expect(full.trials).toBe(100);
    expect(full.timeLimit).toEqual({ exact: 600 });
    expect(full.methods).toEqual(['proposed', 'proposed-relaxation', 'exact', 'scheme1', 'scheme2', 'scheme3']);
  });

  it('ships studies/ files equal to the built-in studies', () => {
    const read = (f: string): unknown => JSON.parse(readFileSync(join(ROOT, 'studies', f), 'utf8'));
    expect(read('paper-fig3.json')).toEqual(PAPER_FIG3_STUDY);
    expect(read('quick.json')).toEqual(QUICK_STUDY);
  });
});
