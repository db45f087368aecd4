/**
 * Rank-one recovery (Theorem 1): from an optimal rank-relaxed W_k build
 *   w_k = W_k h / sqrt(h^H W_k h),   h = h_{a_k, k},
 * and move W_k - w_k w_k^H (PSD by Cauchy-Schwarz) into the serving BS's sensing
 * covariance. The transmit covariance Q_s of every BS is unchanged, hence every
 * interference term, the FIM/CRLB and the power; the user's own signal term
 * |h^H w_k|^2 = h^H W_k h is unchanged, and the moved part adds h^H (W_k - w w^H) h = 0
 * to its own interference. So every SINR is unchanged too.
 *
 * Several targets: the recovery still holds, with any number of CRLB LMIs. Each target's
 * FIM, and so each C2a/C2c pair, depends on the beamformers only through the transmit
 * covariances Q_s, which the recovery leaves exactly as they are; no LMI can tell the two
 * points apart. The argument never used how many CRLB constraints there are, so the
 * rank-relaxed SDP is tight for T targets as for one (test/design/targets.test.ts checks
 * SINR, every target's CRLB and every power before and after).
 */
import type { Complex } from './api.ts';
import { cmat, matVec, quadForm as cQuadForm, trace } from '../linalg/complex.ts';

export interface RecoveredDesign {
  beamformers: Complex[][];
  sensingCovariances: Complex[][][];
}

/** tr(W) for W interleaved row-major n x n (real for a Hermitian W). */
export function traceOf(W: Float64Array, n: number): number {
  return trace(cmat(n, n, W))[0];
}

/** h^H W h for W interleaved row-major n x n and h interleaved n-vector. */
export function quadForm(W: Float64Array, h: Float64Array, n: number): number {
  return cQuadForm(h, cmat(n, n, W))[0];
}

/** Rank-one beamformer from W and the serving channel h; zero when h^H W h vanishes. */
export function rankOneBeamformer(W: Float64Array, h: Float64Array, n: number): Float64Array {
  const q = quadForm(W, h, n);
  if (!(q > 0)) return new Float64Array(2 * n);
  const w = matVec(cmat(n, n, W), h);
  const inv = 1 / Math.sqrt(q);
  for (let i = 0; i < w.length; i++) w[i] *= inv;
  return w;
}

/**
 * Builds the contract's beamformers and sensing covariances from relaxed W_k (per user,
 * already at its serving BS) and R_s (per BS; absent = zero).
 */
export function recoverRankOne(
  S: number,
  N: number,
  association: number[],
  Wk: Float64Array[],
  Rs: Map<number, Float64Array>,
  channel: (s: number, k: number) => Float64Array,
): RecoveredDesign {
  const R: Float64Array[] = [];
  for (let s = 0; s < S; s++) R.push(Rs.get(s)?.slice() ?? new Float64Array(2 * N * N));
  const beamformers: Complex[][] = [];
  association.forEach((s, k) => {
    const W = Wk[k];
    const w = rankOneBeamformer(W, channel(s, k), N);
    const target = R[s];
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        // W - w w^H
        const wr = w[2 * i] * w[2 * j] + w[2 * i + 1] * w[2 * j + 1];
        const wi = w[2 * i + 1] * w[2 * j] - w[2 * i] * w[2 * j + 1];
        target[2 * (i * N + j)] += W[2 * (i * N + j)] - wr;
        target[2 * (i * N + j) + 1] += W[2 * (i * N + j) + 1] - wi;
      }
    }
    const bf: Complex[] = [];
    for (let i = 0; i < N; i++) bf.push([w[2 * i], w[2 * i + 1]]);
    beamformers.push(bf);
  });
  const sensingCovariances = R.map((m) => {
    // Symmetrise exactly (the solver's hvec is Hermitian; sums keep it so up to rounding).
    const rows: Complex[][] = [];
    for (let i = 0; i < N; i++) {
      const row: Complex[] = [];
      for (let j = 0; j < N; j++) {
        const re = (m[2 * (i * N + j)] + m[2 * (j * N + i)]) / 2;
        const im = i === j ? 0 : (m[2 * (i * N + j) + 1] - m[2 * (j * N + i) + 1]) / 2;
        row.push([re, im]);
      }
      rows.push(row);
    }
    return rows;
  });
  return { beamformers, sensingCovariances };
}
