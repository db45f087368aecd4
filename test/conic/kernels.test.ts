import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { svec, smat, hvec, hmat, svecIndex, hvecDiagIndex } from '../../src/conic/index.ts';
import { cholesky, cholSolve, choleskyNormal, matMul, sandwich } from '../../src/linalg/real-dense.ts';
import { EigWorkspace, eigSym } from '../../src/linalg/real-eig.ts';
import { rng, dotv } from './helpers.ts';

function randSym(n: number, rnd: () => number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      const v = 2 * rnd() - 1;
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  return a;
}

describe('vectorisation', () => {
  it('svec and hvec are isometries (<vec X, vec Y> = tr(X Y)) and invertible', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer(), (n, seed) => {
        const rnd = rng(seed);
        const X = randSym(n, rnd);
        const Y = randSym(n, rnd);
        let tr = 0;
        for (let i = 0; i < n * n; i++) tr += X[i]! * Y[i]!;
        expect(dotv(svec(X, n), svec(Y, n))).toBeCloseTo(tr, 10);
        expect(Array.from(smat(svec(X, n), n))).toEqual(Array.from(X).map((v) => expect.closeTo(v, 14)));
        // Hermitian: X = A + iB with A symmetric, B antisymmetric; tr(XY) real
        const B1 = randSym(n, rnd).map((v, k) => (Math.floor(k / n) > k % n ? v : Math.floor(k / n) < k % n ? -0 : 0));
        const anti = (B: Float64Array) => {
          const o = new Float64Array(n * n);
          for (let i = 0; i < n; i++)
            for (let j = 0; j < i; j++) {
              o[i * n + j] = B[i * n + j]!;
              o[j * n + i] = -B[i * n + j]!;
            }
          return o;
        };
        const H1 = { re: X, im: anti(B1) };
        const H2 = { re: Y, im: anti(randSym(n, rnd)) };
        let trh = 0;
        // Re tr(H1 H2) = sum_ij Re(H1_ij H2_ji)
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) {
            trh += H1.re[i * n + j]! * H2.re[j * n + i]! - H1.im[i * n + j]! * H2.im[j * n + i]!;
          }
        expect(dotv(hvec(H1, n), hvec(H2, n))).toBeCloseTo(trh, 10);
        const back = hmat(hvec(H1, n), n);
        back.im.forEach((v, k) => expect(v).toBeCloseTo(H1.im[k]!, 14));
      }),
      { numRuns: 50 },
    );
  });

  it('index helpers agree with the layout', () => {
    const n = 4;
    const X = new Float64Array(n * n);
    X[2 * n + 1] = X[1 * n + 2] = 5;
    expect(svec(X, n)[svecIndex(n, 2, 1)]).toBeCloseTo(5 * Math.SQRT2, 14);
    const re = new Float64Array(n * n);
    re[3 * n + 3] = 7;
    expect(hvec({ re, im: new Float64Array(n * n) }, n)[hvecDiagIndex(n, 3)]).toBe(7);
  });
});

describe('dense kernels', () => {
  it('Cholesky, solve, eigen-decomposition and sandwich reconstruct their inputs', () => {
    const rnd = rng(3);
    for (const n of [1, 2, 5, 17, 40]) {
      const B = randSym(n, rnd);
      const A = new Float64Array(n * n);
      matMul(B, B, A, n);
      for (let i = 0; i < n; i++) A[i * n + i]! += 1;
      const L = Float64Array.from(A);
      expect(cholesky(L, n)).toBe(true);
      const b = Float64Array.from({ length: n }, () => rnd());
      const x = Float64Array.from(b);
      cholSolve(L, n, x);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += A[i * n + j]! * x[j]!;
        expect(s).toBeCloseTo(b[i]!, 10);
      }
      const ws = new EigWorkspace(n);
      expect(eigSym(B, ws, true)).toBe(true);
      // B = V diag(d) V^T with rows of ws.v the eigenvectors
      const D = new Float64Array(n * n);
      for (let i = 0; i < n; i++) D[i * n + i] = ws.d[i]!;
      const Vt = ws.v;
      const V = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) V[i * n + j] = Vt[j * n + i]!;
      const R = new Float64Array(n * n);
      sandwich(V, D, R, new Float64Array(n * n), n);
      for (let i = 0; i < n * n; i++) expect(R[i]).toBeCloseTo(B[i]!, 10);
      for (let i = 1; i < n; i++) expect(ws.d[i]).toBeGreaterThanOrEqual(ws.d[i - 1]!);
    }
  });

  it('choleskyNormal zeroes dependent rows instead of failing', () => {
    // rank-one 3 x 3: rows 2 and 3 depend on row 1
    const v = [1, 2, 3];
    const A = new Float64Array(9);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) A[i * 3 + j] = v[i]! * v[j]!;
    expect(choleskyNormal(A, 3, 1e-14)).toBe(2);
    expect(cholesky(Float64Array.from([1, 2, 2, 1]), 2)).toBe(false);
  });
});
