/**
 * The rank-relaxed beamforming SDP that every method solves, stated once and compiled to
 * conic form here:
 *
 *   minimise   sum tr(W~_{s,k}) + sum tr(R~_s)  [+ Algorithm 1's penalty on a]
 *   subject to SINR (9) per user, power C1 per BS, CRLB via C2a (as an LMI) and the
 *              Schur-complement LMI (12), optional big-M coupling (18)-(21).
 *
 * The CRLB reads the covariances only through each transmitter's 2 x 2 sensing moment
 * (sensing-moment.ts). With one receiver (`fixed`, the association relaxation, (23) once b is
 * binary) C2a and (12) together say tr(J^-1) <= eps for the position's equivalent FIM, which
 * has a closed form in the moments (effective-fim.ts): one second-order cone and a sigma per
 * transmitter (writeEffectiveRows; 4 + 4T rows per target instead of 7 + 11T, paper-scale
 * fixed 13.3 -> 8.0 ms at T = 1, 39.7 -> 19.8 ms at T = 3). With several receiver terms
 * (Algorithm 1's fractional b) the paper's LMI (12) is kept, split along the FIM's chordal
 * pattern into one 4 x 4 block per transmitter (writeSchurComplementRows). All exact.
 *
 * Several targets (contract, "Several targets"): the FIM is block diagonal across targets,
 * so every target t gets its own CRLB constraint (its own SOC or C2a/C2c pair, scaled by its
 * own eps_t) written from the same transmit covariances. With one target this is the paper's
 * problem unchanged.
 *
 * One `NodeSpec` selects which of the paper's problems it is:
 * - `fixed` (13): one receiver, one candidate BS per user;
 * - the association relaxation (relaxation.ts, the bounds of `exact`): one receiver,
 *   several candidate BSs per user, no a;
 * - Algorithm 1's subproblem (23): big-M mode with association variables a and the
 *   linearised penalty (17).
 * R~_s = b_s R_s is the covariance actually transmitted (for binary b it is R_s); with it
 * the subproblem is linear for any fixed b.
 *
 * Every matrix variable of BS s lives in the subspace spanned by BS s's channels and its
 * sensing directions (subspace.ts proves that this restriction is exact): a block of order
 * d = min(N, K + 2T) with T targets instead of N.
 *
 * Scaling (so that the interior-point method sees numbers near one, and its residual
 * tolerance, relative to ||b||, means the same for every row):
 * - each matrix variable has its own power unit: user k's W~ is measured in
 *   u_k = Gamma_k sigma_k^2 / max_s ||h_{s,k}||^2 (the interference-free MRT power that
 *   meets its target), sensing covariances in u_R = the isotropic power at which the
 *   position information reaches 2/eps (with several targets the geometric mean of the
 *   targets' such powers); both from the data only (no clipping by the budget
 *   P: a budget of 300 dBm must not set the unit of a 50 mW design);
 * - every SINR row divided by sigma_k^2, power rows by P, so each inequality reads
 *   (terms of order one) <= 1;
 * - nuisance parameters rescaled from alpha to alpha/|alpha| (a congruence of the FIM
 *   with diag(1, 1, |alpha|..): it leaves the Schur complement (7) unchanged);
 * - the LMI multiplied by kappa and J' = kappa J, kappa = min(eps / 2, 100 / (I_w u_obj)) with
 *   I_w the position information per watt: with eps / 2, J' ~ I where the CRLB binds
 *   (J ~ (2/eps) I) and tr(J^-1) <= eps becomes tr(J'^-1) <= 2; when the users' beams give
 *   far more information than the bound needs (crlbMax 1e9: J' ~ 1e13), the smaller kappa
 *   keeps J' below ~100 and the row tr T <= eps / kappa is divided by its rhs / 2;
 * - the objective in units of u_obj = sum of the block units.
 */
import { ConicBuilder, hvecIndex, readHermitian, type BlockRef } from './conic-builder.ts';
import type { ConicProblem } from '../conic/types.ts';
import { channelGain, type DesignData, type FimLinear } from './data.ts';
import { momentBasis, momentCoefficient, momentRows, type SensingMoment } from './sensing-moment.ts';
import { echoInformation, type EchoInformation } from './effective-fim.ts';
import { fullSpace, lift, project, projectSpanned, spanOf, type Subspace } from './subspace.ts';

export interface ReceiverTerm {
  r: number;
  /** 1 - b_r: weight of this receiver's LMI in C2c (12). */
  weight: number;
  /** Transmitters whose echo enters the FIM (all others, or BS1 only for scheme 3). */
  transmitters: number[];
}

export interface BigM {
  /** Previous association iterate a^(t) as [k][s]. */
  aPrev: number[][];
  /** Penalty factor mu, in W. */
  mu: number;
  /** b_s (fixed in this subproblem). */
  b: number[];
  /** Keep the paper's C10a-C10d literally (W variables, three LMIs per pair) instead of tr(W~) <= a P. */
  literalC10?: boolean;
}

export interface NodeSpec {
  receivers: ReceiverTerm[];
  /** BSs with a dedicated sensing covariance variable. */
  sensingTx: number[];
  /** Candidate serving BSs of each user. */
  candidates: number[][];
  /**
   * Big-M mode only: the candidates whose W~_{s,k} block is in the SDP (an active set,
   * bigm-active-set.ts); default all. A left-out pair keeps its association variable and
   * its rows (C4, C6 and tr(W~) <= a P with W~ = 0), so the SDP is (23) with W~_{s,k} = 0.
   */
  blocks?: number[][] | undefined;
  bigM?: BigM;
  /**
   * Relative safety margin on the SINR and CRLB targets, so that a point meeting the
   * solver's tolerances also meets the model's re-evaluation. Default 1e-7.
   */
  margin?: number;
  /** The CRLB's own safety margin (eps' = eps (1 - crlbMargin)); default `margin`. */
  crlbMargin?: number | undefined;
  /**
   * Restrict each BS's matrix variables to the span of its channels and sensing directions
   * (exact, see subspace.ts). Default true; false keeps full N x N blocks (for tests).
   * The literal C10 constraints always use full blocks.
   */
  subspace?: boolean | undefined;
  /**
   * false: drop the CRLB constraint (the LMI blocks are pinned to the identity instead), a
   * relaxation whose certified bound is also a bound of the full problem; `fixed` uses it
   * when the CRLB is so loose that the full problem's bound is weak. Default true.
   */
  crlb?: boolean;
  /**
   * How a single receiver's CRLB is compiled (TargetLmi.form): `effective` (default) or the
   * paper's `lmi`, which gives the same optimum (kept to show exactly that, in tests and
   * benchmarks). Several receiver terms always use `lmi`.
   */
  crlbForm?: 'effective' | 'lmi' | undefined;
  /**
   * Every block's power unit at least this fraction of the largest (default 0: the units as
   * the data give them). A unit many orders below the others (the sensing blocks of a loose
   * CRLB, a user next to its BS) gives its blocks objective coefficients of 1e-11 and less,
   * and their dual slack is then resolved only to the solver's absolute tolerance, which the
   * certificate prices with size bounds of the cap over that coefficient (fixed.ts uses it in
   * a re-solve of an answer it could not certify).
   */
  unitFloor?: number | undefined;
}

export interface Formulation {
  problem: ConicProblem;
  /** W~_{s,k} blocks, key `${s},${k}`. */
  W: Map<string, BlockRef>;
  R: Map<number, BlockRef>;
  /** Association variables (big-M mode), key `${s},${k}` -> column. */
  a: Map<string, number>;
  /** Subspace of BS s's matrix variables (blocks are of order subspaces[s].d). */
  subspaces: Subspace[];
  /** Power unit (W) of user k's W~ blocks. */
  userUnit: number[];
  /** Power unit (W) of the sensing covariances. */
  sensingUnit: number;
  /** Unit (W) of the objective: solver objective * objectiveUnit = W. */
  objectiveUnit: number;
  /** Constant part of the objective (penalty constants), in W. */
  constant: number;
  /** The CRLB constraints, one per target (in the order of DesignData.targets). */
  lmis: TargetLmi[];
  /** What priceUserBlocks (block-pricing.ts) needs: where each W~ coefficient went (rows and their matrices). */
  pricing: Pricing;
}

/** Rows and coefficient matrices of a (possibly absent) W~_{s,k} block, per BS. */
interface Pricing {
  sinrRow: Int32Array;
  /** Power row C1 of each BS, -1 when the BS has none. */
  powerRow: Int32Array;
  /** LMI terms of each BS: row, factors (d x rank), weights (already times the row's scale). */
  lmi: { row: number; V: Float64Array; w: Float64Array }[][];
  /** Big-M coupling row tr(W~_{s,k}) <= a_{s,k} P of each pair, index s * K + k (-1: none). */
  couplingRow: Int32Array;
  /** Cost of tr(W~) per unit of the block (before u_k), after the objective's rescaling. */
  costPerUnit: number;
  /** Safety margin on the SINR targets (Gamma' = Gamma (1 + margin)). */
  margin: number;
  bigM: boolean;
}

/** One target's CRLB constraint in the compiled SDP. */
export interface TargetLmi {
  /**
   * How C2 is compiled: `effective` (one receiver term: the equivalent FIM in closed form,
   * effective-fim.ts, bounded by one second-order cone) or `lmi` (the paper's C2a and the
   * LMI (12), chordally split; Algorithm 1's subproblem with several receiver terms).
   */
  form: 'effective' | 'lmi';
  /** LMI scale kappa (J' = kappa J, see the file comment). */
  kappa: number;
  /**
   * The cone whose rows carry the bound eps_t: the SOC (effective) or [[J', I], [I, T]] of
   * C2a (lmi); undefined when the CRLB is left out (`NodeSpec.crlb` false).
   */
  bound: BlockRef | undefined;
  /**
   * lmi form: the Schur-complement LMI (12), Z_t >= 0, as one 4 x 4 block per nuisance pair q
   * (chordal decomposition, writeSchurComplementRows): Z_t = sum_q E_q^T Z_{t,q} E_q. Empty
   * in the effective form.
   */
  Z: BlockRef[];
  /** Nuisance rescaling diag(1, 1, d..) of the FIM. */
  nuisanceScale: number[];
  /** FIM of each receiver term (ReceiverTerm order) for this target. */
  fims: FimLinear[];
  /** eps_t, m^2. */
  epsilon: number;
  /**
   * The sensing moment of each transmitter with variables (sensing-moment.ts), keyed by BS.
   * In the effective form the block holds Y' - sigma e_1 e_1^T (see writeEffectiveRows).
   */
  moments: Map<number, SensingMoment>;
  /** Effective form: each moment's echo information and its entry in `sigma` (-1 for a rank-one moment), keyed by BS. */
  echoes: Map<number, EchoInformation & { sigma: number }>;
  /** Effective form: the sigma_s >= 0 of the rank-two moments. */
  sigma?: BlockRef | undefined;
}

/**
 * The common nuisance rescaling d_q, the LMI scale kappa and the position information per
 * watt of isotropic transmission, for a set of receivers.
 */
export function lmiScaling(data: DesignData, fims: FimLinear[], terms: ReceiverTerm[], epsilon: number) {
  const T = fims[0]!.transmitters.length;
  const d = new Array<number>(T).fill(0);
  for (const f of fims) for (let q = 0; q < T; q++) d[q] = Math.max(d[q]!, f.alphaAbs[q]!);
  for (let q = 0; q < T; q++) if (!(d[q]! > 0)) d[q] = 1;
  // Position information of Q = I/N (1 W) at every transmitter: sum_q tr(C_00 + C_11) / N.
  let infoPerWatt = 0;
  const n = data.N;
  fims.forEach((f, idx) => {
    for (let q = 0; q < T; q++) {
      const V = f.V[q]!;
      let g00 = 0;
      let g11 = 0;
      let g01r = 0;
      let g01i = 0;
      for (let e = 0; e < n; e++) {
        const ar = V[2 * e]!;
        const ai = V[2 * e + 1]!;
        const br = V[2 * n + 2 * e]!;
        const bi = V[2 * n + 2 * e + 1]!;
        g00 += ar * ar + ai * ai;
        g11 += br * br + bi * bi;
        g01r += ar * br + ai * bi; // conj(a) b
        g01i += ar * bi - ai * br;
      }
      for (let i = 0; i < 2; i++) {
        const M = f.coef(i, i, q);
        if (!M) continue;
        // tr(V M V^H) = tr(M G), G = V^H V = [[g00, g01], [conj g01, g11]]
        const t = M[0]! * g00 + M[6]! * g11 + 2 * (M[2]! * g01r + M[3]! * g01i);
        infoPerWatt += (terms[idx]!.weight * Math.abs(t)) / n;
      }
    }
  });
  const kappa = epsilon / 2;
  return { d, kappa, infoPerWatt };
}

function clampUnit(u: number, P: number): number {
  if (!(u > 0) || !Number.isFinite(u)) return P;
  return u;
}

/** u_k = Gamma_k sigma_k^2 / max_s ||h_{s,k}||^2 over the user's candidates. */
function userUnits(data: DesignData, candidates: number[][]): number[] {
  return candidates.map((cands, k) => {
    let best = 0;
    for (const s of cands) best = Math.max(best, channelGain(data, s, k));
    return clampUnit((data.gamma[k]! * data.sigma2[k]!) / best, data.P);
  });
}

/** One W~_{s,k} variable: its user, its block and the block's power unit. */
interface UserBlock {
  k: number;
  block: BlockRef;
}

/** Everything the constraint writers share while one SDP is compiled. */
interface Compile {
  data: DesignData;
  spec: NodeSpec;
  b: ConicBuilder;
  margin: number;
  /** Safety margin on the CRLB bounds (eps' = eps (1 - crlbMargin)). */
  crlbMargin: number;
  /** W~ blocks of each BS, [s] -> list over the users it may serve. */
  userBlocks: UserBlock[][];
  /** R~_s block of each BS, or undefined. */
  sensing: (BlockRef | undefined)[];
  sub: Subspace[];
  /** Channel h_{s,k} in BS s's subspace coordinates, [s][k]. */
  g: Float64Array[][];
  /** One CRLB constraint per target. */
  lmis: TargetLmi[];
  userUnit: number[];
  sensingUnit: number;
  objectiveUnit: number;
  /** Association variable columns (big-M mode), [k][s] or -1. */
  aCol: Int32Array[];
  pricing: Pricing;
}

/**
 * The conic problem of one design node (receivers, transmitters, optional big-M association
 * rows) with the maps from its variables back to beamformers and covariances.
 */
export function buildFormulation(data: DesignData, spec: NodeSpec): Formulation {
  const c = declareVariables(data, spec);
  const constant = writeObjective(c);
  writeSinrRows(c);
  writePowerRows(c);
  if (spec.crlb === false) pinCrlbBlocks(c);
  else writeCrlbRows(c);
  if (spec.bigM) writeAssociationRows(c, spec.bigM);
  const problem = c.b.build();
  // The penalty (mu = 3e4 W against powers of ~0.1 W) would make the cost vector huge;
  // keep its largest entry at one (a pure change of the objective's unit).
  let objectiveUnit = c.objectiveUnit;
  let cmax = 0;
  for (let i = 0; i < problem.c.length; i++) cmax = Math.max(cmax, Math.abs(problem.c[i]!));
  if (cmax > 1) {
    for (let i = 0; i < problem.c.length; i++) problem.c[i]! /= cmax;
    objectiveUnit *= cmax;
    c.pricing.costPerUnit /= cmax;
  }
  return {
    problem,
    ...publicBlocks(c),
    subspaces: c.sub,
    userUnit: c.userUnit,
    sensingUnit: c.sensingUnit,
    objectiveUnit,
    constant,
    lmis: c.lmis,
    pricing: c.pricing,
  };
}

/**
 * Subspace of each BS: its channels to every user and the sensing bases of its echoes.
 * Every FIM the SDP uses must be in `fims` (one per receiver term, and per target when
 * there are several): a sensing basis left out here would make the restriction inexact.
 */
function bsSubspaces(data: DesignData, spec: NodeSpec, fims: FimLinear[], used: boolean[]): Subspace[] {
  const restrict = spec.subspace !== false && !spec.bigM?.literalC10;
  return Array.from({ length: data.S }, (_, s) => {
    if (!restrict || !used[s]) return fullSpace(data.N);
    // Sensing directions first, so that each moment row is sparse (subspace.ts, "Order").
    const vectors: Float64Array[] = [];
    for (const f of fims) f.transmitters.forEach((t, q) => t === s && vectors.push(f.V[q]!));
    for (let k = 0; k < data.K; k++) vectors.push(data.channel(s, k));
    return spanOf(data.N, vectors, { ordered: true });
  });
}

/** exp(mean(log v)) of positive values; a single value exactly (exp(log x) != x in rounding). */
function geometricMean(v: number[]): number {
  if (v.length === 1) return v[0]!;
  let s = 0;
  for (const x of v) s += Math.log(x);
  return Math.exp(s / v.length);
}

/**
 * Order of J' = kappa J at the operating point above which kappa is reduced (loose CRLB).
 * 1e4 until a round measured 100 (docs/solver.md): over 40 drops each, all solves of a
 * `fixed` design take the same or fewer iterations at every bound tried (crlbMax 0.1 to 1e9,
 * T = 1 and 3), a quarter fewer at crlbMax 100 and 1e4, with every optimum still certified.
 */
const LOOSE_CRLB = 100;

/** Variables, units and subspaces. */
function declareVariables(data: DesignData, spec: NodeSpec): Compile {
  const { S, K } = data;
  const b = new ConicBuilder();
  // FIMs per target and receiver term: target t's LMI sums over the receiver terms.
  const fimsPerTarget = data.targets.map((_, t) => spec.receivers.map((term) => data.fim(term.r, term.transmitters, t)));
  const fims = fimsPerTarget.flat();
  const T = fims[0]!.transmitters.length;
  for (const f of fims) {
    if (f.transmitters.length !== T) throw new Error('receivers of one LMI must have equally many transmitters');
  }
  const used = new Array<boolean>(S).fill(false);
  spec.candidates.forEach((cands) => cands.forEach((s) => (used[s] = true)));
  for (const s of spec.sensingTx) used[s] = true;
  const sub = bsSubspaces(data, spec, fims, used);
  const g = sub.map((u, s) => (used[s] ? Array.from({ length: K }, (_, k) => project(u, data.channel(s, k))) : []));

  const userBlocks: UserBlock[][] = Array.from({ length: S }, () => []);
  if (spec.blocks && (!spec.bigM || spec.bigM.literalC10))
    throw new Error('buildFormulation: an active set of blocks needs the big-M mode without literal C10');
  const withBlock = spec.blocks ?? spec.candidates;
  for (let k = 0; k < K; k++) for (const s of withBlock[k]!) userBlocks[s]!.push({ k, block: b.addHpsd(sub[s]!.d) });
  const sensing: (BlockRef | undefined)[] = new Array(S).fill(undefined);
  for (const s of spec.sensingTx) sensing[s] = b.addHpsd(sub[s]!.d);

  const D = 2 + 2 * T;
  const form: TargetLmi['form'] = spec.receivers.length === 1 && spec.crlbForm !== 'lmi' ? 'effective' : 'lmi';
  // Per target: nuisance rescaling and position information per watt.
  const scalings = data.targets.map((target, t) => lmiScaling(data, fimsPerTarget[t]!, spec.receivers, target.epsilon));
  // Sensing power unit: the isotropic power at which target t reaches 2/eps_t, u_R,t; with
  // several targets their geometric mean. The hardest target's (the unit until then) puts the
  // sensing blocks' interference coefficients far above the beams' when one target is much
  // harder than the others (2e5 against 1e3 on a drop): over 40 drops of T = 2, 3, 4 targets,
  // 15.9 / 16.5 / 17.5 mean iterations with it, 15.6 / 15.8 / 17.0 with the geometric mean
  // (15.3 / 15.7 / 16.8 with the easiest target's, but up to 5 more on single drops).
  // Targets without a finite, positive need (no information, or no bound) do not enter it.
  const needs = scalings.map((sc, t) => 2 / data.targets[t]!.epsilon / sc.infoPerWatt);
  const finiteNeeds = needs.filter((u) => u > 0 && Number.isFinite(u));
  const sensingPower = finiteNeeds.length > 0 ? geometricMean(finiteNeeds) : Math.max(...needs);
  const rawUserUnit = userUnits(data, spec.candidates);
  const rawSensingUnit = clampUnit(sensingPower, data.P);
  const floor = (spec.unitFloor ?? 0) * Math.max(rawSensingUnit, ...rawUserUnit);
  const userUnit = rawUserUnit.map((u) => Math.max(u, floor));
  const sensingUnit = Math.max(rawSensingUnit, floor);
  let objectiveUnit = sensingUnit;
  for (const u of userUnit) objectiveUnit += u;
  // LMI scale from the data: J' = kappa J is of order one when the blocks carry their units
  // (objectiveUnit watts in all). eps / 2 alone would make J' ~ 1e13 when the CRLB is loose
  // (crlbMax 1e9, radar noise -150 dBm): the users' beams then carry far more position
  // information than the bound needs, and the LMI rows would dwarf every other row.
  // Only far from the bound: the users' beams may point away from the target, so a CRLB that
  // binds can still have u_R << u_obj (by ~1e3 on the paper's drops); J' is kept below ~100.
  // Several targets: each has its own kappa_t from its own eps_t and information.
  const lmis: TargetLmi[] = data.targets.map((target, t) => {
    const { d, kappa: crlbKappa, infoPerWatt } = scalings[t]!;
    const kappa = infoPerWatt > 0 && Number.isFinite(infoPerWatt) ? Math.min(crlbKappa, LOOSE_CRLB / (infoPerWatt * objectiveUnit)) : crlbKappa;
    const nuisanceScale = Array.from({ length: D }, (_, i) => (i < 2 ? 1 : d[(i - 2) % T]!));
    const moments = new Map<number, SensingMoment>();
    const echoes = new Map<number, EchoInformation & { sigma: number }>();
    const withCrlb = spec.crlb !== false;
    for (const f of withCrlb ? fimsPerTarget[t]! : []) {
      f.transmitters.forEach((s, q) => {
        // The sensing basis of (s, t) is the same in every receiver term; a BS without
        // variables contributes nothing (its Y would be pinned to 0, outside the interior).
        if (moments.has(s) || (userBlocks[s]!.length === 0 && !sensing[s])) return;
        const { B, G, rank } = momentBasis(projectSpanned(sub[s]!, f.V[q]!), sub[s]!.d);
        const mo = { block: b.addHpsd(rank), B, G, rank, unit: objectiveUnit };
        moments.set(s, mo);
        if (form === 'effective') echoes.set(s, { ...echoInformation(f, q, mo), sigma: -1 });
      });
    }
    const common = { form, kappa, nuisanceScale, fims: fimsPerTarget[t]!, epsilon: target.epsilon, moments, echoes };
    if (form === 'lmi') return { ...common, Z: Array.from({ length: (D - 2) / 2 }, () => b.addPsd(4)), bound: b.addPsd(4) };
    // sigma of every rank-two moment (a rank-one moment has no transmit-angle term), then the SOC.
    const schur = [...moments].filter(([, mo]) => mo.rank === 2).map(([s]) => s);
    schur.forEach((s, i) => (echoes.get(s)!.sigma = i));
    const sigma = schur.length > 0 ? b.addNonneg(schur.length) : undefined;
    return { ...common, Z: [], sigma, bound: withCrlb ? b.addSoc(4) : undefined };
  });
  const aCol = Array.from({ length: K }, () => new Int32Array(S).fill(-1));
  if (spec.bigM) {
    let count = 0;
    for (let k = 0; k < K; k++) count += spec.candidates[k]!.length;
    const blk = b.addNonneg(count);
    let next = blk.offset;
    for (let k = 0; k < K; k++) for (const s of spec.candidates[k]!) aCol[k]![s] = next++;
  }
  return {
    data,
    spec,
    b,
    margin: spec.margin ?? 1e-7,
    crlbMargin: spec.crlbMargin ?? spec.margin ?? 1e-7,
    userBlocks,
    sensing,
    sub,
    g,
    lmis,
    userUnit,
    sensingUnit,
    objectiveUnit,
    aCol,
    pricing: {
      sinrRow: new Int32Array(K).fill(-1),
      powerRow: new Int32Array(S).fill(-1),
      lmi: Array.from({ length: S }, () => []),
      couplingRow: new Int32Array(S * K).fill(-1),
      costPerUnit: 1 / objectiveUnit,
      margin: spec.margin ?? 1e-7,
      bigM: spec.bigM !== undefined,
    },
  };
}

/** sum tr(W~) + sum tr(R~) [+ mu sum ((1 - 2 a^(t)) a + a^(t)^2)]; returns the constant part (W). */
function writeObjective(c: Compile): number {
  const { b, objectiveUnit } = c;
  c.userBlocks.forEach((list) => list.forEach(({ k, block }) => b.addCostTrace(block, c.userUnit[k]! / objectiveUnit)));
  for (const blk of c.sensing) if (blk) b.addCostTrace(blk, c.sensingUnit / objectiveUnit);
  const bigM = c.spec.bigM;
  let constant = 0;
  if (bigM) {
    c.aCol.forEach((cols, k) =>
      cols.forEach((col, s) => {
        if (col < 0) return;
        const prev = bigM.aPrev[k]![s]!;
        b.addCost(col, (bigM.mu / objectiveUnit) * (1 - 2 * prev));
        constant += bigM.mu * prev * prev;
      }),
    );
  }
  return constant;
}

/**
 * SINR (9) of user k, divided by sigma_k^2 (powers in their units):
 * sum_s h^H W~_{s,k} h / Gamma_k - sum_{s, k' != k} h^H W~_{s,k'} h - sum_s h^H R~_s h >= sigma_k^2.
 */
function writeSinrRows(c: Compile): void {
  const { data, b } = c;
  for (let k = 0; k < data.K; k++) {
    const row = b.ge(1);
    c.pricing.sinrRow[k] = row;
    const gamma = data.gamma[k]! * (1 + c.margin);
    const inv = 1 / data.sigma2[k]!;
    for (let s = 0; s < data.S; s++) {
      const list = c.userBlocks[s]!;
      if (list.length === 0 && !c.sensing[s]) continue;
      const h = c.g[s]![k];
      for (const { k: kk, block } of list) b.addLowRank(row, block, h!, [1], (kk === k ? inv / gamma : -inv) * c.userUnit[kk]!);
      const rb = c.sensing[s];
      if (rb) b.addLowRank(row, rb, h!, [1], -inv * c.sensingUnit);
    }
  }
}

/** C1: sum_k tr(W~_{s,k}) + tr(R~_s) <= P, divided by P, for every BS with variables. */
function writePowerRows(c: Compile): void {
  const { data, b } = c;
  for (let s = 0; s < data.S; s++) {
    const list = c.userBlocks[s]!;
    const rb = c.sensing[s];
    if (list.length === 0 && !rb) continue;
    const row = b.le(1);
    c.pricing.powerRow[s] = row;
    for (const { k, block } of list) b.addTrace(row, block, c.userUnit[k]! / data.P);
    if (rb) b.addTrace(row, rb, c.sensingUnit / data.P);
  }
}

/** C2a and C2c of every target (each target's FIM block has its own LMI pair). */
function writeCrlbRows(c: Compile): void {
  for (const lmi of c.lmis) writeTargetCrlbRows(c, lmi);
}

/**
 * CRLB of one target. lmi form: [[J', I], [I, T]] >= 0 and tr T <= eps / kappa (C2a), and the
 * LMI (12) Z = sum_r w_r kappa diag(d) F_r(Q) diag(d) - (sum_r w_r) J' (+) 0 >= 0. Effective
 * form: the same constraint through the equivalent FIM in closed form (writeEffectiveRows).
 */
function writeTargetCrlbRows(c: Compile, lmi: TargetLmi): void {
  for (const [s, mo] of lmi.moments) writeMomentRows(c, s, mo, lmi.sigma, lmi.echoes.get(s)?.sigma ?? -1);
  if (lmi.form === 'effective') {
    writeEffectiveRows(c, lmi);
    return;
  }
  writeBoundRows(c, lmi);
  writeSchurComplementRows(c, lmi);
}

/**
 * tr(J^-1) <= eps for the position's equivalent FIM J = sum_s J_s, J_s = sigma_s A_s +
 * Y_s,00 P_s (effective-fim.ts), with sigma_s <= Y_s,11 - |Y_s,01|^2 / Y_s,00 written as
 * Y_s - sigma_s e_1 e_1^T >= 0 (the moment block holds that difference; writeMomentRows adds
 * sigma_s back). A 2 x 2 J >= 0 has tr(J^-1) <= eps iff K = J - I / eps >= 0 and det K >=
 * 1 / eps^2 (eigenvalues: 1/l1 + 1/l2 <= eps <=> (l1 - 1/eps)(l2 - 1/eps) >= 1/eps^2 with both
 * factors positive), i.e. one second-order cone: t = (k00 + k11) / 2 >= ||((k00 - k11) / 2,
 * k01, 1 / eps)||. Scaled by 2 kappa (J' = kappa J ~ I where the bound binds, see the file
 * comment): K' = 2 kappa J - c I, c = 2 kappa / eps' ~ 1, eps' = eps (1 - crlbMargin).
 */
function writeEffectiveRows(c: Compile, lmi: TargetLmi): void {
  const { b } = c;
  const soc = lmi.bound!;
  const cst = (2 * lmi.kappa) / (lmi.epsilon * (1 - c.crlbMargin));
  const unitE00 = Float64Array.from([1, 0, 0, 0, 0, 0, 0, 0]);
  /** Row: soc[k] - kappa * sum_s (weights . J_s) = rhs, weights on [j00, j01, j11]. */
  const socRow = (k: number, weights: [number, number, number], rhs: number): void => {
    const row = b.row(rhs);
    b.addScalar(row, soc, k, 1);
    const dot = (J: [number, number, number]) => weights[0] * J[0] + weights[1] * J[1] + weights[2] * J[2];
    for (const [s, e] of lmi.echoes) {
      const mo = lmi.moments.get(s)!;
      const onPower = dot(e.onPower);
      // the moments are in watts / mo.unit: J in watts' terms is mo.unit times their share
      const scale = lmi.kappa * mo.unit;
      if (onPower !== 0) b.addHermitian(row, mo.block, mo.rank === 1 ? unitE00.subarray(0, 2) : unitE00, -scale * onPower);
      const onSchur = dot(e.onSchur);
      if (e.sigma >= 0 && onSchur !== 0) b.addScalar(row, lmi.sigma!, e.sigma, -scale * onSchur);
    }
  };
  socRow(0, [1, 0, 1], -cst);
  socRow(1, [1, 0, -1], 0);
  socRow(2, [0, 2, 0], 0);
  b.addScalar(b.row(cst), soc, 3, 1);
}

/** C2a of one target: [[J', I], [I, T]] >= 0 (the identity pinned) and tr T <= eps / kappa. */
function writeBoundRows(c: Compile, lmi: TargetLmi): void {
  const { b } = c;
  const { bound: X4, kappa } = lmi;
  const fixEntry = (i: number, j: number, value: number): void => b.addEntry(b.row(value), X4!, i, j, 1);
  fixEntry(2, 0, 1);
  fixEntry(3, 1, 1);
  fixEntry(2, 1, 0);
  fixEntry(3, 0, 0);
  // tr T <= eps / kappa; its right-hand side is 2 when the CRLB binds and grows when it is
  // loose, so the row is divided by (right-hand side) / 2 to keep ||b|| of order one.
  const trRow = b.le(2);
  const perT = (2 * kappa) / (lmi.epsilon * (1 - c.crlbMargin));
  b.addEntry(trRow, X4!, 2, 2, perT);
  b.addEntry(trRow, X4!, 3, 3, perT);
}

/**
 * The rows of the LMI (12), Z = kappa diag(d) sum_r w_r F_r diag(d) - J' (+) 0 >= 0, entry by
 * entry; the FIM's share of an entry from BS s is tr(V M V^H Q_s) = u_obj tr(G M G^H Y'), Y'
 * the moment (sensing-moment.ts).
 *
 * Z has the arrow pattern of the FIM (fim.ts): the position rows and columns are full, each
 * transmitter's gain pair (Re a_q, Im a_q) meets only itself and the position. That graph is
 * chordal with cliques {p1, p2, Re a_q, Im a_q}, so Z >= 0 iff Z = sum_q E_q^T Z_q E_q with
 * 4 x 4 blocks Z_q >= 0 (Agler, Helton, McCullough and Rodman 1988): 3 + 7T rows instead of
 * (2 + 2T)(3 + 2T)/2, and the Z_q meet only through the three position rows.
 */
function writeSchurComplementRows(c: Compile, lmi: TargetLmi): void {
  const { b } = c;
  const { bound: X4, Z, kappa } = lmi;
  const terms = c.spec.receivers;
  const totalWeight = terms.reduce((acc, t) => acc + t.weight, 0);
  /** Minus the FIM's share of entry (i, j), i >= j, into `row`. */
  const fimEntry = (row: number, i: number, j: number): void => {
    const dij = lmi.nuisanceScale[i]! * lmi.nuisanceScale[j]!;
    terms.forEach((term, idx) => {
      const f = lmi.fims[idx]!;
      f.transmitters.forEach((s, q) => {
        const M = f.coef(j, i, q);
        const mo = lmi.moments.get(s);
        if (M && mo) b.addHermitian(row, mo.block, momentCoefficient(mo, M), -term.weight * kappa * dij * mo.unit);
      });
    });
  };
  for (let j = 0; j < 2; j++) {
    for (let i = j; i < 2; i++) {
      const row = b.row(0);
      for (const Zq of Z) b.addEntry(row, Zq, i, j, 1);
      b.addEntry(row, X4!, i, j, totalWeight);
      fimEntry(row, i, j);
    }
  }
  const pairs = Z.length;
  Z.forEach((Zq, q) => {
    const global = [0, 1, 2 + q, 2 + pairs + q];
    for (let lj = 0; lj < 4; lj++) {
      for (let li = Math.max(lj, 2); li < 4; li++) {
        const row = b.row(0);
        b.addEntry(row, Zq, li, lj, 1);
        fimEntry(row, global[li]!, global[lj]!);
      }
    }
  });
  assertArrowPattern(lmi);
}

/**
 * The chordal decomposition above needs F_ij = 0 between the gains of different transmitters.
 * Checked once per FIM (designData caches them; the check is O(dim^2 transmitters) calls, 7 %
 * of `proposed` on 61 BSs when it ran at every build).
 */
function assertArrowPattern(lmi: TargetLmi): void {
  const pairs = lmi.Z.length;
  for (const f of lmi.fims) {
    if (ARROW_CHECKED.get(f) === pairs) continue;
    for (let i = 2; i < 2 + 2 * pairs; i++) {
      for (let j = 2; j < i; j++) {
        if ((i - 2) % pairs === (j - 2) % pairs) continue;
        if (f.transmitters.some((_, q) => f.coef(j, i, q) !== null)) throw new Error(`FIM entry (${i}, ${j}) couples two transmitters' gains`);
      }
    }
    ARROW_CHECKED.set(f, pairs);
  }
}

/** The FIMs assertArrowPattern has checked, with the number of transmitter pairs it checked them for. */
const ARROW_CHECKED = new WeakMap<FimLinear, number>();

/**
 * Y' = B^H Q_s B / u_obj with Q_s = sum_k u_k W~_{s,k} + u_R R~_s (W): one row per real
 * coordinate, tr(E Y') - tr(E B^H Q_s B) / u_obj = 0, with the coefficients the LMI rows had
 * on the blocks before. In the effective form the block holds Y' - sigma e_1 e_1^T (sigma at
 * `sigma` of `sigmaBlock`), whose cone is the constraint sigma <= Y'_11 - |Y'_01|^2 / Y'_00.
 * In the lmi form Y' >= 0 is implied; where Q_s is singular on span V (a BS with one beam and
 * no sensing covariance), Y' and its dual slack both tend to zero (measured: the three-target
 * drops took up to 27 iterations against at most 21 at T = 1; docs/solver.md).
 */
function writeMomentRows(c: Compile, s: number, mo: SensingMoment, sigmaBlock: BlockRef | undefined, sigma: number): void {
  const { b } = c;
  const scale = -1 / mo.unit;
  for (const { E, V, w } of momentRows(mo, c.sub[s]!.d)) {
    const row = b.row(0);
    b.addHermitian(row, mo.block, E, 1);
    // effective form: the block is Y' - sigma e_1 e_1^T, so tr(E Y') gains E_11 sigma
    if (sigma >= 0 && E[6] !== 0) b.addScalar(row, sigmaBlock!, sigma, E[6]!);
    c.pricing.lmi[s]!.push({ row, V, w: Float64Array.from(w, (v) => v * scale) });
    for (const { k, block } of c.userBlocks[s]!) b.addLowRank(row, block, V, w, scale * c.userUnit[k]!);
    const rb = c.sensing[s];
    if (rb) b.addLowRank(row, rb, V, w, scale * c.sensingUnit);
  }
}

/** Without the CRLB: every entry of the LMI blocks fixed to the identity's (no other row uses them). */
function pinCrlbBlocks(c: Compile): void {
  for (const blk of c.lmis.flatMap((l) => (l.bound ? [...l.Z, l.bound] : l.Z))) {
    const n = blk.n;
    for (let j = 0; j < n; j++) for (let i = j; i < n; i++) c.b.addEntry(c.b.row(i === j ? 1 : 0), blk, i, j, 1);
  }
}

/** Big-M association coupling (18)-(21) of subproblem (23). */
function writeAssociationRows(c: Compile, bigM: BigM): void {
  const { data, b } = c;
  // C4: sum_s a_{s,k} = 1.
  for (let k = 0; k < data.K; k++) {
    const row = b.row(1);
    for (const s of c.spec.candidates[k]!) b.add(row, c.aCol[k]![s]!, 1);
  }
  // Pairs in the order of the blocks (BS-major, users ascending), including the pairs an
  // active set leaves without a block (spec.blocks).
  const blockOf = c.userBlocks.map((list) => new Map(list.map(({ k, block }) => [k, block])));
  for (let s = 0; s < data.S; s++) {
    for (let k = 0; k < data.K; k++) {
      const col = c.aCol[k]![s]!;
      if (col < 0) continue;
      const block = blockOf[s]!.get(k);
      // C6: a_{s,k} <= b_s (only binding when b_s < 1).
      if (bigM.b[s]! < 1) b.add(b.le(bigM.b[s]!), col, 1);
      const u = c.userUnit[k]!;
      if (!bigM.literalC10) {
        // tr(W~) <= a P (divided by P): equivalent to C10a-C10d at the optimum (see test/design/bigm.test.ts).
        const row = b.le(0);
        c.pricing.couplingRow[s * data.K + k] = row;
        if (block) b.addTrace(row, block, u / data.P);
        b.add(row, col, -1);
      } else {
        literalC10(b, block!, col, data.P / u, block!.n);
      }
    }
  }
}

/** The Map-keyed views of the blocks that callers (proposed.ts, tests) read. */
function publicBlocks(c: Compile): { W: Map<string, BlockRef>; R: Map<number, BlockRef>; a: Map<string, number> } {
  const W = new Map<string, BlockRef>();
  const a = new Map<string, number>();
  // Keys in the order the blocks were declared (user-major), as before.
  const byUser: [number, number, BlockRef][] = [];
  c.userBlocks.forEach((list, s) => list.forEach(({ k, block }) => byUser.push([s, k, block])));
  byUser.sort((x, y) => x[2].offset - y[2].offset);
  for (const [s, k, block] of byUser) {
    W.set(`${s},${k}`, block);
    if (c.aCol[k]![s]! >= 0) a.set(`${s},${k}`, c.aCol[k]![s]!);
  }
  // Association variables of pairs an active set left without a block.
  c.aCol.forEach((cols, k) => cols.forEach((col, s) => col >= 0 && !a.has(`${s},${k}`) && a.set(`${s},${k}`, col)));
  const R = new Map<number, BlockRef>();
  for (const s of c.spec.sensingTx) R.set(s, c.sensing[s]!);
  return { W, R, a };
}

/**
 * Each target's position information J_t (FIM units, 2 x 2 row-major) that a solution
 * certifies: J'_t / kappa_t from [[J', I], [I, T]] (lmi form), or sum_s sigma_s A_s + Y_s,00
 * P_s (effective form, the moments in W).
 */
export function targetInformation(f: Formulation, x: Float64Array): Float64Array[] {
  return f.lmis.map((lmi) => {
    const J = new Float64Array(4);
    if (lmi.form === 'lmi') {
      const o = lmi.bound!.offset;
      J.set([x[o]!, x[o + 1]! / Math.SQRT2, x[o + 1]! / Math.SQRT2, x[o + 4]!].map((v) => v / lmi.kappa));
      return J;
    }
    for (const [s, e] of lmi.echoes) {
      const mo = lmi.moments.get(s)!;
      // (the moment's unit, not f.objectiveUnit: the penalty of (23) may have rescaled that)
      const y00 = x[mo.block.offset]! * mo.unit;
      const sigma = e.sigma >= 0 ? x[lmi.sigma!.offset + e.sigma]! * mo.unit : 0;
      const add = (at: number, onSchur: number, onPower: number) => (J[at]! += sigma * onSchur + y00 * onPower);
      add(0, e.onSchur[0], e.onPower[0]);
      add(1, e.onSchur[1], e.onPower[1]);
      add(3, e.onSchur[2], e.onPower[2]);
    }
    J[2] = J[1]!;
    return J;
  });
}

/** W~_{s,k} of a solution, in W (interleaved row-major N x N). */
export function readW(f: Formulation, x: Float64Array, s: number, k: number): Float64Array {
  const m = lift(f.subspaces[s]!, readHermitian(x, f.W.get(`${s},${k}`)!));
  const u = f.userUnit[k]!;
  for (let i = 0; i < m.length; i++) m[i]! *= u;
  return m;
}

/** R~_s of a solution, in W. */
export function readR(f: Formulation, x: Float64Array, s: number): Float64Array {
  const m = lift(f.subspaces[s]!, readHermitian(x, f.R.get(s)!));
  for (let i = 0; i < m.length; i++) m[i]! *= f.sensingUnit;
  return m;
}

/**
 * The paper's C10a-C10d with a W variable per pair:
 * a P I - W~ >= 0, W~ - W + (1 - a) P I >= 0, W - W~ >= 0, W >= 0.
 */
function literalC10(b: ConicBuilder, wt: BlockRef, aCol: number, budget: number, n: number): void {
  const Wv = b.addHpsd(n);
  const S1 = b.addHpsd(n);
  const S2 = b.addHpsd(n);
  const S3 = b.addHpsd(n);
  for (let e = 0; e < n * n; e++) {
    const isDiag = isHvecDiagonal(n, e);
    // S1 = a P I - W~
    let row = b.row(0);
    b.add(row, S1.offset + e, 1);
    b.add(row, wt.offset + e, 1);
    if (isDiag) b.add(row, aCol, -budget);
    // S2 = W~ - W + (1 - a) P I
    row = b.row(isDiag ? budget : 0);
    b.add(row, S2.offset + e, 1);
    b.add(row, wt.offset + e, -1);
    b.add(row, Wv.offset + e, 1);
    if (isDiag) b.add(row, aCol, budget);
    // S3 = W - W~
    row = b.row(0);
    b.add(row, S3.offset + e, 1);
    b.add(row, Wv.offset + e, -1);
    b.add(row, wt.offset + e, 1);
  }
}

function isHvecDiagonal(n: number, e: number): boolean {
  for (let j = 0; j < n; j++) if (hvecIndex(n, j, j) === e) return true;
  return false;
}
