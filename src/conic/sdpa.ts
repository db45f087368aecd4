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
import { conicPeakBytes, requireFits, type ConicShape } from '../limits.ts';

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
  /** The line ends inside an open brace/parenthesis or after a comma: a list continues. */
  continues: boolean;
}

/** Lines, whatever their ending (LF, CRLF or CR alone), with comment lines dropped. */
function tokenize(text: string): Line[] {
  const out: Line[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (let k = 0; k < lines.length; k++) {
    const t = lines[k].trim();
    if (t.startsWith('"') || t.startsWith('*')) continue;
    const tokens = t.split(/[\s,(){}]+/).filter((s) => s.length > 0);
    const open = (t.match(/[({]/g)?.length ?? 0) - (t.match(/[)}]/g)?.length ?? 0);
    if (tokens.length > 0) out.push({ no: k + 1, tokens, continues: open > 0 || t.endsWith(',') });
  }
  return out;
}

/** A decimal number as the format writes it (Fortran's D exponent allowed); no hex, no Infinity. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eEdD][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;
/** Looks like a number (so it cannot start a comment after a count or a list): 1, -2, .5, 0x10, inf. */
const NUMBERISH = /^[+-]?([\d.]|inf|nan)/i;

function num(tok: string, where: string, what = 'a number'): number {
  if (!DECIMAL.test(tok)) throw new InputError(`expected ${what} (a decimal number), got '${tok}'`, where);
  const v = Number(tok.replace(/[dD]/, 'e'));
  if (!Number.isFinite(v)) throw new InputError(`${what} '${tok}' is beyond the range of double precision (about 1.8e308)`, where);
  return v;
}

function int(tok: string, where: string, what: string): number {
  if (!INTEGER.test(tok)) throw new InputError(`${what} must be a decimal integer, got '${tok}'`, where);
  const v = Number(tok);
  if (!Number.isSafeInteger(v)) throw new InputError(`${what} ${tok} is beyond 2^53`, where);
  return v;
}

/** Parses SDPA sparse text. `name` (e.g. the file name) prefixes error locations. */
export function parseSdpa(text: string, name = 'input'): SdpaProblem {
  const lines = tokenize(text);
  let li = 0;
  const at = (l: Line) => `${name}:${l.no}`;
  const lastLine = text.split(/\r\n|\r|\n/).length;
  const need = (what: string): Line => {
    if (li >= lines.length) throw new InputError(`unexpected end of file, expected ${what}`, `${name}:${lastLine}`);
    return lines[li++];
  };
  /** A count on a line of its own; words after it (`=mDIM`) are a comment, a second number is an error. */
  const count = (what: string): { v: number; l: Line } => {
    const l = need(what);
    const v = int(l.tokens[0], at(l), what);
    if (l.tokens.length > 1 && NUMBERISH.test(l.tokens[1])) {
      throw new InputError(`${what} stands alone on its line; found a second value '${l.tokens[1]}'`, at(l));
    }
    return { v, l };
  };
  /** Exactly n values; the list may continue on the next line only after ',', '{' or '('. */
  const list = (n: number, what: string, parse: (tok: string, where: string) => number): number[] => {
    const out: number[] = [];
    let first: Line | undefined;
    for (;;) {
      const l = need(`${n} ${what}`);
      first ??= l;
      for (const t of l.tokens) {
        if (out.length === n) {
          // words after a complete list are a comment (`2 = bLOCKsTRUCT`); numbers are not
          if (!NUMBERISH.test(t)) break;
          throw new InputError(`more than the ${n} ${what} declared (extra value '${t}')`, at(l));
        }
        out.push(parse(t, at(l)));
      }
      if (out.length === n) return out;
      if (!l.continues) {
        throw new InputError(`expected ${n} ${what}, found ${out.length}${l === first ? ' on this line' : ` on lines ${first.no}-${l.no}`}`, at(l));
      }
    }
  };
  const mLine = count('the number of constraint matrices m');
  const m = mLine.v;
  if (m < 0) throw new InputError(`m must be >= 0, got ${m}`, at(mLine.l));
  const nbLine = count('the number of blocks');
  const nb = nbLine.v;
  if (nb < 1) throw new InputError(`the number of blocks must be >= 1, got ${nb}`, at(nbLine.l));
  const blocksAt = lines[li];
  const blocks = list(nb, 'block sizes', (t, w) => {
    const s = int(t, w, 'a block size');
    if (s === 0) throw new InputError('a block size must be non-zero', w);
    return s;
  });
  // Before anything of the declared size is allocated: does the solve fit in memory?
  requireFits(conicPeakBytes(sdpaShape(m, blocks)), `an SDP with m = ${m} and blocks (${blocks.join(', ')})`, at(blocksAt ?? mLine.l));
  const c = Float64Array.from(m === 0 ? [] : list(m, 'entries of the vector c', (t, w) => num(t, w)));
  const mat: number[] = [];
  const blk: number[] = [];
  const ii: number[] = [];
  const jj: number[] = [];
  const vv: number[] = [];
  while (li < lines.length) {
    const l = lines[li++];
    const w = at(l);
    if (l.tokens.length !== 5) throw new InputError(`expected 5 fields 'matno blkno i j value', got ${l.tokens.length}`, w);
    const a = int(l.tokens[0], w, 'matno');
    const bk = int(l.tokens[1], w, 'blkno');
    let i = int(l.tokens[2], w, 'i');
    let j = int(l.tokens[3], w, 'j');
    const v = num(l.tokens[4], w, 'the value');
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
    m,
    blocks,
    c,
    entries: { mat: Int32Array.from(mat), blk: Int32Array.from(blk), i: Int32Array.from(ii), j: Int32Array.from(jj), v: Float64Array.from(vv) },
  };
}

/** The memory-relevant shape of an SDPA problem (blocks of order 1 are linear, as in sdpaToConic). */
export function sdpaShape(m: number, blocks: number[]): ConicShape {
  return {
    rows: m,
    psdOrders: blocks.filter((s) => s > 1),
    hpsdOrders: [],
    linearDim: blocks.filter((s) => s <= 1).reduce((t, s) => t + Math.abs(s), 0),
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
    status,
    almost: r.almost,
    objective,
    dualObjective,
    x: r.y.map((v) => -v),
    iterations: r.iterations,
    seconds: (performance.now() - t0) / 1000,
    result: r,
  };
}
