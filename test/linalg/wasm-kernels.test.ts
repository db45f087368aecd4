/**
 * The WebAssembly kernels of the Hermitian cone (src/linalg/wasm-kernels.ts) against their
 * TypeScript twins, which are also the fallback: the same bits on random matrices of every
 * order the solver meets (the algorithms are transcribed operation for operation), eigen-pairs
 * that satisfy A v = lambda v independently of either implementation, the same solver run
 * either way, and the committed binary being what its source compiles to.
 */
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type CM, cChol, cMul, cMulHN, cMulNHHerm, cSandwich, cmAlloc, HEigWorkspace } from '../../src/conic/cones/hermitian-kernels.ts';
import {
  CHOL_SOLVE_MIN,
  cholSolveWasm,
  decodeBase64,
  eigWasm,
  rowScaledNormsWasm,
  scaledNormWasm,
  setWasmDisabled,
  wasmKernelsActive,
} from '../../src/linalg/wasm-kernels.ts';
import { normalise, xScale } from '../../src/conic/equilibrate.ts';
import { sdpaToConic, solveSdpa } from '../../src/conic/sdpa.ts';
import { KERNELS_WASM } from '../../src/linalg/wasm-kernels-binary.ts';
import { cholesky, cholSolve, cholSolveTs, matMul, matMulNT, matMulNTSym, matMulTN, sandwich } from '../../src/linalg/real-dense.ts';
import { EigWorkspace, eigSym } from '../../src/linalg/real-eig.ts';

import { thetaSdpa } from '../conic/helpers.ts';
import { solve } from '../../src/conic/index.ts';
import { buildProblem } from '../../bench/problems.ts';
import { matrixCone } from '../conic/gen.ts';
import { resetOpCounts, snapshotOpCounts } from '../../src/linalg/op-counts.ts';
import { rng } from '../conic/helpers.ts';

afterEach(() => setWasmDisabled(false));

/** eigWasm on an n x n matrix whose arrays are empty: only reached when the size check fails. */
const eigWasmFor = (n: number) =>
  n > 64
    ? eigWasm({ re: new Float64Array(0), im: new Float64Array(0) }, n, false, new Float64Array(0), cmAlloc(0))
    : eigWasm(cmAlloc(n), n, false, new Float64Array(n), cmAlloc(n));

/** Runs f with the WebAssembly kernels, then with the TypeScript ones. */
function bothWays<T>(f: () => T): [T, T] {
  setWasmDisabled(false);
  const wasm = f();
  setWasmDisabled(true);
  const ts = f();
  setWasmDisabled(false);
  return [wasm, ts];
}

/** The Hermitian eigensolver on m, with WebAssembly and without: its verdict, eigenvalues and vectors. */
const hermitianEigBothWays = (m: CM, n: number, vectors: boolean) =>
  bothWays(() => {
    const ws = new HEigWorkspace(n);
    const ok = ws.eig(m, vectors);
    return { ok, d: Array.from(ws.d), re: Array.from(ws.v.re), im: Array.from(ws.v.im) };
  });

/** The real eigensolver on a, both ways (the vectors only when asked for). */
const realEigBothWays = (a: Float64Array, n: number, vectors: boolean) =>
  bothWays(() => {
    const ws = new EigWorkspace(n);
    const ok = eigSym(a, ws, vectors);
    return { ok, d: Array.from(ws.d), v: vectors ? Array.from(ws.v) : [] };
  });

const matrix = (n: number, seed: number, scale = 1): CM => {
  const m = cmAlloc(n);
  for (let i = 0; i < n * n; i++) {
    m.re[i] = scale * Math.sin(seed * 7.1 + i * 1.3);
    m.im[i] = scale * Math.cos(seed * 3.3 + i * 0.7);
  }
  return m;
};

/** A Hermitian positive definite matrix B B^H + n I. */
const pd = (n: number, seed: number): CM => {
  const b = matrix(n, seed);
  const c = cmAlloc(n);
  setWasmDisabled(true);
  cMulNHHerm(b, b, c, n);
  setWasmDisabled(false);
  for (let i = 0; i < n; i++) c.re[i * n + i] = c.re[i * n + i]! + n;
  return c;
};

const same = (a: CM, b: CM) => {
  expect(Array.from(a.re)).toEqual(Array.from(b.re));
  expect(Array.from(a.im)).toEqual(Array.from(b.im));
};

/** a b, a^H b, a b^H and a h a^H give the same bits in WebAssembly and in TypeScript. */
function productsBothWays(a: CM, b: CM, h: CM, n: number): void {
  for (const op of [cMul, cMulHN, cMulNHHerm]) {
    const [w, t] = bothWays(() => {
      const c = cmAlloc(n);
      op(a, b, c, n);
      return c;
    });
    same(w, t);
  }
  const [w, t] = bothWays(() => {
    const c = cmAlloc(n);
    cSandwich(a, h, c, cmAlloc(n), n);
    return c;
  });
  same(w, t);
}

const order = fc.integer({ min: 1, max: 17 });
const seed = fc.integer({ min: 0, max: 1e6 });
const scale = fc.constantFrom(1, 1e-9, 1e9);

describe('WebAssembly Hermitian kernels', () => {
  it('are active on Node 20 (else every test below would compare TypeScript with itself)', () => {
    expect(wasmKernelsActive()).toBe(true);
  });

  it('products give the TypeScript bits', () => {
    fc.assert(
      fc.property(order, seed, scale, (n, s, k) => {
        const a = matrix(n, s, k);
        const b = matrix(n, s + 1);
        productsBothWays(a, b, pd(n, s + 2), n);
      }),
      { numRuns: 60 },
    );
  });

  it('products give the TypeScript bits with zero entries (skipped terms), signed zeros and infinities', () => {
    // the WebAssembly products skip a zero entry of A as the TypeScript does, row pair by row
    // pair: an infinity of B behind a skipped zero must not turn into NaN on one side only
    const sparse = (n: number, s: number, holes: number): CM => {
      const m = matrix(n, s);
      const r = rng(s);
      for (let i = 0; i < n * n; i++) {
        if (r() < holes) {
          m.re[i] = r() < 0.5 ? 0 : -0;
          m.im[i] = r() < 0.5 ? 0 : -0;
        }
      }
      return m;
    };
    fc.assert(
      fc.property(order, seed, fc.constantFrom(0.3, 0.6, 0.95), (n, s, holes) => {
        const a = sparse(n, s, holes);
        const b = sparse(n, s + 1, holes / 2);
        b.re[(s % n) * n + ((s >> 3) % n)] = Number.POSITIVE_INFINITY;
        productsBothWays(a, b, pd(n, s + 2), n);
      }),
      { numRuns: 80 },
    );
  });

  it('Cholesky gives the TypeScript bits, and the same verdict on an indefinite matrix', () => {
    fc.assert(
      fc.property(order, seed, (n, s) => {
        const [w, t] = bothWays(() => {
          const a = pd(n, s);
          return { ok: cChol(a, n), a };
        });
        expect(w.ok).toBe(true);
        expect(t.ok).toBe(true);
        same(w.a, t.a);
        const [wi, ti] = bothWays(() => {
          const a = pd(n, s);
          a.re[(n - 1) * n + n - 1] = -1;
          return cChol(a, n);
        });
        expect(wi).toBe(false);
        expect(ti).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it('the eigensolver gives the TypeScript bits, and A v = lambda v', () => {
    fc.assert(
      fc.property(order, seed, scale, fc.boolean(), (n, s, k, vectors) => {
        const m = matrix(n, s, k);
        const [w, t] = hermitianEigBothWays(m, n, vectors);
        expect(w.ok).toBe(true);
        expect(w).toEqual(t);
        if (!vectors) return;
        // residual of every eigen-pair against the Hermitian matrix the lower triangle defines
        const A = (i: number, j: number): [number, number] =>
          i >= j ? [m.re[i * n + j]!, i === j ? 0 : m.im[i * n + j]!] : [m.re[j * n + i]!, -m.im[j * n + i]!];
        const norm = Math.max(...w.d.map(Math.abs), 1e-300);
        for (let c = 0; c < n; c++) {
          for (let i = 0; i < n; i++) {
            let rr = -w.d[c]! * w.re[i * n + c]!;
            let ri = -w.d[c]! * w.im[i * n + c]!;
            for (let j = 0; j < n; j++) {
              const [ar, ai] = A(i, j);
              rr += ar * w.re[j * n + c]! - ai * w.im[j * n + c]!;
              ri += ar * w.im[j * n + c]! + ai * w.re[j * n + c]!;
            }
            expect(Math.hypot(rr, ri)).toBeLessThan(1e-12 * norm * n);
          }
        }
      }),
      { numRuns: 80 },
    );
  });

  it('eigenvectors stay of unit norm when the off-diagonal entries underflow when squared', () => {
    // 1e-160 squared is a denormal; the phase t / |t| of such an entry used to be 0.5 to 0.95 in
    // modulus, which halved an eigenvector (and the NT scaling of a 2 x 2 block built on it)
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), seed, fc.constantFrom(1e-150, 3e-162, 1e-160, 1e-157, 1e-155, 1e-170, 5e-324), (n, s, tiny) => {
        const m = matrix(n, s);
        for (let i = 0; i < n; i++) {
          m.re[i * n + i] = 1 + i + Math.sin(s + i);
          for (let j = 0; j < i; j++) {
            m.re[i * n + j] = m.re[i * n + j]! * tiny;
            m.im[i * n + j] = m.im[i * n + j]! * tiny;
          }
        }
        const [w, t] = hermitianEigBothWays(m, n, true);
        expect(w.ok).toBe(true);
        expect(w).toEqual(t);
        for (let c = 0; c < n; c++) {
          let norm = 0;
          for (let i = 0; i < n; i++) norm += w.re[i * n + c]! ** 2 + w.im[i * n + c]! ** 2;
          expect(Math.abs(norm - 1)).toBeLessThan(1e-12);
        }
      }),
      { numRuns: 120 },
    );
  });

  it('a matrix of subnormal scale: unit eigenvectors and A v = lambda v, Hermitian and real, both ways', () => {
    // every entry below 2^-500 (down to the smallest subnormal): the rotations' hypot lost its
    // precision and the eigenvectors came back of norm sqrt(2); such a matrix is solved scaled
    // up by 2^600 (real-eig.ts scaleUpTiny), a larger one exactly as before
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), seed, fc.constantFrom(2 ** -1070, 2 ** -1060, 1e-320, 1e-310, 2 ** -520), (n, s, scale) => {
        const m = matrix(n, s, scale);
        const [w, t] = hermitianEigBothWays(m, n, true);
        expect(w.ok).toBe(true);
        expect(w).toEqual(t);
        // the same matrix times 2^k, of order one (exact: a power of two, in two steps), has
        // these eigenvalues times 2^k, up to their own rounding at subnormal scale
        const k = -Math.round(Math.log2(scale));
        const up = (v: number) => v * 2 ** (k >> 1) * 2 ** (k - (k >> 1));
        const big = { re: m.re.map(up), im: m.im.map(up) };
        const ref = new HEigWorkspace(n);
        ref.eig(big, true);
        const top = Math.max(...Array.from(ref.d, Math.abs));
        for (let c = 0; c < n; c++) {
          let norm = 0;
          for (let i = 0; i < n; i++) norm += w.re[i * n + c]! ** 2 + w.im[i * n + c]! ** 2;
          expect(Math.abs(norm - 1)).toBeLessThan(1e-12);
          expect(Math.abs(up(w.d[c]!) - ref.d[c]!)).toBeLessThanOrEqual(1e-12 * top + up(n * 2 ** -1074));
        }
        const a = Float64Array.from({ length: n * n }, (_, k) => scale * Math.sin(s * 3.7 + k * 1.1));
        const [rw, rt] = realEigBothWays(a, n, true);
        expect(rw.ok).toBe(true);
        expect(rw).toEqual(rt);
        for (let r = 0; r < n; r++) {
          let norm = 0;
          for (let i = 0; i < n; i++) norm += rw.v[r * n + i]! ** 2;
          expect(Math.abs(norm - 1)).toBeLessThan(1e-12);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('a negligible off-diagonal next to a zero diagonal entry deflates instead of overflowing into NaN', () => {
    // diag(0, -1.00000001) with an off-diagonal of 1e-322 (a step-length matrix of the 2 x 2
    // property test in test/conic/hpsd2.test.ts): the QL shift (d1 - d0) / (2 e) used to
    // overflow, the eigenvalues came out NaN and the generic cone read its step as unbounded
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), seed, fc.constantFrom(5e-324, 1e-322, 1e-310, 1e-300, 1e-200), (n, s, tiny) => {
        const m = cmAlloc(n);
        const real = new Float64Array(n * n);
        const diag: number[] = [];
        for (let i = 0; i < n; i++) {
          // the leading entries zero, the others of order one with both signs
          const v = i < (s % n) + 1 ? 0 : Math.sin(s + 2.7 * i) * (1 + i);
          diag.push(v);
          m.re[i * n + i] = v;
          real[i * n + i] = v;
          for (let j = 0; j < i; j++) {
            m.re[i * n + j] = tiny * Math.sin(s + i + j);
            m.im[i * n + j] = tiny * Math.cos(s + i * j);
            real[i * n + j] = real[j * n + i] = m.re[i * n + j]!;
          }
        }
        diag.sort((a, b) => a - b);
        const [w, t] = bothWays(() => {
          const ws = new HEigWorkspace(n);
          const ok = ws.eig(m, false);
          const rs = new EigWorkspace(n);
          const rok = eigSym(real, rs, false);
          return { ok, d: Array.from(ws.d), rok, rd: Array.from(rs.d) };
        });
        expect(w).toEqual(t);
        expect(w.ok).toBe(true);
        expect(w.rok).toBe(true);
        // the eigenvalues are the diagonal's, moved by at most ||off-diagonal|| (Weyl) and the
        // reduction's rounding (backward stable: a few n eps ||A||, and among denormals an
        // absolute floor of one Number.MIN_VALUE per operation, ~n^2 of them)
        const tol = 8 * n * 2.220446049250313e-16 * Math.max(...diag.map(Math.abs)) + 2 * n * tiny + 8 * n * n * Number.MIN_VALUE;
        for (let i = 0; i < n; i++) {
          expect(Math.abs(w.d[i]! - diag[i]!)).toBeLessThanOrEqual(tol);
          expect(Math.abs(w.rd[i]! - diag[i]!)).toBeLessThanOrEqual(tol);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('NaN input fails either way', () => {
    const m = matrix(5, 3);
    m.re[2 * 5 + 1] = Number.NaN; // lower triangle (the one read)
    const [w, t] = bothWays(() => new HEigWorkspace(5).eig(m, true));
    expect(w).toBe(false);
    expect(t).toBe(false);
  });

  it('grows its memory for large orders and keeps giving the TypeScript bits', () => {
    const n = 48;
    const m = matrix(n, 11);
    const [w, t] = bothWays(() => {
      const ws = new HEigWorkspace(n);
      ws.eig(m, true);
      return Array.from(ws.d);
    });
    expect(w).toEqual(t);
  });

  it('an order whose workspace would pass 4 GiB stays TypeScript instead of failing', () => {
    // only the size check runs: the kernel is refused before any memory is touched
    expect(eigWasmFor(23171)).toBeNull();
    expect(eigWasmFor(8)).not.toBeNull();
  });

  it('the paper fixed SDP solves to the same iterate either way', () => {
    const [w, t] = bothWays(() => {
      const r = solve(buildProblem('fig2-fixed'));
      return { status: r.status, iterations: r.iterations, x: Array.from(r.x) };
    });
    expect(w.status).toBe('optimal');
    expect(w).toEqual(t);
  });

  it('real products, sandwich and Cholesky give the TypeScript bits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 23 }), seed, scale, (n, s, k) => {
        const A = Float64Array.from({ length: n * n }, (_, i) => k * Math.sin(s * 1.1 + i * 0.37));
        const B = Float64Array.from({ length: n * n }, (_, i) => Math.cos(s * 0.7 + i * 1.9));
        for (let i = 0; i < n; i += 3) A[i * n + ((i * 7) % n)] = 0; // the kernels skip zero entries
        for (const f of [matMul, matMulTN, matMulNT, matMulNTSym]) {
          const [w, t] = bothWays(() => {
            const c = new Float64Array(n * n);
            f(A, B, c, n);
            return Array.from(c);
          });
          expect(w).toEqual(t);
        }
        const S = Float64Array.from({ length: n * n }, (_, i) => B[i]! + B[(i % n) * n + Math.floor(i / n)]!);
        const [ws, ts] = bothWays(() => {
          const c = new Float64Array(n * n);
          sandwich(A, S, c, new Float64Array(n * n), n);
          return Array.from(c);
        });
        expect(ws).toEqual(ts);
        const [wc, tc] = bothWays(() => {
          const P = new Float64Array(n * n);
          matMulNTSym(B, B, P, n);
          for (let i = 0; i < n; i++) P[i * n + i] = P[i * n + i]! + 1;
          return { ok: cholesky(P, n), L: Array.from(P) };
        });
        expect(wc.ok).toBe(true);
        expect(wc).toEqual(tc);
      }),
      { numRuns: 60 },
    );
  });

  it("the dense Cholesky solve gives the TypeScript loop's bits (zero right-hand entries skipped, signed zeros kept), and stays TypeScript below its order", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 48 }), seed, scale, (n, s, k) => {
        const L = new Float64Array(n * n);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < i; j++) L[i * n + j] = (j + i) % 5 === 0 ? 0 : Math.sin(s * 0.9 + i * 1.3 + j * 0.41);
          L[i * n + i] = n + Math.abs(Math.cos(s + i)); // diagonally dominant: the residual check below is meaningful
        }
        // zeros (and a negative zero) in b: the backward pass skips a zero quotient
        const b = Float64Array.from({ length: n }, (_, i) => (i % 4 === 1 ? (i % 8 === 1 ? -0 : 0) : k * Math.cos(s * 1.7 + i)));
        const viaWasm = b.slice();
        cholSolve(L, n, viaWasm);
        const viaTs = b.slice();
        cholSolveTs(L, n, viaTs);
        expect(Array.from(viaWasm, (v, i) => Object.is(v, viaTs[i]))).toEqual(Array(n).fill(true));
        expect(cholSolveWasm(L, n, b.slice())).toBe(n >= CHOL_SOLVE_MIN);
        // and it solves: L L^T x = b
        const y = new Float64Array(n);
        for (let i = 0; i < n; i++) for (let j = i; j < n; j++) y[i] = y[i]! + L[j * n + i]! * viaTs[j]!;
        for (let i = 0; i < n; i++) {
          let r = 0;
          for (let j = 0; j <= i; j++) r += L[i * n + j]! * y[j]!;
          expect(Math.abs(r - b[i]!)).toBeLessThanOrEqual(1e-12 * k * n * n);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the real eigensolver gives the TypeScript bits, and A v = lambda v', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 23 }), seed, scale, fc.boolean(), (n, s, k, vectors) => {
        const A = Float64Array.from({ length: n * n }, (_, i) => k * Math.cos(s * 0.3 + i * 1.7));
        const [w, t] = realEigBothWays(A, n, vectors);
        expect(w.ok).toBe(true);
        expect(w).toEqual(t);
        if (!vectors) return;
        const sym = (i: number, j: number) => (i >= j ? A[i * n + j]! : A[j * n + i]!);
        const norm = Math.max(...w.d.map(Math.abs), 1e-300);
        for (let r = 0; r < n; r++) {
          for (let i = 0; i < n; i++) {
            let res = -w.d[r]! * w.v[r * n + i]!;
            for (let j = 0; j < n; j++) res += sym(i, j) * w.v[r * n + j]!;
            expect(Math.abs(res)).toBeLessThan(1e-12 * norm * n);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('an SDPLIB-like theta problem (a real 20 x 20 block) solves to the same iterate either way', () => {
    const p = thetaSdpa(3, 20);
    const [w, t] = bothWays(() => {
      const r = solveSdpa(p);
      return { status: r.status, iterations: r.iterations, objective: r.objective, x: Array.from(r.x) };
    });
    expect(w.status).toBe('optimal');
    expect(w).toEqual(t);
  });

  it('decodes the embedded binary the same with Buffer (Node) and with atob (browsers)', () => {
    const viaBuffer = Array.from(decodeBase64(KERNELS_WASM));
    const g = globalThis as { Buffer?: unknown };
    const saved = g.Buffer;
    g.Buffer = undefined;
    try {
      expect(Array.from(decodeBase64(KERNELS_WASM))).toEqual(viaBuffer);
    } finally {
      g.Buffer = saved;
    }
    expect(viaBuffer.slice(0, 4)).toEqual([0, 0x61, 0x73, 0x6d]); // "\0asm"
  });

  it('a module compiled elsewhere is taken only before one is compiled here, and not when that compile failed', () => {
    // in a fresh process: the command line compiles the module while its bundle loads and hands
    // it over (src/cli/launch.ts); a null (a failed compile) leaves the compile to the kernels
    const code = `
      const k = await import('./src/linalg/wasm-kernels.ts');
      const { KERNELS_WASM } = await import('./src/linalg/wasm-kernels-binary.ts');
      const m = await WebAssembly.compile(k.decodeBase64(KERNELS_WASM));
      const out = [k.adoptKernelModule(null), k.adoptKernelModule(m), k.adoptKernelModule(m), k.wasmKernelsActive()];
      console.log(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([false, true, false, true]);
  });

  it('the committed binary is what wasm/kernels.ts compiles to', () => {
    const r = spawnSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { encoding: 'utf8' });
    // (the kernels file holds the Hermitian and the real kernels)
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('the matrix cones fused in WebAssembly (applyD, rhs, dxFromDz, correctDir, centrality, step)', () => {
  /** One cone through a loop's calls from fixed data, every output recorded. */
  const trace = (complex: boolean, n: number, seed: number) => {
    const rnd = rng(seed);
    const { dim, x, z, cone } = matrixCone(complex, n, rnd);
    const rows: number[][] = [];
    const vec = () => Float64Array.from({ length: dim }, () => rnd() - 0.5);
    const out = new Float64Array(dim);
    expect(cone.updateScaling(x, z, 0)).toBe(true);
    for (const [sigmaMu, corrector] of [
      [0, false],
      [0.3, false],
      [0.2, true],
    ] as const) {
      cone.applyD(vec(), out, 0);
      rows.push(Array.from(out));
      cone.rhs(sigmaMu, corrector, out, 0);
      rows.push(Array.from(out));
      cone.dxFromDz(vec(), out, 0);
      rows.push(Array.from(out));
      cone.correctDir(vec(), out, 0);
      rows.push(Array.from(out));
      rows.push([cone.maxStep(), cone.maxStep(undefined, undefined, undefined, 0.5)]);
      // a centrality correction (it adds to out and changes ud, which dxFromDz then reads)
      const acc = vec();
      cone.centrality(0.9, 0.02 + 0.2 * sigmaMu, 2 + 5 * sigmaMu, acc, 0);
      rows.push(Array.from(acc));
      cone.dxFromDz(vec(), out, 0);
      rows.push(Array.from(out));
    }
    return rows;
  };

  it('give the TypeScript bits, real and Hermitian, orders 1-9', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.integer({ min: 1, max: 9 }), fc.integer(), (complex, n, s) => {
        const [w, t] = bothWays(() => trace(complex, n, s));
        expect(w).toEqual(t);
      }),
      { numRuns: 60 },
    );
  });
});

describe('the NT scaling in one WebAssembly call', () => {
  it('refuses what the TypeScript refuses (x or z not positive definite), with the same operation counts', () => {
    for (const [complex, n] of [
      [true, 1],
      [true, 3],
      [true, 7],
      [false, 1],
      [false, 4],
      [false, 9],
    ] as const) {
      for (const bad of ['x', 'z', 'none'] as const) {
        const [w, t] = bothWays(() => {
          const rnd = rng(5 + n);
          const { x, z, cone, dim } = matrixCone(complex, n, rnd);
          if (bad === 'x') x[0] = -1;
          if (bad === 'z') z[0] = -1;
          resetOpCounts();
          const ok = cone.updateScaling(x, z, 0);
          const counts = snapshotOpCounts();
          const out = new Float64Array(dim);
          if (ok) cone.applyD(x, out, 0);
          return { ok, counts, out: Array.from(out) };
        });
        expect(w).toEqual(t);
        expect(w.ok).toBe(bad === 'none');
      }
    }
  });
});

describe("the normalisation's scans of the data in WebAssembly", () => {
  /** equilibrate.ts scaledNorm's TypeScript loop, written out here as the reference. */
  const reference = (v: Float64Array): number => {
    let m = 0;
    for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]!));
    if (m === 0) return 0;
    let q = 0;
    for (let i = 0; i < v.length; i++) q += (v[i]! / m) ** 2;
    return m * Math.sqrt(q);
  };
  // finite doubles of every magnitude (subnormals and values near the overflow limit
  // included), signed zeros, and runs of zeros
  const entry = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(0, -0, 5e-324, 1.7e308, -1e-300),
    fc.double({ min: -10, max: 10, noNaN: true }),
  );

  // entries of like magnitude, where the order of the sum decides its last bits
  const alike = fc.double({ min: -10, max: 10, noNaN: true });

  it('a vector: the TypeScript bits, and TypeScript below the size that pays', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(entry, { minLength: 256, maxLength: 1500 }), fc.array(alike, { minLength: 256, maxLength: 1500 })), (a) => {
        const v = Float64Array.from(a);
        expect(Object.is(scaledNormWasm(v), reference(v))).toBe(true);
      }),
      { numRuns: 60 },
    );
    expect(scaledNormWasm(new Float64Array(300))).toBe(0);
    expect(scaledNormWasm(new Float64Array(255).fill(1))).toBeNull();
  });

  it("every row of a matrix: each row's bits and its count of nonzeros, empty and zero rows included", () => {
    // one row long enough that every case reaches WebAssembly, among rows of every kind
    const rowsOf = fc
      .tuple(
        fc.array(alike, { minLength: 256, maxLength: 400 }),
        fc.array(fc.oneof(fc.array(entry, { maxLength: 120, size: 'max' }), fc.array(alike, { maxLength: 120, size: 'max' })), { maxLength: 40 }),
        fc.nat(),
      )
      .map(([long, rest, at]) => [...rest.slice(0, at % (rest.length + 1)), long, ...rest.slice(at % (rest.length + 1))]);
    fc.assert(
      fc.property(rowsOf, (rows) => {
        const rowPtr = new Int32Array(rows.length + 1);
        rows.forEach((r, i) => (rowPtr[i + 1] = rowPtr[i]! + r.length));
        // a longer values array than rowPtr uses: only the rows' part is read
        const values = Float64Array.from([...rows.flat(), 7, 7]);
        const norm = new Float64Array(rows.length);
        const count = new Float64Array(rows.length);
        expect(rowScaledNormsWasm(rowPtr, values, rows.length, norm, count)).toBe(true);
        rows.forEach((r, i) => {
          const v = Float64Array.from(r);
          expect(Object.is(norm[i], reference(v))).toBe(true);
          expect(count[i]).toBe(r.filter((x) => x !== 0).length);
        });
      }),
      { numRuns: 60 },
    );
    // and below the size that pays, TypeScript
    expect(rowScaledNormsWasm(Int32Array.of(0, 3), Float64Array.of(1, 2, 3), 1, new Float64Array(1), new Float64Array(1))).toBe(false);
  });

  it('normalise gives the same factors and data either way', () => {
    for (const seed of [1, 2, 3]) {
      const rnd = rng(seed);
      const q = sdpaToConic(thetaSdpa(seed, 30 + 5 * seed));
      // scaled far from one so that every factor applies
      const big = { ...q, A: { ...q.A, values: q.A.values.map((v) => v * 2 ** 30 * (1 + rnd())) }, c: q.c.map((v) => v * 1e6) };
      const [w, t] = bothWays(() => {
        const N = normalise(big, 16, seed === 2);
        return { alpha: N.alpha, beta: N.beta, gamma: N.gamma, values: Array.from(N.problem.A.values), xs: xScale(big, 16, true) };
      });
      expect(w.alpha).not.toBe(1);
      expect(w).toEqual(t);
    }
  });
});
