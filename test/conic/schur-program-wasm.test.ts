/**
 * The real PSD blocks' part of the Schur program written in WebAssembly
 * (src/conic/schur-program-wasm.ts) against the TypeScript writer (schur.ts buildPsdBlock and
 * writePsdBlock): the same pools to the bit and the same blocks, on random problems with real
 * blocks of every order (sparse, dense, rows that touch a block only with zeros), nonnegative
 * and Hermitian cones among them, low-rank hints on some blocks (those stay TypeScript), and
 * the Hermitian cones embedded as real blocks (also TypeScript).
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Cone } from '../../src/conic/types.ts';
import { prepare } from '../../src/conic/prepare.ts';
import { SchurBuilder } from '../../src/conic/schur.ts';
import { ProgramWriter } from '../../src/conic/schur-program.ts';
import { writePsdBlockWasm } from '../../src/conic/schur-program-wasm.ts';
import { setWasmDisabled } from '../../src/linalg/wasm-kernels.ts';
import { feasibleProblem, hintedProblem } from './gen.ts';
import { rng } from './helpers.ts';

afterEach(() => setWasmDisabled(false));

/** The program's pools and blocks (without the scaling arrays, which the cones own). */
function programOf(p: Parameters<typeof prepare>[0], hermitian: 'native' | 'embedded' = 'native') {
  const prog = new SchurBuilder(prepare(p, hermitian)).program();
  return prog && { ints: prog.ints, floats: prog.floats, blocks: prog.blocks.map(({ kind, header, gAt }) => ({ kind, header, gAt })) };
}

function bothWays(p: Parameters<typeof prepare>[0], hermitian: 'native' | 'embedded' = 'native') {
  setWasmDisabled(true);
  const ts = programOf(p, hermitian);
  setWasmDisabled(false);
  return { ts, wasm: programOf(p, hermitian) };
}

describe('the Schur program of real PSD blocks in WebAssembly', () => {
  it("writes the TypeScript writer's program, to the bit", () => {
    const cone = fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 1, max: 9 }).map((n): Cone => ({ kind: 'psd', n })) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }).map((dim): Cone => ({ kind: 'nonneg', dim })) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }).map((n): Cone => ({ kind: 'hpsd', n })) },
    );
    fc.assert(
      fc.property(
        fc.array(cone, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 1e6 }),
        (cones, m, density, seed) => {
          const p = feasibleProblem(cones, m, rng(seed), density);
          // explicit zeros in some rows: entries the writer must skip
          for (let k = 0; k < p.A.values.length; k += 7) p.A.values[k] = 0;
          const { ts, wasm } = bothWays(p);
          expect(wasm).toStrictEqual(ts);
          if (cones.some((k) => k.kind === 'hpsd')) {
            const embedded = bothWays(p, 'embedded');
            expect(embedded.wasm).toStrictEqual(embedded.ts);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps the hinted blocks in TypeScript and the rest in WebAssembly, the same program', () => {
    for (const seed of [1, 2, 3]) {
      const { ts, wasm } = bothWays(hintedProblem(seed, 4, 5, 12, 0.4, 0.5));
      expect(wasm).toStrictEqual(ts);
    }
  });

  it('takes a real block to WebAssembly (so the comparisons above compare two writers), and none without it', () => {
    const P = prepare(feasibleProblem([{ kind: 'psd', n: 4 }], 6, rng(5)));
    const k = P.cones[0]!;
    expect(writePsdBlockWasm(new ProgramWriter(), P.At, k.off, k.dim, k.n, P.m)).not.toBeNull();
    setWasmDisabled(true);
    expect(writePsdBlockWasm(new ProgramWriter(), P.At, k.off, k.dim, k.n, P.m)).toBeNull();
  });
});
