/**
 * The internal rows prepare() builds (src/conic/prepare.ts) against a reference written
 * directly from their definition: each user entry goes to its column's internal column (and,
 * for a free column, minus it to the negated twin), duplicates add, zeros drop, columns sort.
 * Rows come sorted (the fast path that copies while it checks), unsorted, with duplicates and
 * with zeros, and a row may turn out unsorted after a sorted prefix.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { prepare, prepareShape, residentKind, withKernels } from '../../src/conic/prepare.ts';
import { HpsdCone } from '../../src/conic/cones/hpsd.ts';
import { Hpsd2Cone } from '../../src/conic/cones/hpsd2.ts';
import { NonnegCone } from '../../src/conic/cones/nonneg.ts';
import { PsdCone } from '../../src/conic/cones/psd.ts';
import { SocCone } from '../../src/conic/cones/soc.ts';
import { VectorSpace } from '../../src/linalg/wasm-vectors.ts';
import { wasmKernelsActive } from '../../src/linalg/wasm-kernels.ts';
import type { Cone, ConicProblem } from '../../src/conic/types.ts';

/** Internal rows by definition: Map column -> value per row, zeros dropped, sorted. */
function referenceRows(p: ConicProblem, colMap: Int32Array, twin: Int32Array): [number, number][][] {
  const rows: [number, number][][] = [];
  for (let i = 0; i < p.A.rows; i++) {
    const acc = new Map<number, number>();
    for (let k = p.A.rowPtr[i]!; k < p.A.rowPtr[i + 1]!; k++) {
      const j = p.A.colIdx[k]!;
      const v = p.A.values[k]!;
      if (v === 0) continue;
      acc.set(colMap[j]!, (acc.get(colMap[j]!) ?? 0) + v);
      if (twin[j]! >= 0) acc.set(twin[j]!, (acc.get(twin[j]!) ?? 0) - v);
    }
    rows.push([...acc].filter(([, v]) => v !== 0).sort((a, b) => a[0] - b[0]));
  }
  return rows;
}

const problem = fc
  .record({
    free: fc.integer({ min: 0, max: 2 }),
    nonneg: fc.integer({ min: 1, max: 4 }),
    rows: fc.array(
      fc.record({
        cols: fc.array(fc.nat({ max: 99 }), { maxLength: 8 }),
        values: fc.array(fc.constantFrom(0, 1, -2, 0.5, 3), { minLength: 8, maxLength: 8 }),
        sorted: fc.boolean(),
      }),
      { minLength: 1, maxLength: 6 },
    ),
  })
  .map(({ free, nonneg, rows }) => {
    const cones: Cone[] = [...(free ? [{ kind: 'free' as const, dim: free }] : []), { kind: 'nonneg', dim: nonneg }, { kind: 'psd', n: 2 }];
    const n = free + nonneg + 3;
    const rowPtr = [0];
    const colIdx: number[] = [];
    const values: number[] = [];
    for (const r of rows) {
      const cols = r.cols.map((c) => c % n);
      // sorted: strictly increasing (no duplicates), the builder's rows; else as drawn
      const use = r.sorted ? [...new Set(cols)].sort((a, b) => a - b) : cols;
      use.forEach((c, t) => {
        colIdx.push(c);
        values.push(r.values[t]!);
      });
      rowPtr.push(colIdx.length);
    }
    const p: ConicProblem = {
      c: new Float64Array(n).fill(1),
      A: { rows: rows.length, cols: n, rowPtr: Int32Array.from(rowPtr), colIdx: Int32Array.from(colIdx), values: Float64Array.from(values) },
      b: new Float64Array(rows.length),
      cones,
    };
    return p;
  });

describe('prepare: the internal rows', () => {
  it('are the user rows mapped to internal columns, duplicates added, zeros dropped, columns sorted', () => {
    fc.assert(
      fc.property(problem, (p) => {
        const P = prepare(p);
        const got: [number, number][][] = [];
        for (let i = 0; i < P.m; i++) {
          const row: [number, number][] = [];
          for (let k = P.A.rowPtr[i]!; k < P.A.rowPtr[i + 1]!; k++) row.push([P.A.colIdx[k]!, P.A.values[k]!]);
          got.push(row);
        }
        expect(got).toEqual(referenceRows(p, P.colMap, P.twin));
      }),
      { numRuns: 300 },
    );
  });

  it('a row that is unsorted after a sorted prefix is built from its start', () => {
    // columns 0, 2 (sorted so far), then 1: the fast path copies two entries, then must restart
    const p: ConicProblem = {
      c: new Float64Array(3).fill(1),
      A: { rows: 2, cols: 3, rowPtr: Int32Array.of(0, 3, 5), colIdx: Int32Array.of(0, 2, 1, 0, 1), values: Float64Array.of(1, 2, 3, 4, 5) },
      b: new Float64Array(2),
      cones: [{ kind: 'nonneg', dim: 3 }],
    };
    const P = prepare(p);
    expect(Array.from(P.A.rowPtr)).toEqual([0, 3, 5]);
    expect(Array.from(P.A.colIdx)).toEqual([0, 1, 2, 0, 1]);
    expect(Array.from(P.A.values)).toEqual([1, 3, 2, 4, 5]);
  });

  describe('the kernels, made once (withKernels) where the run keeps them', () => {
    // every kind of cone: free (a nonneg pair), nonneg, soc, real PSD, Hermitian 2 x 2 and 3 x 3
    const cones: Cone[] = [
      { kind: 'free', dim: 1 },
      { kind: 'nonneg', dim: 2 },
      { kind: 'soc', dim: 3 },
      { kind: 'psd', n: 3 },
      { kind: 'hpsd', n: 2 },
      { kind: 'hpsd', n: 3 },
    ];
    const n = 1 + 2 + 3 + 6 + 4 + 9;
    const p: ConicProblem = {
      c: new Float64Array(n).fill(1),
      A: { rows: 1, cols: n, rowPtr: Int32Array.of(0, n), colIdx: Int32Array.from({ length: n }, (_, j) => j), values: new Float64Array(n).fill(1) },
      b: Float64Array.of(1),
      cones,
    };
    const kinds = (ks: { kernel: unknown }[]) => ks.map((k) => (k.kernel as object).constructor.name);

    it('prepare is prepareShape then withKernels: the same form, one kernel class per cone kind and Hermitian mode', () => {
      for (const hermitian of ['native', 'embedded'] as const) {
        const P = prepare(p, hermitian);
        const shape = prepareShape(p, hermitian);
        const Q = withKernels(shape);
        expect(Q.cones.map(({ kernel: _, ...rest }) => rest)).toEqual(shape.cones);
        expect(P.cones.map(({ kernel: _, ...rest }) => rest)).toEqual(shape.cones);
        expect(kinds(Q.cones)).toEqual(kinds(P.cones));
        expect(Array.from(Q.A.colIdx)).toEqual(Array.from(P.A.colIdx));
        expect(Q).not.toHaveProperty('hermitian');
      }
      const classes = [NonnegCone, NonnegCone, SocCone, PsdCone, Hpsd2Cone, HpsdCone].map((c) => c.name);
      expect(kinds(prepare(p, 'native').cones)).toEqual(classes);
      expect(kinds(prepare(p, 'embedded').cones)).toEqual([NonnegCone, NonnegCone, SocCone, PsdCone, PsdCone, PsdCone].map((c) => c.name));
    });

    it.skipIf(!wasmKernelsActive())("in a space with the cones' kernels, exactly the cones residentKind names live there", () => {
      for (const hermitian of ['native', 'embedded'] as const) {
        const shape = prepareShape(p, hermitian);
        const space = VectorSpace.acquire(1 << 16, 1 << 12);
        try {
          expect(space.coneKernels).not.toBeNull();
          const P = withKernels(shape, space);
          const placed = P.cones.map((k) => {
            const slot = (k.kernel as { residentSlot?: number | null }).residentSlot;
            return slot !== undefined && slot !== null;
          });
          expect(placed).toEqual(shape.cones.map((k) => residentKind(k, hermitian) !== null));
          expect(placed.some((x) => x)).toBe(true);
        } finally {
          space.release();
        }
        // without a space, no cone is placed
        expect(withKernels(shape).cones.every((k) => ((k.kernel as { residentSlot?: number | null }).residentSlot ?? null) === null)).toBe(true);
      }
    });
  });
});
