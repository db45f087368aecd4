/**
 * Several targets in the model layer (contract, "Several targets"): parsing and validation,
 * channel-model draws per target, the FIM/CRLB per target, and evaluate's per-target output.
 * Independent means: the per-target CRLB is recomputed from a single-target scenario built
 * from that target's position and gains; gain magnitudes from the geometry; the T = 1 case
 * against the `target` form number for number.
 */
import { describe, expect, it } from 'vitest';
import { scale } from '../../src/linalg/complex.ts';
import { parseScenario, scenarioToJson } from '../../src/model/scenario.ts';
import { generateScenario } from '../../src/model/generate.ts';
import { isotropicDesign } from '../../src/model/design.ts';
import { evaluateDesign } from '../../src/model/evaluate.ts';
import { crlb, crlbPerTarget, fisherInformation, fimCoefficients } from '../../src/model/fim.ts';
import { transmitCovariances } from '../../src/model/covariance.ts';
import { InputError } from '../../src/errors.ts';
import type { Design } from '../../src/model/types.ts';
import { randomCovariances, randomScenarioJson, relDiff } from './helpers.ts';
import { Rng } from '../../src/linalg/prng.ts';

/** The single-target scenario JSON (paper layout, 2 users) with drawn channels. */
function single(): Record<string, any> {
  const j = generateScenario({ seed: 21, users: 2, antennas: 4 }) as Record<string, any>;
  const { channels: _c, radarGains: _r, ...rest } = j;
  return rest;
}

/** The same scenario written with `targets`. */
function asTargets(j: Record<string, any>, extra: { position: number[]; crlbMax?: number }[] = []): Record<string, any> {
  const { target, ...rest } = j;
  return { ...rest, targets: [{ position: target.position }, ...extra] };
}

function rejects(f: () => unknown, path: string, text?: string): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(InputError);
  expect((err as InputError).where).toBe(path);
  if (text) expect((err as Error).message).toContain(text);
}

describe('targets: parsing and validation', () => {
  it('T = 1 through `targets` is exactly the `target` scenario (drawn and explicit gains)', () => {
    const j = single();
    const a = parseScenario(j);
    const b = parseScenario(asTargets(j));
    expect(b.targets).toHaveLength(1);
    expect(b.targets[0]!.position).toEqual(a.targets[0]!.position);
    expect(b.targets[0]!.radarGains).toEqual(a.targets[0]!.radarGains);
    expect(b.targets[0]!.crlbMax).toBe(a.crlbMax);
    expect(b.channels).toEqual(a.channels);
    // Written back in the file's own form; explicit gains read back identically.
    const ja = scenarioToJson(a) as any;
    const jb = scenarioToJson(b) as any;
    expect(ja.target).toBeDefined();
    expect(ja.targets).toBeUndefined();
    expect(jb.targets).toEqual([{ position: a.targets[0]!.position }]);
    expect(jb.radarGains).toEqual([ja.radarGains]);
    expect(parseScenario(jb).targets).toEqual(b.targets);
    // Every metric of a design is the same number.
    const d = isotropicDesign(a, 2);
    const ea = evaluateDesign(a, d);
    const eb = evaluateDesign(b, d);
    expect(eb.crlb).toBe(ea.crlb);
    expect(eb.fim).toEqual(ea.fim);
    expect(eb.targets).toEqual(ea.targets);
    expect(eb.violations).toEqual(ea.violations.map((v) => (v.startsWith('CRLB') ? `targets[0]: ${v}` : v)));
  });

  it('exactly one of target / targets; non-empty; per-target bounds positive; positions off the BSs', () => {
    const j = single();
    rejects(() => parseScenario({ ...asTargets(j), target: j.target }), 'targets', 'either target or targets');
    const { target: _t, ...none } = j;
    rejects(() => parseScenario(none), 'target', 'missing');
    rejects(() => parseScenario({ ...none, targets: [] }), 'targets', 'at least one');
    rejects(() => parseScenario(asTargets(j, [{ position: [5, 5], crlbMax: 0 }])), 'targets[1].crlbMax', '> 0');
    rejects(() => parseScenario(asTargets(j, [{ position: [5, 5], crlbMax: -1 }])), 'targets[1].crlbMax');
    rejects(() => parseScenario(asTargets(j, [{ position: [5] }])), 'targets[1].position');
    rejects(() => parseScenario(asTargets(j, [{ position: [100, 0] }])), 'targets[1].position', 'base station 1');
  });

  it('radarGains: S x S with `target`, T x S x S with `targets`, errors name the path', () => {
    const j = single();
    const S = 4;
    const m = () => Array.from({ length: S }, () => Array.from({ length: S }, () => [1e-6, 2e-6]));
    const two = asTargets(j, [{ position: [10, 20] }]);
    const ok = parseScenario({ ...two, radarGains: [m(), m()] });
    expect(ok.drawn.radarGains).toBe(false);
    expect(ok.targets[1]!.radarGains[0]![1]).toEqual([1e-6, 2e-6]);
    expect(ok.targets[1]!.radarGains[2]![2]).toEqual([0, 0]);
    rejects(() => parseScenario({ ...two, radarGains: [m()] }), 'radarGains', 'T x S x S = 2 x 4 x 4');
    rejects(() => parseScenario({ ...two, radarGains: m() }), 'radarGains[0][0][0]');
    const short = [m(), m()];
    short[1]![2]!.pop();
    rejects(() => parseScenario({ ...two, radarGains: short }), 'radarGains[1][2]', 'S = 4');
    rejects(() => parseScenario({ ...j, radarGains: [m()] }), 'radarGains[0][0]', 'complex number');
  });

  it("per-target crlbMax defaults to the scenario's and is written back only where given", () => {
    const j = asTargets(single(), [{ position: [10, 20], crlbMax: 0.25 }, { position: [-40, 5] }]);
    const s = parseScenario({ ...j, crlbMax: 2 });
    expect(s.targets.map((t) => t.crlbMax)).toEqual([2, 0.25, 2]);
    const back = scenarioToJson(s) as any;
    expect(back.targets).toEqual([{ position: s.targets[0]!.position }, { position: [10, 20], crlbMax: 0.25 }, { position: [-40, 5] }]);
    expect(parseScenario(back).targets).toEqual(s.targets);
  });
});

describe('targets: channel-model draws', () => {
  it('one gain matrix per target: |alpha_t|^2 = g_r d^-2 d^-2 at its own position; target 0 unchanged by adding targets', () => {
    const j = single();
    const one = parseScenario(j);
    const three = parseScenario(asTargets(j, [{ position: [10, 20] }, { position: [-60, -30] }]));
    expect(three.targets[0]!.radarGains).toEqual(one.targets[0]!.radarGains);
    const dist = (a: number[], b: number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!);
    const gr = 10 ** (three.channelModel.radarGainDbAt1m / 10);
    three.targets.forEach((t) => {
      for (let r = 0; r < 4; r++)
        for (let s = 0; s < 4; s++) {
          const [re, im] = t.radarGains[r]![s]!;
          if (r === s) {
            expect([re, im]).toEqual([0, 0]);
            continue;
          }
          const expected = gr * dist(three.baseStations[s]!.position, t.position) ** -2 * dist(t.position, three.baseStations[r]!.position) ** -2;
          expect(Math.abs((re * re + im * im) / expected - 1)).toBeLessThan(1e-12);
        }
    });
    // Independent phases: a second target at the first one's position gets other phases.
    const twin = parseScenario(asTargets(j, [{ position: j.target.position }]));
    expect(twin.targets[1]!.radarGains[0]![1]).not.toEqual(twin.targets[0]!.radarGains[0]![1]);
    const abs = (g: number[]) => Math.hypot(g[0]!, g[1]!);
    expect(relDiff(abs(twin.targets[1]!.radarGains[0]![1]!), abs(twin.targets[0]!.radarGains[0]![1]!))).toBeLessThan(1e-15);
  });

  it('generate --targets T: T targets in the disc, target 0 where the single-target generator puts it', () => {
    const base = generateScenario({ seed: 7, users: 3 }) as any;
    const j = generateScenario({ seed: 7, users: 3, targets: 4 }) as any;
    expect(j.target).toBeUndefined();
    expect(j.targets).toHaveLength(4);
    expect(j.targets[0].position).toEqual(base.target.position);
    expect(j.radarGains).toHaveLength(4);
    expect(j.radarGains[0]).toEqual(base.radarGains);
    expect(j.users).toEqual(base.users);
    expect(j.channels).toEqual(base.channels);
    for (const t of j.targets) expect(Math.hypot(t.position[0], t.position[1])).toBeLessThanOrEqual(150);
    expect(new Set(j.targets.map((t: any) => t.position.join())).size).toBe(4);
    expect(JSON.stringify(scenarioToJson(parseScenario(j)))).toBe(JSON.stringify(j));
    expect(() => generateScenario({ seed: 7, users: 3, targets: 0 })).toThrow(InputError);
    expect(() => generateScenario({ preset: 'fig2', targets: 2 })).toThrow(/fig2 preset has one target/);
  });
});

describe('targets: FIM and CRLB per target', () => {
  it("each target's CRLB is that of the single-target scenario with its position and gains (block-diagonal FIM)", () => {
    for (const seed of [3, 4, 5]) {
      const j = randomScenarioJson(seed, { N: 5, S: 4, K: 0, targets: 3 });
      const scn = parseScenario(j);
      const rng = new Rng(seed);
      const r = rng.int(4);
      const Q = randomCovariances(rng, scn, r);
      const all = crlbPerTarget(scn, r, Q);
      scn.targets.forEach((t, i) => {
        const { targets: _t, ...rest } = j;
        const alone = parseScenario({ ...rest, target: { position: t.position }, radarGains: t.radarGains });
        expect(relDiff(all[i]!, crlb(alone, r, Q))).toBeLessThan(1e-12);
        expect(fisherInformation(scn, r, Q, { target: i })).toEqual(fisherInformation(alone, r, Q));
      });
      expect(new Set(all).size).toBe(3);
    }
  });

  it('with several targets the FIM functions need the target index (no silent default)', () => {
    const scn = parseScenario(randomScenarioJson(9, { N: 3, S: 3, K: 0, targets: 2 }));
    const Q = randomCovariances(new Rng(1), scn, 0);
    expect(() => crlb(scn, 0, Q)).toThrow(/2 targets/);
    expect(() => fimCoefficients(scn, 0)).toThrow(/2 targets/);
    expect(() => fisherInformation(scn, 0, Q, { target: 2 })).toThrow(/out of range/);
    expect(fimCoefficients(scn, 0, { target: 1 }).target).toBe(1);
  });
});

describe('targets: evaluate', () => {
  const j = asTargets(single(), [{ position: [10, 20], crlbMax: 0.5 }]);
  const scn = parseScenario(j);
  const iso = isotropicDesign(scn, 2);
  const c = crlbPerTarget(scn, 2, transmitCovariances(scn, iso));
  it("reports each target's CRLB against its own bound; the binding target is the worst ratio", () => {
    const e = evaluateDesign(scn, iso);
    expect(e.targets.map((t) => t.crlb)).toEqual(c);
    expect(e.targets.map((t) => t.crlbMax)).toEqual([1, 0.5]);
    expect(e.targets.map((t) => t.position)).toEqual(scn.targets.map((t) => t.position));
    const worst = c[0]! / 1 > c[1]! / 0.5 ? 0 : 1;
    expect(e.bindingTarget).toBe(worst);
    expect(e.crlb).toBe(c[worst]);
    expect(e.crlbMax).toBe([1, 0.5][worst]);
    const text = JSON.stringify(e);
    expect(JSON.parse(text).targets[1]).toMatchObject({ crlb: c[1], crlbMax: 0.5 });
  });

  it('a design feasible for one target and not the other is infeasible, naming the target', () => {
    // No users, so only the CRLBs (and powers) decide. Sensing scaled so that target 0's CRLB
    // is 0.9 m^2; target 1's is then c1 = 0.9 c[1] / c[0]. Its bound is set at c1 / 2
    // (violated) or 2 c1 (met), and target 0's at 1 (met) or 0.45 (violated).
    const factor = c[0]! / 0.9;
    expect(factor).toBeLessThan(1); // stays within the power budget
    const c1 = (0.9 * c[1]!) / c[0]!;
    const withBounds = (e0: number, e1: number) => {
      const { users: _u, ...rest } = j;
      return parseScenario({
        ...rest,
        users: [],
        targets: [
          { position: j.targets[0].position, crlbMax: e0 },
          { position: [10, 20], crlbMax: e1 },
        ],
      });
    };
    const design = (s: ReturnType<typeof withBounds>): Design => ({
      ...isotropicDesign(s, 2),
      sensingCovariances: isotropicDesign(s, 2).sensingCovariances.map((R) => scale(R, factor)),
    });
    const bad1 = withBounds(1, c1 / 2);
    const e1 = evaluateDesign(bad1, design(bad1));
    expect(e1.targets[0]!.crlb).toBeCloseTo(0.9, 9);
    expect(e1.targets[1]!.crlb! / c1).toBeCloseTo(1, 9);
    expect(e1.feasible).toBe(false);
    expect(e1.violations).toEqual([expect.stringMatching(/^targets\[1\]: CRLB .* above crlbMax/)]);
    expect(e1.bindingTarget).toBe(1);
    const bad0 = withBounds(0.45, 2 * c1);
    const e0 = evaluateDesign(bad0, design(bad0));
    expect(e0.feasible).toBe(false);
    expect(e0.violations).toEqual([expect.stringMatching(/^targets\[0\]: CRLB 0\.9\d* m\^2 above crlbMax 0\.45/)]);
    expect(e0.bindingTarget).toBe(0);
    expect(e0.crlb).toBe(e0.targets[0]!.crlb);
    const good = withBounds(1, 2 * c1);
    const eg = evaluateDesign(good, design(good));
    expect(eg.violations).toEqual([]);
    expect(eg.feasible).toBe(true);
  });
});
