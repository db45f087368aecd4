/**
 * The matrix cones' blocks of the Schur complement written out for the WebAssembly twins of
 * their assembly (wasm/kernels.ts sbPsd / sbHerm, run by src/linalg/wasm-normal.ts): each
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

/** Appends blocks to the two pools. */
export class ProgramWriter {
  private readonly ints: number[] = [];
  private readonly floats: number[] = [];
  private readonly blocks: ProgramBlock[] = [];

  /** `len` zeroed i32 slots; their offset. */
  intSlots(len: number): number {
    const at = this.ints.length;
    for (let i = 0; i < len; i++) this.ints.push(0);
    return at;
  }

  /** `len` zeroed f64 slots; their offset. */
  floatSlots(len: number): number {
    const at = this.floats.length;
    for (let i = 0; i < len; i++) this.floats.push(0);
    return at;
  }

  putInts(a: ArrayLike<number>): number {
    const at = this.ints.length;
    for (let i = 0; i < a.length; i++) this.ints.push(a[i]);
    return at;
  }

  putFloats(a: ArrayLike<number>): number {
    const at = this.floats.length;
    for (let i = 0; i < a.length; i++) this.floats.push(a[i]);
    return at;
  }

  setInt(slot: number, v: number): void {
    this.ints[slot] = v;
  }

  block(b: ProgramBlock): void {
    this.blocks.push(b);
  }

  finish(): SchurProgram {
    return { ints: Int32Array.from(this.ints), floats: Float64Array.from(this.floats), blocks: this.blocks };
  }
}
