import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { solve } from '../../src/conic/index.ts';
import type { Cone } from '../../src/conic/types.ts';
import { kkt, coneMin, rng, normv } from './helpers.ts';
import { feasibleProblem } from './gen.ts';

function randomCones(rnd: () => number): Cone[] {
  const cones: Cone[] = [];
  const count = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < count; i++) {
    const t = Math.floor(rnd() * 5);
    if (t === 0) cones.push({ kind: 'nonneg', dim: 1 + Math.floor(rnd() * 4) });
    else if (t === 1) cones.push({ kind: 'soc', dim: 2 + Math.floor(rnd() * 4) });
    else if (t === 2) cones.push({ kind: 'psd', n: 1 + Math.floor(rnd() * 4) });
    else if (t === 3) cones.push({ kind: 'hpsd', n: 1 + Math.floor(rnd() * 3) });
    else cones.push({ kind: 'free', dim: 1 + Math.floor(rnd() * 2) });
  }
  return cones;
}

describe('random feasible problems (b = A x0, c = A^T y0 + z0, x0 and z0 interior)', () => {
  it('reach optimality with small KKT residuals, x and z in K', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const rnd = rng(seed);
        const cones = randomCones(rnd);
        const n = cones.reduce((s, k) => s + (k.kind === 'psd' ? (k.n * (k.n + 1)) / 2 : k.kind === 'hpsd' ? k.n * k.n : k.dim), 0);
        const m = 1 + Math.floor(rnd() * Math.max(1, n - 1));
        const p = feasibleProblem(cones, m, rnd, 0.3 + 0.7 * rnd());
        const r = solve(p);
        expect(r.status).toBe('optimal');
        const k = kkt(p, r.x, r.y, r.z);
        const tol = r.almost ? 1e-5 : 1e-8;
        expect(k.pr).toBeLessThan(tol);
        expect(k.dr).toBeLessThan(tol);
        expect(k.gap).toBeLessThan(10 * tol);
        const scale = 1 + normv(r.x) + normv(r.z);
        expect(coneMin(r.x, cones)).toBeGreaterThan(-1e-9 * scale);
        expect(coneMin(r.z, cones)).toBeGreaterThan(-1e-9 * scale);
      }),
      { numRuns: 80 },
    );
  });
});

describe('larger sparse problems (Schur strategies F1/F2/LR mixed)', () => {
  it('solves a 60-row problem over psd(20), hpsd(6), soc(5), nonneg(10)', () => {
    const rnd = rng(99);
    const cones: Cone[] = [
      { kind: 'psd', n: 20 },
      { kind: 'hpsd', n: 6 },
      { kind: 'soc', dim: 5 },
      { kind: 'nonneg', dim: 10 },
    ];
    const p = feasibleProblem(cones, 60, rnd, 0.04);
    const r = solve(p);
    expect(r.status).toBe('optimal');
    const k = kkt(p, r.x, r.y, r.z);
    const tol = r.almost ? 1e-5 : 1e-8;
    expect(Math.max(k.pr, k.dr)).toBeLessThan(tol);
    expect(k.gap).toBeLessThan(10 * tol);
    expect(coneMin(r.x, cones)).toBeGreaterThan(-1e-8);
    expect(coneMin(r.z, cones)).toBeGreaterThan(-1e-8);
  });

  it('stops at the time limit with a status, not an exception', () => {
    const rnd = rng(5);
    const p = feasibleProblem([{ kind: 'psd', n: 10 }], 20, rnd, 0.3);
    const r = solve(p, { timeLimit: 0 });
    expect(r.status).toBe('time_limit');
    expect(r.x.length).toBe(p.c.length);
  });
});
