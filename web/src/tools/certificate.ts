/**
 * The solver's own explanation of an infeasible scenario. For each candidate receiver r the
 * association relaxation (every other BS may serve every user, no rank constraint; a
 * relaxation of every design with r receiving) is solved; when it is infeasible the solver
 * returns a Farkas ray y (b^T y > 0 with -A^T y in the cone, re-checked on the data by
 * conic/certify.ts before the design layer calls it `infeasible`). Summing the ray against
 * the rows shows which requirements it combines: b^T y = sum_i b_i y_i over the SINR rows of
 * the users, the power rows of the BSs and the CRLB rows of the targets (every row with a
 * nonzero right-hand side is one of these). A requirement whose rows carry no weight can be
 * relaxed at will without breaking this certificate; the ones with weight conflict. Rows are
 * scaled to right-hand sides of order one (SINR by sigma_k^2, budgets by P, the CRLB trace
 * row to 2), so the shares |b_i y_i| / sum |b_j y_j| compare requirements on a common footing.
 */
import { parseScenario } from '../../../src/model/scenario.ts';
import { designData } from '../../../src/design/from-scenario.ts';
import { fixedSpec } from '../../../src/design/fixed.ts';
import { buildFormulation, type Formulation } from '../../../src/design/formulation.ts';
import { othersThan } from '../../../src/design/relaxation.ts';
import { runSdp } from '../../../src/design/sdp.ts';

export type RequirementRef = { kind: 'sinr'; user: number } | { kind: 'power'; bs: number } | { kind: 'crlb'; target: number };

export interface Share {
  requirement: RequirementRef;
  /** Fraction of sum |b_i y_i| on this requirement's rows. */
  share: number;
}

export interface ReceiverCertificate {
  receiver: number;
  /** infeasible: a verified Farkas ray; feasible: the relaxation has a point (no proof from it); failed: the solver stopped. */
  status: 'infeasible' | 'feasible' | 'failed';
  /** Largest share first; empty unless infeasible. */
  shares: Share[];
  /** Weight on rows of none of the three kinds (0 up to rounding; kept to check that claim). */
  unclassified: number;
  /** The association of a `fixed` choice this certificate is about; absent: every association (the relaxation). */
  association?: number[];
}

/** The receiver and association of an infeasible `fixed` result. */
export interface FixedChoice {
  receiver: number;
  association: number[];
}

/**
 * A requirement counts as part of a certificate above this share. The interior-point ray is
 * not the sparsest one, so requirements outside the conflict keep a small weight: up to 0.13 %
 * measured for the SINR rows of the tight-CRLB scenario in the tests.
 */
export const SHARE_FLOOR = 2e-3;

/** Which requirement every row with a nonzero right-hand side belongs to. */
function rowRequirements(f: Formulation): Map<number, RequirementRef> {
  const rows = new Map<number, RequirementRef>();
  f.pricing.sinrRow.forEach((row, user) => row >= 0 && rows.set(row, { kind: 'sinr', user }));
  f.pricing.powerRow.forEach((row, bs) => row >= 0 && rows.set(row, { kind: 'power', bs }));
  // The CRLB rows: those with a right-hand side touching target t's bound cone (formulation.ts, TargetLmi.bound).
  const { A, b } = f.problem;
  f.lmis.forEach((lmi, target) => {
    if (!lmi.bound) return;
    const lo = lmi.bound.offset;
    const hi = lo + lmi.bound.size;
    for (let i = 0; i < A.rows; i++) {
      if (b[i] === 0 || rows.has(i)) continue;
      for (let q = A.rowPtr[i]!; q < A.rowPtr[i + 1]!; q++) {
        const j = A.colIdx[q]!;
        if (j >= lo && j < hi) {
          rows.set(i, { kind: 'crlb', target });
          break;
        }
      }
    }
  });
  return rows;
}

const key = (r: RequirementRef) => (r.kind === 'sinr' ? `sinr:${r.user}` : r.kind === 'power' ? `power:${r.bs}` : `crlb:${r.target}`);

/** The weights of a Farkas ray y on the requirements of formulation f. */
export function rayShares(f: Formulation, y: Float64Array): { shares: Share[]; unclassified: number } {
  const rows = rowRequirements(f);
  const { b } = f.problem;
  const sums = new Map<string, Share>();
  let total = 0;
  let other = 0;
  for (let i = 0; i < b.length; i++) {
    const w = Math.abs(b[i]! * y[i]!);
    if (w === 0) continue;
    total += w;
    const req = rows.get(i);
    if (!req) {
      other += w;
      continue;
    }
    const k = key(req);
    const s = sums.get(k) ?? { requirement: req, share: 0 };
    s.share += w;
    sums.set(k, s);
  }
  const shares = [...sums.values()].map((s) => ({ ...s, share: total > 0 ? s.share / total : 0 })).sort((a, c) => c.share - a.share);
  return { shares, unclassified: total > 0 ? other / total : 0 };
}

/** The association relaxation of receiver r, as `proposed` and `exact` state it. */
export function relaxationFormulation(scenario: Record<string, unknown>, r: number): Formulation {
  const data = designData(parseScenario(scenario));
  const others = othersThan(data.S, r);
  return buildFormulation(data, {
    receivers: [{ r, weight: 1, transmitters: others }],
    sensingTx: others,
    candidates: Array.from({ length: data.K }, () => others),
  });
}

/** The SDP of `fixed` for one receiver and association (problem (13) without the rank constraint). */
export function fixedFormulation(scenario: Record<string, unknown>, choice: FixedChoice): Formulation {
  const data = designData(parseScenario(scenario));
  return buildFormulation(data, fixedSpec(data, choice.receiver, choice.association));
}

function certify(f: Formulation, receiver: number, association?: number[]): ReceiverCertificate {
  const sdp = runSdp(f.problem);
  const base = { receiver, ...(association ? { association } : {}) };
  if (sdp.status !== 'infeasible') return { ...base, status: sdp.status === 'optimal' ? 'feasible' : 'failed', shares: [], unclassified: 0 };
  const { shares, unclassified } = rayShares(f, sdp.y);
  return { ...base, status: 'infeasible', shares: shares.filter((s) => s.share >= SHARE_FLOOR), unclassified };
}

/**
 * One certificate per receiver (each a separate SDP over every association); for an infeasible
 * `fixed` result, the one certificate of that receiver and association.
 */
export function certificates(scenario: Record<string, unknown>, progress: (message: string) => void = () => {}, fixed?: FixedChoice): ReceiverCertificate[] {
  if (fixed) {
    progress('certificate of the fixed choice');
    return [certify(fixedFormulation(scenario, fixed), fixed.receiver, fixed.association)];
  }
  const S = (scenario.baseStations as unknown[]).length;
  const out: ReceiverCertificate[] = [];
  for (let r = 0; r < S; r++) {
    progress(`certificate with BS${r + 1} receiving`);
    out.push(certify(relaxationFormulation(scenario, r), r));
  }
  return out;
}

/** A requirement is named in the summary above this share of some receiver's certificate. */
export const NAMED_SHARE = 0.05;

export interface CertificateSummary {
  /** Receivers whose relaxation is infeasible (certified), and the others. */
  certified: number[];
  uncertified: number[];
  /** Requirements with at least NAMED_SHARE in some certificate, largest first, with that share. */
  named: { requirement: RequirementRef; share: number }[];
  /** Kinds that carry (almost) no weight in any certificate: relaxing them alone cannot help. */
  idle: ('sinr' | 'power' | 'crlb')[];
}

export function summarise(certs: ReceiverCertificate[]): CertificateSummary {
  const inf = certs.filter((c) => c.status === 'infeasible');
  const best = new Map<string, { requirement: RequirementRef; share: number }>();
  for (const c of inf) {
    for (const s of c.shares) {
      const k = key(s.requirement);
      if ((best.get(k)?.share ?? 0) < s.share) best.set(k, { requirement: s.requirement, share: s.share });
    }
  }
  const named = [...best.values()].filter((s) => s.share >= NAMED_SHARE).sort((a, b) => b.share - a.share);
  const kinds = new Set([...best.values()].map((s) => s.requirement.kind));
  const idle = inf.length === 0 ? [] : (['sinr', 'power', 'crlb'] as const).filter((k) => !kinds.has(k));
  return { certified: inf.map((c) => c.receiver), uncertified: certs.filter((c) => c.status !== 'infeasible').map((c) => c.receiver), named, idle };
}
