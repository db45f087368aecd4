import { describe, expect, it } from 'vitest';
import { generateScenario, FIG2, PAPER_BS_POSITIONS, hexagonLayout } from '../../src/model/generate.ts';
import { parseScenario, scenarioToJson } from '../../src/model/scenario.ts';
import { norm2sq, vecToPairs } from '../../src/linalg/complex.ts';

describe('generateScenario', () => {
  it('is reproducible: same seed same JSON; different seeds differ', () => {
    const a = JSON.stringify(generateScenario({ seed: 5, users: 4 }));
    expect(JSON.stringify(generateScenario({ seed: 5, users: 4 }))).toBe(a);
    expect(JSON.stringify(generateScenario({ seed: 6, users: 4 }))).not.toBe(a);
  });

  it('writes explicit channels S x K x N and radar gains S x S; they round-trip exactly', () => {
    const j = generateScenario({ seed: 9, users: 3, antennas: 5, layout: 'hexagon' }) as any;
    expect(j.baseStations).toHaveLength(7);
    expect(j.channels).toHaveLength(7);
    expect(j.channels[6]).toHaveLength(3);
    expect(j.channels[6][2]).toHaveLength(5);
    expect(j.radarGains).toHaveLength(7);
    expect(j.radarGains[3]).toHaveLength(7);
    const s = parseScenario(j);
    expect(s.drawn).toEqual({ channels: false, radarGains: false });
    expect(JSON.stringify(scenarioToJson(s))).toBe(JSON.stringify(j));
    // The explicit channels equal what the model draws from the same seed.
    const { channels, radarGains, ...modelOnly } = j;
    const drawn = parseScenario(modelOnly);
    expect(drawn.drawn).toEqual({ channels: true, radarGains: true });
    expect(JSON.stringify(scenarioToJson(drawn))).toBe(JSON.stringify(j));
  });

  it('places users and target uniformly in the disc, at least 1 m from every BS', () => {
    const radius = 60;
    const j = generateScenario({ seed: 3, users: 400, radius, antennas: 1 }) as any;
    const pts: number[][] = [...j.users.map((u: any) => u.position), j.target.position];
    let inner = 0;
    for (const p of pts) {
      expect(Math.hypot(p[0]!, p[1]!)).toBeLessThanOrEqual(radius);
      for (const b of j.baseStations) expect(Math.hypot(p[0]! - b.position[0], p[1]! - b.position[1])).toBeGreaterThanOrEqual(1);
      if (Math.hypot(p[0]!, p[1]!) < radius / Math.SQRT2) inner++;
    }
    // Uniform in area: half the points inside radius/sqrt(2) (binomial sd ~ 10 of 401).
    expect(Math.abs(inner - pts.length / 2)).toBeLessThan(50);
  });

  it('hexagon layout: centre + 6 at bsSpacing; explicit layouts are used as given', () => {
    const h = hexagonLayout(80);
    expect(h[0]).toEqual([0, 0]);
    for (const p of h.slice(1)) expect(Math.hypot(p[0], p[1])).toBeCloseTo(80, 9);
    const j = generateScenario({
      seed: 1,
      users: 1,
      layout: [
        [0, 0],
        [50, 50],
      ],
    }) as any;
    expect(j.baseStations.map((b: any) => b.position)).toEqual([
      [0, 0],
      [50, 50],
    ]);
  });

  it('hexagon rings: 1 + 3R(R+1) BSs on the hexagonal grid, ring 1 as before', () => {
    expect(hexagonLayout(100, 1)).toEqual(hexagonLayout(100));
    for (const R of [1, 2, 3]) {
      const h = hexagonLayout(100, R);
      expect(h).toHaveLength(1 + 3 * R * (R + 1));
      // Every BS has its nearest neighbour at exactly the spacing, and none closer (a grid, no duplicates).
      for (const [i, p] of h.entries()) {
        const nearest = Math.min(...h.filter((_, j) => j !== i).map((q) => Math.hypot(p[0] - q[0], p[1] - q[1])));
        expect(nearest).toBeCloseTo(100, 6);
      }
      // Ring n lies between n * spacing * sqrt(3)/2 (edge midpoints) and n * spacing (corners).
      let start = 1;
      for (let n = 1; n <= R; n++) {
        for (const p of h.slice(start, start + 6 * n)) {
          const r = Math.hypot(p[0], p[1]);
          expect(r).toBeLessThanOrEqual(n * 100 + 1e-6);
          expect(r).toBeGreaterThanOrEqual((n * 100 * Math.sqrt(3)) / 2 - 1e-6);
        }
        start += 6 * n;
      }
    }
    const j = generateScenario({ seed: 2, users: 4, layout: 'hexagon', rings: 2 }) as any;
    expect(j.baseStations).toHaveLength(19);
    expect(() => generateScenario({ seed: 2, users: 4, layout: 'hexagon', rings: 0 })).toThrow(/rings|1\.\.5/);
    expect(() => generateScenario({ seed: 2, users: 4, rings: 2 })).toThrow(/hexagon/);
  });

  it("fig2 preset: the paper's geometry, Table I and the documented seed", () => {
    const j = generateScenario({ preset: 'fig2' }) as any;
    expect(j.baseStations.map((b: any) => b.position)).toEqual(PAPER_BS_POSITIONS);
    expect(j.users.map((u: any) => u.position)).toEqual(FIG2.users);
    expect(j.target.position).toEqual([30, 60]);
    expect(j).toMatchObject({ antennas: 8, radarSamples: 1024, maxPowerDbm: 45, radarNoisePowerDbm: -65, crlbMax: 1 });
    expect(j.users.every((u: any) => u.minSinrDb === 8 && u.noisePowerDbm === -85)).toBe(true);
    expect(j.channelModel.seed).toBe(1);
    expect(JSON.stringify(generateScenario({ preset: 'fig2', seed: 1 }))).toBe(JSON.stringify(j));
    expect(JSON.stringify(generateScenario({ preset: 'fig2', seed: 2 }))).not.toBe(JSON.stringify(j));
  });
});

describe('default channel model', () => {
  it('|h_{s,k,n}|^2 averages beta0 d^-3; |alpha|^2 = g_r d^-2 d^-2 exactly', () => {
    const j = generateScenario({ seed: 4, users: 1000, antennas: 8 }) as any;
    const s = parseScenario(j);
    let ratio = 0;
    let count = 0;
    s.channels.forEach((row, b) =>
      row.forEach((h, k) => {
        const d = Math.hypot(s.baseStations[b]!.position[0] - s.users[k]!.position[0], s.baseStations[b]!.position[1] - s.users[k]!.position[1]);
        ratio += norm2sq(h) / (s.N * 1e-5 * d ** -3);
        count++;
      }),
    );
    // Mean of 4000 Gamma(8, 1/8) variables: sd 1/sqrt(32000) ~ 0.0056.
    expect(Math.abs(ratio / count - 1)).toBeLessThan(0.03);
    const dist = (a: number[], b: number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!);
    for (let r = 0; r < s.S; r++)
      for (let t = 0; t < s.S; t++) {
        const [re, im] = s.targets[0]!.radarGains[r]![t]!;
        if (r === t) {
          expect([re, im]).toEqual([0, 0]);
          continue;
        }
        const expected =
          1e-3 * dist(s.baseStations[t]!.position, s.targets[0]!.position) ** -2 * dist(s.targets[0]!.position, s.baseStations[r]!.position) ** -2;
        expect(Math.abs((re * re + im * im) / expected - 1)).toBeLessThan(1e-12);
      }
  });

  it("adding a user leaves the other links' draws unchanged (per-link sub-streams)", () => {
    const j = generateScenario({ seed: 8, users: 3 }) as any;
    const more = { ...j, channels: undefined, radarGains: undefined, users: [...j.users, { position: [7, 7], minSinrDb: 0, noisePowerDbm: -85 }] };
    const b = parseScenario(more);
    expect(b.K).toBe(4);
    for (let s = 0; s < 4; s++) for (let k = 0; k < 3; k++) expect(vecToPairs(b.channels[s]![k]!)).toEqual(j.channels[s][k]);
    expect(b.targets[0]!.radarGains).toEqual(j.radarGains);
  });
});
