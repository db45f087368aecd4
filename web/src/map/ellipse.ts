/**
 * The CRLB error ellipse of the target: the error covariance is C = J_e^-1 (J_e the 2x2
 * equivalent FIM), CRLB = tr(C) = l1 + l2; the 1-sigma ellipse has semi-axes sqrt(l1), sqrt(l2)
 * along C's eigenvectors. The bound epsilon is shown as the 1-sigma circle of the isotropic
 * covariance (epsilon/2) I, whose trace is epsilon: radius sqrt(epsilon/2). The design meets
 * the bound iff a^2 + b^2 <= 2 r^2, i.e. the ellipse's trace does not exceed the circle's.
 */
export interface Ellipse {
  /** Semi-major and semi-minor axes, m. */
  a: number;
  b: number;
  /** Angle of the major axis from +x, radians (counter-clockwise, world coordinates). */
  angle: number;
}

export function covarianceEllipse(fim: number[][]): Ellipse | null {
  const [[p, q0], [q1, r]] = fim as [[number, number], [number, number]];
  const q = (q0 + q1) / 2;
  const det = p * r - q * q;
  if (!(det > 0) || !Number.isFinite(det)) return null;
  // C = J^-1 = [r, -q; -q, p] / det.
  const cxx = r / det;
  const cyy = p / det;
  const cxy = -q / det;
  const mean = (cxx + cyy) / 2;
  const rad = Math.hypot((cxx - cyy) / 2, cxy);
  const l1 = mean + rad;
  const l2 = Math.max(0, mean - rad);
  return { a: Math.sqrt(l1), b: Math.sqrt(l2), angle: 0.5 * Math.atan2(2 * cxy, cxx - cyy) };
}

/** Radius of the circle that stands for the bound epsilon (m^2): sqrt(epsilon / 2). */
export function epsilonRadius(crlbMax: number): number {
  return Math.sqrt(crlbMax / 2);
}
