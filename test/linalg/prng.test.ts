import { describe, expect, it } from 'vitest';
import { Rng, derive, deriveSeed, splitmix64, u64ToHex, u64FromNumber } from '../../src/linalg/prng.ts';

const M64 = (1n << 64n) - 1n;

/** Straightforward BigInt reference of splitmix64 + xoshiro256** (the published C code, transcribed). */
function referenceStream(seed: bigint, count: number): bigint[] {
  let st = seed & M64;
  const sm = () => {
    st = (st + 0x9e3779b97f4a7c15n) & M64;
    let z = st;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
    return z ^ (z >> 31n);
  };
  const s = [sm(), sm(), sm(), sm()];
  const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (64n - k))) & M64;
  const out: bigint[] = [];
  for (let i = 0; i < count; i++) {
    out.push((rotl((s[1]! * 5n) & M64, 7n) * 9n) & M64);
    const t = (s[1]! << 17n) & M64;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 45n);
  }
  return out;
}

const big = (x: { hi: number; lo: number }) => (BigInt(x.hi) << 32n) | BigInt(x.lo);

describe('splitmix64', () => {
  it('matches the published reference outputs for state 0', () => {
    let st = { hi: 0, lo: 0 };
    const outs: string[] = [];
    for (let i = 0; i < 3; i++) {
      const [o, n] = splitmix64(st);
      outs.push(u64ToHex(o));
      st = n;
    }
    expect(outs).toEqual(['e220a8397b1dcdaf', '6e789e6aa1b965f4', '06c45d188009454f']);
  });
});

describe('xoshiro256**', () => {
  it('equals a BigInt transcription of the reference code bit for bit', () => {
    for (const seed of [0, 1, 42, 123456789, -1, Number.MAX_SAFE_INTEGER]) {
      const rng = new Rng(seed);
      const ref = referenceStream(BigInt(seed), 2000);
      for (let i = 0; i < ref.length; i++) expect(big(rng.nextU64())).toBe(ref[i]);
    }
  });

  it('pins the first outputs (guards cross-platform drift)', () => {
    const r = new Rng(0);
    expect(u64ToHex(r.nextU64())).toBe('99ec5f36cb75f2b4');
    expect(u64ToHex(r.nextU64())).toBe('bf6e1f784956452a');
    const r1 = new Rng(1);
    expect([r1.uniform(), r1.uniform(), r1.normal(), r1.normal()]).toEqual(PINNED_SEED1);
    const c = derive(1, 1, 0, 0).complexNormal();
    expect(c).toEqual(PINNED_DERIVED);
  });

  it('is deterministic and streams from different seeds differ', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const xa = Array.from({ length: 10 }, () => a.normal());
    expect(Array.from({ length: 10 }, () => b.normal())).toEqual(xa);
    expect(Array.from({ length: 10 }, () => c.normal())).not.toEqual(xa);
  });
});

describe('derive', () => {
  it('hashes seed and tags: order and each tag matter, no collisions in a small grid', () => {
    const seen = new Set<string>();
    for (let s = 0; s < 5; s++) for (let a = 0; a < 5; a++) for (let b = 0; b < 5; b++) seen.add(u64ToHex(deriveSeed(s, a, b)));
    expect(seen.size).toBe(125);
    expect(u64ToHex(deriveSeed(1, 2, 3))).not.toBe(u64ToHex(deriveSeed(1, 3, 2)));
    expect(u64ToHex(deriveSeed(1))).not.toBe(u64ToHex(deriveSeed(1, 0)));
    expect(derive(3, 4).uniform()).toBe(derive(3, 4).uniform());
    expect(u64FromNumber(-1)).toEqual({ hi: 0xffffffff, lo: 0xffffffff });
  });
});

describe('distributions', () => {
  // n = 200000 draws: standard errors are 1/sqrt(12 n) ~ 6.5e-4 for the uniform mean and
  // ~ 2.2e-3 (mean), 3.2e-3 (variance) for the normal; bounds are ~5 standard errors.
  const n = 200000;
  it('uniform is in [0,1) with mean 1/2 and variance 1/12', () => {
    const r = new Rng(11);
    let s = 0;
    let s2 = 0;
    let inRange = true;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      inRange &&= u >= 0 && u < 1;
      s += u;
      s2 += u * u;
    }
    expect(inRange).toBe(true);
    expect(Math.abs(s / n - 0.5)).toBeLessThan(3.5e-3);
    expect(Math.abs(s2 / n - (s / n) ** 2 - 1 / 12)).toBeLessThan(2e-3);
  });
  it('normal has mean 0, variance 1, kurtosis 3; complexNormal has E|z|^2 = 1, E z^2 = 0', () => {
    const r = new Rng(12);
    let s = 0;
    let s2 = 0;
    let s4 = 0;
    for (let i = 0; i < n; i++) {
      const x = r.normal();
      s += x;
      s2 += x * x;
      s4 += x ** 4;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.012);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.016);
    expect(Math.abs(s4 / n - 3)).toBeLessThan(0.1);
    let p = 0;
    let zr = 0;
    let zi = 0;
    for (let i = 0; i < n; i++) {
      const [re, im] = r.complexNormal();
      p += re * re + im * im;
      zr += re * re - im * im;
      zi += 2 * re * im;
    }
    expect(Math.abs(p / n - 1)).toBeLessThan(0.012);
    expect(Math.abs(zr / n)).toBeLessThan(0.012);
    expect(Math.abs(zi / n)).toBeLessThan(0.012);
  });
});

// Computed once with this implementation (after it matched the BigInt reference above).
const PINNED_SEED1 = [0.7029218331588505, 0.5204366199388569, -1.0136476397283942, 0.8244068374882674];
const PINNED_DERIVED: [number, number] = [1.8251067515663022, -0.07402744627422939];
