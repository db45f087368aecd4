// AssemblyScript source of the WebAssembly kernels of the Hermitian cone: the eigensolver,
// the Cholesky factorisation and the dense complex products. src/linalg/wasm-hermitian.ts
// loads them; their TypeScript twins (src/conic/cones/hermitian-kernels.ts) are the fallback.
// Each is the same algorithm as its twin, operation for operation, so both give the same
// bits (the products' 128-bit SIMD lanes are two values of j, each computed as the scalar
// loop computes it). `npm run build:wasm` compiles this file and embeds the binary in
// src/linalg/wasm-hermitian-binary.ts.
//
// Linear memory, in f64 slots from 0, for order n (nn = n * n, matrices row-major, real
// parts then imaginary parts): operands A at 0, B at 2 nn, result C at 4 nn, scratch after.
// The eigensolver reads A (lower triangle) and writes d (n) and v (column j belongs to d[j])
// from slot 2 nn (outOffset).

const EPS: f64 = 2.220446049250313e-16;

@inline function at(slot: i32): usize {
  return <usize>slot << 3;
}
@inline function ld(slot: i32): f64 {
  return load<f64>(at(slot));
}
@inline function st(slot: i32, v: f64): void {
  store<f64>(at(slot), v);
}

/** f64 slots the solver needs for order n (the caller grows memory to fit). */
export function slots(n: i32): i32 {
  return 8 * n * n + 9 * n;
}

/** Offset (in f64 slots) of d; v re and v im follow it at d + n and d + n + n * n. */
export function outOffset(n: i32): i32 {
  return 2 * n * n;
}

function hypot(a: f64, b: f64): f64 {
  const x = abs<f64>(a);
  const y = abs<f64>(b);
  if (x > y) {
    const t = y / x;
    return x * sqrt<f64>(1 + t * t);
  }
  if (y == 0) return 0;
  const t = x / y;
  return y * sqrt<f64>(1 + t * t);
}

/** Eigen-decomposition of the Hermitian matrix at slot 0; 1 on success, 0 on failure (NaN). */
export function eig(n: i32, vectors: i32): i32 {
  const nn = n * n;
  const AR = 0;
  const AI = nn;
  const D = 2 * nn;
  const VR = D + n;
  const VI = VR + nn;
  const Z = VI + nn;
  const SUB = Z + nn;
  const E = SUB + n;
  const TAU = E + n;
  const WR = TAU + n;
  const WI = WR + n;
  const PHR = WI + n;
  const PHI = PHR + n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      st(AR + j * n + i, ld(AR + i * n + j));
      st(AI + j * n + i, -ld(AI + i * n + j));
    }
    st(AI + i * n + i, 0);
  }
  for (let k = 0; k + 2 < n; k++) {
    let nx: f64 = 0;
    for (let i = k + 1; i < n; i++) {
      const xr = ld(AR + i * n + k);
      const xi = ld(AI + i * n + k);
      nx += xr * xr + xi * xi;
    }
    nx = sqrt<f64>(nx);
    const x0r = ld(AR + (k + 1) * n + k);
    const x0i = ld(AI + (k + 1) * n + k);
    const ax0 = sqrt<f64>(x0r * x0r + x0i * x0i);
    const tail = nx * nx - ax0 * ax0;
    if (nx == 0 || tail <= 1e-300 * (1 + nx * nx)) {
      st(TAU + k, 0);
      st(SUB + k, 0);
      st(PHR + k, x0r);
      st(PHI + k, x0i);
      continue;
    }
    const pr = ax0 > 0 ? x0r / ax0 : 1;
    const pi = ax0 > 0 ? x0i / ax0 : 0;
    const br = -pr * nx;
    const bi = -pi * nx;
    st(AR + (k + 1) * n + k, x0r - br);
    st(AI + (k + 1) * n + k, x0i - bi);
    let vv: f64 = 0;
    for (let i = k + 1; i < n; i++) {
      const xr = ld(AR + i * n + k);
      const xi = ld(AI + i * n + k);
      vv += xr * xr + xi * xi;
    }
    const tau = 2 / vv;
    st(TAU + k, tau);
    st(PHR + k, br);
    st(PHI + k, bi);
    let kr: f64 = 0;
    let ki: f64 = 0;
    for (let i = k + 1; i < n; i++) {
      let sr: f64 = 0;
      let si: f64 = 0;
      const ri = i * n;
      for (let j = k + 1; j < n; j++) {
        const vr = ld(AR + j * n + k);
        const vi = ld(AI + j * n + k);
        sr += ld(AR + ri + j) * vr - ld(AI + ri + j) * vi;
        si += ld(AR + ri + j) * vi + ld(AI + ri + j) * vr;
      }
      const wri = tau * sr;
      const wii = tau * si;
      st(WR + i, wri);
      st(WI + i, wii);
      const vr = ld(AR + ri + k);
      const vi = ld(AI + ri + k);
      kr += vr * wri + vi * wii;
      ki += vr * wii - vi * wri;
    }
    kr *= tau / 2;
    ki *= tau / 2;
    for (let i = k + 1; i < n; i++) {
      const vr = ld(AR + i * n + k);
      const vi = ld(AI + i * n + k);
      st(WR + i, ld(WR + i) - (kr * vr - ki * vi));
      st(WI + i, ld(WI + i) - (kr * vi + ki * vr));
    }
    for (let i = k + 1; i < n; i++) {
      const ri = i * n;
      const vir = ld(AR + ri + k);
      const vii = ld(AI + ri + k);
      const wir = ld(WR + i);
      const wii = ld(WI + i);
      for (let j = k + 1; j < n; j++) {
        const vjr = ld(AR + j * n + k);
        const vji = ld(AI + j * n + k);
        const wjr = ld(WR + j);
        const wji = ld(WI + j);
        st(AR + ri + j, ld(AR + ri + j) - (vir * wjr + vii * wji + wir * vjr + wii * vji));
        st(AI + ri + j, ld(AI + ri + j) - (vii * wjr - vir * wji + wii * vjr - wir * vji));
      }
    }
  }
  for (let i = 0; i < n; i++) st(D + i, ld(AR + i * n + i));
  if (n >= 2) {
    st(PHR + n - 2, ld(AR + (n - 1) * n + n - 2));
    st(PHI + n - 2, ld(AI + (n - 1) * n + n - 2));
  }
  // D = diag(delta) making the tridiagonal real (kept in WR / WI)
  st(WR, 1);
  st(WI, 0);
  for (let k = 0; k + 1 < n; k++) {
    const tr = ld(PHR + k);
    const ti = ld(PHI + k);
    const a = sqrt<f64>(tr * tr + ti * ti);
    st(SUB + k, a);
    const ur = a > 0 ? tr / a : 1;
    const ui = a > 0 ? ti / a : 0;
    const dr = ld(WR + k);
    const di = ld(WI + k);
    st(WR + k + 1, dr * ur - di * ui);
    st(WI + k + 1, dr * ui + di * ur);
  }
  if (vectors) {
    for (let t = 0; t < nn; t++) st(Z + t, 0);
    for (let i = 0; i < n; i++) st(Z + i * n + i, 1);
  }
  // tridiagEig: e[0] = 0, e[k] = sub[k - 1], then tql2's shift e[i - 1] = e[i]
  if (n > 0) {
    st(E, 0);
    for (let k = 1; k < n; k++) st(E + k, ld(SUB + k - 1));
    if (!tql2(Z, D, E, n, vectors)) return 0;
  }
  if (!vectors) return 1;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const zz = ld(Z + j * n + i);
      st(VR + i * n + j, ld(WR + i) * zz);
      st(VI + i * n + j, ld(WI + i) * zz);
    }
  }
  for (let k = n - 3; k >= 0; k--) {
    const tau = ld(TAU + k);
    if (!(tau > 0)) continue;
    // u = v^H Y in E (re) and PHI (im)
    for (let j = 0; j < n; j++) {
      st(E + j, 0);
      st(PHI + j, 0);
    }
    for (let i = k + 1; i < n; i++) {
      const a = ld(AR + i * n + k);
      const b = -ld(AI + i * n + k);
      const ri = i * n;
      for (let j = 0; j < n; j++) {
        st(E + j, ld(E + j) + (a * ld(VR + ri + j) - b * ld(VI + ri + j)));
        st(PHI + j, ld(PHI + j) + (a * ld(VI + ri + j) + b * ld(VR + ri + j)));
      }
    }
    for (let i = k + 1; i < n; i++) {
      const a = tau * ld(AR + i * n + k);
      const b = tau * ld(AI + i * n + k);
      const ri = i * n;
      for (let j = 0; j < n; j++) {
        st(VR + ri + j, ld(VR + ri + j) - (a * ld(E + j) - b * ld(PHI + j)));
        st(VI + ri + j, ld(VI + ri + j) - (a * ld(PHI + j) + b * ld(E + j)));
      }
    }
  }
  return 1;
}

function tql2(V: i32, D: i32, E: i32, n: i32, vectors: i32): bool {
  for (let i = 1; i < n; i++) st(E + i - 1, ld(E + i));
  st(E + n - 1, 0);
  let f: f64 = 0;
  let tst1: f64 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = max<f64>(tst1, abs<f64>(ld(D + l)) + abs<f64>(ld(E + l)));
    let m = l;
    while (m < n) {
      if (abs<f64>(ld(E + m)) <= EPS * tst1) break;
      m++;
    }
    if (m == n) m = n - 1;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) return false;
        let g = ld(D + l);
        let p = (ld(D + l + 1) - g) / (2 * ld(E + l));
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        st(D + l, ld(E + l) / (p + r));
        st(D + l + 1, ld(E + l) * (p + r));
        const dl1 = ld(D + l + 1);
        let h = g - ld(D + l);
        for (let i = l + 2; i < n; i++) st(D + i, ld(D + i) - h);
        f += h;
        p = ld(D + m);
        let c: f64 = 1;
        let c2 = c;
        let c3 = c;
        const el1 = ld(E + l + 1);
        let s: f64 = 0;
        let s2: f64 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          const ei = ld(E + i);
          g = c * ei;
          h = c * p;
          r = hypot(p, ei);
          st(E + i + 1, s * r);
          s = ei / r;
          c = p / r;
          const di = ld(D + i);
          p = c * di - s * g;
          st(D + i + 1, h + s * (c * g + s * di));
          if (vectors) {
            const r0 = V + i * n;
            const r1 = r0 + n;
            for (let k = 0; k < n; k++) {
              const hk = ld(r1 + k);
              const vk = ld(r0 + k);
              st(r1 + k, s * vk + c * hk);
              st(r0 + k, c * vk - s * hk);
            }
          }
        }
        p = (-s * s2 * c3 * el1 * ld(E + l)) / dl1;
        st(E + l, s * p);
        st(D + l, c * p);
        if (!isFinite<f64>(p)) return false;
      } while (abs<f64>(ld(E + l)) > EPS * tst1);
    }
    st(D + l, ld(D + l) + f);
    st(E + l, 0);
  }
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = ld(D + i);
    for (let j = i + 1; j < n; j++) {
      if (ld(D + j) < p) {
        k = j;
        p = ld(D + j);
      }
    }
    if (k != i) {
      st(D + k, ld(D + i));
      st(D + i, p);
      if (vectors) {
        for (let j = 0; j < n; j++) {
          const t = ld(V + i * n + j);
          st(V + i * n + j, ld(V + k * n + j));
          st(V + k * n + j, t);
        }
      }
    }
  }
  return true;
}

// ---- products: C = A B, C = A^H B, C = A B^H (C Hermitian), C = A B A^H; Cholesky of A ----

/** C = A B (cMul). */
export function mul(n: i32): void {
  mulAt(0, 2 * n * n, 4 * n * n, n);
}

function mulAt(A: i32, B: i32, C: i32, n: i32): void {
  const nn = n * n;
  for (let t = 0; t < 2 * nn; t++) st(C + t, 0);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let k = 0; k < n; k++) {
      const xr = ld(A + ri + k);
      const xi = ld(A + nn + ri + k);
      if (xr == 0 && xi == 0) continue;
      axpyRow(C + ri, B + k * n, xr, xi, n, nn);
    }
  }
}

/** C = A^H B (cMulHN). */
export function mulHN(n: i32): void {
  const nn = n * n;
  const A = 0;
  const B = 2 * nn;
  const C = 4 * nn;
  for (let t = 0; t < 2 * nn; t++) st(C + t, 0);
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    for (let i = 0; i < n; i++) {
      const xr = ld(A + rk + i);
      const xi = -ld(A + nn + rk + i);
      if (xr == 0 && xi == 0) continue;
      axpyRow(C + i * n, B + rk, xr, xi, n, nn);
    }
  }
}

/** Row c (re at c, im at c + nn) += x * row b, over j, two lanes at a time. */
@inline function axpyRow(c: i32, b: i32, xr: f64, xi: f64, n: i32, nn: i32): void {
  const vxr = f64x2.splat(xr);
  const vxi = f64x2.splat(xi);
  let j = 0;
  for (; j + 1 < n; j += 2) {
    const yr = v128.load(at(b + j));
    const yi = v128.load(at(b + nn + j));
    v128.store(at(c + j), f64x2.add(v128.load(at(c + j)), f64x2.sub(f64x2.mul(vxr, yr), f64x2.mul(vxi, yi))));
    v128.store(at(c + nn + j), f64x2.add(v128.load(at(c + nn + j)), f64x2.add(f64x2.mul(vxr, yi), f64x2.mul(vxi, yr))));
  }
  if (j < n) {
    const yr = ld(b + j);
    const yi = ld(b + nn + j);
    st(c + j, ld(c + j) + (xr * yr - xi * yi));
    st(c + nn + j, ld(c + nn + j) + (xr * yi + xi * yr));
  }
}

/** C = A B^H, C known Hermitian (cMulNHHerm). */
export function mulNHHerm(n: i32): void {
  mulNHHermAt(0, 2 * n * n, 4 * n * n, n);
}

function mulNHHermAt(A: i32, B: i32, C: i32, n: i32): void {
  const nn = n * n;
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let sr: f64 = 0;
      let si: f64 = 0;
      for (let k = 0; k < n; k++) {
        const xr = ld(A + ri + k);
        const xi = ld(A + nn + ri + k);
        const yr = ld(B + rj + k);
        const yi = ld(B + nn + rj + k);
        sr += xr * yr + xi * yi;
        si += xi * yr - xr * yi;
      }
      st(C + ri + j, sr);
      st(C + nn + ri + j, si);
      st(C + rj + i, sr);
      st(C + nn + rj + i, -si);
    }
    st(C + nn + ri + i, 0);
  }
}

/** C = A B A^H with B Hermitian (cSandwich: A B into scratch, then times A^H). */
export function sandwich(n: i32): void {
  const nn = n * n;
  mulAt(0, 2 * nn, 6 * nn, n);
  mulNHHermAt(6 * nn, 0, 4 * nn, n);
}

/** In-place Cholesky A = L L^H (cChol); 1 when positive definite, else 0. */
export function chol(n: i32): i32 {
  const nn = n * n;
  const R = 0;
  const I = nn;
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = ld(R + rj + j);
    for (let k = 0; k < j; k++) {
      const lr = ld(R + rj + k);
      const li = ld(I + rj + k);
      d -= lr * lr + li * li;
    }
    if (!(d > 0) || d == Infinity) return 0;
    d = sqrt<f64>(d);
    st(R + rj + j, d);
    st(I + rj + j, 0);
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let sr = ld(R + ri + j);
      let si = ld(I + ri + j);
      for (let k = 0; k < j; k++) {
        const ar = ld(R + ri + k);
        const ai = ld(I + ri + k);
        const br = ld(R + rj + k);
        const bi = ld(I + rj + k);
        sr -= ar * br + ai * bi;
        si -= ai * br - ar * bi;
      }
      st(R + ri + j, sr / d);
      st(I + ri + j, si / d);
    }
    for (let k = j + 1; k < n; k++) {
      st(R + rj + k, 0);
      st(I + rj + k, 0);
    }
  }
  return 1;
}
