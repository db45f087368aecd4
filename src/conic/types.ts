/**
 * Public types of the conic interior-point solver.
 *
 * Standard (SeDuMi/SDPT3/CSDP-primal) form:
 *
 *   primal:  minimize   c^T x   subject to  A x = b,  x in K
 *   dual:    maximize   b^T y   subject to  A^T y + z = c,  z in K*  (K is self-dual)
 *
 * K is a Cartesian product of the cones listed in `ConicProblem.cones`, laid out
 * one after the other in `x` in that order. This form keeps the Schur complement
 * (normal equations) m x m with m = number of equality rows, which is small for the
 * ISAC problems (a few rows per user plus the FIM LMI) and equal to the number of
 * SDPA variables for SDPLIB files (they are read into the dual).
 *
 * Vectorisation of matrix cones (so that <vec X, vec Y> = tr(X Y)):
 * - `psd` (real symmetric n x n, dimension n(n+1)/2): `svec`, the lower triangle
 *   column by column (for j = 0..n-1: X[j][j], X[j+1][j], ..., X[n-1][j]) with the
 *   off-diagonal entries multiplied by sqrt(2).
 * - `hpsd` (complex Hermitian n x n, dimension n^2): `hvec`, column by column: for
 *   j = 0..n-1: X[j][j] (real), then for i = j+1..n-1 the pair
 *   sqrt(2) Re X[i][j], sqrt(2) Im X[i][j].
 * Helpers live in `vec.ts`.
 */

/** One factor of the product cone K. */
export type Cone =
  /** Free variables (no sign constraint), `dim` of them. */
  | { kind: 'free'; dim: number }
  /** Nonnegative orthant of dimension `dim`. */
  | { kind: 'nonneg'; dim: number }
  /** Second-order cone {(t, u) : t >= ||u||_2}, dimension `dim` (t first). */
  | { kind: 'soc'; dim: number }
  /** Real symmetric PSD matrices of order `n`, stored as svec (n(n+1)/2 entries). */
  | { kind: 'psd'; n: number }
  /** Complex Hermitian PSD matrices of order `n`, stored as hvec (n^2 entries). */
  | { kind: 'hpsd'; n: number };

/** Compressed sparse rows: row i holds colIdx/values[rowPtr[i] .. rowPtr[i+1]). */
export interface SparseRows {
  rows: number;
  cols: number;
  rowPtr: Int32Array;
  colIdx: Int32Array;
  values: Float64Array;
}

/**
 * Optional structure hint: row `row` of A restricted to matrix cone number `cone`
 * equals vec( sum_r weights[r] v_r v_r^H ), v_r the columns of `factors`
 * (n x rank, column-major; for `hpsd` cones interleaved [re, im] so length 2 n rank).
 * The same entries MUST also be present in `A`; the solver may use the hint to build
 * the Schur complement faster, and must give the same answer without it.
 */
export interface LowRankHint {
  row: number;
  cone: number;
  rank: number;
  factors: Float64Array;
  weights: Float64Array;
}

export interface ConicProblem {
  c: Float64Array;
  A: SparseRows;
  b: Float64Array;
  cones: Cone[];
  lowRank?: LowRankHint[];
}

/** `bound_reached`: only with `earlyStop`, a dual point proved that the optimum is at least the target. */
export type SolveStatus = 'optimal' | 'primal_infeasible' | 'dual_infeasible' | 'max_iterations' | 'time_limit' | 'numerical_error' | 'bound_reached';

/**
 * Certified early stop for solves that only need a lower bound (early-stop.ts): the solve
 * ends with `bound_reached` at the first iterate whose dual point certifies, on the data as
 * given, that every feasible point costs at least `target`. (Added type.)
 */
export interface EarlyStop {
  /** Objective value to prove as a lower bound. */
  target: number;
  /**
   * A certified lower bound from a dual point y (the user's rows), replacing the default
   * one (certify.ts with the sizes of the points below the target). Must be valid for any y.
   */
  bound?: ((y: Float64Array) => number) | undefined;
}

export interface SolverSettings {
  /** Maximum interior-point iterations. Default 100. */
  maxIterations: number;
  /** Absolute duality-gap tolerance. Default 1e-8. */
  tolGapAbs: number;
  /** Relative duality-gap tolerance. Default 1e-8. */
  tolGapRel: number;
  /** Relative primal/dual residual tolerance. Default 1e-8. */
  tolFeas: number;
  /** Tolerance of infeasibility certificates. Default 1e-8. */
  tolInfeas: number;
  /** Reduced tolerances accepted with `almost: true` when progress stalls. Default 1e-5. */
  reducedTol: number;
  /** Wall-clock limit in seconds. Default Infinity. */
  timeLimit: number;
  /** Print one line per iteration to stderr. Default false. */
  verbose: boolean;
  /**
   * Kernel of `hpsd` cones: native complex arithmetic, or the real embedding
   * [[Re, -Im], [Im, Re]] of order 2n. Same answers; native is about twice as fast.
   * Default 'native'. (Added field.)
   */
  hermitian: 'native' | 'embedded';
  /**
   * Ruiz equilibration of rows and (per cone) columns of A and of the cost before solving
   * (equilibrate.ts); the answer is mapped back and residuals are recomputed on the
   * user's data. 'auto' (default): solve as given, and only when that ends in
   * numerical_error or max_iterations solve again equilibrated. (Added field.)
   */
  equilibrate: boolean | 'auto';
  /**
   * The solver estimates the size of x from the data (the median of |b_i| / ||A_i||) and
   * scales x by it when it is outside [1 / xScaleBand, xScaleBand] (equilibrate.ts:
   * normalise, beta). A builder that chose the units of x itself widens the band: the design
   * layer's SDPs carry every block in its power unit, and on them the estimate is off by up
   * to ~1/128 where x is of order one (docs/solver.md, "The size of x"), while an absurd
   * SINR target puts it at 1e-8, where the scaling is needed. A wider band can leave b small
   * against the status tests' floors (1 + ||b||), so a caller that widens it checks the
   * answer itself, as the design layer does. A finite number >= 1; default 16. (Added field.)
   */
  xScaleBand: number;
  /**
   * Estimate the size of x without the rows that have a single nonzero (they fix one
   * coordinate, whose value says nothing about the others), unless only those have b != 0.
   * The design layer's CRLB cones pin a coordinate to 2 kappa / eps, ~1e-7 at a loose bound,
   * and with several targets those pins set the median (docs/solver.md, "The size of x").
   * Default false. (Added field.)
   */
  xScaleSkipPins: boolean;
  /**
   * At most this many Gondzio centrality correctors per iteration (each one more solve
   * with the factored Schur complement and one eigen-decomposition per matrix block; kept
   * only when it lengthens the step). 0 gives plain Mehrotra predictor-corrector. Default 1.
   * (Added field.)
   */
  correctors: number;
  /**
   * When the Mehrotra corrector fails (a step below 0.1 with a residual refinement cannot
   * repair), try the pure centring direction and keep it when it is accurate and steps at
   * least 0.5 and further (ipm.ts, centringInstead). A try that is not kept leaves the
   * iterates as they were. Default true; false reproduces the solver without the fallback.
   * (Added field.)
   */
  centringFallback: boolean;
  /**
   * Certify the lower bound of an `optimal` answer on the user's data (solve.ts, Certifier:
   * the dual point's bound with its cone deficit priced, and the repairs that tighten it).
   * Default true. false leaves `lowerBound` at -Infinity, for callers that use only the point
   * (Algorithm 1's subproblems): the iterates and the answer are the same; infeasibility
   * certificates are checked either way. (Added field.)
   */
  certifyBound: boolean;
  /**
   * When a solve ends only `almost` (or breaks down) on a problem of PSD, nonnegative and
   * free cones whose primal has no interior, find the face every feasible x lies in from the
   * data (facial-reduction.ts: a certificate A^T u in K*, b^T u = 0, with a rational range
   * certified by least squares) and solve over that face; its answer, lifted back and checked
   * on the given data, replaces the first one when it is `optimal` at full accuracy. Problems
   * of up to 2000 coordinates and 1000 rows. Default true. (Added field.)
   */
  facialReduction: boolean;
  /** Certified early stop for bound-only solves (see EarlyStop); default none. (Added field.) */
  earlyStop?: EarlyStop | undefined;
}

export interface SolverResult {
  status: SolveStatus;
  /** True when the status was reached only to the reduced tolerances. */
  almost: boolean;
  /** Primal point (for `optimal`), or the primal ray certifying dual infeasibility. */
  x: Float64Array;
  /** Dual multipliers of A x = b (for `optimal`), or the ray certifying primal infeasibility. */
  y: Float64Array;
  /** Dual slack z = c - A^T y in K. */
  z: Float64Array;
  primalObjective: number;
  dualObjective: number;
  /** |pobj - dobj| / max(1, |pobj|, |dobj|). */
  relGap: number;
  /** ||A x - b|| / (1 + ||b||). */
  primalResidual: number;
  /** ||A^T y + z - c|| / (1 + ||c||). */
  dualResidual: number;
  iterations: number;
  /** Wall time of the whole `solve` call: the loop, the answer mapped back, and the checks of its certificate or bound. */
  seconds: number;
  /**
   * For `primal_infeasible`: ||A^T y + z|| with y normalised to b^T y = 1 (z in K is the
   * cone point that -A^T y is close to); for `dual_infeasible`: ||A x|| with c^T x = -1.
   * NaN otherwise. (Added field.)
   */
  certificateResidual: number;
  /**
   * A lower bound on the primal optimum certified on the user's data (certify.ts): b^T y
   * minus the cost of shifting c - A^T y onto the cone, priced by size bounds derived from
   * the rows. -Infinity when none could be certified (infeasibility statuses included), or
   * when the settings asked for none (`certifyBound` false). (Added field.)
   */
  lowerBound: number;
  /**
   * The re-check of an infeasibility certificate on the user's data (present for
   * `primal_infeasible` / `dual_infeasible`, and when a rejected one was downgraded to
   * `numerical_error`). `rigorous`: proven with size bounds from the rows; otherwise a
   * relative check. (Added field.)
   */
  certificate?: { verified: boolean; rigorous: boolean; residual: number };
  /** Why the status is what it is, when that needs saying (e.g. a rejected certificate). (Added field.) */
  note?: string;
}
