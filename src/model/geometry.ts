/**
 * Geometry and steering conventions of the contract:
 *   sin(theta_s(p)) = u_s . (p - q_s) / |p - q_s|,   a(theta)_n = exp(-j pi n sin(theta)), n = 0..N-1,
 *   tau_{s,s'} = (|p - q_{s'}| + |p - q_s|) / c.
 * Derivatives with respect to the target position p = [p1, p2] go through sin(theta):
 *   d sin(theta)/dp = (u - sin(theta) e) / r,  e = (p - q)/r,  r = |p - q|,
 *   d a_n/dp_i = -j pi n a_n d sin(theta)/dp_i   (so da/dp_i is parallel to D a, D = diag(n)).
 */
import type { CVec } from '../linalg/complex.ts';
import type { Point } from './types.ts';

export const SPEED_OF_LIGHT = 299792458;

/** The contract's default array axis: broadside faces the origin; (1, 0) for a BS at the origin. */
export function defaultArrayAxis(q: Point): Point {
  const r = Math.hypot(q[0], q[1]);
  if (r === 0) return [1, 0];
  const b: Point = [-q[0] / r, -q[1] / r];
  return [-b[1], b[0]];
}

/** The unit vector along u. */
export function normalize(u: Point): Point {
  const r = Math.hypot(u[0], u[1]);
  return [u[0] / r, u[1] / r];
}

/** Euclidean distance between two points (m). */
export function distance(a: Point, b: Point): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/** sin(theta) of point p seen from a BS at q with (unit) array axis u. */
export function sinTheta(q: Point, u: Point, p: Point): number {
  const dx = p[0] - q[0];
  const dy = p[1] - q[1];
  return (u[0] * dx + u[1] * dy) / Math.hypot(dx, dy);
}

/** [d sin(theta)/dp1, d sin(theta)/dp2]. */
export function sinThetaGradient(q: Point, u: Point, p: Point): Point {
  const dx = p[0] - q[0];
  const dy = p[1] - q[1];
  const r = Math.hypot(dx, dy);
  const st = (u[0] * dx + u[1] * dy) / r;
  return [(u[0] - (st * dx) / r) / r, (u[1] - (st * dy) / r) / r];
}

/** a(theta) for a given sin(theta). */
export function steering(N: number, sinT: number): CVec {
  const a = new Float64Array(2 * N);
  for (let n = 0; n < N; n++) {
    const ph = -Math.PI * n * sinT;
    a[2 * n] = Math.cos(ph);
    a[2 * n + 1] = Math.sin(ph);
  }
  return a;
}

/** D a with D = diag(0, 1, ..., N-1). */
export function indexWeighted(a: CVec): CVec {
  const out = new Float64Array(a.length);
  for (let n = 0; n < a.length / 2; n++) {
    out[2 * n] = n * a[2 * n]!;
    out[2 * n + 1] = n * a[2 * n + 1]!;
  }
  return out;
}

/** da/dp_i = -j pi (d sin(theta)/dp_i) D a. */
export function steeringDerivative(a: CVec, dSin: number): CVec {
  const out = new Float64Array(a.length);
  for (let n = 0; n < a.length / 2; n++) {
    const f = -Math.PI * n * dSin; // multiply by j f
    out[2 * n] = -f * a[2 * n + 1]!;
    out[2 * n + 1] = f * a[2 * n]!;
  }
  return out;
}

/** tau_{s,s'} in seconds for receiver at qRx and transmitter at qTx. */
export function delay(qRx: Point, qTx: Point, p: Point): number {
  return (distance(p, qTx) + distance(p, qRx)) / SPEED_OF_LIGHT;
}

/** [d tau/dp1, d tau/dp2] (s/m): the sum of the two unit vectors towards p, over c. */
export function delayGradient(qRx: Point, qTx: Point, p: Point): Point {
  const rt = distance(p, qTx);
  const rr = distance(p, qRx);
  return [((p[0] - qTx[0]) / rt + (p[0] - qRx[0]) / rr) / SPEED_OF_LIGHT, ((p[1] - qTx[1]) / rt + (p[1] - qRx[1]) / rr) / SPEED_OF_LIGHT];
}
