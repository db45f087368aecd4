/**
 * Platform-identical pseudo-random numbers: xoshiro256** (Blackman & Vigna) seeded through
 * splitmix64, the generator's reference seeding.
 *
 * Why not Math.random: scenario files, channel draws and randomised baselines must be
 * reproducible from a seed on every machine. All 64-bit arithmetic here is done exactly
 * on unsigned 32-bit halves (no BigInt, no floating-point rounding), so the integer
 * stream is bit-identical everywhere. The float transforms use only IEEE-exact operations
 * plus Math.log/sqrt/cos/sin, which V8 implements with its own fdlibm port (identical on
 * every platform Node 20 runs on).
 *
 * Sub-streams: `derive(seed, ...ints)` hashes (seed, ints) into a fresh 64-bit seed; no
 * seed is ever drawn from another stream, so adding a draw to one stream never shifts
 * another.
 */

/** An unsigned 64-bit integer as two unsigned 32-bit halves. */
export interface U64 {
  hi: number;
  lo: number;
}

const TWO32 = 4294967296;

/** Safe integer (possibly negative; two's complement) -> 64-bit halves. */
export function u64FromNumber(x: number): U64 {
  if (!Number.isSafeInteger(x)) throw new Error(`seed must be a safe integer, got ${x}`);
  const hi = Math.floor(x / TWO32);
  const lo = x - hi * TWO32;
  return { hi: hi >>> 0, lo: lo >>> 0 };
}

/** Hex string of a U64 (for tests and documentation). */
export function u64ToHex(x: U64): string {
  return x.hi.toString(16).padStart(8, '0') + x.lo.toString(16).padStart(8, '0');
}

function add64(a: U64, b: U64): U64 {
  const lo = a.lo + b.lo;
  const carry = lo >= TWO32 ? 1 : 0;
  return { hi: (a.hi + b.hi + carry) >>> 0, lo: lo >>> 0 };
}

function xor64(a: U64, b: U64): U64 {
  return { hi: (a.hi ^ b.hi) >>> 0, lo: (a.lo ^ b.lo) >>> 0 };
}

/** Logical right shift, 0 < n < 64. */
function shr64(a: U64, n: number): U64 {
  if (n >= 32) return { hi: 0, lo: a.hi >>> (n - 32) };
  return { hi: a.hi >>> n, lo: ((a.lo >>> n) | (a.hi << (32 - n))) >>> 0 };
}

/** Left shift, 0 < n < 64. */
function shl64(a: U64, n: number): U64 {
  if (n >= 32) return { hi: (a.lo << (n - 32)) >>> 0, lo: 0 };
  return { hi: ((a.hi << n) | (a.lo >>> (32 - n))) >>> 0, lo: (a.lo << n) >>> 0 };
}

function rotl64(a: U64, n: number): U64 {
  const l = shl64(a, n);
  const r = shr64(a, 64 - n);
  return { hi: (l.hi | r.hi) >>> 0, lo: (l.lo | r.lo) >>> 0 };
}

/** Low 64 bits of a * b. The 32x32 partial product uses 16-bit limbs so every step is exact. */
function mul64(a: U64, b: U64): U64 {
  const a0 = a.lo & 0xffff;
  const a1 = a.lo >>> 16;
  const b0 = b.lo & 0xffff;
  const b1 = b.lo >>> 16;
  const mid = a0 * b1 + a1 * b0; // < 2^33, exact
  const low = a0 * b0 + (mid % 65536) * 65536; // < 2^33, exact
  const lo = low >>> 0;
  const carry = Math.floor(low / TWO32);
  const hiLoLo = a1 * b1 + Math.floor(mid / 65536) + carry; // high word of a.lo * b.lo (< 2^33)
  const hi = (hiLoLo + (Math.imul(a.hi, b.lo) >>> 0) + (Math.imul(a.lo, b.hi) >>> 0)) >>> 0;
  return { hi, lo };
}

const GOLDEN: U64 = { hi: 0x9e3779b9, lo: 0x7f4a7c15 };
const MIX1: U64 = { hi: 0xbf58476d, lo: 0x1ce4e5b9 };
const MIX2: U64 = { hi: 0x94d049bb, lo: 0x133111eb };

/** The splitmix64 output function (finaliser) applied to z. */
export function mix64(z: U64): U64 {
  let x = mul64(xor64(z, shr64(z, 30)), MIX1);
  x = mul64(xor64(x, shr64(x, 27)), MIX2);
  return xor64(x, shr64(x, 31));
}

/** splitmix64: returns [output, next state]. */
export function splitmix64(state: U64): [U64, U64] {
  const next = add64(state, GOLDEN);
  return [mix64(next), next];
}

/**
 * Hashes a seed and a list of integers (stream tags) into a 64-bit seed. Order matters:
 * (a, b) and (b, a) give different seeds.
 */
export function deriveSeed(seed: number | U64, ...ints: number[]): U64 {
  let h = mix64(add64(typeof seed === 'number' ? u64FromNumber(seed) : seed, GOLDEN));
  for (const v of ints) h = mix64(add64(xor64(h, u64FromNumber(v)), GOLDEN));
  return h;
}

/** xoshiro256** generator. */
export class Rng {
  private s0: U64;
  private s1: U64;
  private s2: U64;
  private s3: U64;
  private spare: number | undefined;

  /** Seeds the four state words with four successive splitmix64 outputs (reference seeding). */
  constructor(seed: number | U64) {
    let st = typeof seed === 'number' ? u64FromNumber(seed) : { ...seed };
    const words: U64[] = [];
    for (let i = 0; i < 4; i++) {
      const [out, next] = splitmix64(st);
      words.push(out);
      st = next;
    }
    [this.s0, this.s1, this.s2, this.s3] = words;
  }

  /** Next raw 64-bit output. */
  nextU64(): U64 {
    const result = mul64(rotl64(mul64(this.s1, { hi: 0, lo: 5 }), 7), { hi: 0, lo: 9 });
    const t = shl64(this.s1, 17);
    this.s2 = xor64(this.s2, this.s0);
    this.s3 = xor64(this.s3, this.s1);
    this.s1 = xor64(this.s1, this.s2);
    this.s0 = xor64(this.s0, this.s3);
    this.s2 = xor64(this.s2, t);
    this.s3 = rotl64(this.s3, 45);
    return result;
  }

  /** Uniform on [0, 1) with 53 random bits (the top 53 bits of one 64-bit output). */
  uniform(): number {
    const x = this.nextU64();
    return (x.hi * 2097152 + (x.lo >>> 11)) / 9007199254740992;
  }

  /** Integer uniform on [0, n) (n <= 2^32; the tiny modulo bias of 53-bit floats is irrelevant here). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /**
   * Standard normal by Box-Muller. Each pair of uniforms (u1, u2) yields two normals,
   * r cos(2 pi u2) returned now and r sin(2 pi u2) on the next call; u1 is taken as 1 - uniform()
   * so the logarithm never sees 0.
   */
  normal(): number {
    if (this.spare !== undefined) {
      const v = this.spare;
      this.spare = undefined;
      return v;
    }
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** CN(0, 1): real and imaginary parts independent N(0, 1/2) (re drawn first). */
  complexNormal(): [number, number] {
    const re = this.normal();
    const im = this.normal();
    return [re * Math.SQRT1_2, im * Math.SQRT1_2];
  }
}

/** A generator for the independent sub-stream (seed, ...ints); see `deriveSeed`. */
export function derive(seed: number | U64, ...ints: number[]): Rng {
  return new Rng(deriveSeed(seed, ...ints));
}
