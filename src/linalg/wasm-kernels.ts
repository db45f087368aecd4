/**
 * The cones' kernels compiled to WebAssembly (wasm/kernels.ts): for the Hermitian cone the
 * complex products, Cholesky factorisation and eigensolver; for the real PSD cone the
 * products, sandwich, Cholesky and symmetric eigensolver; and, each in one call, both cones'
 * step lengths, fused operations (fusedConeOp), NT scalings (scalingWasm) and centrality
 * correctors (centralityWasm), and A A^T's factor. Each is the same algorithm as its
 * TypeScript twin (src/conic/cones/hermitian-kernels.ts, src/linalg/real-dense.ts,
 * real-eig.ts) operation for operation, so both paths give the same bits
 * (test/linalg/wasm-kernels.test.ts checks that). Orders of 1 and up all go to WebAssembly:
 * keeping the 4 x 4 blocks of the design SDPs in TypeScript was measured and made no
 * difference.
 *
 * Why: a process's first solve runs the TypeScript kernels interpreted until V8 has optimised
 * them; WebAssembly is compiled before its first call. Measured in docs/solver.md
 * ("WebAssembly kernels"). The TypeScript path stays: it is the fallback where WebAssembly
 * (with 128-bit SIMD) is unavailable, or when turned off (`NETISAC_WASM=0`,
 * `setWasmDisabled`), and the tests run both.
 *
 * One instance per thread (module scope), shared by every cone: calls are synchronous, the
 * operands are copied in and the result out, so nobody holds a view into its memory across a
 * call (growing the memory detaches views).
 */
import { KERNELS_WASM } from './wasm-kernels-binary.ts';
import { opCounts } from './op-counts.ts';

interface Kernels {
  memory: WebAssembly.Memory;
  outOffset(n: number): number;
  eig(n: number, vectors: number): number;
  chol(n: number): number;
  mul(n: number): void;
  mulHN(n: number): void;
  mulNHHerm(n: number): void;
  sandwich(n: number): void;
  rMul(n: number): void;
  rMulTN(n: number): void;
  rMulNT(n: number): void;
  rMulNTSym(n: number): void;
  rSandwich(n: number): void;
  rChol(n: number): number;
  rEig(n: number, vectors: number): number;
  aatLower(n: number, m: number, colPtr: number, rowIdx: number, values: number, L: number): void;
  hStep(n: number, enough: number): number;
  rStep(n: number, enough: number): number;
  /** Whether the last hStep solved for eigenvalues (an exported global). */
  STEP_EIG: WebAssembly.Global;
  hApplyD(n: number): void;
  hDxFromDz(n: number): void;
  hCorrectDir(n: number): void;
  hRhs(n: number, sigmaMu: number, corrector: number): void;
  rApplyD(n: number): void;
  rDxFromDz(n: number): void;
  rCorrectDir(n: number): void;
  rRhs(n: number, sigmaMu: number, corrector: number): void;
  hScaling(n: number): number;
  rScaling(n: number): number;
  hCentrality(n: number, alpha: number, lo: number, hi: number): number;
  rCentrality(n: number, alpha: number, lo: number, hi: number, dim: number): number;
  cholNormalAt(a: number, n: number, tiny: number): number;
  cholSolveIn(l: number, n: number, b: number): void;
  vScaledNorm(x: number, n: number): number;
  rowScaledNorms(rowPtr: number, values: number, rows: number, norm: number, count: number): void;
  csrValid(rows: number, n: number, rowPtr: number, colIdx: number, values: number, c: number, b: number): number;
}

/** A complex n x n matrix as the kernels take it (row-major real and imaginary parts). */
interface Cm {
  re: Float64Array;
  im: Float64Array;
}

export type Product = 'mul' | 'mulHN' | 'mulNHHerm' | 'sandwich';
export type RealProduct = 'rMul' | 'rMulTN' | 'rMulNT' | 'rMulNTSym' | 'rSandwich';

let kernels: Kernels | null | undefined;
let heap = new Float64Array(0);
let disabled = typeof process !== 'undefined' && process.env?.NETISAC_WASM === '0';

/**
 * Views of the operand and result slots for one order n, made once (a view per call would be
 * an allocation per call): A, B, C as in wasm/kernels.ts, and the eigensolver's d and v.
 */
interface Slots {
  a: Cm;
  b: Cm;
  c: Cm;
  d: Float64Array;
  v: Cm;
  /** The real kernels' operands (A, B, C) and eigensolver output (V, d). */
  ra: Float64Array;
  rb: Float64Array;
  rc: Float64Array;
  rV: Float64Array;
  rd: Float64Array;
}
let slotsByOrder: (Slots | undefined)[] = [];
/** The largest order the memory holds. */
let fitsOrder = 0;
/**
 * The f64 slots the kernels of wasm/kernels.ts use for order n (operands, results and
 * scratch of the largest, the complex sandwich and eigensolver), in doubles (no i32 wrap).
 */
function slotCount(n: number): number {
  return 8 * n * n + 9 * n;
}
/** wasm32 memory ends at 4 GiB; larger orders stay TypeScript. */
export const MAX_BYTES = 2 ** 32 - 65536;

/** Turns the WebAssembly path off (true) or back on: the tests and benchmarks of the fallback. */
export function setWasmDisabled(off: boolean): void {
  disabled = off;
}

/** Whether the WebAssembly path is turned off (setWasmDisabled, or NETISAC_WASM=0). */
export function wasmDisabled(): boolean {
  return disabled;
}

/**
 * The binary's bytes: Node's Buffer decodes them in 0.3 ms, where atob with a per-byte
 * callback took 3.3 ms of a process's first solve (it runs interpreted); browsers take atob.
 */
export function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const NodeBuffer = (globalThis as { Buffer?: { from(s: string, encoding: 'base64'): Uint8Array<ArrayBuffer> } }).Buffer;
  if (NodeBuffer) return NodeBuffer.from(b64, 'base64');
  const text = atob(b64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

let compiled: WebAssembly.Module | null | undefined;

/**
 * A fresh instance of the kernels' module (compiled once per thread), or null when
 * WebAssembly is off (unless `evenIfDisabled`: a system already solving there goes on there)
 * or unavailable. The normal equations (src/conic/kkt-wasm.ts) keep their
 * factor in an instance of their own, since the cones' kernels overwrite this one's memory.
 */
export function newKernelInstance(evenIfDisabled = false): WebAssembly.Exports | null {
  if (disabled && !evenIfDisabled) return null;
  try {
    if (compiled === undefined) compiled = new WebAssembly.Module(decodeBase64(KERNELS_WASM));
    return compiled === null ? null : new WebAssembly.Instance(compiled, {}).exports;
  } catch {
    // no WebAssembly or no SIMD, or a browser that refuses to compile synchronously
    compiled = null;
    return null;
  }
}

/**
 * Takes a module compiled from this binary elsewhere, when none is compiled yet: the command
 * line compiles it off the main thread while its bundle loads (src/cli/launch.ts), so the first
 * solve does not decode and validate it (about 1 ms of a paper-scale first solve). null (that
 * compile failed) leaves the compile here as before. Whether it was taken.
 */
export function adoptKernelModule(m: WebAssembly.Module | null): boolean {
  if (compiled !== undefined || m === null) return false;
  compiled = m;
  return true;
}

function instantiate(): Kernels | null {
  return newKernelInstance() as unknown as Kernels | null;
}

/** The kernels with memory for order n, or null when WebAssembly is off or unavailable. */
function kernelsFor(n: number): Kernels | null {
  if (disabled) return null;
  if (kernels === undefined) kernels = instantiate();
  if (kernels === null) return null;
  // only this function grows the memory, so the views stay valid until n outgrows them
  // (reading memory.buffer on every call cost 1.6 % of a three-target solve)
  if (n > fitsOrder && !holdBytes(kernels, slotCount(n) * 8)) return null;
  return kernels;
}

/** Grows `memory` to at least `bytes` (false when beyond wasm32's 4 GiB or refused). */
export function growMemory(memory: WebAssembly.Memory, bytes: number): boolean {
  if (bytes > MAX_BYTES) return false;
  const have = memory.buffer.byteLength;
  if (bytes <= have) return true;
  try {
    memory.grow(Math.ceil((bytes - have) / 65536));
    return true;
  } catch {
    return false;
  }
}

/**
 * Grows the memory to hold `bytes` (false when beyond what wasm32 addresses: the caller stays
 * TypeScript) and remakes the views if it grew; only this function grows it, so the views stay
 * valid until then (reading memory.buffer on every call cost 1.6 % of a three-target solve).
 */
function holdBytes(k: Kernels, bytes: number): boolean {
  if (!growMemory(k.memory, bytes)) return false;
  // the views are stale only when the memory grew (its buffer is then a new one)
  if (heap.buffer !== k.memory.buffer) {
    heap = new Float64Array(k.memory.buffer);
    slotsByOrder = [];
  }
  while (slotCount(fitsOrder + 1) <= heap.length) fitsOrder++;
  return true;
}

/**
 * The lower triangle of A A^T (A^T in compressed columns, n columns, m rows) into L (m x m,
 * zeroed by the caller) and its Cholesky factor as choleskyNormal(L, m, tiny) makes it, in
 * this instance's memory as scratch (nothing of the cones' kernels lives across a call):
 * the number of replaced pivots, -1 on NaN/Inf, null when not taken to WebAssembly. The same
 * bits as kkt.ts' AAtSolver.create (test/conic/kkt-wasm.test.ts).
 */
export function aatCholWasm(n: number, m: number, colPtr: Int32Array, rowIdx: Int32Array, values: Float64Array, tiny: number, L: Float64Array): number | null {
  const k = kernelsFor(1);
  const nnz = colPtr[n];
  // f64 slots: L (m^2), values (nnz), then the i32 arrays (colPtr n + 1, rowIdx nnz) in f64 slots' room
  const lSlots = m * m;
  const intSlots = Math.ceil((n + 1 + nnz) / 2);
  if (k === null || !holdBytes(k, 8 * (lSlots + nnz + intSlots))) return null;
  const ints = new Int32Array(k.memory.buffer);
  const valuesAt = lSlots;
  const colPtrAt = 2 * (lSlots + nnz);
  const rowIdxAt = colPtrAt + n + 1;
  heap.fill(0, 0, lSlots);
  heap.set(values.subarray(0, nnz), valuesAt);
  ints.set(colPtr.subarray(0, n + 1), colPtrAt);
  ints.set(rowIdx.subarray(0, nnz), rowIdxAt);
  k.aatLower(n, m, 4 * colPtrAt, 4 * rowIdxAt, 8 * valuesAt, 0);
  const fixed = k.cholNormalAt(0, m, tiny);
  L.set(heap.subarray(0, lSlots));
  return fixed;
}

/**
 * real-dense.ts cholSolve (b = (L L^T)^{-1} b in place, L n x n) in this instance's memory as
 * scratch: L and b copied in, b out. False (nothing done) below CHOL_SOLVE_MIN or when not
 * taken to WebAssembly. The same bits as the TypeScript loop (test/linalg/wasm-kernels.test.ts).
 *
 * Why: the one dense solve left in TypeScript inside the loop is the projection of an inexact
 * direction (kkt.ts AAtSolver, order m): a rare path that therefore runs interpreted, ~0.3 ms
 * a call at m = 136 in a fresh process (SDPLIB qap5: 4.5 of its 75 ms). The copy of L is
 * O(m^2) like the solve, and native.
 */
export function cholSolveWasm(l: Float64Array, n: number, b: Float64Array): boolean {
  const k = n >= CHOL_SOLVE_MIN ? kernelsFor(1) : null;
  const nn = n * n;
  if (k === null || !holdBytes(k, 8 * (nn + n))) return false;
  heap.set(l.subarray(0, nn));
  heap.set(b.subarray(0, n), nn);
  k.cholSolveIn(0, n, 8 * nn);
  b.set(heap.subarray(nn, nn + n));
  return true;
}

/** Below this order cholSolve stays in TypeScript (copying in and out costs what the loop saves). */
export const CHOL_SOLVE_MIN = 16;

/**
 * Below this many entries the scans (these below, src/conic/scans-wasm.ts and sdpa-wasm.ts)
 * stay in TypeScript: copying in costs more than the loop there saves. Above it a fresh
 * process's first solve gains most (the loop runs interpreted there; SDPLIB infd1's 5,115
 * entries took ~3.5 ms of its set-up that way).
 */
export const SCAN_MIN = 256;

/**
 * The kernels with `bytes` of memory for a scan, or null (WebAssembly off, or more than
 * SCRATCH_MAX_BYTES: a memory grown for one large scan stays that large for the thread's life,
 * it cannot shrink).
 */
function scanKernels(bytes: number): Kernels | null {
  if (!(bytes <= SCRATCH_MAX_BYTES)) return null;
  const k = kernelsFor(1);
  return k !== null && holdBytes(k, bytes) ? k : null;
}

/**
 * max |v_i| * sqrt(sum (v_i / max)^2), the two passes of equilibrate.ts' scaledNorm, in this
 * instance's memory as scratch: the same bits (test/linalg/wasm-kernels.test.ts), or null when
 * not taken to WebAssembly.
 */
export function scaledNormWasm(v: Float64Array): number | null {
  const k = v.length >= SCAN_MIN ? scanKernels(8 * v.length) : null;
  if (k === null) return null;
  heap.set(v);
  return k.vScaledNorm(0, v.length);
}

/**
 * scaledNormWasm of each row of the CSR matrix (rowPtr, values) into norm, and each row's
 * count of nonzeros into count (equilibrate.ts' medianRatio); false when not taken there.
 */
export function rowScaledNormsWasm(rowPtr: Int32Array, values: Float64Array, rows: number, norm: Float64Array, count: Float64Array): boolean {
  const nnz = rowPtr[rows];
  // f64 slots: values (nnz), norm and count (rows each), then rowPtr (rows + 1 i32) in f64 slots' room
  const intAt = 2 * (nnz + 2 * rows);
  const k = nnz >= SCAN_MIN ? scanKernels(4 * (intAt + rows + 1)) : null;
  if (k === null) return false;
  heap.set(values.subarray(0, nnz));
  new Int32Array(k.memory.buffer).set(rowPtr.subarray(0, rows + 1), intAt);
  k.rowScaledNorms(4 * intAt, 0, rows, nnz, nnz + rows);
  norm.set(heap.subarray(nnz, nnz + rows));
  count.set(heap.subarray(nnz + rows, nnz + 2 * rows));
  return true;
}

/**
 * The most kernelScratch lends: larger scans stay TypeScript, whose arrays the collector frees
 * (about 800,000 entries of a real block's Schur program, 2 million of a certificate's scan).
 */
export const SCRATCH_MAX_BYTES = 64 * 2 ** 20;

/**
 * Byte offsets of a caller's arrays in kernelScratch's memory, laid out one after another (each
 * aligned to its element size); `bytes` is the total to ask for.
 */
export class ScratchLayout {
  bytes = 0;
  u8(count: number): number {
    return this.take(count, 1);
  }
  i32(count: number): number {
    return this.take(count, 4);
  }
  f64(count: number): number {
    return this.take(count, 8);
  }
  private take(count: number, each: number): number {
    this.bytes = each * Math.ceil(this.bytes / each);
    const at = this.bytes;
    this.bytes += count * each;
    return at;
  }
}

/**
 * The kernels' instance with at least `bytes` bytes of memory for a caller's own scan (its
 * exports and memory: src/conic/scans-wasm.ts lays its arrays out itself), or null when
 * WebAssembly is off or the memory cannot hold them. Nothing of the cones' kernels lives across
 * a call, so the whole memory is the caller's until its next kernel call.
 */
export function kernelScratch(bytes: number): WebAssembly.Exports | null {
  return scanKernels(bytes) as unknown as WebAssembly.Exports | null;
}

/**
 * Whether A (CSR, n columns, rowPtr of rows + 1 entries, colIdx and values at least rowPtr[rows]
 * long), c (n) and b (rows) pass prepare.ts validate's scan (rowPtr from 0 on and never
 * decreasing, columns in range, every value finite): true when they do, false when they do not
 * or when not taken to WebAssembly (the caller's loop then runs and names the fault).
 */
export function csrValidWasm(rows: number, n: number, rowPtr: Int32Array, colIdx: Int32Array, values: Float64Array, c: Float64Array, b: Float64Array): boolean {
  const nnz = rowPtr[rows];
  if (!(nnz >= SCAN_MIN)) return false;
  // f64 slots: values (nnz), c (n), b (rows); then rowPtr (rows + 1) and colIdx (nnz) as i32
  const intAt = 2 * (nnz + n + rows);
  const k = scanKernels(4 * (intAt + rows + 1 + nnz));
  if (k === null) return false;
  heap.set(values.subarray(0, nnz));
  heap.set(c.subarray(0, n), nnz);
  heap.set(b.subarray(0, rows), nnz + n);
  const ints = new Int32Array(k.memory.buffer);
  ints.set(rowPtr.subarray(0, rows + 1), intAt);
  ints.set(colIdx.subarray(0, nnz), intAt + rows + 1);
  return k.csrValid(rows, n, 4 * intAt, 4 * (intAt + rows + 1), 0, 8 * nnz, 8 * (nnz + n)) === 1;
}

function slotsFor(k: Kernels, n: number): Slots {
  let s = slotsByOrder[n];
  if (s === undefined) {
    const nn = n * n;
    const cm = (slot: number): Cm => ({ re: heap.subarray(slot, slot + nn), im: heap.subarray(slot + nn, slot + 2 * nn) });
    const out = k.outOffset(n);
    const real = (slot: number, len: number) => heap.subarray(slot, slot + len);
    s = {
      a: cm(0),
      b: cm(2 * nn),
      c: cm(4 * nn),
      d: heap.subarray(out, out + n),
      v: cm(out + n),
      ra: real(0, nn),
      rb: real(nn, nn),
      rc: real(2 * nn, nn),
      rV: real(nn, nn),
      rd: real(2 * nn, n),
    };
    slotsByOrder[n] = s;
  }
  return s;
}

/** Whether the WebAssembly kernels run (available and not turned off). */
export function wasmKernelsActive(): boolean {
  return kernelsFor(1) !== null;
}

/** Copies the first nn entries of m into the slot view `to` (m may be longer than n x n). */
function putReal(m: Float64Array, to: Float64Array, nn: number): void {
  to.set(m.length === nn ? m : m.subarray(0, nn));
}

/** Copies the complex n x n matrix m into the slot view `to`. */
function put(m: Cm, to: Cm, nn: number): void {
  putReal(m.re, to.re, nn);
  putReal(m.im, to.im, nn);
}

function take(from: Cm, m: Cm): void {
  m.re.set(from.re);
  m.im.set(from.im);
}

/** Copies a complex matrix, or a real one into the real part of the slot view `to`. */
function putMat(m: Mat, to: Cm, nn: number): void {
  if (m instanceof Float64Array) putReal(m, to.re, nn);
  else put(m, to, nn);
}

/** Copies the slot view `from` into a complex matrix, or its real part into a real one. */
function takeMat(from: Cm, m: Mat): void {
  if (m instanceof Float64Array) m.set(from.re);
  else take(from, m);
}

/** c = op(a, b) (see Product; for 'sandwich' c = a b a^H). False when WebAssembly is not available. */
export function productWasm(op: Product, a: Cm, b: Cm, c: Cm, n: number): boolean {
  const k = kernelsFor(n);
  if (k === null) return false;
  const s = slotsFor(k, n);
  put(a, s.a, n * n);
  put(b, s.b, n * n);
  k[op](n);
  take(s.c, c);
  return true;
}

/** In-place Cholesky a = L L^H: true / false as the TypeScript one, null when WebAssembly is not available. */
export function cholWasm(a: Cm, n: number): boolean | null {
  const k = kernelsFor(n);
  if (k === null) return null;
  const s = slotsFor(k, n);
  put(a, s.a, n * n);
  const ok = k.chol(n) === 1;
  take(s.a, a);
  return ok;
}

/**
 * Eigen-decomposition of the Hermitian matrix m (lower triangle read) into d (ascending) and,
 * when `vectors`, v (column j belongs to d[j]): true / false as the TypeScript solver (false:
 * NaN input or no convergence), null when WebAssembly is not available.
 */
export function eigWasm(m: Cm, n: number, vectors: boolean, d: Float64Array, v: Cm): boolean | null {
  const k = kernelsFor(n);
  if (k === null) return null;
  const s = slotsFor(k, n);
  put(m, s.a, n * n);
  if (k.eig(n, vectors ? 1 : 0) !== 1) return false;
  d.set(s.d);
  if (vectors) take(s.v, v);
  return true;
}

/** c = op(a, b) for the real kernels (rSandwich: c = a b a^T). False when not taken to WebAssembly. */
export function realProductWasm(op: RealProduct, a: Float64Array, b: Float64Array, c: Float64Array, n: number): boolean {
  const k = kernelsFor(n);
  if (k === null) return false;
  const s = slotsFor(k, n);
  putReal(a, s.ra, n * n);
  putReal(b, s.rb, n * n);
  k[op](n);
  c.set(s.rc);
  return true;
}

/** In-place real Cholesky a = L L^T: true / false as the TypeScript one, null when not taken to WebAssembly. */
export function realCholWasm(a: Float64Array, n: number): boolean | null {
  const k = kernelsFor(n);
  if (k === null) return null;
  const s = slotsFor(k, n);
  putReal(a, s.ra, n * n);
  const ok = k.rChol(n) === 1;
  a.set(s.ra);
  return ok;
}

/**
 * Symmetric eigen-decomposition (real-eig.ts eigSym) into d and, when `vectors`, V (row j
 * belongs to d[j]): true / false as the TypeScript one, null when not taken to WebAssembly.
 */
export function realEigWasm(a: Float64Array, n: number, vectors: boolean, d: Float64Array, V: Float64Array): boolean | null {
  const k = kernelsFor(n);
  if (k === null) return null;
  const s = slotsFor(k, n);
  putReal(a, s.ra, n * n);
  if (k.rEig(n, vectors ? 1 : 0) !== 1) return false;
  d.set(s.rd);
  if (vectors) V.set(s.rV);
  return true;
}

/**
 * The step length of a Hermitian cone (HpsdCone.stepOf): the largest alpha with
 * Lam + alpha Y >= 0, or `enough` once a Cholesky test shows it is at least that; one call
 * instead of the scaling loops, the test and the eigenvalue solve (the TypeScript ran them
 * interpreted in a first solve). Null when not taken to WebAssembly.
 */
export function hStepWasm(Y: Cm, sqrtLam: Float64Array, n: number, enough: number): number | null {
  const k = kernelsFor(n);
  if (k === null) return null;
  const s = slotsFor(k, n);
  put(Y, s.a, n * n);
  heap.set(sqrtLam.subarray(0, n), 4 * n * n);
  const step = k.hStep(n, enough);
  if (k.STEP_EIG.value === 1) opCounts.complexEigValues++;
  return step;
}

/** The same for a real PSD cone (PsdCone.stepOf). */
export function rStepWasm(Y: Float64Array, sqrtLam: Float64Array, n: number, enough: number): number | null {
  const k = kernelsFor(n);
  if (k === null) return null;
  const s = slotsFor(k, n);
  putReal(Y, s.ra, n * n);
  heap.set(sqrtLam.subarray(0, n), 2 * n * n);
  return k.rStep(n, enough);
}

/**
 * The fused Hermitian cone operations' slots for order n (wasm/kernels.ts fusedBase and after):
 * hvec in / out, a second factor, the scaled rhs, the direction's halves, lambda.
 */
interface FusedSlots {
  h0: Float64Array;
  h1: Float64Array;
  p: Cm;
  u: Cm;
  w1: Cm;
  w2: Cm;
  lam: Float64Array;
  /** The NT scalings' results (scalingWasm), made at the first scaling of each kind. */
  scaling: { complex?: ScalingViews; real?: ScalingViews };
}

/** Views on a scaling's seven matrices (a real one in the real part), lambda and sqrt(lambda). */
interface ScalingViews {
  mats: Cm[];
  lam: Float64Array;
  sqrtLam: Float64Array;
}
/** Orders above this stay with the separate calls: the fused slots' 32 n^2 would grow the memory for little. */
const FUSED_MAX_ORDER = 128;
/** Where the fused operations' slots start, and the scalings' after them (wasm/kernels.ts fusedBase, scalingBase). */
const fusedBase = (n: number) => 8 * n * n + 9 * n;
const scalingBase = (n: number) => fusedBase(n) + 10 * n * n + n;
let fusedByOrder: (FusedSlots | undefined)[] = [];
let fusedHeap: Float64Array | null = null;

/**
 * The f64 slots the fused operations of order n read and write from slot 0 (their slots and,
 * after them, the Hermitian scaling's: wasm/kernels.ts), or 0 above the order they take.
 */
export function fusedNeed(n: number): number {
  return n > FUSED_MAX_ORDER ? 0 : 32 * n * n + 12 * n;
}

/** The kernels with room for the fused operations of order n (32 n^2 + 12 n slots), or null. */
function fusedFor(n: number): { k: Kernels; f: FusedSlots } | null {
  if (n > FUSED_MAX_ORDER) return null;
  const k = kernelsFor(n);
  if (k === null) return null;
  const need = fusedNeed(n);
  if (heap.length < need && !holdBytes(k, 8 * need)) return null;
  if (fusedHeap !== heap) {
    fusedByOrder = [];
    fusedHeap = heap;
  }
  let f = fusedByOrder[n];
  if (f === undefined) {
    const nn = n * n;
    const base = fusedBase(n);
    const cm = (slot: number): Cm => ({ re: heap.subarray(slot, slot + nn), im: heap.subarray(slot + nn, slot + 2 * nn) });
    f = {
      h0: heap.subarray(base, base + nn),
      h1: heap.subarray(base + nn, base + 2 * nn),
      p: cm(base + 2 * nn),
      u: cm(base + 4 * nn),
      w1: cm(base + 6 * nn),
      w2: cm(base + 8 * nn),
      lam: heap.subarray(base + 10 * nn, base + 10 * nn + n),
      scaling: {},
    };
    fusedByOrder[n] = f;
  }
  return { k, f };
}

/** The fused cone operations (wasm/kernels.ts): h* for the Hermitian cone, r* for the real one. */
export type FusedOp = 'hApplyD' | 'hDxFromDz' | 'hCorrectDir' | 'hRhs' | 'rApplyD' | 'rDxFromDz' | 'rCorrectDir' | 'rRhs';
/** A fused operation's matrix slots: A (the products' first operand), P, U, W1, W2 (wasm/kernels.ts). */
export type FusedSlot = 'a' | 'p' | 'u' | 'w1' | 'w2';
/** A complex matrix, or a real one (held in the real part of its slot). */
export type Mat = Cm | Float64Array;

/** What one fused operation reads and writes besides its vector operand and result. */
export interface FusedIo {
  /** Matrices copied into their slots before the call. */
  ins: readonly (readonly [FusedSlot, Mat])[];
  /** Matrices copied out of their slots after it. */
  outs: readonly (readonly [FusedSlot, Mat])[];
  /** The rhs operations' lambda and kind (1: with the Mehrotra term). */
  lam?: Float64Array;
  corrector?: number;
}

/** The operands of every fused operation and of the centrality corrector, for one cone. */
export interface ConeIo {
  applyD: FusedIo;
  correctDir: FusedIo;
  dxFromDz: FusedIo;
  /** rhs without and with the Mehrotra term. */
  centring: FusedIo;
  corrector: FusedIo;
  centrality: { C: Mat; wdx: Mat; wdz: Mat; ud: Mat; lam: Float64Array };
}

/**
 * The operands of the fused operations as wasm/kernels.ts lays them out, for a cone with NT
 * point G, factor C (W^{-1} u = C u C^H), its adjoint Ch, the scaled direction's halves wdx,
 * wdz, the scaled rhs ud and lambda: the same for the Hermitian and the real cone. Built once
 * per cone (the matrices are the cone's own for its life): a first solve runs these calls
 * unoptimised, where making the descriptors per call cost about 1 ms.
 */
export function coneIo(G: Mat, C: Mat, Ch: Mat, wdx: Mat, wdz: Mat, ud: Mat, lam: Float64Array): ConeIo {
  const direction: readonly (readonly [FusedSlot, Mat])[] = [
    ['w1', wdx],
    ['w2', wdz],
  ];
  return {
    applyD: { ins: [['a', G]], outs: [] },
    correctDir: { ins: [['a', Ch], ['p', C], ...direction], outs: direction },
    dxFromDz: {
      ins: [
        ['a', Ch],
        ['p', C],
        ['u', ud],
      ],
      outs: [
        ['w1', wdz],
        ['w2', wdx],
      ],
    },
    centring: { ins: [['p', C]], outs: [['u', ud]], lam, corrector: 0 },
    corrector: { ins: [['p', C], ...direction], outs: [['u', ud]], lam, corrector: 1 },
    centrality: { C, wdx, wdz, ud, lam },
  };
}

function slotOf(k: Kernels, f: FusedSlots, n: number, slot: FusedSlot): Cm {
  return slot === 'a' ? slotsFor(k, n).a : f[slot];
}

/**
 * One fused cone operation of order n in one call: the `ins` into their slots, v[off .. off +
 * dim) (hvec or svec) into H0 when given, the kernel, the `outs` back, and H1 into out[off ..].
 * False when not taken to WebAssembly (the cone then runs its TypeScript).
 */
export function fusedConeOp(op: FusedOp, n: number, dim: number, io: FusedIo, v: Float64Array | null, out: Float64Array, off: number, sigmaMu = 0): boolean {
  const kf = fusedFor(n);
  if (kf === null) return false;
  const { f, k } = kf;
  const nn = n * n;
  const { ins, outs } = io;
  for (let i = 0; i < ins.length; i++) putMat(ins[i][1], slotOf(k, f, n, ins[i][0]), nn);
  if (v !== null) f.h0.set(v.subarray(off, off + dim));
  if (io.lam) f.lam.set(io.lam.subarray(0, n));
  if (op === 'hRhs' || op === 'rRhs') k[op](n, sigmaMu, io.corrector ?? 0);
  else k[op](n);
  for (let i = 0; i < outs.length; i++) takeMat(slotOf(k, f, n, outs[i][0]), outs[i][1]);
  out.set(f.h1.subarray(0, dim), off);
  return true;
}

/**
 * A cone's NT scaling in one call (wasm/kernels.ts hScaling, rScaling) from x and z (hvec or
 * svec at off): how far it got (4 done; 0-3 the step that failed, and then nothing is
 * written), or null when not taken to WebAssembly. `into` takes the kernel's seven matrices
 * in its order (Hermitian: L1, L2, S, V, C, C^H, G; real: L1, L2, S, V^T, C, C^T, G), then
 * lambda and sqrt(lambda).
 */
export function scalingWasm(
  complex: boolean,
  x: Float64Array,
  z: Float64Array,
  off: number,
  n: number,
  dim: number,
  into: readonly Mat[],
  lam: Float64Array,
  sqrtLam: Float64Array,
): number | null {
  const kf = fusedFor(n);
  if (kf === null) return null;
  const { f, k } = kf;
  f.h0.set(x.subarray(off, off + dim));
  f.h1.set(z.subarray(off, off + dim));
  const stage = complex ? k.hScaling(n) : k.rScaling(n);
  if (stage < 4) return stage;
  const views = complex ? (f.scaling.complex ??= scalingViews(n, true)) : (f.scaling.real ??= scalingViews(n, false));
  for (let i = 0; i < into.length; i++) takeMat(views.mats[i], into[i]);
  lam.set(views.lam);
  sqrtLam.set(views.sqrtLam);
  return stage;
}

/** The scaling region's views for order n (wasm/kernels.ts scalingBase): seven matrices of nn (real) or 2 nn (complex) slots, then lambda, sqrt(lambda). */
function scalingViews(n: number, complex: boolean): ScalingViews {
  const nn = n * n;
  const size = complex ? 2 * nn : nn;
  let at = scalingBase(n);
  const mats: Cm[] = [];
  for (let i = 0; i < 7; i++, at += size) mats.push({ re: heap.subarray(at, at + nn), im: heap.subarray(at + nn, at + size) });
  return { mats, lam: heap.subarray(at, at + n), sqrtLam: heap.subarray(at + n, at + 2 * n) };
}

/**
 * A cone's centrality corrector (HpsdCone / PsdCone.centrality) in one call: `ud` updated and
 * out[off ..] += the correction, as the TypeScript does. The stage reached (0 the eigensolver
 * failed, 1 nothing to correct, 2 done: only then is anything written), or null when not
 * taken to WebAssembly.
 */
export function centralityWasm(
  complex: boolean,
  n: number,
  dim: number,
  io: ConeIo['centrality'],
  alpha: number,
  lo: number,
  hi: number,
  out: Float64Array,
  off: number,
): number | null {
  const kf = fusedFor(n);
  if (kf === null) return null;
  const nn = n * n;
  const { f, k } = kf;
  putMat(io.C, f.p, nn);
  putMat(io.wdx, f.w1, nn);
  putMat(io.wdz, f.w2, nn);
  putMat(io.ud, f.u, nn);
  f.lam.set(io.lam.subarray(0, n));
  f.h0.set(out.subarray(off, off + dim));
  const stage = complex ? k.hCentrality(n, alpha, lo, hi) : k.rCentrality(n, alpha, lo, hi, dim);
  if (stage === 2) {
    takeMat(f.u, io.ud);
    out.set(f.h0.subarray(0, dim), off);
  }
  return stage;
}
