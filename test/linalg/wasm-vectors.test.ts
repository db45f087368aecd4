/**
 * The interior-point loop's vectors in WebAssembly memory (src/linalg/wasm-vectors.ts): every
 * vector operation gives the TypeScript loop's bits there (aliased outputs included), a
 * second run while the space is held gets ordinary arrays, and the space comes back zeroed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { VectorSpace, vectorKernels } from '../../src/linalg/wasm-vectors.ts';
import { addXpaw, axmy, axmymz, axpy, xmy, xpay } from '../../src/linalg/vector-ops.ts';
import { dot, norm2 } from '../../src/linalg/real-dense.ts';
import { setWasmDisabled } from '../../src/linalg/wasm-kernels.ts';
import { rng } from '../conic/helpers.ts';

afterEach(() => setWasmDisabled(false));

/** Runs every operation on five vectors and returns what they produced. */
type Five = [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];

function runAll(v: Five, n: number, a: number): number[][] {
  const [x, y, z, w, out] = v;
  const scalars = [dot(x, y, n), norm2(z, n)];
  axpy(a, x, y, n);
  axmy(a, x, y, out, n);
  axmy(-a, w, z, z, n); // out aliases y
  xmy(out, x, w, n);
  xmy(x, w, x, n); // out aliases x
  xpay(y, a, z, out, n);
  axmymz(a, x, y, z, w, n);
  addXpaw(x, a, w, y, n);
  scalars.push(dot(y, w, n), norm2(out, n));
  return [scalars, ...v.map((t) => Array.from(t.subarray(0, n)))];
}

/** Five vectors of length n with the same random contents (zeros, signed zeros and huge values among them). */
function fill(v: Float64Array[], n: number, seed: number): void {
  const r = rng(seed);
  for (const t of v)
    for (let i = 0; i < n; i++) {
      const u = r();
      t[i] = u < 0.1 ? 0 : u < 0.15 ? -0 : u < 0.2 ? 1e300 * (r() - 0.5) : 2 * r() - 1;
    }
}

describe('the vector space in WebAssembly memory', () => {
  it('gives the TypeScript bits for every vector operation', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 41 }), fc.integer({ min: 1, max: 1e6 }), fc.double({ min: -4, max: 4, noNaN: true }), (n, seed, a) => {
        const space = VectorSpace.acquire(5 * (n + 1));
        try {
          const inWasm = Array.from({ length: 5 }, () => space.f64(n)) as Five;
          expect(vectorKernels(inWasm[0], inWasm[4])).not.toBeNull();
          const plain = Array.from({ length: 5 }, () => new Float64Array(n)) as Five;
          fill(inWasm, n, seed);
          fill(plain, n, seed);
          expect(runAll(inWasm, n, a)).toEqual(runAll(plain, n, a));
        } finally {
          space.release();
        }
      }),
      { numRuns: 200 },
    );
  });

  it('is held by one run at a time: a second gets ordinary arrays, and the memory comes back zeroed', () => {
    const first = VectorSpace.acquire(64);
    const v = first.f64(10);
    expect(vectorKernels(v)).not.toBeNull();
    v.fill(7);
    const second = VectorSpace.acquire(64);
    const w = second.f64(10);
    expect(vectorKernels(w)).toBeNull();
    second.release();
    // the first still holds it after the second's release
    expect(vectorKernels(v)).not.toBeNull();
    first.release();
    expect(vectorKernels(v)).toBeNull();
    const again = VectorSpace.acquire(64);
    const u = again.f64(10);
    expect(vectorKernels(u)).not.toBeNull();
    expect(Array.from(u)).toEqual(new Array(10).fill(0));
    again.release();
  });

  it('falls back to ordinary arrays without WebAssembly and beyond the size asked for', () => {
    setWasmDisabled(true);
    const off = VectorSpace.acquire(64);
    expect(vectorKernels(off.f64(8))).toBeNull();
    off.release();
    setWasmDisabled(false);
    const small = VectorSpace.acquire(4);
    const inside = small.f64(4);
    const beyond = small.f64(1e6);
    expect(vectorKernels(inside)).not.toBeNull();
    expect(beyond.length).toBe(1e6);
    small.release();
  });
});
