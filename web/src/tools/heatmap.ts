/**
 * The sensing-coverage layer: the CRLB (7) the shown design would give if the target stood at
 * each point of an n x n grid over the view. No solve: the design's transmit covariances are
 * kept and only the target moves; its radar gains come from the channel model's path loss at
 * that point (the CRLB does not depend on their phase: J_e involves conj(alpha) only through
 * |alpha|^2 terms). Points within 1 m of a BS are NaN (angles undefined there).
 */
import { parseScenario } from '../../../src/model/scenario.ts';
import { parseDesign } from '../../../src/model/design.ts';
import { transmitCovariances } from '../../../src/model/covariance.ts';
import { drawRadarGain } from '../../../src/model/channels.ts';
import { crlbFromEquivalentFim, equivalentFim, fisherInformation } from '../../../src/model/fim.ts';
import type { Point, Scenario } from '../../../src/model/types.ts';
import type { View } from '../map/transform.ts';

/** Cell centres of an n x n grid over the view, row-major from the top-left (y down on screen). */
export function gridPoint(view: View, n: number, i: number, j: number): Point {
  const step = (2 * view.R) / n;
  return [view.cx - view.R + (j + 0.5) * step, view.cy + view.R - (i + 0.5) * step];
}

/** The CRLB at p for receiver r and fixed covariances q (Infinity when J_e is singular). */
export function crlbAt(scn: Scenario, receiver: number, q: ReturnType<typeof transmitCovariances>, p: Point): number {
  const rx = scn.baseStations[receiver].position;
  const gains = scn.baseStations.map((_, s) =>
    scn.baseStations.map((tx, sp) => (s === receiver ? drawRadarGain(scn.channelModel, s, sp, rx, tx.position, p) : ([0, 0] as [number, number]))),
  );
  // A one-target scenario with the target moved to p (its own gains, the scenario's bound).
  const moved: Scenario = { ...scn, targets: [{ position: p, crlbMax: scn.crlbMax, crlbMaxGiven: false, radarGains: gains }] };
  return crlbFromEquivalentFim(equivalentFim(fisherInformation(moved, receiver, q)));
}

export function crlbGrid(scenarioJson: unknown, designJson: unknown, view: View, n: number): { n: number; crlb: Float64Array } {
  const scn = parseScenario(scenarioJson);
  const design = parseDesign(designJson, scn);
  const q = transmitCovariances(scn, design);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const p = gridPoint(view, n, i, j);
      const onBs = scn.baseStations.some((b) => Math.hypot(b.position[0] - p[0], b.position[1] - p[1]) < 1);
      out[i * n + j] = onBs ? NaN : crlbAt(scn, design.receiver, q, p);
    }
  }
  return { n, crlb: out };
}
