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
import { sdpaRowsWasm, wasmEntries } from './sdpa-wasm.ts';

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

/** Line ends: LF, CRLF or CR alone. */
const EOL = /\r\n|\r|\n/g;

/**
 * The file's lines, whatever their ending, with comment lines dropped, tokenized as they are
 * asked for: the entry section usually goes through `fastEntries` without being tokenized
 * line by line (a split and three regular expressions per line took half the parse).
 */
class Lines {
  private readonly raw: string;
  /** Start of the next raw line, or -1 past the last one; its number is `no + 1`. */
  private pos = 0;
  private no = 0;
  private readonly read: Line[] = [];

  constructor(text: string) {
    this.raw = text.replace(/^\uFEFF/, '');
  }

  /** The i-th line that is not a comment (in order), or undefined past the end. */
  get(i: number): Line | undefined {
    while (this.read.length <= i && this.pos >= 0) {
      const line = tokenizeLine(this.nextRaw(), this.no);
      if (line) this.read.push(line);
    }
    return this.read[i];
  }

  /** Whether every line up to line i - 1 has been read and nothing after: the raw rest starts at line i. */
  restStartsAt(i: number): boolean {
    return this.read.length === i;
  }

  /** The untokenized rest: the text and where it starts (-1: nothing is left). */
  rest(): { text: string; at: number } {
    return { text: this.raw, at: this.pos };
  }

  /** Skips the raw rest up to `at` (a line start), `lines` lines. */
  advance(at: number, lines: number): void {
    this.pos = at;
    this.no += lines;
  }

  private nextRaw(): string {
    EOL.lastIndex = this.pos;
    const m = EOL.exec(this.raw);
    const start = this.pos;
    this.no++;
    if (m === null) {
      this.pos = -1;
      return this.raw.slice(start);
    }
    this.pos = m.index + m[0].length;
    return this.raw.slice(start, m.index);
  }
}

function tokenizeLine(raw: string, no: number): Line | null {
  const t = raw.trim();
  if (t.startsWith('"') || t.startsWith('*')) return null;
  const tokens = t.split(/[\s,(){}]+/).filter((s) => s.length > 0);
  if (tokens.length === 0) return null;
  const open = (t.match(/[({]/g)?.length ?? 0) - (t.match(/[)}]/g)?.length ?? 0);
  return { no, tokens, continues: open > 0 || t.endsWith(',') };
}

/**
 * One plain entry line: four unsigned integers and a decimal number without a Fortran exponent,
 * separated by spaces or tabs (what SDPLIB and most writers produce); anything else, including
 * a blank line, a comment or an error, is left to the line-by-line reader.
 */
const PLAIN_ENTRY = /[ \t]*(\d+)[ \t]+(\d+)[ \t]+(\d+)[ \t]+(\d+)[ \t]+([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)[ \t]*(?:\r\n|\r|\n|$)/y;

/** The entries read so far, in file order (0-based block and indices, i <= j), in typed arrays that grow. */
export class EntryBuffer {
  mat = new Int32Array(256);
  blk = new Int32Array(256);
  ii = new Int32Array(256);
  jj = new Int32Array(256);
  vv = new Float64Array(256);
  length = 0;

  /** Room for `more` entries after the current ones. */
  reserve(more: number): void {
    const need = this.length + more;
    if (need <= this.mat.length) return;
    const cap = Math.max(need, 2 * this.mat.length);
    const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a.subarray(0, this.length));
      return b;
    };
    this.mat = grow(this.mat, (n) => new Int32Array(n));
    this.blk = grow(this.blk, (n) => new Int32Array(n));
    this.ii = grow(this.ii, (n) => new Int32Array(n));
    this.jj = grow(this.jj, (n) => new Int32Array(n));
    this.vv = grow(this.vv, (n) => new Float64Array(n));
  }

  /** Appends a checked entry (1-based as in the file) with i <= j. */
  push(a: number, bk: number, i: number, j: number, v: number): void {
    this.reserve(1);
    const k = this.length++;
    this.mat[k] = a;
    this.blk[k] = bk - 1;
    this.ii[k] = Math.min(i, j) - 1;
    this.jj[k] = Math.max(i, j) - 1;
    this.vv[k] = v;
  }

  /** The entries, trimmed to their number. */
  take(): SdpaProblem['entries'] {
    const n = this.length;
    return { mat: this.mat.slice(0, n), blk: this.blk.slice(0, n), i: this.ii.slice(0, n), j: this.jj.slice(0, n), v: this.vv.slice(0, n) };
  }
}

/** What is wrong with entry (matno a, blkno bk, i, j) of a problem with m and `blocks`, or null. */
function entryError(a: number, bk: number, i: number, j: number, m: number, blocks: number[]): string | null {
  if (a < 0 || a > m) return `matno ${a} out of range 0..${m}`;
  if (bk < 1 || bk > blocks.length) return `blkno ${bk} out of range 1..${blocks.length}`;
  const size = Math.abs(blocks[bk - 1]);
  if (i < 1 || i > size || j < 1 || j > size) return `index (${i}, ${j}) outside block ${bk} of order ${size}`;
  if (blocks[bk - 1] < 0 && i !== j) return `off-diagonal entry (${i}, ${j}) in diagonal block ${bk}`;
  return null;
}

/**
 * The entries of the plain lines at the start of the rest, as the line-by-line reader would
 * push them: it stops (returning where and after how many lines) at the first line that is
 * not plain or not within range, which that reader then takes, with its exact messages.
 * WebAssembly reads the runs of lines it can (sdpa-wasm.ts: the same entries, to the bit);
 * the regular expression takes each line it leaves, and all of them without it.
 */
function fastEntries(text: string, at: number, m: number, blocks: number[], out: EntryBuffer): { at: number; lines: number } {
  let lines = 0;
  for (;;) {
    const w = wasmEntries(text, at, m, blocks, out);
    if (w !== null) {
      at = w.at;
      lines += w.lines;
    }
    // all of the rest without WebAssembly; after a line it did not take, one line (a run of 64
    // when it took none, so that a file it cannot read does not cost a window per line)
    const one = regexEntries(text, at, m, blocks, out, w === null ? Infinity : w.lines === 0 ? 64 : 1);
    at = one.at;
    lines += one.lines;
    if (one.lines === 0) return { at, lines };
  }
}

/** fastEntries by the regular expression, for at most `most` lines. */
function regexEntries(text: string, at: number, m: number, blocks: number[], out: EntryBuffer, most: number): { at: number; lines: number } {
  let lines = 0;
  while (lines < most) {
    if (at >= text.length) return { at, lines };
    PLAIN_ENTRY.lastIndex = at;
    const e = PLAIN_ENTRY.exec(text);
    if (e === null) return { at, lines };
    const a = Number(e[1]);
    const bk = Number(e[2]);
    const i = Number(e[3]);
    const j = Number(e[4]);
    const v = Number(e[5]);
    // what int() and num() would refuse, then the range checks
    if (!(Number.isSafeInteger(a) && Number.isSafeInteger(bk) && Number.isSafeInteger(i) && Number.isSafeInteger(j) && Number.isFinite(v)))
      return { at, lines };
    if (entryError(a, bk, i, j, m, blocks) !== null) return { at, lines };
    out.push(a, bk, i, j, v);
    lines++;
    at = PLAIN_ENTRY.lastIndex;
    // a line ending at the end of the text leaves nothing to read, as split gives one empty line
    if (e[0].length === 0) return { at, lines };
  }
  return { at, lines };
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
  const lines = new Lines(text);
  let li = 0;
  const at = (l: Line) => `${name}:${l.no}`;
  const need = (what: string): Line => {
    const l = lines.get(li);
    if (l === undefined) throw new InputError(`unexpected end of file, expected ${what}`, `${name}:${text.split(/\r\n|\r|\n/).length}`);
    li++;
    return l;
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
  const blocksAt = lines.get(li);
  const blocks = list(nb, 'block sizes', (t, w) => {
    const s = int(t, w, 'a block size');
    if (s === 0) throw new InputError('a block size must be non-zero', w);
    return s;
  });
  // Before anything of the declared size is allocated: does the solve fit in memory?
  requireFits(conicPeakBytes(sdpaShape(m, blocks)), `an SDP with m = ${m} and blocks (${blocks.join(', ')})`, at(blocksAt ?? mLine.l));
  const c = Float64Array.from(m === 0 ? [] : list(m, 'entries of the vector c', (t, w) => num(t, w)));
  const entries = new EntryBuffer();
  for (;;) {
    if (lines.restStartsAt(li)) {
      const rest = lines.rest();
      if (rest.at >= 0) {
        const done = fastEntries(rest.text, rest.at, m, blocks, entries);
        lines.advance(done.at, done.lines);
      }
    }
    const l = lines.get(li++);
    if (l === undefined) break;
    const w = at(l);
    if (l.tokens.length !== 5) throw new InputError(`expected 5 fields 'matno blkno i j value', got ${l.tokens.length}`, w);
    const a = int(l.tokens[0], w, 'matno');
    const bk = int(l.tokens[1], w, 'blkno');
    const i = int(l.tokens[2], w, 'i');
    const j = int(l.tokens[3], w, 'j');
    const v = num(l.tokens[4], w, 'the value');
    const wrong = entryError(a, bk, i, j, m, blocks);
    if (wrong !== null) throw new InputError(wrong, w);
    entries.push(a, bk, i, j, v);
  }
  return {
    m,
    blocks,
    c,
    entries: entries.take(),
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

/**
 * Standard-form problem whose primal is SDPA's (D); see the file comment. `keyLimit` bounds
 * the sort keys of the fast row ordering (2^53, where they stop being exact; the tests lower
 * it to take the comparison sort that larger problems take). With WebAssembly the rows are made
 * there (sdpa-wasm.ts sdpaRowsWasm, the same bits): in a fresh process the loops below ran
 * interpreted, about 5 ms of SDPLIB infd1's first solve.
 */
export function sdpaToConic(p: SdpaProblem, keyLimit = 2 ** 53): ConicProblem {
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
  const inWasm = sdpaRowsWasm(p, off, n);
  if (inWasm) {
    const { c, rowPtr, colIdx, values } = inWasm;
    return { c, A: { rows: p.m, cols: n, rowPtr, colIdx, values }, b: Float64Array.from(p.c), cones };
  }
  const c = new Float64Array(n);
  // the entries of F_1..F_m bucketed by row (in file order), then each row's sorted by column
  // with duplicates summed in file order: typed arrays and native sorts (a Map per row and a
  // sort of its keys took 5-7 ms of a large file's first solve)
  const E = p.entries;
  const count = E.v.length;
  const colOf = new Float64Array(count);
  const valOf = new Float64Array(count);
  const rowStart = new Int32Array(p.m + 1);
  for (let k = 0; k < count; k++) {
    const b = E.blk[k];
    const i = E.i[k];
    const j = E.j[k];
    const v = i === j ? E.v[k] : Math.SQRT2 * E.v[k];
    colOf[k] = col(b, i, j);
    valOf[k] = v;
    if (E.mat[k] === 0) c[colOf[k]] -= v;
    else rowStart[E.mat[k]]++;
  }
  for (let r = 0; r < p.m; r++) rowStart[r + 1] += rowStart[r];
  // each row's entries (their positions in the file) by column, duplicates in file order: as
  // one number column * count + position, sorted natively, while that is exact (below 2^53)
  const exact = n * count < keyLimit;
  const order = new Float64Array(rowStart[p.m]);
  const fill = rowStart.slice(0, p.m);
  for (let k = 0; k < count; k++) if (E.mat[k] > 0) order[fill[E.mat[k] - 1]++] = exact ? colOf[k] * count + k : k;
  const rowPtr = new Int32Array(p.m + 1);
  const colIdx: number[] = [];
  const values: number[] = [];
  for (let r = 0; r < p.m; r++) {
    const row = order.subarray(rowStart[r], rowStart[r + 1]);
    if (exact) {
      row.sort();
      for (let t = 0; t < row.length; t++) row[t] %= count;
    } else row.sort((x, y) => colOf[x] - colOf[y] || x - y);
    for (let t = 0; t < row.length; ) {
      const cc = colOf[row[t]];
      let sum = 0;
      for (; t < row.length && colOf[row[t]] === cc; t++) sum += valOf[row[t]];
      colIdx.push(cc);
      values.push(sum);
    }
    rowPtr[r + 1] = colIdx.length;
  }
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
  /**
   * A certified upper bound on (D)'s objective tr(F_0 Y) over every feasible Y (so on the
   * optimal value): minus the standard form's certified `lowerBound`. +Infinity when none was
   * certified (or `certifyBound` was false), -Infinity when (D) is certified infeasible.
   */
  dualBound: number;
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
    dualBound: -r.lowerBound,
    result: r,
  };
}
