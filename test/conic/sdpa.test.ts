import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { parseSdpa, sdpaToConic, solveSdpa, solve } from '../../src/conic/index.ts';
import { InputError } from '../../src/errors.ts';
import { eigenvalues, rng } from './helpers.ts';
import type { SdpaProblem } from '../../src/conic/sdpa.ts';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');

/** sum_i x_i F_i - F_0 for one block (dense, full symmetric), from the parsed entries. */
function slack(p: SdpaProblem, x: ArrayLike<number>, blk: number): Float64Array {
  const n = Math.abs(p.blocks[blk]!);
  const S = new Float64Array(n * n);
  const E = p.entries;
  for (let k = 0; k < E.v.length; k++) {
    if (E.blk[k] !== blk) continue;
    const w = E.mat[k] === 0 ? -E.v[k]! : x[E.mat[k]! - 1]! * E.v[k]!;
    S[E.i[k]! * n + E.j[k]!]! += w;
    if (E.i[k] !== E.j[k]) S[E.j[k]! * n + E.i[k]!]! += w;
  }
  return S;
}

describe('SDPA reader and solveSdpa', () => {
  it('solves the SDPA manual example (objective -41.9) with a feasible x checked here', () => {
    const text = fixture('example1.dat-s');
    const p = parseSdpa(text, 'example1');
    expect(p.m).toBe(3);
    expect(p.blocks).toEqual([2]);
    expect(Array.from(p.c)).toEqual([48, -8, 20]);
    const r = solveSdpa(text);
    expect(r.status).toBe('optimal');
    expect(r.objective).toBeCloseTo(-41.9, 6);
    expect(r.dualObjective).toBeCloseTo(-41.9, 6);
    // (P) feasibility of x and its objective, recomputed from the file's data
    const S = slack(p, r.x, 0);
    expect(eigenvalues(S, 2)[0]).toBeGreaterThan(-1e-7);
    expect(48 * r.x[0]! - 8 * r.x[1]! + 20 * r.x[2]!).toBeCloseTo(-41.9, 6);
    expect(r.x[0]).toBeCloseTo(-1.1, 5);
    expect(r.x[1]).toBeCloseTo(-2.7375, 5);
    expect(r.x[2]).toBeCloseTo(-0.55, 5);
  });

  it('round trip: parse -> standard form -> solve gives the same as solveSdpa', () => {
    const text = fixture('mixed.dat-s');
    const p = parseSdpa(text);
    expect(p.blocks).toEqual([2, -2]);
    expect(Array.from(p.c)).toEqual([1, 1]);
    const q = sdpaToConic(p);
    expect(q.cones).toEqual([
      { kind: 'psd', n: 2 },
      { kind: 'nonneg', dim: 2 },
    ]);
    const r1 = solve(q);
    const r2 = solveSdpa(p);
    expect(r2.status).toBe('optimal');
    expect(r2.objective).toBeCloseTo(3, 7);
    expect(-r1.dualObjective).toBeCloseTo(r2.objective, 9);
    expect(r2.x[0]).toBeCloseTo(1, 6);
    expect(r2.x[1]).toBeCloseTo(2, 6);
  });

  it('reads plain entry lines (the fast path) exactly as the line-by-line reader reads other spellings', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 40 }), fc.boolean(), (seed, count, crlf) => {
        const rnd = rng(seed);
        const m = 3;
        const blocks = [4, -3];
        const lines: string[][] = [];
        for (let k = 0; k < count; k++) {
          const bk = rnd() < 0.7 ? 1 : 2;
          const size = Math.abs(blocks[bk - 1]!);
          const i = 1 + Math.floor(rnd() * size);
          const j = bk === 2 ? i : 1 + Math.floor(rnd() * size);
          const v = rnd() < 0.1 ? '-0' : rnd() < 0.5 ? (rnd() - 0.5).toExponential(12) : String(Math.round(100 * (rnd() - 0.5)) / 4);
          lines.push([String(Math.floor(rnd() * (m + 1))), String(bk), String(i), String(j), v]);
        }
        const eol = crlf ? '\r\n' : '\n';
        const head = [String(m), '2', '4 -3', '1 2 3'];
        const plain = [...head, ...lines.map((l) => l.join(rnd() < 0.5 ? ' ' : '\t'))].join(eol) + eol;
        // the same entries the fast path cannot take: commas, a Fortran exponent, comment lines
        const other = [
          ...head,
          ...lines.map(
            (l, k) => (k % 3 === 0 ? `* comment${eol}` : '') + (k % 2 === 0 ? l.join(', ') : `${l.slice(0, 4).join(' ')} ${l[4]!.replace(/e/, 'D')}`),
          ),
        ].join(eol);
        expect(parseSdpa(plain)).toEqual(parseSdpa(other));
      }),
      { numRuns: 60 },
    );
  });

  it('names the right line when a plain entry is out of range after many plain ones', () => {
    const body = Array.from({ length: 50 }, (_, k) => `1 1 ${1 + (k % 2)} 2 ${k}`);
    body.splice(37, 0, '1 1 3 1 1.5'); // index 3 in a block of order 2, on line 4 + 38
    const text = ['1', '1', '2', '1', ...body].join('\n');
    expect(() => parseSdpa(text, 'f')).toThrow(/index \(3, 1\) outside block 1 of order 2/);
    try {
      parseSdpa(text, 'f');
    } catch (err) {
      expect((err as { where?: string }).where).toBe('f:42');
    }
  });

  it('orders and sums each row alike by the fast keys and by the comparison sort', () => {
    // duplicates (summed in file order), unsorted columns, diagonal blocks, F_0 entries
    const text = [
      '2',
      '2',
      '3 -2',
      '1 2',
      '1 1 1 2 0.5',
      '1 1 1 1 2',
      '1 1 1 2 0.25',
      '2 2 2 2 -1',
      '1 2 1 1 3',
      '0 1 3 3 1',
      '2 1 2 3 7',
      '2 1 2 3 -7',
      '1 1 1 1 -0',
    ].join('\n');
    const p = parseSdpa(text);
    const fast = sdpaToConic(p);
    const slow = sdpaToConic(p, 0);
    expect(Array.from(slow.A.rowPtr)).toEqual(Array.from(fast.A.rowPtr));
    expect(Array.from(slow.A.colIdx)).toEqual(Array.from(fast.A.colIdx));
    expect(Array.from(slow.A.values)).toEqual(Array.from(fast.A.values));
    for (const f of ['example1.dat-s', 'mixed.dat-s']) {
      const q = parseSdpa(fixture(f));
      expect(sdpaToConic(q, 0)).toEqual(sdpaToConic(q));
    }
    // row 1: (1,2) twice -> sqrt2 (0.5 + 0.25), (1,1) 2 + -0; row 2: (2,3) 7 - 7 kept as an explicit 0
    expect(Array.from(fast.A.values)).toEqual([2, Math.SQRT2 * 0.5 + Math.SQRT2 * 0.25, 3, Math.SQRT2 * 7 + Math.SQRT2 * -7, -1]);
  });

  it("reports infeasibility in SDPA's (P)/(D) sense", () => {
    // (P): x diag(1, -1) - diag(0, 1) >= 0 is infeasible (x >= 0 and x <= -1); (D) is feasible
    // (x * 0 - 1 >= 0 would be infeasible on both sides, and either certificate is right)
    const pInf = '1\n1\n2\n1\n0 1 2 2 1\n1 1 1 1 1\n1 1 2 2 -1\n';
    expect(solveSdpa(pInf).status).toBe('primal_infeasible');
    expect(solveSdpa(pInf).objective).toBe(Infinity);
    // (D): tr(F1 Y) = 1 with F1 = -1, Y >= 0 is infeasible, (P) unbounded: min x s.t. -x - 0 >= 0
    const dInf = '1\n1\n1\n1\n1 1 1 1 -1\n';
    const r = solveSdpa(dInf);
    expect(r.status).toBe('dual_infeasible');
    expect(r.objective).toBe(-Infinity);
  });

  it.each([
    ['', /end of file/, 1],
    ['x\n', /m must be a decimal integer, got 'x'/, 1],
    ['2\n1\n2\n1 2\n0 1 1 1 1\n1 1 1 2 x\n', /line|got 'x'/, 6],
    ['2\n1\n2\n1 2\n0 1 1 1\n', /expected 5 fields/, 5],
    ['2\n1\n2\n1 2\n3 1 1 1 1\n', /matno 3 out of range/, 5],
    ['2\n1\n2\n1 2\n1 2 1 1 1\n', /blkno 2 out of range/, 5],
    ['2\n1\n2\n1 2\n1 1 1 3 1\n', /outside block 1/, 5],
    ['1\n1\n-2\n1\n1 1 1 2 1\n', /off-diagonal entry \(1, 2\) in diagonal block 1/, 5],
    ['"comment\n2\n1\n0\n', /block size must be non-zero/, 4],
    ['2\n1\n2\n1\n', /expected 2 entries of the vector c, found 1 on this line/, 4],
    ['1.5\n', /m must be a decimal integer/, 1],
  ])('rejects malformed input %#, naming the line', (text, msg, line) => {
    let err: unknown;
    try {
      parseSdpa(text, 'f.dat-s');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(msg);
    expect((err as InputError).where).toBe(`f.dat-s:${line}`);
  });
});
