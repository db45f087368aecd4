/**
 * Evaluation of a design against a scenario: SINR (5), CRLB (7), powers, feasibility.
 * The result is JSON-safe: values that are undefined or infinite are null with a note.
 */
import type { CMat } from '../linalg/complex.ts';
import type { Design, Scenario } from './types.ts';
import { transmitCovariances, powerPerBs as powers } from './covariance.ts';
import { userSinr } from './sinr.ts';
import { crlbFromEquivalentFim, equivalentFim, fisherInformation, fimParameterNames, type FimOptions } from './fim.ts';

/** Relative tolerance of every feasibility check (contract). */
export const FEASIBILITY_TOL = 1e-6;

export interface Evaluation {
  receiver: number;
  association: number[];
  /** Linear SINR per user. */
  sinr: number[];
  /** SINR in dB; null where the SINR is 0. */
  sinrDb: (number | null)[];
  sinrTargetDb: number[];
  /** sinrDb - target; null where the SINR is 0. */
  sinrMarginDb: (number | null)[];
  /** CRLB (7) in m^2; null when the equivalent FIM is singular (see notes). */
  crlb: number | null;
  crlbMax: number;
  /** Full FIM (29), parameters named in fimParameters. */
  fim: number[][];
  fimParameters: string[];
  /** J_e = F_pp - F_pa F_aa^-1 F_pa^T (2 x 2). */
  equivalentFim: number[][];
  /** tr(Q_s) per BS, W. */
  powerPerBs: number[];
  /** P, W. */
  maxPower: number;
  totalPower: number;
  feasible: boolean;
  violations: string[];
  notes: string[];
}

function db(x: number): number | null {
  return x > 0 && Number.isFinite(x) ? 10 * Math.log10(x) : null;
}

/** Feasibility checks shared by evaluate and by callers with their own numbers; messages name 0-based JSON paths. */
export function feasibilityViolations(
  scn: Scenario,
  sinr: readonly number[],
  crlbValue: number,
  powerPerBs: readonly number[],
): string[] {
  const v: string[] = [];
  // Each message states the violation itself (relative), so a tiny one is never printed as
  // "16.890 dB below the required 16.89 dB".
  const rel = (x: number) => x.toExponential(1);
  sinr.forEach((g, k) => {
    const target = scn.users[k].minSinr;
    if (!(g >= target * (1 - FEASIBILITY_TOL))) {
      const gDb = g > 0 ? 10 * Math.log10(g) : -Infinity;
      const shown = Number.isFinite(gDb) ? `${gDb.toPrecision(8)} dB` : '-inf dB';
      const short = Number.isFinite(gDb) ? `, short by ${rel(scn.users[k].minSinrDb - gDb)} dB (relative ${rel((target - g) / target)})` : '';
      v.push(`users[${k}]: SINR ${shown} below the required ${scn.users[k].minSinrDb} dB${short}`);
    }
  });
  if (!(crlbValue <= scn.crlbMax * (1 + FEASIBILITY_TOL))) {
    const shown = Number.isFinite(crlbValue) ? `${crlbValue.toPrecision(8)} m^2` : 'infinite (no position information)';
    const over = Number.isFinite(crlbValue) ? ` (relative excess ${rel((crlbValue - scn.crlbMax) / scn.crlbMax)})` : '';
    v.push(`CRLB ${shown} above crlbMax ${scn.crlbMax} m^2${over}`);
  }
  powerPerBs.forEach((p, s) => {
    if (!(p <= scn.maxPower * (1 + FEASIBILITY_TOL))) {
      const over = Number.isFinite(p) ? ` (relative excess ${rel((p - scn.maxPower) / scn.maxPower)})` : '';
      v.push(`baseStations[${s}]: power ${p.toPrecision(8)} W above the budget ${scn.maxPower.toPrecision(8)} W (${scn.maxPowerDbm} dBm)${over}`);
    }
  });
  return v;
}

/** Evaluates a (validated) design: metrics, feasibility and the reasons it fails. */
export function evaluateDesign(scn: Scenario, design: Design, opts: FimOptions = {}): Evaluation {
  const q: CMat[] = transmitCovariances(scn, design);
  const sinr = userSinr(scn, design);
  const fim = fisherInformation(scn, design.receiver, q, opts);
  const je = equivalentFim(fim);
  const c = crlbFromEquivalentFim(je);
  const p = powers(q);
  const notes: string[] = [];
  if (!Number.isFinite(c)) {
    notes.push('crlb is null: the equivalent FIM is singular (the transmitted signals carry no information on some direction of the target position)');
  }
  sinr.forEach((g, k) => {
    if (!(g > 0)) notes.push(`sinrDb[${k}] is null: user ${k} receives no signal (SINR 0)`);
  });
  const total = p.reduce((a, b) => a + b, 0);
  if (design.reportedTotalPower !== undefined && Math.abs(design.reportedTotalPower - total) > 1e-6 * Math.max(1, total)) {
    notes.push(`the design file states totalPower ${design.reportedTotalPower} W; recomputed ${total} W`);
  }
  const violations = feasibilityViolations(scn, sinr, c, p);
  return {
    receiver: design.receiver,
    association: design.association.slice(),
    sinr,
    sinrDb: sinr.map(db),
    sinrTargetDb: scn.users.map((u) => u.minSinrDb),
    sinrMarginDb: sinr.map((g, k) => {
      const d = db(g);
      return d === null ? null : d - scn.users[k].minSinrDb;
    }),
    crlb: Number.isFinite(c) ? c : null,
    crlbMax: scn.crlbMax,
    fim,
    fimParameters: fimParameterNames(scn.S, design.receiver),
    equivalentFim: je,
    powerPerBs: p,
    maxPower: scn.maxPower,
    totalPower: total,
    feasible: violations.length === 0,
    violations,
    notes,
  };
}
