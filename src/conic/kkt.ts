/**
 * The KKT solve by normal equations: M = A D A^T (built by SchurBuilder), factored by a
 * dense Cholesky with a small static regularisation and pivot replacement for
 * dependent rows, solved with iterative refinement against the unregularised M.
 */
import { choleskyNormal, cholSolve } from '../linalg/real-dense.ts';
import { SchurBuilder } from './schur.ts';
import type { Prepared } from './prepare.ts';

/** The normal-equations solve of one interior-point iteration: build M, factor it once, solve with refinement. */
export class NormalEquations {
  readonly m: number;
  /** Lower triangle of A D A^T. */
  readonly M: Float64Array;
  private readonly L: Float64Array;
  private readonly r: Float64Array;
  private readonly d: Float64Array;
  private readonly builder: SchurBuilder;
  /** Pivots replaced at the last factorisation (dependent rows). */
  fixedPivots = 0;
  /** Static regularisation, relative to the largest diagonal entry. */
  regRel = 0;

  constructor(P: Prepared) {
    this.m = P.m;
    this.M = new Float64Array(P.m * P.m);
    this.L = new Float64Array(P.m * P.m);
    this.r = new Float64Array(P.m);
    this.d = new Float64Array(P.m);
    this.builder = new SchurBuilder(P);
  }

  /** Builds and factors M at the cones' current scaling. False when the factorisation broke down. */
  factor(): boolean {
    const m = this.m;
    this.builder.build(this.M);
    this.L.set(this.M);
    let maxDiag = 0;
    for (let i = 0; i < m; i++) maxDiag = Math.max(maxDiag, this.M[i * m + i]);
    if (!Number.isFinite(maxDiag)) return false;
    const delta = this.regRel * Math.max(maxDiag, 1e-300);
    for (let i = 0; i < m; i++) this.L[i * m + i] += delta;
    const fixed = choleskyNormal(this.L, m, 1e-14);
    if (fixed < 0) return false;
    this.fixedPivots = fixed;
    return true;
  }

  /** z = (L L^T)^{-1} r with the factor of the last `factor` (a preconditioner). */
  precond(r: Float64Array, z: Float64Array): void {
    z.set(r);
    cholSolve(this.L, this.m, z);
  }

  /** y = M x using the lower triangle. */
  private mulM(x: Float64Array, y: Float64Array): void {
    const m = this.m;
    const M = this.M;
    y.fill(0);
    for (let i = 0; i < m; i++) {
      const ri = i * m;
      let s = 0;
      const xi = x[i];
      for (let j = 0; j < i; j++) {
        s += M[ri + j] * x[j];
        y[j] += M[ri + j] * xi;
      }
      y[i] += s + M[ri + i] * xi;
    }
  }

  /** Solves M x = b (x may alias nothing), with up to `refine` refinement steps. */
  solve(b: Float64Array, x: Float64Array, refine = 3): void {
    const m = this.m;
    x.set(b);
    cholSolve(this.L, m, x);
    let prev = Infinity;
    for (let it = 0; it < refine; it++) {
      this.mulM(x, this.r);
      let nr = 0;
      for (let i = 0; i < m; i++) {
        this.r[i] = b[i] - this.r[i];
        nr += this.r[i] * this.r[i];
      }
      if (!(nr < prev)) {
        // the last correction did not help: undo it
        if (it > 0) for (let i = 0; i < m; i++) x[i] -= this.d[i];
        break;
      }
      if (nr === 0) break;
      prev = nr;
      this.d.set(this.r);
      cholSolve(this.L, m, this.d);
      for (let i = 0; i < m; i++) x[i] += this.d[i];
    }
  }
}

/** Solves (A A^T) w = r with a Cholesky factor computed once (A A^T does not change). */
export class AAtSolver {
  private readonly m: number;
  private readonly L: Float64Array;
  private constructor(m: number, L: Float64Array) {
    this.m = m;
    this.L = L;
  }

  static create(P: Prepared): AAtSolver | null {
    const m = P.m;
    const L = new Float64Array(m * m);
    const { colPtr, rowIdx, values } = P.At;
    for (let j = 0; j < P.n; j++) {
      for (let a = colPtr[j]; a < colPtr[j + 1]; a++) {
        const base = rowIdx[a] * m;
        for (let b = colPtr[j]; b <= a; b++) L[base + rowIdx[b]] += values[a] * values[b];
      }
    }
    if (choleskyNormal(L, m, 1e-12) < 0) return null;
    return new AAtSolver(m, L);
  }

  solve(r: Float64Array, w: Float64Array): void {
    w.set(r);
    cholSolve(this.L, this.m, w);
  }
}
