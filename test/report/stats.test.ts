import { describe, expect, it } from 'vitest';
import { incompleteBeta, meanCi, median, normalQuantile, studentTCdf, studentTQuantile, wilson } from '../../src/report/stats.ts';

describe('statistics', () => {
  it('Student t quantiles match reference values', () => {
    // scipy.stats.t.ppf(0.975, df)
    const ref: [number, number][] = [
      [1, 12.706204736174694],
      [2, 4.302652729749462],
      [3, 3.1824463052837078],
      [10, 2.228138851986274],
      [30, 2.0422724563012378],
      [1000, 1.9623390808264083],
    ];
    for (const [df, q] of ref) expect(studentTQuantile(0.975, df)).toBeCloseTo(q, 8);
    expect(studentTQuantile(0.025, 5)).toBeCloseTo(-studentTQuantile(0.975, 5), 12);
    expect(studentTCdf(0, 7)).toBeCloseTo(0.5, 14);
    expect(incompleteBeta(0.3, 2, 3)).toBeCloseTo(0.3483, 4); // I_0.3(2,3) = 0.3483
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
  });

  it('mean and t interval', () => {
    const c = meanCi([1, 2, 3, 4]);
    expect(c.mean).toBe(2.5);
    expect(c.sd).toBeCloseTo(Math.sqrt(5 / 3), 12);
    const half = (3.1824463052837078 * Math.sqrt(5 / 3)) / 2;
    expect(c.lo).toBeCloseTo(2.5 - half, 8);
    expect(c.hi).toBeCloseTo(2.5 + half, 8);
    expect(meanCi([7])).toEqual({ n: 1, mean: 7, sd: null, lo: null, hi: null });
    expect(meanCi([])).toEqual({ n: 0, mean: null, sd: null, lo: null, hi: null });
    expect(meanCi([NaN, 1, 1]).n).toBe(2);
  });

  it('Wilson interval', () => {
    // closed form with z = 1.959963984540054
    const a = wilson(0, 10);
    expect(a.lo).toBe(0);
    expect(a.hi).toBeCloseTo(0.2775327998628892, 8);
    const b = wilson(5, 10);
    expect(b.lo).toBeCloseTo(0.236593090512564, 8);
    expect(b.hi).toBeCloseTo(0.7634069094874361, 8);
    const c = wilson(3, 7);
    expect(c.lo).toBeCloseTo(0.15821985525146975, 8);
    expect(c.hi).toBeCloseTo(0.7495416354723428, 8);
    expect(wilson(10, 10).hi).toBe(1);
    expect(wilson(0, 0).p).toBeNull();
  });

  it('median', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
