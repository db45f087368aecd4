/**
 * prepare.ts validate's scan of A, b and c in WebAssembly (csrValidWasm) against its
 * TypeScript loop: every well-formed problem passes both ways, and every fault (a decreasing
 * row pointer, one past the last entry or negative, a column out of range, a non-finite value
 * in A, b or c) is refused both ways with the same message, the one that names it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ConicProblem } from '../../src/conic/types.ts';
import { validate } from '../../src/conic/prepare.ts';
import { csrValidWasm, setWasmDisabled } from '../../src/linalg/wasm-kernels.ts';

afterEach(() => setWasmDisabled(false));

/** A well-formed problem: `rows` rows of `perRow` entries on n nonnegative columns (enough entries for WebAssembly). */
function wellFormed(rows: number, perRow: number, n: number, seed: number): ConicProblem {
  const rowPtr = Int32Array.from({ length: rows + 1 }, (_, i) => i * perRow);
  const colIdx = Int32Array.from({ length: rows * perRow }, (_, k) => (k * 7 + seed) % n);
  const values = Float64Array.from({ length: rows * perRow }, (_, k) => Math.sin(k + seed));
  return {
    A: { rows, cols: n, rowPtr, colIdx, values },
    b: new Float64Array(rows).fill(1),
    c: new Float64Array(n).fill(1),
    cones: [{ kind: 'nonneg', dim: n }],
  };
}

/** What validate says with the WebAssembly scan off and on (null: accepted). */
function verdicts(p: ConicProblem): { ts: string | null; wasm: string | null } {
  const run = () => {
    try {
      validate(p);
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  };
  setWasmDisabled(true);
  const ts = run();
  setWasmDisabled(false);
  return { ts, wasm: run() };
}

const faults = ['decreasing', 'beyond', 'negative start', 'column', 'NaN', 'Infinity', 'c', 'b'] as const;

describe('validate: the scan in WebAssembly', () => {
  it('accepts well-formed problems both ways, through WebAssembly', () => {
    const p = wellFormed(20, 30, 50, 3);
    expect(csrValidWasm(p.A.rows, 50, p.A.rowPtr, p.A.colIdx, p.A.values, p.c, p.b)).toBe(true);
    expect(verdicts(p)).toEqual({ ts: null, wasm: null });
  });

  it('refuses every fault both ways with the same message', () => {
    fc.assert(
      fc.property(fc.constantFrom(...faults), fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 29 }), (fault, row, at) => {
        const p = wellFormed(20, 30, 50, row);
        const { rowPtr, colIdx, values } = p.A;
        const k = row * 30 + at;
        if (fault === 'decreasing') rowPtr[Math.min(row + 1, 19)] = rowPtr[Math.min(row + 1, 19) - 1]! - 1;
        else if (fault === 'beyond') rowPtr[Math.min(row + 1, 19)] = 100000;
        else if (fault === 'negative start') rowPtr[0] = -3;
        else if (fault === 'column') colIdx[k] = at % 2 === 0 ? 50 : -1;
        else if (fault === 'NaN') values[k] = Number.NaN;
        else if (fault === 'Infinity') values[k] = at % 2 === 0 ? Infinity : -Infinity;
        else if (fault === 'c') p.c[at] = Number.NaN;
        else p.b[row] = -Infinity;
        expect(csrValidWasm(p.A.rows, 50, rowPtr, colIdx, values, p.c, p.b)).toBe(false);
        const v = verdicts(p);
        expect(v.ts).not.toBeNull();
        expect(v.wasm).toBe(v.ts);
      }),
      { numRuns: 80 },
    );
  });
});
