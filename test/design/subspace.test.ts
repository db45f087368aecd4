/**
 * The exact subspace restriction (src/design/subspace.ts): the basis itself, the three facts
 * its proof rests on (checked numerically on random matrices), and the restricted SDPs
 * against the full ones: same optimum, and recovered designs with the same metrics.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lift, project, projectSpanned, spanOf } from '../../src/design/subspace.ts';
import { designData } from '../../src/design/from-scenario.ts';
import { buildFormulation, type NodeSpec } from '../../src/design/formulation.ts';
import { extractCovariances, fixedSpec } from '../../src/design/fixed.ts';
import { othersThan } from '../../src/design/relaxation.ts';
import { runSdp } from '../../src/design/sdp.ts';
import { recoverRankOne } from '../../src/design/recover.ts';
import { evaluateDesign } from '../../src/model/evaluate.ts';
import { parseDesign } from '../../src/model/design.ts';
import { cmat, mul, adjoint, trace, quadForm, traceMul } from '../../src/linalg/complex.ts';
import { smallScenario } from './helpers.ts';

const finite = fc.double({ min: -2, max: 2, noNaN: true });

/** n x c complex (column-major interleaved) from a value stream. */
function columns(n: number, c: number, vals: number[], phase = 0): Float64Array {
  // A deterministic irregular offset keeps the columns generic even when the drawn values are all 0.
  return Float64Array.from({ length: 2 * n * c }, (_, i) => vals[i % vals.length]! + Math.sin(1.7 * i + 0.3 * i * i + phase));
}

/** Column-major interleaved N x c -> row-major CMat. */
function asCMat(n: number, c: number, v: Float64Array) {
  const m = cmat(n, c);
  for (let j = 0; j < c; j++) {
    for (let i = 0; i < n; i++) {
      m.data[2 * (i * c + j)] = v[2 * n * j + 2 * i]!;
      m.data[2 * (i * c + j) + 1] = v[2 * n * j + 2 * i + 1]!;
    }
  }
  return m;
}

describe('subspace basis', () => {
  it('is orthonormal and reproduces every spanning vector (also with repeated vectors)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 10 }), fc.integer({ min: 1, max: 4 }), fc.array(finite, { minLength: 40, maxLength: 40 }), (N, c, vals) => {
        const A = columns(N, c, vals);
        // A repeated column and a scaled copy must not increase the dimension.
        const twice = new Float64Array(A.subarray(0, 2 * N).map((v) => 3 * v));
        const sub = spanOf(N, [A, twice]);
        // With at least N vectors the whole space is used (nothing to gain); else the span has dimension c.
        expect(sub.d).toBe(c + 1 >= N ? N : c);
        if (!sub.U) return;
        const U = asCMat(N, sub.d, sub.U);
        const G = mul(adjoint(U), U);
        for (let i = 0; i < sub.d; i++) {
          for (let j = 0; j < sub.d; j++) {
            expect(Math.abs(G.data[2 * (i * sub.d + j)]! - (i === j ? 1 : 0))).toBeLessThan(1e-12);
            expect(Math.abs(G.data[2 * (i * sub.d + j) + 1]!)).toBeLessThan(1e-12);
          }
        }
        // U U^H a = a for every column a.
        const back = mul(U, asCMat(sub.d, c, project(sub, A)));
        const orig = asCMat(N, c, A);
        for (let e = 0; e < orig.data.length; e++) expect(back.data[e]).toBeCloseTo(orig.data[e]!, 10);
      }),
      { numRuns: 60 },
    );
  });

  it('ordered: stays explicit over the whole space, and a vector given first has exact zeros past its leading columns', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 9 }), fc.integer({ min: 1, max: 3 }), fc.array(finite, { minLength: 40, maxLength: 40 }), (N, c, vals) => {
        const first = columns(N, c, vals);
        const second = columns(N, 2, vals, 1);
        const many = columns(N, N, vals, 2); // enough to span everything
        const sub = spanOf(N, [first, second, many], { ordered: true });
        expect(sub.d).toBe(N);
        expect(sub.U).not.toBeNull();
        const lead = sub.leading!;
        expect(lead.get(first)).toBe(Math.min(c, N));
        expect(lead.get(second)).toBe(Math.min(c + 2, N));
        expect(lead.get(many)).toBe(N);
        // orthonormal: U^H U = I
        const U = asCMat(N, N, sub.U!);
        const G = mul(adjoint(U), U);
        for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) expect(G.data[2 * (i * N + j)]).toBeCloseTo(i === j ? 1 : 0, 12);
        for (const v of [first, second]) {
          const cols = v.length / (2 * N);
          const exact = projectSpanned(sub, v);
          const plain = project(sub, v);
          let scale = 0;
          for (const x of plain) scale = Math.max(scale, Math.abs(x));
          for (let j = 0; j < cols; j++) {
            for (let p = 0; p < N; p++) {
              const e = 2 * (N * j + p);
              if (p >= lead.get(v)!) expect([exact[e], exact[e + 1]]).toEqual([0, 0]);
              // what is set to zero is rounding: the same coordinates as U^H v to ~1e-15
              expect(Math.abs(exact[e]! - plain[e]!)).toBeLessThan(1e-13 * scale);
              expect(Math.abs(exact[e + 1]! - plain[e + 1]!)).toBeLessThan(1e-13 * scale);
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('is the identity when the vectors span the whole space', () => {
    const sub = spanOf(3, [columns(3, 3, [1, 2, -1, 0.5, 3, -2])]);
    expect(sub.U).toBeNull();
    expect(sub.d).toBe(3);
  });

  it('keeps h^H X h and tr(C X) for C = V M V^H, and never raises tr X (the proof)', () => {
    fc.assert(
      fc.property(fc.array(finite, { minLength: 60, maxLength: 60 }), fc.array(finite, { minLength: 30, maxLength: 30 }), (xv, hv) => {
        const N = 6;
        const h = columns(N, 2, hv); // two channels
        const V = columns(
          N,
          2,
          hv.map((v) => -v + 0.3),
          1,
        ); // a sensing basis
        const sub = spanOf(N, [h, V]);
        expect(sub.d).toBe(4);
        // X = B B^H, a random PSD matrix of full rank.
        const B = cmat(
          N,
          N,
          Float64Array.from({ length: 2 * N * N }, (_, i) => xv[i % xv.length]! + (i % 7) * 0.1),
        );
        const X = mul(B, adjoint(B));
        // P X P with P = U U^H, and the same through the restricted coordinates: lift(U^H X U).
        const U = asCMat(N, sub.d, sub.U!);
        const P = mul(U, adjoint(U));
        const XP = mul(mul(P, X), P);
        const inner = mul(mul(adjoint(U), X), U);
        const lifted = lift(sub, inner.data);
        for (let e = 0; e < lifted.length; e++) expect(lifted[e]).toBeCloseTo(XP.data[e]!, 9);
        for (let j = 0; j < 2; j++) {
          const hj = h.subarray(2 * N * j, 2 * N * (j + 1));
          expect(quadForm(hj, XP)[0]).toBeCloseTo(quadForm(hj, X)[0], 8);
        }
        const Vm = asCMat(N, 2, V);
        const M = cmat(2, 2, new Float64Array([1.5, 0, 0.3, -0.7, 0.3, 0.7, -0.4, 0]));
        const C = mul(mul(Vm, M), adjoint(Vm));
        expect(traceMul(C, XP)[0]).toBeCloseTo(traceMul(C, X)[0], 7);
        expect(trace(XP)[0]).toBeLessThanOrEqual(trace(X)[0] + 1e-9);
      }),
      { numRuns: 40 },
    );
  });
});

describe('restricted SDPs equal the full ones', () => {
  // N = 8 antennas, K = 2 users: every block shrinks from 8 x 8 to 4 x 4.
  const scn = smallScenario(41, { S: 3, users: 2, antennas: 8 });
  const data = designData(scn);
  const solve = (spec: NodeSpec) => {
    const f = buildFormulation(data, spec);
    const sdp = runSdp(f.problem);
    expect(sdp.status).toBe('optimal');
    return { f, sdp, value: sdp.primalObjective * f.objectiveUnit + f.constant };
  };
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

  it('problem (13): same optimum, recovered designs with the same SINRs, CRLB and powers', () => {
    const receiver = 0;
    const association = [1, 2];
    const spec = fixedSpec(data, receiver, association);
    const full = solve({ ...spec, subspace: false });
    const restricted = solve(spec);
    expect(restricted.f.subspaces[1]!.d).toBe(4);
    expect(restricted.f.problem.A.cols).toBeLessThan(full.f.problem.A.cols / 2);
    expect(rel(restricted.value, full.value)).toBeLessThan(1e-6);
    const evalOf = (r: typeof full) => {
      const { Wk, Rs } = extractCovariances(r.f, r.sdp.x, association);
      const design = recoverRankOne(scn.S, scn.N, association, Wk, Rs, (s, k) => scn.channels[s]![k]!);
      return evaluateDesign(scn, parseDesign({ receiver, association, ...design }, scn));
    };
    const a = evalOf(full);
    const b = evalOf(restricted);
    expect(a.feasible).toBe(true);
    expect(b.feasible).toBe(true);
    a.sinr.forEach((v, k) => expect(rel(b.sinr[k]!, v)).toBeLessThan(1e-5));
    expect(rel(b.crlb!, a.crlb!)).toBeLessThan(1e-5);
    expect(rel(b.totalPower, a.totalPower)).toBeLessThan(1e-6);
  });

  it('three targets (d = N, basis ordered with the sensing directions first): same optimum, sparser rows', () => {
    const scn3 = smallScenario(41, { S: 3, users: 2, antennas: 4, targets: 3 });
    const data3 = designData(scn3);
    const spec = fixedSpec(data3, 0, [1, 2]);
    const solve3 = (sp: NodeSpec) => {
      const f = buildFormulation(data3, sp);
      const sdp = runSdp(f.problem);
      expect(sdp.status).toBe('optimal');
      return { f, value: sdp.primalObjective * f.objectiveUnit + f.constant };
    };
    const full = solve3({ ...spec, subspace: false });
    const ordered = solve3(spec);
    expect(ordered.f.subspaces[1]!.d).toBe(4);
    expect(ordered.f.subspaces[1]!.U).not.toBeNull();
    expect(rel(ordered.value, full.value)).toBeLessThan(1e-6);
    // the first target's moment rows touch only the leading 2 x 2 of each 4 x 4 block
    const nnz = (r: typeof full) => r.f.problem.A.rowPtr[r.f.problem.A.rows]!;
    expect(nnz(ordered)).toBeLessThan(0.9 * nnz(full));
  });

  it('the association relaxation: same bound for every receiver', () => {
    for (let r = 0; r < scn.S; r++) {
      const others = othersThan(scn.S, r);
      const spec: NodeSpec = {
        receivers: [{ r, weight: 1, transmitters: others }],
        sensingTx: others,
        candidates: [others, others],
      };
      const full = solve({ ...spec, subspace: false });
      const restricted = solve(spec);
      expect(rel(restricted.sdp.dualObjective * restricted.f.objectiveUnit, full.sdp.dualObjective * full.f.objectiveUnit)).toBeLessThan(1e-6);
    }
  });

  it("Algorithm 1's subproblem (23): same optimum at a fractional point", () => {
    const b = [0.2, 0.9, 0.9];
    const receivers = [0, 1, 2].map((r) => ({ r, weight: 1 - b[r]!, transmitters: othersThan(3, r) }));
    const spec: NodeSpec = {
      receivers,
      sensingTx: [0, 1, 2],
      candidates: [
        [0, 1, 2],
        [0, 1, 2],
      ],
      bigM: {
        aPrev: [
          [0.2, 0.5, 0.3],
          [0.1, 0.3, 0.6],
        ],
        mu: 0.05,
        b,
      },
    };
    const full = solve({ ...spec, subspace: false });
    const restricted = solve(spec);
    expect(rel(restricted.value, full.value)).toBeLessThan(1e-6);
  });
});
