import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Arena } from '../../src/linalg/arena.ts';

describe('Arena', () => {
  it('hands out zeroed arrays of the asked length that never overlap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.record({ int: fc.boolean(), n: fc.integer({ min: 0, max: 100 }) }), { maxLength: 40 }),
        (block, asks) => {
          const arena = new Arena(block);
          const got = asks.map(({ int, n }) => (int ? arena.i32(n) : arena.f64(n)));
          got.forEach((a, i) => {
            expect(a.length).toBe(asks[i]!.n);
            expect(a.every((v) => v === 0)).toBe(true);
          });
          // fill each with its own index + 1, then every array still reads only its own value
          got.forEach((a, i) => a.fill(i + 1));
          got.forEach((a, i) => expect(a.every((v) => v === i + 1)).toBe(true));
          // Float64 views stay 8-byte aligned after Int32 requests of odd length
          for (const a of got) expect(a.byteOffset % 8).toBe(0);
        },
      ),
    );
  });

  it('gives a request larger than a block an array of its own', () => {
    const arena = new Arena(4);
    const small = arena.f64(2);
    const big = arena.f64(10);
    expect(big.length).toBe(10);
    expect(big.buffer).not.toBe(small.buffer);
    // the open block still serves the next small request
    expect(arena.f64(2).buffer).toBe(small.buffer);
  });
});
