import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addXpaw, axmy, axmymz, axpy, over, overOver, times, timesOver, xmy, xpay } from '../../src/linalg/vector-ops.ts';

// Each kernel must give, bit for bit, the expression it replaced in the interior-point loop
// (the loop's iterates must not move): compared here entry by entry with Object.is.
const num = fc.double({ noNaN: true, min: -1e6, max: 1e6 });
const vec = (n: number) => fc.array(num, { minLength: n, maxLength: n }).map((a) => Float64Array.from(a));
const triple = fc.integer({ min: 0, max: 12 }).chain((n) => fc.tuple(vec(n), vec(n), vec(n), num, num));

const same = (got: ArrayLike<number>, want: ArrayLike<number>) => {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Object.is(got[i], want[i])).toBe(true);
};

describe('vector-ops', () => {
  it('in-place updates equal their loop expressions', () => {
    fc.assert(
      fc.property(triple, ([x, y, z, a, b]) => {
        const n = x.length;
        const want = (f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
        let out = Float64Array.from(y);
        axpy(a, x, out, n);
        same(
          out,
          want((i) => y[i]! + a * x[i]!),
        );
        out = new Float64Array(n);
        axmy(a, x, y, out, n);
        same(
          out,
          want((i) => a * x[i]! - y[i]!),
        );
        xmy(x, y, out, n);
        same(
          out,
          want((i) => x[i]! - y[i]!),
        );
        xpay(x, a, y, out, n);
        same(
          out,
          want((i) => x[i]! + a * y[i]!),
        );
        axmymz(a, x, y, z, out, n);
        same(
          out,
          want((i) => a * x[i]! - y[i]! - z[i]!),
        );
        out = Float64Array.from(z);
        addXpaw(x, b, y, out, n);
        same(
          out,
          want((i) => z[i]! + (x[i]! + b * y[i]!)),
        );
        // aliasing as the loop uses it: out = x - out
        out = Float64Array.from(y);
        xmy(x, out, out, n);
        same(
          out,
          want((i) => x[i]! - y[i]!),
        );
      }),
    );
  });

  it('rescaled copies equal the maps they replaced', () => {
    fc.assert(
      fc.property(triple, ([x, , , a, b]) => {
        const d = a === 0 ? 1 : a;
        const e = b === 0 ? 3 : b;
        same(
          times(x, a),
          x.map((v) => v * a),
        );
        same(
          over(x, d),
          x.map((v) => v / d),
        );
        same(
          timesOver(x, b, d),
          x.map((v) => (v * b) / d),
        );
        same(
          overOver(x, d, e),
          x.map((v) => v / d / e),
        );
      }),
    );
  });
});
