import { describe, it, expect } from 'vitest';
import { buildProblem } from '../../bench/problems.ts';
import { DESIGN_SOLVER_SETTINGS } from '../../src/design/sdp.ts';
import { solve } from '../../src/conic/index.ts';
import { opCounts, resetOpCounts, snapshotOpCounts } from '../../src/linalg/op-counts.ts';
import { cmAlloc, cSandwich, HEigWorkspace } from '../../src/conic/cones/hermitian-kernels.ts';
import { sandwich } from '../../src/linalg/real-dense.ts';

// The per-iteration work that docs/solver.md reports is read from these counters, not
// counted by hand; these tests check that the counters count what they claim, and pin the
// measured work of the paper's fixed SDP so that it cannot silently grow.
describe('operation counters', () => {
  it('count one product per dense kernel call (a sandwich is two) and eigensolves by kind', () => {
    const n = 4;
    const a = cmAlloc(n);
    for (let i = 0; i < n; i++) a.re[i * n + i] = i + 1;
    const before = snapshotOpCounts();
    cSandwich(a, a, cmAlloc(n), cmAlloc(n), n);
    const ws = new HEigWorkspace(n);
    ws.eig(a, true);
    ws.eig(a, false);
    ws.eig(a, false);
    sandwich(new Float64Array(n * n), new Float64Array(n * n), new Float64Array(n * n), new Float64Array(n * n), n);
    expect(opCounts.complexProducts - before.complexProducts).toBe(2);
    expect(opCounts.complexEigVectors - before.complexEigVectors).toBe(1);
    expect(opCounts.complexEigValues - before.complexEigValues).toBe(2);
    expect(opCounts.realProducts - before.realProducts).toBe(2);
  });

  it("the paper's fixed SDP: one Schur assembly per iteration, and the dense work per block stays at its measured level", () => {
    const p = buildProblem('fig2-fixed');
    resetOpCounts();
    const r = solve(p, DESIGN_SOLVER_SETTINGS);
    expect(r.status).toBe('optimal');
    const it = opCounts.iterations;
    expect(it).toBeGreaterThan(0);
    // the pass that ends in a successful polish (ipm.ts) scales and factors, so it is counted,
    // but it takes no step
    expect(it).toBeLessThanOrEqual(r.iterations + 1);
    // 13 before the failed Mehrotra corrector fell back to the centring direction (two of
    // them collapsed steps of the end game)
    expect(r.iterations).toBeLessThanOrEqual(11);
    expect(opCounts.schurBuilds).toBe(it);
    const blocks = p.cones.filter((k) => k.kind === 'hpsd').length;
    const perBlock = opCounts.complexProducts / it / blocks;
    // measured 34.0 over 12 counted passes (43.4 in 13 iterations before the centring
    // fallback, two of them the end game's collapsed steps whose refinement fails; 36.5 in 11
    // before the 2 x 2 blocks' closed-form kernel; 42.1 in 13 before the sensing-first
    // subspace basis; 35.2 before the second-order cones got their centrality corrector,
    // docs/solver.md); the target of 8 is not met
    expect(perBlock).toBeGreaterThan(4);
    expect(perBlock).toBeLessThanOrEqual(36);
    // 8.8 and 6.2 measured (12.3 and 9.4 before the centring fallback, 9.6 and 6.7 before the
    // closed-form 2 x 2 kernel, 12.3 and 9.5 before the sensing-first basis, 9.2 and 6.2
    // before the SOC corrector: each corrector round is one more direction solve)
    expect(opCounts.mulA / it).toBeLessThanOrEqual(10);
    expect(opCounts.mulAt / it).toBeLessThanOrEqual(7);
  });

  it("attributes every product of the paper's fixed SDP to the loop operation that made it", () => {
    const p = buildProblem('fig2-fixed');
    resetOpCounts();
    expect(solve(p, DESIGN_SOLVER_SETTINGS).status).toBe('optimal');
    const uses = opCounts.productsByUse;
    const counted = Object.values(uses).reduce((s, v) => s + v, 0);
    expect(counted).toBe(opCounts.complexProducts + opCounts.realProducts);
    const blocks = p.cones.filter((k) => k.kind === 'hpsd').length;
    const perBlock = (use: string) => (uses[use] ?? 0) / opCounts.iterations / blocks;
    // the homogeneous embedding's three applications of D, once per iteration each (two
    // products), and at least two directions (affine and corrector) of four products each
    for (const use of ['D c', 'D rd', 'D v1']) expect(perBlock(use)).toBeLessThanOrEqual(2);
    expect(perBlock('dxFromDz')).toBeGreaterThanOrEqual(6);
    expect(Object.keys(uses)).toEqual(expect.arrayContaining(['updateScaling', 'rhs', 'D dx0', 'dxFromDz']));
    // reset clears the tallies with the counters
    resetOpCounts();
    expect(opCounts.productsByUse).toEqual({});
  });
});
