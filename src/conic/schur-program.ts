/**
 * The matrix cones' blocks of the Schur complement written out for the WebAssembly twins of
 * their assembly (wasm/kernels.ts sbPsd / sbHerm, run by kkt-wasm.ts): each
 * block as a header and a row table in an i32 pool, its entries, low-rank vectors, scaling
 * point and workspaces in an f64 pool. Offsets are relative to each pool's start. Made once
 * per solve; per iteration only the scaling points (G) are copied in.
 *
 * Layouts (i32 slots; "f" marks an offset into the f64 pool, "i" one into the i32 pool):
 * - real block (kind 0): header N, R, f G, f work, f work2, f scale, 0, 0; then per row
 *   row, strategy, nnz, i p, i q, f v, nr, i rows, i ps, i qs, lrRank, f lrVec, f lrW.
 * - Hermitian block (kind 1): header n, R, nLr, f G (re then im), f G im, f Hr, f Hi, f Pr,
 *   f Pi, i vStart, f vRe, f vIm, i vRow, f vW, i vLen, f uRe, f uIm, Rv, 0, 0; then per row
 *   row, strategy, nnz, i p, i q, f vr, f vi, nr, i rows, i ps, i qs, lrRank.
 */

/** One block: its kind, header slot, and where its scaling point goes (copied from `g` before each build). */
export interface ProgramBlock {
  kind: 0 | 1;
  header: number;
  gAt: number;
  /** The cone's current G (real), or its real and imaginary parts. */
  g: readonly Float64Array[];
}

export interface SchurProgram {
  ints: Int32Array;
  floats: Float64Array;
  blocks: ProgramBlock[];
}

/**
 * Appends blocks to the two pools: typed arrays that double when full, filled by `set` (pushing
 * numbers one by one took 2 ms of a small SDPLIB instance's first solve).
 */
export class ProgramWriter {
  private ints = new Int32Array(256);
  private floats = new Float64Array(256);
  private nInts = 0;
  private nFloats = 0;
  private readonly blocks: ProgramBlock[] = [];

  /** `len` zeroed i32 slots; their offset. */
  intSlots(len: number): number {
    const at = this.nInts;
    if (at + len > this.ints.length) this.ints = grown(this.ints, new Int32Array(2 * (at + len)));
    this.nInts += len;
    return at;
  }

  /** `len` zeroed f64 slots; their offset. */
  floatSlots(len: number): number {
    const at = this.nFloats;
    if (at + len > this.floats.length) this.floats = grown(this.floats, new Float64Array(2 * (at + len)));
    this.nFloats += len;
    return at;
  }

  putInts(a: Int32Array): number {
    const at = this.intSlots(a.length);
    this.ints.set(a, at);
    return at;
  }

  putFloats(a: Float64Array): number {
    const at = this.floatSlots(a.length);
    this.floats.set(a, at);
    return at;
  }

  /** Where the next slots of each pool are taken (a chunk written elsewhere counts its offsets from there). */
  counts(): { ints: number; floats: number } {
    return { ints: this.nInts, floats: this.nFloats };
  }

  /** Appends a chunk written elsewhere (its offsets counted from `counts()`); where it starts. */
  append(ints: Int32Array, floats: Float64Array): { ints: number; floats: number } {
    return { ints: this.putInts(ints), floats: this.putFloats(floats) };
  }

  /** Writes `values` from slot `at` on (a header or a row of the table). */
  setInts(at: number, values: readonly number[]): void {
    for (let k = 0; k < values.length; k++) this.ints[at + k] = values[k];
  }

  /**
   * A block's header and row table: their i32 slots are taken first, then `head` and each
   * `row` run (taking the pool slots their offsets point to) and are written in. Returns the
   * header's slot.
   */
  table<R>(headLen: number, rowLen: number, rows: readonly R[], head: () => readonly number[], row: (r: R) => readonly number[]): number {
    const hdr = this.intSlots(headLen + rowLen * rows.length);
    this.setInts(hdr, head());
    rows.forEach((r, a) => this.setInts(hdr + headLen + rowLen * a, row(r)));
    return hdr;
  }

  block(b: ProgramBlock): void {
    this.blocks.push(b);
  }

  finish(): SchurProgram {
    return { ints: this.ints.slice(0, this.nInts), floats: this.floats.slice(0, this.nFloats), blocks: this.blocks };
  }
}

/** `to` holding `from` (a larger array, zeroed beyond what `from` holds). */
function grown<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
