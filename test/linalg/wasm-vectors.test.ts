/**
 * The interior-point loop's vectors in WebAssembly memory (src/linalg/wasm-vectors.ts): every
 * vector operation gives the TypeScript loop's bits there (aliased outputs included), a
 * second run while the space is held gets ordinary arrays, and the space comes back zeroed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { VectorSpace, vectorKernels } from '../../src/linalg/wasm-vectors.ts';
import { addXpaw, axmy, axmymz, axpy, negInto, sumSquaresOfSum, xmy, xpay } from '../../src/linalg/vector-ops.ts';
import { dot, norm2 } from '../../src/linalg/real-dense.ts';
import { fusedNeed, setWasmDisabled } from '../../src/linalg/wasm-kernels.ts';
import { HpsdCone } from '../../src/conic/cones/hpsd.ts';
import { PsdCone } from '../../src/conic/cones/psd.ts';
import { H2_BLOCK, Hpsd2Cone } from '../../src/conic/cones/hpsd2.ts';
import { newKernelInstance } from '../../src/linalg/wasm-kernels.ts';
import { feasibleProblem, interior } from '../conic/gen.ts';
import { solve } from '../../src/conic/index.ts';
import { buildProblem } from '../../bench/problems.ts';
import { rng, thetaSdpa } from '../conic/helpers.ts';
import { solveSdpa } from '../../src/conic/sdpa.ts';
import type { Cone } from '../../src/conic/types.ts';
import type { ConeKernel } from '../../src/conic/cones/cone.ts';

afterEach(() => setWasmDisabled(false));

/** f run while another holder has the space: the solver then gets ordinary arrays (no vectors or cones in WebAssembly memory, no groups). */
function withSpaceHeld<T>(f: () => T): T {
  const other = VectorSpace.acquire(8);
  try {
    return f();
  } finally {
    other.release();
  }
}

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
  negInto(z, w, 1, n - 1); // at an offset, signed zeros flipped
  scalars.push(dot(y, w, n), norm2(out, n), sumSquaresOfSum(x, w, n));
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

/**
 * A loop's calls on a cone (scaling, applyD, the three kinds of rhs, dxFromDz, a saved and
 * restored direction around correctDir and addToDx, capped and uncapped steps, centrality),
 * with a second cone's operations in between that leave their own operands in the kernels'
 * slots (each operation must bring all of its own): everything the cone returns, in order.
 */
function traceCalls(cone: ConeKernel, other: ConeKernel, x: Float64Array, z: Float64Array, vec: (fill: boolean) => Float64Array): number[][] {
  const out = vec(false);
  const scratch = vec(false);
  const rows: number[][] = [];
  expect(cone.updateScaling(x, z, 0)).toBe(true);
  expect(other.updateScaling(z, x, 0)).toBe(true);
  const interfere = () => {
    other.centrality(0.5, 0.1, 3, scratch, 0);
    other.rhs(0.7, true, scratch, 0);
    other.dxFromDz(x, scratch, 0);
    other.applyD(z, scratch, 0);
  };
  for (const [sigmaMu, corrector] of [
    [0, false],
    [0.3, false],
    [0.2, true],
  ] as const) {
    interfere();
    cone.applyD(vec(true), out, 0);
    rows.push(Array.from(out));
    interfere();
    cone.rhs(sigmaMu, corrector, out, 0);
    rows.push(Array.from(out));
    interfere();
    cone.dxFromDz(vec(true), out, 0);
    rows.push(Array.from(out));
    cone.saveDir();
    interfere();
    cone.correctDir(vec(true), out, 0);
    rows.push(Array.from(out));
    cone.addToDx(vec(true), 0);
    rows.push([cone.maxStep(x, z, 0)]);
    cone.restoreDir();
    interfere();
    rows.push([cone.maxStep(x, z, 0), cone.maxStep(x, z, 0, 0.5)]);
    const acc = vec(true);
    interfere();
    cone.centrality(0.9, 0.02 + 0.2 * sigmaMu, 2 + 5 * sigmaMu, acc, 0);
    rows.push(Array.from(acc), ...cone.directionState().map((a) => Array.from(a)));
  }
  return rows;
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

  it('a matrix cone with its matrices in the space gives the bits of one with its own, operation by operation', () => {
    // a loop's calls (scaling, applyD, the three kinds of rhs, dxFromDz, correctDir, capped and
    // uncapped steps, centrality) on the same data: in place in the space, and through copies;
    // Hermitian (HpsdCone) and real (PsdCone)
    fc.assert(
      fc.property(fc.boolean(), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 1e6 }), (complex, n, seed) => {
        const dim = complex ? n * n : (n * (n + 1)) / 2;
        const kind = complex ? ('hpsd' as const) : ('psd' as const);
        const make = (space: VectorSpace | null) => (complex ? new HpsdCone(n, space ?? undefined) : new PsdCone(n, false, space ?? undefined));
        const run = (space: VectorSpace | null): number[][] => {
          const r = rng(seed);
          const vec = (fillIt: boolean) => {
            const v = space ? space.f64(dim) : new Float64Array(dim);
            if (fillIt) for (let i = 0; i < dim; i++) v[i] = r() - 0.5;
            return v;
          };
          const x = vec(false);
          x.set(interior({ kind, n }, r, false));
          const z = vec(false);
          z.set(interior({ kind, n }, r, true));
          return traceCalls(make(space), make(space), x, z, vec);
        };
        const space = VectorSpace.acquire(80 * n * n + 64, fusedNeed(n));
        try {
          expect(space.coneKernels).not.toBeNull();
          expect(vectorKernels(space.f64(2))).not.toBeNull();
          expect(run(space)).toEqual(run(null));
        } finally {
          space.release();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the 2 x 2 closed-form cone with its state in the space gives the bits of one with its own, operation by operation', () => {
    // the same loop's calls as above, plus addToDx and a saved and restored direction, on the
    // closed form (hpsd2.ts) in the space (wasm/kernels.ts h2*) and in its own arrays
    // (TypeScript); the layout's size is the kernels' own
    const k = newKernelInstance() as unknown as { H2_BLOCK: WebAssembly.Global };
    expect(k.H2_BLOCK.value).toBe(H2_BLOCK);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.boolean(), (seed, tiny) => {
        const run = (space: VectorSpace | null): number[][] => {
          const r = rng(seed);
          // tiny: directions of ~1e-320, where a rotation's phase and hypot's scaling matter
          const scale = tiny ? 1e-320 : 1;
          const vec = (fillIt: boolean) => {
            const v = space ? space.f64(4) : new Float64Array(4);
            if (fillIt) for (let i = 0; i < 4; i++) v[i] = (r() - 0.5) * scale;
            return v;
          };
          const x = vec(false);
          x.set(interior({ kind: 'hpsd', n: 2 }, r, false));
          const z = vec(false);
          z.set(interior({ kind: 'hpsd', n: 2 }, r, true));
          const cone = new Hpsd2Cone(space ?? undefined);
          expect(cone.residentSlot !== null).toBe(space !== null);
          const rows = traceCalls(cone, new Hpsd2Cone(space ?? undefined), x, z, vec);
          return [[...cone.G.re, ...cone.G.im], ...rows];
        };
        const space = VectorSpace.acquire(4 * H2_BLOCK + 64);
        try {
          expect(space.coneKernels).not.toBeNull();
          expect(run(space)).toEqual(run(null));
        } finally {
          space.release();
        }
      }),
      { numRuns: 80 },
    );
  });

  it('the paper SDP solves to the same bits with its cones in the space and without (the space held elsewhere)', () => {
    const p = buildProblem('fig2-fixed');
    const inPlace = solve(p);
    const copied = withSpaceHeld(() => solve(p));
    expect(Array.from(inPlace.x)).toEqual(Array.from(copied.x));
    expect(Array.from(inPlace.y)).toEqual(Array.from(copied.y));
    expect([inPlace.iterations, inPlace.lowerBound]).toEqual([copied.iterations, copied.lowerBound]);
  });

  it('problems with runs of same-order cones (one call per run) solve to the same bits as cone by cone', () => {
    // runs of Hermitian and real blocks of one order between other cones, so that groups form,
    // end and start again (cone-group.ts); against the same solve with the space held elsewhere
    // (no groups, no cones in the space)
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 2, max: 4 }), (seed, nh) => {
        const r = rng(seed);
        const cones: Cone[] = [
          ...Array.from({ length: nh }, () => ({ kind: 'hpsd' as const, n: 3 })),
          { kind: 'nonneg', dim: 2 },
          ...Array.from({ length: nh - 1 }, () => ({ kind: 'hpsd' as const, n: 2 })),
          { kind: 'soc', dim: 3 },
          { kind: 'hpsd', n: 2 },
          ...Array.from({ length: 3 }, () => ({ kind: 'psd' as const, n: 4 })),
          { kind: 'hpsd', n: 4 },
          { kind: 'soc', dim: 3 },
          ...Array.from({ length: 2 }, () => ({ kind: 'psd' as const, n: 3 })),
        ];
        const p = feasibleProblem(cones, 9, r, 0.5);
        const grouped = solve(p);
        const single = withSpaceHeld(() => solve(p));
        expect(Array.from(grouped.x)).toEqual(Array.from(single.x));
        expect(Array.from(grouped.y)).toEqual(Array.from(single.y));
        expect([grouped.status, grouped.iterations, grouped.lowerBound]).toEqual([single.status, single.iterations, single.lowerBound]);
      }),
      { numRuns: 12 },
    );
  });

  it('a real SDP (a 20 x 20 block) solves to the same bits with its cone in the space and without', () => {
    const p = thetaSdpa(3, 20);
    const inPlace = solveSdpa(p);
    const copied = withSpaceHeld(() => solveSdpa(p));
    expect(Array.from(inPlace.result.x)).toEqual(Array.from(copied.result.x));
    expect([inPlace.objective, inPlace.iterations, inPlace.result.lowerBound]).toEqual([copied.objective, copied.iterations, copied.result.lowerBound]);
  });
});
