/**
 * SDPA sparse format (.dat-s) reader and the mapping into the standard form.
 *
 * SDPA's pair:  (P) min c^T x  s.t.  sum_i x_i F_i - F_0 >= 0,
 *               (D) max tr(F_0 Y)  s.t.  tr(F_i Y) = c_i,  Y >= 0.
 * Our primal is SDPA's (D) written as a minimisation: X = Y (block by block: svec for
 * blocks of order >= 2, nonneg for diagonal blocks and blocks of order 1), row i of A
 * = vec(F_i), b = c, objective -vec(F_0). Our dual y is then -x_SDPA, and
 * SDPA's objective c^T x = -(our dual objective). Statuses are reported in SDPA's sense:
 * `primal_infeasible` = (P) infeasible (our dual), `dual_infeasible` = (D) infeasible.
 */
import { InputError } from '../errors.ts';
import type { ConicProblem, Cone, SolverResult, SolverSettings, SolveStatus } from './types.ts';
import { solve } from './solve.ts';
import { svecIndex } from './vec.ts';

export interface SdpaProblem {
  /** Number of variables x (= constraints of (D)). */
  m: number;
  /** Block sizes; negative = diagonal block of that order. */
  blocks: number[];
  c: Float64Array;
  /** Entries of F_mat (mat 0 = F_0), 0-based block and indices with i <= j; duplicates add. */
  entries: { mat: Int32Array; blk: Int32Array; i: Int32Array; j: Int32Array; v: Float64Array };
}

interface Line {
  no: number;
  tokens: string[];
}

function tokenize(text: string): Line[] {
  const out: Line[] = [];
  const lines = text.split(/\r?\n/);
  for (let k = 0; k < lines.length; k++) {
    const raw = lines[k];
    const t = raw.trimStart();
    if (t.startsWith('"') || t.startsWith('*')) continue;
    const tokens = t.split(/[\s,(){}]+/).filter((s) => s.length > 0);
    if (tokens.length > 0) out.push({ no: k + 1, tokens });
  }
  return out;
}

function num(tok: string, where: string): number {
  // Fortran-style exponents (1.0D+00) appear in some SDPA files.
  const v = Number(tok.replace(/[dD]/, 'e'));
  if (!Number.isFinite(v)) throw new InputError(`expected a number, got '${tok}'`, where);
  return v;
}

function int(tok: string, where: string, what: string): number {
  const v = num(tok, where);
  if (!Number.isInteger(v)) throw new InputError(`${what} must be an integer, got '${tok}'`, where);
  return v;
}

/** Parses SDPA sparse text. `name` (e.g. the file name) prefixes error locations. */
export function parseSdpa(text: string, name = 'input'): SdpaProblem {
  const lines = tokenize(text);
  let li = 0;
  const at = (l: Line) => `${name}:${l.no}`;
  const need = (what: string): Line => {
    if (li >= lines.length) throw new InputError(`unexpected end of file, expected ${what}`, `${name}:${text.split(/\r?\n/).length}`);
    return lines[li++];
  };
  // m and nblocks: the first token of their lines (the rest, e.g. "=mdim", is ignored)
  let l = need('the number of constraint matrices m');
  const m = int(l.tokens[0], at(l), 'm');
  if (m < 0) throw new InputError(`m must be >= 0, got ${m}`, at(l));
  l = need('the number of blocks');
  const nb = int(l.tokens[0], at(l), 'the number of blocks');
  if (nb < 1) throw new InputError(`the number of blocks must be >= 1, got ${nb}`, at(l));
  const blocks: number[] = [];
  while (blocks.length < nb) {
    l = need(`${nb} block sizes`);
    for (const t of l.tokens) {
      if (blocks.length === nb) break;
      const s = int(t, at(l), 'a block size');
      if (s === 0) throw new InputError('a block size must be non-zero', at(l));
      blocks.push(s);
    }
  }
  const c = new Float64Array(m);
  let ci = 0;
  while (ci < m) {
    l = need(`${m} entries of the vector c`);
    for (const t of l.tokens) {
      if (ci === m) break;
      c[ci++] = num(t, at(l));
    }
  }
  const mat: number[] = [];
  const blk: number[] = [];
  const ii: number[] = [];
  const jj: number[] = [];
  const vv: number[] = [];
  while (li < lines.length) {
    l = lines[li++];
    const w = at(l);
    if (l.tokens.length !== 5) throw new InputError(`expected 5 fields 'matno blkno i j value', got ${l.tokens.length}`, w);
    const a = int(l.tokens[0], w, 'matno');
    const bk = int(l.tokens[1], w, 'blkno');
    let i = int(l.tokens[2], w, 'i');
    let j = int(l.tokens[3], w, 'j');
    const v = num(l.tokens[4], w);
    if (a < 0 || a > m) throw new InputError(`matno ${a} out of range 0..${m}`, w);
    if (bk < 1 || bk > nb) throw new InputError(`blkno ${bk} out of range 1..${nb}`, w);
    const size = Math.abs(blocks[bk - 1]);
    if (i < 1 || i > size || j < 1 || j > size) throw new InputError(`index (${i}, ${j}) outside block ${bk} of order ${size}`, w);
    if (blocks[bk - 1] < 0 && i !== j) throw new InputError(`off-diagonal entry (${i}, ${j}) in diagonal block ${bk}`, w);
    if (i > j) [i, j] = [j, i];
    mat.push(a);
    blk.push(bk - 1);
    ii.push(i - 1);
    jj.push(j - 1);
    vv.push(v);
  }
  return {
    m, blocks, c,
    entries: { mat: Int32Array.from(mat), blk: Int32Array.from(blk), i: Int32Array.from(ii), j: Int32Array.from(jj), v: Float64Array.from(vv) },
  };
}

/** Standard-form problem whose primal is SDPA's (D); see the file comment. */
export function sdpaToConic(p: SdpaProblem): ConicProblem {
  const cones: Cone[] = [];
  const off: number[] = [];
  let n = 0;
  for (const s of p.blocks) {
    off.push(n);
    if (s > 1) {
      cones.push({ kind: 'psd', n: s });
      n += (s * (s + 1)) / 2;
    } else {
      cones.push({ kind: 'nonneg', dim: Math.abs(s) });
      n += Math.abs(s);
    }
  }
  const col = (b: number, i: number, j: number): number => {
    const s = p.blocks[b];
    return s > 1 ? off[b] + svecIndex(s, j, i) : off[b] + i; // i <= j: (j, i) is in the lower triangle
  };
  const c = new Float64Array(n);
  const rows: Map<number, number>[] = Array.from({ length: p.m }, () => new Map());
  const E = p.entries;
  for (let k = 0; k < E.v.length; k++) {
    const b = E.blk[k];
    const i = E.i[k];
    const j = E.j[k];
    const v = i === j ? E.v[k] : Math.SQRT2 * E.v[k];
    const cc = col(b, i, j);
    if (E.mat[k] === 0) c[cc] -= v;
    else {
      const r = rows[E.mat[k] - 1];
      r.set(cc, (r.get(cc) ?? 0) + v);
    }
  }
  const rowPtr = new Int32Array(p.m + 1);
  const colIdx: number[] = [];
  const values: number[] = [];
  rows.forEach((r, i) => {
    for (const k of [...r.keys()].sort((a, b) => a - b)) {
      colIdx.push(k);
      values.push(r.get(k)!);
    }
    rowPtr[i + 1] = colIdx.length;
  });
  return {
    c,
    A: { rows: p.m, cols: n, rowPtr, colIdx: Int32Array.from(colIdx), values: Float64Array.from(values) },
    b: Float64Array.from(p.c),
    cones,
  };
}

export interface SdpaResult {
  /** In SDPA's sense: `primal_infeasible` = (P) infeasible, `dual_infeasible` = (D) infeasible. */
  status: SolveStatus;
  almost: boolean;
  /** SDPA's primal objective c^T x (+Infinity if (P) infeasible, -Infinity if (D) infeasible). */
  objective: number;
  /** SDPA's dual objective tr(F_0 Y). */
  dualObjective: number;
  /** SDPA's x (for `optimal`; for `primal_infeasible` the ray certifying it is in `result.y`). */
  x: Float64Array;
  iterations: number;
  seconds: number;
  /** The raw standard-form result (our primal = SDPA's (D)). */
  result: SolverResult;
}

const SWAP: Partial<Record<SolveStatus, SolveStatus>> = {
  primal_infeasible: 'dual_infeasible',
  dual_infeasible: 'primal_infeasible',
};

/** Parses (if given text) and solves an SDPA problem; objectives and status in SDPA's convention. */
export function solveSdpa(input: string | SdpaProblem, settings?: Partial<SolverSettings>, name?: string): SdpaResult {
  const t0 = performance.now();
  const p = typeof input === 'string' ? parseSdpa(input, name) : input;
  const r = solve(sdpaToConic(p), settings);
  const status = SWAP[r.status] ?? r.status;
  let objective = -r.dualObjective;
  let dualObjective = -r.primalObjective;
  if (status === 'primal_infeasible') objective = dualObjective = Infinity;
  if (status === 'dual_infeasible') objective = dualObjective = -Infinity;
  return {
    status, almost: r.almost, objective, dualObjective,
    x: r.y.map((v) => -v),
    iterations: r.iterations,
    seconds: (performance.now() - t0) / 1000,
    result: r,
  };
}
