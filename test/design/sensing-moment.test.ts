/**
 * The sensing moments (src/design/sensing-moment.ts) against dense complex algebra written
 * here from the definitions: V = B G with B orthonormal, tr(V M V^H Q) = tr(G M G^H B^H Q B),
 * and each moment row's eigen-factor reproduces tr(E B^H X B). Random inputs (fast-check).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { momentBasis, momentCoefficient, momentRows } from '../../src/design/sensing-moment.ts';

type C = [number, number];
const mul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const conj = (a: C): C => [a[0], -a[1]];
/** Column-major interleaved d x r -> entry (i, j). */
const colEntry = (A: Float64Array, d: number, i: number, j: number): C => [A[2 * (d * j + i)]!, A[2 * (d * j + i) + 1]!];
/** Row-major interleaved n x n -> entry (i, j). */
const rowEntry = (A: Float64Array, n: number, i: number, j: number): C => [A[2 * (n * i + j)]!, A[2 * (n * i + j) + 1]!];

/** Re tr(L X R) for explicit entry functions (L: a x d, X: d x d, R: d x a). */
function traceOf(a: number, d: number, L: (i: number, j: number) => C, X: (i: number, j: number) => C, R: (i: number, j: number) => C): number {
  let t = 0;
  for (let i = 0; i < a; i++) for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) t += mul(mul(L(i, p), X(p, q)), R(q, i))[0];
  return t;
}

/** A random Hermitian d x d (row-major interleaved). */
function hermitian(values: number[], d: number): Float64Array {
  const H = new Float64Array(2 * d * d);
  let v = 0;
  for (let i = 0; i < d; i++) {
    H[2 * (d * i + i)] = values[v++]!;
    for (let j = 0; j < i; j++) {
      const re = values[v++]!;
      const im = values[v++]!;
      H[2 * (d * i + j)] = re;
      H[2 * (d * i + j) + 1] = im;
      H[2 * (d * j + i)] = re;
      H[2 * (d * j + i) + 1] = -im;
    }
  }
  return H;
}

const d = 6;
const floats = (n: number) => fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n, maxLength: n });

describe('sensing moments', () => {
  it('B is orthonormal and V = B G', () => {
    fc.assert(
      fc.property(floats(4 * d), (v) => {
        const V = Float64Array.from(v);
        fc.pre(Math.hypot(...v.slice(0, 2 * d)) > 0.1);
        const { B, G, rank } = momentBasis(V, d);
        for (let a = 0; a < rank; a++) {
          for (let b = 0; b < rank; b++) {
            let s: C = [0, 0];
            for (let i = 0; i < d; i++) {
              const t = mul(conj(colEntry(B, d, i, a)), colEntry(B, d, i, b));
              s = [s[0] + t[0], s[1] + t[1]];
            }
            expect(Math.abs(s[0] - (a === b ? 1 : 0)) + Math.abs(s[1])).toBeLessThan(1e-12);
          }
        }
        for (let i = 0; i < d; i++) {
          for (let j = 0; j < 2; j++) {
            let s: C = [0, 0];
            for (let k = 0; k < rank; k++) {
              const t = mul(colEntry(B, d, i, k), rowEntry(G, 2, k, j));
              s = [s[0] + t[0], s[1] + t[1]];
            }
            const want = colEntry(V, d, i, j);
            // exact up to the dropped direction when D a_t is within 1e-10 of parallel to a_t
            expect(Math.hypot(s[0] - want[0], s[1] - want[1])).toBeLessThanOrEqual(1e-12 + 1e-10 * Math.hypot(...v));
          }
        }
      }),
      { seed: 15, numRuns: 100 },
    );
  });

  it('tr(V M V^H Q) = tr(G M G^H B^H Q B) for Hermitian M and Q', () => {
    fc.assert(
      fc.property(floats(4 * d), floats(4), floats(d * d), (v, m, q) => {
        fc.pre(Math.hypot(...v.slice(0, 2 * d)) > 0.1);
        const V = Float64Array.from(v);
        const M = hermitian(m, 2);
        const Q = hermitian(q, d);
        const mo = momentBasis(V, d);
        const direct = traceOf(
          2,
          d,
          (i, p) => conj(colEntry(V, d, p, i)),
          (p, r) => rowEntry(Q, d, p, r),
          (r, i) => {
            // (V M)_{r,i}
            let s: C = [0, 0];
            for (let k = 0; k < 2; k++) {
              const t = mul(colEntry(V, d, r, k), rowEntry(M, 2, k, i));
              s = [s[0] + t[0], s[1] + t[1]];
            }
            return s;
          },
        );
        const C = momentCoefficient(mo, M);
        // tr(C Y) with Y = B^H Q B
        const Y = (a: number, b: number): C => {
          let s: C = [0, 0];
          for (let p = 0; p < d; p++) {
            for (let r = 0; r < d; r++) {
              const t = mul(mul(conj(colEntry(mo.B, d, p, a)), rowEntry(Q, d, p, r)), colEntry(mo.B, d, r, b));
              s = [s[0] + t[0], s[1] + t[1]];
            }
          }
          return s;
        };
        let viaMoment = 0;
        for (let a = 0; a < mo.rank; a++) for (let b = 0; b < mo.rank; b++) viaMoment += mul(rowEntry(C, mo.rank, a, b), Y(b, a))[0];
        expect(Math.abs(viaMoment - direct)).toBeLessThan(1e-10 * (1 + Math.abs(direct)));
      }),
      { seed: 16, numRuns: 100 },
    );
  });

  it("each moment row's eigen-factor gives tr(E B^H X B) = tr(V diag(w) V^H X)", () => {
    fc.assert(
      fc.property(floats(4 * d), floats(d * d), (v, x) => {
        fc.pre(Math.hypot(...v.slice(0, 2 * d)) > 0.1);
        const mo = momentBasis(Float64Array.from(v), d);
        const X = hermitian(x, d);
        for (const { E, V, w } of momentRows(mo, d)) {
          const r = mo.rank;
          const lhs = traceOf(
            r,
            d,
            (i, p) => {
              let s: C = [0, 0];
              for (let k = 0; k < r; k++) {
                const t = mul(rowEntry(E, r, i, k), conj(colEntry(mo.B, d, p, k)));
                s = [s[0] + t[0], s[1] + t[1]];
              }
              return s;
            },
            (p, q) => rowEntry(X, d, p, q),
            (q, i) => colEntry(mo.B, d, q, i),
          );
          const rhs = traceOf(
            w.length,
            d,
            (i, p) => {
              const c = conj(colEntry(V, d, p, i));
              return [w[i]! * c[0], w[i]! * c[1]];
            },
            (p, q) => rowEntry(X, d, p, q),
            (q, i) => colEntry(V, d, q, i),
          );
          expect(Math.abs(lhs - rhs)).toBeLessThan(1e-10 * (1 + Math.abs(lhs)));
        }
      }),
      { seed: 17, numRuns: 100 },
    );
  });

  it('one antenna: D a_t = 0 leaves a rank-one moment', () => {
    const V = Float64Array.from([0.6, 0.8, 0, 0]);
    const mo = momentBasis(V, 1);
    expect(mo.rank).toBe(1);
    expect(momentRows(mo, 1)).toHaveLength(1);
  });
});
