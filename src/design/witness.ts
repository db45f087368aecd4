/**
 * A feasible witness for `fixed`, built without the SDP and checked by the model from scratch
 * (model/evaluate.ts); only a design that passes is a witness. Its parts:
 * - sensing R_s = rho P_s at every transmitting BS, P_s the projector onto the targets'
 *   directions {a_t, D a_t} and their conjugates seen from BS s (the subspace the FIM reads),
 *   either as is or restricted to the orthogonal complement of the users' channels (no
 *   sensing interference when N > K); rho the smallest (to 1 %) that meets every CRLB
 *   together with the beams' own information, by bisection below rho_iso, which meets it
 *   alone (the FIM is linear in the covariances);
 * - beams: the sum-power-optimal beams for the SINR targets alone (downlink-uplink duality,
 *   the sensing counted as noise), or zero-forcing;
 * - powers from the SINR equations, a K x K linear system.
 * Two kinds of sensing x two kinds of beams; the witness is the cheapest feasible one.
 *
 * Its power is an upper bound on the optimum of problem (13) that owes nothing to the conic
 * solver: a reported optimum above it is wrong, and a certified lower bound above it is false
 * (design/solve.ts: againstWitness). Measured on small scenarios it is 1-4x the optimum
 * (examples/small.json at receiver 2, association 3,3: 2.11 W against 2.074 W).
 */
import type { CMat, CVec } from '../linalg/complex.ts';
import { identity, scale, zeros, dotH, norm2sq, quadForm } from '../linalg/complex.ts';
import { inverse } from '../linalg/complex-decomp.ts';
import type { Design, Scenario } from '../model/types.ts';
import { crlbPerTarget, radarLink } from '../model/fim.ts';
import { indexWeighted } from '../model/geometry.ts';
import { evaluateDesign } from '../model/evaluate.ts';

/** Relative margin on the SINR and CRLB targets, so that round-off cannot fail the check. */
const MARGIN = 1e-6;

export interface Witness {
  design: Design;
  totalPower: number;
}

/** The witness for a receiver and an association, or null when this construction is infeasible. */
export function feasibleWitness(scn: Scenario, receiver: number, association: number[]): Witness | null {
  const { N, S } = scn;
  let best: Witness | null = null;
  for (const nulled of [true, false]) {
    const P = Array.from({ length: S }, (_, s) => (s === receiver ? zeros(N, N) : sensingProjector(scn, receiver, s, nulled)));
    const w = withProjectors(scn, receiver, association, P);
    if (w && (!best || w.totalPower < best.totalPower)) best = w;
  }
  return best;
}

/** The best witness with sensing covariances rho P_s (rho found by bisection) and either kind of beams. */
function withProjectors(scn: Scenario, receiver: number, association: number[], P: CMat[]): Witness | null {
  // rho P alone meets every CRLB from rho_iso on: the FIM is linear in the covariances, so the
  // CRLB of rho P is crlb(P) / rho; the beams only add information (the equivalent FIM is
  // monotone in the FIM), so a smaller rho may do; the smallest is found by bisection.
  const crlbs = crlbPerTarget(scn, receiver, P);
  let rhoIso = 0;
  scn.targets.forEach((t, i) => {
    rhoIso = Math.max(rhoIso, (crlbs[i]! / t.crlbMax) * (1 + MARGIN));
  });
  if (!(Number.isFinite(rhoIso) && rhoIso > 0)) return null;
  // The smallest rho (to 1 %, from rho_iso / 1000 up) with the duality beams, then both kinds
  // of beams at that rho.
  // The bisection keeps the duality beams of rho_iso / 30 (any beams give a valid witness; the
  // beams change little with rho), so that they are computed once.
  const guess = withSensing(scn, receiver, association, P, rhoIso / 30, 'mmse');
  const beams = guess ? guess.design.beamformers.map(unitVector) : 'mmse';
  const mmse = (rho: number) => withSensing(scn, receiver, association, P, rho, beams);
  const crlbOk = (w: { ev: ReturnType<typeof evaluateDesign> } | null) =>
    w?.ev.targets.every((t, i) => t.crlb !== null && t.crlb <= scn.targets[i]!.crlbMax) === true;
  let hi = rhoIso;
  if (crlbOk(mmse(0))) hi = 0;
  else {
    let lo = rhoIso * 1e-3;
    if (crlbOk(mmse(lo))) hi = lo;
    for (let it = 0; it < 10 && hi > lo; it++) {
      const mid = Math.sqrt(lo * hi);
      if (crlbOk(mmse(mid))) hi = mid;
      else lo = mid;
    }
  }
  let best: Witness | null = null;
  // the bisection's own beams (they met the CRLB at hi), fresh duality beams, zero-forcing
  for (const kind of [beams, 'mmse', 'zf'] as const) {
    const w = withSensing(scn, receiver, association, P, hi, kind);
    if (w?.ev.feasible && (!best || w.ev.totalPower < best.totalPower)) best = { design: w.design, totalPower: w.ev.totalPower };
  }
  return best;
}

/**
 * The design with sensing rho P_s and beams of the given kind, powers from the SINR equations
 * with the sensing as extra noise, and its evaluation by the model; null when no positive
 * powers meet the SINRs with these beams.
 */
function withSensing(scn: Scenario, receiver: number, association: number[], P: CMat[], rho: number, beams: 'mmse' | 'zf' | CVec[]) {
  const { S, K } = scn;
  const noise = scn.users.map((u, k) => {
    let n = u.noisePower;
    // h^H P h plus what rounding can make of it (P nulls h: the value is rounding noise that
    // the model's own evaluation of h^H (rho P) h reproduces only in size, not in value)
    for (let s = 0; s < S; s++) {
      if (s === receiver) continue;
      const h = scn.channels[s]![k]!;
      n += rho * (Math.abs(quadForm(h, P[s]!)[0]) + 16 * scn.N * Number.EPSILON * norm2sq(h));
    }
    return n;
  });
  const dirs = beams === 'mmse' ? mmseBeams(scn, association, noise) : beams === 'zf' ? zfBeams(scn, association) : beams;
  if (!dirs) return null;
  // p_k g_kk = Gamma_k (sum_{j != k} p_j g_kj + noise_k): (diag(g) - Gamma G) p = Gamma noise
  const gain = (k: number, j: number) => {
    const [re, im] = dotH(scn.channels[association[j]!]![k]!, dirs[j]!);
    return re * re + im * im;
  };
  const M = zeros(K, K);
  const rhs = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    const gamma = scn.users[k]!.minSinr * (1 + MARGIN);
    rhs[k] = gamma * noise[k]!;
    for (let j = 0; j < K; j++) M.data[2 * (k * K + j)] = j === k ? gain(k, k) : -gamma * gain(k, j);
  }
  let inv: CMat;
  try {
    inv = inverse(M);
  } catch {
    return null;
  }
  const p = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < K; j++) p[k]! += inv.data[2 * (k * K + j)]! * rhs[j]!;
    if (!(p[k]! > 0 && Number.isFinite(p[k]!))) return null;
  }
  const design: Design = {
    receiver,
    association: association.slice(),
    beamformers: dirs.map((d, k) => d.map((x) => x * Math.sqrt(p[k]!))),
    sensingCovariances: P.map((m) => scale(m, rho)),
  };
  return { design, ev: evaluateDesign(scn, design) };
}

/** Zero-forcing at every BS: nulling all other users when K <= N, else its own users, else maximum-ratio. */
function zfBeams(scn: Scenario, association: number[]): CVec[] | null {
  const { N, S, K } = scn;
  const dirs: CVec[] = association.map(() => new Float64Array(0));
  for (let s = 0; s < S; s++) {
    const users = association.flatMap((a, k) => (a === s ? [k] : []));
    if (users.length === 0) continue;
    const all = scn.channels[s]!.map((h) => h!);
    const full = K <= N ? zeroForcing(all, N) : null;
    const own = full
      ? null
      : (zeroForcing(
          users.map((k) => all[k]!),
          N,
        ) ?? users.map((k) => unitVector(all[k]!)));
    users.forEach((k, i) => {
      dirs[k] = full ? full[k]! : own![i]!;
    });
  }
  return dirs;
}

/**
 * The beams that minimise the total power for the SINR targets alone (downlink-uplink duality,
 * the fixed point of the uplink powers lambda, each beam the MMSE receive filter of its BS):
 * lambda_k = 1 / ((1 + 1 / Gamma_k) h~_k^H (I + sum_j lambda_j h~_{s_k,j} h~_{s_k,j}^H)^-1 h~_k) with
 * the channels scaled by 1 / sqrt(noise_k). A heuristic here: any beams give a valid witness.
 */
function mmseBeams(scn: Scenario, association: number[], noise: number[]): CVec[] | null {
  const { N, K } = scn;
  const scaled = scn.channels.map((row) => row.map((h, k) => h!.map((x) => x / Math.sqrt(noise[k]!))));
  const ht = (s: number, k: number) => scaled[s]![k]!;
  const lambda = new Float64Array(K).fill(1);
  let dirs: CVec[] = [];
  for (let it = 0, change = Infinity; it < 30 && change > 1e-6; it++) {
    const inv = new Map<number, CMat>();
    const filter = (s: number): CMat | null => {
      if (inv.has(s)) return inv.get(s)!;
      const A = identity(N);
      for (let j = 0; j < K; j++) {
        const h = ht(s, j);
        for (let a = 0; a < N; a++)
          for (let b = 0; b < N; b++) {
            // lambda_j h_a conj(h_b)
            A.data[2 * (a * N + b)]! += lambda[j]! * (h[2 * a]! * h[2 * b]! + h[2 * a + 1]! * h[2 * b + 1]!);
            A.data[2 * (a * N + b) + 1]! += lambda[j]! * (h[2 * a + 1]! * h[2 * b]! - h[2 * a]! * h[2 * b + 1]!);
          }
      }
      try {
        inv.set(s, inverse(A));
      } catch {
        return null;
      }
      return inv.get(s)!;
    };
    const next = new Float64Array(K);
    dirs = [];
    for (let k = 0; k < K; k++) {
      const F = filter(association[k]!);
      if (!F) return null;
      const h = ht(association[k]!, k);
      const u = new Float64Array(2 * N);
      for (let a = 0; a < N; a++)
        for (let b = 0; b < N; b++) {
          const fr = F.data[2 * (a * N + b)]!;
          const fi = F.data[2 * (a * N + b) + 1]!;
          u[2 * a]! += fr * h[2 * b]! - fi * h[2 * b + 1]!;
          u[2 * a + 1]! += fr * h[2 * b + 1]! + fi * h[2 * b]!;
        }
      const q = dotH(h, u)[0]; // h^H F h, real and positive
      if (!(q > 0 && Number.isFinite(q))) return null;
      next[k] = 1 / ((1 + 1 / scn.users[k]!.minSinr) * q);
      dirs.push(unitVector(u));
    }
    change = 0;
    for (let k = 0; k < K; k++) change = Math.max(change, Math.abs(next[k]! - lambda[k]!) / next[k]!);
    lambda.set(next);
  }
  return dirs;
}

/** v / ||v||. */
function unitVector(v: CVec): CVec {
  const n = Math.sqrt(norm2sq(v));
  return v.map((x) => x / n);
}

/**
 * Zero-forcing beams for channels h_k (length N) from one BS: the columns of H (H^H H)^-1,
 * normalised, so that h_k^H u_j = 0 for k != j; null when H^H H is singular (or not finite).
 */
function zeroForcing(h: CVec[], N: number): CVec[] | null {
  const n = h.length;
  if (n > N) return null;
  const G = zeros(n, n); // G_ij = h_i^H h_j
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const [re, im] = dotH(h[i]!, h[j]!);
      G.data[2 * (i * n + j)] = re;
      G.data[2 * (i * n + j) + 1] = im;
    }
  let Gi: CMat;
  try {
    Gi = inverse(G);
  } catch {
    return null;
  }
  // u_j = sum_i h_i (G^-1)_ij, so that h_k^H u_j = delta_kj
  const out: CVec[] = [];
  for (let j = 0; j < n; j++) {
    const u = new Float64Array(2 * N);
    for (let i = 0; i < n; i++) {
      const gr = Gi.data[2 * (i * n + j)]!;
      const gi = Gi.data[2 * (i * n + j) + 1]!;
      const v = h[i]!;
      for (let e = 0; e < N; e++) {
        u[2 * e]! += v[2 * e]! * gr - v[2 * e + 1]! * gi;
        u[2 * e + 1]! += v[2 * e]! * gi + v[2 * e + 1]! * gr;
      }
    }
    const nrm = Math.sqrt(norm2sq(u));
    if (!(nrm > 0 && Number.isFinite(nrm))) return null;
    out.push(u.map((x) => x / nrm));
  }
  return out;
}

/**
 * Orthogonal projector onto span{a_t, D a_t, conj(a_t), D conj(a_t)} over the targets t, a_t
 * BS s's steering vector towards target t (Gram-Schmidt; the identity when the span is C^N),
 * with `nulled` restricted to the orthogonal complement of the users' channels from BS s.
 */
function sensingProjector(scn: Scenario, receiver: number, s: number, nulled: boolean): CMat {
  const N = scn.N;
  const basis: CVec[] = [];
  // With `nulled`, the users' channels from BS s come first and are then left out of the
  // projector: the sensing signal is orthogonal to every user (no interference) when N > K.
  const users = nulled && scn.K < N ? scn.channels[s]!.map((h) => h!) : [];
  const vectors: CVec[] = [...users];
  scn.targets.forEach((_, t) => {
    const a = radarLink(scn, receiver, s, t).aT;
    const conj = a.map((x, i) => (i % 2 ? -x : x));
    vectors.push(a, indexWeighted(a), conj, indexWeighted(conj));
  });
  let skip = 0;
  vectors.forEach((v, idx) => {
    const u = Float64Array.from(v);
    for (let pass = 0; pass < 2; pass++) {
      for (const q of basis) {
        const [re, im] = dotH(q, u); // u -= q (q^H u)
        for (let e = 0; e < N; e++) {
          u[2 * e]! -= q[2 * e]! * re - q[2 * e + 1]! * im;
          u[2 * e + 1]! -= q[2 * e]! * im + q[2 * e + 1]! * re;
        }
      }
    }
    const n = Math.sqrt(norm2sq(u));
    if (n > 1e-8 * Math.sqrt(norm2sq(v))) {
      basis.push(u.map((x) => x / n));
      if (idx < users.length) skip++;
    }
  });
  if (skip === 0 && basis.length >= N) return identity(N);
  const P = zeros(N, N);
  for (const q of basis.slice(skip)) {
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        // (q q^H)_ij = q_i conj(q_j)
        P.data[2 * (i * N + j)]! += q[2 * i]! * q[2 * j]! + q[2 * i + 1]! * q[2 * j + 1]!;
        P.data[2 * (i * N + j) + 1]! += q[2 * i + 1]! * q[2 * j]! - q[2 * i]! * q[2 * j + 1]!;
      }
    }
  }
  return P;
}
