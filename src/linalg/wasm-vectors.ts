/**
 * The interior-point loop's n-vectors in WebAssembly memory.
 *
 * Why. A fresh process runs the loop's vector updates (dot products, axpy and the like over the
 * ~400 entries of the paper's SDP, a few dozen per iteration) in V8's interpreter for most of
 * its first solve, at ~0.2 us an entry over a loop's first calls (0.001 us optimised);
 * WebAssembly runs them compiled from the first call.
 * Typed arrays of the JavaScript heap cannot be handed to WebAssembly without copying them, so
 * one run's vectors are views on the memory of a kernels instance of their own (`VectorSpace`),
 * and the functions of vector-ops.ts and real-dense.ts take the WebAssembly path exactly when
 * all their operands live there (`vectorKernels`). Each WebAssembly function is the TypeScript
 * loop expression for expression (wasm/kernels.ts, vDot and after): the same bits either way.
 *
 * The matrix cones put their scalings and directions in the same memory (hpsd.ts, psd.ts:
 * `ResidentCone`), after the slots the kernels use for the largest of them (`acquire`'s
 * `reserve`), so that their fused operations run in place (cone-group.ts: one call per run of
 * same-order cones).
 *
 * One space is held at a time (per thread); a run that finds it held, or no WebAssembly, gets
 * an ordinary arena and the TypeScript loops. The memory is grown once, before any view is
 * made, and never while a run holds it (a grown memory would detach the views).
 */
import { Arena } from './arena.ts';
import { growMemory, newKernelInstance, wasmDisabled } from './wasm-kernels.ts';

/** The vector functions of wasm/kernels.ts (offsets in f64 slots of the instance's memory). */
export interface VectorKernels {
  memory: WebAssembly.Memory;
  vDot(x: number, y: number, n: number): number;
  vAxpy(a: number, x: number, y: number, n: number): void;
  vAxmy(a: number, x: number, y: number, out: number, n: number): void;
  vXmy(x: number, y: number, out: number, n: number): void;
  vNeg(x: number, out: number, n: number): void;
  vDirResidual(eta: number, rp: number, tm: number, b: number, dtau: number, e1: number, n: number): number;
  vXpay(x: number, a: number, y: number, out: number, n: number): void;
  vAxmymz(a: number, x: number, y: number, z: number, out: number, n: number): void;
  vAddXpaw(x: number, a: number, w: number, y: number, n: number): void;
  vDzOf(eta: number, rd: number, c: number, dtau: number, atp: number, atq: number, dz: number, n: number): void;
  vSumSqOfSum(x: number, y: number, n: number): number;
}

/**
 * The matrix cones' fused operations on operands resident in the space's memory
 * (wasm/kernels.ts scalingAt and after; `complex` 1 for the Hermitian cone, 0 for the real
 * one; src/conic/cones/hpsd.ts and psd.ts place their matrices there).
 */
export interface ResidentConeKernels {
  scalingAt(complex: number, n: number, dim: number, x: number, z: number, sc: number): number;
  applyDAt(complex: number, n: number, dim: number, sc: number, v: number, out: number): void;
  dxFromDzAt(complex: number, n: number, dim: number, sc: number, ud: number, wdx: number, wdz: number, dz: number, out: number): void;
  correctDirAt(complex: number, n: number, dim: number, sc: number, wdx: number, wdz: number, w: number, out: number): void;
  rhsAt(complex: number, n: number, sigmaMu: number, corrector: number, dim: number, sc: number, ud: number, wdx: number, wdz: number, out: number): void;
  stepAt(complex: number, n: number, y: number, sc: number, enough: number): number;
  centralityAt(
    complex: number,
    n: number,
    alpha: number,
    lo: number,
    hi: number,
    dim: number,
    sc: number,
    ud: number,
    wdx: number,
    wdz: number,
    out: number,
  ): number;
  /** Whether the last Hermitian step solved for eigenvalues (an exported global). */
  STEP_EIG: WebAssembly.Global;
}

/** A matrix cone's operands placed in a space: its kernels, the memory, and the f64 slots of its scaling block, wdx, wdz and ud. */
export interface ResidentCone {
  k: ResidentConeKernels;
  buf: ArrayBufferLike;
  sc: number;
  wdx: number;
  wdz: number;
  ud: number;
}

/** Whether the arrays live in the memory the resident cone's matrices live in (then its in-place operations run). */
export function residentHolds(r: Pick<ResidentCone, 'buf'>, a: Float64Array, b?: Float64Array): boolean {
  return a.buffer === r.buf && (b === undefined || b.buffer === r.buf);
}

/** The memory of the space a run holds (null: none held), and its kernels. */
let heldBuffer: ArrayBuffer | null = null;
let held: VectorKernels | null = null;
/** A released instance, kept for the next run while its memory is small. */
let idle: VectorKernels | null = null;
/** An idle instance above this many bytes is dropped (its memory cannot shrink). */
const RETAIN_BYTES = 16 * 2 ** 20;

/**
 * The kernels when every array lives in the held space, else null (the caller's TypeScript
 * loop runs). The arrays' offsets are then their byteOffset / 8.
 */
export function vectorKernels(a: Float64Array, b?: Float64Array, c?: Float64Array, d?: Float64Array): VectorKernels | null {
  const buf = heldBuffer;
  if (buf === null || a.buffer !== buf) return null;
  if (b !== undefined && b.buffer !== buf) return null;
  if (c !== undefined && c.buffer !== buf) return null;
  if (d !== undefined && d.buffer !== buf) return null;
  return held;
}

/** The f64 slot of an array of the held space. */
export function slotOf(a: Float64Array): number {
  return a.byteOffset >>> 3;
}

/**
 * Zeroed n-vectors for one run: views on WebAssembly memory while this run holds the space,
 * else an ordinary arena's arrays. `release` gives the space back (its views must not be used
 * after it: the next run's vectors take the same memory).
 */
export class VectorSpace {
  private used: number;
  private constructor(
    private readonly k: VectorKernels | null,
    private readonly arena: Arena | null,
    reserve: number,
  ) {
    this.used = 8 * reserve;
  }

  /**
   * A space for `doubles` doubles (each array rounded up to an even count, for the SIMD
   * lanes), after `reserve` doubles left to the kernels' fixed slots (the fused operations of
   * the largest matrix cone placed here, src/linalg/wasm-kernels.ts fusedNeed).
   */
  static acquire(doubles: number, reserve = 0): VectorSpace {
    const reserved = 2 * Math.ceil(reserve / 2);
    const k = heldBuffer === null ? takeInstance(8 * Math.ceil(reserved + doubles + 64)) : null;
    if (k === null) return new VectorSpace(null, new Arena(doubles), 0);
    held = k;
    heldBuffer = k.memory.buffer;
    return new VectorSpace(k, null, reserved);
  }

  /** The kernels of the space's memory, for operands placed here (null: an ordinary arena). */
  get coneKernels(): ResidentConeKernels | null {
    return this.k as unknown as ResidentConeKernels | null;
  }

  /** Whether the array lives in this space's WebAssembly memory. */
  holds(a: Float64Array): boolean {
    return this.k !== null && a.buffer === this.k.memory.buffer;
  }

  /** A zeroed Float64Array of length n. */
  f64(n: number): Float64Array {
    if (this.arena) return this.arena.f64(n);
    const k = this.k as VectorKernels;
    const bytes = 8 * (n + (n & 1));
    if (this.used + bytes > k.memory.buffer.byteLength) return new Float64Array(n); // not in the space: TypeScript loops
    const v = new Float64Array(k.memory.buffer, this.used, n);
    v.fill(0);
    this.used += bytes;
    return v;
  }

  /** Gives the space back (the next run reuses its memory). */
  release(): void {
    if (this.k === null || held !== this.k) return;
    held = null;
    heldBuffer = null;
    idle = this.k.memory.buffer.byteLength <= RETAIN_BYTES ? this.k : null;
  }
}

/** An instance with at least `bytes` of memory, or null (no WebAssembly, or too large). */
function takeInstance(bytes: number): VectorKernels | null {
  if (wasmDisabled()) return null;
  let k = idle;
  idle = null;
  k ??= newKernelInstance() as unknown as VectorKernels | null;
  if (k === null) return null;
  return growMemory(k.memory, bytes) ? k : null;
}
