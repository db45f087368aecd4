/**
 * The Hermitian cone's dense kernels compiled to WebAssembly (wasm/hermitian.ts): the
 * eigensolver, the Cholesky factorisation and the complex products, each the same algorithm
 * as its TypeScript twin in src/conic/cones/hermitian-kernels.ts operation for operation, so
 * both paths give the same bits (test/linalg/wasm-hermitian.test.ts checks that).
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
import { HERMITIAN_WASM } from './wasm-hermitian-binary.ts';

interface Kernels {
  memory: WebAssembly.Memory;
  slots(n: number): number;
  outOffset(n: number): number;
  eig(n: number, vectors: number): number;
  chol(n: number): number;
  mul(n: number): void;
  mulHN(n: number): void;
  mulNHHerm(n: number): void;
  sandwich(n: number): void;
}

/** A complex n x n matrix as the kernels take it (row-major real and imaginary parts). */
interface Cm {
  re: Float64Array;
  im: Float64Array;
}

export type Product = 'mul' | 'mulHN' | 'mulNHHerm' | 'sandwich';

let kernels: Kernels | null | undefined;
let heap = new Float64Array(0);
let disabled = typeof process !== 'undefined' && process.env?.NETISAC_WASM === '0';

/** Turns the WebAssembly path off (true) or back on: the tests and benchmarks of the fallback. */
export function setWasmDisabled(off: boolean): void {
  disabled = off;
}

function instantiate(): Kernels | null {
  try {
    const bytes = Uint8Array.from(atob(HERMITIAN_WASM), (ch) => ch.charCodeAt(0));
    return new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as Kernels;
  } catch {
    // no WebAssembly or no SIMD, or a browser that refuses to compile synchronously
    return null;
  }
}

/** The kernels with memory for order n, or null when WebAssembly is off or unavailable. */
function kernelsFor(n: number): Kernels | null {
  if (disabled) return null;
  if (kernels === undefined) kernels = instantiate();
  if (kernels === null) return null;
  const bytes = kernels.slots(n) * 8;
  const have = kernels.memory.buffer.byteLength;
  if (bytes > have) kernels.memory.grow(Math.ceil((bytes - have) / 65536));
  if (heap.buffer !== kernels.memory.buffer) heap = new Float64Array(kernels.memory.buffer);
  return kernels;
}

/** Whether the WebAssembly kernels run (available and not turned off). */
export function wasmKernelsActive(): boolean {
  return kernelsFor(1) !== null;
}

function put(m: Cm, slot: number, nn: number): void {
  heap.set(m.re.subarray(0, nn), slot);
  heap.set(m.im.subarray(0, nn), slot + nn);
}

function take(slot: number, nn: number, m: Cm): void {
  m.re.set(heap.subarray(slot, slot + nn));
  m.im.set(heap.subarray(slot + nn, slot + 2 * nn));
}

/** c = op(a, b) (see Product; for 'sandwich' c = a b a^H). False when WebAssembly is not available. */
export function productWasm(op: Product, a: Cm, b: Cm, c: Cm, n: number): boolean {
  const k = kernelsFor(n);
  if (k === null) return false;
  const nn = n * n;
  put(a, 0, nn);
  put(b, 2 * nn, nn);
  k[op](n);
  take(4 * nn, nn, c);
  return true;
}

/** In-place Cholesky a = L L^H: true / false as the TypeScript one, null when WebAssembly is not available. */
export function cholWasm(a: Cm, n: number): boolean | null {
  const k = kernelsFor(n);
  if (k === null) return null;
  const nn = n * n;
  put(a, 0, nn);
  const ok = k.chol(n) === 1;
  take(0, nn, a);
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
  const nn = n * n;
  put(m, 0, nn);
  if (k.eig(n, vectors ? 1 : 0) !== 1) return false;
  const out = k.outOffset(n);
  d.set(heap.subarray(out, out + n));
  if (vectors) take(out + n, nn, v);
  return true;
}
