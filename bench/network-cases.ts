/**
 * What bench/estimates.ts and bench/memory.ts share: the networks they measure (the paper's
 * 4 BSs and the hexagon layouts, one seed), and how they read their options.
 */
import type { GenerateOptions } from '../src/model/generate.ts';
import { METHODS, type Method } from '../src/design/api.ts';

export interface Case {
  label: string;
  opts: GenerateOptions;
  /** The methods run on it (default: all); the large cases skip the slow heuristics. */
  only?: Method[] | undefined;
}

/** The paper's layout with K users, N antennas and T targets. */
export const paper = (K: number, N: number, T: number, minSinrDb = 8, only?: Method[]): Case => ({
  label: `paper K=${K} N=${N} T=${T}`,
  opts: { seed: 11, users: K, antennas: N, targets: T, minSinrDb },
  only,
});

/** The hexagon layout of `rings` rings (1: 7 BSs, 2: 19) at 120 m spacing. */
export const hexagon = (rings: number, K: number, N: number, T: number, minSinrDb = 8, only?: Method[]): Case => ({
  label: `hexagon${rings === 1 ? '' : ` rings=${rings}`} K=${K} N=${N} T=${T}`,
  opts: { seed: 11, users: K, antennas: N, targets: T, layout: 'hexagon', rings, bsSpacing: 120, radius: 100 + 150 * rings, minSinrDb },
  only,
});

/** The value after `name` on the command line, if given. */
export function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** `--methods a,b` (default: every method); an unknown entry is named on stderr, exit 2. */
export function methodsOption(bench: string): Method[] {
  const methods = (option('--methods')?.split(',') ?? [...METHODS]) as Method[];
  const unknown = methods.filter((m) => !(METHODS as readonly string[]).includes(m));
  if (unknown.length > 0) {
    process.stderr.write(`bench/${bench}: --methods: unknown ${unknown.join(', ')} (expected some of ${METHODS.join(', ')})\n`);
    process.exit(2);
  }
  return methods;
}
