import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { PatternCholesky } from '../../src/linalg/pattern-cholesky.ts';
import { Rng } from '../../src/linalg/prng.ts';

/**
 * A random symmetric positive definite matrix whose non-zeros lie in the union of the
 * cliques (sum of random Gram blocks, one per clique, plus a diagonal shift); full storage.
 */
function cliqueMatrix(m: number, cliques: Int32Array[], rng: Rng): Float64Array {
  const M = new Float64Array(m * m);
  for (const c of cliques) {
    const k = c.length;
    const B = Array.from({ length: k * (k + 1) }, () => rng.normal());
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) {
        let s = 0;
        for (let t = 0; t <= k; t++) s += B[a * (k + 1) + t]! * B[b * (k + 1) + t]!;
        M[c[a]! * m + c[b]!]! += s;
      }
    }
  }
  for (let i = 0; i < m; i++) M[i * m + i]! += 0.1;
  return M;
}

/** Cliques like the Schur complement of several targets: small groups each joined to one shared set. */
function targetCliques(m: number, rng: Rng): Int32Array[] {
  const shared = Array.from({ length: 4 }, (_, i) => i);
  const out: Int32Array[] = [Int32Array.from(shared)];
  let next = shared.length;
  while (next < m) {
    const size = Math.min(m - next, 3 + rng.int(6));
    const group = Array.from({ length: size }, (_, i) => next + i);
    next += size;
    out.push(Int32Array.from([...group, shared[rng.int(shared.length)]!]));
  }
  // shuffle the row numbers so the pattern is not already in a good order
  const perm = Array.from({ length: m }, (_, i) => i);
  for (let i = m - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  return out.map((c) => Int32Array.from(c, (r) => perm[r]!));
}

function mulFull(M: Float64Array, m: number, x: Float64Array): Float64Array {
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) y[i]! += M[i * m + j]! * x[j]!;
  return y;
}

describe('PatternCholesky (sparse Schur complement factorisation)', () => {
  it('solves M x = b to rounding accuracy on random clique-structured SPD matrices', () => {
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 80 }), fc.integer({ min: 1, max: 1e9 }), (m, seed) => {
        const rng = new Rng(seed);
        const cliques = targetCliques(m, rng);
        const plan = PatternCholesky.plan(m, cliques);
        expect(plan).not.toBeNull();
        const M = cliqueMatrix(m, cliques, rng);
        expect(plan!.factor(M, 1e-14)).toBe(0);
        const x = Float64Array.from({ length: m }, () => rng.normal());
        const b = mulFull(M, m, x);
        plan!.solve(b);
        let err = 0;
        let nx = 0;
        for (let i = 0; i < m; i++) {
          err = Math.max(err, Math.abs(b[i]! - x[i]!));
          nx = Math.max(nx, Math.abs(x[i]!));
        }
        expect(err).toBeLessThan(1e-8 * (1 + nx));
      }),
      { numRuns: 25 },
    );
  });

  it('lists the pattern of M (each row ascending, diagonal included) and is refused for a dense pattern', () => {
    const m = 30;
    const rng = new Rng(7);
    const cliques = targetCliques(m, rng);
    const plan = PatternCholesky.plan(m, cliques)!;
    const M = cliqueMatrix(m, cliques, rng);
    for (let i = 0; i < m; i++) {
      const row = Array.from(plan.mCols.subarray(plan.mRowPtr[i], plan.mRowPtr[i + 1]));
      expect(row).toContain(i);
      expect(row).toEqual([...row].sort((a, b) => a - b));
      // every non-zero of M is in the pattern
      for (let j = 0; j < m; j++) if (M[i * m + j] !== 0) expect(row).toContain(j);
    }
    expect(PatternCholesky.plan(m, [Int32Array.from({ length: m }, (_, i) => i)])).toBeNull();
  });

  it('gives bit for bit the textbook dense Cholesky of P M P^T (the same subtractions in the same order)', () => {
    // The up-looking, two-rows-at-a-time factorisation must subtract exactly the products a
    // plain dense factorisation subtracts, in ascending k (the dense one adds exact zeros
    // outside the pattern, which change nothing); so must the solve. Any reordering of the
    // sums would show here as a differing last bit.
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 90 }), fc.integer({ min: 1, max: 1e9 }), (m, seed) => {
        const rng = new Rng(seed);
        const cliques = targetCliques(m, rng);
        const plan = PatternCholesky.plan(m, cliques, 1)!;
        expect(plan).not.toBeNull();
        const M = cliqueMatrix(m, cliques, rng);
        // a pivot the sparse kernel must replace, now and then
        if (seed % 3 === 0) for (let j = 0; j < m; j++) M[j] = M[j * m] = j === 0 ? 1e-20 : 0;
        const fixed = plan.factor(M, 1e-14);
        const { perm } = plan;
        const L = new Float64Array(m * m);
        for (let i = 0; i < m; i++) for (let j = 0; j <= i; j++) L[i * m + j] = M[perm[i]! * m + perm[j]!]!;
        let maxDiag = 0;
        for (let i = 0; i < m; i++) maxDiag = Math.max(maxDiag, Math.abs(L[i * m + i]!));
        const floor = 1e-300 + 1e-30 * maxDiag;
        let denseFixed = 0;
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < i; j++) {
            let s = L[i * m + j]!;
            for (let k = 0; k < j; k++) s -= L[i * m + k]! * L[j * m + k]!;
            L[i * m + j] = s / L[j * m + j]!;
          }
          const w = L[i * m + i]!;
          let s = w;
          for (let k = 0; k < i; k++) s -= L[i * m + k]! * L[i * m + k]!;
          if (!(s > 1e-14 * w + floor)) {
            L[i * m + i] = 1e64;
            denseFixed++;
          } else L[i * m + i] = Math.sqrt(s);
        }
        expect(fixed).toBe(denseFixed);
        const b = Float64Array.from({ length: m }, () => rng.normal());
        const sparse = Float64Array.from(b);
        plan.solve(sparse);
        const wv = Float64Array.from({ length: m }, (_, i) => b[perm[i]!]!);
        for (let i = 0; i < m; i++) {
          let s = wv[i]!;
          for (let k = 0; k < i; k++) s -= L[i * m + k]! * wv[k]!;
          wv[i] = s / L[i * m + i]!;
        }
        for (let i = m - 1; i >= 0; i--) {
          const s = wv[i]! / L[i * m + i]!;
          wv[i] = s;
          if (s !== 0) for (let k = 0; k < i; k++) wv[k]! -= L[i * m + k]! * s;
        }
        const dense = new Float64Array(m);
        for (let i = 0; i < m; i++) dense[perm[i]!] = wv[i]!;
        expect(Array.from(sparse)).toEqual(Array.from(dense));
      }),
      { numRuns: 30 },
    );
  });

  it('replaces the pivot of a dependent row instead of failing, like the dense kernel', () => {
    const m = 24;
    const rng = new Rng(3);
    const cliques = targetCliques(m, rng);
    const plan = PatternCholesky.plan(m, cliques)!;
    const M = cliqueMatrix(m, cliques, rng);
    // make row/column 0 exactly zero except its diagonal's rounding-level remainder: a dependent row
    for (let j = 0; j < m; j++) {
      M[j] = 0;
      M[j * m] = 0;
    }
    const fixed = plan.factor(M, 1e-14);
    expect(fixed).toBe(1);
    const b = Float64Array.from({ length: m }, (_, i) => (i === 0 ? 0 : rng.normal()));
    const rhs = Float64Array.from(b);
    plan.solve(rhs);
    expect(rhs.every(Number.isFinite)).toBe(true);
    expect(Math.abs(rhs[0]!)).toBeLessThan(1e-40);
    const back = mulFull(M, m, rhs);
    for (let i = 1; i < m; i++) expect(Math.abs(back[i]! - b[i]!)).toBeLessThan(1e-8 * (1 + Math.abs(b[i]!)));
  });
});
