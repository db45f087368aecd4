/**
 * The generic primal-dual interior-point loop on the homogeneous self-dual embedding
 *
 *   A x - b tau = 0,   A^T y + z - c tau = 0,   b^T y - c^T x - kappa = 0,
 *   x, z in K,  tau, kappa >= 0,
 *
 * with Nesterov-Todd scaling and Mehrotra's predictor-corrector. Either tau stays away
 * from 0 (x/tau, y/tau, z/tau is optimal) or kappa does (a Farkas certificate of
 * primal or dual infeasibility emerges). Each Newton step eliminates dz, dx and
 * dkappa and solves the normal equations twice (for the tau column q once per iteration).
 */
import type { SolverResult, SolverSettings, SolveStatus, SparseRows } from './types.ts';
import { clipChange } from './cones/nonneg.ts';
import { type Prepared, type PreparedShape, residentKind, withKernels } from './prepare.ts';
import { NormalEquations, AAtSolver } from './kkt.ts';
import { dot, norm2 } from '../linalg/real-dense.ts';
import { opCounts, productsSoFar, tallyProducts } from '../linalg/op-counts.ts';
import { slotOf, VectorSpace, vectorKernels } from '../linalg/wasm-vectors.ts';
import { fusedNeed } from '../linalg/wasm-kernels.ts';
import { H2_BLOCK } from './cones/hpsd2.ts';
import { ConeCalls } from './cone-group.ts';
import { addXpaw, axmy, axmymz, axpy, directionResidual, over, sumSquaresOfSum, times, xmy, xpay } from '../linalg/vector-ops.ts';
import { startRowNormsWasm } from './scans-wasm.ts';
import type { IterateCheck } from './early-stop.ts';

/** dz = eta rd + c dtau - A^T p - dtau A^T q (solveDir's dual direction), entry by entry. */
function dzOf(eta: number, rd: Float64Array, c: Float64Array, dtau: number, Atp: Float64Array, Atq: Float64Array, dz: Float64Array, n: number): void {
  const k = vectorKernels(rd, c, Atp, Atq);
  if (k && vectorKernels(dz)) {
    k.vDzOf(eta, slotOf(rd), slotOf(c), dtau, slotOf(Atp), slotOf(Atq), slotOf(dz), n);
    return;
  }
  for (let j = 0; j < n; j++) dz[j] = eta * rd[j] + c[j] * dtau - Atp[j] - dtau * Atq[j];
}

/** The result fields the loop fills, with x, y, z in the internal space (solve.ts maps them back). */
export type IpmOutput = Pick<SolverResult, 'status' | 'almost' | 'x' | 'y' | 'z' | 'primalObjective' | 'dualObjective' | 'certificateResidual' | 'iterations'>;

interface Metrics {
  pres: number;
  dres: number;
  pobj: number;
  dobj: number;
  gap: number;
  relGap: number;
  /** ||A^T y + z|| / b^T y when b^T y > 0 (primal infeasibility certificate quality). */
  pinf: number;
  /** ||A x|| / -c^T x when c^T x < 0 (dual infeasibility certificate quality). */
  dinf: number;
  by: number;
  cx: number;
}

const STEP = 0.99;
/**
 * A cone's step length beyond this does not change the step taken (min(1, STEP a)), nor any
 * decision on it (sigma from min(1, a_aff), the correctors' a < 0.95 and 1.05 a tests): the
 * cones may stop at "at least this" (a Cholesky test instead of an eigenvalue solve). STEP *
 * ENOUGH_STEP must be at least 1, so that a step no cone limits is a full step (for 0.99 the
 * product rounds to exactly 1).
 */
const ENOUGH_STEP = 1 / STEP;
/**
 * Refinement steps per direction (each one PCG solve, kept only when it halves the
 * residual). 3 left the hexagon relaxation stalled at relative residuals ~1e-7; 6 reach 1e-8.
 */
const MAX_REFINE = 6;
/**
 * Refinement steps against the assembled M of the solve that starts each PCG correction (the
 * other solves take 3). The CG iterations after it refine against the operator as the
 * direction applies it, so further steps against M mostly repeat that work: with 1 instead of
 * 3, the three-target paper SDPs solve in 49-51 ms instead of 61 (T = 1 unchanged, 18 ms),
 * the hexagon relaxation keeps its 30 iterations with 4 % fewer products per block, and the
 * certified gaps of bench/certify-gaps.ts stay within 1e-6 where they were (two badly scaled
 * cases improve, one from `almost` 5.7e-5 to `optimal` 8.3e-7). 0 was faster still on the
 * three-target SDPs but left one badly scaled case at a 3e-2 gap.
 */
const PCG_START_REFINE = 1;
/**
 * A Mehrotra corrector whose step is below this and whose residual refinement could not bring
 * down is replaced by the pure centring direction when that does better (centringInstead).
 * Above it the corrector works, inaccurate or not, and Gondzio's correctors take over.
 */
const FAILED_STEP = 0.1;
/** The centring direction replaces a failed corrector only when its step is at least this. */
const CENTRED_STEP = 0.5;
/** Residuals within this factor of the tolerance are worth a polish (InteriorPoint.polish). */
const POLISH_RANGE = 10;
/** Conjugate-gradient steps of one PCG correction, at most. */
const CG_MAX_STEPS = 20;
/**
 * A PCG correction stops after this many steps in a row that do not halve its best residual
 * norm (nr < 0.25 best in squares). Preconditioned by the factor of M, CG mostly converges in
 * a few steps or meets the rounding floor of the A D A^T products and stays there to the last
 * digit: over the 40 paper-scale three-target SDPs of bench/targets-solve.ts, 51 of 241
 * corrections ran all 20 steps, flat after the first 1-3 (71 % of the CG steps, each an
 * application of D to every block and two passes over A). 2 changed SDPLIB's hinf2 (23 -> 30
 * iterations) and hinf3 (`optimal` -> `almost`), whose refinement can resume after a
 * plateau; 3 and 4 leave every SDPLIB status and iteration count as it was but hinf3's
 * (27 -> 28 with 3).
 */
const CG_IDLE_STEPS = 3;

/**
 * The interior-point loop on a prepared problem: predictor-corrector steps until optimal,
 * infeasible (with a certificate) or a limit. The cones' kernels are made here, once, in the
 * run's space (spaceFor).
 */
export function runIpm(shape: PreparedShape, S: SolverSettings, t0: number, earlyStop?: IterateCheck): IpmOutput {
  const space = spaceFor(shape);
  try {
    const ip = new InteriorPoint(withKernels(shape, space), S, t0, space, earlyStop);
    try {
      return ip.run();
    } finally {
      ip.release();
    }
  } finally {
    space.release();
  }
}

/**
 * The run's space (src/linalg/wasm-vectors.ts: WebAssembly memory when it is free, else an
 * arena) for its vectors (27 of length n, 18 of m: b and c copied in) and the matrices of the
 * cones that live there (prepare.ts residentKind), after the kernels' slots for the largest of
 * them. When it is WebAssembly memory, withKernels makes those cones there (their operations
 * then run in place).
 */
function spaceFor(shape: PreparedShape): VectorSpace {
  let reserve = 0;
  let matrices = 0;
  for (const k of shape.cones) {
    const kind = residentKind(k, shape.hermitian);
    if (kind === 'h2') matrices += H2_BLOCK;
    else if (kind !== null) {
      matrices += (kind === 'hermitian' ? 20 : 10) * k.n * k.n + 2 * k.n + 2;
      reserve = Math.max(reserve, fusedNeed(k.n));
    }
  }
  return VectorSpace.acquire(27 * (shape.n + 1) + 18 * (shape.m + 1) + 16 + matrices, reserve);
}

const isOptimal = (M: Metrics, tol: number, tolGapAbs: number, tolGapRel: number) =>
  M.pres <= tol && M.dres <= tol && (M.gap <= tolGapAbs || M.relGap <= tolGapRel);

/** A direction (dx, dy, dz, dtau, dkappa) kept aside, to restore when a correction does not pay. */
interface SavedDirection {
  dx: Float64Array;
  dy: Float64Array;
  dz: Float64Array;
  dtau: number;
  dkappa: number;
}

/**
 * The state of one run of the loop. A class, not a function with closures: the methods are
 * the same function objects in every solve, so the optimised code of one solve stays valid
 * for the next (per-solve closures made `solveDir` deoptimise with "wrong call target" about
 * every third solve of a warm loop).
 */
class InteriorPoint {
  private readonly n: number;
  private readonly m: number;
  private readonly b: Float64Array;
  private readonly c: Float64Array;
  private readonly cones: Prepared['cones'];
  private readonly x: Float64Array;
  private readonly z: Float64Array;
  private readonly y: Float64Array;
  private tau = 1;
  private kappa = 1;
  private nu = 0;
  private readonly kkt: NormalEquations;
  /** The cones' operations, runs of same-order cones in one WebAssembly call each (cone-group.ts). */
  private readonly calls: ConeCalls;
  /** A A^T, factored only when a projection is first needed (most solves never need one). */
  private proj: AAtSolver | null | undefined;
  /** The iterate before a polish (restored when it fails), and scratch for its corrections. */
  private readonly polX: Float64Array;
  private readonly polY: Float64Array;
  private readonly polZ: Float64Array;
  private readonly polT: Float64Array;
  private readonly tm2: Float64Array;
  private readonly normB: number;
  private readonly normC: number;
  private readonly Ax: Float64Array;
  private readonly Aty: Float64Array;
  private readonly rp: Float64Array;
  private readonly rd: Float64Array;
  private readonly Dc: Float64Array;
  private readonly Drd: Float64Array;
  private readonly q: Float64Array;
  private readonly Atq: Float64Array;
  private readonly v1: Float64Array;
  private readonly Dv1: Float64Array;
  private readonly s: Float64Array;
  private readonly dx: Float64Array;
  private readonly dz: Float64Array;
  private readonly dy: Float64Array;
  private readonly p: Float64Array;
  private readonly Atp: Float64Array;
  private readonly tn: Float64Array;
  private readonly tm: Float64Array;
  private dtau = 0;
  private dkappa = 0;
  // for the verbose log: affine step, correctors kept, the cone that limited the last step
  // (cones.length: tau, cones.length + 1: kappa)
  private lastAff = 0;
  private lastCorr = 0;
  /** The last step taken (for the verbose log). */
  private lastAlpha = 0;
  /** Consecutive steps below 1e-3, and the best merit after each step (stallAfter). */
  private smallSteps = 0;
  private readonly meritHist: number[] = [];
  private blocker = -1;
  private readonly best: { merit: number; x: Float64Array; y: Float64Array; z: Float64Array; tau: number; kappa: number; met: Metrics | null };
  // per-iteration quantities used by solveDir
  private rg = 0;
  private denom = 1;
  /** Residual of rows (1) of the current direction (dirResidual). */
  private readonly e1: Float64Array;
  /** The direction before a refinement step. */
  private readonly keep: SavedDirection;
  private refLog = '';
  /**
   * The last direction's residual stayed above the residual it is meant to remove, after
   * refinement (refine then projected it onto the equality constraints).
   */
  private dirInexact = false;
  /** The cones' direction state set aside around a centring try (saveConeState). */
  private coneSnapshot: Float64Array[] | null = null;
  private readonly cgR: Float64Array;
  private readonly cgZ: Float64Array;
  private readonly cgP: Float64Array;
  private readonly cgAp: Float64Array;
  private readonly cgT: Float64Array;
  private readonly cgT2: Float64Array;
  /** The direction (and complementarity rhs) before a centrality corrector. */
  private readonly saved: SavedDirection & { s: Float64Array };

  constructor(
    private readonly P: Prepared,
    private readonly S: SolverSettings,
    private readonly t0: number,
    space: VectorSpace,
    private readonly earlyStop?: IterateCheck,
  ) {
    const { n, m, b, c, cones } = P;
    this.n = n;
    this.m = m;
    this.cones = cones;
    const vn = () => space.f64(n);
    const vm = () => space.f64(m);
    this.b = vm();
    this.b.set(b);
    this.c = vn();
    this.c.set(c);
    this.x = vn();
    this.z = vn();
    this.y = vm();
    const scales = startScales(P);
    for (const [ci, k] of cones.entries()) {
      k.kernel.unit(this.x, k.off);
      k.kernel.unit(this.z, k.off);
      for (let j = k.off; j < k.off + k.dim; j++) {
        this.x[j] *= scales.xi[ci];
        this.z[j] *= scales.eta[ci];
      }
      this.nu += k.kernel.degree;
    }
    this.kkt = NormalEquations.of(P);
    this.calls = new ConeCalls(cones, space.coneKernels);
    this.kappa = Math.max(1e-8, dot(this.x, this.z, n) / Math.max(this.nu, 1));
    this.normB = norm2(b);
    this.normC = norm2(c);
    this.Ax = vm();
    this.Aty = vn();
    this.rp = vm();
    this.rd = vn();
    this.Dc = vn();
    this.Drd = vn();
    this.q = vm();
    this.Atq = vn();
    this.v1 = vn();
    this.Dv1 = vn();
    this.s = vn();
    this.dx = vn();
    this.dz = vn();
    this.dy = vm();
    this.p = vm();
    this.Atp = vn();
    this.tn = vn();
    this.tm = vm();
    this.best = { merit: Infinity, x: vn(), y: vm(), z: vn(), tau: 1, kappa: 1, met: null };
    this.e1 = vm();
    this.keep = { dx: vn(), dy: vm(), dz: vn(), dtau: 0, dkappa: 0 };
    this.cgR = vm();
    this.cgZ = vm();
    this.cgP = vm();
    this.cgAp = vm();
    this.cgT = vn();
    this.cgT2 = vn();
    this.saved = { dx: vn(), dy: vm(), dz: vn(), s: vn(), dtau: 0, dkappa: 0 };
    this.polX = vn();
    this.polY = vm();
    this.polZ = vn();
    this.polT = vn();
    this.tm2 = vm();
  }

  private blockerName(): string {
    const { blocker, cones } = this;
    return blocker < 0 ? '-' : blocker === cones.length ? 'tau' : blocker > cones.length ? 'kappa' : `${cones[blocker].kind}${blocker}`;
  }

  /** out = D v, counted under `use` (op-counts.ts productsByUse). */
  private applyD(v: Float64Array, out: Float64Array, use: string): void {
    this.calls.applyD(v, out, use);
  }

  private maxStep(): number {
    const { cones, dx, dz, dtau, dkappa, tau, kappa } = this;
    let { a, who } = this.calls.maxStep(dx, dz, ENOUGH_STEP);
    if (dtau < 0 && -tau / dtau < a) {
      a = -tau / dtau;
      who = cones.length;
    }
    if (dkappa < 0 && -kappa / dkappa < a) {
      a = -kappa / dkappa;
      who = cones.length + 1;
    }
    this.blocker = who;
    return a;
  }

  /** Newton direction for the target (1 - eta) residuals, complementarity rhs s, tau-kappa rhs rtk. */
  private solveDir(eta: number, rtk: number): void {
    const { n, m, b, c, tn, tm, s, Drd, rp, rd, p, Atp, dx, dy, dz, q, Atq } = this;
    axmy(eta, Drd, s, tn, n);
    this.kkt.mulA(tn, tm);
    axpy(eta, rp, tm, m);
    this.kkt.solve(tm, p);
    this.kkt.mulAt(p, Atp);
    // dx0 = s - D(eta rd - A^T p) explicitly, for c.dx0 in dtau's equation (dot products
    // of explicit vectors avoid the large cancelling terms of (Dc).A^T p)
    axmy(eta, rd, Atp, tn, n);
    this.applyD(tn, dx, 'D dx0');
    xmy(s, dx, dx, n);
    const num = eta * this.rg - dot(b, p, m) + dot(c, dx, n) + rtk / this.tau;
    const dtau = num / this.denom;
    this.dtau = dtau;
    xpay(p, dtau, q, dy, m);
    dzOf(eta, rd, c, dtau, Atp, Atq, dz, n);
    this.calls.dxFromDz(dz, dx);
    this.dkappa = (rtk - this.kappa * dtau) / this.tau;
    this.refine(eta);
  }

  /** Copies the cones' direction state aside (ConeKernel.directionState), with buffers made at the first call. */
  private saveConeState(): void {
    const snap = (this.coneSnapshot ??= this.cones.flatMap((k) => k.kernel.directionState().map((a) => new Float64Array(a.length))));
    let i = 0;
    for (const k of this.cones) for (const a of k.kernel.directionState()) snap[i++].set(a);
  }

  /** Puts back what saveConeState copied. */
  private restoreConeState(): void {
    const snap = this.coneSnapshot as Float64Array[];
    let i = 0;
    for (const k of this.cones) for (const a of k.kernel.directionState()) a.set(snap[i++]);
  }

  /** The predictor (affine scaling: zero residuals and complementarity targeted) and its step. */
  private affineStep(): number {
    this.calls.rhs(0, false, this.s);
    this.solveDir(1, -this.tau * this.kappa);
    return this.maxStep();
  }

  /**
   * The corrector after the affine step: centring plus the second-order Mehrotra term (from
   * the scaled affine direction the cones cached at its maxStep), tau-kappa rhs rtk; its step.
   */
  private mehrotraStep(sigma: number, mu: number, rtk: number): number {
    this.calls.rhs(sigma * mu, true, this.s);
    this.solveDir(1 - sigma, rtk);
    return this.maxStep();
  }

  /**
   * The Mehrotra corrector failed: its step is below FAILED_STEP and refinement left its
   * residual above what it was to remove. Its second-order term (W dx_a) o (W^-T dz_a) is then
   * not small: late in the run an affine direction can move a nearly degenerate cone by
   * hundreds of times its scaled size lambda along the cone's boundary (a second-order cone
   * of the paper's fixed SDP, whose NT scaling then has condition ~1e11), and the corrector
   * built on it is garbage that no refinement repairs. The textbook fallback is the pure
   * centring direction (sigma mu e - lambda o lambda, no second-order term). It is kept when
   * it is accurate (refinement brought it within the residual) and its step is longer;
   * otherwise null, and the caller puts back the corrector it set aside.
   */
  private centringInstead(sigma: number, mu: number, aMehrotra: number): number | null {
    opCounts.centringTries++;
    this.calls.rhs(sigma * mu, false, this.s);
    this.solveDir(1 - sigma, sigma * mu - this.tau * this.kappa);
    if (this.dirInexact) return null;
    const a = this.maxStep();
    if (this.S.verbose) this.refLog += ` centred(${aMehrotra.toFixed(3)}->${a.toFixed(3)})`;
    if (!(a > aMehrotra && a >= CENTRED_STEP)) return null;
    opCounts.centringKept++;
    return a;
  }

  /** Residual norm of rows (1) and (3) for the current direction; fills e1, returns [norm, e3]. */
  private dirResidual(eta: number): [number, number] {
    const { m, n, b, c, tm, e1, rp, dx, dy } = this;
    this.kkt.mulA(dx, tm);
    const ne = directionResidual(eta, rp, tm, b, this.dtau, e1, m);
    const e3 = eta * this.rg - (-dot(c, dx, n) + dot(b, dy, m) - this.dkappa);
    return [Math.sqrt(ne) + Math.abs(e3), e3];
  }

  /**
   * Iterative refinement of the Newton direction on the rows that elimination leaves
   * inexact: A dx - b dtau = eta rp and -c.dx + b.dy - dkappa = eta rg (the other
   * equations hold by construction). Without it the primal residual stalls near 1e-7
   * on problems where D is badly scaled.
   */
  private refine(eta: number): void {
    const { m, n, b, S, rp, keep, dx, dy, dz, e1, p, Atp, Dc, v1, q, tn, cones } = this;
    const target = 1e-3 * eta * (norm2(rp) + Math.abs(this.rg)) + 1e-2 * S.tolFeas * (1 + this.normB) * this.tau;
    let [ne, e3] = this.dirResidual(eta);
    for (let it = 0; it < MAX_REFINE && ne > target; it++) {
      this.copyDirection(keep);
      for (let ix = 0; ix < cones.length; ix++) cones[ix].kernel.saveDir();
      // correction with rhs (e1, 0, e3, 0, 0): dy += p + ct q, dz -= w, dx += D w with
      // w = A^T p - ct v1 (c.D A^T p as (D c).A^T p)
      this.pcgSolve(e1, p);
      this.kkt.mulAt(p, Atp);
      const ct = (e3 - dot(b, p, m) + dot(Dc, Atp, n)) / this.denom;
      axpy(-ct, v1, Atp, n);
      this.calls.correctDir(Atp, tn);
      addXpaw(p, ct, q, dy, m);
      xmy(dz, Atp, dz, n);
      axpy(1, tn, dx, n);
      this.dtau += ct;
      this.dkappa -= (this.kappa * ct) / this.tau;
      const [ne2, e32] = this.dirResidual(eta);
      if (S.verbose) this.refLog += ` ${(ne / (target + 1e-300)).toExponential(0)}>${(ne2 / (target + 1e-300)).toExponential(0)}`;
      if (!(ne2 < 0.5 * ne)) {
        // no real progress: M is too ill-conditioned for this correction, keep the old direction
        this.setDirection(keep);
        for (let ix = 0; ix < cones.length; ix++) cones[ix].kernel.restoreDir();
        break;
      }
      ne = ne2;
      e3 = e32;
    }
    this.dirInexact = ne > eta * (norm2(rp) + Math.abs(this.rg)) + 1e-2 * S.tolFeas * (1 + this.normB) * this.tau;
    if (!this.dirInexact) return;
    if (this.proj === undefined) this.proj = AAtSolver.create(this.P);
    const proj = this.proj;
    if (proj) {
      // what refinement could not fix, when it is larger than the residual the direction is
      // meant to remove (a step would then increase the residuals): project dx onto
      // A dx = b dtau + eta rp with the constant, well-conditioned A A^T (e1 holds the
      // current residual). Not for smaller errors: the projection is not weighted by the
      // scaling, so it spoils the complementarity part of the direction and the step
      // length collapses (measured on control2 and the hexagon relaxation).
      this.dirResidual(eta);
      proj.solve(e1, p);
      this.kkt.mulAt(p, Atp);
      axpy(1, Atp, dx, n);
      const mark = productsSoFar();
      for (let ix = 0; ix < cones.length; ix++) cones[ix].kernel.addToDx(Atp, cones[ix].off);
      tallyProducts('projection', mark);
    }
  }

  /**
   * Solves (A D A^T) w = r by conjugate gradients on the operator exactly as the
   * direction applies it (applyD), preconditioned by the Cholesky factor of M. Late in
   * the run M (as assembled and factored) is no longer accurate enough for the
   * corrections of `refine`; the true operator with M as preconditioner is.
   */
  private pcgSolve(rhs: Float64Array, w: Float64Array): void {
    const { m, kkt, cgR, cgZ, cgP, cgAp, cgT, cgT2 } = this;
    // the same steps in WebAssembly when every cone is a real PSD block (kkt.ts pcg)
    if (kkt.pcg(rhs, w, CG_MAX_STEPS, CG_IDLE_STEPS, PCG_START_REFINE)) return;
    // one refinement step against M only: the CG below refines against the true operator
    kkt.solve(rhs, w, PCG_START_REFINE);
    // r = rhs - A D A^T w
    kkt.mulAt(w, cgT);
    this.applyD(cgT, cgT2, 'D cg');
    kkt.mulA(cgT2, cgAp);
    let nr0 = 0;
    for (let i = 0; i < m; i++) {
      cgR[i] = rhs[i] - cgAp[i];
      nr0 += rhs[i] * rhs[i];
    }
    kkt.precond(cgR, cgZ);
    cgP.set(cgZ);
    let rz = dot(cgR, cgZ, m);
    let best = Infinity;
    let idle = 0;
    for (let it = 0; it < CG_MAX_STEPS && rz > 0; it++) {
      kkt.mulAt(cgP, cgT);
      this.applyD(cgT, cgT2, 'D cg');
      kkt.mulA(cgT2, cgAp);
      const pAp = dot(cgP, cgAp, m);
      if (!(pAp > 0)) break;
      const al = rz / pAp;
      let nr = 0;
      for (let i = 0; i < m; i++) {
        w[i] += al * cgP[i];
        cgR[i] -= al * cgAp[i];
        nr += cgR[i] * cgR[i];
      }
      if (nr < 1e-24 * nr0) break;
      // stagnation: the attainable accuracy of A D A^T products is reached (CG_IDLE_STEPS)
      if (nr < 0.25 * best) {
        best = nr;
        idle = 0;
      } else if (++idle >= CG_IDLE_STEPS) break;
      kkt.precond(cgR, cgZ);
      const rz2 = dot(cgR, cgZ, m);
      for (let i = 0; i < m; i++) cgP[i] = cgZ[i] + (rz2 / rz) * cgP[i];
      rz = rz2;
    }
  }

  /** Copies the current direction into `to`. */
  private copyDirection(to: SavedDirection): void {
    to.dx.set(this.dx);
    to.dy.set(this.dy);
    to.dz.set(this.dz);
    to.dtau = this.dtau;
    to.dkappa = this.dkappa;
  }

  /** Makes `from` the current direction again. */
  private setDirection(from: SavedDirection): void {
    this.dx.set(from.dx);
    this.dy.set(from.dy);
    this.dz.set(from.dz);
    this.dtau = from.dtau;
    this.dkappa = from.dkappa;
  }

  private keepDir(): void {
    this.copyDirection(this.saved);
    this.saved.s.set(this.s);
  }

  private restoreDir(): void {
    this.setDirection(this.saved);
    this.s.set(this.saved.s);
  }

  private metrics(): Metrics {
    const { n, m, b, c, x, y, z, tau, Aty, Ax, normB, normC } = this;
    const cx = dot(c, x, n);
    const by = dot(b, y, m);
    const pobj = cx / tau;
    const dobj = by / tau;
    const gap = Math.abs(pobj - dobj);
    // a certificate must not be rounding noise: b^T y (resp. -c^T x) clearly positive
    // relative to the sizes involved
    let pinf = Infinity;
    if (by > 1e-12 * normB * norm2(y)) {
      pinf = Math.sqrt(sumSquaresOfSum(Aty, z, n)) / by;
    }
    let dinf = Infinity;
    if (-cx > 1e-12 * normC * norm2(x)) dinf = norm2(Ax) / -cx;
    return {
      pres: norm2(this.rp) / tau / (1 + normB),
      dres: norm2(this.rd) / tau / (1 + normC),
      pobj,
      dobj,
      gap,
      relGap: gap / Math.max(1, Math.abs(pobj), Math.abs(dobj)),
      pinf,
      dinf,
      by,
      cx,
    };
  }

  private output(status: SolveStatus, almost: boolean, it: number, X: Float64Array, Y: Float64Array, Z: Float64Array, tu: number, M: Metrics): IpmOutput {
    const { n, m } = this;
    if (status === 'primal_infeasible') {
      const sc = 1 / M.by;
      return {
        status,
        almost,
        iterations: it,
        x: new Float64Array(n),
        y: times(Y, sc),
        z: times(Z, sc),
        primalObjective: Infinity,
        dualObjective: Infinity,
        certificateResidual: M.pinf,
      };
    }
    if (status === 'dual_infeasible') {
      const sc = 1 / -M.cx;
      return {
        status,
        almost,
        iterations: it,
        x: times(X, sc),
        y: new Float64Array(m),
        z: new Float64Array(n),
        primalObjective: -Infinity,
        dualObjective: -Infinity,
        certificateResidual: M.dinf,
      };
    }
    return {
      status,
      almost,
      iterations: it,
      x: over(X, tu),
      y: over(Y, tu),
      z: over(Z, tu),
      primalObjective: M.pobj,
      dualObjective: M.dobj,
      certificateResidual: NaN,
    };
  }

  /**
   * The end game's shortcut: an iterate that meets the gap tolerance, or whose complementarity
   * x.z / tau^2 does (the gap of a feasible point; a centring step can leave the gap itself
   * above the tolerance only through its residuals), with residuals just above theirs (within
   * POLISH_RANGE) is moved onto the equality constraints by the least change in
   * the scaled norm of this iteration's Nesterov-Todd point, with the factored M = A D A^T:
   * the primal by dx = D A^T M^-1 rp (so A dx = rp), the dual by dy = M^-1 A D rd and
   * z = c tau - A^T y. Weighted by D, the correction moves each cone along its own large
   * directions, so the point stays inside where an unweighted projection (A A^T) left it
   * (measured: a matrix block and two SOCs of a three-target SDP left; weighted, 1 of 29 tries
   * on 40 such SDPs ends outside, 8 miss the gap). The result is kept only when both points
   * are strictly inside their cones (each kernel's scaling is the test) and meets every
   * tolerance; otherwise the iterate, its scaling and M are restored and the iteration goes
   * on. Such iterates otherwise spend iterations on directions the refinement can no longer
   * make accurate enough (M ill-conditioned, steps of 0.001-0.1 blocked by a cone).
   */
  private polish(met: Metrics): Metrics | null {
    const { S, n, m, x, y, z, c, rp, rd, kkt, tm, tn, polX, polY, polZ, polT, tm2 } = this;
    const tol = S.tolFeas;
    if (!(met.pres <= POLISH_RANGE * tol && met.dres <= POLISH_RANGE * tol)) return null;
    if (!(met.gap <= S.tolGapAbs || met.relGap <= S.tolGapRel || this.complementarityMet(met))) return null;
    polX.set(x);
    polY.set(y);
    polZ.set(z);
    if (met.pres > tol) {
      kkt.solve(rp, tm);
      kkt.mulAt(tm, tn);
      this.applyD(tn, polT, 'D polish');
      axpy(1, polT, x, n);
    }
    if (met.dres > tol) {
      this.applyD(rd, tn, 'D polish');
      kkt.mulA(tn, tm2);
      kkt.solve(tm2, tm);
      axpy(1, tm, y, m);
      kkt.mulAt(y, tn);
      axmy(this.tau, c, tn, z, n);
    }
    const inside = this.calls.updateScaling(x, z);
    if (inside) {
      const after = this.residuals();
      if (isOptimal(after, tol, S.tolGapAbs, S.tolGapRel)) return after;
    }
    x.set(polX);
    y.set(polY);
    z.set(polZ);
    // the corrections wrote only scratch; the residuals changed only if they were re-evaluated
    if (inside) this.residuals();
    // the scaling and factorisation of before the try (the same point: the same values)
    this.calls.updateScaling(x, z);
    kkt.factor();
    return null;
  }

  /** x.z / tau^2, the gap a feasible point here would have, meets the gap tolerance. */
  private complementarityMet(met: Metrics): boolean {
    const { S } = this;
    const compl = dot(this.x, this.z, this.n) / (this.tau * this.tau);
    return compl <= S.tolGapAbs || compl / Math.max(1, Math.abs(met.pobj), Math.abs(met.dobj)) <= S.tolGapRel;
  }

  /** Ax, A^T y, rp, rd and the metrics at the current iterate. */
  private residuals(): Metrics {
    const { n, m, b, c, x, y, z, Ax, Aty, rp, rd } = this;
    this.kkt.mulA(x, Ax);
    this.kkt.mulAt(y, Aty);
    axmy(this.tau, b, Ax, rp, m);
    axmymz(this.tau, c, Aty, z, rd, n);
    return this.metrics();
  }

  /** Ends without full accuracy: the best iterate, promoted when it meets the reduced tolerances. */
  private finish(status: SolveStatus, it: number, why = ''): IpmOutput {
    const { S, best } = this;
    if (S.verbose) console.error(`stop at iteration ${it}: ${status}${why ? ` (${why})` : ''}, best merit ${best.merit.toExponential(1)}`);
    const M = best.met;
    if (!M) return this.output(status, false, it, this.x, this.y, this.z, this.tau, this.metrics());
    const r = S.reducedTol;
    if (isOptimal(M, r, r, r)) return this.output('optimal', true, it, best.x, best.y, best.z, best.tau, M);
    if (M.pinf <= r) return this.output('primal_infeasible', true, it, best.x, best.y, best.z, best.tau, M);
    if (M.dinf <= r) return this.output('dual_infeasible', true, it, best.x, best.y, best.z, best.tau, M);
    return this.output(status, false, it, best.x, best.y, best.z, best.tau, M);
  }

  /** The loop is over: its normal equations give back a large WebAssembly memory. */
  release(): void {
    this.kkt.release();
  }

  run(): IpmOutput {
    const { n, S, x, y, z, dx, dy, dz, kkt } = this;
    for (let iter = 0; ; iter++) {
      const met = this.residuals();
      this.rg = this.kappa + met.cx - met.by;
      const mu = (dot(x, z, n) + this.tau * this.kappa) / (this.nu + 1);
      if (S.verbose) this.logIteration(iter, met, mu);
      const ended = this.verdict(iter, met, mu);
      if (ended) return ended;

      opCounts.iterations++;
      if (!this.calls.updateScaling(x, z) || !kkt.factor()) return this.finish('numerical_error', iter);
      const polished = this.polish(met);
      if (polished) {
        if (S.verbose)
          console.error(`    polished: pres ${polished.pres.toExponential(1)} dres ${polished.dres.toExponential(1)} gap ${polished.relGap.toExponential(1)}`);
        return this.output('optimal', false, iter, x, y, z, this.tau, polished);
      }
      this.tauColumn();

      this.refLog = '';
      const aAff = Math.min(1, this.affineStep());
      if (!(aAff >= 0)) return this.finish('numerical_error', iter);
      const sigma = Math.min(1, Math.max(0, (1 - aAff) ** 3));
      this.lastAff = aAff;
      const aMax = this.correctedStep(sigma, mu);
      if (!(aMax >= 0)) return this.finish('numerical_error', iter);
      const alpha = Math.min(1, STEP * aMax);
      this.lastAlpha = alpha;

      axpy(alpha, dx, x, n);
      axpy(alpha, dz, z, n);
      axpy(alpha, dy, y, this.m);
      this.tau += alpha * this.dtau;
      this.kappa += alpha * this.dkappa;
      const why = this.stallAfter(alpha);
      if (why) return this.finish('numerical_error', iter + 1, why);
    }
  }

  /** One line per iteration on stderr (`verbose`). */
  private logIteration(iter: number, met: Metrics, mu: number): void {
    // console.error, not process.stderr: the solver also runs in browsers (web/).
    console.error(
      `${String(iter).padStart(3)} pobj ${met.pobj.toExponential(6)} dobj ${met.dobj.toExponential(6)} ` +
        `pres ${met.pres.toExponential(1)} dres ${met.dres.toExponential(1)} gap ${met.relGap.toExponential(1)} ` +
        `a ${this.lastAlpha.toFixed(3)} aff ${this.lastAff.toFixed(3)} cc ${this.lastCorr} blk ${this.blockerName()} mu ${mu.toExponential(1)} tau ${this.tau.toExponential(1)} kap ${this.kappa.toExponential(1)} fix ${this.kkt.fixedPivots} ref ${this.refLog}`,
    );
  }

  /**
   * The answer when the iterate settles the problem (optimal, a certificate of infeasibility,
   * the early stop's bound) or the run must end (iteration or time limit); null to go on. The
   * best iterate so far is kept for an end without full accuracy (finish).
   */
  private verdict(iter: number, met: Metrics, mu: number): IpmOutput | null {
    const { S, x, y, z, best } = this;
    if (!Number.isFinite(mu) || !Number.isFinite(met.pres) || !Number.isFinite(met.dres)) return this.finish('numerical_error', iter);
    if (isOptimal(met, S.tolFeas, S.tolGapAbs, S.tolGapRel)) return this.output('optimal', false, iter, x, y, z, this.tau, met);
    if (met.pinf <= S.tolInfeas) return this.output('primal_infeasible', false, iter, x, y, z, this.tau, met);
    if (met.dinf <= S.tolInfeas) return this.output('dual_infeasible', false, iter, x, y, z, this.tau, met);
    // Certified early stop (early-stop.ts): the dual point already proves the target bound.
    if (this.earlyStop?.(y, this.tau, met.dobj)) return this.output('bound_reached', false, iter, x, y, z, this.tau, { ...met, pobj: NaN });
    const merit = Math.min(Math.max(met.pres, met.dres, Math.min(met.relGap, met.gap)), met.pinf, met.dinf);
    if (merit < best.merit) {
      best.merit = merit;
      best.x.set(x);
      best.y.set(y);
      best.z.set(z);
      best.tau = this.tau;
      best.kappa = this.kappa;
      best.met = met;
    }
    if (iter >= S.maxIterations) return this.finish('max_iterations', iter);
    if ((performance.now() - this.t0) / 1000 > S.timeLimit) return this.finish('time_limit', iter);
    return null;
  }

  /**
   * The homogeneous embedding's second right-hand side at this scaling: q = M^-1 (A D c + b),
   * v1 = c - A^T q, and dtau's coefficient (denom), shared by every direction of the iteration.
   */
  private tauColumn(): void {
    const { n, m, b, c, rd, Dc, Drd, tm, q, Atq, v1, Dv1, kkt } = this;
    this.applyD(c, Dc, 'D c');
    this.applyD(rd, Drd, 'D rd');
    kkt.mulA(Dc, tm);
    axpy(1, b, tm, m);
    kkt.solve(tm, q);
    kkt.mulAt(q, Atq);
    xmy(c, Atq, v1, n);
    // dtau's coefficient |D^{1/2} v1|^2 + kappa/tau as a sum of nonnegative terms: the
    // algebraically equal b.q + (Dc).v1 cancels catastrophically once D ~ 1/mu
    this.applyD(v1, Dv1, 'D v1');
    this.denom = dot(v1, Dv1, n) + this.kappa / this.tau;
  }

  /**
   * After the affine step (its dtau, dkappa still in place): the Mehrotra corrector, the
   * centring direction instead where the corrector failed, then Gondzio's centrality
   * correctors. Leaves the chosen direction in dx, dy, dz, dtau, dkappa and returns its
   * largest step (not >= 0: numerical error).
   */
  private correctedStep(sigma: number, mu: number): number {
    const { S, s } = this;
    let rtk = sigma * mu - this.tau * this.kappa - this.dtau * this.dkappa;
    let aMax = this.mehrotraStep(sigma, mu, rtk);
    if (!(aMax >= 0)) return aMax;
    if (S.centringFallback && this.dirInexact && aMax < FAILED_STEP) {
      this.keepDir();
      this.saveConeState();
      const centred = this.centringInstead(sigma, mu, aMax);
      if (centred === null) {
        // the corrector as it was before the try, bit for bit
        this.restoreDir();
        this.restoreConeState();
      } else {
        aMax = centred;
        rtk = sigma * mu - this.tau * this.kappa;
      }
    }
    // Gondzio's multiple centrality correctors: aim at a longer step by moving the trial
    // point's complementarity eigenvalues into [0.1, 10] sigma mu; keep a correction only
    // when it lengthens the step
    let nCorr = 0;
    for (; nCorr < S.correctors && aMax < 0.95; nCorr++) {
      const aTry = Math.min(1, 1.5 * aMax + 0.1);
      const target = sigma * mu;
      this.keepDir();
      this.calls.centrality(aTry, 0.1 * target, 10 * target, s);
      const tkv = (this.tau + aTry * this.dtau) * (this.kappa + aTry * this.dkappa);
      const rtk2 = rtk + clipChange(tkv, 0.1 * target, 10 * target);
      this.solveDir(1 - sigma, rtk2);
      const aNew = this.maxStep();
      if (!(aNew >= 1.05 * aMax)) {
        this.restoreDir();
        break;
      }
      aMax = aNew;
      rtk = rtk2;
    }
    this.lastCorr = nCorr;
    return aMax;
  }

  /**
   * Why the run has stalled after a step of `alpha`, or null: three collapsed steps, or no
   * halving of the best merit for a while (then the best point is returned, as `almost` if it
   * meets the reduced tolerances).
   */
  private stallAfter(alpha: number): string | null {
    const { best, meritHist } = this;
    if (alpha < 1e-3) {
      if (++this.smallSteps >= 3) return 'three collapsed steps';
    } else this.smallSteps = 0;
    meritHist.push(best.merit);
    const h = meritHist.length;
    const red = this.S.reducedTol;
    if (h > 5 && best.merit > 0.5 * meritHist[h - 6] && best.met && (isOptimal(best.met, red, red, red) || best.met.pinf <= red || best.met.dinf <= red)) {
      return 'the best merit not halved in 5 iterations';
    }
    if (h > 15 && best.merit >= meritHist[h - 16]) return 'no progress in 15 iterations';
    return null;
  }
}

/**
 * startScales' scan of the rows (`owner`: the cone of every column, K cones): each cone's
 * largest (1 + |b_i|) / (1 + ||row i on it||) into maxRatio and largest row norm on it into
 * maxNorm (both zero on entry). scans-wasm.ts startRowNormsWasm is its twin for large A.
 */
export function startRowNorms(A: SparseRows, owner: Int32Array, b: Float64Array, K: number, maxRatio: Float64Array, maxNorm: Float64Array): void {
  const rowNorm = new Float64Array(K);
  for (let i = 0; i < A.rows; i++) {
    rowNorm.fill(0);
    for (let t = A.rowPtr[i]; t < A.rowPtr[i + 1]; t++) rowNorm[owner[A.colIdx[t]]] += A.values[t] ** 2;
    for (let ci = 0; ci < K; ci++) {
      if (rowNorm[ci] === 0) continue;
      const nr = Math.sqrt(rowNorm[ci]);
      maxRatio[ci] = Math.max(maxRatio[ci], (1 + Math.abs(b[i])) / (1 + nr));
      maxNorm[ci] = Math.max(maxNorm[ci], nr);
    }
  }
}

/**
 * Block-wise starting point scales after SDPT3 (x0 = xi e, z0 = eta e), so that the
 * embedding starts at the scale of the data instead of 1; with tau0 = 1 and
 * kappa0 = x0.z0 / nu the start is perfectly centred.
 */
function startScales(P: Prepared): { xi: Float64Array; eta: Float64Array } {
  const K = P.cones.length;
  const xi = new Float64Array(K);
  const eta = new Float64Array(K);
  const owner = new Int32Array(P.n);
  for (const [ci, k] of P.cones.entries()) owner.fill(ci, k.off, k.off + k.dim);
  const maxRatio = new Float64Array(K);
  const maxNorm = new Float64Array(K);
  if (!startRowNormsWasm(P.A, owner, P.b, K, maxRatio, maxNorm)) startRowNorms(P.A, owner, P.b, K, maxRatio, maxNorm);
  for (const [ci, k] of P.cones.entries()) {
    const d = k.kernel.degree;
    let cn = 0;
    for (let j = k.off; j < k.off + k.dim; j++) cn += P.c[j] ** 2;
    xi[ci] = Math.max(10, Math.sqrt(d), d * maxRatio[ci]);
    eta[ci] = Math.max(10, Math.sqrt(d), maxNorm[ci], Math.sqrt(cn));
  }
  return { xi, eta };
}
