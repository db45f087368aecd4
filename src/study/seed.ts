/**
 * Seed derivation for the study engine.
 *
 * A trial's seed is a pure function of (base seed, its indices), never a draw from a
 * running generator, so any single trial can be reproduced on its own, in any order, on
 * any shard. The mixing function is splitmix64's finaliser (Steele, Lea & Flood 2014),
 * applied to the running state after adding each index times the golden-ratio increment.
 */

const MASK64 = (1n << 64n) - 1n;
const GOLDEN = 0x9e3779b97f4a7c15n;

/** splitmix64's output function: a bijective 64-bit mixer. */
export function mix64(z: bigint): bigint {
  let x = z & MASK64;
  x = ((x ^ (x >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  x = ((x ^ (x >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return x ^ (x >> 31n);
}

/**
 * Hashes a base seed and a list of non-negative integer indices into a 64-bit value.
 * `derive64(s, a, b)` differs from `derive64(s, b, a)` and from `derive64(s, a)`.
 */
export function derive64(base: number | bigint, ...indices: number[]): bigint {
  let state = mix64(BigInt(base) & MASK64);
  for (const i of indices) {
    if (!Number.isSafeInteger(i) || i < 0) throw new RangeError(`seed index must be a non-negative integer, got ${i}`);
    state = mix64((state + GOLDEN * (BigInt(i) + 1n)) & MASK64);
  }
  return state;
}

/** `derive64` reduced to an unsigned 32-bit integer (what the scenario generator's seed takes). */
export function deriveSeed(base: number, ...indices: number[]): number {
  return Number(derive64(base, ...indices) >> 32n);
}
