/**
 * A lifted QAP relaxation, generated (the kind SDPLIB's qap files are): Y = [1 x^T; x X] >= 0
 * of order N = n^2 + 1, x_ij at 1 + i n + j, with Y_00 = 1, diag X = x, the assignment's row
 * sums and all but one of its column sums of x equal to 1 (the last is implied), and the
 * gangster zeros X_(ij),(il) = X_(ij),(kj) = 0. Every feasible Y then has Y v = 0 for the 2n
 * vectors v = -e_0 + (a row or a column of the assignment): v^T Y v = 1 - 2 + sum x = 0. The
 * primal has no interior; its face is null(T), T those 2n rows (rank 2n - 1).
 */
import type { ConicProblem } from '../../src/conic/types.ts';
import { csr } from './csr.ts';
import { svecIndex } from '../../src/conic/vec.ts';

/** svec coordinates of the symmetric matrix with entries (i, j, v) (each off-diagonal pair once). */
function svecOf(N: number, entries: [number, number, number][]): number[] {
  const out = new Array<number>((N * (N + 1)) / 2).fill(0);
  for (const [i, j, v] of entries) out[svecIndex(N, Math.max(i, j), Math.min(i, j))]! += i === j ? v : Math.SQRT2 * v;
  return out;
}

export function qapRelaxation(n: number, rnd: () => number, costKind: 'qap' | 'random' = 'qap'): ConicProblem {
  const N = n * n + 1;
  const at = (i: number, j: number) => 1 + i * n + j;
  const rows: number[][] = [];
  const b: number[] = [];
  const row = (entries: [number, number, number][], rhs: number) => {
    rows.push(svecOf(N, entries));
    b.push(rhs);
  };
  row([[0, 0, 1]], 1);
  for (let k = 1; k < N; k++)
    row(
      [
        [k, k, 1],
        [0, k, -0.5],
      ],
      0,
    );
  for (let i = 0; i < n; i++)
    row(
      Array.from({ length: n }, (_, j): [number, number, number] => [0, at(i, j), 0.5]),
      1,
    );
  for (let j = 0; j < n - 1; j++)
    row(
      Array.from({ length: n }, (_, i): [number, number, number] => [0, at(i, j), 0.5]),
      1,
    );
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      for (let l = j + 1; l < n; l++) {
        row([[at(i, j), at(i, l), 0.5]], 0);
        row([[at(j, i), at(l, i), 0.5]], 0);
      }
  // a cost on X: flows times distances (integers 0-9), as a QAP's
  const F = Array.from({ length: n }, () => Array.from({ length: n }, () => Math.floor(10 * rnd())));
  const D = Array.from({ length: n }, () => Array.from({ length: n }, () => Math.floor(10 * rnd())));
  const cost: [number, number, number][] = [];
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++)
      for (let j = 0; j < n; j++)
        for (let l = 0; l < n; l++) {
          const v = 0.5 * (F[i]![k]! * D[j]![l]! + F[k]![i]! * D[l]![j]!);
          const [p, q] = [at(i, j), at(k, l)];
          const w = costKind === 'qap' ? v : rnd() - 0.5;
          if (w !== 0 && p <= q) cost.push([p, q, w]);
        }
  const c = svecOf(N, cost);
  return { c: Float64Array.from(c), A: csr(rows, c.length), b: Float64Array.from(b), cones: [{ kind: 'psd', n: N }] };
}

/** T: -e_0 plus each row, and then each column, of the assignment (2n rows over order n^2 + 1, rank 2n - 1). */
export function assignmentRows(n: number): number[][] {
  const N = n * n + 1;
  const rows: number[][] = [];
  for (const byRow of [true, false])
    for (let a = 0; a < n; a++) {
      const r = new Array<number>(N).fill(0);
      r[0] = -1;
      for (let b = 0; b < n; b++) r[1 + (byRow ? a * n + b : b * n + a)] = 1;
      rows.push(r);
    }
  return rows;
}
