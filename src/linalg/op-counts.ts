/**
 * Operation counters of the dense kernels and the interior-point loop, read by the
 * benchmarks and by tests that pin the per-iteration work (docs/solver.md, "Where the
 * time goes"). Only counted, never used for control flow: a kernel bumps its counter
 * once per call, which costs nothing next to the call itself.
 */
export interface OpCounts {
  /** Dense n x n products of the complex Hermitian kernels (a sandwich P S P^H counts 2). */
  complexProducts: number;
  /** Dense n x n products of the real symmetric kernels (a sandwich counts 2). */
  realProducts: number;
  /** Hermitian eigendecompositions with vectors, and eigenvalue-only solves. */
  complexEigVectors: number;
  complexEigValues: number;
  /** Sparse passes over A: A x and A^T y. */
  mulA: number;
  mulAt: number;
  /** Triangular solve pairs with the factored Schur complement (direct, refinement or preconditioner). */
  normalSolves: number;
  /** Products with the assembled Schur complement (residuals of its iterative refinement). */
  schurMatVecs: number;
  /** Schur complement assemblies (one per interior-point iteration). */
  schurBuilds: number;
  /** Interior-point iterations (scalings computed). */
  iterations: number;
  /** Failed Mehrotra correctors for which the centring direction was tried, and kept (ipm.ts). */
  centringTries: number;
  centringKept: number;
  /**
   * The dense products (complex and real) by the loop operation that made them (the cones'
   * calls of src/conic/cone-group.ts ConeCalls; D applications by their use in ipm.ts), so
   * that where a block's products go is measured, not reasoned (docs/solver.md, item 3).
   */
  productsByUse: Record<string, number>;
}

export const opCounts: OpCounts = {
  complexProducts: 0,
  realProducts: 0,
  complexEigVectors: 0,
  complexEigValues: 0,
  mulA: 0,
  mulAt: 0,
  normalSolves: 0,
  schurMatVecs: 0,
  schurBuilds: 0,
  iterations: 0,
  centringTries: 0,
  centringKept: 0,
  productsByUse: {},
};

/** Sets every counter to zero. */
export function resetOpCounts(): void {
  for (const k of Object.keys(opCounts) as (keyof OpCounts)[]) if (k !== 'productsByUse') opCounts[k] = 0;
  opCounts.productsByUse = {};
}

/** Complex and real products counted so far (the mark `tallyProducts` counts from). */
export function productsSoFar(): number {
  return opCounts.complexProducts + opCounts.realProducts;
}

/** Adds the products counted since `mark` (productsSoFar) to `use`. */
export function tallyProducts(use: string, mark: number): void {
  const made = productsSoFar() - mark;
  if (made > 0) opCounts.productsByUse[use] = (opCounts.productsByUse[use] ?? 0) + made;
}

/** A copy of the counters (to subtract before/after a run). */
export function snapshotOpCounts(): OpCounts {
  return { ...opCounts, productsByUse: { ...opCounts.productsByUse } };
}
