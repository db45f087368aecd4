/**
 * SDPLIB's QAP relaxations solved on their face: `npx tsx bench/qap-face.ts [DIR]` (default
 * ../shared/sdplib; qap5 and qap6 when present).
 *
 * SDPA's (D) of these files has no interior: every feasible Y (order N = n^2 + 1, the
 * homogenising entry first, then x_ij at 1 + i n + j) satisfies T Y = 0, T the 2n rows
 * "row i of the assignment sums to the homogenising entry" and "column j does". On the
 * original file the iterates leave that face by the square root of their residual, which
 * costs qap6 its published digits (ours and CSDP's alike, docs/solver.md). This script
 *  1. certifies the face from the data: W = T^T T >= 0 is a combination sum_k u_k F_k of the
 *     constraint matrices with c^T u = 0, so tr(W Y) = 0 and W Y = 0 for every feasible Y
 *     (both printed as relative residuals of the least-squares u);
 *  2. writes the problem over the face, Y = V R V^T with V an orthonormal basis of null(T)
 *     (order N - 2n + 1), keeping the constraint rows that stay independent there;
 *  3. solves the original and the reduced file with netisac and, when it is on PATH, CSDP,
 *     and checks the reduced answer lifted back, V R V^T, against the original constraints.
 * The solver finds this face from the data itself (`facialReduction`, docs/solver.md); this
 * script is its check by independent means: the face built by hand from the QAP structure,
 * and CSDP on it. The runs on the original file use the defaults, facial reduction included.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseSdpa, solveSdpa, type SdpaProblem } from '../src/conic/sdpa.ts';
import { svecIndex } from '../src/conic/vec.ts';
import { cholesky, cholSolve } from '../src/linalg/real-dense.ts';
import { haveCsdp, readOptima, runCsdp } from './sdplib-io.ts';
import { assignmentRows } from '../test/conic/qap-gen.ts';

type Dense = Float64Array;

/** F_0 .. F_m of a one-block problem as dense symmetric N x N matrices. */
function denseMatrices(p: SdpaProblem, N: number): Dense[] {
  const F = Array.from({ length: p.m + 1 }, () => new Float64Array(N * N));
  const E = p.entries;
  for (let t = 0; t < E.v.length; t++) {
    const M = F[E.mat[t]!]!;
    const i = E.i[t]!;
    const j = E.j[t]!;
    M[i * N + j]! += E.v[t]!;
    if (i !== j) M[j * N + i]! += E.v[t]!;
  }
  return F;
}

const inner = (a: Dense, b: Dense): number => a.reduce((s, v, k) => s + v * b[k]!, 0);

/** Least-squares u of sum_k u_k F_k = W (normal equations); the relative residuals of both claims. */
function certify(F: Dense[], c: Float64Array, W: Dense): { fit: number; cu: number } {
  const m = F.length - 1;
  const G = new Float64Array(m * m);
  const u = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    u[k] = inner(F[k + 1]!, W);
    for (let l = 0; l <= k; l++) G[k * m + l] = G[l * m + k] = inner(F[k + 1]!, F[l + 1]!);
  }
  if (!cholesky(G, m)) throw new Error('the constraint matrices are linearly dependent: no unique least-squares certificate');
  cholSolve(G, m, u);
  const fitted = new Float64Array(W.length);
  for (let k = 0; k < m; k++) for (let e = 0; e < W.length; e++) fitted[e]! += u[k]! * F[k + 1]![e]!;
  const diff = Math.hypot(...fitted.map((v, e) => v - W[e]!));
  const cu = c.reduce((s, v, k) => s + v * u[k]!, 0);
  return { fit: diff / Math.hypot(...W), cu: Math.abs(cu) / (Math.hypot(...c) * Math.hypot(...u)) };
}

/** An orthonormal basis of the null space of `rows` (Gram-Schmidt, twice, then the unit vectors). */
function nullBasis(rows: number[][], N: number): number[][] {
  const basis: number[][] = [];
  const orth = (v: number[]): number => {
    for (let pass = 0; pass < 2; pass++)
      for (const q of basis) {
        const d = q.reduce((s, x, k) => s + x * v[k]!, 0);
        for (let k = 0; k < N; k++) v[k]! -= d * q[k]!;
      }
    return Math.hypot(...v);
  };
  for (const r of rows) {
    const v = [...r];
    const nv = orth(v);
    if (nv > 1e-8) basis.push(v.map((x) => x / nv));
  }
  const rank = basis.length;
  for (let e = 0; e < N; e++) {
    const v = new Array<number>(N).fill(0);
    v[e] = 1;
    const nv = orth(v);
    if (nv > 1e-6) basis.push(v.map((x) => x / nv));
  }
  return basis.slice(rank);
}

/** V^T M V for the basis V (rows of `V`). */
function restrict(M: Dense, V: number[][], N: number): Dense {
  const r = V.length;
  const MV = V.map((v) => Array.from({ length: N }, (_, i) => v.reduce((s, x, j) => s + M[i * N + j]! * x, 0)));
  const out = new Float64Array(r * r);
  for (let a = 0; a < r; a++) for (let b = 0; b <= a; b++) out[a * r + b] = out[b * r + a] = V[a]!.reduce((s, x, i) => s + x * MV[b]![i]!, 0);
  return out;
}

/** The rows whose restricted matrices stay independent (Gram-Schmidt, 1e-9 relative). */
function independentRows(G: Dense[]): number[] {
  const kept: number[] = [];
  const basis: Dense[] = [];
  for (let k = 1; k < G.length; k++) {
    const w = Float64Array.from(G[k]!);
    const n0 = Math.hypot(...w);
    for (let pass = 0; pass < 2; pass++)
      for (const q of basis) {
        const d = inner(q, w);
        for (let e = 0; e < w.length; e++) w[e]! -= d * q[e]!;
      }
    const nw = Math.hypot(...w);
    if (n0 > 0 && nw > 1e-9 * n0) {
      basis.push(w.map((x) => x / nw));
      kept.push(k);
    }
  }
  return kept;
}

function sdpaText(title: string, c: number[], r: number, mats: Dense[]): string {
  const lines = [`"${title}"`, String(c.length), '1', String(r), c.join(' ')];
  mats.forEach((M, k) => {
    for (let a = 0; a < r; a++)
      for (let b = a; b < r; b++) if (Math.abs(M[a * r + b]!) > 1e-15) lines.push(`${k} 1 ${a + 1} ${b + 1} ${M[a * r + b]!.toPrecision(17)}`);
  });
  return `${lines.join('\n')}\n`;
}

/** max_k |tr(F_k Y) - c_k| / (1 + |c_k|) for Y = V R V^T, R from our standard-form x (svec). */
function liftedResidual(x: Float64Array, V: number[][], F: Dense[], c: Float64Array, N: number): number {
  const r = V.length;
  const R = new Float64Array(r * r);
  for (let a = 0; a < r; a++) for (let b = 0; b <= a; b++) R[a * r + b] = R[b * r + a] = x[svecIndex(r, a, b)]! * (a === b ? 1 : Math.SQRT1_2);
  const Y = new Float64Array(N * N);
  for (let a = 0; a < r; a++)
    for (let b = 0; b < r; b++) {
      const w = R[a * r + b]!;
      if (w !== 0) for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) Y[i * N + j]! += w * V[a]![i]! * V[b]![j]!;
    }
  let worst = 0;
  for (let k = 1; k < F.length; k++) worst = Math.max(worst, Math.abs(inner(F[k]!, Y) - c[k - 1]!) / (1 + Math.abs(c[k - 1]!)));
  return worst;
}

function digits(value: number, published: number | undefined): string {
  if (published === undefined) return '-';
  const rel = Math.abs(value - published) / Math.abs(published);
  return rel === 0 ? '>10' : (-Math.log10(rel)).toFixed(1);
}

function main(): void {
  const dir = resolve(process.argv[2] ?? '../shared/sdplib');
  if (!existsSync(dir)) {
    process.stderr.write(`qap-face: no directory ${dir}\n`);
    process.exitCode = 2;
    return;
  }
  const optima = readOptima(join(dir, 'OPTIMA.txt'));
  const csdp = haveCsdp();
  const work = mkdtempSync(join(tmpdir(), 'qap-face-'));
  try {
    for (const name of ['qap5', 'qap6']) {
      const file = join(dir, `${name}.dat-s`);
      if (!existsSync(file)) continue;
      const P = parseSdpa(readFileSync(file, 'utf8'), file);
      const N = P.blocks[0]!;
      const n = Math.round(Math.sqrt(N - 1));
      if (P.blocks.length !== 1 || n * n + 1 !== N) throw new Error(`${name}: not one block of order n^2 + 1`);
      const F = denseMatrices(P, N);
      const T = assignmentRows(n);
      const W = new Float64Array(N * N);
      for (const t of T) for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) W[i * N + j]! += t[i]! * t[j]!;
      const cert = certify(F, P.c, W);
      const V = nullBasis(T, N);
      const G = F.map((M) => restrict(M, V, N));
      const kept = independentRows(G);
      const reduced = join(work, `${name}-face.dat-s`);
      writeFileSync(
        reduced,
        sdpaText(
          `${name} on the face null(T)`,
          kept.map((k) => P.c[k - 1]!),
          V.length,
          [G[0]!, ...kept.map((k) => G[k]!)],
        ),
      );
      const pub = optima.get(name)?.value;
      process.stdout.write(
        `${name}: N = ${N}, face order ${V.length}, rows ${P.m} -> ${kept.length}; certificate sum u_k F_k = T^T T to ${cert.fit.toExponential(1)}, c^T u = 0 to ${cert.cu.toExponential(1)}; published ${pub ?? '-'}\n`,
      );
      for (const [label, path] of [
        ['original', file],
        ['on the face', reduced],
      ] as const) {
        const r = solveSdpa(readFileSync(path, 'utf8'), {}, path);
        const lifted = label === 'on the face' ? `, V R V^T meets the original rows to ${liftedResidual(r.result.x, V, F, P.c, N).toExponential(1)}` : '';
        process.stdout.write(
          `  netisac ${label.padEnd(11)} ${r.status}${r.almost ? ' (almost)' : ''}, ${r.iterations} iterations: c^T x ${r.objective.toFixed(7)}, tr(F0 Y) ${r.dualObjective.toFixed(7)}, ${digits(r.objective, pub)} digits${lifted}\n`,
        );
        if (csdp) {
          const c = runCsdp(path);
          process.stdout.write(
            `  CSDP    ${label.padEnd(11)} ${c.status}, ${c.iterations} iterations: ${c.objective.toFixed(7)}, ${digits(c.objective, pub)} digits\n`,
          );
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
