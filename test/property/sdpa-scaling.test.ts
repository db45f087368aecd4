/**
 * `sdpa` statuses are invariant under scaling F0 and c by 10^+-6 (issue 14), over small
 * problems of several SDPLIB families generated here (max-cut `mcp`, graph partition `gpp`,
 * Lyapunov-type `control`, Lovasz `theta`, a truss-like LP + SDP mix) and over problems built
 * to be primal or dual infeasible (a Farkas certificate planted by construction).
 *
 * Scaling F0 by f scales the primal optimum's x and the objective by f; scaling c by f scales
 * the objective by f: a status must not change and an optimum must scale.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { solveSdpa, type SdpaProblem } from '../../src/conic/sdpa.ts';
import { rng, sdpaProblem, thetaSdpa, type SdpaEntry } from '../conic/helpers.ts';

type Entry = SdpaEntry;

/** Zero entries are left out (the generators below produce some). */
const sdpa = (m: number, blocks: number[], c: number[], entries: Entry[]): SdpaProblem =>
  sdpaProblem(
    m,
    blocks,
    c,
    entries.filter((x) => x.v !== 0),
  );

type Sym = number[][];
const zerosSym = (n: number): Sym => Array.from({ length: n }, () => new Array<number>(n).fill(0));
const randSym = (n: number, rnd: () => number): Sym => {
  const a = zerosSym(n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i]![j] = a[j]![i] = 2 * rnd() - 1;
  return a;
};
/** Upper-triangle entries of symmetric matrix `a` as SDPA entries of matrix `mat`, block `blk`. */
const entriesOf = (a: Sym, mat: number, blk = 0): Entry[] => {
  const out: Entry[] = [];
  a.forEach((row, i) => row.forEach((v, j) => j >= i && out.push({ mat, blk, i, j, v })));
  return out;
};
const inner = (a: Sym, b: Sym) => a.reduce((s, row, i) => s + row.reduce((t, v, j) => t + v * b[i]![j]!, 0), 0);

/** Max-cut relaxation (SDPLIB mcp) in SDPA's dual form: min sum x_i s.t. diag(x) - L/4 >= 0. */
function maxcut(seed: number, n = 7): SdpaProblem {
  const rnd = rng(seed);
  const L = zerosSym(n);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      if (rnd() < 0.5) continue;
      const w = 1 + Math.floor(4 * rnd());
      L[i]![j] = L[j]![i] = -w;
      L[i]![i]! += w;
      L[j]![j]! += w;
    }
  const F0 = L.map((row) => row.map((v) => v / 4));
  const entries = entriesOf(F0, 0);
  for (let i = 0; i < n; i++) entries.push({ mat: i + 1, blk: 0, i, j: i, v: 1 });
  return sdpa(n, [n], new Array<number>(n).fill(1), entries);
}

/** Graph partition (SDPLIB gpp): min sum x_i + x_0 n s.t. diag(x) + x_0 J - (-L) >= 0, kept bounded by diag(x) >= L. */
function gpp(seed: number, n = 6): SdpaProblem {
  const rnd = rng(seed);
  const W = randSym(n, rnd).map((row) => row.map((v) => Math.abs(v)));
  const entries: Entry[] = entriesOf(
    W.map((row) => row.map((v) => -v)),
    0,
  );
  for (let i = 0; i < n; i++) entries.push({ mat: i + 1, blk: 0, i, j: i, v: 1 });
  const J = zerosSym(n).map((row) => row.map(() => 1));
  entries.push(...entriesOf(J, n + 1));
  const c = [...new Array<number>(n).fill(1), n];
  return sdpa(n + 1, [n], c, entries);
}

/**
 * Lyapunov-type (SDPLIB control): find P with P >= I and -(A^T P + P A) >= I for a stable A,
 * minimising tr P; P = sum x_k E_k over a symmetric basis, in two blocks.
 */
function control(seed: number, n = 3): SdpaProblem {
  const rnd = rng(seed);
  const A = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? -2 - rnd() : 0.6 * (2 * rnd() - 1))));
  const entries: Entry[] = [];
  const c: number[] = [];
  let k = 0;
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      k++;
      const E = zerosSym(n);
      E[i]![j] = E[j]![i] = 1;
      c.push(i === j ? 1 : 0);
      entries.push(...entriesOf(E, k, 0));
      // -(A^T E + E A)
      const M = zerosSym(n);
      for (let r = 0; r < n; r++) for (let s = 0; s < n; s++) for (let t = 0; t < n; t++) M[r]![s]! -= A[t]![r]! * E[t]![s]! + E[r]![t]! * A[t]![s]!;
      entries.push(...entriesOf(M, k, 1));
    }
  for (let i = 0; i < n; i++) entries.push({ mat: 0, blk: 0, i, j: i, v: 1 }, { mat: 0, blk: 1, i, j: i, v: 1 });
  return sdpa(k, [n, n], c, entries);
}

/** Lovasz theta of a random graph (helpers.ts), on 7 vertices. */
const theta = (seed: number, n = 7): SdpaProblem => thetaSdpa(seed, n);

/** Truss-like mix (SDPLIB truss/arch): a 3x3 block and an LP block, strictly feasible on both sides. */
function truss(seed: number, m = 4): SdpaProblem {
  const rnd = rng(seed);
  const x0 = Array.from({ length: m }, () => 2 * rnd() - 1);
  const F = Array.from({ length: m }, () => randSym(3, rnd));
  const lp = Array.from({ length: m }, () => Array.from({ length: 4 }, () => 2 * rnd() - 1));
  const entries: Entry[] = [];
  const c: number[] = [];
  F.forEach((f, t) => {
    entries.push(...entriesOf(f, t + 1, 0));
    lp[t]!.forEach((v, i) => entries.push({ mat: t + 1, blk: 1, i, j: i, v }));
    // Y0 = I (both blocks): c_t = tr(F_t) + sum lp_t
    c.push(f.reduce((s, row, i) => s + row[i]!, 0) + lp[t]!.reduce((s, v) => s + v, 0));
  });
  // F0 = sum x0_t F_t - I: x0 is strictly feasible
  const F0 = zerosSym(3);
  F.forEach((f, t) => f.forEach((row, i) => row.forEach((v, j) => (F0[i]![j]! += x0[t]! * v))));
  for (let i = 0; i < 3; i++) F0[i]![i]! -= 1;
  entries.push(...entriesOf(F0, 0, 0));
  for (let i = 0; i < 4; i++) entries.push({ mat: 0, blk: 1, i, j: i, v: lp.reduce((s, row, t) => s + x0[t]! * row[i]!, 0) - 1 });
  return sdpa(m, [3, -4], c, entries);
}

/**
 * (P) infeasible by construction: Y0 = v v^T >= 0 with tr(F_i Y0) = 0 for every i and
 * tr(F0 Y0) > 0 is a Farkas certificate that no x gives sum x_i F_i - F0 >= 0.
 */
function primalInfeasible(seed: number, n = 4, m = 3): SdpaProblem {
  const rnd = rng(seed);
  const v = Array.from({ length: n }, () => 2 * rnd() - 1);
  const Y0 = v.map((a) => v.map((b) => a * b));
  const yy = inner(Y0, Y0);
  const F = Array.from({ length: m }, () => {
    const f = randSym(n, rnd);
    const t = inner(f, Y0) / yy;
    return f.map((row, i) => row.map((x, j) => x - t * Y0[i]![j]!));
  });
  const F0 = randSym(n, rnd);
  const t0 = (1 - inner(F0, Y0)) / yy; // tr(F0 Y0) = 1
  const F0p = F0.map((row, i) => row.map((x, j) => x + t0 * Y0[i]![j]!));
  const entries = [...entriesOf(F0p, 0), ...F.flatMap((f, i) => entriesOf(f, i + 1))];
  return sdpa(
    m,
    [n],
    Array.from({ length: m }, () => 2 * rnd() - 1),
    entries,
  );
}

/**
 * (D) infeasible by construction: x0 with sum x0_i F_i = I >= 0 and c^T x0 = -1 is a ray along
 * which the primal objective decreases without end.
 */
function dualInfeasible(seed: number, n = 4, m = 3): SdpaProblem {
  const rnd = rng(seed);
  const x0 = Array.from({ length: m }, () => 0.5 + rnd());
  const F = Array.from({ length: m }, () => randSym(n, rnd));
  // F_1 = (I - sum_{i>1} x0_i F_i) / x0_1
  const F1 = zerosSym(n);
  for (let i = 0; i < n; i++) F1[i]![i] = 1;
  for (let t = 1; t < m; t++) F[t]!.forEach((row, i) => row.forEach((v, j) => (F1[i]![j]! -= x0[t]! * v)));
  F[0] = F1.map((row) => row.map((v) => v / x0[0]!));
  const c = Array.from({ length: m }, () => 2 * rnd() - 1);
  c[0] = -(1 + c.slice(1).reduce((s, ci, t) => s + ci * x0[t + 1]!, 0)) / x0[0]!;
  const entries = [...entriesOf(randSym(n, rnd), 0), ...F.flatMap((f, i) => entriesOf(f, i + 1))];
  return sdpa(m, [n], c, entries);
}

function scaled(p: SdpaProblem, fF0: number, fc: number): SdpaProblem {
  const v = p.entries.v.map((x, k) => (p.entries.mat[k] === 0 ? x * fF0 : x));
  return { ...p, c: p.c.map((x) => x * fc), entries: { ...p.entries, v } };
}

const FAMILIES: Record<string, (seed: number) => SdpaProblem> = { maxcut, gpp, control, theta, truss, primalInfeasible, dualInfeasible };
const EXPECTED: Record<string, string> = { primalInfeasible: 'primal_infeasible', dualInfeasible: 'dual_infeasible' };

describe('sdpa statuses under scaling F0 and c by 10^+-6 (property)', () => {
  it('every family keeps its status, and optima scale with F0 and c', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(FAMILIES)),
        fc.integer({ min: 1, max: 1e6 }),
        fc.constantFrom(1e-6, 1, 1e6),
        fc.constantFrom(1e-6, 1, 1e6),
        (family, seed, fF0, fC) => {
          const p = FAMILIES[family]!(seed);
          const ref = solveSdpa(p);
          expect(ref.status, `${family} ${seed}`).toBe(EXPECTED[family] ?? 'optimal');
          const r = solveSdpa(scaled(p, fF0, fC));
          expect(r.status, `${family} ${seed}: F0 x ${fF0}, c x ${fC}`).toBe(ref.status);
          if (ref.status === 'optimal') {
            const want = ref.objective * fF0 * fC;
            expect(Math.abs(r.objective - want), `${family} ${seed}: F0 x ${fF0}, c x ${fC}`).toBeLessThanOrEqual(1e-5 * Math.max(Math.abs(want), fF0 * fC));
          }
        },
      ),
      { seed: 1462, numRuns: 60 },
    );
  });
});
