/**
 * The KKT solve by normal equations: M = A D A^T (built by SchurBuilder), factored by a
 * dense Cholesky with a small static regularisation and pivot replacement for
 * dependent rows, solved with iterative refinement against the unregularised M.
 */
import { choleskyNormal, cholSolve } from '../linalg/real-dense.ts';
import { SchurBuilder } from './schur.ts';
import type { Prepared } from './prepare.ts';
import { opCounts } from '../linalg/op-counts.ts';

export class NormalEquations {
  readonly m: number;
  /** A D A^T (the builder fills the lower triangle, `factor` mirrors it). */
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
    opCounts.schurBuilds++;
    this.builder.build(this.M);
    const M = this.M;
    // full symmetric storage for the products of the refinement (mulM)
    for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) M[j * m + i] = M[i * m + j];
    this.L.set(M);
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
    opCounts.normalSolves++;
    z.set(r);
    cholSolve(this.L, this.m, z);
  }

  /**
   * y = M x; `factor` mirrored the lower triangle, so each y_i is one contiguous row dot.
   * One accumulator, summed in the order of the former lower-triangle product (bit for bit
   * the same refinement, so iteration counts do not move).
   */
  private mulM(x: Float64Array, y: Float64Array): void {
    opCounts.schurMatVecs++;
    const m = this.m;
    const M = this.M;
    for (let i = 0; i < m; i++) {
      const ri = i * m;
      let s = 0;
      for (let j = 0; j < i; j++) s += M[ri + j] * x[j];
      let t = s + M[ri + i] * x[i];
      for (let j = i + 1; j < m; j++) t += M[ri + j] * x[j];
      y[i] = t;
    }
  }

  /** Solves M x = b (x may alias nothing), with up to `refine` refinement steps. */
  solve(b: Float64Array, x: Float64Array, refine = 3): void {
    const m = this.m;
    opCounts.normalSolves++;
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
      opCounts.normalSolves++;
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
