import { describe, expect, it } from 'vitest';
import { defaultArrayAxis, sinTheta, sinThetaGradient, steering, steeringDerivative, delay, delayGradient, SPEED_OF_LIGHT } from '../../src/model/geometry.ts';
import { Rng } from '../../src/linalg/prng.ts';
import type { Point } from '../../src/model/types.ts';

describe('contract conventions', () => {
  it('default array axis: broadside faces the origin, u = (-b_y, b_x); (1, 0) at the origin', () => {
    const near = (a: Point, b: Point) => {
      expect(a[0]).toBeCloseTo(b[0], 15);
      expect(a[1]).toBeCloseTo(b[1], 15);
    };
    near(defaultArrayAxis([0, 100]), [1, 0]);
    near(defaultArrayAxis([100, 0]), [0, -1]);
    near(defaultArrayAxis([0, -100]), [-1, 0]);
    near(defaultArrayAxis([-100, 0]), [0, 1]);
    near(defaultArrayAxis([30, 40]), [0.8, -0.6]);
    expect(defaultArrayAxis([0, 0])).toEqual([1, 0]);
  });

  it('sin(theta) is 0 at broadside and 1 along the axis', () => {
    const q: Point = [0, 100];
    const u = defaultArrayAxis(q);
    expect(sinTheta(q, u, [0, 50])).toBeCloseTo(0, 15);
    expect(sinTheta(q, u, [40, 100])).toBeCloseTo(1, 15);
    expect(sinTheta(q, u, [30, 70])).toBeCloseTo(Math.SQRT1_2, 15);
  });

  it('a(theta)_n = exp(-j pi n sin(theta))', () => {
    const a = steering(3, 0.5);
    expect(a[0]).toBe(1);
    expect(Math.abs(a[1]!)).toBe(0);
    expect(a[2]).toBeCloseTo(Math.cos(-Math.PI / 2), 15);
    expect(a[3]).toBeCloseTo(Math.sin(-Math.PI / 2), 15);
    expect(a[4]).toBeCloseTo(-1, 15);
  });

  it('tau = (|p - q_tx| + |p - q_rx|) / c', () => {
    expect(delay([0, 0], [6, 8], [0, 8])).toBeCloseTo((6 + 8) / SPEED_OF_LIGHT, 22);
  });
});

describe('analytic derivatives against central differences', () => {
  // h = 1e-5 m at distances >= 10 m: truncation ~ (h / r)^2 ~ 1e-12 relative, round-off ~ eps / h ~ 1e-11 absolute.
  const rng = new Rng(99);
  const cases = Array.from({ length: 50 }, () => {
    const q: Point = [200 * rng.uniform() - 100, 200 * rng.uniform() - 100];
    const ang = 2 * Math.PI * rng.uniform();
    const r = 10 + 100 * rng.uniform();
    const p: Point = [q[0] + r * Math.cos(ang), q[1] + r * Math.sin(ang)];
    const th = 2 * Math.PI * rng.uniform();
    return { q, p, u: [Math.cos(th), Math.sin(th)] as Point, q2: [q[1], -q[0]] as Point };
  });
  const h = 1e-5;
  const step = (p: Point, i: number, d: number): Point => (i === 0 ? [p[0] + d, p[1]] : [p[0], p[1] + d]);

  it('d sin(theta)/dp and d a/dp', () => {
    for (const { q, p, u } of cases) {
      const g = sinThetaGradient(q, u, p);
      for (let i = 0; i < 2; i++) {
        const fd = (sinTheta(q, u, step(p, i, h)) - sinTheta(q, u, step(p, i, -h))) / (2 * h);
        expect(Math.abs(fd - g[i]!)).toBeLessThan(1e-8 * Math.abs(g[i]!) + 1e-10);
        const N = 8;
        const da = steeringDerivative(steering(N, sinTheta(q, u, p)), g[i]!);
        const ap = steering(N, sinTheta(q, u, step(p, i, h)));
        const am = steering(N, sinTheta(q, u, step(p, i, -h)));
        for (let k = 0; k < 2 * N; k++) expect(Math.abs((ap[k]! - am[k]!) / (2 * h) - da[k]!)).toBeLessThan(1e-7);
      }
    }
  });

  it('d tau/dp', () => {
    for (const { q, p, q2 } of cases) {
      const g = delayGradient(q, q2, p);
      for (let i = 0; i < 2; i++) {
        const fd = (delay(q, q2, step(p, i, h)) - delay(q, q2, step(p, i, -h))) / (2 * h);
        expect(Math.abs(fd - g[i]!)).toBeLessThan(1e-6 * (2 / SPEED_OF_LIGHT));
      }
    }
  });
});
