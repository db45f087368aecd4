import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { solve } from '../../src/conic/index.ts';
import type { Cone } from '../../src/conic/types.ts';
import { PsdCone } from '../../src/conic/cones/psd.ts';
import type { ConeKernel } from '../../src/conic/cones/cone.ts';
import { HpsdCone } from '../../src/conic/cones/hpsd.ts';
import { NonnegCone, clipChange } from '../../src/conic/cones/nonneg.ts';
import { SocCone } from '../../src/conic/cones/soc.ts';
import { svec } from '../../src/conic/vec.ts';
import { coneMin, kkt, rng } from './helpers.ts';
import { feasibleProblem, interior, matrixCone } from './gen.ts';
import { setWasmDisabled } from '../../src/linalg/wasm-kernels.ts';

const rand = (d: number, rnd: () => number) => Float64Array.from({ length: d }, () => 2 * rnd() - 1);

describe("Gondzio's centrality correctors", () => {
  it('clipChange moves a product into [lo, hi], a large one by at most hi', () => {
    expect(clipChange(0.05, 0.1, 10)).toBeCloseTo(0.05, 15);
    expect(clipChange(5, 0.1, 10)).toBe(0);
    expect(clipChange(12, 0.1, 10)).toBeCloseTo(-2, 15);
    expect(clipChange(100, 0.1, 10)).toBe(-10);
    expect(clipChange(-3, 0.1, 10)).toBeCloseTo(3.1, 15);
  });

  it('native Hermitian and real-embedded kernels make the same correction (and the same dx afterwards)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer(), fc.double({ min: 0.05, max: 1.5, noNaN: true }), (n, seed, alpha) => {
        const rnd = rng(seed);
        const k: Cone = { kind: 'hpsd', n };
        const x = Float64Array.from(interior(k, rnd, false));
        const z = Float64Array.from(interior(k, rnd, true));
        const dz = rand(n * n, rnd);
        const dx = new Float64Array(n * n);
        const cones = [new HpsdCone(n), new PsdCone(n, true)];
        const outs = cones.map((c) => {
          expect(c.updateScaling(x, z, 0)).toBe(true);
          // a direction: dx from a random dz through the linearised complementarity
          const s = new Float64Array(n * n);
          c.rhs(0.3, false, s, 0);
          c.dxFromDz(dz, dx, 0);
          c.maxStep();
          c.rhs(0.3, true, s, 0);
          const before = Float64Array.from(s);
          // a band around the current products, so some eigenvalues fall outside it
          c.centrality(alpha, 0.5, 1.5, s, 0);
          const after = new Float64Array(n * n);
          c.dxFromDz(dz, after, 0);
          return { change: s.map((v, i) => v - before[i]!), dx: after };
        });
        const scale = 1 + Math.max(...outs[1]!.change.map(Math.abs), ...outs[1]!.dx.map(Math.abs));
        outs[0]!.change.forEach((v, i) => expect(Math.abs(v - outs[1]!.change[i]!)).toBeLessThan(1e-9 * scale));
        outs[0]!.dx.forEach((v, i) => expect(Math.abs(v - outs[1]!.dx[i]!)).toBeLessThan(1e-9 * scale));
      }),
      { numRuns: 60 },
    );
  });

  it('the second-order cone makes the correction of the 2 x 2 Hermitian cone it is isometric to', () => {
    // (t, a, b, c) -> hvec of [[t + a, b - ic], [b + ic, t - a]] / sqrt 2 maps SOC(4) onto the
    // 2 x 2 Hermitian PSD cone isometrically; its identity goes to I / sqrt 2, so the matrix
    // kernel's products, mu and clip band are half the SOC's.
    const L = (v: Float64Array) => Float64Array.from([(v[0]! + v[1]!) / Math.SQRT2, v[2]!, v[3]!, (v[0]! - v[1]!) / Math.SQRT2]);
    const inSoc = (rnd: () => number) => {
      const u = rand(3, rnd);
      return Float64Array.from([Math.hypot(...u) + 0.05 + rnd(), ...u]);
    };
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: 0.05, max: 1.5, noNaN: true }), (seed, alpha) => {
        const rnd = rng(seed);
        const x = inSoc(rnd);
        const z = inSoc(rnd);
        const dz = rand(4, rnd);
        const runs = [
          { c: new SocCone(4) as ConeKernel, f: 1, map: (v: Float64Array) => v, out: L },
          { c: new HpsdCone(2) as ConeKernel, f: 0.5, map: L, out: (v: Float64Array) => v },
        ].map(({ c, f, map, out }) => {
          expect(c.updateScaling(map(x), map(z), 0)).toBe(true);
          const s = new Float64Array(4);
          const dx = new Float64Array(4);
          c.rhs(0.3 * f, false, s, 0);
          c.dxFromDz(map(dz), dx, 0);
          c.maxStep(dx, map(dz), 0);
          c.rhs(0.3 * f, true, s, 0);
          const before = Float64Array.from(s);
          c.centrality(alpha, 0.5 * f, 1.5 * f, s, 0);
          const after = new Float64Array(4);
          c.dxFromDz(map(dz), after, 0);
          return { change: out(s.map((v, i) => v - before[i]!)), dx: out(after) };
        });
        const [soc, hpsd] = runs as [(typeof runs)[0], (typeof runs)[0]];
        const scale = 1 + Math.max(...hpsd.change.map(Math.abs), ...hpsd.dx.map(Math.abs));
        soc.change.forEach((v, i) => expect(Math.abs(v - hpsd.change[i]!)).toBeLessThan(1e-9 * scale));
        soc.dx.forEach((v, i) => expect(Math.abs(v - hpsd.dx[i]!)).toBeLessThan(1e-9 * scale));
      }),
      { numRuns: 100 },
    );
  });

  it('on diagonal data the matrix kernel makes the correction of the nonnegative orthant', () => {
    const rnd = rng(11);
    const n = 4;
    const diag = (v: Float64Array) => {
      const M = new Float64Array(n * n);
      for (let i = 0; i < n; i++) M[i * n + i] = v[i]!;
      return svec(M, n);
    };
    const xd = Float64Array.from({ length: n }, () => 0.2 + rnd());
    const zd = Float64Array.from({ length: n }, () => 0.2 + rnd());
    const dxd = new Float64Array(n);
    const dzd = rand(n, rnd);
    const psd = new PsdCone(n, false);
    const lp = new NonnegCone(n);
    psd.updateScaling(diag(xd), diag(zd), 0);
    lp.updateScaling(xd, zd, 0);
    const sp = new Float64Array(psd.dim);
    const sl = new Float64Array(n);
    // the same direction in both: dx from dz through the linearised complementarity
    psd.rhs(0.4, false, sp, 0);
    lp.rhs(0.4, false, sl, 0);
    const dxp = new Float64Array(psd.dim);
    psd.dxFromDz(diag(dzd), dxp, 0);
    lp.dxFromDz(dzd, dxd, 0);
    psd.maxStep();
    lp.maxStep(dxd, dzd, 0);
    psd.rhs(0.4, true, sp, 0);
    lp.rhs(0.4, true, sl, 0);
    psd.centrality(0.7, 0.3, 0.6, sp, 0);
    lp.centrality(0.7, 0.3, 0.6, sl, 0);
    // the products x_i z_i of this draw straddle [0.3, 0.6], so the correction is not empty
    const trial = xd.map((v, i) => (v + 0.7 * dxd[i]!) * (zd[i]! + 0.7 * dzd[i]!));
    expect(trial.some((v) => clipChange(v, 0.3, 0.6) !== 0)).toBe(true);
    const back = diag(sl);
    sp.forEach((v, i) => expect(v).toBeCloseTo(back[i]!, 12));
  });

  it('with and without correctors the solver reaches the same optimum', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const rnd = rng(seed);
        const cones: Cone[] = [
          { kind: 'psd', n: 2 + Math.floor(rnd() * 4) },
          { kind: 'hpsd', n: 1 + Math.floor(rnd() * 3) },
          { kind: 'nonneg', dim: 3 },
          { kind: 'soc', dim: 3 },
        ];
        const p = feasibleProblem(cones, 3 + Math.floor(rnd() * 8), rnd, 0.5);
        const on = solve(p, { correctors: 2 });
        const off = solve(p, { correctors: 0 });
        expect(on.status).toBe('optimal');
        expect(off.status).toBe('optimal');
        for (const r of [on, off]) {
          const q = kkt(p, r.x, r.y, r.z);
          expect(q.pr).toBeLessThan(r.almost ? 1e-5 : 1e-8);
          expect(q.dr).toBeLessThan(r.almost ? 1e-5 : 1e-8);
        }
        expect(Math.abs(on.primalObjective - off.primalObjective)).toBeLessThan(1e-6 * (1 + Math.abs(off.primalObjective)));
      }),
      { numRuns: 25 },
    );
  });

  it('take fewer iterations on a badly centred problem', () => {
    // many small blocks of very different scales: the plain predictor-corrector takes
    // short steps; the correctors lengthen them
    const rnd = rng(5);
    const cones: Cone[] = [];
    for (let i = 0; i < 8; i++) cones.push({ kind: 'hpsd', n: 3 });
    cones.push({ kind: 'psd', n: 5 }, { kind: 'nonneg', dim: 6 });
    const p = feasibleProblem(cones, 30, rnd, 0.4);
    // rescale the columns of A block by block so the blocks live at different scales
    let off = 0;
    const scale = new Float64Array(p.c.length);
    for (const [i, k] of cones.entries()) {
      const d = k.kind === 'hpsd' ? k.n * k.n : k.kind === 'psd' ? (k.n * (k.n + 1)) / 2 : k.kind === 'nonneg' ? k.dim : 0;
      scale.fill(10 ** ((i % 4) - 1.5), off, off + d);
      off += d;
    }
    for (let t = 0; t < p.A.values.length; t++) p.A.values[t]! *= scale[p.A.colIdx[t]!]!;
    for (let j = 0; j < p.c.length; j++) p.c[j]! *= scale[j]!;
    const on = solve(p, { correctors: 2 });
    const off0 = solve(p, { correctors: 0 });
    expect(on.status).toBe('optimal');
    expect(off0.status).toBe('optimal');
    expect(on.iterations).toBeLessThan(off0.iterations);
  });
});

describe('step length from the cached scaled direction', () => {
  it('equals the largest step that keeps x + a dx and z + a dz in the cone (bisection on eigenvalues)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer(), fc.boolean(), (n, seed, complex) => {
        const rnd = rng(seed);
        const { k, dim, x, z, cone } = matrixCone(complex, n, rnd);
        expect(cone.updateScaling(x, z, 0)).toBe(true);
        // a direction as the loop forms it: dx from dz, then a refinement step
        // (dx += D w, dz -= w) and a projection (dx += v)
        const s = new Float64Array(dim);
        cone.rhs(0.2, false, s, 0);
        const dz = rand(dim, rnd);
        const dx = new Float64Array(dim);
        cone.dxFromDz(dz, dx, 0);
        const w = rand(dim, rnd);
        const Dw = new Float64Array(dim);
        cone.correctDir(w, Dw, 0);
        const v = rand(dim, rnd).map((t) => 0.3 * t);
        cone.addToDx(v, 0);
        for (let j = 0; j < dim; j++) {
          dx[j]! += Dw[j]! + v[j]!;
          dz[j]! -= w[j]!;
        }
        const a = (cone as ConeKernel).maxStep(dx, dz, 0);
        // the WebAssembly step (hStep / rStep) is its TypeScript twin to the bit, capped or not
        for (const enough of [Infinity, 0.5 * a, 2 * a]) {
          const w = (cone as ConeKernel).maxStep(dx, dz, 0, enough);
          setWasmDisabled(true);
          const t = (cone as ConeKernel).maxStep(dx, dz, 0, enough);
          setWasmDisabled(false);
          expect(w).toBe(t);
        }
        const inside = (t: number) =>
          coneMin(
            x.map((xi, j) => xi + t * dx[j]!),
            [k],
          ) > 0 &&
          coneMin(
            z.map((zi, j) => zi + t * dz[j]!),
            [k],
          ) > 0;
        if (a === Infinity) {
          expect(inside(1e6)).toBe(true);
          return;
        }
        expect(inside(a * (1 - 1e-6))).toBe(true);
        expect(inside(a * (1 + 1e-6))).toBe(false);
        // with `enough` (a Cholesky test first): the same step below it, at least `enough` above
        for (const enough of [0.5 * a, a * (1 - 1e-6), a * (1 + 1e-6), 2 * a]) {
          const capped = (cone as ConeKernel).maxStep(dx, dz, 0, enough);
          if (a < enough) expect(capped).toBe(a);
          else expect(capped).toBeGreaterThanOrEqual(enough);
          expect(inside(Math.min(capped, enough) * (1 - 1e-6))).toBe(true);
        }
      }),
      { numRuns: 80 },
    );
  });
});
