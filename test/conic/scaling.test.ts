/**
 * Statuses that hold across the range a user can type (issue 14): the solver normalises the
 * data by its own magnitudes (equilibrate.ts: normalise) and re-checks every certificate on
 * the user's data (certify.ts). Problems are generated here (SDPLIB-like: a Lovasz theta
 * problem and strictly feasible random SDPs with LP blocks) and scaled by 10^+-6.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { solveSdpa, type SdpaProblem } from '../../src/conic/sdpa.ts';
import { rng, sdpaProblem, thetaSdpa, type SdpaEntry } from './helpers.ts';

type Entry = SdpaEntry;

const sdpa = sdpaProblem;

/** Lovasz theta of a random graph (helpers.ts), on 8 vertices. */
const theta = (seed: number, n = 8): SdpaProblem => thetaSdpa(seed, n);

/**
 * A random SDP with a 4x4 block, a 3x3 block and an LP block of 3, strictly feasible on both
 * sides by construction: F(x0) = sum x0_i F_i - F0 = I (so F0 = sum x0_i F_i - I) and
 * c_i = tr(F_i Y0) with Y0 = I + small.
 */
function randomSdp(seed: number, m = 4): SdpaProblem {
  const rnd = rng(seed);
  const blocks = [4, 3, -3];
  const x0 = Array.from({ length: m }, () => 2 * rnd() - 1);
  const entries: Entry[] = [];
  const F0 = new Map<string, number>();
  const c = new Array<number>(m).fill(0);
  blocks.forEach((b, blk) => {
    const n = Math.abs(b);
    for (let t = 0; t < m; t++) {
      for (let i = 0; i < n; i++) {
        for (let j = i; j < n; j++) {
          if (b < 0 && i !== j) continue;
          if (rnd() > 0.7) continue;
          const v = 2 * rnd() - 1;
          entries.push({ mat: t + 1, blk, i, j, v });
          const key = `${blk},${i},${j}`;
          F0.set(key, (F0.get(key) ?? 0) + x0[t]! * v);
          c[t]! += i === j ? v : 0; // tr(F_t I)
        }
      }
    }
    for (let i = 0; i < n; i++) F0.set(`${blk},${i},${i}`, (F0.get(`${blk},${i},${i}`) ?? 0) - 1);
  });
  for (const [key, v] of F0) {
    const [blk, i, j] = key.split(',').map(Number);
    entries.push({ mat: 0, blk: blk!, i: i!, j: j!, v });
  }
  return sdpa(m, blocks, c, entries);
}

/** Multiplies F0 (what: 'F0') or c (what: 'c') by f. */
function scaled(p: SdpaProblem, what: 'F0' | 'c', f: number): SdpaProblem {
  if (what === 'c') return { ...p, c: p.c.map((v) => v * f) };
  const v = p.entries.v.map((x, k) => (p.entries.mat[k] === 0 ? x * f : x));
  return { ...p, entries: { ...p.entries, v } };
}

describe('sdpa statuses are invariant under scaling F0 and c by 10^+-6', () => {
  it.each([
    ['theta (random graph)', theta(3)],
    ['random two-block SDP with an LP block', randomSdp(5)],
  ])('%s', (_name, p) => {
    const ref = solveSdpa(p);
    expect(ref.status).toBe('optimal');
    for (const what of ['F0', 'c'] as const) {
      for (const f of [1e6, 1e-6]) {
        const r = solveSdpa(scaled(p, what, f));
        expect(r.status, `${what} x ${f}`).toBe('optimal');
        // the optimum scales with F0 (objective c^T x with x scaled) and with c alike
        expect(Math.abs(r.objective / f - ref.objective) / Math.max(1e-9, Math.abs(ref.objective)), `${what} x ${f}`).toBeLessThan(1e-5);
      }
    }
  });

  it('property: random strictly feasible SDPs keep their status and scaled optimum', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.constantFrom('F0' as const, 'c' as const), fc.constantFrom(1e6, 1e-6), (seed, what, f) => {
        const p = randomSdp(seed);
        const ref = solveSdpa(p);
        const r = solveSdpa(scaled(p, what, f));
        expect(r.status).toBe(ref.status);
        if (ref.status === 'optimal') expect(Math.abs(r.objective / f - ref.objective)).toBeLessThan(1e-5 * Math.max(1, Math.abs(ref.objective)));
      }),
      { seed: 1406, numRuns: 12 },
    );
  });

  it('infeasibility is reported the same way at every scale', () => {
    // (P): x diag(1, -1) - diag(0, 1) >= 0 has no solution; (D) is feasible and unbounded
    const pInf = sdpa(
      1,
      [2],
      [1],
      [
        { mat: 0, blk: 0, i: 1, j: 1, v: 1 },
        { mat: 1, blk: 0, i: 0, j: 0, v: 1 },
        { mat: 1, blk: 0, i: 1, j: 1, v: -1 },
      ],
    );
    // (D): tr(F1 Y) = 1 with F1 = -1 has no solution Y >= 0; (P) is unbounded
    const dInf = sdpa(1, [1], [1], [{ mat: 1, blk: 0, i: 0, j: 0, v: -1 }]);
    for (const f of [1, 1e6, 1e-6]) {
      for (const what of ['F0', 'c'] as const) {
        expect(solveSdpa(scaled(pInf, what, f)).status).toBe('primal_infeasible');
        expect(solveSdpa(scaled(dInf, what, f)).status).toBe('dual_infeasible');
      }
    }
  });
});

describe('extreme magnitudes from the issue', () => {
  it('min x s.t. x I - diag(1e12, 2e12) >= 0 is optimal at 2e12', () => {
    const p = sdpa(
      1,
      [2],
      [1],
      [
        { mat: 0, blk: 0, i: 0, j: 0, v: 1e12 },
        { mat: 0, blk: 0, i: 1, j: 1, v: 2e12 },
        { mat: 1, blk: 0, i: 0, j: 0, v: 1 },
        { mat: 1, blk: 0, i: 1, j: 1, v: 1 },
      ],
    );
    const r = solveSdpa(p);
    expect(r.status).toBe('optimal');
    expect(Math.abs(r.objective - 2e12) / 2e12).toBeLessThan(1e-7);
    expect(r.x[0]! / 2e12).toBeCloseTo(1, 6);
  });

  it('all data at 1e-12: min 1e-12 (x1 + x2) s.t. 1e-12 diag(x1, x2) - 1e-12 diag(1, 1) >= 0 is optimal at x = (1, 1)', () => {
    const p = sdpa(
      2,
      [2],
      [1e-12, 1e-12],
      [
        { mat: 0, blk: 0, i: 0, j: 0, v: 1e-12 },
        { mat: 0, blk: 0, i: 1, j: 1, v: 1e-12 },
        { mat: 1, blk: 0, i: 0, j: 0, v: 1e-12 },
        { mat: 2, blk: 0, i: 1, j: 1, v: 1e-12 },
      ],
    );
    const r = solveSdpa(p);
    expect(r.status).toBe('optimal');
    expect(r.x[0]! + r.x[1]!).toBeCloseTo(2, 6);
    expect(Math.abs(r.objective - 2e-12) / 2e-12).toBeLessThan(1e-7);
  });

  it('all-zero matrices with a nonzero c: (D) is infeasible; all zero including c: optimal 0', () => {
    const zeroF = sdpa(2, [2], [1, -1], []);
    expect(solveSdpa(zeroF).status).toBe('dual_infeasible');
    const allZero = sdpa(2, [2], [0, 0], []);
    const r = solveSdpa(allZero);
    expect(r.status).toBe('optimal');
    expect(Math.abs(r.objective)).toBe(0);
  });
});
