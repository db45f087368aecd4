/**
 * The normal equations of the interior-point loop in WebAssembly (wasm/kernels.ts): the
 * matrix cones' part of M (the Schur program, schur-program.ts), mirroring and factoring M,
 * the solves with refinement, the preconditioner's solve, the loop's A x and A^T y (kkt.ts
 * describes each in TypeScript), and, when every cone is a real PSD block or nonnegative, the
 * refinement's conjugate gradients (ipm.ts pcgSolve; `pcg`): the same operations in the same
 * order, so the same bits (test/conic/kkt-wasm.test.ts).
 *
 * Why: a process's first solve runs this TypeScript interpreted until V8 has optimised it
 * (in CPU profiles of the CLI's first solve, 2026-12-01: about 50 of 113 ms together), where
 * WebAssembly is compiled before its first call (docs/solver.md, "First solve of a process").
 *
 * Unlike the cones' kernels, whose operands are copied in and out per call, the factor must
 * stay in memory between calls. It lives in a second instance of the module, one per thread,
 * rented by one NormalEquations at a time: the tenant's patterns and matrices are written
 * in when it moves in, and its matrices saved out to its own arrays when another one moves
 * in (once per solve, not per call).
 */
import { fusedNeed, growMemory, MAX_BYTES, newKernelInstance, wasmKernelsActive } from '../linalg/wasm-kernels.ts';
import type { ProgramBlock, SchurProgram } from './schur-program.ts';
import type { SparseRows } from './types.ts';
import type { SparseCols } from './prepare.ts';

/** The constraint operator: A by rows and A^T by columns (the loop's A x and A^T y). */
export interface Operator {
  A: SparseRows;
  At: SparseCols;
}

interface NormalExports {
  memory: WebAssembly.Memory;
  neLayout(
    m: number,
    sparse: number,
    perm: number,
    rowPtr: number,
    cols: number,
    mRowPtr: number,
    mCols: number,
    twins: number,
    M: number,
    L: number,
    w: number,
    r: number,
    d: number,
    x: number,
    b: number,
  ): void;
  neFactor(regRel: number): number;
  neSolve(refine: number): void;
  nePrecond(): void;
  /** The last solve's counts (exported globals). */
  NE_SOLVES: WebAssembly.Global;
  NE_MATVECS: WebAssembly.Global;
  opLayout(
    rows: number,
    cols: number,
    rowPtr: number,
    colIdx: number,
    values: number,
    colPtr: number,
    rowIdx: number,
    tvalues: number,
    x: number,
    y: number,
  ): void;
  opMulA(): void;
  opMulAt(): void;
  sbPsd(ib: number, fb: number, header: number): void;
  sbHerm(ib: number, fb: number, header: number): void;
  pcgLayout(nb: number, table: number, w: number, r: number, z: number, p: number, ap: number, t2: number): void;
  pcgRun(maxSteps: number, idleSteps: number, startRefine: number): void;
  /** The last pcgRun's counts (exported globals). */
  PCG_APPS: WebAssembly.Global;
  PCG_SOLVES: WebAssembly.Global;
  PCG_MATVECS: WebAssembly.Global;
}

/**
 * A cone of x for the conjugate gradients in this instance (pcg), in the cones' order: a real
 * PSD block (its order, length and offset in x; the Schur program's blocks are these, in this
 * order), or a nonnegative cone with the point of its last scaling (D = x / z).
 */
export type PcgBlock = { kind: 'psd'; n: number; dim: number; off: number } | { kind: 'nonneg'; dim: number; off: number; x: Float64Array; z: Float64Array };

/** What a pcg call did, for the caller's operation counts. */
export interface PcgCounts {
  /** A D A^T products (each one A^T y, one D per block and one A x). */
  apps: number;
  /** Solves with M's factor, and products with M, of the start and the preconditioner. */
  solves: number;
  matVecs: number;
}

/** The symbolic structure of a PatternCholesky (pattern-cholesky.ts) and M's row pairs. */
export interface NormalPattern {
  perm: Int32Array;
  rowPtr: Int32Array;
  cols: Int32Array;
  mRowPtr: Int32Array;
  mCols: Int32Array;
  /** 1 where rows 2p and 2p + 1 of M have the same pattern. */
  twins: Uint8Array;
}

let instance: NormalExports | null | undefined;
/** Whether systems made from now on run pcg here when they can (tests compare both ways). */
let pcgEnabled = true;

/** Turns the conjugate gradients in WebAssembly off (false) or back on, for systems made after the call. */
export function setWasmPcg(on: boolean): void {
  pcgEnabled = on;
}
let tenant: WasmNormal | null = null;
/**
 * Bytes at the start of the instance's memory that a tenant may have written; above them the
 * memory is as WebAssembly made it, zero. A tenant's layout starts at byte 0, so this is the
 * largest layout moved in since the instance was made (its first page counted from the start).
 */
let dirtyBytes = 0;
let f64 = new Float64Array(0);
let i32 = new Int32Array(0);
/**
 * A finished tenant's instance is kept for the next solve up to this size (WebAssembly memory
 * cannot shrink): above it, the instance is dropped and the next solve makes a fresh one, so a
 * network-scale solve does not hold its M and factor (2 m^2 doubles) for the life of the thread.
 */
const RETAIN_BYTES = 64 * 2 ** 20;
/** Open holdNormalMemory calls: while there is one, a finished solve keeps the instance. */
let holds = 0;

/**
 * Runs `work` (a design method: a sequence of solves) with the normal equations' instance kept
 * between its solves whatever its size, and given back at the end as a single solve would give
 * it back. A network-scale design otherwise makes a fresh instance for each of its SDPs and
 * pays the first touch of every page it writes (A, A^T, the factor) at each of them.
 */
export function holdNormalMemory<T>(work: () => T): T {
  holds++;
  try {
    return work();
  } finally {
    holds--;
    if (holds === 0) dropLargeInstance(RETAIN_BYTES);
  }
}

/** Drops an instance that no system holds and whose memory is above `retain` bytes. */
function dropLargeInstance(retain: number): void {
  if (instance && tenant === null && instance.memory.buffer.byteLength > retain) {
    instance = undefined;
    f64 = new Float64Array(0);
    i32 = new Int32Array(0);
  }
}

/**
 * The instance, made again when a released tenant dropped it while another system was still
 * solving (that one moves in again from its saved matrices).
 */
function current(): NormalExports {
  instance ??= fresh(newKernelInstance(true));
  if (instance === null) throw new Error('WebAssembly is no longer available for the normal equations');
  return instance;
}

/** A new instance (its memory all zero past the first page), or null. */
function fresh(exports: WebAssembly.Exports | null): NormalExports | null {
  dirtyBytes = 65536;
  return exports as unknown as NormalExports | null;
}

/** Bytes of the normal equations' instance memory (0 when there is none): for the tests. */
export function normalInstanceBytes(): number {
  return instance ? instance.memory.buffer.byteLength : 0;
}

/** Operation counts of the last call (kkt.ts adds them to opCounts). */
export interface NormalCounts {
  solves: number;
  matVecs: number;
}

/** M = A D A^T's factorisation and solves for one NormalEquations, in the rented instance. */
export class WasmNormal {
  private readonly m: number;
  private readonly pattern: NormalPattern | null;
  /** The caller's M (lower triangle from the builder); the mirrored M is saved back here on moving out. */
  private readonly M: Float64Array;
  /** The factor while another tenant has the instance (zeros before the first factorisation). */
  private savedL: Float64Array | null = null;
  /** Whether the instance's M (or this.M after a moveOut) is the assembled one: set by factor. */
  private mInWasm = false;
  private readonly bytes: number;
  /** Offsets in the instance's memory: i32 slots for the patterns, f64 slots for the rest. */
  private readonly at: {
    perm: number;
    rowPtr: number;
    cols: number;
    mRowPtr: number;
    mCols: number;
    twins: number;
    progI: number;
    aRowPtr: number;
    aColIdx: number;
    tColPtr: number;
    tRowIdx: number;
    aValues: number;
    tValues: number;
    opX: number;
    opY: number;
    M: number;
    L: number;
    w: number;
    r: number;
    d: number;
    x: number;
    b: number;
    progF: number;
    pcgTable: number;
    pcgW: number;
    pcgR: number;
    pcgZ: number;
    pcgP: number;
    pcgAP: number;
    pcgT2: number;
  };
  /** The blocks of the conjugate gradients run here (null: ipm.ts runs them). */
  private readonly pcgBlocks: PcgBlock[] | null;
  /** Per pcg block: a PSD block's Schur program block (its G), or the f64 slot of a nonnegative cone's x (its z follows). */
  private readonly pcgSources: (ProgramBlock | number)[];
  /** The real PSD blocks among them (each costs two products per application of D). */
  readonly pcgPsdBlocks: number;
  readonly pcgCounts: PcgCounts = { apps: 0, solves: 0, matVecs: 0 };
  /** The matrix cones' Schur blocks, assembled here after the caller's part of M (null: the caller builds all of M). */
  private readonly program: SchurProgram | null;
  private readonly op: Operator | null;
  readonly counts: NormalCounts = { solves: 0, matVecs: 0 };

  private constructor(m: number, pattern: NormalPattern | null, M: Float64Array, program: SchurProgram | null, op: Operator | null, pcg: PcgBlock[] | null) {
    this.m = m;
    this.pattern = pattern;
    this.M = M;
    this.program = program;
    this.op = op;
    this.pcgBlocks = pcg;
    // the fused kernels' scratch slots for the largest block come first (pcg's applyD runs there)
    let i = 0;
    for (const b of pcg ?? []) if (b.kind === 'psd') i = Math.max(i, 2 * fusedNeed(b.n));
    const take = (len: number) => ((i += len), i - len);
    const perm = take(pattern ? m : 0);
    const rowPtr = take(pattern ? m + 1 : 0);
    const cols = take(pattern ? pattern.cols.length : 0);
    const mRowPtr = take(pattern ? m + 1 : 0);
    const mCols = take(pattern ? pattern.mCols.length : 0);
    const twins = take(pattern ? m >> 1 : 0);
    const progI = take(program ? program.ints.length : 0);
    const aRowPtr = take(op ? op.A.rowPtr.length : 0);
    const aColIdx = take(op ? op.A.colIdx.length : 0);
    const tColPtr = take(op ? op.At.colPtr.length : 0);
    const tRowIdx = take(op ? op.At.rowIdx.length : 0);
    const pcgTable = take(pcg ? 6 * pcg.length : 0);
    let f = Math.ceil(i / 2);
    const slot = (len: number) => ((f += len), f - len);
    const mm = m * m;
    this.at = {
      perm,
      rowPtr,
      cols,
      mRowPtr,
      mCols,
      twins,
      progI,
      aRowPtr,
      aColIdx,
      tColPtr,
      tRowIdx,
      M: slot(mm),
      L: slot(mm),
      w: slot(m),
      r: slot(m),
      d: slot(m),
      x: slot(m),
      b: slot(m),
      progF: slot(program ? program.floats.length : 0),
      aValues: slot(op ? op.A.values.length : 0),
      tValues: slot(op ? op.At.values.length : 0),
      opX: slot(op ? op.At.colPtr.length - 1 : 0),
      opY: slot(op ? op.A.rows : 0),
      pcgTable,
      pcgW: slot(pcg ? m : 0),
      pcgR: slot(pcg ? m : 0),
      pcgZ: slot(pcg ? m : 0),
      pcgP: slot(pcg ? m : 0),
      pcgAP: slot(pcg ? m : 0),
      pcgT2: slot(pcg && op ? op.At.colPtr.length - 1 : 0),
    };
    // the nonnegative cones' x and z, copied in before each pcg; the PSD blocks are the program's, in order
    let psd = 0;
    this.pcgSources = (pcg ?? []).map((b) => (b.kind === 'nonneg' ? slot(2 * b.dim) : (program as SchurProgram).blocks[psd++]!));
    this.pcgPsdBlocks = psd;
    this.bytes = 8 * f;
  }

  /**
   * A tenant for this M and pattern (null: the dense kernel), with the matrix cones' blocks
   * of M to assemble (`program`, made only when WebAssembly runs), or null when WebAssembly
   * is off, unavailable or too small.
   */
  static create(
    m: number,
    pattern: NormalPattern | null,
    M: Float64Array,
    program: () => SchurProgram | null,
    op: Operator | null,
    pcg: PcgBlock[] | null = null,
  ): WasmNormal | null {
    if (!wasmKernelsActive()) return null;
    instance ??= fresh(newKernelInstance());
    if (instance === null) return null;
    const prog = program();
    // the conjugate gradients here only when every cone is one of the program's real blocks
    const psd = pcg ? pcg.filter((b) => b.kind === 'psd').length : 0;
    const runsPcg = pcgEnabled && pcg !== null && op !== null && prog !== null && prog.blocks.length === psd && prog.blocks.every((b) => b.kind === 0);
    const w = new WasmNormal(m, pattern, M, prog, op, runsPcg ? pcg : null);
    return w.bytes <= MAX_BYTES ? w : null;
  }

  /** Whether `pcg` runs here. */
  get runsPcg(): boolean {
    return this.pcgBlocks !== null;
  }

  /** Whether `factor` assembles the matrix cones' blocks (the caller then builds only the rest of M). */
  get assemblesBlocks(): boolean {
    return this.program !== null;
  }

  /**
   * Moves in (saving the previous tenant's matrices first); false when the memory cannot grow.
   * `restoreM`: write the saved M back (not when a factorisation is about to write a new one).
   */
  private moveIn(k: NormalExports, restoreM = true): boolean {
    if (tenant === this) return true;
    if (tenant !== null) tenant.moveOut();
    tenant = null;
    if (!growMemory(k.memory, this.bytes)) return false;
    // L's part of the memory never written by anyone: no need to zero it (nor to touch its pages)
    const lIsZero = 8 * this.at.L >= dirtyBytes;
    dirtyBytes = Math.max(dirtyBytes, this.bytes);
    if (f64.buffer !== k.memory.buffer) {
      f64 = new Float64Array(k.memory.buffer);
      i32 = new Int32Array(k.memory.buffer);
    }
    const { at, m, pattern: p } = this;
    if (p) {
      i32.set(p.perm, at.perm);
      i32.set(p.rowPtr, at.rowPtr);
      i32.set(p.cols, at.cols);
      i32.set(p.mRowPtr, at.mRowPtr);
      i32.set(p.mCols, at.mCols);
      for (let q = 0; q < m >> 1; q++) i32[at.twins + q] = p.twins[q];
    }
    if (this.program) {
      i32.set(this.program.ints, at.progI);
      f64.set(this.program.floats, at.progF);
    }
    const op = this.op;
    if (op) {
      i32.set(op.A.rowPtr, at.aRowPtr);
      i32.set(op.A.colIdx, at.aColIdx);
      i32.set(op.At.colPtr, at.tColPtr);
      i32.set(op.At.rowIdx, at.tRowIdx);
      f64.set(op.A.values, at.aValues);
      f64.set(op.At.values, at.tValues);
      const cols = op.At.colPtr.length - 1;
      k.opLayout(op.A.rows, cols, 4 * at.aRowPtr, 4 * at.aColIdx, 8 * at.aValues, 4 * at.tColPtr, 4 * at.tRowIdx, 8 * at.tValues, 8 * at.opX, 8 * at.opY);
    }
    const pcg = this.pcgBlocks;
    if (pcg) {
      pcg.forEach((b, q) => {
        const src = this.pcgSources[q]!;
        const e = at.pcgTable + 6 * q;
        i32[e] = b.kind === 'psd' ? 0 : 1;
        i32[e + 1] = b.kind === 'psd' ? b.n : 0;
        i32[e + 2] = b.dim;
        i32[e + 3] = b.off;
        i32[e + 4] = typeof src === 'number' ? src : at.progF + src.gAt;
        i32[e + 5] = typeof src === 'number' ? src + b.dim : 0;
      });
      k.pcgLayout(pcg.length, 4 * at.pcgTable, at.pcgW, at.pcgR, at.pcgZ, at.pcgP, at.pcgAP, at.pcgT2);
    }
    // M is the instance's only once a factorisation put it there (before, this.M is the caller's)
    if (restoreM && this.mInWasm) f64.set(this.M, at.M);
    // the sparse factor never writes outside its pattern: those entries must read zero
    if (this.savedL) f64.set(this.savedL, at.L);
    else if (!lIsZero) f64.fill(0, at.L, at.L + m * m);
    k.neLayout(
      m,
      p ? 1 : 0,
      4 * at.perm,
      4 * at.rowPtr,
      4 * at.cols,
      4 * at.mRowPtr,
      4 * at.mCols,
      4 * at.twins,
      8 * at.M,
      8 * at.L,
      8 * at.w,
      8 * at.r,
      8 * at.d,
      8 * at.x,
      8 * at.b,
    );
    tenant = this;
    return true;
  }

  /**
   * The solve is over: nothing of this tenant is needed any more. The instance is dropped when
   * its memory is above `retain` bytes (the views with it, so that the memory can be collected),
   * unless a holdNormalMemory call keeps it for the next solve of the same design.
   */
  release(retain = RETAIN_BYTES): void {
    if (tenant === this) tenant = null;
    if (holds === 0) dropLargeInstance(retain);
  }

  private moveOut(): void {
    const { at, m } = this;
    const mm = m * m;
    if (this.mInWasm) this.M.set(f64.subarray(at.M, at.M + mm));
    this.savedL ??= new Float64Array(mm);
    this.savedL.set(f64.subarray(at.L, at.L + mm));
  }

  private rent(): NormalExports {
    const k = current();
    if (!this.moveIn(k)) throw new Error('the normal equations no longer fit in WebAssembly memory');
    return k;
  }

  /**
   * NormalEquations.factor: `fill` writes M's lower triangle (all of it, or the part outside
   * the matrix cones when `assemblesBlocks`: their blocks are added here at their cones'
   * current G, in the order SchurBuilder.build adds them) straight into this instance's M, so
   * that the m x m array is not written in JavaScript and copied over at every iteration. The
   * replaced pivots, or -1 when the factorisation broke down; false instead (and `fill` not
   * called) when the memory cannot hold it: the caller then stays TypeScript.
   */
  factor(regRel: number, fill: (M: Float64Array) => void): number | false {
    const k = current();
    if (!this.moveIn(k, false)) return false;
    const { at, program, m } = this;
    // nothing in `fill` touches this instance, so the view stays valid while it runs
    fill(f64.subarray(at.M, at.M + m * m));
    this.mInWasm = true;
    if (program) {
      const ib = 4 * at.progI;
      const fb = 8 * at.progF;
      for (const blk of program.blocks) {
        this.writeScaling(blk);
        if (blk.kind === 0) k.sbPsd(ib, fb, blk.header);
        else k.sbHerm(ib, fb, blk.header);
      }
    }
    return k.neFactor(regRel);
  }

  /** A matrix cone's current G (real, or real and imaginary parts) into its slots of the Schur program. */
  private writeScaling(blk: ProgramBlock): void {
    let to = this.at.progF + blk.gAt;
    for (const g of blk.g) {
      f64.set(g, to);
      to += g.length;
    }
  }

  /** NormalEquations.solve: M x = b with up to `refine` refinement steps. */
  solve(b: Float64Array, x: Float64Array, refine: number): void {
    const k = this.rent();
    const { at, m } = this;
    f64.set(b.subarray(0, m), at.b);
    k.neSolve(refine);
    x.set(f64.subarray(at.x, at.x + m));
    this.counts.solves = k.NE_SOLVES.value as number;
    this.counts.matVecs = k.NE_MATVECS.value as number;
  }

  /** y = A x (ipm.ts mulA's sums); only for a tenant made with the operator. */
  mulA(x: Float64Array, y: Float64Array): void {
    const k = this.rent();
    const { at } = this;
    const op = this.op as Operator;
    const n = op.At.colPtr.length - 1;
    f64.set(x.subarray(0, n), at.opX);
    k.opMulA();
    y.set(f64.subarray(at.opY, at.opY + op.A.rows));
  }

  /** x = A^T y (ipm.ts mulAt's sums); only for a tenant made with the operator. */
  mulAt(y: Float64Array, x: Float64Array): void {
    const k = this.rent();
    const { at } = this;
    const op = this.op as Operator;
    const n = op.At.colPtr.length - 1;
    f64.set(y.subarray(0, op.A.rows), at.opY);
    k.opMulAt();
    x.set(f64.subarray(at.opX, at.opX + n));
  }

  /**
   * ipm.ts pcgSolve (A D A^T w = rhs by conjugate gradients, M's factor the preconditioner)
   * in this instance, as it runs there, the same bits; only when `runsPcg`. The scaling is the
   * one of the last `factor` (the program's G), which is the cones' current one.
   */
  pcg(rhs: Float64Array, w: Float64Array, maxSteps: number, idleSteps: number, startRefine: number): void {
    const k = this.rent();
    const { at, m } = this;
    f64.set(rhs.subarray(0, m), at.b);
    // the cones' current scaling: each block's G (as `factor` writes it; again here so that a
    // tenant that moved in since, which rewrites the program's pool, cannot leave a stale one)
    // and each nonnegative cone's point
    (this.pcgBlocks as PcgBlock[]).forEach((b, q) => {
      const src = this.pcgSources[q]!;
      if (typeof src !== 'number') this.writeScaling(src);
      else if (b.kind === 'nonneg') {
        f64.set(b.x, src);
        f64.set(b.z, src + b.dim);
      }
    });
    k.pcgRun(maxSteps, idleSteps, startRefine);
    w.set(f64.subarray(at.pcgW, at.pcgW + m));
    this.pcgCounts.apps = k.PCG_APPS.value as number;
    this.pcgCounts.solves = k.PCG_SOLVES.value as number;
    this.pcgCounts.matVecs = k.PCG_MATVECS.value as number;
  }

  /** The M of the last factorisation (mirrored, the matrix cones' blocks included) into `to`. */
  copyM(to: Float64Array): void {
    if (!this.mInWasm) {
      if (to !== this.M) to.set(this.M);
      return;
    }
    this.rent();
    const { at, m } = this;
    to.set(f64.subarray(at.M, at.M + m * m));
  }

  /** NormalEquations.precond: z = (L L^T)^{-1} r. */
  precond(r: Float64Array, z: Float64Array): void {
    const k = this.rent();
    const { at, m } = this;
    f64.set(r.subarray(0, m), at.x);
    k.nePrecond();
    z.set(f64.subarray(at.x, at.x + m));
    this.counts.solves = k.NE_SOLVES.value as number;
    this.counts.matVecs = 0;
  }
}
