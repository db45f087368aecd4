/**
 * The browser app's own computations, checked in Node against the library: beam patterns use
 * the contract's steering convention and array axis, the error ellipse's trace is the CRLB,
 * imported channels are kept verbatim, and edits refuse invalid geometry.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crlbFromEquivalentFim } from '../../src/model/fim.ts';
import { defaultArrayAxis, sinTheta, steering } from '../../src/model/geometry.ts';
import { parseScenario } from '../../src/model/scenario.ts';
import { cmat } from '../../src/linalg/complex.ts';
import { beamPattern, lobeRadius, quadraticPower } from '../../web/src/map/beam.ts';
import { covarianceEllipse, epsilonRadius } from '../../web/src/map/ellipse.ts';
import { draftToJson, importScenario } from '../../web/src/app/draft.ts';
import { EditError, moveNode, removeNode } from '../../web/src/app/edits.ts';
import { validateNumber } from '../../web/src/ui/fields.ts';
import { REPO } from './harness.ts';

const FIG2 = JSON.parse(readFileSync(join(REPO, 'examples/fig2.json'), 'utf8'));

/** Q = a a^H for the steering vector towards sin(theta0). */
function rankOne(N: number, s0: number) {
  const a = steering(N, s0);
  const q = cmat(N, N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      // a_i conj(a_j)
      q.data[2 * (i * N + j)] = a[2 * i] * a[2 * j] + a[2 * i + 1] * a[2 * j + 1];
      q.data[2 * (i * N + j) + 1] = a[2 * i + 1] * a[2 * j] - a[2 * i] * a[2 * j + 1];
    }
  }
  return q;
}

describe('beam pattern', () => {
  it('peaks at N^2 W per W in the steered direction, with sin(theta) measured along the array axis', () => {
    const N = 8;
    const bs: [number, number] = [0, 100];
    const u = defaultArrayAxis(bs);
    const target: [number, number] = [30, 60];
    const s0 = sinTheta(bs, u, target);
    const pattern = beamPattern(rankOne(N, s0), u, 721);
    const best = pattern.reduce((a, b) => (b.power > a.power ? b : a));
    // N^2 at the exact angle; the 0.25 degree grid may miss it by a hair.
    expect(best.power).toBeLessThanOrEqual(N * N + 1e-9);
    expect(best.power).toBeGreaterThan(0.999 * N * N);
    // The peak direction points at the target (within the 0.25 degree sampling).
    const d = [target[0] - bs[0], target[1] - bs[1]];
    const r = Math.hypot(d[0], d[1]);
    const cos = (best.dir[0] * d[0] + best.dir[1] * d[1]) / r;
    expect(cos).toBeGreaterThan(Math.cos((0.3 * Math.PI) / 180));
  });

  it('equals |a(theta)^H a(theta0)|^2 for a rank-one covariance', () => {
    const N = 5;
    const q = rankOne(N, 0.3);
    for (const s of [-0.9, -0.2, 0, 0.3, 0.77]) {
      const a = steering(N, s);
      const b = steering(N, 0.3);
      let re = 0;
      let im = 0;
      for (let n = 0; n < N; n++) {
        re += a[2 * n] * b[2 * n] + a[2 * n + 1] * b[2 * n + 1];
        im += a[2 * n] * b[2 * n + 1] - a[2 * n + 1] * b[2 * n];
      }
      expect(quadraticPower(q, s)).toBeCloseTo(re * re + im * im, 9);
    }
  });

  it('scales lobes linearly or over a dB range', () => {
    expect(lobeRadius(0.5, 1, 'linear')).toBe(0.5);
    expect(lobeRadius(0.1, 1, 'db', 30)).toBeCloseTo(2 / 3, 12);
    expect(lobeRadius(1e-5, 1, 'db', 30)).toBe(0);
    expect(lobeRadius(1, 0, 'linear')).toBe(0);
  });
});

describe('CRLB ellipse', () => {
  it('has a^2 + b^2 = CRLB and its major axis along the largest-variance direction', () => {
    const J = [
      [3, 1.2],
      [1.2, 0.9],
    ];
    const e = covarianceEllipse(J)!;
    expect(e.a ** 2 + e.b ** 2).toBeCloseTo(crlbFromEquivalentFim(J), 12);
    // C = J^-1; C v = a^2 v for v along the major axis.
    const det = 3 * 0.9 - 1.2 * 1.2;
    const C = [
      [0.9 / det, -1.2 / det],
      [-1.2 / det, 3 / det],
    ];
    const v = [Math.cos(e.angle), Math.sin(e.angle)];
    expect(C[0][0] * v[0] + C[0][1] * v[1]).toBeCloseTo(e.a ** 2 * v[0], 10);
    expect(C[1][0] * v[0] + C[1][1] * v[1]).toBeCloseTo(e.a ** 2 * v[1], 10);
    expect(covarianceEllipse([[1, 1], [1, 1]])).toBeNull();
    expect(2 * epsilonRadius(1) ** 2).toBeCloseTo(1, 12);
  });
});

describe('scenario import and edits', () => {
  it('keeps a file\'s explicit channels verbatim and notes whether they are the model\'s draws', () => {
    const { draft, explicit } = importScenario(FIG2, 'fig2.json');
    expect(explicit?.matchesModel).toBe(true);
    const again = parseScenario(draftToJson(draft, explicit));
    const file = parseScenario(FIG2);
    expect(Array.from(again.channels[2][4])).toEqual(Array.from(file.channels[2][4]));

    const changed = structuredClone(FIG2);
    changed.channels[0][0][0] = [1e-3, 0];
    expect(importScenario(changed).explicit?.matchesModel).toBe(false);

    const drawn = structuredClone(FIG2);
    delete drawn.channels;
    delete drawn.radarGains;
    expect(importScenario(drawn).explicit).toBeNull();
  });

  it('reports the JSON path of a broken file', () => {
    const bad = structuredClone(FIG2);
    bad.users[1].position = [20];
    expect(() => importScenario(bad, 'bad.json')).toThrow(/bad\.json: users\[1\]\.position/);
  });

  it('refuses to put a user on a BS or to drop below two BSs', () => {
    const { draft } = importScenario(FIG2);
    expect(() => moveNode(draft, { kind: 'user', index: 0 }, [0, 100.4])).toThrow(EditError);
    const moved = moveNode(draft, { kind: 'user', index: 0 }, [12.34, 56.78]);
    expect(moved.users[0].position).toEqual([12.3, 56.8]);
    const two = removeNode(removeNode(draft, { kind: 'bs', index: 0 }), { kind: 'bs', index: 0 });
    expect(two.baseStations).toHaveLength(2);
    expect(() => removeNode(two, { kind: 'bs', index: 0 })).toThrow(/At least 2 BSs/);
  });

  it('validates typed numbers with a message', () => {
    const spec = { id: 'n', label: 'N', integer: true, min: 1, max: 32, get: () => 8, set: () => {} };
    expect(validateNumber(spec, '0')).toBe('must be between 1 and 32');
    expect(validateNumber(spec, '2.5')).toBe('must be a whole number');
    expect(validateNumber(spec, 'abc')).toBe('"abc" is not a number');
    expect(validateNumber(spec, '')).toBe('required');
    expect(validateNumber(spec, '16')).toBeNull();
    expect(validateNumber({ ...spec, integer: false, min: 0, max: undefined, above: true, unit: 'm²' }, '0')).toBe('must be > 0 m²');
  });
});
