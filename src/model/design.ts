/**
 * Designs: parsing/validating the contract's design JSON against a scenario, writing it
 * back, and the isotropic reference design.
 */
import { type CMat, fromPairs, toPairs, vecFromPairs, vecToPairs, hermitianDefect, normF, scale, identity, zeros, hermitianPart } from '../linalg/complex.ts';
import { cholesky } from '../linalg/complex-decomp.ts';
import { EigWorkspace, minEig } from '../linalg/real-eig.ts';
import type { Design, Scenario } from './types.ts';
import { DESIGN_TOL, designSchema, inputErrorAt, parseWithSchema, type DesignDims } from './schema.ts';
import { transmitCovariances, powerPerBs } from './covariance.ts';
import { evaluateDesign } from './evaluate.ts';

/**
 * Validates a design (parsed JSON) against a scenario (or just its dimensions) and resolves it.
 * Throws InputError naming the JSON path for: missing parts, receiver or association out of
 * range, association naming the receiver, wrong shapes, non-Hermitian or non-PSD sensing
 * covariances, and a non-zero receiver covariance.
 */
export function parseDesign(json: unknown, scn: Scenario | DesignDims, source?: string): Design {
  const { S, K, N } = scn;
  const d = parseWithSchema(designSchema, json, 'design', source);
  const fail = (path: PropertyKey[], msg: string): never => {
    throw inputErrorAt(path, msg, source);
  };
  const why = d.status && d.status !== 'optimal' && d.status !== 'feasible' ? ` (design status '${d.status}')` : '';
  if (d.receiver === undefined) fail(['receiver'], `missing: the design names no receiving BS${why}, nothing to evaluate`);
  const receiver = d.receiver as number;
  if (receiver < 0 || receiver >= S) fail(['receiver'], `BS index ${receiver} out of range 0..${S - 1}`);

  if (!d.association) return fail(['association'], `missing${why}`);
  if (d.association.length !== K) fail(['association'], `must have K = ${K} entries (one per user), has ${d.association.length}`);
  d.association.forEach((s, k) => {
    if (s < 0 || s >= S) fail(['association', k], `BS index ${s} out of range 0..${S - 1}`);
    if (s === receiver) fail(['association', k], `user ${k} is served by BS ${s}, the receiving BS; the receiver does not transmit`);
  });

  if (!d.beamformers) return fail(['beamformers'], `missing${why}`);
  if (d.beamformers.length !== K) fail(['beamformers'], `must be K x N = ${K} x ${N}; has ${d.beamformers.length} rows`);
  d.beamformers.forEach((w, k) => {
    if (w.length !== N) fail(['beamformers', k], `must have N = ${N} complex entries, has ${w.length}`);
  });

  if (!d.sensingCovariances) return fail(['sensingCovariances'], `missing${why}`);
  const rs = d.sensingCovariances;
  if (rs.length !== S) fail(['sensingCovariances'], `must be S x N x N = ${S} x ${N} x ${N}; has ${rs.length} matrices`);
  rs.forEach((r, s) => {
    if (r.length !== N) fail(['sensingCovariances', s], `must be N x N = ${N} x ${N}; has ${r.length} rows`);
    r.forEach((row, i) => {
      if (row.length !== N) fail(['sensingCovariances', s, i], `must have N = ${N} entries, has ${row.length}`);
    });
  });
  const mats = rs.map((r) => fromPairs(r));
  const largest = Math.max(1, ...mats.map(normF));
  mats.forEach((m, s) => {
    const nrm = normF(m);
    if (s === receiver) {
      if (nrm > DESIGN_TOL.receiverZero * largest) {
        fail(['sensingCovariances', s], `the receiving BS ${s} must have an all-zero sensing covariance (||R||_F = ${nrm.toExponential(3)})`);
      }
      return;
    }
    const defect = hermitianDefect(m);
    if (defect > DESIGN_TOL.hermitian * nrm) {
      fail(['sensingCovariances', s], `not Hermitian: max |R_ij - conj(R_ji)| = ${defect.toExponential(3)} > ${DESIGN_TOL.hermitian} * ||R||_F`);
    }
    // Work on R / ||R||_F (entries near 1e308 would overflow). A Cholesky factorisation of
    // R / ||R|| + tol I (O(N^3 / 3), a second at N = 1024) proves min eig >= -tol at once;
    // only when it fails is the smallest eigenvalue computed, and it alone decides.
    if (nrm > 0 && !Number.isFinite(nrm)) fail(['sensingCovariances', s], 'entries are too large to evaluate (non-finite norm)');
    const tol = (DESIGN_TOL.psd * Math.max(1, nrm)) / Math.max(nrm, Number.MIN_VALUE);
    if (nrm > 0 && !choleskyPasses(scale(hermitianPart(m), 1 / nrm), tol)) {
      const min = smallestEigenvalue(scale(m, 1 / nrm)) * nrm;
      if (!Number.isFinite(min)) fail(['sensingCovariances', s], 'entries are too large to evaluate (non-finite eigenvalues)');
      if (min < -DESIGN_TOL.psd * Math.max(1, nrm)) {
        fail(['sensingCovariances', s], `not positive semidefinite: smallest eigenvalue ${min.toExponential(3)}`);
      }
    }
  });

  return {
    status: d.status,
    method: d.method,
    receiver,
    association: d.association.slice(),
    beamformers: d.beamformers.map((w) => vecFromPairs(w)),
    // Round-off asymmetry within tolerance is removed; the receiver's is exactly zero.
    sensingCovariances: mats.map((m, s) => (s === receiver ? zeros(N, N) : hermitianPart(m))),
    reportedTotalPower: d.totalPower,
    lowerBound: d.lowerBound,
  };
}

/**
 * The design as contract JSON (totalPower recomputed). Without a status of its own the design
 * is evaluated and marked 'feasible' or 'infeasible' accordingly.
 */
export function designToJson(scn: Scenario, design: Design): Record<string, unknown> {
  const total = powerPerBs(transmitCovariances(scn, design)).reduce((a, b) => a + b, 0);
  return {
    status: design.status ?? (evaluateDesign(scn, design).feasible ? 'feasible' : 'infeasible'),
    method: design.method ?? 'manual',
    receiver: design.receiver,
    association: design.association,
    beamformers: design.beamformers.map(vecToPairs),
    sensingCovariances: design.sensingCovariances.map(toPairs),
    totalPower: total,
    ...(design.lowerBound !== undefined ? { lowerBound: design.lowerBound } : {}),
  };
}

/** Index of the BS nearest to a point among the allowed ones (ties: lowest index). */
export function nearestBs(scn: Scenario, p: [number, number], exclude: number): number {
  let best = -1;
  let bestD = Infinity;
  scn.baseStations.forEach((b, s) => {
    if (s === exclude) return;
    const d = Math.hypot(p[0] - b.position[0], p[1] - b.position[1]);
    if (d < bestD) {
      bestD = d;
      best = s;
    }
  });
  return best;
}

/**
 * Reference design: every BS except `receiver` spends its whole budget on isotropic sensing,
 * R_s = (P/N) I; no user is served (each gets a zero beamformer at its nearest non-receiver
 * BS, so the association is still valid). Its CRLB is what full-power sensing achieves.
 */
export function isotropicDesign(scn: Scenario, receiver: number): Design {
  if (!Number.isInteger(receiver) || receiver < 0 || receiver >= scn.S) {
    throw inputErrorAt('receiver', `BS index ${receiver} out of range 0..${scn.S - 1}`);
  }
  const cov: CMat[] = scn.baseStations.map((_, s) => (s === receiver ? zeros(scn.N, scn.N) : scale(identity(scn.N), scn.maxPower / scn.N)));
  return {
    method: 'isotropic',
    receiver,
    association: scn.users.map((u) => nearestBs(scn, u.position, receiver)),
    beamformers: scn.users.map(() => new Float64Array(2 * scn.N)),
    sensingCovariances: cov,
  };
}

/** A Cholesky factorisation of a + shift I succeeds (a Hermitian, of norm about 1). */
function choleskyPasses(a: CMat, shift: number): boolean {
  const b = a.data.slice();
  for (let i = 0; i < a.rows; i++) b[2 * (i * a.rows + i)]! += shift;
  try {
    cholesky({ ...a, data: b });
    return true;
  } catch {
    return false;
  }
}

/**
 * Smallest eigenvalue of a Hermitian matrix through its real embedding [[Re, -Im], [Im, Re]]
 * (same eigenvalues, each twice) and Householder + QL: O(N^3), unlike Jacobi's sweeps.
 */
function smallestEigenvalue(a: CMat): number {
  const n = a.rows;
  const h = hermitianPart(a).data;
  const o = 2 * n;
  const M = new Float64Array(o * o);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const re = h[2 * (i * n + j)]!;
      const im = h[2 * (i * n + j) + 1]!;
      M[i * o + j] = re;
      M[(i + n) * o + j + n] = re;
      M[(i + n) * o + j] = im;
      M[i * o + j + n] = -im;
    }
  }
  return minEig(M, new EigWorkspace(o));
}
