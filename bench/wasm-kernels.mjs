#!/usr/bin/env node
/**
 * `node bench/wasm-kernels.mjs [--runs 10]`: the Hermitian cone's kernels in WebAssembly
 * (src/linalg/wasm-kernels.ts) against their TypeScript twins, as the solver calls them
 * (dist/, run `npm run build` first), recorded in docs/solver.md ("WebAssembly kernels").
 * Both paths give the same bits; this measures only time. Each run is a fresh Node process
 * (NETISAC_WASM=0 selects the TypeScript path) that times, at the paper's block order n = 8:
 * - cold: the first 4000 products C = A B (about what the paper's fixed solve makes), the
 *   first 400 eigendecompositions with vectors (likewise), as the first solve meets them;
 * - warm: ns per call after 100000 calls;
 * - the first solve of the paper's fixed SDP (bench/problems.ts fig2-fixed, built before the
 *   clock starts) and the same solve warm (the third of three).
 * Prints the minimum over the runs of each (the machine may be shared) and the ratio.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};

async function child() {
  const { cMul, cmAlloc, HEigWorkspace } = await import(join(root, 'dist', 'conic', 'cones', 'hermitian-kernels.js'));
  const n = 8;
  const [a, b, c] = [cmAlloc(n), cmAlloc(n), cmAlloc(n)];
  for (let i = 0; i < n * n; i++) [a.re[i], a.im[i], b.re[i], b.im[i]] = [Math.sin(i), Math.cos(i), Math.sin(2 * i), Math.cos(3 * i)];
  const ws = new HEigWorkspace(n);
  const time = (calls, f) => {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) f();
    return performance.now() - t0;
  };
  const product = () => cMul(a, b, c, n);
  const eig = () => ws.eig(b, true, false);
  const out = { productCold: time(4000, product), eigCold: time(400, eig) };
  time(100000, product);
  out.productWarmNs = (time(100000, product) * 1e6) / 100000;
  time(20000, eig);
  out.eigWarmNs = (time(20000, eig) * 1e6) / 20000;
  process.stdout.write(JSON.stringify(out));
}

function run(script, wasm) {
  const env = { ...process.env, NETISAC_WASM: wasm ? '1' : '0' };
  const out = spawnSync(process.execPath, script, { encoding: 'utf8', env });
  if (out.status !== 0) throw new Error(out.stderr);
  return JSON.parse(out.stdout);
}

if (process.argv[2] === '--child') await child();
else {
  const runs = Number(arg('--runs', 10));
  const best = { ts: {}, wasm: {} };
  for (let r = 0; r < runs; r++) {
    for (const mode of ['ts', 'wasm']) {
      const v = run([fileURLToPath(import.meta.url), '--child'], mode === 'wasm');
      const s = run(['--import', 'tsx/esm', join(root, 'bench', 'first-solve.ts')], mode === 'wasm');
      for (const [k, x] of Object.entries({ ...v, ...s })) best[mode][k] = Math.min(best[mode][k] ?? Infinity, x);
    }
  }
  const rows = [
    ['first 4000 products 8 x 8 (cold)', 'productCold', 'ms'],
    ['product, warm', 'productWarmNs', 'ns'],
    ['first 400 eigendecompositions 8 x 8 (cold)', 'eigCold', 'ms'],
    ['eigendecomposition, warm', 'eigWarmNs', 'ns'],
    ['paper fixed SDP, first solve of a process', 'solveCold', 'ms'],
    ['paper fixed SDP, warm (third solve)', 'solveWarm', 'ms'],
  ];
  console.log(`minimum over ${runs} fresh processes each (Node ${process.version})`);
  console.log('| | TypeScript | WebAssembly | ratio |');
  console.log('| --- | --- | --- | --- |');
  for (const [label, k, unit] of rows) {
    const [t, w] = [best.ts[k], best.wasm[k]];
    console.log(`| ${label} | ${t.toFixed(unit === 'ns' ? 0 : 1)} ${unit} | ${w.toFixed(unit === 'ns' ? 0 : 1)} ${unit} | ${(w / t).toFixed(2)} |`);
  }
}
