import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type CMat, zeros, mul, scale, normF, sub, trace } from '../../src/linalg/complex.ts';
import { Rng } from '../../src/linalg/prng.ts';
import {
  fisherInformation,
  equivalentFim,
  crlb,
  crlbFromEquivalentFim,
  fimCoefficients,
  fimFromCoefficients,
  coefficientMatrix,
  coefficientEntry,
  transmittersOf,
} from '../../src/model/fim.ts';
import { sinTheta, steering, delay } from '../../src/model/geometry.ts';
import type { Scenario, Point } from '../../src/model/types.ts';
import { randomScenario, randomPsd, randomCovariances, relDiff } from './helpers.ts';

/**
 * Explicit signal samples: X_{s'} = sqrt(L) B_{s'} U_{s'} with Q_{s'} = B B^H and U_{s'} N x L
 * blocks of distinct DFT rows (orthonormal rows, mutually orthogonal blocks), so
 * (1/L) X X^H = Q exactly and X_{s'} X_{s''}^H = 0 for s' != s'' (needs L >= N(S-1)).
 */
function explicitSignals(scn: Scenario, receiver: number, B: CMat[]): CMat[] {
  const tx = transmittersOf(scn.S, receiver);
  const { N, L } = scn;
  expect(L).toBeGreaterThanOrEqual(N * tx.length);
  return scn.baseStations.map((_, s) => {
    const m = tx.indexOf(s);
    if (m < 0) return zeros(N, L);
    const U = zeros(N, L);
    for (let r = 0; r < N; r++)
      for (let l = 0; l < L; l++) {
        const ph = (-2 * Math.PI * (m * N + r) * l) / L;
        U.data[2 * (r * L + l)] = Math.cos(ph) / Math.sqrt(L);
        U.data[2 * (r * L + l) + 1] = Math.sin(ph) / Math.sqrt(L);
      }
    return scale(mul(B[s]!, U), Math.sqrt(L));
  });
}

/**
 * The noiseless echo (27) as a function of xi = [p1, p2, Re alpha..., Im alpha...]:
 * u = sum_{s'} alpha_{s'} vec(G_{s'}(p) X_{s'}(p)) with G(p) = a(theta_r(p)) a(theta_t(p))^H
 * computed from the geometry at p (no derivative formulas involved). The delay enters as the
 * first-order factor X(p) = (1 - delta (tau(p) - tau(p0))) X: its derivative at p0 is
 * -delta tau_dot X, exactly the contract's X_dot = -tau_dot X (delta = the FIM's delayScale).
 * A true time shift of the samples is not representable with L discrete samples, and only its
 * first-order effect enters the FIM, so this is equivalent for the test.
 */
function echo(scn: Scenario, receiver: number, X: CMat[], xi: number[], delta: number, target: number): Float64Array {
  const tx = transmittersOf(scn.S, receiver);
  const T = tx.length;
  const p: Point = [xi[0]!, xi[1]!];
  const rx = scn.baseStations[receiver]!;
  const aR = steering(scn.N, sinTheta(rx.position, rx.arrayAxis, p));
  const out = new Float64Array(2 * scn.N * scn.L);
  tx.forEach((t, m) => {
    const b = scn.baseStations[t]!;
    const aT = steering(scn.N, sinTheta(b.position, b.arrayAxis, p));
    const f = 1 - delta * (delay(rx.position, b.position, p) - delay(rx.position, b.position, scn.targets[target]!.position));
    const ar = xi[2 + m]!;
    const ai = xi[2 + T + m]!;
    // y = a_T^H X (1 x L), then alpha f a_R y.
    for (let l = 0; l < scn.L; l++) {
      let yr = 0;
      let yi = 0;
      for (let n = 0; n < scn.N; n++) {
        const cr = aT[2 * n]!;
        const ci = -aT[2 * n + 1]!;
        const xr = X[t]!.data[2 * (n * scn.L + l)]!;
        const xim = X[t]!.data[2 * (n * scn.L + l) + 1]!;
        yr += cr * xr - ci * xim;
        yi += cr * xim + ci * xr;
      }
      const zr = f * (ar * yr - ai * yi);
      const zi = f * (ar * yi + ai * yr);
      for (let n = 0; n < scn.N; n++) {
        // vec stacks columns: element (n, l) at index l*N + n.
        const k = 2 * (l * scn.N + n);
        out[k]! += aR[2 * n]! * zr - aR[2 * n + 1]! * zi;
        out[k + 1]! += aR[2 * n]! * zi + aR[2 * n + 1]! * zr;
      }
    }
  });
  return out;
}

/** (2/sigma^2) Re{J^H J} with J from central differences of the explicit echo. */
function fimByFiniteDifferences(scn: Scenario, receiver: number, X: CMat[], delta: number, target = 0): number[][] {
  const tx = transmittersOf(scn.S, receiver);
  const { position: p0, radarGains: g } = scn.targets[target]!;
  const xi0 = [p0[0], p0[1], ...tx.map((t) => g[receiver]![t]![0]), ...tx.map((t) => g[receiver]![t]![1])];
  const dim = xi0.length;
  const rMin = Math.min(...scn.baseStations.map((b) => Math.hypot(b.position[0] - p0[0], b.position[1] - p0[1])));
  const cols: Float64Array[] = [];
  for (let i = 0; i < dim; i++) {
    // Position step h = 1e-5 r_min (r_min: target to nearest BS). The phases vary on the
    // length scale r / (pi N), so the truncation error is ~ (h pi N / r)^2 / 6 < 1e-8 and the
    // round-off ~ eps / (h pi N / r) < 1e-10, relative. The echo is linear in the gains, so
    // their step is exact up to round-off.
    const h = i < 2 ? 1e-5 * rMin : 1e-3 * Math.max(Math.abs(xi0[i]!), 1e-12);
    const plus = xi0.slice();
    const minus = xi0.slice();
    plus[i]! += h;
    minus[i]! -= h;
    const up = echo(scn, receiver, X, plus, delta, target);
    const um = echo(scn, receiver, X, minus, delta, target);
    cols.push(up.map((v, k) => (v - um[k]!) / (2 * h)));
  }
  const F = Array.from({ length: dim }, () => new Array<number>(dim).fill(0));
  for (let i = 0; i < dim; i++)
    for (let j = 0; j < dim; j++) {
      let re = 0;
      for (let k = 0; k < cols[i]!.length; k += 2) re += cols[i]![k]! * cols[j]![k]! + cols[i]![k + 1]! * cols[j]![k + 1]!;
      F[i]![j] = (2 / scn.radarNoisePower) * re;
    }
  return F;
}

/** max_ij |A_ij - B_ij| / sqrt(A_ii A_jj): entries compared on their natural (Cauchy-Schwarz) scale. */
function fimError(A: number[][], B: number[][]): number {
  let worst = 0;
  for (let i = 0; i < A.length; i++)
    for (let j = 0; j < A.length; j++) {
      const sc = Math.sqrt(Math.abs(A[i]![i]! * A[j]![j]!)) || 1e-300;
      worst = Math.max(worst, Math.abs(A[i]![j]! - B[i]![j]!) / sc);
    }
  return worst;
}

describe('FIM (29) against finite differences of the explicit echo (27)', () => {
  // Tolerance 1e-5 relative (on sqrt(F_ii F_jj)): the central differences (steps below) are
  // accurate to ~1e-8 (observed max ~1e-8 over 600 random cases), so 1e-5 leaves a wide margin
  // while any sign, conjugation or factor error shows up at O(1).
  it('matches (2/sigma^2) Re{J^H J} for random geometry, axes, gains and covariances', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 2, max: 4 }),
        fc.constantFrom(0, 1, 3e7),
        fc.integer({ min: 1, max: 3 }),
        (seed, N, S, delta, T) => {
          // T > 1: several targets (block-diagonal FIM); the block of one of them is checked.
          const scn = randomScenario(seed, { N, S, K: 0, L: N * (S - 1) + 3, randomAxes: seed % 2 === 0, targets: T > 1 ? T : undefined });
          const rng = new Rng(seed + 1);
          const receiver = rng.int(S);
          const target = seed % T;
          const B = scn.baseStations.map(() => {
            const rank = 1 + rng.int(N);
            const b = zeros(N, N);
            for (let r = 0; r < N; r++)
              for (let c = 0; c < rank; c++) {
                b.data[2 * (r * N + c)] = rng.normal();
                b.data[2 * (r * N + c) + 1] = rng.normal();
              }
            return b;
          });
          const Q = B.map((b, s) => (s === receiver ? zeros(N, N) : mul(b, { rows: N, cols: N, data: adjointData(b) })));
          const X = explicitSignals(scn, receiver, B);
          const analytic = fisherInformation(scn, receiver, Q, { delayScale: delta, target });
          const numeric = fimByFiniteDifferences(scn, receiver, X, delta, target);
          expect(fimError(analytic, numeric)).toBeLessThan(1e-5);
          // J_e on the scale of F_pp (the Schur complement cancels; errors stay at the F_pp scale).
          const ja = equivalentFim(analytic);
          const jn = equivalentFim(numeric);
          const sc = Math.sqrt(analytic[0]![0]! * analytic[1]![1]!);
          for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(Math.abs(ja[i]![j]! - jn[i]![j]!)).toBeLessThan(1e-5 * sc);
          // CRLBs where J_e is well conditioned (S = 2 with a rank-one Q is legitimately singular:
          // only one bistatic direction survives the projection off the gain parameters).
          const tr = ja[0]![0]! + ja[1]![1]!;
          if (ja[0]![0]! * ja[1]![1]! - ja[0]![1]! ** 2 > 1e-3 * tr * tr) {
            expect(relDiff(crlbFromEquivalentFim(ja), crlbFromEquivalentFim(jn))).toBeLessThan(1e-4);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

function adjointData(b: CMat): Float64Array {
  const n = b.rows;
  const out = new Float64Array(b.data.length);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < b.cols; j++) {
      out[2 * (j * n + i)] = b.data[2 * (i * b.cols + j)]!;
      out[2 * (j * n + i) + 1] = -b.data[2 * (i * b.cols + j) + 1]!;
    }
  return out;
}

describe('CRLB (7) invariances', () => {
  const cases = [11, 22, 33, 44, 55];
  it('is unchanged when the delay term is dropped or scaled (the FIM itself changes)', () => {
    for (const seed of cases) {
      const scn = randomScenario(seed, { N: 6, S: 4, K: 0 });
      const rng = new Rng(seed);
      const r = rng.int(4);
      const Q = randomCovariances(rng, scn, r);
      const base = crlb(scn, r, Q);
      for (const d of [0, 10, 1e8]) expect(relDiff(crlb(scn, r, Q, { delayScale: d }), base)).toBeLessThan(1e-9);
      const F0 = fisherInformation(scn, r, Q, { delayScale: 0 });
      const F1 = fisherInformation(scn, r, Q, { delayScale: 1e8 });
      expect(relDiff(F0[0]![0]!, F1[0]![0]!)).toBeGreaterThan(1e-3);
    }
  });

  it('is unchanged by the phases of the radar gains', () => {
    for (const seed of cases) {
      const scn = randomScenario(seed, { N: 5, S: 4, K: 0 });
      const rng = new Rng(seed + 7);
      const r = rng.int(4);
      const Q = randomCovariances(rng, scn, r);
      const base = crlb(scn, r, Q);
      const rotated: Scenario = {
        ...scn,
        targets: scn.targets.map((t) => ({
          ...t,
          radarGains: t.radarGains.map((row) =>
            row.map(([re, im]) => {
              const ph = 2 * Math.PI * rng.uniform();
              return [re * Math.cos(ph) - im * Math.sin(ph), re * Math.sin(ph) + im * Math.cos(ph)] as [number, number];
            }),
          ),
        })),
      };
      expect(relDiff(crlb(rotated, r, Q), base)).toBeLessThan(1e-9);
    }
  });

  it('scales as 1/power: Q -> c Q gives CRLB / c', () => {
    for (const seed of cases) {
      const scn = randomScenario(seed, { N: 4, S: 3, K: 0 });
      const rng = new Rng(seed + 3);
      const r = rng.int(3);
      const Q = randomCovariances(rng, scn, r);
      const base = crlb(scn, r, Q);
      for (const c of [1e-3, 0.5, 7])
        expect(
          relDiff(
            crlb(
              scn,
              r,
              Q.map((q) => scale(q, c)),
            ),
            base / c,
          ),
        ).toBeLessThan(1e-10);
    }
  });

  it('is Infinity (never NaN) without information: all Q zero, or N = 1 (no angle information)', () => {
    const scn = randomScenario(3, { N: 4, S: 4, K: 0 });
    expect(
      crlb(
        scn,
        0,
        scn.baseStations.map(() => zeros(4, 4)),
      ),
    ).toBe(Infinity);
    const one = randomScenario(4, { N: 1, S: 4, K: 0 });
    const rng = new Rng(1);
    expect(crlb(one, 2, randomCovariances(rng, one, 2))).toBe(Infinity);
  });

  it('ignores a silent transmitter (its gains are unidentifiable and uncoupled)', () => {
    const scn = randomScenario(8, { N: 4, S: 4, K: 0 });
    const rng = new Rng(2);
    const Q = randomCovariances(rng, scn, 0);
    const only12 = Q.map((q, s) => (s === 3 ? zeros(4, 4) : q));
    const c = crlb(scn, 0, only12);
    expect(Number.isFinite(c)).toBe(true);
    // Same as a 3-BS network without BS 3.
    const small: Scenario = {
      ...scn,
      S: 3,
      baseStations: scn.baseStations.slice(0, 3),
      targets: scn.targets.map((t) => ({ ...t, radarGains: t.radarGains.slice(0, 3).map((r) => r.slice(0, 3)) })),
    };
    expect(relDiff(crlb(small, 0, only12.slice(0, 3)), c)).toBeLessThan(1e-10);
  });
});

describe('fimCoefficients (low-rank linear form of the FIM)', () => {
  it("sum_{s'} tr(C Q) equals the direct FIM on random Q; C = V M V^H Hermitian; dense expansion agrees", () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const scn = randomScenario(seed, { N: 2 + (seed % 5), S: 2 + (seed % 3), K: 0, randomAxes: seed % 2 === 1 });
      const rng = new Rng(seed * 31);
      const r = rng.int(scn.S);
      const delayScale = [1, 0, 1e8][seed % 3];
      const coefs = fimCoefficients(scn, r, { delayScale });
      const Q = randomCovariances(rng, scn, r);
      const direct = fisherInformation(scn, r, Q, { delayScale });
      expect(fimError(direct, fimFromCoefficients(coefs, Q))).toBeLessThan(1e-10);
      for (const e of coefs.entries) {
        expect(coefficientEntry(coefs, e.j, e.i)).toBe(e);
        let sum = 0;
        for (const t of e.terms) {
          const C = coefficientMatrix(coefs, t);
          expect(normF(sub(C, { rows: C.rows, cols: C.cols, data: adjointData(C) }))).toBeLessThan(1e-12 * (normF(C) + 1e-300));
          sum += trace(mul(C, Q[t.transmitter]!))[0];
        }
        const sc = Math.sqrt(Math.abs(direct[e.i]![e.i]! * direct[e.j]![e.j]!));
        expect(Math.abs(sum - direct[e.i]![e.j]!)).toBeLessThan(1e-10 * sc);
      }
      expect(coefs.basis[r]).toBeNull();
    }
  });

  it('is linear: the coefficients do not depend on Q (rank-one Q along a random beam)', () => {
    const scn = randomScenario(77, { N: 8, S: 4, K: 0 });
    const rng = new Rng(5);
    const coefs = fimCoefficients(scn, 1);
    const Q = scn.baseStations.map((_, s) => (s === 1 ? zeros(8, 8) : randomPsd(rng, 8, 1, 3)));
    expect(fimError(fisherInformation(scn, 1, Q), fimFromCoefficients(coefs, Q))).toBeLessThan(1e-10);
  });
});
