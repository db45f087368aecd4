/**
 * The KKT solve by normal equations: M = A D A^T (built by SchurBuilder), factored by a
 * Cholesky with a small static regularisation and pivot replacement for dependent rows,
 * solved with iterative refinement against the unregularised M. When the cones leave most
 * of M structurally zero (rows meet only through a common cone), the factorisation works on
 * that pattern only, in a minimum-degree order (PatternCholesky); otherwise dense.
 */
import { choleskyNormal, cholSolve } from '../linalg/real-dense.ts';
import { PatternCholesky } from '../linalg/pattern-cholesky.ts';
import { SchurBuilder } from './schur.ts';
import type { SchurProgram } from './schur-program.ts';
import { mulA, mulAt, type Prepared } from './prepare.ts';
import { opCounts, productsSoFar, tallyProducts } from '../linalg/op-counts.ts';
import { type Operator, type PcgBlock, WasmNormal } from './kkt-wasm.ts';
import { PsdCone } from './cones/psd.ts';
import { NonnegCone } from './cones/nonneg.ts';
import { aatCholWasm } from '../linalg/wasm-kernels.ts';

/** What fills M's lower triangle at each factorisation (SchurBuilder; tests give their own). */
export interface SchurSource {
  build(M: Float64Array): void;
  /** The matrix cones' blocks for WebAssembly (SchurBuilder.program), and M without them. */
  program?(): SchurProgram | null;
  buildRest?(M: Float64Array): void;
}

/** The normal-equations solve of one interior-point iteration: build M, factor it once, solve with refinement. */
export class NormalEquations {
  readonly m: number;
  /**
   * A D A^T (the builder fills the lower triangle, `factor` mirrors it); with WebAssembly,
   * only the part outside the matrix cones (the rest is assembled there: `assembled`).
   */
  private readonly M: Float64Array;
  /** The dense kernel's factor (made at its first factorisation). */
  private L = new Float64Array(0);
  private readonly r: Float64Array;
  private readonly d: Float64Array;
  private readonly builder: SchurSource;
  /** The sparse factorisation when M's pattern makes it pay, else null (dense kernel). */
  private readonly sparse: PatternCholesky | null;
  /** Sparse path: 1 where rows 2p and 2p + 1 of M have the same pattern (mulM runs them together). */
  private readonly twinRows: Uint8Array;
  /**
   * The same factorisation and solves in WebAssembly (kkt-wasm.ts; same bits), null when
   * it is off or unavailable, or once the memory could not hold M: then the TypeScript below.
   */
  private wasm: WasmNormal | null;
  /** Pivots replaced at the last factorisation (dependent rows). */
  fixedPivots = 0;
  /** Static regularisation, relative to the largest diagonal entry. */
  regRel = 0;

  /** A and A^T of the loop's products (`mulA`, `mulAt`), when given. */
  private readonly op: Operator | null;

  /**
   * Normal equations of order m whose M the builder fills (lower triangle), its non-zeros
   * inside the given cliques (rows that may interact; schurCliques).
   */
  constructor(m: number, builder: SchurSource, cliques: readonly Int32Array[], op: Operator | null = null, pcg: PcgBlock[] | null = null) {
    this.m = m;
    this.M = new Float64Array(m * m);
    this.r = new Float64Array(m);
    this.d = new Float64Array(m);
    this.builder = builder;
    this.sparse = PatternCholesky.plan(m, cliques);
    const sp = this.sparse;
    this.twinRows = sp ? twinRowPairs(sp.mRowPtr, sp.mCols, m) : new Uint8Array(0);
    const pattern = sp && { perm: sp.perm, rowPtr: sp.rowPtr, cols: sp.cols, mRowPtr: sp.mRowPtr, mCols: sp.mCols, twins: this.twinRows };
    this.op = op;
    this.wasm = WasmNormal.create(m, pattern, this.M, () => (builder.buildRest && builder.program?.()) || null, op, pcg);
  }

  /** The normal equations of a prepared problem, M built from its cones' scalings. */
  static of(P: Prepared): NormalEquations {
    return new NormalEquations(P.m, new SchurBuilder(P), schurCliques(P), { A: P.A, At: P.At }, pcgBlocks(P));
  }

  /**
   * ipm.ts pcgSolve run in WebAssembly when every cone is a real PSD block whose operations run
   * in the loop's space, or nonnegative (the same bits, one call instead of ~25 interpreted calls
   * per CG step in a fresh process); false when not (the caller then runs its own). Counted as
   * there.
   */
  pcg(rhs: Float64Array, w: Float64Array, maxSteps: number, idleSteps: number, startRefine: number): boolean {
    const k = this.wasm;
    if (!k?.runsPcg) return false;
    k.pcg(rhs, w, maxSteps, idleSteps, startRefine);
    const { apps, solves, matVecs } = k.pcgCounts;
    opCounts.mulA += apps;
    opCounts.mulAt += apps;
    const mark = productsSoFar();
    opCounts.realProducts += 2 * k.pcgPsdBlocks * apps;
    // as ipm.ts pcgSolve attributes its applications of D
    tallyProducts('D cg', mark);
    opCounts.normalSolves += solves;
    opCounts.schurMatVecs += matVecs;
    return true;
  }

  /** y = A x, counted (opCounts.mulA); in WebAssembly when the rest is (same sums). */
  mulA(x: Float64Array, y: Float64Array): void {
    opCounts.mulA++;
    if (this.wasm) this.wasm.mulA(x, y);
    else mulA((this.op as Operator).A, x, y);
  }

  /** x = A^T y, counted (opCounts.mulAt). */
  mulAt(y: Float64Array, x: Float64Array): void {
    opCounts.mulAt++;
    if (this.wasm) this.wasm.mulAt(y, x);
    else mulAt((this.op as Operator).At, y, x);
  }

  /** Builds and factors M at the cones' current scaling. False when the factorisation broke down. */
  factor(): boolean {
    const m = this.m;
    opCounts.schurBuilds++;
    const w = this.wasm;
    if (w) {
      const builder = this.builder;
      const fixed = w.factor(this.regRel, (M) => (w.assemblesBlocks ? builder.buildRest!(M) : builder.build(M)));
      if (fixed !== false) {
        if (fixed < 0) return false;
        this.fixedPivots = fixed;
        return true;
      }
      // the memory could not hold it: TypeScript from here on, with the whole M
      this.wasm = null;
    }
    this.builder.build(this.M);
    const M = this.M;
    const sp = this.sparse;
    if (sp) {
      // full symmetric storage (on the pattern) for the products of the refinement (mulM)
      const { mRowPtr, mCols } = sp;
      for (let i = 0; i < m; i++) {
        for (let t = mRowPtr[i]; t < mRowPtr[i + 1]; t++) {
          const j = mCols[t];
          if (j >= i) break;
          M[j * m + i] = M[i * m + j];
        }
      }
      let maxDiag = 0;
      for (let i = 0; i < m; i++) maxDiag = Math.max(maxDiag, M[i * m + i]);
      if (!Number.isFinite(maxDiag)) return false;
      const fixed = sp.factor(M, 1e-14, this.regRel * Math.max(maxDiag, 1e-300));
      if (fixed < 0) return false;
      this.fixedPivots = fixed;
      return true;
    }
    // full symmetric storage for the products of the refinement (mulM)
    for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) M[j * m + i] = M[i * m + j];
    if (this.L.length === 0) this.L = new Float64Array(m * m);
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

  /**
   * The solve is over (runIpm calls this): a large WebAssembly instance is given back
   * (kkt-wasm.ts release; `retain` bytes are kept for the next solve). No call may follow.
   */
  release(retain?: number): void {
    this.wasm?.release(retain);
    this.wasm = null;
  }

  /** The whole M of the last `factor`, mirrored (copied out of WebAssembly when it was assembled there). */
  assembled(): Float64Array {
    this.wasm?.copyM(this.M);
    return this.M;
  }

  /** z = (L L^T)^{-1} r with the factor of the last `factor` (a preconditioner). */
  precond(r: Float64Array, z: Float64Array): void {
    if (this.wasm) {
      this.wasm.precond(r, z);
      opCounts.normalSolves += this.wasm.counts.solves;
      return;
    }
    z.set(r);
    this.cholSolve(z);
  }

  /** x = M^{-1} x in place with the last factorisation. */
  private cholSolve(x: Float64Array): void {
    if (this.sparse) this.sparse.solve(x);
    else {
      opCounts.normalSolves++;
      cholSolve(this.L, this.m, x);
    }
  }

  /**
   * y = M x; `factor` mirrored the lower triangle, so each y_i is one contiguous row dot
   * (on the sparse path only over the pattern: the skipped terms are exact zeros). One
   * accumulator per row, summed in the order of the former lower-triangle product (bit for
   * bit the same refinement, so iteration counts do not move); on the sparse path two rows
   * with the same pattern run in one pass, two independent chains (88 % of the entries on a
   * 19-BS network's M, m = 2302), still each in its own order.
   */
  private mulM(x: Float64Array, y: Float64Array): void {
    opCounts.schurMatVecs++;
    const m = this.m;
    const M = this.M;
    const sp = this.sparse;
    if (sp) {
      const { mRowPtr, mCols } = sp;
      const twins = this.twinRows;
      for (let i = 0; i < m; i++) {
        const ri = i * m;
        const end = mRowPtr[i + 1];
        if ((i & 1) === 0 && twins[i >> 1] === 1) {
          // rows i and i + 1 share their pattern: two chains in one pass
          const ri1 = ri + m;
          let s0 = 0;
          let s1 = 0;
          for (let t = mRowPtr[i]; t < end; t++) {
            const j = mCols[t];
            const xj = x[j];
            s0 += M[ri + j] * xj;
            s1 += M[ri1 + j] * xj;
          }
          y[i] = s0;
          y[i + 1] = s1;
          i++;
          continue;
        }
        let s = 0;
        for (let t = mRowPtr[i]; t < end; t++) s += M[ri + mCols[t]] * x[mCols[t]];
        y[i] = s;
      }
      return;
    }
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
    if (this.wasm) {
      this.wasm.solve(b, x, refine);
      opCounts.normalSolves += this.wasm.counts.solves;
      opCounts.schurMatVecs += this.wasm.counts.matVecs;
      return;
    }
    const m = this.m;
    x.set(b);
    this.cholSolve(x);
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
      this.cholSolve(this.d);
      for (let i = 0; i < m; i++) x[i] += this.d[i];
    }
  }
}

/**
 * The cones of the conjugate gradients in WebAssembly (kkt-wasm.ts pcg), when every cone is a
 * real PSD block whose applyD runs in the loop's space (its scaling there, prepare.ts
 * residentKind; the Schur program holds each block's G, in the cones' order) or nonnegative,
 * and one at least is a block. Else null.
 */
function pcgBlocks(P: Prepared): PcgBlock[] | null {
  const blocks: PcgBlock[] = [];
  for (const k of P.cones) {
    if (k.kind === 'psd' && k.kernel instanceof PsdCone && k.kernel.residentSlot !== null) blocks.push({ kind: 'psd', n: k.n, dim: k.dim, off: k.off });
    else if (k.kernel instanceof NonnegCone) blocks.push({ kind: 'nonneg', dim: k.dim, off: k.off, ...k.kernel.point() });
    else return null;
  }
  return blocks.some((b) => b.kind === 'psd') ? blocks : null;
}

/** 1 for each pair of rows (2p, 2p + 1) with the same pattern in M (mRowPtr / mCols, each row ascending). */
function twinRowPairs(mRowPtr: Int32Array, mCols: Int32Array, m: number): Uint8Array {
  const out = new Uint8Array(m >> 1);
  for (let p = 0; 2 * p + 1 < m; p++) {
    const a0 = mRowPtr[2 * p];
    const a1 = mRowPtr[2 * p + 1];
    const b1 = mRowPtr[2 * p + 2];
    let same = a1 - a0 === b1 - a1;
    for (let t = 0; same && t < a1 - a0; t++) same = mCols[a0 + t] === mCols[a1 + t];
    out[p] = same ? 1 : 0;
  }
  return out;
}

/**
 * Sets of constraint rows that may interact in M = A D A^T: all rows touching one matrix or
 * second-order cone, and the rows of each column of a nonnegative cone (its D is diagonal).
 */
export function schurCliques(P: Prepared): Int32Array[] {
  const { colPtr, rowIdx } = P.At;
  const out: Int32Array[] = [];
  const mark = new Int32Array(P.m).fill(-1);
  const rows: number[] = [];
  P.cones.forEach((k, ci) => {
    if (k.kind === 'nonneg') {
      for (let j = k.off; j < k.off + k.dim; j++) if (colPtr[j + 1] > colPtr[j]) out.push(rowIdx.slice(colPtr[j], colPtr[j + 1]));
      return;
    }
    rows.length = 0;
    for (let j = k.off; j < k.off + k.dim; j++) {
      for (let a = colPtr[j]; a < colPtr[j + 1]; a++) {
        const r = rowIdx[a];
        if (mark[r] !== ci) {
          mark[r] = ci;
          rows.push(r);
        }
      }
    }
    if (rows.length > 0) out.push(Int32Array.from(rows));
  });
  return out;
}

/**
 * Above this many multiply-adds of a dense factor (order ~670), AAtSolver factors on the
 * normal equations' pattern. Below, the dense factor is cheap and kept: its rounding is the
 * one the small problems' end games were measured with (the pattern's order changed one of
 * test/conic/centring-fallback.test.ts's SDPs from `optimal` to `almost`).
 */
const PATTERN_AAT_FLOPS = 1e8;

/** Every column of A lies in one of the cones (whose rows schurCliques joins). */
function coversColumns(P: Prepared): boolean {
  return P.cones.reduce((t, k) => t + k.dim, 0) === P.n;
}

/**
 * Solves (A A^T) w = r with a Cholesky factor computed once (A A^T does not change). On large
 * problems with a sparse M, on M's pattern: rows of A A^T meet only where they share a column,
 * so inside the cliques M's pattern is planned from (every column lies in a cone), and the same
 * minimum-degree plan (PatternCholesky's cache) factors it. Dense otherwise. Measured on
 * `proposed` with 61 BSs (K = 30, N = 8): the dense factor of order 4453 (3e10 multiply-adds)
 * was half the run; the pattern's needs ~1e6 (docs/benchmarks.md).
 */
export class AAtSolver {
  private readonly m: number;
  private readonly L: Float64Array;
  private readonly pattern: PatternCholesky | null;
  private constructor(m: number, L: Float64Array, pattern: PatternCholesky | null = null) {
    this.m = m;
    this.L = L;
    this.pattern = pattern;
  }

  static create(P: Prepared): AAtSolver | null {
    const m = P.m;
    const plan = m ** 3 / 3 > PATTERN_AAT_FLOPS && coversColumns(P) ? PatternCholesky.plan(m, schurCliques(P)) : null;
    const L = new Float64Array(m * m);
    const { colPtr, rowIdx, values } = P.At;
    if (!plan) {
      const fixed = aatCholWasm(P.n, m, colPtr, rowIdx, values, 1e-12, L);
      if (fixed !== null) return fixed < 0 ? null : new AAtSolver(m, L);
    }
    for (let j = 0; j < P.n; j++) {
      for (let a = colPtr[j]; a < colPtr[j + 1]; a++) {
        const base = rowIdx[a] * m;
        for (let b = colPtr[j]; b <= a; b++) L[base + rowIdx[b]] += values[a] * values[b];
      }
    }
    if (plan) return plan.factor(L, 1e-12) < 0 ? null : new AAtSolver(m, new Float64Array(0), plan);
    if (choleskyNormal(L, m, 1e-12) < 0) return null;
    return new AAtSolver(m, L);
  }

  /** Factored on the normal equations' pattern (else dense). */
  get onPattern(): boolean {
    return this.pattern !== null;
  }

  solve(r: Float64Array, w: Float64Array): void {
    w.set(r);
    if (this.pattern) this.pattern.solve(w, false);
    else cholSolve(this.L, this.m, w);
  }
}
