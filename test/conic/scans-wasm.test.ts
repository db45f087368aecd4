/**
 * The certificate's scans in WebAssembly (src/conic/scans-wasm.ts) against their TypeScript
 * twins in certify.ts: the rows' parts (units, lower coefficients, diagonals), the dual slack
 * with its rounding bound, and the size bounds built from them, to the bit, on random problems
 * that mix every cone, leave explicit zeros in A, interleave the units within rows (the grouped
 * reader) or keep them in runs (the one-pass reader), and carry diagonal-only parts; and the
 * rows with a single entry, an answer's residuals on the data (solve.ts), the starting
 * point's row norms (ipm.ts), and the internal form's rows and A^T (prepare.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Cone, ConicProblem } from '../../src/conic/types.ts';
import { dualSlack, pinnedColumns, rowParts, sizeBounds, unitsOf } from '../../src/conic/certify.ts';
import { userResiduals } from '../../src/conic/solve.ts';
import { startRowNorms } from '../../src/conic/ipm.ts';
import { prepareShape } from '../../src/conic/prepare.ts';
import { dualSlackWasm, prepRowsWasm, rowPartsWasm, singletonsWasm, startRowNormsWasm, transposeWasm, userResidualsWasm } from '../../src/conic/scans-wasm.ts';
import { kernelScratch, SCAN_MIN, SCRATCH_MAX_BYTES, setWasmDisabled, wasmKernelsActive } from '../../src/linalg/wasm-kernels.ts';
import { coneDim, rng } from './helpers.ts';

afterEach(() => setWasmDisabled(false));

/** A random problem of the given cones with m rows, at least SCAN_MIN stored entries. */
function scanProblem(seed: number, cones: Cone[], m: number, sorted: boolean): ConicProblem {
  const rnd = rng(seed);
  const n = cones.reduce((s, k) => s + coneDim(k), 0);
  const rowPtr = [0];
  const colIdx: number[] = [];
  const values: number[] = [];
  const diagonalOf = diagonalColumns(cones);
  for (let i = 0; i < m; i++) {
    let cols: number[];
    if (i % 5 === 0 && diagonalOf.length > 0) {
      // a part with only diagonal entries (some rows cover a unit's whole diagonal)
      const block = diagonalOf[Math.floor(rnd() * diagonalOf.length)]!;
      cols = block.filter(() => rnd() < 0.7);
    } else if (i % 11 === 7)
      cols = [Math.floor(rnd() * n), Math.floor(rnd() * n)].slice(0, i % 2 === 0 ? 1 : 2); // pinned columns (certify.ts pinnedColumns)
    else cols = Array.from({ length: n }, (_, j) => j).filter(() => rnd() < 0.5);
    if (!sorted) cols.sort(() => rnd() - 0.5);
    for (const j of cols) {
      colIdx.push(j);
      const r = rnd();
      // explicit zeros, both signs, magnitudes over many decades
      values.push(r < 0.08 ? 0 : (rnd() < 0.5 ? -1 : 1) * 10 ** (6 * rnd() - 3));
    }
    rowPtr.push(colIdx.length);
  }
  const c = Float64Array.from({ length: n }, () => 2 * rnd() - 1);
  const b = Float64Array.from({ length: m }, () => 2 * rnd() - 1);
  const A = { rows: m, cols: n, rowPtr: Int32Array.from(rowPtr), colIdx: Int32Array.from(colIdx), values: Float64Array.from(values) };
  return { A, b, c, cones };
}

/** The columns of each matrix cone's diagonal. */
function diagonalColumns(cones: Cone[]): number[][] {
  const out: number[][] = [];
  let off = 0;
  for (const k of cones) {
    if (k.kind === 'psd' || k.kind === 'hpsd') {
      const cols: number[] = [];
      let pos = off;
      for (let j = 0; j < k.n; j++) {
        cols.push(pos);
        pos += k.kind === 'psd' ? k.n - j : 2 * (k.n - j) - 1;
      }
      out.push(cols);
    }
    off += coneDim(k);
  }
  return out;
}

/** Runs f with the WebAssembly path off, then on. */
function bothWays<T>(f: () => T): { ts: T; wasm: T } {
  setWasmDisabled(true);
  const ts = f();
  setWasmDisabled(false);
  return { ts, wasm: f() };
}

const cone = fc.oneof(
  fc.integer({ min: 1, max: 3 }).map((dim): Cone => ({ kind: 'free', dim })),
  fc.integer({ min: 1, max: 4 }).map((dim): Cone => ({ kind: 'nonneg', dim })),
  fc.integer({ min: 1, max: 5 }).map((dim): Cone => ({ kind: 'soc', dim })),
  fc.integer({ min: 1, max: 6 }).map((n): Cone => ({ kind: 'psd', n })),
  fc.integer({ min: 1, max: 5 }).map((n): Cone => ({ kind: 'hpsd', n })),
);

describe('certificate scans in WebAssembly', () => {
  it('runs: the kernels are available here, so the comparisons below compare two paths', () => {
    expect(wasmKernelsActive()).toBe(true);
  });

  it('gives the same row parts, dual slack, size bounds, pins and residuals as TypeScript, to the bit', () => {
    let pinsSeen = 0;
    let sortedSeen = 0;
    let unsortedSeen = 0;
    fc.assert(
      fc.property(fc.array(cone, { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 1e6 }), fc.boolean(), (cones, seed, sorted) => {
        const n = cones.reduce((s, k) => s + coneDim(k), 0);
        // enough rows for SCAN_MIN entries (half the columns per row on average)
        const m = Math.max(4, Math.ceil((3 * SCAN_MIN) / Math.max(1, n)));
        const p = scanProblem(seed, cones, m, sorted);
        const { units, unitOf } = unitsOf(p.cones);
        if (p.A.rowPtr[m]! >= SCAN_MIN) expect(rowPartsWasm(p.A, units, unitOf, () => ({ row: new Int32Array(0), col: new Int32Array(0) }))).not.toBeNull();
        const parts = bothWays(() => rowParts(p, units, unitOf));
        expect(parts.wasm).toStrictEqual(parts.ts);
        const y = Float64Array.from({ length: m }, (_, i) => (i % 7 === 3 ? 0 : Math.sin(seed + i) * 10 ** ((i % 5) - 2)));
        const slack = bothWays(() => dualSlack(p, y, 0.5));
        expect(slack.wasm).toStrictEqual(slack.ts);
        const cap = Math.abs(p.c[0]!) + 1;
        const T = bothWays(() => [sizeBounds(p), sizeBounds(p, cap)]);
        expect(T.wasm).toStrictEqual(T.ts);
        const pins = bothWays(() => pinnedColumns(p));
        expect(pins.wasm).toStrictEqual(pins.ts);
        if (m > 7) pinsSeen += pins.ts.size;
        // an answer's residuals on the data: the WebAssembly scan against the TypeScript loop
        const x = Float64Array.from({ length: n }, (_, j) => Math.cos(seed + j));
        const z = Float64Array.from({ length: n }, (_, j) => (j % 3 === 0 ? -0 : Math.sin(j - seed)));
        const [r1, s1, r2, s2] = [new Float64Array(m), new Float64Array(n), new Float64Array(m), new Float64Array(n)];
        expect(userResidualsWasm(p.A, p.b, p.c, x, y, z, r1, s1)).toBe(p.A.rowPtr[m]! >= SCAN_MIN);
        userResiduals(p, x, y, z, r2, s2);
        if (p.A.rowPtr[m]! >= SCAN_MIN) expect([r1, s1]).toStrictEqual([r2, s2]);
        // the starting point's row norms per cone (ipm.ts startScales)
        const owner = unitOf.map((u) => u % 5);
        const [ratio1, norm1, ratio2, norm2] = [new Float64Array(5), new Float64Array(5), new Float64Array(5), new Float64Array(5)];
        expect(startRowNormsWasm(p.A, owner, p.b, 5, ratio1, norm1)).toBe(p.A.rowPtr[m]! >= SCAN_MIN);
        startRowNorms(p.A, owner, p.b, 5, ratio2, norm2);
        if (p.A.rowPtr[m]! >= SCAN_MIN) expect([ratio1, norm1]).toStrictEqual([ratio2, norm2]);
        // the internal form: rows copied (sorted rows without free cones) and A^T
        const shape = bothWays(() => prepareShape(p));
        expect(shape.wasm).toStrictEqual(shape.ts);
        if (p.A.rowPtr[m]! >= SCAN_MIN) {
          expect(transposeWasm(p.A)).not.toBeNull();
          const copiedAll = prepRowsWasm(
            p.A,
            new Int32Array(n).map((_, j) => j),
            new Int32Array(m + 1),
            new Int32Array(p.A.rowPtr[m]!),
            new Float64Array(p.A.rowPtr[m]!),
          );
          // the one-pass copy takes rows whose columns increase strictly, and only those
          const { rowPtr, colIdx } = p.A;
          let increasing = true;
          for (let i = 0; i < m; i++) for (let k = rowPtr[i]! + 1; k < rowPtr[i + 1]!; k++) increasing &&= colIdx[k]! > colIdx[k - 1]!;
          expect(copiedAll === null).toBe(!increasing);
          if (!increasing) unsortedSeen++;
          else sortedSeen++;
        }
      }),
      { numRuns: 60 },
    );
    expect(pinsSeen).toBeGreaterThan(0);
    expect(sortedSeen).toBeGreaterThan(0);
    expect(unsortedSeen).toBeGreaterThan(0);
  });

  it('lends no more than SCRATCH_MAX_BYTES (a memory grown for one scan would stay that large)', () => {
    expect(kernelScratch(1024)).not.toBeNull();
    expect(kernelScratch(SCRATCH_MAX_BYTES + 1)).toBeNull();
  });

  it('leaves small A to TypeScript and says so', () => {
    const p = scanProblem(3, [{ kind: 'nonneg', dim: 3 }], 2, true);
    const { units, unitOf } = unitsOf(p.cones);
    expect(rowPartsWasm(p.A, units, unitOf, () => ({ row: new Int32Array(0), col: new Int32Array(0) }))).toBeNull();
    const z = new Float64Array(3);
    expect(dualSlackWasm(p.A, p.c, 1, new Float64Array(2), z, z, z)).toBe(false);
    expect(singletonsWasm(p.A)).toBeNull();
    expect(userResidualsWasm(p.A, p.b, p.c, z, new Float64Array(2), z, new Float64Array(2), new Float64Array(3))).toBe(false);
  });
});
