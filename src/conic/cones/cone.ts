/**
 * The per-cone interface of the interior-point method (after Clarabel): everything
 * the generic loop needs from one factor of K, on that factor's segment
 * [off, off + dim) of the global x / z vectors.
 *
 * Notation (Nesterov-Todd): the scaling W satisfies W x = W^{-T} z = lambda, the
 * scaled point. D = (W^T W)^{-1} is the block of the Schur complement weight
 * (A D A^T); it maps z to x (D z = x).
 */
export interface ConeKernel {
  /** Length of the segment in x and z. */
  readonly dim: number;
  /** Barrier degree nu (the number of "eigenvalues"). */
  readonly degree: number;
  /** Writes the identity e of the cone's Jordan algebra into v[off ..]. */
  unit(v: Float64Array, off: number): void;
  /**
   * Computes the NT scaling at (x, z). Returns false when x or z is not strictly
   * interior numerically (failed Cholesky, non-positive eigenvalue): the caller must
   * then stop, not use the stale scaling.
   */
  updateScaling(x: Float64Array, z: Float64Array, off: number): boolean;
  /** out[off ..] = D v[off ..]. */
  applyD(v: Float64Array, out: Float64Array, off: number): void;
  /**
   * Largest alpha (possibly Infinity) with x + alpha dx and z + alpha dz in K, computed in
   * the scaled space from the direction last formed by `dxFromDz` (and changed since only
   * through `correctDir` / `addToDx`; matrix cones use their cached W dx, W^{-T} dz and
   * ignore dx, dz). Leaves that scaled direction for `rhs(.., true)` and `centrality`.
   * With `enough`, the cone may return `enough` as soon as it knows the step is at least
   * that (matrix cones: one Cholesky factorisation instead of an eigenvalue solve).
   */
  maxStep(dx: Float64Array, dz: Float64Array, off: number, enough?: number): number;
  /**
   * out[off ..] = W^{-1} (lambda \ d) with d = sigmaMu e - lambda o lambda
   * - (W dx_a) o (W^{-T} dz_a); the last (Mehrotra) term only when `corrector`, using
   * the directions cached by the last `maxStep`.
   */
  rhs(sigmaMu: number, corrector: boolean, out: Float64Array, off: number): void;
  /**
   * out[off ..] = W^{-1}(lambda \ d - W^{-T} dz) with lambda \ d from the last `rhs`: the
   * same dx as s - D dz, but formed in the scaled space where everything is of size
   * sqrt(mu); s - D dz loses the small eigen-directions of x late in the run. Caches the
   * scaled direction W dx = lambda \ d - W^{-T} dz and W^{-T} dz it passes through.
   */
  dxFromDz(dz: Float64Array, out: Float64Array, off: number): void;
  /**
   * A refinement step changes the direction by dx += D w, dz -= w: writes D w into
   * out[off ..] and updates the cached scaled direction by linearity
   * (W dx += W^{-T} w, W^{-T} dz -= W^{-T} w; W D = W^{-T}).
   */
  correctDir(w: Float64Array, out: Float64Array, off: number): void;
  /** The loop adds v[off ..] to dx (a projection onto A dx = r): updates the cached W dx. */
  addToDx(v: Float64Array, off: number): void;
  /** Saves / restores the cached scaled direction (around a refinement step that may be undone). */
  saveDir(): void;
  restoreDir(): void;
  /**
   * The arrays that hold the cone's part of the current direction: what the last `rhs`,
   * `dxFromDz`, `correctDir` and `maxStep` left for the next ones (the scaled direction and the
   * scaled rhs). The loop copies them aside to undo a whole trial direction (ipm.ts).
   */
  directionState(): readonly Float64Array[];
  /**
   * Gondzio centrality corrector. With the direction cached by the last `maxStep`, the
   * scaled complementarity of the trial point (x + alpha dx, z + alpha dz) is
   * V = sym((lambda + alpha W dx)(lambda + alpha W^{-T} dz)); every eigenvalue of V below
   * `lo` is lifted to `lo`, every one above `hi` lowered to `hi` (by at most `hi`). That
   * change t is added to the right-hand side of the last `rhs` (lambda \ d += lambda \ t)
   * and out[off ..] += W^{-1}(lambda \ t). A cone may leave both unchanged (t = 0).
   */
  centrality(alpha: number, lo: number, hi: number, out: Float64Array, off: number): void;
}
