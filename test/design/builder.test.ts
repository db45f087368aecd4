import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConicBuilder, readHermitian } from '../../src/design/conic-builder.ts';
import { eigHermitian2, mulV2, projectQ, traceProduct2 } from '../../src/design/hermitian2.ts';

/** Random Hermitian n x n, interleaved row-major. */
function hermitian(n: number, vals: number[]): Float64Array {
  const m = new Float64Array(2 * n * n);
  let p = 0;
  for (let i = 0; i < n; i++) {
    m[2 * (i * n + i)] = vals[p++ % vals.length]!;
    for (let j = 0; j < i; j++) {
      const re = vals[p++ % vals.length];
      const im = vals[p++ % vals.length]!;
      m[2 * (i * n + j)] = re!;
      m[2 * (i * n + j) + 1] = im!;
      m[2 * (j * n + i)] = re!;
      m[2 * (j * n + i) + 1] = -im;
    }
  }
  return m;
}

function traceProduct(a: Float64Array, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const ar = a[2 * (i * n + k)]!;
      const ai = a[2 * (i * n + k) + 1]!;
      const br = b[2 * (k * n + i)]!;
      const bi = b[2 * (k * n + i) + 1]!;
      s += ar * br - ai * bi;
    }
  }
  return s;
}

const finite = fc.double({ min: -3, max: 3, noNaN: true });

describe('ConicBuilder', () => {
  it('writes tr(C X) as a row that reproduces the trace on hvec data', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(finite, { minLength: 30, maxLength: 30 }),
        fc.array(finite, { minLength: 30, maxLength: 30 }),
        (n, cv, xv) => {
          const C = hermitian(n, cv);
          const X = hermitian(
            n,
            xv.map((v) => v + 0.1),
          );
          const b = new ConicBuilder();
          const blk = b.addHpsd(n);
          const r = b.row(0);
          b.addHermitian(r, blk, C, 1);
          const p = b.build();
          // x = hvec(X): fill by reading back through readHermitian's inverse.
          const x = new Float64Array(n * n);
          // Solve for x by writing each coordinate: use the identity rows of unit C.
          for (let e = 0; e < n * n; e++) {
            const t = new Float64Array(n * n);
            t[e] = 1;
            const E = readHermitian(t, blk);
            x[e] = traceProduct(E, X, n) / traceProduct(E, E, n);
          }
          let lhs = 0;
          for (let q = p.A.rowPtr[0]; q! < p.A.rowPtr[1]!; q!++) lhs += p.A.values[q!]! * x[p.A.colIdx[q!]!]!;
          expect(lhs).toBeCloseTo(traceProduct(C, X, n), 9);
          // readHermitian inverts the coordinates.
          const back = readHermitian(x, blk);
          for (let e = 0; e < back.length; e++) expect(back[e]).toBeCloseTo(X[e]!, 12);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('low-rank terms equal their dense expansion and are passed as hints only when alone', () => {
    const n = 3;
    const V = new Float64Array([1, 0.5, -0.2, 0.1, 0.3, -1, /* col 2 */ 0.4, 0, 1, 1, -0.5, 0.2]);
    const b = new ConicBuilder();
    const blk = b.addHpsd(n);
    const r0 = b.row(0);
    b.addLowRank(r0, blk, V, [2, -1], 0.5);
    const r1 = b.row(0);
    b.addLowRank(r1, blk, V, [1, 1], 1);
    b.addTrace(r1, blk, 1);
    const p = b.build();
    expect(p.lowRank?.length).toBe(1);
    expect(p.lowRank![0]!.row).toBe(0);
    // Dense check: C = 0.5 (2 v1 v1^H - v2 v2^H); compare row 0 against hvec(C).
    const C = new Float64Array(2 * n * n);
    const w = [1, -0.5];
    for (let q = 0; q < 2; q++) {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const vr = V[2 * n * q + 2 * i]!;
          const vi = V[2 * n * q + 2 * i + 1]!;
          const ur = V[2 * n * q + 2 * j]!;
          const ui = V[2 * n * q + 2 * j + 1]!;
          C[2 * (i * n + j)]! += w[q]! * (vr * ur + vi * ui);
          C[2 * (i * n + j) + 1]! += w[q]! * (vi * ur - vr * ui);
        }
      }
    }
    const b2 = new ConicBuilder();
    const blk2 = b2.addHpsd(n);
    b2.addHermitian(b2.row(0), blk2, C, 1);
    const p2 = b2.build();
    const dense = (pp: typeof p) => {
      const out = new Float64Array(n * n);
      for (let q = pp.A.rowPtr[0]; q! < pp.A.rowPtr[1]!; q!++) out[pp.A.colIdx[q!]!] = pp.A.values[q!]!;
      return out;
    };
    const a = dense(p);
    const c = dense(p2);
    for (let e = 0; e < n * n; e++) expect(a[e]).toBeCloseTo(c[e]!, 12);
  });
});

describe('ConicBuilder rows', () => {
  it('inequality rows get one slack each; writes into earlier rows are merged and void their hints', () => {
    const b = new ConicBuilder();
    const x = b.addNonneg(3);
    const blk = b.addHpsd(2);
    const r0 = b.le(5); // x0 + x1 <= 5
    b.add(r0, x.offset, 1);
    b.add(r0, x.offset + 1, 1);
    const r1 = b.ge(1); // x2 + tr(v v^H X) >= 1
    b.add(r1, x.offset + 2, 1);
    b.addLowRank(r1, blk, new Float64Array([1, 0, 0, 1]), [1], 1);
    const r2 = b.row(2); // 2 x1 = 2, written in two pieces, the second after row 3 started
    b.add(r2, x.offset + 1, 1);
    const r3 = b.row(0);
    b.addLowRank(r3, blk, new Float64Array([1, 0, 0, 1]), [1], 1);
    b.add(r2, x.offset + 1, 1); // late write
    b.addTrace(r1, blk, 1); // late write on the hinted (row 1, block) pair
    const p = b.build();
    const dense = (row: number): Map<number, number> => {
      const m = new Map<number, number>();
      for (let q = p.A.rowPtr[row]; q! < p.A.rowPtr[row + 1]!; q!++) m.set(p.A.colIdx[q!]!, p.A.values[q!]!);
      return m;
    };
    // The slack block comes last: 3 + 4 variables before it.
    expect(p.cones.at(-1)).toEqual({ kind: 'nonneg', dim: 2 });
    expect(dense(r0).get(7)).toBe(1);
    expect(dense(r1).get(8)).toBe(-1);
    expect(dense(r2)).toEqual(new Map([[1, 2]]));
    expect(dense(r3).has(7) || dense(r3).has(8)).toBe(false);
    // Row 1's hint was voided by the late trace term; row 3's stays.
    expect(p.lowRank?.map((h) => h.row)).toEqual([r3]);
    // Columns sorted within every row.
    for (let i = 0; i < p.A.rows; i++) for (let q = p.A.rowPtr[i]! + 1; q < p.A.rowPtr[i + 1]!; q++) expect(p.A.colIdx[q]).toBeGreaterThan(p.A.colIdx[q - 1]!);
  });
});

/** Checks U diag(values) U^H == M entry by entry (U columns interleaved, column-major). */
function expectReconstructs(M: Float64Array, values: [number, number], U: Float64Array, digits: number): void {
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++) {
      let re = 0;
      let im = 0;
      for (let q = 0; q < 2; q++) {
        const ar = U[4 * q + 2 * i]!;
        const ai = U[4 * q + 2 * i + 1]!;
        const br = U[4 * q + 2 * j]!;
        const bi = U[4 * q + 2 * j + 1]!;
        re += values[q]! * (ar * br + ai * bi);
        im += values[q]! * (ai * br - ar * bi);
      }
      expect(re).toBeCloseTo(M[2 * (2 * i + j)]!, digits);
      expect(im).toBeCloseTo(M[2 * (2 * i + j) + 1]!, digits);
    }
  }
}

describe('2x2 Hermitian helpers', () => {
  it('eigHermitian2 keeps an orthonormal basis for repeated eigenvalues with a tiny coupling', () => {
    for (const [a, d, br, bi] of [
      [2, 2, 5e-324, 0],
      [2, 2, 1e-20, -3e-21],
      [1, 1, 1e-10, 2e-10],
      [0, 0, 0, 0],
      [-1, 3, 0, 1e-300],
    ]) {
      const M = new Float64Array([a!, 0, br!, bi!, br!, -bi!, d!, 0]);
      const { values, U } = eigHermitian2(M);
      expectReconstructs(M, values, U, 12);
    }
  });

  it('eigHermitian2 reconstructs M and V U diag(l) (V U)^H projects like V M V^H', () => {
    fc.assert(
      fc.property(fc.array(finite, { minLength: 4, maxLength: 4 }), fc.array(finite, { minLength: 8, maxLength: 8 }), (m, vq) => {
        const M = new Float64Array([m[0]!, 0, m[1]!, m[2]!, m[1]!, -m[2]!, m[3]!, 0]);
        const { values, U } = eigHermitian2(M);
        expectReconstructs(M, values, U, 9);
        // tr(V M V^H Q) = tr(M V^H Q V) for a random Hermitian Q.
        const n = 2;
        const V = Float64Array.from(vq);
        const Q = hermitian(n, [1.5, 0.3, -0.2, 0.7]);
        const P = projectQ(V, Q, n);
        const VU = mulV2(V, U, n);
        const PU = projectQ(VU, Q, n);
        const direct = traceProduct2(M, P);
        const viaEig = values[0] * PU[0]! + values[1] * PU[6]!;
        expect(viaEig).toBeCloseTo(direct, 8);
      }),
      { numRuns: 100 },
    );
  });
});
