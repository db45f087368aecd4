/**
 * `npx tsx bench/certify-gaps.ts`
 *
 * The certified optimality gaps of `fixed` (conic/certify.ts, design/fixed.ts: OPTIMALITY_GAP),
 * the numbers behind the 1e-6 tolerance in docs/solver.md: examples/small.json with one
 * requirement relaxed at three receiver/association pairs, and 40 random scenarios (K = 2..4,
 * N = 4..8, crlbMax 0.1..1e4, receiver and association from the seed). Prints every case's
 * status, whether the solver stalled at its reduced tolerance (`almost`), the gap, and the
 * largest and median gap of the solves that did not stall.
 */
import { parseScenario } from '../src/model/scenario.ts';
import { generateScenario } from '../src/model/generate.ts';
import { designData } from '../src/design/from-scenario.ts';
import { OPTIMALITY_GAP, solveFixed } from '../src/design/fixed.ts';
import { type Json, RELAXATIONS, smallJson } from '../test/design/small-variants.ts';

const small = smallJson();
const VARIANTS: [string, (j: Json) => void][] = [
  ['base', () => {}],
  ...Object.entries(RELAXATIONS).filter(([name]) => name !== 'budget 200 dBm'),
  [
    'noises -200 dBm, crlbMax 1e15',
    (j) => {
      j.users.forEach((u: Json) => (u.noisePowerDbm = -200));
      j.crlbMax = 1e15;
      j.radarNoisePowerDbm = -200;
    },
  ],
];

const cases: { name: string; json: Json; receiver: number; association: number[] }[] = [];
for (const [name, mod] of VARIANTS) {
  const json = structuredClone(small);
  mod(json);
  for (const [receiver, association] of [
    [2, [3, 3]],
    [0, [2, 3]],
    [1, [0, 3]],
  ] as const) {
    cases.push({ name: `small ${name}, r ${receiver}`, json, receiver, association: [...association] });
  }
}
for (let seed = 100; seed < 140; seed++) {
  const K = 2 + (seed % 3);
  const N = 4 + (seed % 5);
  const json = generateScenario({ seed, users: K, antennas: N, crlbMax: [0.1, 1, 10, 1e4][seed % 4]! });
  const receiver = seed % 4;
  cases.push({ name: `random seed ${seed}`, json, receiver, association: Array.from({ length: K }, (_, k) => (receiver + 1 + (k % 3)) % 4) });
}

const gaps: number[] = [];
let stalled = 0;
for (const c of cases) {
  const s = solveFixed(designData(parseScenario(c.json)), c.receiver, c.association);
  const gap = s.gap ?? NaN;
  console.log(`${c.name.padEnd(46)} ${s.status.padEnd(10)} ${s.sdp.almost ? 'almost' : '      '} gap ${gap.toExponential(2)}`);
  if (s.status !== 'optimal') continue;
  if (s.sdp.almost) stalled++;
  else gaps.push(gap);
}
gaps.sort((a, b) => a - b);
console.log(
  `\nsolved without stalling: ${gaps.length}, largest gap ${gaps.at(-1)?.toExponential(2)}, median ${gaps[gaps.length >> 1]?.toExponential(2)}, ` +
    `above OPTIMALITY_GAP = ${OPTIMALITY_GAP}: ${gaps.filter((g) => g > OPTIMALITY_GAP).length}; stalled (almost): ${stalled}`,
);
