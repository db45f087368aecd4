/**
 * A real PSD block's part of the Schur program written in WebAssembly (wasm/kernels.ts
 * psdProgram): schur.ts' blockEntries, buildPsdBlock and writePsdBlock for a real block without
 * low-rank hints, the same chunk of the program's pools (test/conic/schur-program-wasm.test.ts
 * compares the two programs).
 *
 * Why: made once per solve, this ran interpreted in a fresh process, with a few typed arrays per
 * row: 9-15 % of the first solves of SDPLIB's small instances (CPU profiles, docs/solver.md).
 */
import { kernelScratch, ScratchLayout } from '../linalg/wasm-kernels.ts';
import type { SparseCols } from './prepare.ts';
import type { ProgramWriter } from './schur-program.ts';

interface ProgramExports {
  memory: WebAssembly.Memory;
  psdProgram(
    colPtr: number,
    rowIdx: number,
    values: number,
    off: number,
    dim: number,
    n: number,
    m: number,
    s: number,
    sf: number,
    keys: number,
    tmp: number,
    ints: number,
    floats: number,
    intBase: number,
    floatBase: number,
  ): number;
  PP_INTS: WebAssembly.Global;
  PP_FLOATS: WebAssembly.Global;
}

/**
 * Appends the block of order n on columns off .. off + dim - 1 (m rows; At: A by columns) to w;
 * its header slot and G's slot, or null when not taken to WebAssembly (then nothing is written).
 */
export function writePsdBlockWasm(w: ProgramWriter, At: SparseCols, off: number, dim: number, n: number, m: number): { header: number; gAt: number } | null {
  const c0 = At.colPtr[off];
  const total = At.colPtr[off + dim] - c0;
  const at = new ScratchLayout();
  const colPtr = at.i32(dim + 1);
  const rowIdx = at.i32(total);
  const s = at.i32(5 * m + 1 + 13 * total + 2 * n);
  const outInts = at.i32(8 + 19 * total);
  const values = at.f64(total);
  const sf = at.f64(2 * total);
  const keys = at.f64(total);
  const tmp = at.f64(total);
  const outFloats = at.f64(3 * n * n + 1 + total);
  const k = kernelScratch(at.bytes) as unknown as ProgramExports | null;
  if (k === null) return null;
  const i32 = new Int32Array(k.memory.buffer);
  const f64 = new Float64Array(k.memory.buffer);
  // the block's columns, rebased to start at 0
  const ptr = At.colPtr.subarray(off, off + dim + 1);
  for (let t = 0; t <= dim; t++) i32[colPtr / 4 + t] = ptr[t] - c0;
  i32.set(At.rowIdx.subarray(c0, c0 + total), rowIdx / 4);
  f64.set(At.values.subarray(c0, c0 + total), values / 8);
  const base = w.counts();
  k.psdProgram(colPtr, rowIdx, values, 0, dim, n, m, s, sf, keys, tmp, outInts, outFloats, base.ints, base.floats);
  const chunk = w.append(
    i32.subarray(outInts / 4, outInts / 4 + (k.PP_INTS.value as number)),
    f64.subarray(outFloats / 8, outFloats / 8 + (k.PP_FLOATS.value as number)),
  );
  return { header: chunk.ints, gAt: chunk.floats };
}
