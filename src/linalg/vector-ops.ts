/**
 * The interior-point loop's vector updates as small shared functions.
 *
 * Why not loops in place: a fresh process runs the loop's large methods (run, solveDir,
 * refine) in V8's interpreter and baseline tiers for most of its first solve, because a large
 * function is optimised late and takes long to compile. A small function called from every
 * site is optimised after a few calls (V8 compiles short functions on their first budget
 * tick), so the n-vector work moves to optimised code early. Each function computes exactly
 * the expression its name spells, entry by entry in index order, so the results are the same
 * to the last bit as the loops they replace.
 *
 * When all their arrays live in the WebAssembly memory of the run's vector space
 * (wasm-vectors.ts), the same expression runs there: compiled from the first call, where a
 * fresh process would interpret the loop.
 */
import { slotOf, vectorKernels } from './wasm-vectors.ts';

/** y += a x. */
export function axpy(a: number, x: Float64Array, y: Float64Array, n: number): void {
  const k = vectorKernels(x, y);
  if (k) {
    k.vAxpy(a, slotOf(x), slotOf(y), n);
    return;
  }
  for (let i = 0; i < n; i++) y[i] += a * x[i];
}

/** out[off + i] = -x[i] for i < n (the matrix cones' affine rhs: minus their x, exactly). */
export function negInto(x: Float64Array, out: Float64Array, off: number, n: number): void {
  if (n <= 0) return;
  // copied natively first: the cones keep x in arrays of their own, out is the loop's vector
  out.set(x.subarray(0, n), off);
  const k = vectorKernels(out);
  if (k) {
    k.vNeg(slotOf(out) + off, slotOf(out) + off, n);
    return;
  }
  for (let i = off; i < off + n; i++) out[i] = -out[i];
}

/** e1 = eta rp - (tm - b dtau); returns the sum of e1's squares (ipm.ts dirResidual). */
export function directionResidual(eta: number, rp: Float64Array, tm: Float64Array, b: Float64Array, dtau: number, e1: Float64Array, n: number): number {
  const k = vectorKernels(rp, tm, b, e1);
  if (k) return k.vDirResidual(eta, slotOf(rp), slotOf(tm), slotOf(b), dtau, slotOf(e1), n);
  let ne = 0;
  for (let i = 0; i < n; i++) {
    e1[i] = eta * rp[i] - (tm[i] - b[i] * dtau);
    ne += e1[i] * e1[i];
  }
  return ne;
}

/** out = a x - y (out may be y). */
export function axmy(a: number, x: Float64Array, y: Float64Array, out: Float64Array, n: number): void {
  const k = vectorKernels(x, y, out);
  if (k) {
    k.vAxmy(a, slotOf(x), slotOf(y), slotOf(out), n);
    return;
  }
  for (let i = 0; i < n; i++) out[i] = a * x[i] - y[i];
}

/** out = x - y (out may be x or y). */
export function xmy(x: Float64Array, y: Float64Array, out: Float64Array, n: number): void {
  const k = vectorKernels(x, y, out);
  if (k) {
    k.vXmy(slotOf(x), slotOf(y), slotOf(out), n);
    return;
  }
  for (let i = 0; i < n; i++) out[i] = x[i] - y[i];
}

/** out = x + a y (out may be y). */
export function xpay(x: Float64Array, a: number, y: Float64Array, out: Float64Array, n: number): void {
  const k = vectorKernels(x, y, out);
  if (k) {
    k.vXpay(slotOf(x), a, slotOf(y), slotOf(out), n);
    return;
  }
  for (let i = 0; i < n; i++) out[i] = x[i] + a * y[i];
}

/** out = a x - y - z. */
export function axmymz(a: number, x: Float64Array, y: Float64Array, z: Float64Array, out: Float64Array, n: number): void {
  const k = vectorKernels(x, y, z, out);
  if (k) {
    k.vAxmymz(a, slotOf(x), slotOf(y), slotOf(z), slotOf(out), n);
    return;
  }
  for (let i = 0; i < n; i++) out[i] = a * x[i] - y[i] - z[i];
}

/** y += x + a w. */
export function addXpaw(x: Float64Array, a: number, w: Float64Array, y: Float64Array, n: number): void {
  const k = vectorKernels(x, w, y);
  if (k) {
    k.vAddXpaw(slotOf(x), a, slotOf(w), slotOf(y), n);
    return;
  }
  for (let i = 0; i < n; i++) y[i] += x[i] + a * w[i];
}

/** sum (x[i] + y[i]) ** 2 in index order. */
export function sumSquaresOfSum(x: Float64Array, y: Float64Array, n: number): number {
  const k = vectorKernels(x, y);
  if (k) return k.vSumSqOfSum(slotOf(x), slotOf(y), n);
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i] + y[i]) ** 2;
  return s;
}

/** A new array x s (for the once-per-solve rescalings: `map` with a closure ran them in the interpreter in a fresh process). */
export function times(x: Float64Array, s: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] * s;
  return out;
}

/** A new array x / d. */
export function over(x: Float64Array, d: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] / d;
  return out;
}

/** A new array (x s) / d. */
export function timesOver(x: Float64Array, s: number, d: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] * s) / d;
  return out;
}

/** A new array x / a / b. */
export function overOver(x: Float64Array, a: number, b: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] / a / b;
  return out;
}
