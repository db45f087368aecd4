import { describe, it, expect } from 'vitest';
import { solve, svec, smat, svecIndex } from '../../src/conic/index.ts';
import type { ConicProblem } from '../../src/conic/types.ts';
import { csr, kkt, mulA, mulAt, dotv, normv, coneMin, eigenvalues, rng } from './helpers.ts';

const F = (a: number[]) => Float64Array.from(a);

/** Row of A for tr(E X) with E = e_i e_j^T + e_j e_i^T (or e_i e_i^T), in svec. */
function entryRow(n: number, i: number, j: number): number[] {
  const r = new Array((n * (n + 1)) / 2).fill(0);
  const [a, b] = i >= j ? [i, j] : [j, i];
  r[svecIndex(n, a, b)] = a === b ? 1 : Math.SQRT2;
  return r;
}

describe('semidefinite programs with known solutions', () => {
  it('largest eigenvalue: min -tr(C X) s.t. tr X = 1', () => {
    const n = 5;
    const rnd = rng(7);
    const C = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) {
        const v = 2 * rnd() - 1;
        C[i * n + j] = v;
        C[j * n + i] = v;
      }
    const trace = new Array((n * (n + 1)) / 2).fill(0);
    for (let i = 0; i < n; i++) trace[svecIndex(n, i, i)] = 1;
    const c = svec(C, n).map((v) => -v);
    const p: ConicProblem = { c, A: csr([trace], c.length), b: F([1]), cones: [{ kind: 'psd', n }] };
    const r = solve(p);
    expect(r.status).toBe('optimal');
    const ev = eigenvalues(C, n);
    expect(-r.primalObjective).toBeCloseTo(ev[n - 1]!, 7);
  });

  it('nearest correlation matrix (Higham 2002 example)', () => {
    // min t s.t. ||w|| <= t, w = svec(X) - svec(C), diag X = 1, X psd; vars [t, w(6), X(6)]
    const n = 3;
    const C = F([1, 1, 0, 1, 1, 1, 0, 1, 1]);
    const sc = svec(C, n);
    const d = 6;
    const rows: number[][] = [];
    for (let k = 0; k < d; k++) {
      const r = new Array(1 + 2 * d).fill(0);
      r[1 + k] = 1;
      r[1 + d + k] = -1;
      rows.push(r);
    }
    for (let i = 0; i < n; i++) rows.push([...new Array(1 + d).fill(0), ...entryRow(n, i, i)]);
    const c = new Float64Array(1 + 2 * d);
    c[0] = 1;
    const p: ConicProblem = {
      c,
      A: csr(rows, 1 + 2 * d),
      b: F([...Array.from(sc, (v) => -v), 1, 1, 1]),
      cones: [
        { kind: 'soc', dim: 1 + d },
        { kind: 'psd', n },
      ],
    };
    const r = solve(p);
    expect(r.status).toBe('optimal');
    const X = smat(r.x.subarray(1 + d), n);
    expect(X[1]).toBeCloseTo(0.7607, 4);
    expect(X[2]).toBeCloseTo(0.1573, 4);
    expect(X[5]).toBeCloseTo(0.7607, 4);
    expect(coneMin(r.x, p.cones)).toBeGreaterThan(-1e-9);
  });

  it('Lovasz theta of the 5-cycle is sqrt(5)', () => {
    const n = 5;
    const dim = (n * (n + 1)) / 2;
    const trace = new Array(dim).fill(0);
    for (let i = 0; i < n; i++) trace[svecIndex(n, i, i)] = 1;
    const rows = [trace];
    for (let i = 0; i < n; i++) rows.push(entryRow(n, i, (i + 1) % n));
    const J = new Float64Array(n * n).fill(-1);
    const p: ConicProblem = { c: svec(J, n), A: csr(rows, dim), b: F([1, 0, 0, 0, 0, 0]), cones: [{ kind: 'psd', n }] };
    const r = solve(p);
    expect(r.status).toBe('optimal');
    expect(-r.primalObjective).toBeCloseTo(Math.sqrt(5), 7);
    const k = kkt(p, r.x, r.y, r.z);
    expect(k.pr).toBeLessThan(1e-8);
    expect(k.dr).toBeLessThan(1e-8);
    expect(coneMin(r.x, p.cones)).toBeGreaterThan(-1e-9);
    expect(coneMin(r.z, p.cones)).toBeGreaterThan(-1e-9);
  });

  it('certifies primal infeasibility: X psd with X_11 = -1', () => {
    const p: ConicProblem = { c: F([1, 0, 1]), A: csr([entryRow(2, 0, 0)], 3), b: F([-1]), cones: [{ kind: 'psd', n: 2 }] };
    const r = solve(p);
    expect(r.status).toBe('primal_infeasible');
    const by = dotv(p.b, r.y);
    expect(by).toBeGreaterThan(0);
    const s = mulAt(p.A, r.y).map((v) => -v / by);
    expect(coneMin(s, p.cones)).toBeGreaterThan(-1e-8);
  });

  it('certifies dual infeasibility: min X11 - X22 s.t. X11 = 1 is unbounded', () => {
    const p: ConicProblem = { c: F([1, 0, -1]), A: csr([entryRow(2, 0, 0)], 3), b: F([1]), cones: [{ kind: 'psd', n: 2 }] };
    const r = solve(p);
    expect(r.status).toBe('dual_infeasible');
    const cx = dotv(p.c, r.x);
    expect(cx).toBeLessThan(0);
    expect(normv(mulA(p.A, r.x)) / -cx).toBeLessThan(1e-8);
    expect(coneMin(r.x, p.cones) / -cx).toBeGreaterThan(-1e-8);
  });
});
