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
 * Peak bytes the interior-point solver needs for a problem of this shape. Calibrated on
 * `netisac sdpa` runs (one block of order 100..600): about 40 dense n x n matrices per real
 * block (iterates, directions, scalings, eigen-workspaces), twice that for Hermitian
 * blocks, three m x m matrices for the Schur complement and its factor, ~30 vectors of the
 * linear part, and A stored a few times over (user's, prepared, equilibrated).
 */
export function conicPeakBytes(s: ConicShape): number {
  const sq = (a: number[]) => a.reduce((t, n) => t + n * n, 0);
  const doubles = 3 * s.rows * s.rows + 40 * sq(s.psdOrders) + 80 * sq(s.hpsdOrders) + 30 * s.linearDim + 20 * s.rows;
  return 8 * doubles + 40 * (s.nonzeros ?? 0);
}

/**
 * The SDP a design method solves for S base stations, K users and N antennas (worst case:
 * the relaxation with every transmitter a candidate for every user): one Hermitian block of
 * order `order` per (BS, user) pair and per sensing covariance, a few rows per user and BS.
 * `order` is N unless the design layer restricts the beamformers to a smaller subspace.
 */
export function designShape(S: number, K: number, N: number, order = N): ConicShape {
  const blocks = S * K + S;
  const rows = 4 * K + 3 * S + 16 + 2 * S * K;
  // every SINR row touches every block of its user's interferers: K rows x S K blocks x order^2
  const nonzeros = (K + S) * blocks * order * order;
  return { rows, psdOrders: [], hpsdOrders: Array(blocks).fill(order), linearDim: 4 * S * K + 4 * S, nonzeros };
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
