// AssemblyScript source of the WebAssembly kernels evaluated against the TypeScript
// complex products (docs/solver.md, "WebAssembly kernels"). Not part of the package: the
// solver uses src/conic/cones/hermitian-kernels.ts. Rebuild the committed binary with
//   npx --yes assemblyscript@0.28.9 asc wasm/complex-products.ts -O3 --runtime stub --enable simd --initialMemory 1 -o wasm/complex-products.wasm
// Matrices are n x n, row-major, real and imaginary parts in separate arrays of f64 at the
// given byte offsets of linear memory; C = A B.

export function cMul(ar: usize, ai: usize, br: usize, bi: usize, cr: usize, ci: usize, n: i32): void {
  const nn = n * n;
  for (let k = 0; k < nn; k++) {
    store<f64>(cr + (<usize>k << 3), 0.0);
    store<f64>(ci + (<usize>k << 3), 0.0);
  }
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let k = 0; k < n; k++) {
      const xr = load<f64>(ar + (<usize>(ri + k) << 3));
      const xi = load<f64>(ai + (<usize>(ri + k) << 3));
      const rk = k * n;
      for (let j = 0; j < n; j++) {
        const o = <usize>(ri + j) << 3;
        const p = <usize>(rk + j) << 3;
        const yr = load<f64>(br + p);
        const yi = load<f64>(bi + p);
        store<f64>(cr + o, load<f64>(cr + o) + xr * yr - xi * yi);
        store<f64>(ci + o, load<f64>(ci + o) + xr * yi + xi * yr);
      }
    }
  }
}

// The same product with 128-bit SIMD (two f64 lanes over j; n even).
export function cMulSimd(ar: usize, ai: usize, br: usize, bi: usize, cr: usize, ci: usize, n: i32): void {
  const nn = n * n;
  for (let k = 0; k < nn; k += 2) {
    v128.store(cr + (<usize>k << 3), f64x2.splat(0));
    v128.store(ci + (<usize>k << 3), f64x2.splat(0));
  }
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let k = 0; k < n; k++) {
      const xr = f64x2.splat(load<f64>(ar + (<usize>(ri + k) << 3)));
      const xi = f64x2.splat(load<f64>(ai + (<usize>(ri + k) << 3)));
      const rk = k * n;
      for (let j = 0; j < n; j += 2) {
        const o = <usize>(ri + j) << 3;
        const p = <usize>(rk + j) << 3;
        const yr = v128.load(br + p);
        const yi = v128.load(bi + p);
        v128.store(cr + o, f64x2.add(v128.load(cr + o), f64x2.sub(f64x2.mul(xr, yr), f64x2.mul(xi, yi))));
        v128.store(ci + o, f64x2.add(v128.load(ci + o), f64x2.add(f64x2.mul(xr, yi), f64x2.mul(xi, yr))));
      }
    }
  }
}
