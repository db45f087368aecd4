/**
 * Pricing W~_{s,k} blocks that an SDP leaves out, from its dual y alone (no SDP with the block
 * is built): the active sets (block-active-set.ts, relaxation.ts, bigm-active-set.ts) add the
 * blocks whose price says they would lower the objective, and prove an SDP infeasible when its
 * Farkas ray holds on every left-out block.
 */
import type { DesignData } from './data.ts';
import type { Formulation } from './formulation.ts';
import { project } from './subspace.ts';
import { eigh } from '../linalg/complex-decomp.ts';
import { cmat } from '../linalg/complex.ts';
/**
 * min(0, smallest eigenvalue) of the dual slack Z = c - A^T y of the block W~_{s,k}, in the
 * block's coordinates, for each pair, whether or not the formulation has that block: every W~_{s,k}
 * of BS s meets the same rows (all SINR rows, BS s's power row, BS s's LMI terms), so
 *   Z / u_k = (cost per unit) I - B_s - y_k (1 / Gamma'_k + 1) / sigma_k^2 g_{s,k} g_{s,k}^H,
 *   B_s = -sum_k' y_k' / sigma_k'^2 g_{s,k'} g_{s,k'}^H + y_power / P I + sum_LMI y_e C_e,
 * with g = U_s^H h. In big-M mode the pair's coupling row tr(W~) <= a P adds
 * y_coupling / P I to B (the same form as the power row). Used to price the blocks an
 * active set leaves out (relaxation.ts, bigm-active-set.ts).
 *
 * With `ray`, y is a Farkas ray of the SDP (b^T y > 0, -A^T y in the cone) and Z = -A^T y: the
 * cost term is left out, and a block counts as priced (0) only when Z - delta I is positive
 * definite, delta = RAY_MARGIN times the largest diagonal entry of Z's terms taken in absolute
 * value, so that the rounding of the sums above cannot make an indefinite Z read as definite.
 */
export function priceUserBlocks(f: Formulation, data: DesignData, y: Float64Array, pairs: readonly { s: number; k: number }[], ray = false): Float64Array {
  const pr = f.pricing;
  // each channel projected once (the base and the pair's own term both need it)
  const projected = new Map<number, Float64Array>();
  const g = (s: number, k: number): Float64Array => {
    const key = s * data.K + k;
    let v = projected.get(key);
    if (!v) projected.set(key, (v = project(f.subspaces[s]!, data.channel(s, k))));
    return v;
  };
  // per BS: B, and with `ray` the diagonal of its terms in absolute value (the scale of its rounding)
  const base = new Map<number, { B: Float64Array; abs: Float64Array | null }>();
  const baseOf = (s: number): { B: Float64Array; abs: Float64Array | null } => {
    let out = base.get(s);
    if (out) return out;
    const d = f.subspaces[s]!.d;
    const B = new Float64Array(2 * d * d);
    const abs = ray ? new Float64Array(d) : null;
    const term = (V: Float64Array, w: Float64Array, scale: number): void => {
      addOuter(B, d, V, w, scale);
      if (abs) addAbsDiagonal(abs, d, V, w, scale);
    };
    for (let k = 0; k < data.K; k++) term(g(s, k), ONE, -y[pr.sinrRow[k]!]! / data.sigma2[k]!);
    const pw = pr.powerRow[s]! >= 0 ? y[pr.powerRow[s]!]! / data.P : 0;
    for (let i = 0; i < d; i++) B[2 * (i * d + i)]! += pw;
    if (abs) for (let i = 0; i < d; i++) abs[i]! += Math.abs(pw);
    for (const t of pr.lmi[s]!) term(t.V, t.w, y[t.row]!);
    base.set(s, (out = { B, abs }));
    return out;
  };
  return Float64Array.from(pairs, ({ s, k }) => {
    const d = f.subspaces[s]!.d;
    const { B, abs } = baseOf(s);
    const Z = new Float64Array(B.length);
    for (let e = 0; e < Z.length; e++) Z[e] = -B[e]!;
    const coupling = pr.bigM ? pr.couplingRow[s * data.K + k]! : -1;
    const yc = coupling >= 0 ? y[coupling]! / data.P : 0;
    for (let i = 0; i < d; i++) Z[2 * (i * d + i)]! += (ray ? 0 : pr.costPerUnit) - yc;
    const gamma = data.gamma[k]! * (1 + pr.margin);
    const own = g(s, k);
    const ownCoef = (-y[pr.sinrRow[k]!]! * (1 / gamma + 1)) / data.sigma2[k]!;
    addOuter(Z, d, own, ONE, ownCoef);
    const u = f.userUnit[k]!;
    if (abs) {
      const pairAbs = abs.map((v) => v + Math.abs(yc));
      addAbsDiagonal(pairAbs, d, own, ONE, ownCoef);
      const top = Math.max(...pairAbs);
      const shifted = Z.slice();
      for (let i = 0; i < d; i++) shifted[2 * (i * d + i)]! -= RAY_MARGIN * top;
      if (choleskyOk(shifted, d)) return 0;
      return Math.min(-Number.MIN_VALUE, eigh(cmat(d, d, Z)).values[0]! * u);
    }
    // Positive definite (the usual case for a weak candidate): no eigenvalues needed.
    if (choleskyOk(Z, d)) return 0;
    return Math.min(0, eigh(cmat(d, d, Z)).values[0]! * u);
  });
}

/**
 * The pairs on whose (left-out) blocks a Farkas ray y of the SDP does not hold (-A^T y not
 * positive definite there, with priceUserBlocks' margin): none, and y proves the SDP with those
 * blocks added infeasible too (bigm-active-set.ts); otherwise the blocks that may make it feasible.
 */
export function blocksRayFails(f: Formulation, data: DesignData, ray: Float64Array, pairs: readonly { s: number; k: number }[]): { s: number; k: number }[] {
  const lmin = priceUserBlocks(f, data, ray, pairs, true);
  return pairs.filter((_, i) => lmin[i]! < 0);
}

/**
 * A ray's slack counts as positive definite only with this margin, relative to the largest
 * diagonal entry of its terms in absolute value (A). Each entry of Z sums t <= K + 8 rank-one
 * terms, so its rounding is at most ~t eps |A_ij| <= t eps max_i A_ii (|v_i v_j| <= max |v_i|^2),
 * and the spectral norm of that error at most d t eps max_i A_ii: below 1e-11 max_i A_ii for
 * d <= 64 and t <= 1000. A block just inside the margin is only added to the SDP, never left out.
 */
const RAY_MARGIN = 1e-10;

/** The weight of one rank-one term (the channel terms of priceUserBlocks). */
const ONE = new Float64Array([1]);

/** abs[i] += sum_q |w_q scale| |V_iq|^2: the diagonal of scale * V diag(w) V^H's terms in absolute value. */
function addAbsDiagonal(abs: Float64Array, d: number, V: Float64Array, w: Float64Array, scale: number): void {
  for (let q = 0; q < w.length; q++) {
    const c = Math.abs(w[q]! * scale);
    for (let i = 0; i < d; i++) abs[i]! += c * (V[2 * d * q + 2 * i]! ** 2 + V[2 * d * q + 2 * i + 1]! ** 2);
  }
}

/** M += scale * V diag(w) V^H for M (d x d, row-major interleaved), V (d x rank, column-major). */
function addOuter(M: Float64Array, d: number, V: Float64Array, w: Float64Array, scale: number): void {
  if (scale === 0) return;
  for (let q = 0; q < w.length; q++) {
    const wq = w[q]! * scale;
    if (wq === 0) continue;
    const o = 2 * d * q;
    for (let i = 0; i < d; i++) {
      const vr = V[o + 2 * i]!;
      const vi = V[o + 2 * i + 1]!;
      for (let j = 0; j < d; j++) {
        const ur = V[o + 2 * j]!;
        const ui = V[o + 2 * j + 1]!;
        M[2 * (i * d + j)]! += wq * (vr * ur + vi * ui);
        M[2 * (i * d + j) + 1]! += wq * (vi * ur - vr * ui);
      }
    }
  }
}

/** Whether a Hermitian matrix (row-major interleaved) has a Cholesky factor (is positive definite). */
function choleskyOk(A: Float64Array, n: number): boolean {
  const L = new Float64Array(A.length);
  for (let j = 0; j < n; j++) {
    let dj = A[2 * (j * n + j)];
    for (let k = 0; k < j; k++) dj! -= L[2 * (j * n + k)]! ** 2 + L[2 * (j * n + k) + 1]! ** 2;
    if (!(dj! > 0)) return false;
    const ljj = Math.sqrt(dj!);
    L[2 * (j * n + j)] = ljj;
    for (let i = j + 1; i < n; i++) {
      let re = A[2 * (i * n + j)];
      let im = A[2 * (i * n + j) + 1];
      for (let k = 0; k < j; k++) {
        const xr = L[2 * (i * n + k)]!;
        const xi = L[2 * (i * n + k) + 1]!;
        const yr = L[2 * (j * n + k)]!;
        const yi = -L[2 * (j * n + k) + 1]!;
        re! -= xr * yr - xi * yi;
        im! -= xr * yi + xi * yr;
      }
      L[2 * (i * n + j)] = re! / ljj;
      L[2 * (i * n + j) + 1] = im! / ljj;
    }
  }
  return true;
}
