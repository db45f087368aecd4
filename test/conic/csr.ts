/** Dense rows as compressed sparse rows (no test-runner import: bench/qap-face.ts reads the generators that use it). */
import type { SparseRows } from '../../src/conic/types.ts';

export function csr(rows: number[][], cols: number): SparseRows {
  const rowPtr = [0];
  const colIdx: number[] = [];
  const values: number[] = [];
  for (const r of rows) {
    r.forEach((v, j) => {
      if (v !== 0) {
        colIdx.push(j);
        values.push(v);
      }
    });
    rowPtr.push(colIdx.length);
  }
  return { rows: rows.length, cols, rowPtr: Int32Array.from(rowPtr), colIdx: Int32Array.from(colIdx), values: Float64Array.from(values) };
}
