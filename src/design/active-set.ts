/**
 * Active sets over the matrix blocks of a conic problem: solve with some blocks left out
 * (their variables fixed at zero), then price the left-out blocks with the dual.
 *
 * Why the bound stays exact. For the full problem min c^T x, A x = b, x in K, any y gives
 *   c^T x = b^T y + sum_blocks <Z_blk, X_blk>,   Z = c - A^T y,
 * for every feasible x. For a block with Z_blk >= 0 the term is >= 0; for a block whose
 * trace is bounded on the feasible set (tr X_blk <= tau_blk, e.g. by a power budget) the
 * term is >= tau_blk * min(0, lambda_min(Z_blk)). So
 *   b^T y + sum_{left-out blocks} tau_blk * min(0, lambda_min(Z_blk))
 * is a lower bound of the full problem whenever y is dual feasible on the blocks that
 * were kept (which the solver's dual certifies, as for any solve). A left-out block with
 * a clearly negative lambda_min is one that would lower the objective: it is added and the
 * problem re-solved; the small negative ones are paid for in the bound.
 */
import type { ConicProblem } from '../conic/types.ts';
import type { BlockRef } from './conic-builder.ts';
import { readHermitian } from './conic-builder.ts';
import { eigh } from '../linalg/complex-decomp.ts';
import { cmat } from '../linalg/complex.ts';

export interface Restricted {
  problem: ConicProblem;
  /** Full-length x from the restricted x (left-out blocks are zero). */
  expand(x: Float64Array): Float64Array;
}

/** The problem with the cones whose `keep` flag is 0 removed (their columns fixed at zero). */
export function keepCones(p: ConicProblem, keep: Uint8Array): Restricted {
  const nCones = p.cones.length;
  const sizes = p.cones.map(coneSize);
  const newCol = new Int32Array(p.A.cols).fill(-1);
  const coneMap = new Int32Array(nCones).fill(-1);
  let col = 0;
  let off = 0;
  let nc = 0;
  for (let i = 0; i < nCones; i++) {
    if (keep[i]) {
      coneMap[i] = nc++;
      for (let e = 0; e < sizes[i]; e++) newCol[off + e] = col++;
    }
    off += sizes[i];
  }
  const rowPtr = new Int32Array(p.A.rows + 1);
  const colIdx = new Int32Array(p.A.colIdx.length);
  const values = new Float64Array(p.A.colIdx.length);
  let q = 0;
  for (let r = 0; r < p.A.rows; r++) {
    for (let e = p.A.rowPtr[r]; e < p.A.rowPtr[r + 1]; e++) {
      const j = newCol[p.A.colIdx[e]];
      if (j < 0) continue;
      colIdx[q] = j;
      values[q++] = p.A.values[e];
    }
    rowPtr[r + 1] = q;
  }
  const c = new Float64Array(col);
  for (let j = 0; j < p.A.cols; j++) if (newCol[j] >= 0) c[newCol[j]] = p.c[j];
  const lowRank = (p.lowRank ?? []).filter((h) => keep[h.cone]).map((h) => ({ ...h, cone: coneMap[h.cone] }));
  const problem: ConicProblem = {
    c,
    A: { rows: p.A.rows, cols: col, rowPtr, colIdx: colIdx.slice(0, q), values: values.slice(0, q) },
    b: p.b,
    cones: p.cones.filter((_, i) => keep[i]),
    lowRank,
  };
  return {
    problem,
    expand(x: Float64Array): Float64Array {
      const out = new Float64Array(p.A.cols);
      for (let j = 0; j < p.A.cols; j++) if (newCol[j] >= 0) out[j] = x[newCol[j]];
      return out;
    },
  };
}

function coneSize(c: ConicProblem['cones'][number]): number {
  switch (c.kind) {
    case 'hpsd':
      return c.n * c.n;
    case 'psd':
      return (c.n * (c.n + 1)) / 2;
    default:
      return (c as { dim: number }).dim;
  }
}

/** Smallest eigenvalue of the dual slack Z = c - A^T y on each of the given Hermitian blocks. */
export function dualSlackMin(p: ConicProblem, y: Float64Array, blocks: readonly BlockRef[]): Float64Array {
  // z = c - A^T y on the columns of the blocks only.
  const owner = new Int32Array(p.A.cols).fill(-1);
  blocks.forEach((b, i) => owner.fill(i, b.offset, b.offset + b.size));
  const z = new Float64Array(p.A.cols);
  for (const b of blocks) for (let e = b.offset; e < b.offset + b.size; e++) z[e] = p.c[e];
  for (let r = 0; r < p.A.rows; r++) {
    const yr = y[r];
    if (yr === 0) continue;
    for (let e = p.A.rowPtr[r]; e < p.A.rowPtr[r + 1]; e++) {
      const j = p.A.colIdx[e];
      if (owner[j] >= 0) z[j] -= p.A.values[e] * yr;
    }
  }
  return Float64Array.from(blocks, (b) => {
    if (b.kind !== 'hpsd') throw new Error('dualSlackMin: only Hermitian blocks');
    return eigh(cmat(b.n, b.n, readHermitian(z, b))).values[0];
  });
}
