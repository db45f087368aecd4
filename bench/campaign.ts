/**
 * `npx tsx bench/campaign.ts [--kind random|extreme|hexagon|city|metro|pair] [--count N] [--seed S]
 *  [--methods fixed,proposed,...] [--time-limit SEC]`
 *
 * A robustness campaign: random scenarios through every design method, each answer checked
 * by independent means, so that "never wrong" is a measurement anyone can repeat rather than
 * a claim. Per scenario (drawn from the seed; `extreme` spans the ranges below):
 * - every design a method returns goes through JSON and back, is parsed as a user's design
 *   file would be, re-evaluated by the model (model/evaluate.ts) and must meet every SINR,
 *   CRLB and budget, with the reported total power equal to the model's;
 * - `exact`'s lower bound (optimal, or stopped by its time limit) must not exceed any
 *   method's power, `fixed`'s certified bound not its own power, and a scenario `exact`
 *   proves infeasible must get no design from any method;
 * - every number in every answer is finite, and no method throws.
 * A violation of these is printed as WRONG and makes the exit code 1. A method that ends
 * `failed` (it says so and why) is counted, not an error: it is weaker, not wrong; so is a
 * `fixed` design whose optimum was not certified (`feasible`), printed with the relative gap its
 * certified bound leaves and summed up at the end.
 *
 * Ranges. random: paper layout, K 2-5, N 4-8, T 1-3, SINR 0-15 dB, crlbMax 0.1-100 m^2.
 * extreme: paper layout or 7-BS hexagon, K 1-6, N 1-16, T 1-4, SINR -10..40 dB, crlbMax
 * 1e-3..1e11 m^2, budget 0-60 dBm, user and radar noise -150..-50 dBm, path loss -80..-20 dB
 * at 1 m, disc radius 10 m..3 km. hexagon: 7 BSs at 100-300 m, K 3-8, N 4-12, T 1-3. city:
 * 19 BSs (two rings) at 100-250 m, K 2-6, N 4-8, T 1-3 (Algorithm 1's b-step in its dual form).
 * metro: 37 BSs (three rings) at 100-200 m, 300-550 m disc, K 4-12, N 4-8, T 1-3.
 * pair: 2-3 BSs 40-200 m apart, K 1-5, N 2-8, T 1-3, SINR 0-10 dB, crlbMax 1-1000 m^2.
 */
import { pathToFileURL } from 'node:url';
import { generateScenario, type GenerateOptions } from '../src/model/generate.ts';
import { parseScenario } from '../src/model/scenario.ts';
import { nearestBs, parseDesign } from '../src/model/design.ts';
import { evaluateDesign } from '../src/model/evaluate.ts';
import { solveScenarioSync } from '../src/design/solve.ts';
import { closestBs } from '../src/design/proposed.ts';
import { relativeGap } from '../src/design/fixed.ts';
import { designData } from '../src/design/from-scenario.ts';
import { METHODS, type DesignJson, type Method } from '../src/design/api.ts';
import { derive, type Rng } from '../src/linalg/prng.ts';
import type { Scenario } from '../src/model/types.ts';

export type Kind = 'random' | 'extreme' | 'hexagon' | 'city' | 'metro' | 'pair';

/** Relative slack of the power comparisons: the design layer certifies to 1e-6 (OPTIMALITY_GAP). */
const POWER_TOL = 1e-6;

function option(args: string[], name: string, fallback: string): string {
  const at = args.indexOf(name);
  return at >= 0 && at + 1 < args.length ? args[at + 1]! : fallback;
}

const between = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng.uniform();
const intBetween = (rng: Rng, lo: number, hi: number) => lo + rng.int(hi - lo + 1);

/** The generator options of scenario `seed` of a campaign kind. */
export function drawOptions(kind: Kind, seed: number): GenerateOptions {
  const rng = derive(seed, 4242);
  if (kind === 'random') {
    return {
      seed,
      users: intBetween(rng, 2, 5),
      antennas: intBetween(rng, 4, 8),
      targets: intBetween(rng, 1, 3),
      minSinrDb: between(rng, 0, 15),
      crlbMax: 10 ** between(rng, -1, 2),
    };
  }
  if (kind === 'pair') return pairDraw(rng, seed);
  if (kind === 'city') return networkDraw(rng, seed, 2, { spacing: [100, 250], radius: [200, 450], users: [2, 6], antennas: [4, 8] });
  if (kind === 'metro') return networkDraw(rng, seed, 3, { spacing: [100, 200], radius: [300, 550], users: [4, 12], antennas: [4, 8] });
  if (kind === 'hexagon') return networkDraw(rng, seed, 1, { spacing: [100, 300], radius: [150, 400], users: [3, 8], antennas: [4, 12] });
  const noise = () => between(rng, -150, -50);
  return {
    seed,
    layout: rng.uniform() < 0.5 ? 'paper' : 'hexagon',
    users: intBetween(rng, 1, 6),
    antennas: intBetween(rng, 1, 16),
    targets: intBetween(rng, 1, 4),
    minSinrDb: between(rng, -10, 40),
    crlbMax: 10 ** between(rng, -3, 11),
    maxPowerDbm: between(rng, 0, 60),
    userNoisePowerDbm: noise(),
    radarNoisePowerDbm: noise(),
    radius: 10 ** between(rng, 1, Math.log10(3000)),
    bsSpacing: 10 ** between(rng, 1, Math.log10(3000)),
    channelModel: { pathLossDbAt1m: between(rng, -80, -20) },
  };
}

/**
 * Two or three BSs at random positions 40-200 m apart (so every `exact` root has one or two
 * candidates per user: with two BSs a root is a leaf, a `fixed` solve), K 1-5, N 2-8, T 1-3.
 */
function pairDraw(rng: Rng, seed: number): GenerateOptions {
  const S = intBetween(rng, 2, 3);
  const layout: [number, number][] = [[0, 0]];
  while (layout.length < S) {
    const d = between(rng, 40, 200);
    const a = between(rng, 0, 2 * Math.PI);
    layout.push([d * Math.cos(a), d * Math.sin(a)]);
  }
  return {
    seed,
    layout,
    radius: between(rng, 30, 150),
    users: intBetween(rng, 1, 5),
    antennas: intBetween(rng, 2, 8),
    targets: intBetween(rng, 1, 3),
    minSinrDb: between(rng, 0, 10),
    crlbMax: 10 ** between(rng, 0, 3),
  };
}

/** A hexagon network of `rings` rings, its spacing, disc, users and antennas drawn from the ranges (in this order). */
function networkDraw(
  rng: Rng,
  seed: number,
  rings: number,
  r: { spacing: [number, number]; radius: [number, number]; users: [number, number]; antennas: [number, number] },
): GenerateOptions {
  return {
    seed,
    layout: 'hexagon',
    ...(rings > 1 ? { rings } : {}),
    bsSpacing: between(rng, ...r.spacing),
    radius: between(rng, ...r.radius),
    users: intBetween(rng, ...r.users),
    antennas: intBetween(rng, ...r.antennas),
    targets: intBetween(rng, 1, 3),
    minSinrDb: between(rng, 0, 12),
    crlbMax: 10 ** between(rng, -1, 2),
  };
}

/** Every number in a JSON value is finite (NaN and Infinity would not survive JSON). */
function nonFinite(v: unknown, path = 'design'): string | null {
  if (typeof v === 'number') return Number.isFinite(v) ? null : `${path} = ${v}`;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const bad = nonFinite(v[i], `${path}[${i}]`);
      if (bad) return bad;
    }
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'detail') continue; // solver statistics, not part of the contract
      const bad = nonFinite(x, `${path}.${k}`);
      if (bad) return bad;
    }
  }
  return null;
}

/** What is wrong with one method's answer on its own (empty: nothing). */
export function checkAnswer(scn: Scenario, d: DesignJson): string[] {
  const out: string[] = [];
  const bad = nonFinite(d);
  if (bad) out.push(`non-finite number: ${bad}`);
  const hasDesign = d.beamformers !== undefined;
  if (d.status === 'infeasible' && hasDesign) out.push('infeasible, yet a design is attached');
  if ((d.status === 'optimal' || d.status === 'feasible') && !hasDesign) out.push(`${d.status} without a design`);
  if (d.lowerBound !== undefined && d.totalPower !== undefined && d.status === 'optimal' && d.lowerBound > d.totalPower * (1 + POWER_TOL))
    out.push(`lower bound ${d.lowerBound} above its own power ${d.totalPower}`);
  if (!hasDesign || d.status === 'failed') return out;
  // Independent re-evaluation: the design as a user's file, through the model alone.
  const design = parseDesign(JSON.parse(JSON.stringify(d)), scn);
  const ev = evaluateDesign(scn, design);
  if (!ev.feasible) out.push(`the model re-evaluates the design as infeasible: ${ev.violations.join('; ')}`);
  if (d.totalPower !== undefined && Math.abs(ev.totalPower - d.totalPower) > 1e-9 * Math.max(ev.totalPower, 1e-300))
    out.push(`reported power ${d.totalPower} W, the model's ${ev.totalPower} W`);
  return out;
}

/** What the answers contradict between methods (exact's bound, proven infeasibility). */
export function crossCheck(answers: Map<Method, DesignJson>): string[] {
  const out: string[] = [];
  const exact = answers.get('exact');
  if (!exact) return out;
  const bound = exact.lowerBound;
  for (const [m, d] of answers) {
    const feasible = (d.status === 'optimal' || d.status === 'feasible') && d.totalPower !== undefined;
    if (exact.status === 'infeasible' && feasible) out.push(`exact proves the scenario infeasible, ${m} returns a feasible design of ${d.totalPower} W`);
    if (bound !== undefined && feasible && d.totalPower! < bound * (1 - POWER_TOL))
      out.push(`${m}'s ${d.totalPower} W is below exact's lower bound ${bound} W`);
  }
  return out;
}

/** fixed's receiver and association: Scheme 1's receiver (closestBs, the BS closest to the targets' centroid), users to the nearest other BS. */
export function fixedChoice(scn: Scenario): { receiver: number; association: number[] } {
  const receiver = closestBs(designData(scn));
  return { receiver, association: scn.users.map((u) => nearestBs(scn, u.position, receiver)) };
}

/** Scenario `seed` of a campaign kind through `methods`: the answers and what is wrong with them (empty: nothing). */
export function runScenario(kind: Kind, seed: number, methods: readonly Method[], timeLimit: number) {
  const scn = parseScenario(generateScenario(drawOptions(kind, seed)), `scenario ${seed}`);
  const answers = new Map<Method, DesignJson>();
  const problems: string[] = [];
  for (const method of methods) {
    if (method === 'scheme3' && scn.S < 2) continue;
    try {
      const d = solveScenarioSync(scn, { method, timeLimit, seed, force: true, ...(method === 'fixed' ? fixedChoice(scn) : {}) });
      answers.set(method, d);
      for (const p of checkAnswer(scn, d)) problems.push(`${method}: ${p}`);
    } catch (err) {
      problems.push(`${method}: threw ${(err as Error).stack ?? String(err)}`);
    }
  }
  problems.push(...crossCheck(answers));
  return { scn, answers, problems };
}

/** The relative gap between an answer's power and its certified lower bound, as the design layer measures it (undefined: no bound). */
export function certifiedGap(d: DesignJson): number | undefined {
  if (d.totalPower === undefined || d.lowerBound === undefined || !Number.isFinite(d.lowerBound)) return undefined;
  return relativeGap(d.totalPower, d.lowerBound);
}

function main(): number {
  const args = process.argv.slice(2);
  const kind = option(args, '--kind', 'random') as Kind;
  if (!['random', 'extreme', 'hexagon', 'city', 'metro', 'pair'].includes(kind))
    throw new Error(`--kind: expected random, extreme, hexagon, city, metro or pair, got ${kind}`);
  const count = Number(option(args, '--count', '20'));
  const seed0 = Number(option(args, '--seed', { random: '1000', extreme: '5000', hexagon: '7000', city: '9500', metro: '9700', pair: '9800' }[kind]));
  const timeLimit = Number(option(args, '--time-limit', '20'));
  const methods = option(args, '--methods', METHODS.join(',')).split(',') as Method[];
  for (const m of methods) if (!METHODS.includes(m)) throw new Error(`--methods: unknown method ${m}`);
  const tally = new Map<string, number>();
  const uncertified: number[] = [];
  let wrong = 0;
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const seed = seed0 + i;
    const { scn, answers, problems } = runScenario(kind, seed, methods, timeLimit);
    for (const [m, d] of answers) {
      const key = `${m} ${d.status}${d.stoppedBy ? ` (${d.stoppedBy})` : ''}`;
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }
    const line = [...answers].map(([m, d]) => `${m} ${d.status}${d.totalPower !== undefined ? ` ${d.totalPower.toExponential(4)}` : ''}`).join(' | ');
    process.stdout.write(`${seed} S=${scn.S} K=${scn.K} N=${scn.N} T=${scn.targets.length}: ${line}\n`);
    for (const [m, d] of answers) if (d.status === 'failed') process.stdout.write(`  ${m} failed: ${d.message ?? ''}\n`);
    // fixed solves its SDP exactly, so `feasible` there means its optimum was not certified
    const fixed = answers.get('fixed');
    const gap = fixed?.status === 'feasible' ? certifiedGap(fixed) : undefined;
    if (gap !== undefined) {
      process.stdout.write(`  fixed not certified: gap ${gap.toExponential(2)}\n`);
      uncertified.push(gap);
    }
    for (const p of problems) process.stdout.write(`  WRONG ${p}\n`);
    if (problems.length > 0) wrong++;
  }
  process.stdout.write(`\n${kind}, ${count} scenarios from seed ${seed0}, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  for (const [k, v] of [...tally].sort()) process.stdout.write(`  ${k}: ${v}\n`);
  if (uncertified.length > 0)
    process.stdout.write(`fixed designs not certified optimal: ${uncertified.length}, relative gaps up to ${Math.max(...uncertified).toExponential(2)}\n`);
  process.stdout.write(`scenarios with a wrong answer: ${wrong}\n`);
  return wrong > 0 ? 1 : 0;
}

// run as a script (not when imported for its drawOptions)
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main();
