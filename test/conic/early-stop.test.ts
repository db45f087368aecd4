/**
 * Certified early stop (src/conic/early-stop.ts): a solve with `earlyStop.target` ends with
 * `bound_reached` only when the optimum really is at least the target (property test against
 * full solves of random problems), and it does end early when the target is below the optimum.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { solve } from '../../src/conic/index.ts';
import type { Cone, ConicProblem } from '../../src/conic/types.ts';
import { rng } from './helpers.ts';
import { feasibleProblem, interior } from './gen.ts';

function randomCones(rnd: () => number): Cone[] {
  const cones: Cone[] = [];
  const count = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < count; i++) {
    const t = Math.floor(rnd() * 4);
    if (t === 0) cones.push({ kind: 'nonneg', dim: 1 + Math.floor(rnd() * 4) });
    else if (t === 1) cones.push({ kind: 'soc', dim: 2 + Math.floor(rnd() * 4) });
    else if (t === 2) cones.push({ kind: 'psd', n: 1 + Math.floor(rnd() * 4) });
    else cones.push({ kind: 'hpsd', n: 1 + Math.floor(rnd() * 3) });
  }
  return cones;
}

/** Cost of a cone: interior, with matrix blocks costing their trace (as the design SDPs' W~ and R~). */
function cost(k: Cone, rnd: () => number): number[] {
  if (k.kind !== 'psd' && k.kind !== 'hpsd') return interior(k, rnd, true);
  const t = 0.2 + rnd();
  const out: number[] = [];
  for (let j = 0; j < k.n; j++) {
    out.push(t);
    for (let i = j + 1; i < k.n; i++) out.push(...(k.kind === 'psd' ? [0] : [0, 0]));
  }
  return out;
}

/**
 * A feasible problem whose cost is interior to the cone, so that its feasible set below any
 * cap is bounded (the sizes certify.ts reads from the cap row are then finite).
 */
function boundedProblem(seed: number): ConicProblem {
  const rnd = rng(seed);
  const cones = randomCones(rnd);
  const n = cones.reduce((s, k) => s + (k.kind === 'psd' ? (k.n * (k.n + 1)) / 2 : k.kind === 'hpsd' ? k.n * k.n : k.dim), 0);
  const m = 1 + Math.floor(rnd() * Math.max(1, n - 1));
  const p = feasibleProblem(cones, m, rnd, 0.3 + 0.7 * rnd());
  return { ...p, c: Float64Array.from(cones.flatMap((k) => cost(k, rnd))) };
}

describe('certified early stop of bound-only solves', () => {
  it('stops with bound_reached only when the optimum is at least the target, and stops early below it', () => {
    let early = 0;
    let saved = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: -20, max: 50 }), (seed, percent) => {
        // the target: up to 20% above the optimum, up to 50% below (of 1 + |optimum|)
        const frac = percent / 100;
        const p = boundedProblem(seed);
        const full = solve(p);
        expect(full.status).toBe('optimal');
        const opt = full.primalObjective;
        const scale = 1 + Math.abs(opt);
        const target = opt - frac * scale;
        const r = solve(p, { earlyStop: { target } });
        if (r.status === 'bound_reached') {
          // The proof holds on the data: never a target above the optimum (beyond its 1e-8 accuracy).
          expect(target).toBeLessThanOrEqual(opt + 1e-7 * scale);
          expect(r.lowerBound).toBeLessThanOrEqual(opt + 1e-7 * scale);
          expect(r.iterations).toBeLessThanOrEqual(full.iterations);
          early++;
          saved += full.iterations - r.iterations;
        } else {
          expect(r.status).toBe('optimal');
        }
      }),
      { numRuns: 60 },
    );
    // Not vacuous: targets below the optimum were proven before full accuracy.
    expect(early).toBeGreaterThan(10);
    expect(saved).toBeGreaterThan(early);
  });

  it('a caller-supplied certificate decides alone (here one that never proves anything)', () => {
    const p = boundedProblem(7);
    const full = solve(p);
    const r = solve(p, { earlyStop: { target: full.primalObjective - 1, bound: () => -Infinity } });
    expect(r.status).toBe('optimal');
    expect(r.iterations).toBe(full.iterations);
  });
});
