import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  type CMat,
  zeros,
  identity,
  mul,
  mulAH,
  adjoint,
  sub,
  normF,
  trace,
  traceMul,
  isHermitian,
  hermitianPart,
  quadForm,
  column,
  outer,
  add,
  scale,
  fromPairs,
  toPairs,
  dotH,
} from '../../src/linalg/complex.ts';
import { eigh, cholesky, inverse, sqrtmPsd } from '../../src/linalg/complex-decomp.ts';
import { Rng } from '../../src/linalg/prng.ts';

function randomMatrix(rng: Rng, r: number, c: number): CMat {
  const m = zeros(r, c);
  for (let k = 0; k < m.data.length; k++) m.data[k] = rng.normal();
  return m;
}

function randomHermitian(rng: Rng, n: number): CMat {
  return hermitianPart(randomMatrix(rng, n, n));
}

/** B B^H (+ shift I): PSD of the chosen rank, PD when shift > 0. */
function randomPsd(rng: Rng, n: number, rank = n, shift = 0): CMat {
  const b = randomMatrix(rng, n, rank);
  return add(mul(b, adjoint(b)), scale(identity(n), shift));
}

function diagTimes(v: CMat, d: Float64Array): CMat {
  const out = zeros(v.rows, v.cols);
  for (let i = 0; i < v.rows; i++)
    for (let j = 0; j < v.cols; j++) {
      out.data[2 * (i * v.cols + j)] = v.data[2 * (i * v.cols + j)]! * d[j]!;
      out.data[2 * (i * v.cols + j) + 1] = v.data[2 * (i * v.cols + j) + 1]! * d[j]!;
    }
  return out;
}

const size = fc.integer({ min: 1, max: 32 });
const seed = fc.integer({ min: 0, max: 2 ** 31 });
const runs = { numRuns: 60 };

describe('products and traces', () => {
  it('A^H B equals adjoint(A) B; tr(AB) equals trace(mul(A,B)); x^H A x real for Hermitian A', () => {
    fc.assert(
      fc.property(seed, size, size, (s, n, m) => {
        const rng = new Rng(s);
        const a = randomMatrix(rng, n, m);
        const b = randomMatrix(rng, n, m);
        expect(normF(sub(mulAH(a, b), mul(adjoint(a), b)))).toBeLessThan(1e-12 * normF(a) * normF(b) + 1e-300);
        const c = randomMatrix(rng, m, n);
        const t1 = trace(mul(a, c));
        const t2 = traceMul(a, c);
        expect(Math.hypot(t1[0] - t2[0], t1[1] - t2[1])).toBeLessThan(1e-12 * normF(a) * normF(c));
        const h = randomHermitian(rng, n);
        const x = column(randomMatrix(rng, n, 1), 0);
        const [, im] = quadForm(x, h);
        expect(Math.abs(im)).toBeLessThan(1e-12 * normF(h) * dotH(x, x)[0]);
        expect(isHermitian(h)).toBe(true);
        expect(isHermitian(outer(x))).toBe(true);
      }),
      runs,
    );
  });

  it('round-trips the [re, im] JSON form', () => {
    const a = fromPairs([
      [
        [1, 2],
        [3, -4],
      ],
    ]);
    expect(a.rows).toBe(1);
    expect(toPairs(a)).toEqual([
      [
        [1, 2],
        [3, -4],
      ],
    ]);
  });
});

describe('Hermitian eigendecomposition (Jacobi)', () => {
  it('A = V diag(l) V^H and V^H V = I to 1e-12 relative, eigenvalues ascending', () => {
    fc.assert(
      fc.property(seed, size, (s, n) => {
        const a = randomHermitian(new Rng(s), n);
        const { values, vectors } = eigh(a);
        const recon = mul(diagTimes(vectors, values), adjoint(vectors));
        expect(normF(sub(recon, a))).toBeLessThan(1e-12 * normF(a));
        expect(normF(sub(mulAH(vectors, vectors), identity(n)))).toBeLessThan(1e-12 * n);
        for (let i = 1; i < n; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]!);
        const tr = trace(a)[0];
        expect(Math.abs(values.reduce((x, y) => x + y, 0) - tr)).toBeLessThan(1e-12 * normF(a) * n);
      }),
      runs,
    );
  });

  it('finds exact zero eigenvalues of a low-rank PSD matrix and repeated eigenvalues', () => {
    const rng = new Rng(5);
    const a = randomPsd(rng, 12, 3);
    const { values } = eigh(a);
    for (let i = 0; i < 9; i++) expect(Math.abs(values[i]!)).toBeLessThan(1e-12 * normF(a));
    expect(values[9]).toBeGreaterThan(1e-3);
    const e = eigh(scale(identity(6), 2.5));
    expect(Array.from(e.values)).toEqual([2.5, 2.5, 2.5, 2.5, 2.5, 2.5]);
    // A known spectrum: a unitary similarity of diag(1..n).
    const n = 8;
    const u = eigh(randomHermitian(rng, n)).vectors;
    const d = Float64Array.from({ length: n }, (_, i) => i + 1);
    const b = mul(diagTimes(u, d), adjoint(u));
    eigh(b).values.forEach((v, i) => expect(Math.abs(v - (i + 1))).toBeLessThan(1e-13 * n));
  });
});

describe('Cholesky, inverse, PSD square root', () => {
  it('L L^H = A with L lower triangular', () => {
    fc.assert(
      fc.property(seed, size, (s, n) => {
        const a = randomPsd(new Rng(s), n, n, 0.1);
        const l = cholesky(a);
        expect(normF(sub(mul(l, adjoint(l)), a))).toBeLessThan(1e-12 * normF(a));
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(l.data[2 * (i * n + j)]).toBe(0);
      }),
      runs,
    );
  });

  it('A A^{-1} = I (backward-stable bound n eps ||A|| ||A^-1||) for random complex A', () => {
    fc.assert(
      fc.property(seed, size, (s, n) => {
        const a = randomMatrix(new Rng(s), n, n);
        const x = inverse(a);
        const bound = 1e-13 * n * normF(a) * normF(x);
        expect(normF(sub(mul(a, x), identity(n)))).toBeLessThan(bound);
        expect(normF(sub(mul(x, a), identity(n)))).toBeLessThan(bound);
      }),
      runs,
    );
  });

  it('rejects singular and non-PD input', () => {
    expect(() => inverse(zeros(3, 3))).toThrow(/singular/);
    expect(() => cholesky(randomPsd(new Rng(1), 4, 2))).toThrow(/positive definite/);
  });

  it('sqrtmPsd(A)^2 = A', () => {
    const a = randomPsd(new Rng(9), 10, 4);
    const r = sqrtmPsd(a);
    expect(normF(sub(mul(r, r), a))).toBeLessThan(1e-12 * normF(a));
  });
});
