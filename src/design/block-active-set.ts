/**
 * The state both active sets over W~_{s,k} blocks share (Algorithm 1's subproblem (23) in
 * bigm-active-set.ts, `exact`'s relaxations in relaxation.ts): which candidate pairs carry a
 * block in the next SDP, which are left out, and what an infeasible restricted SDP means.
 * What each loop does with an optimal restricted SDP (price the left-out blocks into a bound,
 * or only decide which to add) stays in its own file.
 */
import { channelGain, type DesignData } from './data.ts';
import type { Formulation } from './formulation.ts';
import { blocksRayFails } from './block-pricing.ts';

/** A (serving BS, user) pair: one W~_{s,k} block. */
export interface Pair {
  s: number;
  k: number;
}

/**
 * Rounds after which every left-out block is added at once: the active set then ends with the
 * full SDP whatever the prices, so it cannot loop and never decides on fewer blocks than asked.
 */
export const MAX_ROUNDS = 8;

export class BlockActiveSet {
  /** active[k]: the candidates of user k whose block is in the SDP. */
  private readonly active: Set<number>[];

  /** `initial[k]`: the candidates of user k that start with a block (a subset of `candidates[k]`). */
  constructor(
    private readonly candidates: readonly (readonly number[])[],
    initial: readonly (readonly number[])[],
  ) {
    this.active = candidates.map((cands, k) => new Set(cands.filter((s) => initial[k]!.includes(s))));
  }

  /** Every candidate pair's count. */
  get total(): number {
    return this.candidates.reduce((acc, c) => acc + c.length, 0);
  }

  /** Per user, the candidates with a block, in the caller's order of `candidates`. */
  blocks(): number[][] {
    return this.candidates.map((cands, k) => cands.filter((s) => this.active[k]!.has(s)));
  }

  /** The pairs left out of the SDP, user by user in the order of `candidates`. */
  left(): Pair[] {
    const out: Pair[] = [];
    this.candidates.forEach((cands, k) => cands.forEach((s) => !this.active[k]!.has(s) && out.push({ s, k })));
    return out;
  }

  add(pairs: readonly Pair[]): void {
    for (const { s, k } of pairs) this.active[k]!.add(s);
  }

  /**
   * The restricted SDP (with `left` out) is infeasible, `ray` its certified Farkas ray. The ray
   * proves the SDP with every block infeasible when -A^T y is positive definite on every
   * left-out block too (block-pricing.ts blocksRayFails; bigm-active-set.ts gives the argument):
   * then true. Otherwise the blocks it fails on, the ones that may make it feasible, are added
   * (every left-out block from MAX_ROUNDS on) and false: solve again.
   */
  provenInfeasible(f: Formulation, data: DesignData, ray: Float64Array, left: readonly Pair[], round: number): boolean {
    const fails = blocksRayFails(f, data, ray, left);
    if (fails.length === 0) return true;
    this.add(round < MAX_ROUNDS ? fails : left);
    return false;
  }
}

/** A user's candidates, strongest channel first. */
export function byGain(data: DesignData, cands: readonly number[], k: number): number[] {
  return [...cands].sort((a, b) => channelGain(data, b, k) - channelGain(data, a, k));
}
