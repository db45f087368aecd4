#!/usr/bin/env node
/**
 * `node bench/wasm-products.mjs [--runs 8] [--calls 4000]`: the evaluation of WebAssembly
 * kernels for the Hermitian cone's dense complex products (issue 10, item 4), recorded in
 * docs/solver.md. Compares the solver's TypeScript product (dist/, run `npm run build` first)
 * with the same product compiled from wasm/complex-products.ts by AssemblyScript 0.28, plain
 * and with 128-bit SIMD, at the paper's block order n = 8:
 * - cold: each run is a fresh Node process that loads the kernel (module import, or WebAssembly
 *   compile + instantiate) and times its first `calls` products (the paper's fixed solve makes
 *   about 4000), as the first solve of a process meets them;
 * - warm: the same process, after 200000 products, ns per product.
 * Prints the minimum over `runs` processes of each (the machine may be shared).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const n = 8;
const nn = n * n;

async function child(mode, calls) {
  const t0 = performance.now();
  let product;
  let wasmOut;
  if (mode === 'ts') {
    const { cMul, cmAlloc } = await import(join(root, 'dist', 'conic', 'cones', 'hermitian-kernels.js'));
    const [a, b, c] = [cmAlloc(n), cmAlloc(n), cmAlloc(n)];
    for (let i = 0; i < nn; i++) [a.re[i], a.im[i], b.re[i], b.im[i]] = [Math.sin(i), Math.cos(i), Math.sin(2 * i), Math.cos(3 * i)];
    product = () => cMul(a, b, c, n);
  } else {
    const module = new WebAssembly.Module(readFileSync(join(root, 'wasm', 'complex-products.wasm')));
    const { exports } = new WebAssembly.Instance(module, { env: { abort() {} } });
    const mem = new Float64Array(exports.memory.buffer);
    const at = (k) => 1024 + k * nn * 8;
    for (let i = 0; i < nn; i++)
      [mem[at(0) / 8 + i], mem[at(1) / 8 + i], mem[at(2) / 8 + i], mem[at(3) / 8 + i]] = [Math.sin(i), Math.cos(i), Math.sin(2 * i), Math.cos(3 * i)];
    const k = mode === 'simd' ? exports.cMulSimd : exports.cMul;
    product = () => k(at(0), at(1), at(2), at(3), at(4), at(5), n);
    wasmOut = () => ({ re: mem.subarray(at(4) / 8, at(4) / 8 + nn), im: mem.subarray(at(5) / 8, at(5) / 8 + nn) });
  }
  const t1 = performance.now();
  for (let i = 0; i < calls; i++) product();
  const t2 = performance.now();
  for (let i = 0; i < 200000; i++) product();
  const t3 = performance.now();
  for (let i = 0; i < 200000; i++) product();
  const t4 = performance.now();
  // the product itself, checked against the TypeScript kernel on the same data
  let err = 0;
  if (mode !== 'ts') {
    const { cMul, cmAlloc } = await import(join(root, 'dist', 'conic', 'cones', 'hermitian-kernels.js'));
    const [a, b, c] = [cmAlloc(n), cmAlloc(n), cmAlloc(n)];
    for (let i = 0; i < nn; i++) [a.re[i], a.im[i], b.re[i], b.im[i]] = [Math.sin(i), Math.cos(i), Math.sin(2 * i), Math.cos(3 * i)];
    cMul(a, b, c, n);
    const out = wasmOut();
    for (let i = 0; i < nn; i++) err = Math.max(err, Math.abs(out.re[i] - c.re[i]), Math.abs(out.im[i] - c.im[i]));
  }
  process.stdout.write(JSON.stringify({ load: t1 - t0, cold: t2 - t1, warmNs: ((t4 - t3) * 1e6) / 200000, err }));
}

if (process.argv[2] === '--child') await child(process.argv[3], Number(process.argv[4]));
else {
  const runs = Number(arg('--runs', 8));
  const calls = Number(arg('--calls', 4000));
  console.log(`complex ${n} x ${n} products, minimum over ${runs} fresh processes (Node ${process.version})`);
  console.log(`| kernel | load (import / compile+instantiate) | first ${calls} products (cold) | warm, per product | max difference to TypeScript |`);
  console.log('| --- | --- | --- | --- | --- |');
  for (const [mode, label] of [
    ['ts', 'TypeScript (hermitian-kernels.ts)'],
    ['wasm', 'WebAssembly (AssemblyScript -O3)'],
    ['simd', 'WebAssembly, 128-bit SIMD'],
  ]) {
    const best = { load: Infinity, cold: Infinity, warmNs: Infinity };
    let err = 0;
    for (let r = 0; r < runs; r++) {
      const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', mode, String(calls)], { encoding: 'utf8' });
      if (out.status !== 0) throw new Error(out.stderr);
      const v = JSON.parse(out.stdout);
      for (const k of Object.keys(best)) best[k] = Math.min(best[k], v[k]);
      err = Math.max(err, v.err);
    }
    console.log(
      `| ${label} | ${best.load.toFixed(1)} ms | ${best.cold.toFixed(1)} ms | ${best.warmNs.toFixed(0)} ns | ${mode === 'ts' ? '-' : err.toExponential(1)} |`,
    );
  }
}
