/**
 * The SDPA reader's plain entry lines in WebAssembly (wasm/kernels.ts spRead): the runs of
 * `matno blkno i j value` lines that sdpa.ts' regular expression would take, with the same
 * entries to the bit (test/conic/sdpa-wasm.test.ts). Values of up to 15 significant digits
 * within 10^+-22 are rounded there (one correctly rounded product or quotient of exact
 * doubles, as Number() rounds them); the others come back as one JSON array of the same
 * decimal values, which JSON.parse reads natively (V8 rounds both the same way, to nearest).
 *
 * Why: `netisac sdpa` times the parse, and in a fresh process the regular expression's loop
 * ran interpreted, five Number() calls and a boxed entry per line: about 8 ms of SDPLIB
 * control2's 75 ms and 12 of infd1's 65 (CPU profiles, docs/solver.md).
 */
import { kernelScratch, SCAN_MIN, ScratchLayout } from '../linalg/wasm-kernels.ts';
import type { EntryBuffer, SdpaProblem } from './sdpa.ts';

interface ReaderExports {
  memory: WebAssembly.Memory;
  spRead(
    text: number,
    n: number,
    from: number,
    last: number,
    m: number,
    nb: number,
    blocks: number,
    mat: number,
    blk: number,
    ii: number,
    jj: number,
    vv: number,
    hard: number,
    json: number,
  ): number;
  spScatter(hard: number, vals: number, vv: number, count: number): number;
  sdpaRows(
    count: number,
    m: number,
    sizes: number,
    offs: number,
    mat: number,
    blk: number,
    ii: number,
    jj: number,
    vv: number,
    n: number,
    c: number,
    colOf: number,
    valOf: number,
    rowStart: number,
    keys: number,
    tmp: number,
    rowPtr: number,
    colIdx: number,
    values: number,
  ): number;
  SP_AT: WebAssembly.Global;
  SP_HARD: WebAssembly.Global;
  SP_JSON: WebAssembly.Global;
}

/**
 * Characters read per call: the first window is small (a rest that starts with a line this
 * reader does not take costs little), each one it reads through doubles the next, up to the
 * largest.
 */
const FIRST_WINDOW = 1 << 14;
const LARGEST_WINDOW = 1 << 20;
/** Below this many characters the regular expression reads the rest (set-up costs what WebAssembly saves). */
export const SDPA_WASM_MIN = 2048;

/**
 * Reads the run of plain entry lines from `at` into out, as sdpa.ts fastEntries' regular
 * expression would: where it stopped and how many lines it read, or null when not taken to
 * WebAssembly (a short rest, no WebAssembly). It stops before the first line it does not take
 * (not plain, out of range, not ASCII, a value Number() makes infinite), which the caller's
 * reader then reads.
 */
export function wasmEntries(text: string, at: number, m: number, blocks: number[], out: EntryBuffer): { at: number; lines: number } | null {
  if (text.length - at < SDPA_WASM_MIN) return null;
  let lines = 0;
  let window = FIRST_WINDOW;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  for (;;) {
    const len = Math.min(window, text.length - at);
    if (len <= 0) return { at, lines };
    // a line takes at least 9 bytes and its end: room for len / 9 + 1 entries. The window as
    // UTF-8 (3 bytes a character at most), the blocks, the entries' four i32 arrays, the hard
    // values' two i32 each and their JSON (at most 2 len bytes), then the entries' values and
    // the hard values parsed
    const cap = Math.floor(len / 9) + 1;
    const mem = new ScratchLayout();
    const textAt = mem.u8(3 * len);
    const blocksAt = mem.i32(blocks.length);
    const entryAt = [mem.i32(cap), mem.i32(cap), mem.i32(cap), mem.i32(cap)];
    const hardAt = mem.i32(2 * cap);
    const jsonAt = mem.u8(2 * len + 8);
    const vvAt = mem.f64(cap);
    const valsAt = mem.f64(cap);
    const k = kernelScratch(mem.bytes) as unknown as ReaderExports | null;
    if (k === null) return lines === 0 ? null : { at, lines };
    // one byte a character up to the first that is not ASCII, where spRead stops, so byte and
    // string offsets agree over what it reads
    const { written } = encoder.encodeInto(text.slice(at, at + len), new Uint8Array(k.memory.buffer, textAt, 3 * len));
    const i32 = new Int32Array(k.memory.buffer);
    i32.set(blocks, blocksAt / 4);
    const last = at + len === text.length && written === len ? 1 : 0;
    const [matAt, blkAt, iiAt, jjAt] = entryAt;
    const count = k.spRead(textAt, Math.min(written, len), 0, last, m, blocks.length, blocksAt, matAt, blkAt, iiAt, jjAt, vvAt, hardAt, jsonAt);
    let stop = k.SP_AT.value as number;
    const hard = k.SP_HARD.value as number;
    let taken = count;
    if (hard > 0) {
      // the values it left, parsed at once; one that is infinite ends the run at its line
      const json = decoder.decode(new Uint8Array(k.memory.buffer, jsonAt, k.SP_JSON.value as number));
      new Float64Array(k.memory.buffer).set(JSON.parse(`[${json}]`) as number[], valsAt / 8);
      const bad = k.spScatter(hardAt, valsAt, vvAt, hard);
      if (bad >= 0) {
        taken = i32[hardAt / 4 + 2 * bad];
        stop = i32[hardAt / 4 + 2 * bad + 1];
      }
    }
    const vv = new Float64Array(k.memory.buffer, vvAt, count);
    out.reserve(taken);
    const n0 = out.length;
    [out.mat, out.blk, out.ii, out.jj].forEach((to, q) => to.set(i32.subarray(entryAt[q] / 4, entryAt[q] / 4 + taken), n0));
    out.vv.set(vv.subarray(0, taken), n0);
    out.length += taken;
    lines += taken;
    at += stop;
    // a line it does not take, or the text's end: the caller goes on; a window cut: the next, larger
    if (taken < count || taken === 0 || last === 1) return { at, lines };
    window = Math.min(2 * window, LARGEST_WINDOW);
  }
}

/**
 * sdpaToConic's rows in WebAssembly (wasm/kernels.ts sdpaRows): c = -F_0 (n entries) and the
 * rows of F_1 .. F_m in compressed rows, each row by column with duplicates summed in file
 * order, for blocks whose first columns are `offs`; null when not taken there (few entries,
 * no WebAssembly, beyond wasm32's addresses).
 */
export function sdpaRowsWasm(
  p: SdpaProblem,
  offs: number[],
  n: number,
): { c: Float64Array; rowPtr: Int32Array; colIdx: Int32Array; values: Float64Array } | null {
  const E = p.entries;
  const count = E.v.length;
  if (count < SCAN_MIN || count >= 2 ** 31 || n >= 2 ** 31) return null;
  const nb = p.blocks.length;
  const at = new ScratchLayout();
  const sizesAt = at.i32(nb);
  const offsAt = at.i32(nb);
  const [matAt, blkAt, iiAt, jjAt, colOf] = [at.i32(count), at.i32(count), at.i32(count), at.i32(count), at.i32(count)];
  const rowStart = at.i32(p.m + 1);
  const rowPtr = at.i32(p.m + 1);
  const colIdx = at.i32(count);
  const [vvAt, valOf, values, keys, tmp] = [at.f64(count), at.f64(count), at.f64(count), at.f64(count), at.f64(count)];
  const cAt = at.f64(n);
  const k = kernelScratch(at.bytes) as unknown as ReaderExports | null;
  if (k === null) return null;
  const i32 = new Int32Array(k.memory.buffer);
  const f64 = new Float64Array(k.memory.buffer);
  i32.set(p.blocks, sizesAt / 4);
  i32.set(offs, offsAt / 4);
  i32.set(E.mat, matAt / 4);
  i32.set(E.blk, blkAt / 4);
  i32.set(E.i, iiAt / 4);
  i32.set(E.j, jjAt / 4);
  f64.set(E.v, vvAt / 8);
  const nnz = k.sdpaRows(count, p.m, sizesAt, offsAt, matAt, blkAt, iiAt, jjAt, vvAt, n, cAt, colOf, valOf, rowStart, keys, tmp, rowPtr, colIdx, values);
  return {
    c: f64.slice(cAt / 8, cAt / 8 + n),
    rowPtr: i32.slice(rowPtr / 4, rowPtr / 4 + p.m + 1),
    colIdx: i32.slice(colIdx / 4, colIdx / 4 + nnz),
    values: f64.slice(values / 8, values / 8 + nnz),
  };
}
