/**
 * The position information one transmitter's echo carries, in closed form: what makes the
 * CRLB constraint of a single receiver an SOC and a few 2 x 2 cones instead of the LMI (12).
 *
 * For receiver r, target t and transmitter s, the FIM block of (p1, p2, Re alpha_s, Im alpha_s)
 * reads Q_s only through the moment Y = B^H Q_s B (sensing-moment.ts; B an orthonormal basis
 * of span{a_t, D a_t} with a_t first). Eliminating the gain (the Schur complement J_s = F_pp -
 * F_pa F_aa^-1 F_ap, the position's equivalent FIM from this echo) gives
 *
 *   J_s(Y) = sigma(Y) A_s + Y_00 P_s,   sigma(Y) = Y_11 - |Y_01|^2 / Y_00,
 *
 * with constant 2 x 2 PSD matrices A_s (the transmit angle's information, rank one) and P_s
 * (the receive angle's). Derivation (docs/model.md derives it): the
 * echo's derivatives G~_i = d_i a_R (D a_T)^H + r_i (D a_R) a_T^H - tau'_i G all lie in
 * span{G, G1 = a_R (D a_T)^H, G2 = (D a_R) a_T^H}; the gain removes the G direction, and in the
 * inner product <X, X'> = tr(X' Q X^H) what is left of G1 has norm |a_R|^2 sigma(Y) and what
 * is left of G2 has norm |D a_R - c a_R|^2 Y_00 (c = a_R^H D a_R / |a_R|^2), orthogonal to
 * each other for every Q. The delay term drops out (fim.ts states the same).
 *
 * The matrices are not taken from that derivation but measured on the FIM the SDP uses
 * (`FimLinear.coef`): at Y = diag(1, 0) (sigma = 0) and Y = I (sigma = 1); then the form is
 * checked at a generic Y, so a FIM without this structure is refused, not silently misused.
 */
import type { FimLinear } from './data.ts';
import { momentCoefficient, type SensingMoment } from './sensing-moment.ts';
import { cmat, traceMul } from '../linalg/complex.ts';

/** J_s(Y) = sigma(Y) onSchur + Y_00 onPower, each 2 x 2 symmetric as [j00, j01, j11]. */
export interface EchoInformation {
  onSchur: [number, number, number];
  onPower: [number, number, number];
}

/**
 * The position's equivalent FIM from transmitter q's echo at moment Y (r x r, the moment's
 * basis), as [j00, j01, j11]: the Schur complement of its 4 x 4 block over the gain pair.
 */
export function echoEquivalentFim(f: FimLinear, q: number, mo: Pick<SensingMoment, 'G' | 'rank'>, Y: Float64Array): [number, number, number] {
  const T = f.transmitters.length;
  const idx = [0, 1, 2 + q, 2 + T + q];
  const F = [0, 1, 2, 3].map(() => [0, 0, 0, 0]);
  for (let a = 0; a < 4; a++) {
    for (let b = a; b < 4; b++) {
      const M = f.coef(Math.min(idx[a]!, idx[b]!), Math.max(idx[a]!, idx[b]!), q);
      const v = M ? traceMul(cmat(mo.rank, mo.rank, momentCoefficient(mo, M)), cmat(mo.rank, mo.rank, Y))[0] : 0;
      F[a]![b] = F[b]![a] = v;
    }
  }
  // F_aa^-1 of the gain pair (2 x 2); zero information from the echo when it is singular.
  const [g00, g01, g11] = [F[2]![2]!, F[2]![3]!, F[3]![3]!];
  const det = g00 * g11 - g01 * g01;
  const out: [number, number, number] = [F[0]![0]!, F[0]![1]!, F[1]![1]!];
  if (!(det > 1e-300)) return out;
  const inv = [g11 / det, -g01 / det, g00 / det];
  const sub = (i: number, j: number): number => {
    const ui = [F[i]![2]!, F[i]![3]!];
    const uj = [F[j]![2]!, F[j]![3]!];
    return ui[0]! * (inv[0]! * uj[0]! + inv[1]! * uj[1]!) + ui[1]! * (inv[1]! * uj[0]! + inv[2]! * uj[1]!);
  };
  out[0] -= sub(0, 0);
  out[1] -= sub(0, 1);
  out[2] -= sub(1, 1);
  return out;
}

/** Relative mismatch above which the FIM is refused (the form is exact; this is rounding). */
const FORM_TOL = 1e-8;

/**
 * A_s and P_s of transmitter q's echo in f (see the file comment), measured and checked.
 * Throws when the FIM does not have the closed form (a modelling change would show here).
 */
export function echoInformation(f: FimLinear, q: number, mo: Pick<SensingMoment, 'G' | 'rank'>): EchoInformation {
  const r = mo.rank;
  const unit = (entries: [number, number][]): Float64Array => {
    const Y = new Float64Array(2 * r * r);
    for (const [i, v] of entries) if (i < r) Y[2 * (i * r + i)] = v;
    return Y;
  };
  const onPower = echoEquivalentFim(f, q, mo, unit([[0, 1]]));
  const both =
    r === 2
      ? echoEquivalentFim(
          f,
          q,
          mo,
          unit([
            [0, 1],
            [1, 1],
          ]),
        )
      : onPower;
  const onSchur: [number, number, number] = [both[0] - onPower[0], both[1] - onPower[1], both[2] - onPower[2]];
  if (r === 2) checkForm(f, q, mo, { onSchur, onPower });
  return { onSchur, onPower };
}

/** The closed form at a generic moment (fixed, well-conditioned, with all four coordinates). */
function checkForm(f: FimLinear, q: number, mo: Pick<SensingMoment, 'G' | 'rank'>, info: EchoInformation): void {
  // Y = [[2, 0.3 - 0.7i], [0.3 + 0.7i, 1.1]]: sigma = 1.1 - 0.58 / 2 = 0.81.
  const Y = Float64Array.from([2, 0, 0.3, -0.7, 0.3, 0.7, 1.1, 0]);
  const sigma = 1.1 - (0.3 * 0.3 + 0.7 * 0.7) / 2;
  const got = echoEquivalentFim(f, q, mo, Y);
  let scale = 0;
  let err = 0;
  for (let e = 0; e < 3; e++) {
    const want = sigma * info.onSchur[e]! + 2 * info.onPower[e]!;
    scale = Math.max(scale, Math.abs(want), Math.abs(got[e]!));
    err = Math.max(err, Math.abs(want - got[e]!));
  }
  if (err > FORM_TOL * scale)
    throw new Error(`the FIM of transmitter ${f.transmitters[q]} lacks the closed form sigma(Y) A + Y_00 P (mismatch ${(err / scale).toExponential(1)})`);
}
