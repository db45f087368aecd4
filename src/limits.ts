/**
 * Sizes that cannot fit: one place for the memory estimates of every request (an SDPA file,
 * a scenario, the SDP a design method solves, a study's sweep), checked *before* anything is
 * allocated, so that an impossible request ends with a clear message (InputError, exit 2)
 * instead of growing memory until the process dies.
 *
 * The estimates are deliberately rough (within a small factor, calibrated on the solver's
 * peak memory) and err on the large side; the budget is a fraction of the machine's memory.
 * This file sits at the root of src/ (next to errors.ts) because every layer uses it: the
 * conic solver's SDPA reader as much as the model and the study engine. It has no Node
 * imports, so it also runs in a browser; the CLI tells it the machine's memory.
 */
import { InputError } from './errors.ts';

const GIB = 2 ** 30;

/** The share of the machine's memory one request may plan to use. */
const BUDGET_SHARE = 0.5;

/** Without a call to setMachineMemory (e.g. in a browser): assume a 4 GiB machine. */
let machineBytes = 4 * GIB;
/** JavaScript objects (parsed JSON, arrays of pairs) live in V8's heap, which has its own limit. */
let heapBytes = 4 * GIB;

/**
 * Tells the limits how much memory this machine has (the CLI passes os.totalmem()) and how
 * large V8's heap may grow (v8.getHeapStatistics().heap_size_limit).
 */
export function setMachineMemory(bytes: number, heapLimit?: number): void {
  if (Number.isFinite(bytes) && bytes > 0) machineBytes = bytes;
  if (heapLimit !== undefined && Number.isFinite(heapLimit) && heapLimit > 0) heapBytes = heapLimit;
}

/**
 * Bytes one request may plan to use: half of the machine's memory for typed arrays (the
 * solver's data), half of the heap limit for JavaScript objects (JSON, scenarios).
 */
export function memoryBudget(kind: 'arrays' | 'heap' = 'arrays'): number {
  return (kind === 'heap' ? Math.min(heapBytes, machineBytes) : machineBytes) * BUDGET_SHARE;
}

/** `3.2 GB`, `850 MB`, `1.0e+12 GB`: readable sizes for messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e15) return `${(bytes / 1e9).toExponential(1)} GB`;
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  return `${Math.max(1, Math.round(bytes / 1e6))} MB`;
}

/**
 * Throws an InputError when `bytes` exceeds the budget. `what` says what would be built
 * ("this SDP", "the channels"), `where` names the input (a JSON path, `file:line`, a flag).
 */
export function requireFits(bytes: number, what: string, where?: string, kind: 'arrays' | 'heap' = 'arrays'): void {
  const budget = memoryBudget(kind);
  if (bytes <= budget) return;
  const of = kind === 'heap' ? `the JavaScript heap's ${formatBytes(Math.min(heapBytes, machineBytes))}` : `its ${formatBytes(machineBytes)}`;
  throw new InputError(
    `${what} would need about ${formatBytes(bytes)} of memory; this machine allows ${formatBytes(budget)} ` +
      `(half of ${of}), so it is refused before anything is allocated`,
    where,
  );
}

/** The shape of a conic problem as far as memory goes (no data needed). */
export interface ConicShape {
  /** Equality rows (the Schur complement is m x m, dense). */
  rows: number;
  /** Orders of real symmetric PSD blocks. */
  psdOrders: number[];
  /** Orders of complex Hermitian PSD blocks. */
  hpsdOrders: number[];
  /** Total dimension of nonnegative, free and second-order parts. */
  linearDim: number;
  /** Non-zeros of A (0 when not yet known). */
  nonzeros?: number;
}

/**
 * The real embedding of Hermitian blocks (the solver's `hermitian: 'embedded'`, a design SDP's
 * last fallback) doubles their order and the Schur complement's entry lists: measured at 2.3
 * times the native solve's memory on a 16.6M-non-zero design SDP (bench/memory.ts), so its
 * arrays are priced at 2.5 times the native ones.
 */
export const EMBEDDED_MEMORY_FACTOR = 2.5;

/**
 * Memory a solve uses beyond its problem's arrays, whatever their size: V8's heap with the
 * garbage it holds between collections, the kernels' WebAssembly memories at their high-water
 * marks, a design method's other SDPs and checks. Measured (bench/memory.ts) at 113-267 MiB
 * above the arrays' price on 7- and 19-BS design solves of 100-600 MiB.
 */
const WORKING_BYTES = 384 * 2 ** 20;

/**
 * Peak bytes the interior-point solver needs for a problem of this shape (`embedded`: its
 * Hermitian blocks embedded as real ones): WORKING_BYTES, about 40 dense n x n matrices per real
 * block (iterates, directions, scalings, eigen-workspaces; calibrated on `netisac sdpa` runs
 * with one block of order 100..600), twice that for Hermitian blocks, three m x m matrices for
 * the Schur complement and its factor, ~30 vectors of the linear part, and 120 bytes per
 * non-zero of A. That last price is measured (bench/memory.ts, docs/benchmarks.md "Memory
 * estimates"): design SDPs of 4.8M-16.6M non-zeros peaked at 67-105 bytes per non-zero beyond
 * their blocks (A as given, normalised and, on a retry, equilibrated; the Schur complement's
 * per-row entry lists and low-rank factors), where 40 had been assumed.
 */
export function conicPeakBytes(s: ConicShape, embedded = false): number {
  const sq = (a: number[]) => a.reduce((t, n) => t + n * n, 0);
  const doubles = 3 * s.rows * s.rows + 40 * sq(s.psdOrders) + 80 * sq(s.hpsdOrders) + 30 * s.linearDim + 20 * s.rows;
  const arrays = 8 * doubles + 120 * (s.nonzeros ?? 0);
  return WORKING_BYTES + (embedded && s.hpsdOrders.length > 0 ? EMBEDDED_MEMORY_FACTOR : 1) * arrays;
}

/**
 * Heap bytes of a scenario's channels (S K N complex numbers) while it is read, drawn or
 * written: as [re, im] JSON arrays (~80 bytes each in V8), as typed arrays, and as JSON text.
 */
export function scenarioBytes(S: number, K: number, N: number): number {
  return 160 * S * K * N + 200 * (S * S + S + K);
}

/**
 * Heap bytes of a design while it is written and checked: the contract's design JSON holds S
 * sensing covariances of N x N complex entries as [re, im] arrays (~80 bytes each in V8) and
 * as text (~45 bytes), and the model's check builds S transmit covariances (16 bytes each,
 * a few copies). Whatever the SDP's size, this grows as S N^2.
 */
export function designBytes(S: number, K: number, N: number): number {
  return 200 * (K * N + S * N * N);
}

/**
 * Floating-point operations per second that the dense kernels (complex products, Cholesky,
 * the solver's Schur complement) sustain on one core of this machine's class, measured on the
 * `fixed` solves of bench/limits (N = 256..1024 antennas) while the machine was shared. An
 * estimate divided by it is a time within a small factor, on the long side on a quiet machine.
 */
export const FLOP_RATE = 1e9;

/** Seconds a request may be expected to take before it is refused (without --force or a longer --time-limit). */
export const DEFAULT_TIME_ALLOWANCE = 600;

/** Seconds above which a solve says up front how long it may take (the CLI's note, the planner's progress line). */
export const LONG_SOLVE_NOTE = 30;

/** What a solve estimated at `seconds` says up front: "may take up to about 4 min", or null below LONG_SOLVE_NOTE. */
export function longSolveNote(seconds: number): string | null {
  return seconds > LONG_SOLVE_NOTE ? `may take up to about ${formatSeconds(seconds)}` : null;
}

/** `45 s`, `12 min`, `3.5 h`, `2.1e+04 days`: readable durations for messages. */
export function formatSeconds(s: number): string {
  if (s < 120) return `${Math.max(1, Math.round(s))} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172800) return `${(s / 3600).toFixed(1)} h`;
  const days = s / 86400;
  return `${days < 1e4 ? days.toFixed(0) : days.toExponential(1)} days`;
}

/**
 * Work of one design SDP of this shape, in flops: interior-point iterations x (the Schur
 * complement's Cholesky factorisation, m^3 / 3, plus, for every block of order d, the rows
 * that touch it (at most `rowsPerBlock`) each passing over it once (m_b d^3) and every pair
 * of them meeting through their low-rank factors (m_b^2 d rank), plus the block's own
 * scaling). Calibrated on `fixed` with K = 24 users, N = 32 (37 iterations, estimate 2x the
 * measured time); complex arithmetic counts 4 flops per multiply-add. `schurFactor`: the
 * factorisation's multiply-adds where the caller knows M's pattern (default dense, m^3 / 3).
 */
export function conicFlops(s: ConicShape, rowsPerBlock: number, iterations = 40, rank = 2, schurFactor = s.rows ** 3 / 3): number {
  const m = s.rows;
  let perIteration = schurFactor + 10 * s.linearDim;
  const mb = Math.min(m, rowsPerBlock);
  for (const d of s.psdOrders) perIteration += 2 * (mb * d ** 3 + mb * mb * d * rank) + 30 * d ** 3;
  for (const d of s.hpsdOrders) perIteration += 8 * (mb * d ** 3 + mb * mb * d * rank) + 120 * d ** 3;
  return iterations * perIteration;
}

/**
 * Work of checking one design from scratch (model/design.ts, model/evaluate.ts) for S BSs, T
 * targets and N antennas: a Cholesky factorisation of every sensing covariance (N^3 / 3
 * complex multiply-adds) and the dense FIM (29) of every target, three N x N complex products
 * per transmitter. This, not the SDP (whose blocks are restricted to a subspace of order
 * K + 2T), is what grows as N^3.
 */
export function designCheckFlops(S: number, T: number, N: number): number {
  return S * (8 / 3) * N ** 3 + Math.max(1, S - 1) * T * 3 * 8 * N ** 3;
}

/**
 * Throws an InputError when `seconds` (an estimate) exceeds the allowance: a request that
 * cannot finish in a sensible time is refused before it starts, with the estimate and the
 * way to run it anyway. `allowance` is the caller's time limit (or DEFAULT_TIME_ALLOWANCE).
 */
export function requireFinishes(seconds: number, what: string, where: string, allowance = DEFAULT_TIME_ALLOWANCE): void {
  if (seconds <= allowance) return;
  throw new InputError(
    `${what} could take up to about ${formatSeconds(seconds)} on this machine (estimated from its size, on the long side), ` +
      `more than the allowed ${formatSeconds(allowance)}; pass a longer --time-limit or --force to run it anyway`,
    where,
  );
}
