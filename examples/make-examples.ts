/**
 * Regenerates the example files: `npx tsx examples/make-examples.ts`.
 *  - fig2.json: the paper's Fig. 2 scenario (preset fig2, channel seed 1).
 *  - fig2-isotropic-design.json: BS2 (index 1) receives; the others sense isotropically at full power.
 *  - small.json / small-design.json: a 4-BS, 2-user, N = 4 scenario and a feasible hand-made design
 *    (matched-filter beams with SINR-exact power control, isotropic sensing scaled to CRLB = epsilon/2).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { scale } from '../src/linalg/complex.ts';
import {
  generateScenario,
  parseScenario,
  isotropicDesign,
  designToJson,
  evaluateDesign,
  transmitCovariances,
  crlb,
  sinrTerms,
  type Design,
  type Scenario,
} from '../src/model/index.ts';
import { formatJson } from '../src/model/json-format.ts';

const here = dirname(fileURLToPath(import.meta.url));
const write = (name: string, value: unknown) => writeFileSync(join(here, name), formatJson(value));

const fig2Json = generateScenario({ preset: 'fig2' });
write('fig2.json', fig2Json);
const fig2 = parseScenario(fig2Json);
write('fig2-isotropic-design.json', designToJson(fig2, isotropicDesign(fig2, 1)));

/** Solves A x = b (small dense, partial pivoting). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    const p = m.slice(c).reduce((best, row, i) => (Math.abs(row[c]) > Math.abs(m[best][c]) ? c + i : best), c);
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let j = c; j <= n; j++) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

/** Matched-filter beams with powers meeting every SINR exactly (x 1.001), sensing for CRLB = eps/2. */
function handMade(scn: Scenario, receiver: number): Design {
  const d = isotropicDesign(scn, receiver);
  const full = crlb(scn, receiver, transmitCovariances(scn, d));
  const frac = full / (0.5 * scn.crlbMax);
  d.sensingCovariances = d.sensingCovariances.map((r) => scale(r, frac));
  const dirs = scn.users.map((_, k) => {
    const h = scn.channels[d.association[k]][k];
    const n = Math.hypot(...h);
    return h.map((x) => x / n);
  });
  d.beamformers = dirs; // unit power, to measure the gains
  const gain = (k: number, kp: number) => {
    const h = scn.channels[d.association[kp]][k];
    const w = dirs[kp];
    let re = 0;
    let im = 0;
    for (let i = 0; i < w.length; i += 2) {
      re += h[i] * w[i] + h[i + 1] * w[i + 1];
      im += h[i] * w[i + 1] - h[i + 1] * w[i];
    }
    return re * re + im * im;
  };
  const K = scn.K;
  const A = Array.from({ length: K }, (_, k) => Array.from({ length: K }, (_, kp) => (kp === k ? gain(k, k) / (scn.users[k].minSinr * 1.001) : -gain(k, kp))));
  const b = scn.users.map((_, k) => {
    const t = sinrTerms(scn, d, k);
    return t.sensing + t.noise;
  });
  const p = solve(A, b);
  d.beamformers = dirs.map((w, k) => w.map((x) => x * Math.sqrt(p[k])));
  d.method = 'example';
  return d;
}

for (let seed = 7; seed < 50; seed++) {
  const json = generateScenario({ seed, users: 2, antennas: 4, radius: 120, name: 'small-example' });
  const scn = parseScenario(json);
  const design = handMade(scn, 1);
  const ev = evaluateDesign(scn, design);
  if (!ev.feasible) continue;
  write('small.json', json);
  write('small-design.json', designToJson(scn, design));
  console.error(`small example: seed ${seed}, total power ${ev.totalPower.toPrecision(4)} W, CRLB ${ev.crlb}`);
  break;
}
