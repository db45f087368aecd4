// AssemblyScript source of the solver's WebAssembly: the Hermitian and real PSD cones' dense
// kernels (eigensolvers, Cholesky factorisations, products), their step lengths, fused
// operations (applyD, dxFromDz, correctDir, rhs), NT scalings and centrality correctors, the
// 2 x 2 Hermitian blocks' closed form (src/conic/cones/hpsd2.ts); and,
// in an instance of their own, the normal equations (the Schur program's blocks, the
// factorisation of M and its solves, A x and A^T y). src/linalg/wasm-kernels.ts and
// src/conic/kkt-wasm.ts load them; their TypeScript twins (src/conic/cones/*.ts,
// src/conic/schur*.ts, src/conic/kkt.ts, src/linalg/*.ts) are the fallback.
// Each is the same algorithm as its twin, operation for operation, so both give the same
// bits (the products' 128-bit SIMD lanes are two values of j, each computed as the scalar
// loop computes it). `npm run build:wasm` compiles this file and embeds the binary in
// src/linalg/wasm-kernels-binary.ts.
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

// The memory the kernels need for order n, 8 n^2 + 9 n f64 slots, is counted by the loader
// (slotCount in src/linalg/wasm-kernels.ts), which grows the memory before a call.

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

/** The unit phase of the last cabsPhase (1 for 0). */
let PH_RE: f64 = 1;
let PH_IM: f64 = 0;

/** |re + i im| and its unit phase: the twin of hermitian-kernels.ts' cabsPhase (scaled where the squares under- or overflow). */
function cabsPhase(re: f64, im: f64): f64 {
  const q = re * re + im * im;
  if (q > 1e-290 && q < 1e290) {
    const a = sqrt<f64>(q);
    PH_RE = re / a;
    PH_IM = im / a;
    return a;
  }
  const s = max<f64>(abs<f64>(re), abs<f64>(im));
  if (s == 0) {
    PH_RE = 1;
    PH_IM = 0;
    return 0;
  }
  const a = re / s;
  const b = im / s;
  const h = sqrt<f64>(a * a + b * b);
  PH_RE = a / h;
  PH_IM = b / h;
  return s * h;
}

/**
 * A matrix whose largest entry is below 2^-500 (subnormal data included) is scaled up by 2^600
 * before an eigensolver runs on it, and its eigenvalues down again: with entries that small the
 * rotations' hypot and the Householder norms lose their precision, and the eigenvectors came
 * back of norm sqrt(2) (found by test/conic/hpsd2.test.ts). Powers of two: exact both ways (up
 * to the rounding of an eigenvalue that is itself subnormal). Matrices of any larger scale are
 * untouched. real-eig.ts and hermitian-kernels.ts do the same.
 */
const TINY: f64 = 3.054936363499605e-151; // 2^-500
const UP: f64 = 4.149515568880993e180; // 2^600
const DOWN: f64 = 2.409919865102884e-181; // 2^-600

/** Scales the len entries from slot `at` by UP when all are below TINY (and not all zero); whether it did. */
function scaleUpTiny(at: i32, len: i32): bool {
  let m: f64 = 0;
  for (let t = 0; t < len; t++) m = max<f64>(m, abs<f64>(ld(at + t)));
  if (!(m > 0 && m < TINY)) return false;
  for (let t = 0; t < len; t++) st(at + t, ld(at + t) * UP);
  return true;
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
  const scaled = scaleUpTiny(AR, 2 * nn);
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
    const ax0 = cabsPhase(x0r, x0i);
    const pr = PH_RE;
    const pi = PH_IM;
    const tail = nx * nx - ax0 * ax0;
    if (nx == 0 || tail <= 1e-300 * (1 + nx * nx)) {
      st(TAU + k, 0);
      st(SUB + k, 0);
      st(PHR + k, x0r);
      st(PHI + k, x0i);
      continue;
    }
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
    // v (column k below the diagonal) copied contiguous into Z (re) and Z + n (im), free until
    // the eigenvectors: the same values, read as rows by the products below
    for (let j = k + 1; j < n; j++) {
      st(Z + j, ld(AR + j * n + k));
      st(Z + n + j, ld(AI + j * n + k));
    }
    // w = tau A v: rows i and i + 1 in the two lanes, each summed over j as the scalar loop
    let i2 = k + 1;
    for (; i2 + 1 < n; i2 += 2) {
      const ri = i2 * n;
      let sr = f64x2.splat(0);
      let si = f64x2.splat(0);
      for (let j = k + 1; j < n; j++) {
        const vr = f64x2.splat(ld(Z + j));
        const vi = f64x2.splat(ld(Z + n + j));
        const ar = f64x2(ld(AR + ri + j), ld(AR + ri + n + j));
        const ai = f64x2(ld(AI + ri + j), ld(AI + ri + n + j));
        sr = f64x2.add(sr, f64x2.sub(f64x2.mul(ar, vr), f64x2.mul(ai, vi)));
        si = f64x2.add(si, f64x2.add(f64x2.mul(ar, vi), f64x2.mul(ai, vr)));
      }
      v128.store(at(WR + i2), f64x2.mul(f64x2.splat(tau), sr));
      v128.store(at(WI + i2), f64x2.mul(f64x2.splat(tau), si));
    }
    if (i2 < n) {
      const ri = i2 * n;
      let sr: f64 = 0;
      let si: f64 = 0;
      for (let j = k + 1; j < n; j++) {
        const vr = ld(Z + j);
        const vi = ld(Z + n + j);
        sr += ld(AR + ri + j) * vr - ld(AI + ri + j) * vi;
        si += ld(AR + ri + j) * vi + ld(AI + ri + j) * vr;
      }
      st(WR + i2, tau * sr);
      st(WI + i2, tau * si);
    }
    let kr: f64 = 0;
    let ki: f64 = 0;
    for (let i = k + 1; i < n; i++) {
      const ri = i * n;
      const wri = ld(WR + i);
      const wii = ld(WI + i);
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
      // two values of j per lane pair, each the scalar expression below
      const svir = f64x2.splat(vir);
      const svii = f64x2.splat(vii);
      const swir = f64x2.splat(wir);
      const swii = f64x2.splat(wii);
      let j = k + 1;
      for (; j + 1 < n; j += 2) {
        const vjr = v128.load(at(Z + j));
        const vji = v128.load(at(Z + n + j));
        const wjr = v128.load(at(WR + j));
        const wji = v128.load(at(WI + j));
        const tr = f64x2.add(f64x2.add(f64x2.add(f64x2.mul(svir, wjr), f64x2.mul(svii, wji)), f64x2.mul(swir, vjr)), f64x2.mul(swii, vji));
        const ti = f64x2.sub(f64x2.add(f64x2.sub(f64x2.mul(svii, wjr), f64x2.mul(svir, wji)), f64x2.mul(swii, vjr)), f64x2.mul(swir, vji));
        v128.store(at(AR + ri + j), f64x2.sub(v128.load(at(AR + ri + j)), tr));
        v128.store(at(AI + ri + j), f64x2.sub(v128.load(at(AI + ri + j)), ti));
      }
      if (j < n) {
        const vjr = ld(Z + j);
        const vji = ld(Z + n + j);
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
    st(SUB + k, cabsPhase(tr, ti));
    const ur = PH_RE;
    const ui = PH_IM;
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
  if (scaled) for (let i = 0; i < n; i++) st(D + i, ld(D + i) * DOWN);
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
      const sa = f64x2.splat(a);
      const sb = f64x2.splat(b);
      let j = 0;
      for (; j + 1 < n; j += 2) {
        const xr = v128.load(at(VR + ri + j));
        const xi = v128.load(at(VI + ri + j));
        v128.store(at(E + j), f64x2.add(v128.load(at(E + j)), f64x2.sub(f64x2.mul(sa, xr), f64x2.mul(sb, xi))));
        v128.store(at(PHI + j), f64x2.add(v128.load(at(PHI + j)), f64x2.add(f64x2.mul(sa, xi), f64x2.mul(sb, xr))));
      }
      if (j < n) {
        st(E + j, ld(E + j) + (a * ld(VR + ri + j) - b * ld(VI + ri + j)));
        st(PHI + j, ld(PHI + j) + (a * ld(VI + ri + j) + b * ld(VR + ri + j)));
      }
    }
    for (let i = k + 1; i < n; i++) {
      const a = tau * ld(AR + i * n + k);
      const b = tau * ld(AI + i * n + k);
      const ri = i * n;
      const sa = f64x2.splat(a);
      const sb = f64x2.splat(b);
      let j = 0;
      for (; j + 1 < n; j += 2) {
        const ur = v128.load(at(E + j));
        const ui = v128.load(at(PHI + j));
        v128.store(at(VR + ri + j), f64x2.sub(v128.load(at(VR + ri + j)), f64x2.sub(f64x2.mul(sa, ur), f64x2.mul(sb, ui))));
        v128.store(at(VI + ri + j), f64x2.sub(v128.load(at(VI + ri + j)), f64x2.add(f64x2.mul(sa, ui), f64x2.mul(sb, ur))));
      }
      if (j < n) {
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
  // floor of the deflation scale (src/linalg/real-eig.ts: deflationFloor says why)
  let norm: f64 = 0;
  for (let i = 0; i < n; i++) norm = max<f64>(norm, abs<f64>(ld(D + i)) + abs<f64>(ld(E + i)));
  const floor = EPS * norm;
  for (let l = 0; l < n; l++) {
    tst1 = max<f64>(max<f64>(tst1, abs<f64>(ld(D + l)) + abs<f64>(ld(E + l))), floor);
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
            const ss = f64x2.splat(s);
            const sc = f64x2.splat(c);
            let k = 0;
            for (; k + 1 < n; k += 2) {
              const hk = v128.load(at(r1 + k));
              const vk = v128.load(at(r0 + k));
              v128.store(at(r1 + k), f64x2.add(f64x2.mul(ss, vk), f64x2.mul(sc, hk)));
              v128.store(at(r0 + k), f64x2.sub(f64x2.mul(sc, vk), f64x2.mul(ss, hk)));
            }
            if (k < n) {
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
    if (!isFinite<f64>(ld(D + l))) return false;
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
  // rows i and i + 1 of C together, sharing the loads of row k of B; each entry is the sum of
  // the original loop, term for term in k order (zero terms of A skipped as there)
  const nn = n * n;
  for (let t = 0; t < 2 * nn; t++) st(C + t, 0);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const r0 = i * n;
    const r1 = r0 + n;
    for (let k = 0; k < n; k++) axpyPair(C + r0, C + r1, B + k * n, ld(A + r0 + k), ld(A + nn + r0 + k), ld(A + r1 + k), ld(A + nn + r1 + k), n, nn);
  }
  if (i < n) {
    const ri = i * n;
    for (let k = 0; k < n; k++) {
      const xr = ld(A + ri + k);
      const xi = ld(A + nn + ri + k);
      if (xr == 0 && xi == 0) continue;
      axpyRow(C + ri, B + k * n, xr, xi, n, nn);
    }
  }
}

/** Rows c0 += x0 * row b and c1 += x1 * row b, a row whose x is zero skipped (as the scalar loop skips it). */
@inline function axpyPair(c0: i32, c1: i32, b: i32, x0r: f64, x0i: f64, x1r: f64, x1i: f64, n: i32, nn: i32): void {
  const z0 = x0r == 0 && x0i == 0;
  const z1 = x1r == 0 && x1i == 0;
  if (z0 && z1) return;
  if (z0) axpyRow(c1, b, x1r, x1i, n, nn);
  else if (z1) axpyRow(c0, b, x0r, x0i, n, nn);
  else axpyRows(c0, c1, b, x0r, x0i, x1r, x1i, n, nn);
}

/** axpyRow for two rows of C (c0, c1) and the same row b: each row as axpyRow computes it. */
@inline function axpyRows(c0: i32, c1: i32, b: i32, x0r: f64, x0i: f64, x1r: f64, x1i: f64, n: i32, nn: i32): void {
  const v0r = f64x2.splat(x0r);
  const v0i = f64x2.splat(x0i);
  const v1r = f64x2.splat(x1r);
  const v1i = f64x2.splat(x1i);
  let j = 0;
  for (; j + 1 < n; j += 2) {
    const yr = v128.load(at(b + j));
    const yi = v128.load(at(b + nn + j));
    addTerms(c0 + j, nn, v0r, v0i, yr, yi);
    addTerms(c1 + j, nn, v1r, v1i, yr, yi);
  }
  if (j < n) {
    const yr = ld(b + j);
    const yi = ld(b + nn + j);
    addTerm(c0 + j, nn, x0r, x0i, yr, yi);
    addTerm(c1 + j, nn, x1r, x1i, yr, yi);
  }
}

/** Two entries of C (re at c, im at c + nn) += x y, x splat, y two entries of B. */
@inline function addTerms(c: i32, nn: i32, vxr: v128, vxi: v128, yr: v128, yi: v128): void {
  v128.store(at(c), f64x2.add(v128.load(at(c)), f64x2.sub(f64x2.mul(vxr, yr), f64x2.mul(vxi, yi))));
  v128.store(at(c + nn), f64x2.add(v128.load(at(c + nn)), f64x2.add(f64x2.mul(vxr, yi), f64x2.mul(vxi, yr))));
}

/** One entry of C += x y. */
@inline function addTerm(c: i32, nn: i32, xr: f64, xi: f64, yr: f64, yi: f64): void {
  st(c, ld(c) + (xr * yr - xi * yi));
  st(c + nn, ld(c + nn) + (xr * yi + xi * yr));
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
    // rows i and i + 1 of C share the loads of row k of B (each entry still summed in k order)
    let i = 0;
    for (; i + 1 < n; i += 2) axpyPair(C + i * n, C + (i + 1) * n, B + rk, ld(A + rk + i), -ld(A + nn + rk + i), ld(A + rk + i + 1), -ld(A + nn + rk + i + 1), n, nn);
    if (i < n) {
      const xr = ld(A + rk + i);
      const xi = -ld(A + nn + rk + i);
      if (!(xr == 0 && xi == 0)) axpyRow(C + i * n, B + rk, xr, xi, n, nn);
    }
  }
}

/** Row c (re at c, im at c + nn) += x * row b, over j, two lanes at a time. */
@inline function axpyRow(c: i32, b: i32, xr: f64, xi: f64, n: i32, nn: i32): void {
  const vxr = f64x2.splat(xr);
  const vxi = f64x2.splat(xi);
  let j = 0;
  for (; j + 1 < n; j += 2) addTerms(c + j, nn, vxr, vxi, v128.load(at(b + j)), v128.load(at(b + nn + j)));
  if (j < n) addTerm(c + j, nn, xr, xi, ld(b + j), ld(b + nn + j));
}

/** C = A B^H, C known Hermitian (cMulNHHerm); slots 6 n^2 on are scratch. */
export function mulNHHerm(n: i32): void {
  mulNHHermAt(0, 2 * n * n, 4 * n * n, 6 * n * n, n);
}

/**
 * C = A B^H for a Hermitian result: entry (i, j), j <= i, is sum_k A[i][k] conj(B[j][k]) in k
 * order and mirrored above the diagonal. B is first transposed into the scratch S (2 n^2 slots,
 * apart from A, B and C), so that two values of j are adjacent and share the lanes; each lane
 * is the scalar sum, term for term.
 */
function mulNHHermAt(A: i32, B: i32, C: i32, S: i32, n: i32): void {
  const nn = n * n;
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < n; k++) {
      st(S + k * n + j, ld(B + j * n + k));
      st(S + nn + k * n + j, ld(B + nn + j * n + k));
    }
  }
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let j = 0;
    for (; j + 1 <= i; j += 2) {
      let sr = f64x2.splat(0);
      let si = f64x2.splat(0);
      for (let k = 0; k < n; k++) {
        const xr = f64x2.splat(ld(A + ri + k));
        const xi = f64x2.splat(ld(A + nn + ri + k));
        const yr = v128.load(at(S + k * n + j));
        const yi = v128.load(at(S + nn + k * n + j));
        sr = f64x2.add(sr, f64x2.add(f64x2.mul(xr, yr), f64x2.mul(xi, yi)));
        si = f64x2.add(si, f64x2.sub(f64x2.mul(xi, yr), f64x2.mul(xr, yi)));
      }
      hermPair(C, nn, n, i, j, f64x2.extract_lane(sr, 0), f64x2.extract_lane(si, 0));
      hermPair(C, nn, n, i, j + 1, f64x2.extract_lane(sr, 1), f64x2.extract_lane(si, 1));
    }
    if (j <= i) {
      let sr: f64 = 0;
      let si: f64 = 0;
      for (let k = 0; k < n; k++) {
        const xr = ld(A + ri + k);
        const xi = ld(A + nn + ri + k);
        const yr = ld(S + k * n + j);
        const yi = ld(S + nn + k * n + j);
        sr += xr * yr + xi * yi;
        si += xi * yr - xr * yi;
      }
      hermPair(C, nn, n, i, j, sr, si);
    }
    st(C + nn + ri + i, 0);
  }
}

/** C[i][j] = sr + i si and C[j][i] its conjugate. */
@inline function hermPair(C: i32, nn: i32, n: i32, i: i32, j: i32, sr: f64, si: f64): void {
  st(C + i * n + j, sr);
  st(C + nn + i * n + j, si);
  st(C + j * n + i, sr);
  st(C + nn + j * n + i, -si);
}

/** C = A B A^H with B Hermitian (cSandwich: A B into scratch, then times A^H; B's slot is scratch after). */
export function sandwich(n: i32): void {
  const nn = n * n;
  mulAt(0, 2 * nn, 6 * nn, n);
  mulNHHermAt(6 * nn, 0, 4 * nn, 2 * nn, n);
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

// ---- real kernels (src/linalg/real-dense.ts, real-eig.ts): A at 0, B at nn, C at 2 nn ----

/** C = A B (matMul: two rows of C and four rows of B per pass; SIMD over j). */
export function rMul(n: i32): void {
  rMulAt(0, n * n, 2 * n * n, n);
}

function rMulAt(A: i32, B: i32, C: i32, n: i32): void {
  for (let t = 0; t < n * n; t++) st(C + t, 0);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const r0 = i * n;
    const r1 = r0 + n;
    let k = 0;
    for (; k + 3 < n; k += 4) {
      const a00 = ld(A + r0 + k);
      const a01 = ld(A + r0 + k + 1);
      const a02 = ld(A + r0 + k + 2);
      const a03 = ld(A + r0 + k + 3);
      const a10 = ld(A + r1 + k);
      const a11 = ld(A + r1 + k + 1);
      const a12 = ld(A + r1 + k + 2);
      const a13 = ld(A + r1 + k + 3);
      const b0 = B + k * n;
      const b1 = b0 + n;
      const b2 = b1 + n;
      const b3 = b2 + n;
      const v00 = f64x2.splat(a00);
      const v01 = f64x2.splat(a01);
      const v02 = f64x2.splat(a02);
      const v03 = f64x2.splat(a03);
      const v10 = f64x2.splat(a10);
      const v11 = f64x2.splat(a11);
      const v12 = f64x2.splat(a12);
      const v13 = f64x2.splat(a13);
      let j = 0;
      for (; j + 1 < n; j += 2) {
        const x0 = v128.load(at(b0 + j));
        const x1 = v128.load(at(b1 + j));
        const x2 = v128.load(at(b2 + j));
        const x3 = v128.load(at(b3 + j));
        const s0 = f64x2.add(f64x2.add(f64x2.add(f64x2.mul(v00, x0), f64x2.mul(v01, x1)), f64x2.mul(v02, x2)), f64x2.mul(v03, x3));
        const s1 = f64x2.add(f64x2.add(f64x2.add(f64x2.mul(v10, x0), f64x2.mul(v11, x1)), f64x2.mul(v12, x2)), f64x2.mul(v13, x3));
        v128.store(at(C + r0 + j), f64x2.add(v128.load(at(C + r0 + j)), s0));
        v128.store(at(C + r1 + j), f64x2.add(v128.load(at(C + r1 + j)), s1));
      }
      if (j < n) {
        const x0 = ld(b0 + j);
        const x1 = ld(b1 + j);
        const x2 = ld(b2 + j);
        const x3 = ld(b3 + j);
        st(C + r0 + j, ld(C + r0 + j) + (a00 * x0 + a01 * x1 + a02 * x2 + a03 * x3));
        st(C + r1 + j, ld(C + r1 + j) + (a10 * x0 + a11 * x1 + a12 * x2 + a13 * x3));
      }
    }
    for (; k < n; k++) {
      const a0 = ld(A + r0 + k);
      const a1 = ld(A + r1 + k);
      const bk = B + k * n;
      const v0 = f64x2.splat(a0);
      const v1 = f64x2.splat(a1);
      let j = 0;
      for (; j + 1 < n; j += 2) {
        const x = v128.load(at(bk + j));
        v128.store(at(C + r0 + j), f64x2.add(v128.load(at(C + r0 + j)), f64x2.mul(v0, x)));
        v128.store(at(C + r1 + j), f64x2.add(v128.load(at(C + r1 + j)), f64x2.mul(v1, x)));
      }
      if (j < n) {
        const x = ld(bk + j);
        st(C + r0 + j, ld(C + r0 + j) + a0 * x);
        st(C + r1 + j, ld(C + r1 + j) + a1 * x);
      }
    }
  }
  for (; i < n; i++) {
    const ri = i * n;
    for (let k = 0; k < n; k++) {
      const aik = ld(A + ri + k);
      if (aik == 0) continue;
      const rk = B + k * n;
      for (let j = 0; j < n; j++) st(C + ri + j, ld(C + ri + j) + aik * ld(rk + j));
    }
  }
}

/** C = A^T B (matMulTN: four rows of A and B per pass; SIMD over j). */
export function rMulTN(n: i32): void {
  const nn = n * n;
  const A = 0;
  const B = nn;
  const C = 2 * nn;
  for (let t = 0; t < nn; t++) st(C + t, 0);
  let k = 0;
  for (; k + 3 < n; k += 4) {
    const r0 = k * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    for (let i = 0; i < n; i++) {
      const a0 = ld(A + r0 + i);
      const a1 = ld(A + r1 + i);
      const a2 = ld(A + r2 + i);
      const a3 = ld(A + r3 + i);
      if (a0 == 0 && a1 == 0 && a2 == 0 && a3 == 0) continue;
      const ri = C + i * n;
      const v0 = f64x2.splat(a0);
      const v1 = f64x2.splat(a1);
      const v2 = f64x2.splat(a2);
      const v3 = f64x2.splat(a3);
      let j = 0;
      for (; j + 1 < n; j += 2) {
        const s = f64x2.add(
          f64x2.add(f64x2.add(f64x2.mul(v0, v128.load(at(B + r0 + j))), f64x2.mul(v1, v128.load(at(B + r1 + j)))), f64x2.mul(v2, v128.load(at(B + r2 + j)))),
          f64x2.mul(v3, v128.load(at(B + r3 + j))),
        );
        v128.store(at(ri + j), f64x2.add(v128.load(at(ri + j)), s));
      }
      if (j < n) st(ri + j, ld(ri + j) + (a0 * ld(B + r0 + j) + a1 * ld(B + r1 + j) + a2 * ld(B + r2 + j) + a3 * ld(B + r3 + j)));
    }
  }
  for (; k < n; k++) {
    const rk = k * n;
    for (let i = 0; i < n; i++) {
      const aki = ld(A + rk + i);
      if (aki == 0) continue;
      const ri = C + i * n;
      for (let j = 0; j < n; j++) st(ri + j, ld(ri + j) + aki * ld(B + rk + j));
    }
  }
}

/** Dot product of two rows (length n) with four accumulators (real-dense.ts rowDot). */
function rowDot(ra: i32, rb: i32, n: i32): f64 {
  let s0: f64 = 0;
  let s1: f64 = 0;
  let s2: f64 = 0;
  let s3: f64 = 0;
  let k = 0;
  for (; k + 3 < n; k += 4) {
    s0 += ld(ra + k) * ld(rb + k);
    s1 += ld(ra + k + 1) * ld(rb + k + 1);
    s2 += ld(ra + k + 2) * ld(rb + k + 2);
    s3 += ld(ra + k + 3) * ld(rb + k + 3);
  }
  for (; k < n; k++) s0 += ld(ra + k) * ld(rb + k);
  return s0 + s1 + s2 + s3;
}

/** C = A B^T (matMulNT). */
export function rMulNT(n: i32): void {
  const nn = n * n;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) st(2 * nn + i * n + j, rowDot(i * n, nn + j * n, n));
}

/** C = A B^T known symmetric (matMulNTSym: 2 x 2 blocks of dot products, j <= i). */
export function rMulNTSym(n: i32): void {
  rMulNTSymAt(0, n * n, 2 * n * n, n);
}

function rMulNTSymAt(A: i32, B: i32, C: i32, n: i32): void {
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const ra0 = i * n;
    const ra1 = ra0 + n;
    for (let j = 0; j <= i; j += 2) {
      const rb0 = j * n;
      const rb1 = rb0 + n;
      let s00: f64 = 0;
      let s01: f64 = 0;
      let s10: f64 = 0;
      let s11: f64 = 0;
      for (let k = 0; k < n; k++) {
        const x0 = ld(A + ra0 + k);
        const x1 = ld(A + ra1 + k);
        const y0 = ld(B + rb0 + k);
        const y1 = ld(B + rb1 + k);
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      st(C + ra0 + j, s00);
      st(C + rb0 + i, s00);
      st(C + ra1 + j, s10);
      st(C + rb0 + i + 1, s10);
      st(C + ra0 + j + 1, s01);
      st(C + rb1 + i, s01);
      st(C + ra1 + j + 1, s11);
      st(C + rb1 + i + 1, s11);
    }
  }
  for (; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = rowDot(A + i * n, B + j * n, n);
      st(C + i * n + j, v);
      st(C + j * n + i, v);
    }
  }
}

/** C = P S P^T with S symmetric (real-dense.ts sandwich: P S into scratch, then times P^T). */
export function rSandwich(n: i32): void {
  const nn = n * n;
  rMulAt(0, nn, 3 * nn, n);
  rMulNTSymAt(3 * nn, 0, 2 * nn, n);
}

/** In-place Cholesky A = L L^T (real-dense.ts cholesky); 1 when positive definite, else 0. */
export function rChol(n: i32): i32 {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = ld(ri + j);
      let k = 0;
      for (; k + 3 < j; k += 4) {
        s -= ld(ri + k) * ld(rj + k) + ld(ri + k + 1) * ld(rj + k + 1) + ld(ri + k + 2) * ld(rj + k + 2) + ld(ri + k + 3) * ld(rj + k + 3);
      }
      for (; k < j; k++) s -= ld(ri + k) * ld(rj + k);
      if (j < i) {
        st(ri + j, s / ld(rj + j));
      } else {
        if (!(s > 0)) return 0;
        st(ri + i, sqrt<f64>(s));
      }
    }
    for (let j = i + 1; j < n; j++) st(ri + j, 0);
  }
  return 1;
}

/**
 * Symmetric eigen-decomposition (real-eig.ts eigSym) of A at 0 (lower triangle read): V (rows
 * are eigenvectors when `vectors`) at nn, d at 2 nn, e at 2 nn + n. 1 on success, 0 on failure.
 */
export function rEig(n: i32, vectors: i32): i32 {
  const nn = n * n;
  const V = nn;
  const D = 2 * nn;
  const E = D + n;
  if (n == 0) return 1;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const x = ld(i * n + j);
      st(V + i * n + j, x);
      st(V + j * n + i, x);
    }
  }
  const scaled = scaleUpTiny(V, nn);
  tred2(V, D, E, n, vectors);
  if (vectors) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        const t = ld(V + i * n + j);
        st(V + i * n + j, ld(V + j * n + i));
        st(V + j * n + i, t);
      }
    }
  }
  if (!tql2(V, D, E, n, vectors)) return 0;
  if (scaled) for (let i = 0; i < n; i++) st(D + i, ld(D + i) * DOWN);
  return 1;
}

function tred2(V: i32, d: i32, e: i32, n: i32, vectors: i32): void {
  for (let j = 0; j < n; j++) st(d + j, ld(V + (n - 1) * n + j));
  for (let i = n - 1; i > 0; i--) {
    let scale: f64 = 0;
    let h: f64 = 0;
    for (let k = 0; k < i; k++) scale += abs<f64>(ld(d + k));
    if (scale == 0) {
      st(e + i, ld(d + i - 1));
      for (let j = 0; j < i; j++) {
        st(d + j, ld(V + (i - 1) * n + j));
        st(V + i * n + j, 0);
        st(V + j * n + i, 0);
      }
    } else {
      for (let k = 0; k < i; k++) {
        const x = ld(d + k) / scale;
        st(d + k, x);
        h += x * x;
      }
      let f = ld(d + i - 1);
      let g = sqrt<f64>(h);
      if (f > 0) g = -g;
      st(e + i, scale * g);
      h -= f * g;
      st(d + i - 1, f - g);
      // e = A d on the leading i x i block (A's lower triangle), row by row: row k's entries
      // before its diagonal give e_k (summed from 0 in column order, as real-eig.ts' loop adds
      // them into e_k), then its diagonal, then each of them adds to e_j (j < k) in row order,
      // two j per lane pair: each e_j is the same sum in the same order as before
      for (let k = 0; k < i; k++) {
        const row = V + k * n;
        const dk = ld(d + k);
        st(row + i, dk);
        let r: f64 = 0;
        for (let c = 0; c < k; c++) r += ld(row + c) * ld(d + c);
        st(e + k, r + ld(row + k) * dk);
        const vdk = f64x2.splat(dk);
        let j = 0;
        for (; j + 1 < k; j += 2) v128.store(at(e + j), f64x2.add(v128.load(at(e + j)), f64x2.mul(v128.load(at(row + j)), vdk)));
        for (; j < k; j++) st(e + j, ld(e + j) + ld(row + j) * dk);
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        const x = ld(e + j) / h;
        st(e + j, x);
        f += x * ld(d + j);
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) st(e + j, ld(e + j) - hh * ld(d + j));
      // the rank-2 update V_kj -= d_j e_k + e_j d_k (k >= j) row by row, two j per lane pair:
      // each entry is the same expression as real-eig.ts' column by column (no entry reads
      // another), and d is overwritten only after it
      for (let k = 0; k < i; k++) {
        const ek = ld(e + k);
        const dk = ld(d + k);
        const vek = f64x2.splat(ek);
        const vdk = f64x2.splat(dk);
        const row = V + k * n;
        let j = 0;
        for (; j + 1 <= k; j += 2) {
          const upd = f64x2.add(f64x2.mul(v128.load(at(d + j)), vek), f64x2.mul(v128.load(at(e + j)), vdk));
          v128.store(at(row + j), f64x2.sub(v128.load(at(row + j)), upd));
        }
        for (; j <= k; j++) st(row + j, ld(row + j) - (ld(d + j) * ek + ld(e + j) * dk));
      }
      for (let j = 0; j < i; j++) {
        st(d + j, ld(V + (i - 1) * n + j));
        st(V + i * n + j, 0);
      }
    }
    st(d + i, h);
  }
  if (vectors) {
    for (let i = 0; i < n - 1; i++) {
      st(V + (n - 1) * n + i, ld(V + i * n + i));
      st(V + i * n + i, 1);
      const h = ld(d + i + 1);
      if (h != 0) {
        for (let k = 0; k <= i; k++) st(d + k, ld(V + k * n + i + 1) / h);
        // columns j, j + 1 together: g_j reads columns j and i + 1 only, which the updates of
        // the columns before it leave alone, so each sum and entry is real-eig.ts' own
        let j = 0;
        for (; j + 1 <= i; j += 2) {
          let g = f64x2.splat(0);
          for (let k = 0; k <= i; k++) g = f64x2.add(g, f64x2.mul(f64x2.splat(ld(V + k * n + i + 1)), v128.load(at(V + k * n + j))));
          for (let k = 0; k <= i; k++) {
            const a = V + k * n + j;
            v128.store(at(a), f64x2.sub(v128.load(at(a)), f64x2.mul(g, f64x2.splat(ld(d + k)))));
          }
        }
        for (; j <= i; j++) {
          let g: f64 = 0;
          for (let k = 0; k <= i; k++) g += ld(V + k * n + i + 1) * ld(V + k * n + j);
          for (let k = 0; k <= i; k++) st(V + k * n + j, ld(V + k * n + j) - g * ld(d + k));
        }
      }
      for (let k = 0; k <= i; k++) st(V + k * n + i + 1, 0);
    }
    for (let j = 0; j < n; j++) {
      st(d + j, ld(V + (n - 1) * n + j));
      st(V + (n - 1) * n + j, 0);
    }
    st(V + (n - 1) * n + n - 1, 1);
  } else {
    for (let j = 0; j < n; j++) st(d + j, ld(V + j * n + j));
  }
  st(e, 0);
}

// ---------------------------------------------------------------------------------------
// The normal equations M dy = r of the interior-point loop (src/conic/kkt.ts) and the
// projection's A A^T (kkt.ts AAtSolver): the twins of NormalEquations.factor / solve /
// precond, PatternCholesky.factor / solve (src/linalg/pattern-cholesky.ts) and
// choleskyNormal / cholSolve (src/linalg/real-dense.ts), operation for operation.
// These run in an instance of their own (src/linalg/wasm-normal.ts), which lays the arrays
// out and passes their byte offsets once (neLayout): i32 arrays for the patterns, f64 for
// the rest. Bit for bit the TypeScript results: test/linalg/wasm-normal.test.ts.

@inline function gi(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}
@inline function gf(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
@inline function sf(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}
@inline function si(p: usize, i: i32, v: i32): void {
  store<i32>(p + (<usize>i << 2), v);
}

let NE_M: i32 = 0;
let NE_SPARSE: i32 = 0;
let NE_PERM: usize = 0;
let NE_ROWPTR: usize = 0;
let NE_COLS: usize = 0;
let NE_MROWPTR: usize = 0;
let NE_MCOLS: usize = 0;
let NE_TWINS: usize = 0;
let NE_MAT: usize = 0;
let NE_L: usize = 0;
let NE_W: usize = 0;
let NE_R: usize = 0;
let NE_D: usize = 0;
let NE_X: usize = 0;
let NE_B: usize = 0;
/** The last neSolve / nePrecond's triangular solve pairs and products with M: exported globals, read as properties (no call). */
export let NE_SOLVES: i32 = 0;
export let NE_MATVECS: i32 = 0;

/** Where the arrays of the current NormalEquations are (byte offsets; twins: one i32 per row pair). */
export function neLayout(
  m: i32,
  sparse: i32,
  perm: usize,
  rowPtr: usize,
  cols: usize,
  mRowPtr: usize,
  mCols: usize,
  twins: usize,
  M: usize,
  L: usize,
  w: usize,
  r: usize,
  d: usize,
  x: usize,
  b: usize,
): void {
  NE_M = m;
  NE_SPARSE = sparse;
  NE_PERM = perm;
  NE_ROWPTR = rowPtr;
  NE_COLS = cols;
  NE_MROWPTR = mRowPtr;
  NE_MCOLS = mCols;
  NE_TWINS = twins;
  NE_MAT = M;
  NE_L = L;
  NE_W = w;
  NE_R = r;
  NE_D = d;
  NE_X = x;
  NE_B = b;
}


/** NormalEquations.factor after the builder: the number of replaced pivots, or -1 when it broke down. */
export function neFactor(regRel: f64): i32 {
  const m = NE_M;
  const M = NE_MAT;
  if (NE_SPARSE) {
    for (let i = 0; i < m; i++) {
      const end = gi(NE_MROWPTR, i + 1);
      for (let t = gi(NE_MROWPTR, i); t < end; t++) {
        const j = gi(NE_MCOLS, t);
        if (j >= i) break;
        sf(M, j * m + i, gf(M, i * m + j));
      }
    }
    let maxDiag: f64 = 0;
    for (let i = 0; i < m; i++) maxDiag = max<f64>(maxDiag, gf(M, i * m + i));
    if (!isFinite<f64>(maxDiag)) return -1;
    return pcFactor(1e-14, regRel * max<f64>(maxDiag, 1e-300));
  }
  for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) sf(M, j * m + i, gf(M, i * m + j));
  memory.copy(NE_L, M, <usize>m * <usize>m * 8);
  const L = NE_L;
  let maxDiag: f64 = 0;
  for (let i = 0; i < m; i++) maxDiag = max<f64>(maxDiag, gf(M, i * m + i));
  if (!isFinite<f64>(maxDiag)) return -1;
  const delta = regRel * max<f64>(maxDiag, 1e-300);
  for (let i = 0; i < m; i++) sf(L, i * m + i, gf(L, i * m + i) + delta);
  return cholNormalAt(L, m, 1e-14);
}

/** PatternCholesky.factor on NE_MAT into NE_L. */
function pcFactor(tiny: f64, delta: f64): i32 {
  const m = NE_M;
  const M = NE_MAT;
  const L = NE_L;
  let maxDiag: f64 = 0;
  for (let i = 0; i < m; i++) maxDiag = max<f64>(maxDiag, abs<f64>(gf(M, i * m + i) + delta));
  if (!isFinite<f64>(maxDiag)) return -1;
  const floor: f64 = 1e-300 + 1e-30 * maxDiag;
  for (let i = 0; i < m; i++) {
    const ri = i * m;
    const pi = gi(NE_PERM, i);
    const end = gi(NE_ROWPTR, i + 1);
    for (let t = gi(NE_ROWPTR, i); t < end; t++) {
      const c = gi(NE_COLS, t);
      const pj = gi(NE_PERM, c);
      sf(L, ri + c, pi > pj ? gf(M, pi * m + pj) : gf(M, pj * m + pi));
    }
    sf(L, ri + i, gf(M, pi * m + pi) + delta);
    sf(NE_W, i, gf(L, ri + i));
  }
  return pcUpLooking(tiny, floor);
}

function pcUpLooking(tiny: f64, floor: f64): i32 {
  const m = NE_M;
  let fixed = 0;
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const lastIsI = pcRowPair(i);
    const a = pcPivot(i, tiny * gf(NE_W, i) + floor);
    if (a < 0) return -1;
    if (lastIsI) pcEntry((i + 1) * m, i);
    const b = pcPivot(i + 1, tiny * gf(NE_W, i + 1) + floor);
    if (b < 0) return -1;
    fixed += a + b;
  }
  if (i < m) {
    const end = gi(NE_ROWPTR, i + 1);
    for (let t = gi(NE_ROWPTR, i); t < end; t++) pcEntry(i * m, gi(NE_COLS, t));
    const a = pcPivot(i, tiny * gf(NE_W, i) + floor);
    if (a < 0) return -1;
    fixed += a;
  }
  return fixed;
}

@inline function pcPairEnd(i: i32): i32 {
  const end = gi(NE_ROWPTR, i + 2);
  return end > gi(NE_ROWPTR, i + 1) && gi(NE_COLS, end - 1) == i ? end - 1 : end;
}

function pcRowPair(i: i32): bool {
  const m = NE_M;
  const L = NE_L;
  const cols = NE_COLS;
  const ri = i * m;
  const ri1 = ri + m;
  let t = gi(NE_ROWPTR, i);
  const tEnd = gi(NE_ROWPTR, i + 1);
  let v = gi(NE_ROWPTR, i + 1);
  const vEnd = pcPairEnd(i);
  const lastIsI = vEnd < gi(NE_ROWPTR, i + 2);
  while (t < tEnd || v < vEnd) {
    const ja = t < tEnd ? gi(cols, t) : m;
    const jb = v < vEnd ? gi(cols, v) : m;
    if (ja == jb) {
      const rj = ja * m;
      let sa = gf(L, ri + ja);
      let sb = gf(L, ri1 + ja);
      const u1 = gi(NE_ROWPTR, ja + 1);
      for (let u = gi(NE_ROWPTR, ja); u < u1; u++) {
        const k = gi(cols, u);
        const ljk = gf(L, rj + k);
        sa -= gf(L, ri + k) * ljk;
        sb -= gf(L, ri1 + k) * ljk;
      }
      const d = gf(L, rj + ja);
      sf(L, ri + ja, sa / d);
      sf(L, ri1 + ja, sb / d);
      t++;
      v++;
    } else if (ja < jb) {
      pcEntry(ri, ja);
      t++;
    } else {
      pcEntry(ri1, jb);
      v++;
    }
  }
  return lastIsI;
}

function pcEntry(ri: i32, j: i32): void {
  const m = NE_M;
  const L = NE_L;
  const rj = j * m;
  let s = gf(L, ri + j);
  const u1 = gi(NE_ROWPTR, j + 1);
  for (let u = gi(NE_ROWPTR, j); u < u1; u++) {
    const k = gi(NE_COLS, u);
    s -= gf(L, ri + k) * gf(L, rj + k);
  }
  sf(L, ri + j, s / gf(L, rj + j));
}

function pcPivot(i: i32, threshold: f64): i32 {
  const m = NE_M;
  const L = NE_L;
  const ri = i * m;
  let s = gf(L, ri + i);
  const end = gi(NE_ROWPTR, i + 1);
  for (let t = gi(NE_ROWPTR, i); t < end; t++) {
    const v = gf(L, ri + gi(NE_COLS, t));
    s -= v * v;
  }
  if (!isFinite<f64>(s)) return -1;
  if (!(s > threshold)) {
    sf(L, ri + i, 1e64);
    return 1;
  }
  sf(L, ri + i, sqrt<f64>(s));
  return 0;
}

/** PatternCholesky.solve on the vector at b. */
function pcSolve(b: usize): void {
  const m = NE_M;
  const w = NE_W;
  for (let i = 0; i < m; i++) sf(w, i, gf(b, gi(NE_PERM, i)));
  let i = 0;
  for (; i + 1 < m; i += 2) pcForwardPair(i);
  if (i < m) pcForwardRow(i);
  i = m - 1;
  for (; i >= 1; i -= 2) pcBackwardPair(i);
  if (i == 0) pcBackwardRow(0);
  for (let j = 0; j < m; j++) sf(b, gi(NE_PERM, j), gf(w, j));
}

function pcForwardRow(i: i32): void {
  const m = NE_M;
  const L = NE_L;
  const w = NE_W;
  const ri = i * m;
  let s = gf(w, i);
  const end = gi(NE_ROWPTR, i + 1);
  for (let t = gi(NE_ROWPTR, i); t < end; t++) {
    const k = gi(NE_COLS, t);
    s -= gf(L, ri + k) * gf(w, k);
  }
  sf(w, i, s / gf(L, ri + i));
}

function pcForwardPair(i: i32): void {
  const m = NE_M;
  const L = NE_L;
  const w = NE_W;
  const cols = NE_COLS;
  const ri = i * m;
  const ri1 = ri + m;
  let s0 = gf(w, i);
  let s1 = gf(w, i + 1);
  let t = gi(NE_ROWPTR, i);
  const tEnd = gi(NE_ROWPTR, i + 1);
  let v = gi(NE_ROWPTR, i + 1);
  const vEnd = pcPairEnd(i);
  const lastIsI = vEnd < gi(NE_ROWPTR, i + 2);
  while (t < tEnd && v < vEnd) {
    const ja = gi(cols, t);
    const jb = gi(cols, v);
    if (ja == jb) {
      const wk = gf(w, ja);
      s0 -= gf(L, ri + ja) * wk;
      s1 -= gf(L, ri1 + ja) * wk;
      t++;
      v++;
    } else if (ja < jb) {
      s0 -= gf(L, ri + ja) * gf(w, ja);
      t++;
    } else {
      s1 -= gf(L, ri1 + jb) * gf(w, jb);
      v++;
    }
  }
  for (; t < tEnd; t++) s0 -= gf(L, ri + gi(cols, t)) * gf(w, gi(cols, t));
  for (; v < vEnd; v++) s1 -= gf(L, ri1 + gi(cols, v)) * gf(w, gi(cols, v));
  const wi = s0 / gf(L, ri + i);
  sf(w, i, wi);
  if (lastIsI) s1 -= gf(L, ri1 + i) * wi;
  sf(w, i + 1, s1 / gf(L, ri1 + i + 1));
}

function pcBackwardRow(i: i32): void {
  const m = NE_M;
  const L = NE_L;
  const w = NE_W;
  const ri = i * m;
  const s = gf(w, i) / gf(L, ri + i);
  sf(w, i, s);
  if (s != 0) {
    const end = gi(NE_ROWPTR, i + 1);
    for (let t = gi(NE_ROWPTR, i); t < end; t++) {
      const k = gi(NE_COLS, t);
      sf(w, k, gf(w, k) - gf(L, ri + k) * s);
    }
  }
}

function pcBackwardPair(i: i32): void {
  const m = NE_M;
  const L = NE_L;
  const w = NE_W;
  const cols = NE_COLS;
  const ri = i * m;
  const ri0 = ri - m;
  const si = gf(w, i) / gf(L, ri + i);
  sf(w, i, si);
  let t = gi(NE_ROWPTR, i);
  const tEnd = pcPairEnd(i - 1);
  if (tEnd < gi(NE_ROWPTR, i + 1) && si != 0) sf(w, i - 1, gf(w, i - 1) - gf(L, ri + i - 1) * si);
  const s0 = gf(w, i - 1) / gf(L, ri0 + i - 1);
  sf(w, i - 1, s0);
  const useI = si != 0;
  const use0 = s0 != 0;
  let v = gi(NE_ROWPTR, i - 1);
  const vEnd = use0 ? gi(NE_ROWPTR, i) : v;
  if (!useI) t = tEnd;
  while (t < tEnd && v < vEnd) {
    const ja = gi(cols, t);
    const jb = gi(cols, v);
    if (ja == jb) {
      sf(w, ja, gf(w, ja) - gf(L, ri + ja) * si - gf(L, ri0 + ja) * s0);
      t++;
      v++;
    } else if (ja < jb) {
      sf(w, ja, gf(w, ja) - gf(L, ri + ja) * si);
      t++;
    } else {
      sf(w, jb, gf(w, jb) - gf(L, ri0 + jb) * s0);
      v++;
    }
  }
  for (; t < tEnd; t++) sf(w, gi(cols, t), gf(w, gi(cols, t)) - gf(L, ri + gi(cols, t)) * si);
  for (; v < vEnd; v++) sf(w, gi(cols, v), gf(w, gi(cols, v)) - gf(L, ri0 + gi(cols, v)) * s0);
}

/** NormalEquations.cholSolve: the vector at b in place, with the last factorisation. */
function neCholSolve(b: usize): void {
  NE_SOLVES++;
  if (NE_SPARSE) pcSolve(b);
  else cholSolveAt(NE_L, NE_M, b);
}

/** NormalEquations.precond: z = (L L^T)^{-1} r on NE_X in place. */
export function nePrecond(): void {
  NE_SOLVES = 0;
  neCholSolve(NE_X);
}

/** NormalEquations.mulM: y = M x (NE_MAT mirrored by neFactor). */
function neMulM(x: usize, y: usize): void {
  NE_MATVECS++;
  const m = NE_M;
  const M = NE_MAT;
  if (NE_SPARSE) {
    for (let i = 0; i < m; i++) {
      const ri = i * m;
      const end = gi(NE_MROWPTR, i + 1);
      // the last row of an odd order has no pair (TypeScript reads undefined past twins: not a twin)
      if ((i & 1) == 0 && i + 1 < m && gi(NE_TWINS, i >> 1) == 1) {
        const ri1 = ri + m;
        let s0: f64 = 0;
        let s1: f64 = 0;
        for (let t = gi(NE_MROWPTR, i); t < end; t++) {
          const j = gi(NE_MCOLS, t);
          const xj = gf(x, j);
          s0 += gf(M, ri + j) * xj;
          s1 += gf(M, ri1 + j) * xj;
        }
        sf(y, i, s0);
        sf(y, i + 1, s1);
        i++;
        continue;
      }
      let s: f64 = 0;
      for (let t = gi(NE_MROWPTR, i); t < end; t++) s += gf(M, ri + gi(NE_MCOLS, t)) * gf(x, gi(NE_MCOLS, t));
      sf(y, i, s);
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    const ri = i * m;
    let s: f64 = 0;
    for (let j = 0; j < i; j++) s += gf(M, ri + j) * gf(x, j);
    let t = s + gf(M, ri + i) * gf(x, i);
    for (let j = i + 1; j < m; j++) t += gf(M, ri + j) * gf(x, j);
    sf(y, i, t);
  }
}

/** NormalEquations.solve: M x = b (NE_B into NE_X) with up to `refine` refinement steps. */
export function neSolve(refine: i32): void {
  NE_SOLVES = 0;
  NE_MATVECS = 0;
  const m = NE_M;
  const x = NE_X;
  const b = NE_B;
  const r = NE_R;
  const d = NE_D;
  memory.copy(x, b, <usize>m << 3);
  neCholSolve(x);
  let prev: f64 = Infinity;
  for (let it = 0; it < refine; it++) {
    neMulM(x, r);
    let nr: f64 = 0;
    for (let i = 0; i < m; i++) {
      const ri = gf(b, i) - gf(r, i);
      sf(r, i, ri);
      nr += ri * ri;
    }
    if (!(nr < prev)) {
      if (it > 0) for (let i = 0; i < m; i++) sf(x, i, gf(x, i) - gf(d, i));
      break;
    }
    if (nr == 0) break;
    prev = nr;
    memory.copy(d, r, <usize>m << 3);
    neCholSolve(d);
    for (let i = 0; i < m; i++) sf(x, i, gf(x, i) + gf(d, i));
  }
}

/** choleskyNormal (rowRel) on the n x n matrix at a. */
export function cholNormalAt(a: usize, n: i32, tiny: f64): i32 {
  let maxDiag: f64 = 0;
  for (let i = 0; i < n; i++) maxDiag = max<f64>(maxDiag, abs<f64>(gf(a, i * n + i)));
  if (!isFinite<f64>(maxDiag)) return -1;
  const floor: f64 = 1e-300 + 1e-30 * maxDiag;
  let fixed = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const r0 = i * n;
    const r1 = r0 + n;
    for (let j = 0; j < i; j++) {
      const rj = j * n;
      let s0 = gf(a, r0 + j);
      let s1 = gf(a, r1 + j);
      let k = 0;
      for (; k + 1 < j; k += 2) {
        const l0 = gf(a, rj + k);
        const l1 = gf(a, rj + k + 1);
        s0 -= gf(a, r0 + k) * l0 + gf(a, r0 + k + 1) * l1;
        s1 -= gf(a, r1 + k) * l0 + gf(a, r1 + k + 1) * l1;
      }
      for (; k < j; k++) {
        s0 -= gf(a, r0 + k) * gf(a, rj + k);
        s1 -= gf(a, r1 + k) * gf(a, rj + k);
      }
      const d = gf(a, rj + j);
      sf(a, r0 + j, s0 / d);
      sf(a, r1 + j, s1 / d);
    }
    let s = gf(a, r0 + i);
    const th0 = tiny * gf(a, r0 + i) + floor;
    const th1 = tiny * gf(a, r1 + i + 1) + floor;
    for (let k = 0; k < i; k++) s -= gf(a, r0 + k) * gf(a, r0 + k);
    if (!(s > th0)) {
      sf(a, r0 + i, 1e64);
      fixed++;
    } else sf(a, r0 + i, sqrt<f64>(s));
    let t = gf(a, r1 + i);
    for (let k = 0; k < i; k++) t -= gf(a, r1 + k) * gf(a, r0 + k);
    sf(a, r1 + i, t / gf(a, r0 + i));
    let u = gf(a, r1 + i + 1);
    for (let k = 0; k <= i; k++) u -= gf(a, r1 + k) * gf(a, r1 + k);
    if (!(u > th1)) {
      sf(a, r1 + i + 1, 1e64);
      fixed++;
    } else sf(a, r1 + i + 1, sqrt<f64>(u));
  }
  for (; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j < i; j++) {
      const rj = j * n;
      let s = gf(a, ri + j);
      for (let k = 0; k < j; k++) s -= gf(a, ri + k) * gf(a, rj + k);
      sf(a, ri + j, s / gf(a, rj + j));
    }
    let s = gf(a, ri + i);
    const th = tiny * s + floor;
    for (let k = 0; k < i; k++) s -= gf(a, ri + k) * gf(a, ri + k);
    if (!(s > th)) {
      sf(a, ri + i, 1e64);
      fixed++;
    } else sf(a, ri + i, sqrt<f64>(s));
  }
  for (let r = 0; r < n; r++) if (!isFinite<f64>(gf(a, r * n + r))) return -1;
  return fixed;
}

/** cholSolve: L L^T x = b in place on the vector at b (L at l, n x n row-major lower). */
function cholSolveAt(l: usize, n: i32, b: usize): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = gf(b, i);
    for (let k = 0; k < i; k++) s -= gf(l, ri + k) * gf(b, k);
    sf(b, i, s / gf(l, ri + i));
  }
  for (let i = n - 1; i >= 0; i--) {
    const s = gf(b, i) / gf(l, i * n + i);
    sf(b, i, s);
    if (s != 0) for (let k = 0; k < i; k++) sf(b, k, gf(b, k) - gf(l, i * n + k) * s);
  }
}

/** real-dense.ts cholSolve: b = (L L^T)^{-1} b in place, L the n x n factor at l (byte offsets). */
export function cholSolveIn(l: usize, n: i32, b: usize): void {
  cholSolveAt(l, n, b);
}

/** AAtSolver.create's product: the lower triangle of A A^T (A^T in CSC: colPtr, rowIdx, values) into the zeroed m x m L. */
export function aatLower(n: i32, m: i32, colPtr: usize, rowIdx: usize, values: usize, L: usize): void {
  for (let j = 0; j < n; j++) {
    const c1 = gi(colPtr, j + 1);
    const c0 = gi(colPtr, j);
    for (let a = c0; a < c1; a++) {
      const base = gi(rowIdx, a) * m;
      const va = gf(values, a);
      for (let b = c0; b <= a; b++) {
        const k = base + gi(rowIdx, b);
        sf(L, k, gf(L, k) + va * gf(values, b));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// The matrix cones' part of the Schur complement M = A D A^T (src/conic/schur.ts psdBlock,
// src/conic/schur-hermitian.ts HermitianBlockSchur.build), added to NE_MAT: the twins,
// operation for operation. src/conic/schur-program.ts writes each block as a header and
// row table in an i32 pool and its values, scaling point and workspaces in an f64 pool;
// offsets inside the pools are relative to the pool's base (ib, fb: byte addresses).

@inline function addM(i: i32, j: i32, v: f64): void {
  const k = i >= j ? i * NE_M + j : j * NE_M + i;
  sf(NE_MAT, k, gf(NE_MAT, k) + v);
}
@inline function fp(fb: usize, off: i32): usize {
  return fb + (<usize>off << 3);
}
@inline function ip(ib: usize, off: i32): usize {
  return ib + (<usize>off << 2);
}

/** Real block row table: 13 i32 per row after an 8-slot header (schur-program.ts). */
const PR = 13;

/** H = A_i G on the rows A_i touches (sparseTimesG), into work. */
function psdTimesG(ib: usize, fb: usize, ra: i32, G: usize, N: i32, H: usize): void {
  const nnz = gi(ib, ra + 2);
  const p = ip(ib, gi(ib, ra + 3));
  const q = ip(ib, gi(ib, ra + 4));
  const v = fp(fb, gi(ib, ra + 5));
  const nr = gi(ib, ra + 6);
  const ps = ip(ib, gi(ib, ra + 8));
  const qs = ip(ib, gi(ib, ra + 9));
  memory.fill(H, 0, <usize>(nr * N) << 3);
  for (let e = 0; e < nnz; e++) {
    const ve = gf(v, e);
    const hp = gi(ps, e) * N;
    const hq = gi(qs, e) * N;
    const gp = gi(p, e) * N;
    const gq = gi(q, e) * N;
    for (let t = 0; t < N; t++) {
      sf(H, hp + t, gf(H, hp + t) + ve * gf(G, gq + t));
      sf(H, hq + t, gf(H, hq + t) + ve * gf(G, gp + t));
    }
  }
}

/** schur.ts psdBlock: one real (or embedded Hermitian) block's rows, header at i32 slot hdr. */
export function sbPsd(ib: usize, fb: usize, hdr: i32): void {
  const N = gi(ib, hdr);
  const R = gi(ib, hdr + 1);
  const G = fp(fb, gi(ib, hdr + 2));
  const work = fp(fb, gi(ib, hdr + 3));
  const work2 = fp(fb, gi(ib, hdr + 4));
  const scale = gf(fb, gi(ib, hdr + 5));
  for (let a = 0; a < R; a++) {
    const ra = hdr + 8 + PR * a;
    const i = gi(ib, ra);
    const strategy = gi(ib, ra + 1);
    if (strategy == 0) {
      const rank = gi(ib, ra + 10);
      const lrVec = fp(fb, gi(ib, ra + 11));
      const lrW = fp(fb, gi(ib, ra + 12));
      const U = work;
      for (let r = 0; r < rank; r++) {
        for (let s = 0; s < N; s++) {
          let acc: f64 = 0;
          for (let t = 0; t < N; t++) acc += gf(G, s * N + t) * gf(lrVec, r * N + t);
          sf(U, r * N + s, acc);
        }
      }
      for (let b = a; b < R; b++) {
        const rb = hdr + 8 + PR * b;
        let sum: f64 = 0;
        const rankB = gi(ib, rb + 10);
        if (rankB > 0) {
          const vecB = fp(fb, gi(ib, rb + 11));
          const wB = fp(fb, gi(ib, rb + 12));
          for (let r = 0; r < rank; r++) {
            const wr = gf(lrW, r);
            for (let s = 0; s < rankB; s++) {
              let d: f64 = 0;
              for (let t = 0; t < N; t++) d += gf(U, r * N + t) * gf(vecB, s * N + t);
              sum += wr * gf(wB, s) * d * d;
            }
          }
        } else {
          const nnz = gi(ib, rb + 2);
          const p = ip(ib, gi(ib, rb + 3));
          const q = ip(ib, gi(ib, rb + 4));
          const v = fp(fb, gi(ib, rb + 5));
          for (let r = 0; r < rank; r++) {
            let acc: f64 = 0;
            const o = r * N;
            for (let e = 0; e < nnz; e++) acc += gf(v, e) * gf(U, o + gi(p, e)) * gf(U, o + gi(q, e));
            sum += 2 * gf(lrW, r) * acc;
          }
        }
        addM(i, gi(ib, rb), scale * sum);
      }
    } else if (strategy == 1) {
      // densePGAG: upper triangle of P = G A_i G into work2
      const nr = gi(ib, ra + 6);
      const tr = ip(ib, gi(ib, ra + 7));
      psdTimesG(ib, fb, ra, G, N, work);
      const Pm = work2;
      memory.fill(Pm, 0, <usize>(N * N) << 3);
      for (let t = 0; t < nr; t++) {
        const gt = gi(tr, t) * N;
        const ht = t * N;
        for (let r = 0; r < N; r++) {
          const g = gf(G, gt + r);
          if (g == 0) continue;
          const pr = r * N;
          for (let s = r; s < N; s++) sf(Pm, pr + s, gf(Pm, pr + s) + g * gf(work, ht + s));
        }
      }
      for (let b = a; b < R; b++) {
        const rb = hdr + 8 + PR * b;
        const nnz = gi(ib, rb + 2);
        const p = ip(ib, gi(ib, rb + 3));
        const q = ip(ib, gi(ib, rb + 4));
        const v = fp(fb, gi(ib, rb + 5));
        let acc: f64 = 0;
        for (let e = 0; e < nnz; e++) acc += gf(v, e) * gf(Pm, gi(p, e) * N + gi(q, e));
        addM(i, gi(ib, rb), 2 * scale * acc);
      }
    } else {
      const nr = gi(ib, ra + 6);
      const tr = ip(ib, gi(ib, ra + 7));
      const H = work;
      psdTimesG(ib, fb, ra, G, N, H);
      for (let b = a; b < R; b++) {
        const rb = hdr + 8 + PR * b;
        const nnz = gi(ib, rb + 2);
        const p = ip(ib, gi(ib, rb + 3));
        const q = ip(ib, gi(ib, rb + 4));
        const v = fp(fb, gi(ib, rb + 5));
        let acc: f64 = 0;
        for (let f = 0; f < nnz; f++) {
          const pp = gi(p, f);
          const qq = gi(q, f);
          let s: f64 = 0;
          for (let t = 0; t < nr; t++) s += gf(G, gi(tr, t) * N + pp) * gf(H, t * N + qq);
          acc += gf(v, f) * s;
        }
        addM(i, gi(ib, rb), 2 * scale * acc);
      }
    }
  }
}

/** Hermitian block row table: 12 i32 per row after a 20-slot header (schur-program.ts). */
const HR = 12;

/** schur-hermitian.ts HermitianBlockSchur.build: one native Hermitian block, header at i32 slot hdr. */
export function sbHerm(ib: usize, fb: usize, hdr: i32): void {
  const n = gi(ib, hdr);
  const R = gi(ib, hdr + 1);
  const nLr = gi(ib, hdr + 2);
  const Gr = fp(fb, gi(ib, hdr + 3));
  const Gi = Gr + (<usize>(n * n) << 3);
  const Hr = fp(fb, gi(ib, hdr + 5));
  const Hi = fp(fb, gi(ib, hdr + 6));
  const Pr = fp(fb, gi(ib, hdr + 7));
  const Pi = fp(fb, gi(ib, hdr + 8));
  const Ur = fp(fb, gi(ib, hdr + 15));
  const Ui = fp(fb, gi(ib, hdr + 16));
  const vW = fp(fb, gi(ib, hdr + 13));
  if (nLr > 0) hermLowRankPairs(ib, fb, hdr, n, Gr, Gi);
  let vFirst = 0;
  for (let a = 0; a < R; a++) {
    const ra = hdr + 20 + HR * a;
    const i = gi(ib, ra);
    const strategy = gi(ib, ra + 1);
    if (strategy == 0) {
      const rank = gi(ib, ra + 11);
      for (let b = nLr; b < R; b++) {
        const rb = hdr + 20 + HR * b;
        const nnz = gi(ib, rb + 2);
        const p = ip(ib, gi(ib, rb + 3));
        const q = ip(ib, gi(ib, rb + 4));
        const vr = fp(fb, gi(ib, rb + 5));
        const vi = fp(fb, gi(ib, rb + 6));
        let sum: f64 = 0;
        for (let r = 0; r < rank; r++) {
          const o = (vFirst + r) * n;
          let acc: f64 = 0;
          for (let e = 0; e < nnz; e++) {
            const pe = gi(p, e);
            const qe = gi(q, e);
            if (pe == qe) acc += gf(vr, e) * (gf(Ur, o + pe) * gf(Ur, o + pe) + gf(Ui, o + pe) * gf(Ui, o + pe));
            else {
              const cr = gf(Ur, o + pe) * gf(Ur, o + qe) + gf(Ui, o + pe) * gf(Ui, o + qe);
              const ci = gf(Ur, o + pe) * gf(Ui, o + qe) - gf(Ui, o + pe) * gf(Ur, o + qe);
              acc += 2 * (gf(vr, e) * cr - gf(vi, e) * ci);
            }
          }
          sum += gf(vW, vFirst + r) * acc;
        }
        addM(i, gi(ib, rb), sum);
      }
      vFirst += rank;
      continue;
    }
    hermTimesG(ib, fb, ra, n, Gr, Gi, Hr, Hi);
    const nr = gi(ib, ra + 7);
    const tr = ip(ib, gi(ib, ra + 8));
    if (strategy == 1) {
      memory.fill(Pr, 0, <usize>(n * n) << 3);
      memory.fill(Pi, 0, <usize>(n * n) << 3);
      for (let t = 0; t < nr; t++) {
        const gt = gi(tr, t);
        const ht = t * n;
        for (let r = 0; r < n; r++) {
          const gr = gf(Gr, r * n + gt);
          const gim = gf(Gi, r * n + gt);
          if (gr == 0 && gim == 0) continue;
          const pr = r * n;
          for (let s = r; s < n; s++) {
            sf(Pr, pr + s, gf(Pr, pr + s) + (gr * gf(Hr, ht + s) - gim * gf(Hi, ht + s)));
            sf(Pi, pr + s, gf(Pi, pr + s) + (gr * gf(Hi, ht + s) + gim * gf(Hr, ht + s)));
          }
        }
      }
      for (let b = a; b < R; b++) {
        const rb = hdr + 20 + HR * b;
        const nnz = gi(ib, rb + 2);
        const p = ip(ib, gi(ib, rb + 3));
        const q = ip(ib, gi(ib, rb + 4));
        const vr = fp(fb, gi(ib, rb + 5));
        const vi = fp(fb, gi(ib, rb + 6));
        let acc: f64 = 0;
        for (let e = 0; e < nnz; e++) {
          const pe = gi(p, e);
          const qe = gi(q, e);
          if (pe == qe) acc += gf(vr, e) * gf(Pr, pe * n + pe);
          else acc += 2 * (gf(vr, e) * gf(Pr, qe * n + pe) - gf(vi, e) * gf(Pi, qe * n + pe));
        }
        addM(i, gi(ib, rb), acc);
      }
    } else {
      for (let b = a; b < R; b++) {
        const rb = hdr + 20 + HR * b;
        const nnz = gi(ib, rb + 2);
        const p = ip(ib, gi(ib, rb + 3));
        const q = ip(ib, gi(ib, rb + 4));
        const vr = fp(fb, gi(ib, rb + 5));
        const vi = fp(fb, gi(ib, rb + 6));
        let acc: f64 = 0;
        for (let e = 0; e < nnz; e++) {
          const pe = gi(p, e);
          const qe = gi(q, e);
          let sr: f64 = 0;
          let si: f64 = 0;
          for (let t = 0; t < nr; t++) {
            const gr = gf(Gr, qe * n + gi(tr, t));
            const gim = gf(Gi, qe * n + gi(tr, t));
            const hr = gf(Hr, t * n + pe);
            const hi = gf(Hi, t * n + pe);
            sr += gr * hr - gim * hi;
            si += gr * hi + gim * hr;
          }
          if (pe == qe) acc += gf(vr, e) * sr;
          else acc += 2 * (gf(vr, e) * sr - gf(vi, e) * si);
        }
        addM(i, gi(ib, rb), acc);
      }
    }
  }
}

/** HermitianBlockSchur.aTimesG: H = A_i G on the rows A_i touches. */
function hermTimesG(ib: usize, fb: usize, ra: i32, n: i32, Gr: usize, Gi: usize, Hr: usize, Hi: usize): void {
  const nnz = gi(ib, ra + 2);
  const p = ip(ib, gi(ib, ra + 3));
  const q = ip(ib, gi(ib, ra + 4));
  const vr = fp(fb, gi(ib, ra + 5));
  const vi = fp(fb, gi(ib, ra + 6));
  const nr = gi(ib, ra + 7);
  const ps = ip(ib, gi(ib, ra + 9));
  const qs = ip(ib, gi(ib, ra + 10));
  memory.fill(Hr, 0, <usize>(nr * n) << 3);
  memory.fill(Hi, 0, <usize>(nr * n) << 3);
  for (let e = 0; e < nnz; e++) {
    const a = gf(vr, e);
    const b = gf(vi, e);
    const pe = gi(p, e);
    const qe = gi(q, e);
    const hp = gi(ps, e) * n;
    if (pe == qe) {
      for (let t = 0; t < n; t++) {
        sf(Hr, hp + t, gf(Hr, hp + t) + a * gf(Gr, pe * n + t));
        sf(Hi, hp + t, gf(Hi, hp + t) + a * gf(Gi, pe * n + t));
      }
      continue;
    }
    const hq = gi(qs, e) * n;
    for (let t = 0; t < n; t++) {
      const gr = gf(Gr, qe * n + t);
      const gim = gf(Gi, qe * n + t);
      sf(Hr, hp + t, gf(Hr, hp + t) + (a * gr - b * gim));
      sf(Hi, hp + t, gf(Hi, hp + t) + (a * gim + b * gr));
      const fr = gf(Gr, pe * n + t);
      const fi = gf(Gi, pe * n + t);
      sf(Hr, hq + t, gf(Hr, hq + t) + (a * fr + b * fi));
      sf(Hi, hq + t, gf(Hi, hq + t) + (a * fi - b * fr));
    }
  }
}

/** HermitianBlockSchur.lowRankPairs: U = V G, then every pair of hinted rows. */
function hermLowRankPairs(ib: usize, fb: usize, hdr: i32, n: i32, Gr: usize, Gi: usize): void {
  const vStart = ip(ib, gi(ib, hdr + 9));
  const vRe = fp(fb, gi(ib, hdr + 10));
  const vIm = fp(fb, gi(ib, hdr + 11));
  const vRow = ip(ib, gi(ib, hdr + 12));
  const vW = fp(fb, gi(ib, hdr + 13));
  const vLen = ip(ib, gi(ib, hdr + 14));
  const uRe = fp(fb, gi(ib, hdr + 15));
  const uIm = fp(fb, gi(ib, hdr + 16));
  const Rv = gi(ib, hdr + 17);
  const nLr = gi(ib, hdr + 2);
  for (let r = 0; r < Rv; r++) {
    const o = r * n;
    const len = gi(vLen, r);
    for (let s = 0; s < n; s++) {
      const g = s * n;
      let sr: f64 = 0;
      let si: f64 = 0;
      for (let t = 0; t < len; t++) {
        const gr = gf(Gr, g + t);
        const gim = gf(Gi, g + t);
        const ar = gf(vRe, o + t);
        const ai = gf(vIm, o + t);
        sr += gr * ar - gim * ai;
        si += gr * ai + gim * ar;
      }
      sf(uRe, o + s, sr);
      sf(uIm, o + s, si);
    }
  }
  for (let a = 0; a < nLr; a++) {
    const i = gi(vRow, gi(vStart, a));
    for (let b = a; b < nLr; b++) {
      let sum: f64 = 0;
      const r1 = gi(vStart, a + 1);
      for (let r = gi(vStart, a); r < r1; r++) {
        const o = r * n;
        const wr = gf(vW, r);
        const q1 = gi(vStart, b + 1);
        for (let q = gi(vStart, b); q < q1; q++) {
          const pq = q * n;
          const len = gi(vLen, q);
          let dr: f64 = 0;
          let di: f64 = 0;
          for (let t = 0; t < len; t++) {
            const vr = gf(vRe, pq + t);
            const vi = gf(vIm, pq + t);
            const ur = gf(uRe, o + t);
            const ui = gf(uIm, o + t);
            dr += vr * ur + vi * ui;
            di += vr * ui - vi * ur;
          }
          sum += wr * gf(vW, q) * (dr * dr + di * di);
        }
      }
      addM(i, gi(vRow, gi(vStart, b)), sum);
    }
  }
}

// ---------------------------------------------------------------------------------------
// The constraint operator of the interior-point loop (src/conic/ipm.ts mulA / mulAt), resident
// next to the normal equations: A in compressed rows, A^T in compressed columns; the vector
// slots OP_X (n) and OP_Y (m) carry the operands.

let OP_ROWS: i32 = 0;
let OP_COLS: i32 = 0;
let OP_ROWPTR: usize = 0;
let OP_COLIDX: usize = 0;
let OP_VALUES: usize = 0;
let OP_COLPTR: usize = 0;
let OP_ROWIDX: usize = 0;
let OP_TVALUES: usize = 0;
let OP_X: usize = 0;
let OP_Y: usize = 0;

export function opLayout(
  rows: i32,
  cols: i32,
  rowPtr: usize,
  colIdx: usize,
  values: usize,
  colPtr: usize,
  rowIdx: usize,
  tvalues: usize,
  x: usize,
  y: usize,
): void {
  OP_ROWS = rows;
  OP_COLS = cols;
  OP_ROWPTR = rowPtr;
  OP_COLIDX = colIdx;
  OP_VALUES = values;
  OP_COLPTR = colPtr;
  OP_ROWIDX = rowIdx;
  OP_TVALUES = tvalues;
  OP_X = x;
  OP_Y = y;
}

/**
 * y = A x (OP_X into OP_Y), row by row as ipm.ts mulA. Two rows at a time, each summed in its
 * own order from 0, so bit for bit the one-row loop: a row's sum is a chain of dependent
 * additions, and two independent chains keep the adder busy while the gathers from x (a vector
 * as long as the columns, outside the first-level cache on a network's SDP) wait for memory.
 * Measured on a 2.2M-non-zero A of a 19-BS network's shape: 2.07 -> 1.61 ms a pass; four rows
 * were no faster, and two columns at a time made x = A^T y slower (its gathers from y, as long
 * as the rows, hit the cache), so opMulAt keeps one chain.
 */
export function opMulA(): void {
  const count = OP_ROWS;
  const ptr = OP_ROWPTR;
  const idx = OP_COLIDX;
  const vals = OP_VALUES;
  const src = OP_X;
  let i = 0;
  for (; i + 1 < count; i += 2) {
    let k0 = gi(ptr, i);
    let k1 = gi(ptr, i + 1);
    const e0 = k1;
    const e1 = gi(ptr, i + 2);
    let s0: f64 = 0;
    let s1: f64 = 0;
    const common = min(e0 - k0, e1 - k1);
    for (let t = 0; t < common; t++) {
      s0 += gf(vals, k0) * gf(src, gi(idx, k0));
      s1 += gf(vals, k1) * gf(src, gi(idx, k1));
      k0++;
      k1++;
    }
    for (; k0 < e0; k0++) s0 += gf(vals, k0) * gf(src, gi(idx, k0));
    for (; k1 < e1; k1++) s1 += gf(vals, k1) * gf(src, gi(idx, k1));
    sf(OP_Y, i, s0);
    sf(OP_Y, i + 1, s1);
  }
  if (i < count) {
    const end = gi(ptr, i + 1);
    let s: f64 = 0;
    for (let k = gi(ptr, i); k < end; k++) s += gf(vals, k) * gf(src, gi(idx, k));
    sf(OP_Y, i, s);
  }
}

/** x = A^T y (OP_Y into OP_X), column by column as ipm.ts mulAt. */
export function opMulAt(): void {
  let k = gi(OP_COLPTR, 0);
  for (let j = 0; j < OP_COLS; j++) {
    const end = gi(OP_COLPTR, j + 1);
    let s: f64 = 0;
    for (; k < end; k++) s += gf(OP_TVALUES, k) * gf(OP_Y, gi(OP_ROWIDX, k));
    sf(OP_X, j, s);
  }
}

// ---------------------------------------------------------------------------------------
// Step lengths of the matrix cones (src/conic/cones/hpsd.ts and psd.ts stepOf): the largest
// alpha with I + alpha S >= 0, S = Lam^{-1/2} Y Lam^{-1/2}; `enough` once a Cholesky test
// shows the step is at least that; the eigenvalue solve otherwise. The twins of the
// TypeScript, each step as the loop there takes it (same bits).

/**
 * Whether the last hStep solved for eigenvalues (the caller counts it): an exported global,
 * which JavaScript reads as a property instead of a second call per step.
 */
export let STEP_EIG: i32 = 0;

/** HpsdCone.stepOf: Y in slot A (re, im), sqrt(Lam) at slot 4 n^2. */
export function hStep(n: i32, enough: f64): f64 {
  const nn = n * n;
  const L = 4 * nn;
  const S = 2 * nn;
  STEP_EIG = 0;
  for (let i = 0; i < n; i++) {
    const li = 1 / ld(L + i);
    for (let j = 0; j < n; j++) {
      const f = li / ld(L + j);
      st(S + i * n + j, ld(i * n + j) * f);
      st(S + nn + i * n + j, ld(nn + i * n + j) * f);
    }
  }
  if (enough < Infinity) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        st(i * n + j, enough * ld(S + i * n + j) + (i == j ? 1.0 : 0.0));
        st(nn + i * n + j, i == j ? 0.0 : enough * ld(S + nn + i * n + j));
      }
    }
    if (chol(n) == 1) return enough;
  }
  for (let k = 0; k < 2 * nn; k++) st(k, ld(S + k));
  STEP_EIG = 1;
  if (eig(n, 0) != 1) return 0;
  const e = ld(outOffset(n));
  if (isNaN<f64>(e)) return 0;
  return e < 0 ? -1 / e : Infinity;
}

/** PsdCone.stepOf: Y in slot A (N x N), sqrt(Lam) at slot 2 N^2. */
export function rStep(N: i32, enough: f64): f64 {
  const nn = N * N;
  const L = 2 * nn;
  const S = nn;
  for (let i = 0; i < N; i++) {
    const li = 1 / ld(L + i);
    for (let j = 0; j < N; j++) st(S + i * N + j, (ld(i * N + j) * li) / ld(L + j));
  }
  if (enough < Infinity) {
    for (let k = 0; k < nn; k++) st(k, enough * ld(S + k));
    for (let i = 0; i < N; i++) st(i * N + i, ld(i * N + i) + 1);
    if (rChol(N) == 1) return enough;
  }
  for (let k = 0; k < nn; k++) st(k, ld(S + k));
  if (rEig(N, 0) != 1) return 0;
  const e = ld(2 * nn);
  if (isNaN<f64>(e)) return 0;
  return e < 0 ? -1 / e : Infinity;
}

// ---------------------------------------------------------------------------------------
// Fused operations of the Hermitian cone (src/conic/cones/hpsd.ts applyD, dxFromDz,
// correctDir, rhs): each loads its hvec operand, runs its products and stores the result in one
// call, the twin of the TypeScript's load / cSandwich / store sequence. Slots after the
// products' 8 n^2 + 9 n (fusedBase): H0 hvec in, H1 hvec out, P a second factor (C), U the
// scaled rhs (ud), W1 and W2 the scaled direction's halves, LAM lambda.

const ISQRT2: f64 = 0.7071067811865476;

@inline function fusedBase(n: i32): i32 {
  return 8 * n * n + 9 * n;
}

/** hvecToCm: the Hermitian matrix of the hvec at slot src into the complex matrix at dst. */
function hvecIn(src: i32, dst: i32, n: i32): void {
  const nn = n * n;
  let k = src;
  for (let j = 0; j < n; j++) {
    st(dst + j * n + j, ld(k++));
    st(dst + nn + j * n + j, 0);
    for (let i = j + 1; i < n; i++) {
      const a = ld(k++) * ISQRT2;
      const b = ld(k++) * ISQRT2;
      st(dst + i * n + j, a);
      st(dst + nn + i * n + j, b);
      st(dst + j * n + i, a);
      st(dst + nn + j * n + i, -b);
    }
  }
}

/** HpsdCone.store: the hvec of the Hermitian part of the complex matrix at src into dst. */
function hvecOut(src: i32, dst: i32, n: i32): void {
  const nn = n * n;
  let k = dst;
  for (let j = 0; j < n; j++) {
    st(k++, ld(src + j * n + j));
    for (let i = j + 1; i < n; i++) {
      st(k++, ISQRT2 * (ld(src + i * n + j) + ld(src + j * n + i)));
      st(k++, ISQRT2 * (ld(src + nn + i * n + j) - ld(src + nn + j * n + i)));
    }
  }
}

@inline function copySlots(from: i32, to: i32, len: i32): void {
  memory.copy(at(to), at(from), <usize>len << 3);
}

/** applyD: H1 = hvec(G U G), U = the matrix of H0; G in slot A. */
export function hApplyD(n: i32): void {
  const nn = n * n;
  const base = fusedBase(n);
  hvecIn(base, 2 * nn, n);
  sandwich(n);
  hvecOut(4 * nn, base + nn, n);
}

/** dxFromDz: W1 = Ch dZ Ch^H (Ch in slot A, dZ from H0), W2 = U - W1, H1 = hvec(C W2 C^H) (C in P). */
export function hDxFromDz(n: i32): void {
  const nn = n * n;
  const base = fusedBase(n);
  const P = base + 2 * nn;
  const U = base + 4 * nn;
  const W1 = base + 6 * nn;
  const W2 = base + 8 * nn;
  hvecIn(base, 2 * nn, n);
  sandwich(n);
  copySlots(4 * nn, W1, 2 * nn);
  for (let i = 0; i < nn; i++) {
    st(W2 + i, ld(U + i) - ld(W1 + i));
    st(W2 + nn + i, ld(U + nn + i) - ld(W1 + nn + i));
  }
  copySlots(P, 0, 2 * nn);
  copySlots(W2, 2 * nn, 2 * nn);
  sandwich(n);
  hvecOut(4 * nn, base + nn, n);
}

/** correctDir: u = Ch w Ch^H (Ch in A, w from H0); W1 (wdx) += u, W2 (wdz) -= u; H1 = hvec(C u C^H) (C in P). */
export function hCorrectDir(n: i32): void {
  const nn = n * n;
  const base = fusedBase(n);
  const P = base + 2 * nn;
  const W1 = base + 6 * nn;
  const W2 = base + 8 * nn;
  hvecIn(base, 2 * nn, n);
  sandwich(n);
  const u = 4 * nn;
  for (let k = 0; k < nn; k++) {
    st(W1 + k, ld(W1 + k) + ld(u + k));
    st(W1 + nn + k, ld(W1 + nn + k) + ld(u + nn + k));
    st(W2 + k, ld(W2 + k) - ld(u + k));
    st(W2 + nn + k, ld(W2 + nn + k) - ld(u + nn + k));
  }
  copySlots(u, 2 * nn, 2 * nn);
  copySlots(P, 0, 2 * nn);
  sandwich(n);
  hvecOut(4 * nn, base + nn, n);
}

/**
 * rhs (not the affine shortcut): U = the scaled right-hand side (the corrector's from W1 = wdx,
 * W2 = wdz by a product; else the centring diagonal), then H1 = hvec(C U C^H) (C in P); lambda
 * at LAM. U stays in its slot (the caller's ud).
 */
export function hRhs(n: i32, sigmaMu: f64, corrector: i32): void {
  const nn = n * n;
  const base = fusedBase(n);
  const P = base + 2 * nn;
  const U = base + 4 * nn;
  const W1 = base + 6 * nn;
  const W2 = base + 8 * nn;
  const LAM = base + 10 * nn;
  if (corrector) {
    copySlots(W1, 0, 2 * nn);
    copySlots(W2, 2 * nn, 2 * nn);
    mul(n);
    copySlots(4 * nn, U, 2 * nn);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        const dr = -0.5 * (ld(U + i * n + j) + ld(U + j * n + i));
        const di = -0.5 * (ld(U + nn + i * n + j) - ld(U + nn + j * n + i));
        const f = 2 / (ld(LAM + i) + ld(LAM + j));
        st(U + i * n + j, dr * f);
        st(U + nn + i * n + j, di * f);
        st(U + j * n + i, dr * f);
        st(U + nn + j * n + i, -di * f);
      }
      const li = ld(LAM + i);
      st(U + i * n + i, (sigmaMu - li * li - ld(U + i * n + i)) / li);
      st(U + nn + i * n + i, 0);
    }
  } else {
    for (let k = 0; k < 2 * nn; k++) st(U + k, 0);
    for (let i = 0; i < n; i++) {
      const li = ld(LAM + i);
      st(U + i * n + i, (sigmaMu - li * li) / li);
    }
  }
  copySlots(P, 0, 2 * nn);
  copySlots(U, 2 * nn, 2 * nn);
  sandwich(n);
  hvecOut(4 * nn, base + nn, n);
}

// The same four operations of the real PSD cone (src/conic/cones/psd.ts, not the embedded
// Hermitian one): svec operands, real matrices in the first n^2 of each fused slot.

/** vec.ts' 1 / Math.SQRT2, one unit in the last place below Math.SQRT1_2 (ISQRT2 above). */
const ISQRT2_SVEC: f64 = 0.7071067811865475;

/** svecToMat: the symmetric matrix of the svec at slot src into dst. */
function svecIn(src: i32, dst: i32, n: i32): void {
  let k = src;
  for (let j = 0; j < n; j++) {
    st(dst + j * n + j, ld(k++));
    for (let i = j + 1; i < n; i++) {
      const a = ld(k++) * ISQRT2_SVEC;
      st(dst + i * n + j, a);
      st(dst + j * n + i, a);
    }
  }
}

/** matToSvec: the svec of the symmetric part of the matrix at src into dst. */
function svecOut(src: i32, dst: i32, n: i32): void {
  let k = dst;
  for (let j = 0; j < n; j++) {
    st(k++, ld(src + j * n + j));
    for (let i = j + 1; i < n; i++) st(k++, ISQRT2_SVEC * (ld(src + i * n + j) + ld(src + j * n + i)));
  }
}

/** applyD: H1 = svec(G V G), V the matrix of H0; G in slot A. */
export function rApplyD(n: i32): void {
  const nn = n * n;
  const base = fusedBase(n);
  svecIn(base, nn, n);
  rSandwich(n);
  svecOut(2 * nn, base + nn, n);
}

// ---------------------------------------------------------------------------------------
// ipm.ts pcgSolve in the normal equations' instance, for problems whose every cone is a real
// PSD block or nonnegative (src/conic/kkt-wasm.ts pcg): the conjugate gradients on A D A^T, preconditioned by
// M's factor, one call instead of ~25 calls of TypeScript per CG step, which a fresh process
// runs interpreted. D is applied cone by cone as the cones' applyD does (rApplyD on the
// block's G, which the Schur program holds at the current scaling; x / z of a nonnegative cone), A and A^T are opMulA /
// opMulAt, the solves neSolve / nePrecond: the TypeScript's operations in its order (the same
// bits). The fused scratch slots of the largest block come first in this instance's memory.

let PCG_NB: i32 = 0;
/**
 * Per cone, six i32: kind (0 a real PSD block, 1 nonnegative), n, dim, the cone's offset in x,
 * then the f64 slot of the block's G (kind 0) or of the cone's x and z (kind 1).
 */
let PCG_TABLE: usize = 0;
/** f64 slots of the CG vectors: w, r, z, p, A D A^T p (m each), D A^T p (n). */
let PCG_W: i32 = 0;
let PCG_R: i32 = 0;
let PCG_Z: i32 = 0;
let PCG_P: i32 = 0;
let PCG_AP: i32 = 0;
let PCG_T2: i32 = 0;
/** The last pcgRun's counts: A D A^T products, preconditioner solves, and M's solves and products. */
export let PCG_APPS: i32 = 0;
export let PCG_SOLVES: i32 = 0;
export let PCG_MATVECS: i32 = 0;

export function pcgLayout(nb: i32, table: usize, w: i32, r: i32, z: i32, p: i32, ap: i32, t2: i32): void {
  PCG_NB = nb;
  PCG_TABLE = table;
  PCG_W = w;
  PCG_R = r;
  PCG_Z = z;
  PCG_P = p;
  PCG_AP = ap;
  PCG_T2 = t2;
}

/** ap = A D A^T v (v and ap f64 slots of length m): mulAt into OP_X, D block by block into T2, mulA. */
function pcgOperator(v: i32, ap: i32): void {
  PCG_APPS++;
  const m = OP_ROWS;
  const x = <i32>(OP_X >> 3);
  copySlots(v, <i32>(OP_Y >> 3), m);
  opMulAt();
  for (let b = 0; b < PCG_NB; b++) {
    const e = PCG_TABLE + <usize>(24 * b);
    const n = load<i32>(e, 4);
    const dim = load<i32>(e, 8);
    const off = load<i32>(e, 12);
    if (load<i32>(e) == 1) {
      // NonnegCone.applyD: (v x) / z
      const xs = load<i32>(e, 16);
      const zs = load<i32>(e, 20);
      for (let i = 0; i < dim; i++) st(PCG_T2 + off + i, (ld(x + off + i) * ld(xs + i)) / ld(zs + i));
      continue;
    }
    const base = fusedBase(n);
    copySlots(load<i32>(e, 16), 0, n * n);
    copySlots(x + off, base, dim);
    rApplyD(n);
    copySlots(base + n * n, PCG_T2 + off, dim);
  }
  copySlots(PCG_T2, x, OP_COLS);
  opMulA();
  copySlots(<i32>(OP_Y >> 3), ap, m);
}

/** z = (L L^T)^{-1} r (NormalEquations.precond). */
function pcgPrecond(): void {
  copySlots(PCG_R, <i32>(NE_X >> 3), NE_M);
  nePrecond();
  PCG_SOLVES += NE_SOLVES;
  copySlots(<i32>(NE_X >> 3), PCG_Z, NE_M);
}

/**
 * ipm.ts pcgSolve for the rhs at NE_B: w (at PCG_W) from M's solve with `startRefine`
 * refinement steps, then at most `maxSteps` CG steps, stopped as there by a non-positive
 * curvature, a residual below 1e-12 of the rhs, or `idleSteps` steps without a fourfold gain.
 */
export function pcgRun(maxSteps: i32, idleSteps: i32, startRefine: i32): void {
  const m = NE_M;
  const rhs = <i32>(NE_B >> 3);
  PCG_APPS = 0;
  neSolve(startRefine);
  PCG_SOLVES = NE_SOLVES;
  PCG_MATVECS = NE_MATVECS;
  copySlots(<i32>(NE_X >> 3), PCG_W, m);
  pcgOperator(PCG_W, PCG_AP);
  let nr0: f64 = 0;
  for (let i = 0; i < m; i++) {
    st(PCG_R + i, ld(rhs + i) - ld(PCG_AP + i));
    nr0 += ld(rhs + i) * ld(rhs + i);
  }
  pcgPrecond();
  copySlots(PCG_Z, PCG_P, m);
  let rz = vDot(PCG_R, PCG_Z, m);
  let best: f64 = Infinity;
  let idle = 0;
  for (let it = 0; it < maxSteps && rz > 0; it++) {
    pcgOperator(PCG_P, PCG_AP);
    const pAp = vDot(PCG_P, PCG_AP, m);
    if (!(pAp > 0)) break;
    const al = rz / pAp;
    let nr: f64 = 0;
    for (let i = 0; i < m; i++) {
      st(PCG_W + i, ld(PCG_W + i) + al * ld(PCG_P + i));
      st(PCG_R + i, ld(PCG_R + i) - al * ld(PCG_AP + i));
      nr += ld(PCG_R + i) * ld(PCG_R + i);
    }
    if (nr < 1e-24 * nr0) break;
    if (nr < 0.25 * best) {
      best = nr;
      idle = 0;
    } else if (++idle >= idleSteps) break;
    pcgPrecond();
    const rz2 = vDot(PCG_R, PCG_Z, m);
    for (let i = 0; i < m; i++) st(PCG_P + i, ld(PCG_Z + i) + (rz2 / rz) * ld(PCG_P + i));
    rz = rz2;
  }
}

/** dxFromDz: W1 = Ct dZ Ct^T (Ct in A), W2 = U - W1, H1 = svec(C W2 C^T) (C in P). */
export function rDxFromDz(n: i32): void {
  const nn = n * n;
  const base = fusedBase(n);
  const P = base + 2 * nn;
  const U = base + 4 * nn;
  const W1 = base + 6 * nn;
  const W2 = base + 8 * nn;
  svecIn(base, nn, n);
  rSandwich(n);
  copySlots(2 * nn, W1, nn);
  for (let i = 0; i < nn; i++) st(W2 + i, ld(U + i) - ld(W1 + i));
  copySlots(P, 0, nn);
  copySlots(W2, nn, nn);
  rSandwich(n);
  svecOut(2 * nn, base + nn, n);
}

/** correctDir: u = Ct w Ct^T (Ct in A), W1 (wdx) += u, W2 (wdz) -= u, H1 = svec(C u C^T) (C in P). */
export function rCorrectDir(n: i32): void {
  const nn = n * n;
  const base = fusedBase(n);
  const P = base + 2 * nn;
  const W1 = base + 6 * nn;
  const W2 = base + 8 * nn;
  svecIn(base, nn, n);
  rSandwich(n);
  const u = 2 * nn;
  for (let k = 0; k < nn; k++) {
    st(W1 + k, ld(W1 + k) + ld(u + k));
    st(W2 + k, ld(W2 + k) - ld(u + k));
  }
  copySlots(u, nn, nn);
  copySlots(P, 0, nn);
  rSandwich(n);
  svecOut(2 * nn, base + nn, n);
}

/** rhs (not the affine shortcut), as hRhs for the real cone. */
export function rRhs(n: i32, sigmaMu: f64, corrector: i32): void {
  const nn = n * n;
  const base = fusedBase(n);
  const P = base + 2 * nn;
  const U = base + 4 * nn;
  const W1 = base + 6 * nn;
  const W2 = base + 8 * nn;
  const LAM = base + 10 * nn;
  if (corrector) {
    copySlots(W1, 0, nn);
    copySlots(W2, nn, nn);
    rMul(n);
    copySlots(2 * nn, U, nn);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        const d = -0.5 * (ld(U + i * n + j) + ld(U + j * n + i));
        const u = (2 * d) / (ld(LAM + i) + ld(LAM + j));
        st(U + i * n + j, u);
        st(U + j * n + i, u);
      }
      const li = ld(LAM + i);
      const d = sigmaMu - li * li - ld(U + i * n + i);
      st(U + i * n + i, d / li);
    }
  } else {
    for (let k = 0; k < nn; k++) st(U + k, 0);
    for (let i = 0; i < n; i++) {
      const li = ld(LAM + i);
      st(U + i * n + i, (sigmaMu - li * li) / li);
    }
  }
  copySlots(P, 0, nn);
  copySlots(U, nn, nn);
  rSandwich(n);
  svecOut(2 * nn, base + nn, n);
}

// The Hermitian cone's NT scaling (src/conic/cones/hpsd.ts updateScaling) in one call: x and z
// (hvec) from H0 and H1; the factors and the scaling written to slots after the fused ones
// (scalingBase): L1, L2, S, V, C, Ch, G (2 n^2 each), lambda and sqrt(lambda) (n each).

@inline function scalingBase(n: i32): i32 {
  return fusedBase(n) + 10 * n * n + n;
}

/**
 * How far it got, for the caller's verdict and operation counts: 0 / 1 the Cholesky
 * factorisation of x / z failed, 2 the eigensolver failed, 3 an eigenvalue of S^H S was not
 * positive and finite, 4 done.
 */
export function hScaling(n: i32): i32 {
  const nn = n * n;
  const E = scalingBase(n);
  const L1 = E;
  const L2 = E + 2 * nn;
  const S = E + 4 * nn;
  const V = E + 6 * nn;
  const C = E + 8 * nn;
  const CH = E + 10 * nn;
  const G = E + 12 * nn;
  const LAM = E + 14 * nn;
  const SQ = LAM + n;
  const base = fusedBase(n);
  hvecIn(base, 0, n);
  if (chol(n) != 1) return 0;
  copySlots(0, L1, 2 * nn);
  hvecIn(base + nn, 0, n);
  if (chol(n) != 1) return 1;
  copySlots(0, L2, 2 * nn);
  // S = L2^H L1, then S^H S = V Lam^2 V^H
  copySlots(L2, 0, 2 * nn);
  copySlots(L1, 2 * nn, 2 * nn);
  mulHN(n);
  copySlots(4 * nn, S, 2 * nn);
  copySlots(S, 0, 2 * nn);
  copySlots(S, 2 * nn, 2 * nn);
  mulHN(n);
  copySlots(4 * nn, 0, 2 * nn);
  if (eig(n, 1) != 1) return 2;
  const D = outOffset(n);
  for (let i = 0; i < n; i++) {
    const ev = ld(D + i);
    if (!(ev > 0) || !isFinite<f64>(ev)) return 3;
    st(LAM + i, sqrt<f64>(ev));
  }
  for (let i = 0; i < n; i++) st(SQ + i, sqrt<f64>(ld(LAM + i)));
  copySlots(D + n, V, 2 * nn);
  // C = L1 V Lam^{-1/2}, Ch = C^H, G = C C^H
  copySlots(L1, 0, 2 * nn);
  copySlots(V, 2 * nn, 2 * nn);
  mul(n);
  copySlots(4 * nn, C, 2 * nn);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const r = ld(SQ + j);
      const cr = ld(C + i * n + j) / r;
      const ci = ld(C + nn + i * n + j) / r;
      st(C + i * n + j, cr);
      st(C + nn + i * n + j, ci);
      st(CH + j * n + i, cr);
      st(CH + nn + j * n + i, -ci);
    }
  }
  copySlots(C, 0, 2 * nn);
  copySlots(C, 2 * nn, 2 * nn);
  mulNHHerm(n);
  copySlots(4 * nn, G, 2 * nn);
  return 4;
}

/**
 * The real PSD cone's NT scaling (src/conic/cones/psd.ts updateScaling, ntFactors and
 * finishScaling) in one call: x and z (svec) from H0 and H1; L1, L2, S, V^T, C, C^T, G (n^2
 * each), lambda and sqrt(lambda) after scalingBase. How far it got, as hScaling.
 */
export function rScaling(n: i32): i32 {
  const nn = n * n;
  const E = scalingBase(n);
  const L1 = E;
  const L2 = E + nn;
  const S = E + 2 * nn;
  const VT = E + 3 * nn;
  const CN = E + 4 * nn;
  const CT = E + 5 * nn;
  const G = E + 6 * nn;
  const LAM = E + 7 * nn;
  const SQ = LAM + n;
  const base = fusedBase(n);
  svecIn(base, 0, n);
  if (rChol(n) != 1) return 0;
  copySlots(0, L1, nn);
  svecIn(base + nn, 0, n);
  if (rChol(n) != 1) return 1;
  copySlots(0, L2, nn);
  // S = L2^T L1; S^T S = V Lam^2 V^T (symmetrised)
  copySlots(L2, 0, nn);
  copySlots(L1, nn, nn);
  rMulTN(n);
  copySlots(2 * nn, S, nn);
  copySlots(S, 0, nn);
  copySlots(S, nn, nn);
  rMulTN(n);
  const T = 2 * nn;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (ld(T + i * n + j) + ld(T + j * n + i));
      st(T + i * n + j, v);
      st(T + j * n + i, v);
    }
  }
  copySlots(T, 0, nn);
  if (rEig(n, 1) != 1) return 2;
  const D = 2 * nn;
  for (let i = 0; i < n; i++) {
    const ev = ld(D + i);
    if (!(ev > 0) || !isFinite<f64>(ev)) return 3;
    st(LAM + i, sqrt<f64>(ev));
  }
  for (let i = 0; i < n; i++) st(SQ + i, sqrt<f64>(ld(LAM + i)));
  copySlots(nn, VT, nn);
  // C = L1 V Lam^{-1/2} (rows of V^T are the eigenvectors), C^T, G = C C^T
  copySlots(L1, 0, nn);
  copySlots(VT, nn, nn);
  rMulNT(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) st(CN + i * n + j, ld(2 * nn + i * n + j) / ld(SQ + j));
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) st(CT + j * n + i, ld(CN + i * n + j));
  }
  copySlots(CN, 0, nn);
  copySlots(CN, nn, nn);
  rMulNTSym(n);
  copySlots(2 * nn, G, nn);
  return 4;
}

// The cones' centrality correctors (hpsd.ts / psd.ts centrality) in one call: the trial point's
// complementarity product, its eigendecomposition, the clipped change, the update of the
// scaled rhs U (ud) and H0 (the caller's `out` slice) += hvec / svec(C T C^H). wdx and wdz come
// in W1 and W2 (W1 is then scratch), C in P, lambda at LAM. Returns 0 when the eigensolver
// failed, 1 when no eigenvalue needed a change (nothing written), 2 when done.

@inline function clipChange(v: f64, lo: f64, hi: f64): f64 {
  if (v < lo) return lo - v;
  if (v > hi) return max<f64>(hi - v, -hi);
  return 0;
}

export function hCentrality(n: i32, alpha: f64, lo: f64, hi: f64): i32 {
  const nn = n * n;
  const base = fusedBase(n);
  const P = base + 2 * nn;
  const U = base + 4 * nn;
  const W1 = base + 6 * nn;
  const W2 = base + 8 * nn;
  const LAM = base + 10 * nn;
  for (let k = 0; k < nn; k++) {
    st(k, alpha * ld(W1 + k));
    st(nn + k, alpha * ld(W1 + nn + k));
    st(2 * nn + k, alpha * ld(W2 + k));
    st(3 * nn + k, alpha * ld(W2 + nn + k));
  }
  for (let i = 0; i < n; i++) {
    st(i * n + i, ld(i * n + i) + ld(LAM + i));
    st(2 * nn + i * n + i, ld(2 * nn + i * n + i) + ld(LAM + i));
  }
  mul(n);
  const V = 4 * nn;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      st(V + i * n + j, 0.5 * (ld(V + i * n + j) + ld(V + j * n + i)));
      st(V + nn + i * n + j, 0.5 * (ld(V + nn + i * n + j) - ld(V + nn + j * n + i)));
    }
  }
  copySlots(V, 0, 2 * nn);
  if (eig(n, 1) != 1) return 0;
  const D = outOffset(n);
  const ER = D + n;
  const EI = ER + nn;
  const T = W1;
  for (let k = 0; k < 2 * nn; k++) st(T + k, 0);
  let any = false;
  for (let k = 0; k < n; k++) {
    const c = clipChange(ld(D + k), lo, hi);
    if (c == 0) continue;
    any = true;
    for (let i = 0; i < n; i++) {
      const ar = c * ld(ER + i * n + k);
      const ai = c * ld(EI + i * n + k);
      for (let j = 0; j <= i; j++) {
        const br = ld(ER + j * n + k);
        const bi = ld(EI + j * n + k);
        st(T + i * n + j, ld(T + i * n + j) + (ar * br + ai * bi));
        st(T + nn + i * n + j, ld(T + nn + i * n + j) + (ai * br - ar * bi));
      }
    }
  }
  if (!any) return 1;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const f = 2 / (ld(LAM + i) + ld(LAM + j));
      const a = ld(T + i * n + j) * f;
      const b = j < i ? ld(T + nn + i * n + j) * f : 0;
      st(T + i * n + j, a);
      st(T + nn + i * n + j, b);
      st(T + j * n + i, a);
      st(T + nn + j * n + i, -b);
      st(U + i * n + j, ld(U + i * n + j) + a);
      st(U + nn + i * n + j, ld(U + nn + i * n + j) + b);
      if (j < i) {
        st(U + j * n + i, ld(U + j * n + i) + a);
        st(U + nn + j * n + i, ld(U + nn + j * n + i) - b);
      }
    }
  }
  copySlots(P, 0, 2 * nn);
  copySlots(T, 2 * nn, 2 * nn);
  sandwich(n);
  hvecOut(4 * nn, base + nn, n);
  for (let k = 0; k < nn; k++) st(base + k, ld(base + k) + ld(base + nn + k));
  return 2;
}

export function rCentrality(n: i32, alpha: f64, lo: f64, hi: f64, dim: i32): i32 {
  const nn = n * n;
  const base = fusedBase(n);
  const P = base + 2 * nn;
  const U = base + 4 * nn;
  const W1 = base + 6 * nn;
  const W2 = base + 8 * nn;
  const LAM = base + 10 * nn;
  for (let k = 0; k < nn; k++) {
    st(k, alpha * ld(W1 + k));
    st(nn + k, alpha * ld(W2 + k));
  }
  for (let i = 0; i < n; i++) {
    st(i * n + i, ld(i * n + i) + ld(LAM + i));
    st(nn + i * n + i, ld(nn + i * n + i) + ld(LAM + i));
  }
  rMul(n);
  const V = 2 * nn;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (ld(V + i * n + j) + ld(V + j * n + i));
      st(V + i * n + j, v);
      st(V + j * n + i, v);
    }
  }
  copySlots(V, 0, nn);
  if (rEig(n, 1) != 1) return 0;
  const D = 2 * nn;
  const VT = nn;
  const T = W1;
  for (let k = 0; k < nn; k++) st(T + k, 0);
  let any = false;
  for (let k = 0; k < n; k++) {
    const c = clipChange(ld(D + k), lo, hi);
    if (c == 0) continue;
    any = true;
    const q = VT + k * n;
    for (let i = 0; i < n; i++) {
      const ci = c * ld(q + i);
      for (let j = 0; j <= i; j++) st(T + i * n + j, ld(T + i * n + j) + ci * ld(q + j));
    }
  }
  if (!any) return 1;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const u = (2 * ld(T + i * n + j)) / (ld(LAM + i) + ld(LAM + j));
      st(T + i * n + j, u);
      st(T + j * n + i, u);
      st(U + i * n + j, ld(U + i * n + j) + u);
      if (j < i) st(U + j * n + i, ld(U + j * n + i) + u);
    }
  }
  copySlots(P, 0, nn);
  copySlots(T, nn, nn);
  rSandwich(n);
  svecOut(2 * nn, base + nn, n);
  for (let k = 0; k < dim; k++) st(base + k, ld(base + k) + ld(base + nn + k));
  return 2;
}

// ---------------------------------------------------------------------------------------
// The interior-point loop's n-vectors (src/linalg/wasm-vectors.ts): views on the memory of an
// instance of their own, passed as f64 slot offsets. Each is the TypeScript loop of
// src/linalg/vector-ops.ts or real-dense.ts, expression for expression; the entry-wise ones
// take two entries per lane pair (each computed as the scalar expression), the sums run in
// index order.

/** sum x[i] y[i] (real-dense.ts dot). */
export function vDot(x: i32, y: i32, n: i32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) s += ld(x + i) * ld(y + i);
  return s;
}

/** y += a x. */
export function vAxpy(a: f64, x: i32, y: i32, n: i32): void {
  const sa = f64x2.splat(a);
  let i = 0;
  for (; i + 1 < n; i += 2) v128.store(at(y + i), f64x2.add(v128.load(at(y + i)), f64x2.mul(sa, v128.load(at(x + i)))));
  if (i < n) st(y + i, ld(y + i) + a * ld(x + i));
}

/** out = a x - y. */
export function vAxmy(a: f64, x: i32, y: i32, out: i32, n: i32): void {
  const sa = f64x2.splat(a);
  let i = 0;
  for (; i + 1 < n; i += 2) v128.store(at(out + i), f64x2.sub(f64x2.mul(sa, v128.load(at(x + i))), v128.load(at(y + i))));
  if (i < n) st(out + i, a * ld(x + i) - ld(y + i));
}

/** out = x - y. */
export function vXmy(x: i32, y: i32, out: i32, n: i32): void {
  let i = 0;
  for (; i + 1 < n; i += 2) v128.store(at(out + i), f64x2.sub(v128.load(at(x + i)), v128.load(at(y + i))));
  if (i < n) st(out + i, ld(x + i) - ld(y + i));
}

/** out = -x (the affine rhs of the matrix cones: minus their x, exactly). */
export function vNeg(x: i32, out: i32, n: i32): void {
  let i = 0;
  for (; i + 1 < n; i += 2) v128.store(at(out + i), f64x2.neg(v128.load(at(x + i))));
  if (i < n) st(out + i, -ld(x + i));
}

/** e1 = eta rp - (tm - b dtau) and the sum of its squares (ipm.ts dirResidual, in index order). */
export function vDirResidual(eta: f64, rp: i32, tm: i32, b: i32, dtau: f64, e1: i32, n: i32): f64 {
  let ne: f64 = 0;
  for (let i = 0; i < n; i++) {
    const e = eta * ld(rp + i) - (ld(tm + i) - ld(b + i) * dtau);
    st(e1 + i, e);
    ne += e * e;
  }
  return ne;
}

/** out = x + a y. */
export function vXpay(x: i32, a: f64, y: i32, out: i32, n: i32): void {
  const sa = f64x2.splat(a);
  let i = 0;
  for (; i + 1 < n; i += 2) v128.store(at(out + i), f64x2.add(v128.load(at(x + i)), f64x2.mul(sa, v128.load(at(y + i)))));
  if (i < n) st(out + i, ld(x + i) + a * ld(y + i));
}

/** out = a x - y - z. */
export function vAxmymz(a: f64, x: i32, y: i32, z: i32, out: i32, n: i32): void {
  const sa = f64x2.splat(a);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const t = f64x2.sub(f64x2.mul(sa, v128.load(at(x + i))), v128.load(at(y + i)));
    v128.store(at(out + i), f64x2.sub(t, v128.load(at(z + i))));
  }
  if (i < n) st(out + i, a * ld(x + i) - ld(y + i) - ld(z + i));
}

/** y += x + a w. */
export function vAddXpaw(x: i32, a: f64, w: i32, y: i32, n: i32): void {
  const sa = f64x2.splat(a);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const t = f64x2.add(v128.load(at(x + i)), f64x2.mul(sa, v128.load(at(w + i))));
    v128.store(at(y + i), f64x2.add(v128.load(at(y + i)), t));
  }
  if (i < n) st(y + i, ld(y + i) + (ld(x + i) + a * ld(w + i)));
}

/** dz = eta rd + c dtau - Atp - dtau Atq (ipm.ts dzOf). */
export function vDzOf(eta: f64, rd: i32, c: i32, dtau: f64, atp: i32, atq: i32, dz: i32, n: i32): void {
  const se = f64x2.splat(eta);
  const st2 = f64x2.splat(dtau);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const t = f64x2.add(f64x2.mul(se, v128.load(at(rd + i))), f64x2.mul(v128.load(at(c + i)), st2));
    v128.store(at(dz + i), f64x2.sub(f64x2.sub(t, v128.load(at(atp + i))), f64x2.mul(st2, v128.load(at(atq + i)))));
  }
  if (i < n) st(dz + i, eta * ld(rd + i) + ld(c + i) * dtau - ld(atp + i) - dtau * ld(atq + i));
}

// ---------------------------------------------------------------------------------------
// The matrix cones' fused operations on operands that live in this memory (a cone whose
// matrices were placed in the run's vector space, src/conic/cones/hpsd.ts and psd.ts): each
// copies its operands into the slots the operation above reads, runs it and copies its results
// out, as src/linalg/wasm-kernels.ts fusedConeOp / scalingWasm / hStepWasm / rStepWasm /
// centralityWasm do from JavaScript (the same operations on the same values: the same bits).
// `complex` selects the Hermitian operations (hvec operands, matrices of ms = 2 n^2 slots) or
// the real ones (svec operands of length dim, matrices of ms = n^2). `sc` is the cone's block:
// the scaling in hScaling's / rScaling's order L1, L2, S, V, C, C^H, G (ms each), lambda,
// sqrt(lambda), then wdx, wdz, ud (ms each).

/** A matrix's slots: 2 n^2 complex, n^2 real. */
@inline function matSlots(complex: i32, n: i32): i32 {
  return complex ? 2 * n * n : n * n;
}
/** Offset of wdx in a block (wdz and ud follow it, a matrix apart). */
@inline function blockW(complex: i32, n: i32): i32 {
  return 7 * matSlots(complex, n) + 2 * n;
}

/** The NT scaling from the vectors at x and z; on success (4) the scaling at sc. */
export function scalingAt(complex: i32, n: i32, dim: i32, x: i32, z: i32, sc: i32): i32 {
  const base = fusedBase(n);
  copySlots(x, base, dim);
  copySlots(z, base + n * n, dim);
  const stage = complex ? hScaling(n) : rScaling(n);
  if (stage >= 4) copySlots(scalingBase(n), sc, 7 * matSlots(complex, n) + 2 * n);
  return stage;
}

/** applyD of the vector at v into the vector at out. */
export function applyDAt(complex: i32, n: i32, dim: i32, sc: i32, v: i32, out: i32): void {
  const ms = matSlots(complex, n);
  const base = fusedBase(n);
  copySlots(sc + 6 * ms, 0, ms);
  copySlots(v, base, dim);
  if (complex) hApplyD(n);
  else rApplyD(n);
  copySlots(base + n * n, out, dim);
}

/** dxFromDz of the vector at dz: wdz, wdx written, dx at out. */
export function dxFromDzAt(complex: i32, n: i32, dim: i32, sc: i32, ud: i32, wdx: i32, wdz: i32, dz: i32, out: i32): void {
  const nn = n * n;
  const ms = matSlots(complex, n);
  const base = fusedBase(n);
  copySlots(sc + 5 * ms, 0, ms);
  copySlots(sc + 4 * ms, base + 2 * nn, ms);
  copySlots(ud, base + 4 * nn, ms);
  copySlots(dz, base, dim);
  if (complex) hDxFromDz(n);
  else rDxFromDz(n);
  copySlots(base + 6 * nn, wdz, ms);
  copySlots(base + 8 * nn, wdx, ms);
  copySlots(base + nn, out, dim);
}

/** correctDir of the vector at w: wdx, wdz updated, D w at out. */
export function correctDirAt(complex: i32, n: i32, dim: i32, sc: i32, wdx: i32, wdz: i32, w: i32, out: i32): void {
  const nn = n * n;
  const ms = matSlots(complex, n);
  const base = fusedBase(n);
  copySlots(sc + 5 * ms, 0, ms);
  copySlots(sc + 4 * ms, base + 2 * nn, ms);
  copySlots(wdx, base + 6 * nn, ms);
  copySlots(wdz, base + 8 * nn, ms);
  copySlots(w, base, dim);
  if (complex) hCorrectDir(n);
  else rCorrectDir(n);
  copySlots(base + 6 * nn, wdx, ms);
  copySlots(base + 8 * nn, wdz, ms);
  copySlots(base + nn, out, dim);
}

/** The rhs (centring, or the corrector from wdx and wdz): ud written, the vector at out. */
export function rhsAt(complex: i32, n: i32, sigmaMu: f64, corrector: i32, dim: i32, sc: i32, ud: i32, wdx: i32, wdz: i32, out: i32): void {
  const nn = n * n;
  const ms = matSlots(complex, n);
  const base = fusedBase(n);
  copySlots(sc + 4 * ms, base + 2 * nn, ms);
  if (corrector) {
    copySlots(wdx, base + 6 * nn, ms);
    copySlots(wdz, base + 8 * nn, ms);
  }
  copySlots(sc + 7 * ms, base + 10 * nn, n);
  if (complex) hRhs(n, sigmaMu, corrector);
  else rRhs(n, sigmaMu, corrector);
  copySlots(base + 4 * nn, ud, ms);
  copySlots(base + nn, out, dim);
}

/** The step of the scaled direction half at y (wdx or wdz); STEP_EIG says whether a Hermitian one solved for eigenvalues. */
export function stepAt(complex: i32, n: i32, y: i32, sc: i32, enough: f64): f64 {
  const ms = matSlots(complex, n);
  copySlots(y, 0, ms);
  copySlots(sc + 7 * ms + n, 2 * ms, n);
  return complex ? hStep(n, enough) : rStep(n, enough);
}

/** The centrality corrector: on stage 2, ud updated and the vector at out increased by the correction. */
export function centralityAt(complex: i32, n: i32, alpha: f64, lo: f64, hi: f64, dim: i32, sc: i32, ud: i32, wdx: i32, wdz: i32, out: i32): i32 {
  const nn = n * n;
  const ms = matSlots(complex, n);
  const base = fusedBase(n);
  copySlots(sc + 4 * ms, base + 2 * nn, ms);
  copySlots(wdx, base + 6 * nn, ms);
  copySlots(wdz, base + 8 * nn, ms);
  copySlots(ud, base + 4 * nn, ms);
  copySlots(sc + 7 * ms, base + 10 * nn, n);
  copySlots(out, base, dim);
  const stage = complex ? hCentrality(n, alpha, lo, hi) : rCentrality(n, alpha, lo, hi, dim);
  if (stage == 2) {
    copySlots(base + 4 * nn, ud, ms);
    copySlots(base, out, dim);
  }
  return stage;
}

// ---------------------------------------------------------------------------------------
// A group of same-order matrix cones, consecutive in x and in the space (src/conic/cone-group.ts):
// the in-place operations above for `count` blocks in one call, block b at sc + b * stride and
// its vector segment at b * dim after the first; each block exactly as its own call would run
// it. What the loop counts per block comes back in the globals below.

/** stepBatch: the block of the smallest step (the first, as a loop over the cones finds it). */
export let BATCH_WHO: i32 = -1;
/** stepBatch: eigenvalue solves (Hermitian); scalingBatch: blocks that reached stage 2; centralityBatch: blocks at stage 2. */
export let BATCH_COUNT: i32 = 0;

/** Number of blocks that failed (stage < 4); BATCH_COUNT: blocks that reached stage 2. */
export function scalingBatch(complex: i32, n: i32, dim: i32, count: i32, sc: i32, stride: i32, x: i32, z: i32): i32 {
  let failed = 0;
  BATCH_COUNT = 0;
  for (let b = 0; b < count; b++) {
    const stage = scalingAt(complex, n, dim, x + b * dim, z + b * dim, sc + b * stride);
    if (stage >= 2) BATCH_COUNT++;
    if (stage < 4) failed++;
  }
  return failed;
}

export function applyDBatch(complex: i32, n: i32, dim: i32, count: i32, sc: i32, stride: i32, v: i32, out: i32): void {
  for (let b = 0; b < count; b++) applyDAt(complex, n, dim, sc + b * stride, v + b * dim, out + b * dim);
}

export function dxFromDzBatch(complex: i32, n: i32, dim: i32, count: i32, sc: i32, stride: i32, dz: i32, out: i32): void {
  const ms = matSlots(complex, n);
  const w = blockW(complex, n);
  for (let b = 0; b < count; b++) {
    const s = sc + b * stride;
    dxFromDzAt(complex, n, dim, s, s + w + 2 * ms, s + w, s + w + ms, dz + b * dim, out + b * dim);
  }
}

export function correctDirBatch(complex: i32, n: i32, dim: i32, count: i32, sc: i32, stride: i32, v: i32, out: i32): void {
  const ms = matSlots(complex, n);
  const w = blockW(complex, n);
  for (let b = 0; b < count; b++) {
    const s = sc + b * stride;
    correctDirAt(complex, n, dim, s, s + w, s + w + ms, v + b * dim, out + b * dim);
  }
}

export function rhsBatch(complex: i32, n: i32, dim: i32, count: i32, sc: i32, stride: i32, sigmaMu: f64, corrector: i32, out: i32): void {
  const ms = matSlots(complex, n);
  const w = blockW(complex, n);
  for (let b = 0; b < count; b++) {
    const s = sc + b * stride;
    rhsAt(complex, n, sigmaMu, corrector, dim, s, s + w + 2 * ms, s + w, s + w + ms, out + b * dim);
  }
}

/** The smallest of the blocks' steps (each min(step of wdx, step of wdz)); BATCH_WHO its block, BATCH_COUNT the eigenvalue solves. */
export function stepBatch(complex: i32, n: i32, count: i32, sc: i32, stride: i32, enough: f64): f64 {
  const ms = matSlots(complex, n);
  const w = blockW(complex, n);
  let best: f64 = Infinity;
  BATCH_WHO = -1;
  BATCH_COUNT = 0;
  for (let b = 0; b < count; b++) {
    const s = sc + b * stride;
    const ax = stepAt(complex, n, s + w, s, enough);
    if (complex) BATCH_COUNT += STEP_EIG;
    const az = stepAt(complex, n, s + w + ms, s, enough);
    if (complex) BATCH_COUNT += STEP_EIG;
    const a = min<f64>(ax, az);
    if (a < best) {
      best = a;
      BATCH_WHO = b;
    }
  }
  return best;
}

/** BATCH_COUNT: blocks at stage 2 (a correction added); the stages below 2 add nothing. */
export function centralityBatch(complex: i32, n: i32, dim: i32, count: i32, sc: i32, stride: i32, alpha: f64, lo: f64, hi: f64, out: i32): void {
  const ms = matSlots(complex, n);
  const w = blockW(complex, n);
  BATCH_COUNT = 0;
  for (let b = 0; b < count; b++) {
    const s = sc + b * stride;
    if (centralityAt(complex, n, alpha, lo, hi, dim, s, s + w + 2 * ms, s + w, s + w + ms, out + b * dim) == 2) BATCH_COUNT++;
  }
}

/**
 * equilibrate.ts scaledNorm: max |x_i|, then sum (x_i / max)^2, both in index order, and
 * max * sqrt(sum) (0 when the max is 0). JavaScript's Math.max is f64.max on these (no NaN
 * gets here: the data are checked finite first) and t ** 2 is t * t.
 */
export function vScaledNorm(x: i32, n: i32): f64 {
  let m: f64 = 0;
  for (let i = 0; i < n; i++) m = max(m, abs(ld(x + i)));
  if (m == 0) return 0;
  let q: f64 = 0;
  for (let i = 0; i < n; i++) {
    const t = ld(x + i) / m;
    q += t * t;
  }
  return m * sqrt(q);
}

/**
 * vScaledNorm of every row of a CSR matrix (rowPtr: i32 byte offset, rows + 1 entries; values
 * at f64 slot `values`) into norm[i], and the row's nonzero count into count[i] (f64 slots):
 * the passes of equilibrate.ts medianRatio.
 */
export function rowScaledNorms(rowPtr: usize, values: i32, rows: i32, norm: i32, count: i32): void {
  for (let i = 0; i < rows; i++) {
    const from = load<i32>(rowPtr + ((<usize>i) << 2));
    const to = load<i32>(rowPtr + ((<usize>i + 1) << 2));
    let nonzeros = 0;
    for (let k = from; k < to; k++) if (ld(values + k) != 0) nonzeros++;
    st(norm + i, vScaledNorm(values + from, to - from));
    st(count + i, <f64>nonzeros);
  }
}

/** sum (x[i] + y[i])^2 in index order (ipm.ts metrics' primal infeasibility; JavaScript's t ** 2 is t * t). */
export function vSumSqOfSum(x: i32, y: i32, n: i32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) {
    const t = ld(x + i) + ld(y + i);
    s += t * t;
  }
  return s;
}

// ---- The 2 x 2 Hermitian blocks in closed form: src/conic/cones/hpsd2.ts, operation for
// operation (the same expressions in the same order, so the same bits). A block's state from
// its slot s: G as real parts then imaginary parts (the Schur complement reads it so), then
// 2 x 2 complex matrices of eight doubles, row-major, (re, im) interleaved, as hpsd2.ts keeps
// them. Vectors (x, z, v, out) are f64 slots of the block's four hvec entries.

const H2_G: i32 = 0;
const H2_L1: i32 = 8;
const H2_L2: i32 = 16;
const H2_S: i32 = 24;
const H2_V: i32 = 32;
const H2_C: i32 = 40;
const H2_CH: i32 = 48;
/** G interleaved (hpsd2.ts `g`). */
const H2_GI: i32 = 56;
const H2_WDX: i32 = 64;
const H2_WDZ: i32 = 72;
const H2_UD: i32 = 80;
const H2_LAM: i32 = 88;
const H2_EW: i32 = 90;
const H2_EV: i32 = 92;
const H2_XV: i32 = 100;
const H2_T1: i32 = 104;
const H2_T2: i32 = 112;
const H2_T3: i32 = 120;
const H2_HV: i32 = 128;
/** Slots of a block's state (src/conic/cones/hpsd2.ts H2_BLOCK; the package test compares them). */
export const H2_BLOCK: i32 = 132;


/** One entry of a 2 x 2 complex product, summed from 0 as hpsd2.ts' `entry`. */
@inline function h2e(xr0: f64, xi0: f64, yr0: f64, yi0: f64, xr1: f64, xi1: f64, yr1: f64, yi1: f64, c: i32): void {
  let sr: f64 = 0;
  let si: f64 = 0;
  sr += xr0 * yr0 - xi0 * yi0;
  si += xr0 * yi0 + xi0 * yr0;
  sr += xr1 * yr1 - xi1 * yi1;
  si += xr1 * yi1 + xi1 * yr1;
  st(c, sr);
  st(c + 1, si);
}

/** c = a b. */
function h2Mul(a: i32, b: i32, c: i32): void {
  h2e(ld(a), ld(a + 1), ld(b), ld(b + 1), ld(a + 2), ld(a + 3), ld(b + 4), ld(b + 5), c);
  h2e(ld(a), ld(a + 1), ld(b + 2), ld(b + 3), ld(a + 2), ld(a + 3), ld(b + 6), ld(b + 7), c + 2);
  h2e(ld(a + 4), ld(a + 5), ld(b), ld(b + 1), ld(a + 6), ld(a + 7), ld(b + 4), ld(b + 5), c + 4);
  h2e(ld(a + 4), ld(a + 5), ld(b + 2), ld(b + 3), ld(a + 6), ld(a + 7), ld(b + 6), ld(b + 7), c + 6);
}

/** c = a^H b. */
function h2MulHN(a: i32, b: i32, c: i32): void {
  h2e(ld(a), -ld(a + 1), ld(b), ld(b + 1), ld(a + 4), -ld(a + 5), ld(b + 4), ld(b + 5), c);
  h2e(ld(a), -ld(a + 1), ld(b + 2), ld(b + 3), ld(a + 4), -ld(a + 5), ld(b + 6), ld(b + 7), c + 2);
  h2e(ld(a + 2), -ld(a + 3), ld(b), ld(b + 1), ld(a + 6), -ld(a + 7), ld(b + 4), ld(b + 5), c + 4);
  h2e(ld(a + 2), -ld(a + 3), ld(b + 2), ld(b + 3), ld(a + 6), -ld(a + 7), ld(b + 6), ld(b + 7), c + 6);
}

/** c = a b^H. */
function h2MulNH(a: i32, b: i32, c: i32): void {
  h2e(ld(a), ld(a + 1), ld(b), -ld(b + 1), ld(a + 2), ld(a + 3), ld(b + 2), -ld(b + 3), c);
  h2e(ld(a), ld(a + 1), ld(b + 4), -ld(b + 5), ld(a + 2), ld(a + 3), ld(b + 6), -ld(b + 7), c + 2);
  h2e(ld(a + 4), ld(a + 5), ld(b), -ld(b + 1), ld(a + 6), ld(a + 7), ld(b + 2), -ld(b + 3), c + 4);
  h2e(ld(a + 4), ld(a + 5), ld(b + 4), -ld(b + 5), ld(a + 6), ld(a + 7), ld(b + 6), -ld(b + 7), c + 6);
}

/** c = p s p^H (tmp: scratch). */
function h2Sandwich(p: i32, s: i32, c: i32, tmp: i32): void {
  h2Mul(p, s, tmp);
  h2MulNH(tmp, p, c);
}

/** The Hermitian matrix of hvec v[0 .. 3] into m. */
function h2Load(v: i32, m: i32): void {
  const a = ld(v + 1) * ISQRT2;
  const b = ld(v + 2) * ISQRT2;
  st(m, ld(v));
  st(m + 1, 0);
  st(m + 4, a);
  st(m + 5, b);
  st(m + 2, a);
  st(m + 3, -b);
  st(m + 6, ld(v + 3));
  st(m + 7, 0);
}

/** hvec of the Hermitian part of m into v[0 .. 3]. */
function h2Store(m: i32, v: i32): void {
  st(v, ld(m));
  st(v + 1, ISQRT2 * (ld(m + 4) + ld(m + 2)));
  st(v + 2, ISQRT2 * (ld(m + 5) - ld(m + 3)));
  st(v + 3, ld(m + 6));
}

/** Cholesky L L^H of the hvec v (2 x 2) into L; 0 when not positive definite (L untouched). */
function h2Chol(v: i32, L: i32): i32 {
  const a = ld(v);
  if (!(a > 0) || a == Infinity) return 0;
  const l00 = sqrt<f64>(a);
  const br = (ld(v + 1) * ISQRT2) / l00;
  const bi = (ld(v + 2) * ISQRT2) / l00;
  const d = ld(v + 3) - (br * br + bi * bi);
  if (!(d > 0) || d == Infinity) return 0;
  st(L, l00);
  st(L + 1, 0);
  st(L + 2, 0);
  st(L + 3, 0);
  st(L + 4, br);
  st(L + 5, bi);
  st(L + 6, sqrt<f64>(d));
  st(L + 7, 0);
  return 1;
}

/** Eigenpairs of the Hermitian lower triangle of m by one Jacobi rotation, as hpsd2.ts' `eig`: ew ascending, ev's columns; 0 on a non-finite m. */
function h2Eig(s: i32, m: i32, vectors: bool): i32 {
  const p = ld(m);
  const r = ld(m + 6);
  const qr = ld(m + 4);
  const qi = ld(m + 5);
  if (!isFinite<f64>(p + r + qr + qi)) return 0;
  // hpsd2.ts takes Math.hypot: for two finite numbers V8 computes max * sqrt((a/max)^2 +
  // (b/max)^2) with a compensation that is exactly 0 here, which is `hypot` above term for term
  const aq = hypot(qr, qi);
  const ev = s + H2_EV;
  if (!(aq > 1e-30 * (abs<f64>(p) + abs<f64>(r)))) {
    const first = p <= r ? 0 : 1;
    st(s + H2_EW, first == 0 ? p : r);
    st(s + H2_EW + 1, first == 0 ? r : p);
    if (vectors) {
      for (let k = 0; k < 8; k++) st(ev + k, 0);
      st(ev + 4 * first, 1);
      st(ev + 4 * (1 - first) + 2, 1);
    }
    return 1;
  }
  const tau = (r - p) / (2 * aq);
  const t = (tau >= 0 ? 1.0 : -1.0) / (abs<f64>(tau) + sqrt<f64>(1 + tau * tau));
  const c = 1 / sqrt<f64>(1 + t * t);
  const sn = t * c;
  const ea = p - t * aq;
  const eb = r + t * aq;
  const ur = qr / aq;
  const ui = qi / aq;
  const aFirst = ea <= eb;
  st(s + H2_EW, aFirst ? ea : eb);
  st(s + H2_EW + 1, aFirst ? eb : ea);
  if (vectors) {
    const ka = aFirst ? 0 : 1;
    const kb = 1 - ka;
    st(ev + 2 * ka, c);
    st(ev + 2 * ka + 1, 0);
    st(ev + 4 + 2 * ka, -sn * ur);
    st(ev + 4 + 2 * ka + 1, -sn * ui);
    st(ev + 2 * kb, sn);
    st(ev + 2 * kb + 1, 0);
    st(ev + 4 + 2 * kb, c * ur);
    st(ev + 4 + 2 * kb + 1, c * ui);
  }
  return 1;
}

/** NT scaling of the block at (x, z): the products it made (4 when it succeeded; 0 or 2 when a point is not inside). */
function h2Scaling(s: i32, x: i32, z: i32): i32 {
  for (let k = 0; k < 4; k++) st(s + H2_XV + k, ld(x + k));
  if (!h2Chol(x, s + H2_L1) || !h2Chol(z, s + H2_L2)) return 0;
  h2MulHN(s + H2_L2, s + H2_L1, s + H2_S);
  h2MulHN(s + H2_S, s + H2_S, s + H2_T1);
  if (!h2Eig(s, s + H2_T1, true)) return 2;
  for (let i = 0; i < 2; i++) {
    const e = ld(s + H2_EW + i);
    if (!(e > 0) || !isFinite<f64>(e)) return 2;
    st(s + H2_LAM + i, sqrt<f64>(e));
  }
  for (let k = 0; k < 8; k++) st(s + H2_V + k, ld(s + H2_EV + k));
  const C = s + H2_C;
  h2Mul(s + H2_L1, s + H2_V, C);
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++) {
      const r = sqrt<f64>(ld(s + H2_LAM + j));
      st(C + 4 * i + 2 * j, ld(C + 4 * i + 2 * j) / r);
      st(C + 4 * i + 2 * j + 1, ld(C + 4 * i + 2 * j + 1) / r);
    }
  }
  const Ch = s + H2_CH;
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++) {
      st(Ch + 4 * j + 2 * i, ld(C + 4 * i + 2 * j));
      st(Ch + 4 * j + 2 * i + 1, -ld(C + 4 * i + 2 * j + 1));
    }
  }
  h2MulNH(C, C, s + H2_GI);
  for (let e = 0; e < 4; e++) {
    st(s + H2_G + e, ld(s + H2_GI + 2 * e));
    st(s + H2_G + 4 + e, ld(s + H2_GI + 2 * e + 1));
  }
  return 4;
}

function h2ApplyD(s: i32, v: i32, out: i32): void {
  h2Load(v, s + H2_T1);
  h2Mul(s + H2_GI, s + H2_T1, s + H2_T3);
  h2Mul(s + H2_T3, s + H2_GI, s + H2_T2);
  h2Store(s + H2_T2, out);
}

/** The smallest eigenvalue of [[p, conj(q)], [q, r]] (hpsd2.ts minEig). */
function h2MinEig(p: f64, r: f64, qr: f64, qi: f64): f64 {
  const h = 0.5 * (p - r);
  const rad = sqrt<f64>(h * h + qr * qr + qi * qi);
  const mean = 0.5 * (p + r);
  return mean > 0 ? (p * r - (qr * qr + qi * qi)) / (mean + rad) : mean - rad;
}

function h2StepOf(s: i32, Y: i32): f64 {
  const l0 = ld(s + H2_LAM);
  const l1 = ld(s + H2_LAM + 1);
  const p = ld(Y) / l0;
  const r = ld(Y + 6) / l1;
  const f = 1 / sqrt<f64>(l0 * l1);
  const e = h2MinEig(p, r, ld(Y + 4) * f, ld(Y + 5) * f);
  if (isNaN<f64>(e)) return 0;
  return e < 0 ? -1 / e : Infinity;
}

function h2Step(s: i32): f64 {
  return min<f64>(h2StepOf(s, s + H2_WDX), h2StepOf(s, s + H2_WDZ));
}

function h2CorrectDir(s: i32, w: i32, out: i32): void {
  h2Load(w, s + H2_T1);
  h2Sandwich(s + H2_CH, s + H2_T1, s + H2_T3, s + H2_T2);
  for (let k = 0; k < 8; k++) {
    st(s + H2_WDX + k, ld(s + H2_WDX + k) + ld(s + H2_T3 + k));
    st(s + H2_WDZ + k, ld(s + H2_WDZ + k) - ld(s + H2_T3 + k));
  }
  h2Sandwich(s + H2_C, s + H2_T3, s + H2_T1, s + H2_T2);
  h2Store(s + H2_T1, out);
}

/** The rhs as hpsd2.ts `rhs`: the products it made (3 corrector, 2 centring, 0 affine). */
function h2Rhs(s: i32, sigmaMu: f64, corrector: i32, out: i32): i32 {
  const U = s + H2_T1;
  const l0 = ld(s + H2_LAM);
  const l1 = ld(s + H2_LAM + 1);
  let products = 2;
  if (corrector) {
    h2Mul(s + H2_WDX, s + H2_WDZ, U);
    const dr = -0.5 * (ld(U + 4) + ld(U + 2));
    const di = -0.5 * (ld(U + 5) - ld(U + 3));
    const f = 2 / (l1 + l0);
    st(U + 4, dr * f);
    st(U + 5, di * f);
    st(U + 2, dr * f);
    st(U + 3, -di * f);
    st(U, (sigmaMu - l0 * l0 - ld(U)) / l0);
    st(U + 1, 0);
    st(U + 6, (sigmaMu - l1 * l1 - ld(U + 6)) / l1);
    st(U + 7, 0);
    products = 3;
  } else {
    for (let k = 0; k < 8; k++) st(U + k, 0);
    st(U, (sigmaMu - l0 * l0) / l0);
    st(U + 6, (sigmaMu - l1 * l1) / l1);
    if (sigmaMu == 0) {
      for (let k = 0; k < 8; k++) st(s + H2_UD + k, ld(U + k));
      for (let k = 0; k < 4; k++) st(out + k, -ld(s + H2_XV + k));
      return 0;
    }
  }
  for (let k = 0; k < 8; k++) st(s + H2_UD + k, ld(U + k));
  h2Sandwich(s + H2_C, U, s + H2_T3, s + H2_T2);
  h2Store(s + H2_T3, out);
  return products;
}

function h2DxFromDz(s: i32, dz: i32, out: i32): void {
  h2Load(dz, s + H2_T1);
  h2Sandwich(s + H2_CH, s + H2_T1, s + H2_WDZ, s + H2_T2);
  for (let k = 0; k < 8; k++) st(s + H2_WDX + k, ld(s + H2_UD + k) - ld(s + H2_WDZ + k));
  h2Sandwich(s + H2_C, s + H2_WDX, s + H2_T1, s + H2_T2);
  h2Store(s + H2_T1, out);
}

/** The centrality correction as hpsd2.ts `centrality`, added to out: the products it made (1, or 3 when a correction was added). */
function h2Centrality(s: i32, alpha: f64, lo: f64, hi: f64, out: i32): i32 {
  const l0 = ld(s + H2_LAM);
  const l1 = ld(s + H2_LAM + 1);
  const P = s + H2_T1;
  const Q = s + H2_T2;
  for (let k = 0; k < 8; k++) {
    st(P + k, alpha * ld(s + H2_WDX + k));
    st(Q + k, alpha * ld(s + H2_WDZ + k));
  }
  st(P, ld(P) + l0);
  st(P + 6, ld(P + 6) + l1);
  st(Q, ld(Q) + l0);
  st(Q + 6, ld(Q + 6) + l1);
  const V = s + H2_T3;
  h2Mul(P, Q, V);
  st(V + 4, 0.5 * (ld(V + 4) + ld(V + 2)));
  st(V + 5, 0.5 * (ld(V + 5) - ld(V + 3)));
  if (!h2Eig(s, V, true)) return 1;
  const t = s + H2_T1;
  for (let k = 0; k < 8; k++) st(t + k, 0);
  let any = false;
  const ev = s + H2_EV;
  for (let k = 0; k < 2; k++) {
    const c = clipChange(ld(s + H2_EW + k), lo, hi);
    if (c == 0) continue;
    any = true;
    for (let i = 0; i < 2; i++) {
      const ar = c * ld(ev + 4 * i + 2 * k);
      const ai = c * ld(ev + 4 * i + 2 * k + 1);
      for (let j = 0; j <= i; j++) {
        const br = ld(ev + 4 * j + 2 * k);
        const bi = ld(ev + 4 * j + 2 * k + 1);
        st(t + 4 * i + 2 * j, ld(t + 4 * i + 2 * j) + (ar * br + ai * bi));
        st(t + 4 * i + 2 * j + 1, ld(t + 4 * i + 2 * j + 1) + (ai * br - ar * bi));
      }
    }
  }
  if (!any) return 1;
  const u = s + H2_T2;
  const f = 2 / (l1 + l0);
  st(u, ld(t) / l0);
  st(u + 1, 0);
  st(u + 6, ld(t + 6) / l1);
  st(u + 7, 0);
  st(u + 4, ld(t + 4) * f);
  st(u + 5, ld(t + 5) * f);
  st(u + 2, ld(u + 4));
  st(u + 3, -ld(u + 5));
  for (let k = 0; k < 8; k++) st(s + H2_UD + k, ld(s + H2_UD + k) + ld(u + k));
  h2Sandwich(s + H2_C, u, s + H2_T3, s + H2_T1);
  h2Store(s + H2_T3, s + H2_HV);
  for (let k = 0; k < 4; k++) st(out + k, ld(out + k) + ld(s + H2_HV + k));
  return 3;
}

// The 2 x 2 blocks' operations over `count` blocks at a fixed stride in the space, their
// vectors consecutive (four entries each); a single block is count 1. BATCH_COUNT: the
// products made (what hpsd2.ts counts), where that varies by block.

/** The number of blocks that failed (a point not inside its cone). */
export function h2ScalingBatch(count: i32, sc: i32, stride: i32, x: i32, z: i32): i32 {
  let failed = 0;
  BATCH_COUNT = 0;
  for (let b = 0; b < count; b++) {
    const products = h2Scaling(sc + b * stride, x + 4 * b, z + 4 * b);
    BATCH_COUNT += products;
    if (products < 4) failed++;
  }
  return failed;
}

export function h2ApplyDBatch(count: i32, sc: i32, stride: i32, v: i32, out: i32): void {
  for (let b = 0; b < count; b++) h2ApplyD(sc + b * stride, v + 4 * b, out + 4 * b);
}

export function h2DxFromDzBatch(count: i32, sc: i32, stride: i32, dz: i32, out: i32): void {
  for (let b = 0; b < count; b++) h2DxFromDz(sc + b * stride, dz + 4 * b, out + 4 * b);
}

export function h2CorrectDirBatch(count: i32, sc: i32, stride: i32, w: i32, out: i32): void {
  for (let b = 0; b < count; b++) h2CorrectDir(sc + b * stride, w + 4 * b, out + 4 * b);
}

export function h2RhsBatch(count: i32, sc: i32, stride: i32, sigmaMu: f64, corrector: i32, out: i32): void {
  BATCH_COUNT = 0;
  for (let b = 0; b < count; b++) BATCH_COUNT += h2Rhs(sc + b * stride, sigmaMu, corrector, out + 4 * b);
}

/** The smallest of the blocks' steps; BATCH_WHO its first block (-1 when every step is Infinity). */
export function h2StepBatch(count: i32, sc: i32, stride: i32): f64 {
  let best: f64 = Infinity;
  BATCH_WHO = -1;
  for (let b = 0; b < count; b++) {
    const a = h2Step(sc + b * stride);
    if (a < best) {
      best = a;
      BATCH_WHO = b;
    }
  }
  return best;
}

export function h2CentralityBatch(count: i32, sc: i32, stride: i32, alpha: f64, lo: f64, hi: f64, out: i32): void {
  BATCH_COUNT = 0;
  for (let b = 0; b < count; b++) BATCH_COUNT += h2Centrality(sc + b * stride, alpha, lo, hi, out + 4 * b);
}

// ---- The certificate's scans of the user's A (src/conic/certify.ts: rowParts and its
// lowerCoefficients, dualSlack), operation for operation, so the same bits. They run once per
// solve, so in a fresh process they ran interpreted (about 4 ms of the command line's paper
// solve). Arguments are byte addresses; the caller (src/conic/scans-wasm.ts) lays out memory.

// unit kinds, as scans-wasm.ts writes them
const U_FREE: i32 = 0;
const U_NONNEG: i32 = 1;
const U_SOC: i32 = 2;

/** Where rowParts finds the units and its scratch (set by cpUnits). */
let CP_KIND: usize = 0;
let CP_OFF: usize = 0;
let CP_N: usize = 0;
let CP_LAYOUT: usize = 0;
let CP_COUNT: usize = 0;
let CP_START: usize = 0;
let CP_ORDER: usize = 0;
let CP_G: usize = 0;

/**
 * The units (kind, first column, order, the byte address of the layout: the row of every vec
 * entry, then its column) and the scratch: count, start and order (an i32 per unit, count
 * zeroed) and three f64 arrays of the largest order (plus, minus, off).
 */
export function cpUnits(kind: usize, off: usize, n: usize, layout: usize, count: usize, start: usize, order: usize, g: usize): void {
  CP_KIND = kind;
  CP_OFF = off;
  CP_N = n;
  CP_LAYOUT = layout;
  CP_COUNT = count;
  CP_START = start;
  CP_ORDER = order;
  CP_G = g;
}

/** certify.ts lowerCoefficients of the entries from .. to - 1 (local idx, val) on unit u, into lo[2 p], lo[2 p + 1]. */
function cpLower(u: i32, idx: usize, val: usize, from: i32, to: i32, lo: usize, p: i32): void {
  const kind = gi(CP_KIND, u);
  if (kind == U_NONNEG) {
    sf(lo, 2 * p, gf(val, from));
    sf(lo, 2 * p + 1, -gf(val, from));
    return;
  }
  if (kind == U_FREE) {
    sf(lo, 2 * p, -abs<f64>(gf(val, from)));
    sf(lo, 2 * p + 1, -abs<f64>(gf(val, from)));
    return;
  }
  if (kind == U_SOC) {
    let a0: f64 = 0;
    let rest: f64 = 0;
    for (let t = from; t < to; t++) {
      const v = gf(val, t);
      if (gi(idx, t) == 0) a0 = v;
      else rest += v * v;
    }
    sf(lo, 2 * p, a0 - sqrt<f64>(rest));
    sf(lo, 2 * p + 1, -a0 - sqrt<f64>(rest));
    return;
  }
  const n = gi(CP_N, u);
  const plus = CP_G;
  const minus = CP_G + ((<usize>n) << 3);
  const off = minus + ((<usize>n) << 3);
  for (let i = 0; i < n; i++) {
    sf(plus, i, 0);
    sf(minus, i, 0);
    sf(off, i, 0);
  }
  const rows = <usize>gi(CP_LAYOUT, u);
  const dim = kind == 3 ? (n * (n + 1)) / 2 : n * n;
  const cols = rows + ((<usize>dim) << 2);
  let offDiagonal = false;
  let sq: f64 = 0;
  for (let t = from; t < to; t++) {
    const v = gf(val, t);
    sq += v * v;
    const r = gi(rows, gi(idx, t));
    const c = gi(cols, gi(idx, t));
    if (r == c) {
      sf(plus, r, v);
      sf(minus, r, -v);
    } else {
      const a = abs<f64>(v) * 0.7071067811865476;
      sf(off, r, gf(off, r) + a);
      sf(off, c, gf(off, c) + a);
      offDiagonal = true;
    }
  }
  let gPlus = Infinity;
  let gMinus = Infinity;
  for (let i = 0; i < n; i++) {
    gPlus = min<f64>(gPlus, gf(plus, i) - gf(off, i));
    gMinus = min<f64>(gMinus, gf(minus, i) - gf(off, i));
  }
  const frob = sqrt<f64>(sq);
  sf(lo, 2 * p, offDiagonal ? max<f64>(gPlus, -frob) : gPlus);
  sf(lo, 2 * p + 1, offDiagonal ? max<f64>(gMinus, -frob) : gMinus);
}

/**
 * certify.ts rowParts: every row's nonzero entries grouped by unit (units in order of first
 * appearance, each with its entries in row order) into idx / val (local indices; row i's from
 * the count of nonzeros before it), and per part: its unit, its entries' range (first
 * entry in `from`, the next part's or the end after it), whether it is all diagonal (matrix
 * units), and its lower coefficients of +a and -a (lo, two per part). partPtr[i] is row i's
 * first part. Returns the number of parts.
 */
export function cpRowParts(
  rows: i32,
  rowPtr: usize,
  colIdx: usize,
  values: usize,
  unitOf: usize,
  idx: usize,
  val: usize,
  partPtr: usize,
  partUnit: usize,
  partFrom: usize,
  partDiag: usize,
  lo: usize,
): i32 {
  let parts = 0;
  let next = 0;
  for (let i = 0; i < rows; i++) {
    si(partPtr, i, parts);
    const k0 = gi(rowPtr, i);
    const k1 = gi(rowPtr, i + 1);
    let units = 0;
    for (let k = k0; k < k1; k++) {
      if (gf(values, k) == 0) continue;
      const u = gi(unitOf, gi(colIdx, k));
      const c = gi(CP_COUNT, u);
      if (c == 0) si(CP_ORDER, units++, u);
      si(CP_COUNT, u, c + 1);
    }
    for (let o = 0; o < units; o++) {
      const u = gi(CP_ORDER, o);
      si(CP_START, u, next);
      next += gi(CP_COUNT, u);
      si(CP_COUNT, u, gi(CP_START, u));
    }
    for (let k = k0; k < k1; k++) {
      const v = gf(values, k);
      if (v == 0) continue;
      const j = gi(colIdx, k);
      const u = gi(unitOf, j);
      const at = gi(CP_COUNT, u);
      si(idx, at, j - gi(CP_OFF, u));
      sf(val, at, v);
      si(CP_COUNT, u, at + 1);
    }
    for (let o = 0; o < units; o++) {
      const u = gi(CP_ORDER, o);
      const from = gi(CP_START, u);
      const to = gi(CP_COUNT, u);
      si(partUnit, parts, u);
      si(partFrom, parts, from);
      let diag = 0;
      const kind = gi(CP_KIND, u);
      if (kind > U_SOC) {
        const r = <usize>gi(CP_LAYOUT, u);
        const n = gi(CP_N, u);
        const c = r + ((<usize>(kind == 3 ? (n * (n + 1)) / 2 : n * n)) << 2);
        let t = from;
        while (t < to && gi(r, gi(idx, t)) == gi(c, gi(idx, t))) t++;
        diag = t == to ? 1 : 0;
      }
      si(partDiag, parts, diag);
      cpLower(u, idx, val, from, to, lo, parts);
      si(CP_COUNT, u, 0);
      parts++;
    }
  }
  si(partPtr, rows, parts);
  si(partFrom, parts, next);
  return parts;
}

/**
 * certify.ts dualSlack: v = cScale c - A^T y by rows, with mag (the magnitudes summed) and err
 * = (terms + 2) eps mag; cnt is scratch of n f64 (zeroed here).
 */
export function cpDualSlack(
  rows: i32,
  n: i32,
  rowPtr: usize,
  colIdx: usize,
  values: usize,
  c: usize,
  cScale: f64,
  y: usize,
  v: usize,
  mag: usize,
  cnt: usize,
  err: usize,
): void {
  for (let j = 0; j < n; j++) {
    const t = cScale * gf(c, j);
    sf(v, j, t);
    sf(mag, j, abs<f64>(t));
    sf(cnt, j, 0);
  }
  for (let i = 0; i < rows; i++) {
    const yi = gf(y, i);
    if (yi == 0) continue;
    const k1 = gi(rowPtr, i + 1);
    for (let k = gi(rowPtr, i); k < k1; k++) {
      const j = gi(colIdx, k);
      const t = gf(values, k) * yi;
      sf(v, j, gf(v, j) - t);
      sf(mag, j, gf(mag, j) + abs<f64>(t));
      sf(cnt, j, gf(cnt, j) + 1);
    }
  }
  for (let j = 0; j < n; j++) sf(err, j, (gf(cnt, j) + 2) * EPS * gf(mag, j));
}

/**
 * Whether the CSR rows are well formed (src/conic/prepare.ts validate): rowPtr starts at 0 or
 * later and never decreases, every column index is in [0, n), every value finite, and c (n)
 * and b (rows) finite. 0 sends the caller to its TypeScript loop, which names the first fault.
 */
export function csrValid(rows: i32, n: i32, rowPtr: usize, colIdx: usize, values: usize, c: usize, b: usize): i32 {
  // no row reads past the last entry (a row pointer beyond it would read other memory)
  const nnz = gi(rowPtr, rows);
  if (gi(rowPtr, 0) < 0) return 0;
  for (let i = 0; i < rows; i++) {
    const k1 = gi(rowPtr, i + 1);
    if (k1 < gi(rowPtr, i) || k1 > nnz) return 0;
    for (let k = gi(rowPtr, i); k < k1; k++) {
      const j = gi(colIdx, k);
      const v = gf(values, k);
      if (j < 0 || j >= n || v - v != 0) return 0;
    }
  }
  for (let j = 0; j < n; j++) {
    const v = gf(c, j);
    if (v - v != 0) return 0;
  }
  for (let i = 0; i < rows; i++) {
    const v = gf(b, i);
    if (v - v != 0) return 0;
  }
  return 1;
}

/**
 * certify.ts pinnedColumns' scan: for every row, its one nonzero entry's column and value
 * (col[i] = -1 when the row has none or several).
 */
export function cpSingletons(rows: i32, rowPtr: usize, colIdx: usize, values: usize, col: usize, val: usize): void {
  for (let i = 0; i < rows; i++) {
    let c = -1;
    let v: f64 = 0;
    let count = 0;
    const k1 = gi(rowPtr, i + 1);
    for (let k = gi(rowPtr, i); k < k1; k++) {
      const a = gf(values, k);
      if (a == 0) continue;
      count++;
      c = gi(colIdx, k);
      v = a;
    }
    si(col, i, count == 1 ? c : -1);
    sf(val, i, v);
  }
}

/**
 * solve.ts' residuals of an answer on the user's data, by rows: r = A x - b (each row's sum
 * from -b_i in entry order) and s = z + A^T y - c (A^T y added row by row, then c taken off).
 */
export function userResiduals(rows: i32, n: i32, rowPtr: usize, colIdx: usize, values: usize, b: usize, c: usize, x: usize, y: usize, z: usize, r: usize, s: usize): void {
  for (let j = 0; j < n; j++) sf(s, j, gf(z, j));
  for (let i = 0; i < rows; i++) {
    let acc = -gf(b, i);
    const yi = gf(y, i);
    const k1 = gi(rowPtr, i + 1);
    for (let k = gi(rowPtr, i); k < k1; k++) {
      const j = gi(colIdx, k);
      const a = gf(values, k);
      acc += a * gf(x, j);
      sf(s, j, gf(s, j) + a * yi);
    }
    sf(r, i, acc);
  }
  for (let j = 0; j < n; j++) sf(s, j, gf(s, j) - gf(c, j));
}

/**
 * ipm.ts startScales' scan of the rows: per cone ci (owner: the cone of every column), the
 * largest (1 + |b_i|) / (1 + ||row i on ci||) and the largest ||row i on ci|| over the rows
 * that touch it (maxRatio, maxNorm: K f64 each, zeroed here; rowNorm: K f64 of scratch).
 */
export function startRowNorms(rows: i32, K: i32, rowPtr: usize, colIdx: usize, values: usize, owner: usize, b: usize, rowNorm: usize, maxRatio: usize, maxNorm: usize): void {
  for (let ci = 0; ci < K; ci++) {
    sf(maxRatio, ci, 0);
    sf(maxNorm, ci, 0);
  }
  for (let i = 0; i < rows; i++) {
    for (let ci = 0; ci < K; ci++) sf(rowNorm, ci, 0);
    const k1 = gi(rowPtr, i + 1);
    for (let t = gi(rowPtr, i); t < k1; t++) {
      const o = gi(owner, gi(colIdx, t));
      const v = gf(values, t);
      sf(rowNorm, o, gf(rowNorm, o) + v * v);
    }
    for (let ci = 0; ci < K; ci++) {
      const r = gf(rowNorm, ci);
      if (r == 0) continue;
      const nr = sqrt<f64>(r);
      sf(maxRatio, ci, max<f64>(gf(maxRatio, ci), (1 + abs<f64>(gf(b, i))) / (1 + nr)));
      sf(maxNorm, ci, max<f64>(gf(maxNorm, ci), nr));
    }
  }
}

// ---- The SDPA reader's plain entry lines (src/conic/sdpa.ts fastEntries and PLAIN_ENTRY):
// `matno blkno i j value` of unsigned integers and a decimal without a Fortran exponent,
// separated by spaces or tabs. The text is in memory as bytes (ASCII; any other byte ends the
// run, so byte and string offsets agree up to there). A line this reader does not take ends
// the run; the TypeScript reader goes on from there with its own rules and messages.

/**
 * 10^k for 0 <= k <= 22, exactly (each product of the loop is an integer below 2^53 times a
 * power of two, so a double exactly). Computed, not a table: the callers of these kernels use
 * the whole memory as scratch, where a static table would live.
 */
function pow10(k: i32): f64 {
  let p: f64 = 1;
  for (let t = 0; t < k; t++) p *= 10;
  return p;
}

/** Where the last spRead left off (a byte offset from the text's start), its hard values and their JSON's length. */
export let SP_AT: i32 = 0;
export let SP_HARD: i32 = 0;
export let SP_JSON: i32 = 0;

/**
 * Appends the value token [from, to) of text to json at SP_JSON as a JSON number with the
 * same decimal value (no '+', no leading zeros, a 0 before a leading '.', no trailing '.'),
 * comma separated: JSON.parse then reads it as Number() reads the token (both round the exact
 * decimal value to the nearest double).
 */
function spJsonToken(text: usize, from: i32, to: i32, json: usize): void {
  let q = SP_JSON;
  if (q > 0) q = putByte(json, q, 44);
  let p = from;
  const c0 = byteAt(text, p);
  if (c0 == 45) q = putByte(json, q, 45);
  if (c0 == 45 || c0 == 43) p++;
  while (p < to && byteAt(text, p) == 48) p++;
  if (p == to || !isDigit(byteAt(text, p))) q = putByte(json, q, 48);
  for (; p < to && isDigit(byteAt(text, p)); p++) q = putByte(json, q, byteAt(text, p));
  if (p < to && byteAt(text, p) == 46) {
    p++;
    if (p < to && isDigit(byteAt(text, p))) {
      q = putByte(json, q, 46);
      for (; p < to && isDigit(byteAt(text, p)); p++) q = putByte(json, q, byteAt(text, p));
    }
  }
  // the exponent as written ([eE][+-]?digits is JSON's own)
  for (; p < to; p++) q = putByte(json, q, byteAt(text, p));
  SP_JSON = q;
}

@inline function byteAt(text: usize, p: i32): i32 {
  return <i32>load<u8>(text + <usize>p);
}
@inline function putByte(json: usize, q: i32, b: i32): i32 {
  store<u8>(json + <usize>q, <u8>b);
  return q + 1;
}

/**
 * Puts the hard values, parsed by the caller (count f64 at vals, in the order spRead listed
 * them), into vv; returns the first one that is not finite (the caller ends the run at its
 * line), or -1.
 */
export function spScatter(hard: usize, vals: usize, vv: usize, count: i32): i32 {
  for (let h = 0; h < count; h++) {
    const v = gf(vals, h);
    if (v - v != 0) return h;
    sf(vv, gi(hard, 2 * h), v);
  }
  return -1;
}

@inline function isBlank(c: i32): bool {
  return c == 32 || c == 9;
}
@inline function isDigit(c: i32): bool {
  return c >= 48 && c <= 57;
}

/** Where spField left off: after the blanks that follow its integer, or -1 when the line is not plain there. */
let SP_POS: i32 = 0;

/**
 * An unsigned decimal integer at p (at least one digit) followed by at least one blank, as
 * Number() reads it (-1: more than 15 digits); SP_POS after the blanks, or -1.
 */
function spField(text: usize, p: i32, end: i32): f64 {
  let v: f64 = 0;
  const from = p;
  while (p < end && isDigit(load<u8>(text + <usize>p))) {
    v = v * 10 + <f64>(load<u8>(text + <usize>p) - 48);
    p++;
  }
  const digits = p - from;
  if (digits == 0 || p >= end || !isBlank(load<u8>(text + <usize>p))) {
    SP_POS = -1;
    return -1;
  }
  while (p < end && isBlank(load<u8>(text + <usize>p))) p++;
  SP_POS = p;
  return digits > 15 ? -1 : v;
}

/**
 * Reads plain entry lines from byte `from` of the n bytes at `text` (`last`: 1 when they end
 * the text, so the final line may lack its line end) while each is within range: m matrices,
 * nb blocks of the sizes at `blocks` (i32; negative: diagonal). Each entry goes to mat, blk
 * (0-based), ii <= jj (0-based) and vv; a value this reader cannot round exactly (more than 15
 * significant digits, or beyond 10^+-22 of them) is left NaN, listed in hard (entry and line
 * start: two i32 each; SP_HARD of them) and written to json as a JSON number (SP_JSON bytes)
 * for the caller's JSON.parse. Returns the number of entries; SP_AT is the offset after the
 * last line read.
 */
export function spRead(
  text: usize,
  n: i32,
  from: i32,
  last: i32,
  m: i32,
  nb: i32,
  blocks: usize,
  mat: usize,
  blk: usize,
  ii: usize,
  jj: usize,
  vv: usize,
  hard: usize,
  json: usize,
): i32 {
  let p = from;
  let count = 0;
  SP_HARD = 0;
  SP_JSON = 0;
  while (p < n) {
    const lineStart = p;
    while (p < n && isBlank(load<u8>(text + <usize>p))) p++;
    // four integers, each followed by blanks
    const a = spField(text, p, n);
    if (SP_POS < 0) break;
    const bk = spField(text, SP_POS, n);
    if (SP_POS < 0) break;
    const i = spField(text, SP_POS, n);
    if (SP_POS < 0) break;
    const j = spField(text, SP_POS, n);
    if (SP_POS < 0) break;
    p = SP_POS;
    // the value: [+-]? (digits [. digits*] | . digits) ([eE] [+-]? digits)?
    const tokStart = p;
    let negative = false;
    if (p < n && (load<u8>(text + <usize>p) == 43 || load<u8>(text + <usize>p) == 45)) {
      negative = load<u8>(text + <usize>p) == 45;
      p++;
    }
    let sig: u64 = 0;
    let sigDigits = 0; // significant digits kept (leading zeros skipped)
    let dropped = false; // a nonzero digit beyond the 19 kept
    let scale = 0; // decimal exponent of the last kept digit's unit
    let intDigits = 0;
    while (p < n && isDigit(load<u8>(text + <usize>p))) {
      const d = load<u8>(text + <usize>p) - 48;
      if (sigDigits < 19) {
        if (sigDigits > 0 || d != 0) {
          sig = sig * 10 + <u64>d;
          sigDigits++;
        }
      } else {
        scale++;
        if (d != 0) dropped = true;
      }
      intDigits++;
      p++;
    }
    let fracDigits = 0;
    if (p < n && load<u8>(text + <usize>p) == 46) {
      p++;
      while (p < n && isDigit(load<u8>(text + <usize>p))) {
        const d = load<u8>(text + <usize>p) - 48;
        if (sigDigits < 19) {
          if (sigDigits > 0 || d != 0) {
            sig = sig * 10 + <u64>d;
            sigDigits++;
          }
          scale--;
        } else if (d != 0) dropped = true;
        fracDigits++;
        p++;
      }
    }
    if (intDigits + fracDigits == 0) break;
    let exp = 0;
    let expDigits = 0;
    const c = p < n ? <i32>load<u8>(text + <usize>p) : 0;
    if (c == 101 || c == 69) {
      let q = p + 1;
      let expNeg = false;
      if (q < n && (load<u8>(text + <usize>q) == 43 || load<u8>(text + <usize>q) == 45)) {
        expNeg = load<u8>(text + <usize>q) == 45;
        q++;
      }
      const digitsFrom = q;
      while (q < n && isDigit(load<u8>(text + <usize>q))) {
        if (expDigits < 6) exp = exp * 10 + (load<u8>(text + <usize>q) - 48);
        expDigits++;
        q++;
      }
      if (q > digitsFrom) {
        p = q;
        if (expNeg) exp = -exp;
      }
    }
    const tokEnd = p;
    // then blanks and the line's end (or the text's end, when it ends the text)
    while (p < n && isBlank(load<u8>(text + <usize>p))) p++;
    if (p < n) {
      const e = load<u8>(text + <usize>p);
      if (e == 13) {
        p++;
        if (p < n && load<u8>(text + <usize>p) == 10) p++;
        else if (p == n && !last) break; // a CR at the window's end: its LF may follow
      } else if (e == 10) p++;
      else break;
    } else if (!last) break; // the window cut this line
    // fastEntries' checks: safe integers, then entryError's ranges
    if (a < 0 || bk < 0 || i < 0 || j < 0) break;
    if (a > <f64>m || bk < 1 || bk > <f64>nb) break;
    const size = gi(blocks, <i32>bk - 1);
    const order = size < 0 ? -size : size;
    if (i < 1 || i > <f64>order || j < 1 || j > <f64>order) break;
    if (size < 0 && i != j) break;
    // trailing zeros of the kept digits into the exponent (exact): 1.000000000000000e+00 is 1
    while (sig != 0 && sig % 10 == 0) {
      sig /= 10;
      sigDigits--;
      scale++;
    }
    let v: f64 = NaN;
    if (sig == 0 && !dropped) v = negative ? -0.0 : 0.0;
    else if (!dropped && sigDigits <= 15 && expDigits <= 6) {
      const e10 = scale + exp;
      const s = <f64>sig;
      if (e10 >= 0 && e10 <= 22) v = s * pow10(e10);
      else if (e10 < 0 && e10 >= -22) v = s / pow10(-e10);
      if (negative) v = -v;
    }
    if (isNaN(v)) {
      const h = SP_HARD++;
      si(hard, 2 * h, count);
      si(hard, 2 * h + 1, lineStart);
      spJsonToken(text, tokStart, tokEnd, json);
    }
    si(mat, count, <i32>a);
    si(blk, count, <i32>bk - 1);
    si(ii, count, <i32>(i < j ? i : j) - 1);
    si(jj, count, <i32>(i < j ? j : i) - 1);
    sf(vv, count, v);
    count++;
    SP_AT = p;
  }
  if (count == 0) SP_AT = from;
  return count;
}

// ---- SDPA's entries into the standard form's rows (src/conic/sdpa.ts sdpaToConic): the same
// columns, values and sums in the same order, so the same bits.

/** Sorts the u64 keys [a, b) ascending (tmp: scratch of the same range): insertion below 16, else merges. */
function sortKeys(keys: usize, tmp: usize, a: i32, b: i32): void {
  const len = b - a;
  if (len <= 16) {
    for (let t = a + 1; t < b; t++) {
      const x = load<u64>(keys + ((<usize>t) << 3));
      let u = t - 1;
      while (u >= a && load<u64>(keys + ((<usize>u) << 3)) > x) {
        store<u64>(keys + ((<usize>(u + 1)) << 3), load<u64>(keys + ((<usize>u) << 3)));
        u--;
      }
      store<u64>(keys + ((<usize>(u + 1)) << 3), x);
    }
    return;
  }
  let src = keys;
  let dst = tmp;
  for (let width = 1; width < len; width *= 2) {
    for (let lo = a; lo < b; lo += 2 * width) {
      const mid = min<i32>(lo + width, b);
      const hi = min<i32>(lo + 2 * width, b);
      let p = lo;
      let q = mid;
      for (let o = lo; o < hi; o++) {
        const takeLeft = q >= hi || (p < mid && load<u64>(src + ((<usize>p) << 3)) <= load<u64>(src + ((<usize>q) << 3)));
        store<u64>(dst + ((<usize>o) << 3), load<u64>(src + ((<usize>(takeLeft ? p++ : q++)) << 3)));
      }
    }
    const s = src;
    src = dst;
    dst = s;
  }
  if (src != keys) for (let t = a; t < b; t++) store<u64>(keys + ((<usize>t) << 3), load<u64>(src + ((<usize>t) << 3)));
}

/**
 * The count entries (mat, blk, ii <= jj: i32; vv: f64) of an SDPA problem with m constraint
 * matrices and nb blocks (order and first column of each: i32 at sizes and offs; order <= 1:
 * a diagonal block) as sdpaToConic makes them: c (n f64) = -F_0, and the rows of F_1 .. F_m in
 * compressed rows (rowPtr m + 1, colIdx and values), each row's entries by column with
 * duplicates summed in file order. Scratch: colOf (i32), valOf (f64), rowStart (m + 1 i32),
 * keys and tmp (u64), count each. Returns the number of row entries.
 */
export function sdpaRows(
  count: i32,
  m: i32,
  sizes: usize,
  offs: usize,
  mat: usize,
  blk: usize,
  ii: usize,
  jj: usize,
  vv: usize,
  n: i32,
  c: usize,
  colOf: usize,
  valOf: usize,
  rowStart: usize,
  keys: usize,
  tmp: usize,
  rowPtr: usize,
  colIdx: usize,
  values: usize,
): i32 {
  for (let j = 0; j < n; j++) sf(c, j, 0);
  for (let r = 0; r <= m; r++) si(rowStart, r, 0);
  for (let k = 0; k < count; k++) {
    const b = gi(blk, k);
    const i = gi(ii, k);
    const j = gi(jj, k);
    const s = gi(sizes, b);
    const v = i == j ? gf(vv, k) : 1.4142135623730951 * gf(vv, k);
    // svecIndex(s, j, i) for i <= j: (j, i) is in the lower triangle
    const col = s > 1 ? gi(offs, b) + <i32>((<f64>i * (2 * <f64>s - <f64>i + 1)) / 2) + (j - i) : gi(offs, b) + i;
    si(colOf, k, col);
    sf(valOf, k, v);
    const a = gi(mat, k);
    if (a == 0) sf(c, col, gf(c, col) - v);
    else si(rowStart, a, gi(rowStart, a) + 1);
  }
  for (let r = 0; r < m; r++) si(rowStart, r + 1, gi(rowStart, r + 1) + gi(rowStart, r));
  // each row's entries as keys column << 32 | position, in the row's range (rowPtr as the fill pointer)
  for (let r = 0; r < m; r++) si(rowPtr, r, gi(rowStart, r));
  for (let k = 0; k < count; k++) {
    const a = gi(mat, k);
    if (a == 0) continue;
    const at = gi(rowPtr, a - 1);
    si(rowPtr, a - 1, at + 1);
    store<u64>(keys + ((<usize>at) << 3), ((<u64>gi(colOf, k)) << 32) | <u64>k);
  }
  let nnz = 0;
  si(rowPtr, 0, 0);
  for (let r = 0; r < m; r++) {
    const a = gi(rowStart, r);
    const b = gi(rowStart, r + 1);
    sortKeys(keys, tmp, a, b);
    let t = a;
    while (t < b) {
      const cc = <i32>(load<u64>(keys + ((<usize>t) << 3)) >> 32);
      let sum: f64 = 0;
      while (t < b && <i32>(load<u64>(keys + ((<usize>t) << 3)) >> 32) == cc) {
        sum += gf(valOf, <i32>(load<u64>(keys + ((<usize>t) << 3)) & 0xffffffff));
        t++;
      }
      si(colIdx, nnz, cc);
      sf(values, nnz, sum);
      nnz++;
    }
    si(rowPtr, r + 1, nnz);
  }
  return nnz;
}

// ---- A real PSD block's part of the Schur program (src/conic/schur.ts blockEntries,
// buildPsdBlock and writePsdBlock for a real block without low-rank hints), written straight
// into the program's pools as the TypeScript writer lays them out, so the same program.

/** Sizes of the last psdProgram's chunks (i32 and f64 slots). */
export let PP_INTS: i32 = 0;
export let PP_FLOATS: i32 = 0;

/**
 * The block on columns off .. off + dim - 1 of A^T (colPtr, rowIdx, values; n x n, svec
 * order), m rows: its program chunk into ints and floats, whose offsets count from intBase and
 * floatBase (where the writer's pools stand). Scratch: `s` 5 m + 1 + 13 T + 2 n i32, `fs`
 * 2 T f64, keys and tmp T u64 each, T the block's entries. The chunks take at most 8 + 19 T
 * i32 and 3 n^2 + 1 + T f64. Returns the header's slot in the chunk (0).
 */
export function psdProgram(
  colPtr: usize,
  rowIdx: usize,
  values: usize,
  off: i32,
  dim: i32,
  n: i32,
  m: i32,
  s: usize,
  fs: usize,
  keys: usize,
  tmp: usize,
  ints: usize,
  floats: usize,
  intBase: i32,
  floatBase: i32,
): i32 {
  // blockEntries: rows in order of first appearance in the block's columns
  const rank = s;
  const order = rank + ((<usize>m) << 2);
  const cnt = order + ((<usize>m) << 2);
  const start = cnt + ((<usize>m) << 2);
  const fill = start + ((<usize>(m + 1)) << 2);
  for (let r = 0; r < m; r++) si(rank, r, -1);
  let nOrder = 0;
  const c0 = gi(colPtr, off);
  const c1 = gi(colPtr, off + dim);
  const total = c1 - c0;
  for (let a = c0; a < c1; a++) {
    const row = gi(rowIdx, a);
    if (gi(rank, row) < 0) {
      si(rank, row, nOrder);
      si(order, nOrder, row);
      si(cnt, nOrder, 0);
      nOrder++;
    }
    const r = gi(rank, row);
    si(cnt, r, gi(cnt, r) + 1);
  }
  si(start, 0, 0);
  for (let r = 0; r < nOrder; r++) {
    si(start, r + 1, gi(start, r) + gi(cnt, r));
    si(fill, r, gi(start, r));
  }
  const Ep = fill + ((<usize>m) << 2);
  const Eq = Ep + ((<usize>total) << 2);
  const Ev = fs;
  // svec position t: column j, row i >= j (svecIndex order)
  let t = 0;
  for (let j = 0; j < n; j++) {
    for (let i = j; i < n; i++) {
      for (let a = gi(colPtr, off + t); a < gi(colPtr, off + t + 1); a++) {
        const r = gi(rank, gi(rowIdx, a));
        const e = gi(fill, r);
        si(fill, r, e + 1);
        si(Ep, e, j);
        si(Eq, e, i);
        sf(Ev, e, i == j ? gf(values, a) : gf(values, a) * 0.7071067811865476);
      }
      t++;
    }
  }
  // buildPsdBlock: each row's nonzero entries, the matrix rows they touch (in first-touch
  // order) and their slots; per kept row a record (row, nnz, nr, first entry, first touched)
  const slotOf = Eq + ((<usize>total) << 2);
  const touched = slotOf + ((<usize>n) << 2);
  const P = touched + ((<usize>n) << 2); // p, q, ps, qs of the kept entries: T each
  const Q = P + ((<usize>total) << 2);
  const PS = Q + ((<usize>total) << 2);
  const QS = PS + ((<usize>total) << 2);
  const TR = QS + ((<usize>total) << 2); // touched rows, concatenated (at most T... 2 per entry)
  const REC = TR + ((<usize>(2 * total)) << 2); // 5 i32 per kept row
  const V = fs + ((<usize>total) << 3);
  for (let x = 0; x < n; x++) si(slotOf, x, -1);
  let R = 0;
  let kept = 0;
  let nTouched = 0;
  for (let r = 0; r < nOrder; r++) {
    let count = 0;
    for (let e = gi(start, r); e < gi(start, r + 1); e++) if (gf(Ev, e) != 0) count++;
    if (count == 0) continue;
    const first = kept;
    const firstTouched = nTouched;
    let slots = 0;
    for (let e = gi(start, r); e < gi(start, r + 1); e++) {
      const val = gf(Ev, e);
      if (val == 0) continue;
      const a = gi(Ep, e);
      const b = gi(Eq, e);
      si(P, kept, a);
      si(Q, kept, b);
      sf(V, kept, a == b ? 0.5 * val : val);
      if (gi(slotOf, a) < 0) {
        si(touched, slots, a);
        si(slotOf, a, slots++);
      }
      if (gi(slotOf, b) < 0) {
        si(touched, slots, b);
        si(slotOf, b, slots++);
      }
      si(PS, kept, gi(slotOf, a));
      si(QS, kept, gi(slotOf, b));
      kept++;
    }
    for (let x = 0; x < slots; x++) {
      si(TR, nTouched++, gi(touched, x));
      si(slotOf, gi(touched, x), -1);
    }
    si(REC, 5 * R, gi(order, r));
    si(REC, 5 * R + 1, count);
    si(REC, 5 * R + 2, slots);
    si(REC, 5 * R + 3, first);
    si(REC, 5 * R + 4, firstTouched);
    R++;
  }
  // by decreasing number of entries, ties in row order (a stable sort)
  for (let a = 0; a < R; a++) store<u64>(keys + ((<usize>a) << 3), ((<u64>(total - gi(REC, 5 * a + 1))) << 32) | <u64>a);
  sortKeys(keys, tmp, 0, R);
  // writePsdBlock: the header and row table, then G, work, work2 and the scale, then per row
  // its p, q, v, touched rows, ps, qs (and empty low-rank arrays)
  const N = n;
  let work = 1;
  for (let a = 0; a < R; a++) work = max<i32>(work, gi(REC, 5 * a + 2) * N);
  const hdrLen = 8 + 13 * R;
  for (let x = 0; x < hdrLen; x++) si(ints, x, 0);
  let ni = hdrLen;
  let nf = 0;
  const gAt = nf;
  nf += N * N;
  const workAt = nf;
  nf += work;
  const work2At = nf;
  nf += N * N;
  for (let x = 0; x < nf; x++) sf(floats, x, 0);
  const scaleAt = nf;
  sf(floats, nf++, 1);
  si(ints, 0, N);
  si(ints, 1, R);
  si(ints, 2, floatBase + gAt);
  si(ints, 3, floatBase + workAt);
  si(ints, 4, floatBase + work2At);
  si(ints, 5, floatBase + scaleAt);
  let tail: f64 = <f64>kept;
  for (let a = 0; a < R; a++) {
    const rec = 5 * <i32>(load<u64>(keys + ((<usize>a) << 3)) & 0xffffffff);
    const nnz = gi(REC, rec + 1);
    const nr = gi(REC, rec + 2);
    const first = gi(REC, rec + 3);
    const firstTouched = gi(REC, rec + 4);
    const f1 = <f64>min<i32>(nr, N) * <f64>N * <f64>N * 0.5 + 2 * <f64>nnz * <f64>N + tail;
    const f2 = 2 * <f64>nnz * <f64>N + <f64>nr * tail;
    tail -= <f64>nnz;
    const row = 8 + 13 * a;
    si(ints, row, gi(REC, rec));
    si(ints, row + 1, f1 < f2 ? 1 : 2);
    si(ints, row + 2, nnz);
    si(ints, row + 3, intBase + ni);
    for (let e = 0; e < nnz; e++) si(ints, ni++, gi(P, first + e));
    si(ints, row + 4, intBase + ni);
    for (let e = 0; e < nnz; e++) si(ints, ni++, gi(Q, first + e));
    si(ints, row + 5, floatBase + nf);
    for (let e = 0; e < nnz; e++) sf(floats, nf++, gf(V, first + e));
    si(ints, row + 6, nr);
    si(ints, row + 7, intBase + ni);
    for (let x = 0; x < nr; x++) si(ints, ni++, gi(TR, firstTouched + x));
    si(ints, row + 8, intBase + ni);
    for (let e = 0; e < nnz; e++) si(ints, ni++, gi(PS, first + e));
    si(ints, row + 9, intBase + ni);
    for (let e = 0; e < nnz; e++) si(ints, ni++, gi(QS, first + e));
    si(ints, row + 10, 0);
    si(ints, row + 11, floatBase + nf);
    si(ints, row + 12, floatBase + nf);
  }
  PP_INTS = ni;
  PP_FLOATS = nf;
  return 0;
}

// ---- prepare.ts prepareShape's copy of the user's rows (no free cones) and transpose: the
// same arrays.

/**
 * Each of the m rows (uPtr, uCol i32, uVal f64) copied without its zeros, every column mapped
 * through colMap, into rowPtr (m + 1), cols and vals, while every row's columns increase
 * strictly; the number of entries copied, or -1 at the first row whose columns do not (the
 * caller then merges and sorts in TypeScript).
 */
export function prepRows(m: i32, uPtr: usize, uCol: usize, uVal: usize, colMap: usize, rowPtr: usize, cols: usize, vals: usize): i32 {
  let nnz = 0;
  si(rowPtr, 0, 0);
  for (let i = 0; i < m; i++) {
    const k0 = gi(uPtr, i);
    const k1 = gi(uPtr, i + 1);
    for (let k = k0; k < k1; k++) {
      if (k > k0 && !(gi(uCol, k) > gi(uCol, k - 1))) return -1;
      const v = gf(uVal, k);
      if (v == 0) continue;
      si(cols, nnz, gi(colMap, gi(uCol, k)));
      sf(vals, nnz++, v);
    }
    si(rowPtr, i + 1, nnz);
  }
  return nnz;
}

/** prepare.ts transpose: A (rows x cols, CSR) by columns into colPtr (cols + 1), rowIdx and tvalues; next: cols i32 of scratch. */
export function csrTranspose(rows: i32, cols: i32, rowPtr: usize, colIdx: usize, values: usize, colPtr: usize, rowIdx: usize, tvalues: usize, next: usize): void {
  const nnz = gi(rowPtr, rows);
  for (let j = 0; j <= cols; j++) si(colPtr, j, 0);
  for (let k = 0; k < nnz; k++) {
    const j = gi(colIdx, k) + 1;
    si(colPtr, j, gi(colPtr, j) + 1);
  }
  for (let j = 0; j < cols; j++) si(colPtr, j + 1, gi(colPtr, j + 1) + gi(colPtr, j));
  for (let j = 0; j < cols; j++) si(next, j, gi(colPtr, j));
  for (let i = 0; i < rows; i++) {
    const k1 = gi(rowPtr, i + 1);
    for (let k = gi(rowPtr, i); k < k1; k++) {
      const j = gi(colIdx, k);
      const q = gi(next, j);
      si(next, j, q + 1);
      si(rowIdx, q, i);
      sf(tvalues, q, gf(values, k));
    }
  }
}
