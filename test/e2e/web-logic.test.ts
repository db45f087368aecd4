/**
 * The browser app's own computations, checked in Node against the library: beam patterns use
 * the contract's steering convention and array axis, the error ellipse's trace is the CRLB,
 * imported channels are kept verbatim, and edits refuse invalid geometry.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crlbFromEquivalentFim } from '../../src/model/fim.ts';
import { defaultArrayAxis, sinTheta, steering } from '../../src/model/geometry.ts';
import { parseScenario } from '../../src/model/scenario.ts';
import { cmat } from '../../src/linalg/complex.ts';
import { beamPattern, lobeRadius, quadraticPower } from '../../web/src/map/beam.ts';
import { covarianceEllipse, epsilonRadius } from '../../web/src/map/ellipse.ts';
import { draftToJson, importScenario } from '../../web/src/app/draft.ts';
import { EditError, moveNode, removeNode } from '../../web/src/app/edits.ts';
import { validateNumber } from '../../web/src/ui/fields.ts';
import { REPO } from './harness.ts';
import { solveScenarioSync } from '../../src/design/solve.ts';
import { parseDesign } from '../../src/model/design.ts';
import { evaluateDesign } from '../../src/model/evaluate.ts';
import { transmitCovariances } from '../../src/model/covariance.ts';
import { formatPercent, formatSig, formatWatts, parseWatts } from '../../web/src/format.ts';
import { bsRole, verdict, violationTexts } from '../../web/src/ui/results.ts';
import { progressText } from '../../web/src/ui/solver-panel.ts';
import { checkScenario } from '../../web/src/app/actions.ts';
import { draftLimitProblem } from '../../web/src/app/limits.ts';
import { labelOverlap, placeLabels } from '../../web/src/map/labels.ts';
import { makeTransform, zoomAt } from '../../web/src/map/transform.ts';
import { crlbAt, crlbGrid, gridPoint } from '../../web/src/tools/heatmap.ts';
import { enterFixedMode, fixedHint, modeChange, pickForFixed } from '../../web/src/app/fixed-pick.ts';
import { initialState } from '../../web/src/app/state.ts';
import { certificates, fixedFormulation, rayShares, relaxationFormulation, summarise } from '../../web/src/tools/certificate.ts';
import { certificateText, receiverCertificateText } from '../../web/src/ui/diagnosis.ts';
import { runSdp } from '../../src/design/sdp.ts';
import { BS_COLORS, SINR_COLORS } from '../../web/src/map/palette.ts';
import { closestPair, deltaE, DEUTERANOPIA, PROTANOPIA } from './cvd.ts';

/** Smallest CIE76 difference required between categorical colours as a colour-blind viewer sees them. */
const MIN_DELTA_E = 15;
import { sizeBounds, verifyPrimalInfeasibility } from '../../src/conic/certify.ts';

const FIG2 = JSON.parse(readFileSync(join(REPO, 'examples/fig2.json'), 'utf8'));

/** Q = a a^H for the steering vector towards sin(theta0). */
function rankOne(N: number, s0: number) {
  const a = steering(N, s0);
  const q = cmat(N, N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      // a_i conj(a_j)
      q.data[2 * (i * N + j)] = a[2 * i]! * a[2 * j]! + a[2 * i + 1]! * a[2 * j + 1]!;
      q.data[2 * (i * N + j) + 1] = a[2 * i + 1]! * a[2 * j]! - a[2 * i]! * a[2 * j + 1]!;
    }
  }
  return q;
}

describe('beam pattern', () => {
  it('peaks at N^2 W per W towards the target and at its mirror image about the array axis', () => {
    const N = 8;
    const bs: [number, number] = [0, 100];
    const u = defaultArrayAxis(bs);
    const target: [number, number] = [30, 60];
    const s0 = sinTheta(bs, u, target);
    const pattern = beamPattern(rankOne(N, s0), u, 1440);
    const top = Math.max(...pattern.map((p) => p.power));
    // N^2 at the exact angle; the 0.25 degree grid may miss it by a hair.
    expect(top).toBeLessThanOrEqual(N * N + 1e-9);
    expect(top).toBeGreaterThan(0.999 * N * N);
    const d = [target[0] - bs[0], target[1] - bs[1]];
    const r = Math.hypot(d[0]!, d[1]!);
    // The mirror of d about the array axis u: 2 (u.d) u - d.
    const ud = (u[0] * d[0]! + u[1] * d[1]!) / r;
    const m = [2 * ud * u[0] - d[0]! / r, 2 * ud * u[1] - d[1]! / r];
    const peaks = pattern.filter((p) => p.power > 0.999 * top);
    const near = (v: number[]) => peaks.some((p) => p.dir[0] * v[0]! + p.dir[1] * v[1]! > Math.cos((0.3 * Math.PI) / 180));
    expect(near([d[0]! / r, d[1]! / r])).toBe(true);
    expect(near(m)).toBe(true);
    // Symmetric about the axis: the power at a direction equals the power at its mirror.
    for (const p of pattern.filter((_, i) => i % 97 === 0)) {
      const c = p.dir[0] * u[0] + p.dir[1] * u[1];
      const mirror = [2 * c * u[0] - p.dir[0], 2 * c * u[1] - p.dir[1]];
      expect(quadraticPower(rankOne(N, s0), mirror[0]! * u[0] + mirror[1]! * u[1])).toBeCloseTo(p.power, 9);
    }
  });

  it('equals |a(theta)^H a(theta0)|^2 for a rank-one covariance', () => {
    const N = 5;
    const q = rankOne(N, 0.3);
    for (const s of [-0.9, -0.2, 0, 0.3, 0.77]) {
      const a = steering(N, s);
      const b = steering(N, 0.3);
      let re = 0;
      let im = 0;
      for (let n = 0; n < N; n++) {
        re += a[2 * n]! * b[2 * n]! + a[2 * n + 1]! * b[2 * n + 1]!;
        im += a[2 * n]! * b[2 * n + 1]! - a[2 * n + 1]! * b[2 * n]!;
      }
      expect(quadraticPower(q, s)).toBeCloseTo(re * re + im * im, 9);
    }
  });

  it('scales lobes linearly or over a dB range', () => {
    expect(lobeRadius(0.5, 1, 'linear')).toBe(0.5);
    expect(lobeRadius(0.1, 1, 'db', 30)).toBeCloseTo(2 / 3, 12);
    expect(lobeRadius(1e-5, 1, 'db', 30)).toBe(0);
    expect(lobeRadius(1, 0, 'linear')).toBe(0);
  });
});

describe('CRLB ellipse', () => {
  it('has a^2 + b^2 = CRLB and its major axis along the largest-variance direction', () => {
    const J = [
      [3, 1.2],
      [1.2, 0.9],
    ];
    const e = covarianceEllipse(J)!;
    expect(e.a ** 2 + e.b ** 2).toBeCloseTo(crlbFromEquivalentFim(J), 12);
    // C = J^-1; C v = a^2 v for v along the major axis.
    const det = 3 * 0.9 - 1.2 * 1.2;
    const C = [
      [0.9 / det, -1.2 / det],
      [-1.2 / det, 3 / det],
    ];
    const v = [Math.cos(e.angle), Math.sin(e.angle)];
    expect(C[0]![0]! * v[0]! + C[0]![1]! * v[1]!).toBeCloseTo(e.a ** 2 * v[0]!, 10);
    expect(C[1]![0]! * v[0]! + C[1]![1]! * v[1]!).toBeCloseTo(e.a ** 2 * v[1]!, 10);
    expect(
      covarianceEllipse([
        [1, 1],
        [1, 1],
      ]),
    ).toBeNull();
    expect(2 * epsilonRadius(1) ** 2).toBeCloseTo(1, 12);
  });
});

describe('scenario import and edits', () => {
  it("keeps a file's explicit channels verbatim and notes whether they are the model's draws", () => {
    const { draft, explicit } = importScenario(FIG2, 'fig2.json');
    expect(explicit?.matchesModel).toBe(true);
    const again = parseScenario(draftToJson(draft, explicit));
    const file = parseScenario(FIG2);
    expect(Array.from(again.channels[2]![4]!)).toEqual(Array.from(file.channels[2]![4]!));

    const changed = structuredClone(FIG2);
    changed.channels[0][0][0] = [1e-3, 0];
    expect(importScenario(changed).explicit?.matchesModel).toBe(false);

    const drawn = structuredClone(FIG2);
    delete drawn.channels;
    delete drawn.radarGains;
    expect(importScenario(drawn).explicit).toBeNull();
  });

  it('reports the JSON path of a broken file', () => {
    const bad = structuredClone(FIG2);
    bad.users[1].position = [20];
    expect(() => importScenario(bad, 'bad.json')).toThrow(/bad\.json: users\[1\]\.position/);
  });

  it('refuses to put a user on a BS or to drop below two BSs', () => {
    const { draft } = importScenario(FIG2);
    expect(() => moveNode(draft, { kind: 'user', index: 0 }, [0, 100.4])).toThrow(EditError);
    const moved = moveNode(draft, { kind: 'user', index: 0 }, [12.34, 56.78]);
    expect(moved.users[0]!.position).toEqual([12.3, 56.8]);
    const two = removeNode(removeNode(draft, { kind: 'bs', index: 0 }), { kind: 'bs', index: 0 });
    expect(two.baseStations).toHaveLength(2);
    expect(() => removeNode(two, { kind: 'bs', index: 0 })).toThrow(/At least 2 BSs/);
  });

  it('validates typed numbers with a message', () => {
    const spec = { id: 'n', label: 'N', integer: true, min: 1, max: 32, get: () => 8, set: () => {} };
    expect(validateNumber(spec, '0')).toBe('must be between 1 and 32');
    expect(validateNumber(spec, '2.5')).toBe('must be a whole number');
    expect(validateNumber(spec, 'abc')).toBe('"abc" is not a number');
    expect(validateNumber(spec, '')).toBe('required');
    expect(validateNumber(spec, '16')).toBeNull();
    expect(validateNumber({ ...spec, integer: false, min: 0, max: undefined, above: true, unit: 'm²' }, '0')).toBe('must be > 0 m²');
  });
});

describe('what the panels show', () => {
  it('formats powers in one style with SI prefixes and reads them back', () => {
    expect(formatWatts(0.1295518)).toBe('129.55 mW');
    expect(formatWatts(1)).toBe('1.0000 W');
    expect(formatWatts(1.2415e-11)).toBe('12.415 pW');
    expect(formatWatts(3e-13)).toBe('0 W');
    expect(formatWatts(0.99999999)).toBe('1.0000 W');
    for (const w of [0.1295518, 3.2e-7, 12.5, 4.2e-10]) expect(parseWatts(formatWatts(w)) / w).toBeCloseTo(1, 4);
    expect(formatPercent(3.93e-13)).toBe('< 0.01 %');
    expect(formatPercent(0)).toBe('0 %');
    expect(formatPercent(0.37512)).toBe('37.51 %');
  });

  it('names violations like the tables (U2, BS3) and finds exactly what the library finds', () => {
    const scn = parseScenario(FIG2);
    const design = solveScenarioSync(scn, { method: 'fixed', receiver: 3, association: [0, 0, 2, 0, 0] });
    const tight = parseScenario({ ...FIG2, crlbMax: 1e-4, maxPowerDbm: 10, users: FIG2.users.map((u: object) => ({ ...u, minSinrDb: 20 })) });
    const ev = evaluateDesign(tight, parseDesign(design, tight));
    const texts = violationTexts(ev, ev.sinrTargetDb);
    expect(texts.length).toBe(ev.violations.length);
    expect(texts.join(' ')).not.toMatch(/users\[|baseStations\[/);
    expect(texts.some((t) => /^U\d: SINR/.test(t))).toBe(true);
    expect(texts.some((t) => t.startsWith('CRLB'))).toBe(true);
    expect(texts.some((t) => /^BS\d: power/.test(t))).toBe(true);
  });

  it('calls a BS without power idle, never "senses"', () => {
    const scn = parseScenario(FIG2);
    const design = parseDesign(solveScenarioSync(scn, { method: 'fixed', receiver: 3, association: [0, 0, 2, 0, 0] }), scn);
    // Silence BS2 entirely: no users, no sensing covariance.
    const silent = { ...design, sensingCovariances: design.sensingCovariances.map((m, s) => (s === 1 ? cmat(scn.N, scn.N) : m)) };
    const ev = evaluateDesign(scn, silent);
    const sensing = silent.sensingCovariances.map((m, s) => (s === 3 ? cmat(scn.N, scn.N) : m));
    const shown = {
      entry: { design: {}, origin: 'solver', scenarioVersion: 1 },
      stale: false,
      design: silent,
      evaluation: ev,
      covariances: null,
      comm: null,
      sensing,
      problem: null,
    } as const;
    expect(bsRole(shown as never, 1)).toBe('idle (no power)');
    expect(bsRole(shown as never, 3)).toBe('receives echoes');
    expect(bsRole(shown as never, 0)).toMatch(/^serves 4/);
  });

  it('the badge of a stale result never claims feasibility the numbers deny', () => {
    const scn = parseScenario(FIG2);
    const json = solveScenarioSync(scn, { method: 'fixed', receiver: 3, association: [0, 0, 2, 0, 0] });
    const tight = parseScenario({ ...FIG2, crlbMax: 1e-4 });
    const ev = evaluateDesign(tight, parseDesign(json, tight));
    const base = {
      entry: { design: json as unknown as Record<string, unknown>, origin: 'solver' as const, scenarioVersion: 1 },
      design: null,
      evaluation: ev,
      covariances: null,
      comm: null,
      sensing: null,
      problem: null,
    };
    expect(verdict({ ...base, stale: true }).text).toBe('stale · violates requirements');
    expect(verdict({ ...base, stale: false }).text).toBe('violates requirements');
  });

  it('reads exact progress in words and says "no bound yet" before the first bound', () => {
    expect(progressText('exact: 12 nodes, bound 1.2000e-1 W, best 1.3000e-1 W')).toBe('12 nodes · bound 120.00 mW · best 130.00 mW · gap 7.69 %');
    expect(progressText('exact: 0 nodes, bound 0.0000e+0 W, best Infinity W')).toBe('0 nodes · bound no bound yet · best none yet · gap —');
  });
});

describe('planner limits and files', () => {
  it('refuses what the fields would refuse, naming the JSON path', () => {
    expect(() => checkScenario({ ...FIG2, antennas: 512 }, 'n512.json')).toThrow(/n512\.json: antennas: 512/);
    const many = { ...FIG2, users: Array.from({ length: 65 }, (_, k) => ({ position: [k + 0.5, 3], minSinrDb: 8, noisePowerDbm: -85 })) };
    delete (many as Record<string, unknown>).channels;
    expect(() => checkScenario(many, 'many.json')).toThrow(/many\.json: users: 65 users; the planner handles at most 64/);
    const far = structuredClone(FIG2);
    far.target.position = [0, 5000];
    delete far.radarGains;
    expect(() => checkScenario(far, 'far.json')).toThrow(/target\.position\[1\]: 5000 is outside/);
    expect(draftLimitProblem(importScenario(FIG2).draft)).toBeNull();
  });

  it('places labels without overlaps when there is room', () => {
    const req = [
      { at: [100, 100] as [number, number], r: 10, text: 'BS1' },
      { at: [112, 104] as [number, number], r: 10, text: 'U1' },
      { at: [96, 118] as [number, number], r: 10, text: 'target' },
    ];
    expect(labelOverlap(placeLabels(req, req))).toBe(0);
  });

  it('zooms around the pointer and keeps that point fixed', () => {
    const v = { cx: 0, cy: 0, R: 100 };
    const z = zoomAt(v, [50, -20], 2, { min: 1, max: 1e4 });
    expect(z.R).toBe(50);
    const before = makeTransform(v).toSvg([50, -20]);
    const after = makeTransform(z).toSvg([50, -20]);
    expect(after[0]).toBeCloseTo(before[0], 9);
    expect(after[1]).toBeCloseTo(before[1], 9);
  });
});

describe('sensing coverage map', () => {
  it("gives the evaluated CRLB at the target and does not depend on the radar gains' phase", () => {
    const scn = parseScenario(FIG2);
    const json = solveScenarioSync(scn, { method: 'fixed', receiver: 3, association: [0, 0, 2, 0, 0] });
    const design = parseDesign(json, scn);
    const ev = evaluateDesign(scn, design);
    const q = transmitCovariances(scn, design);
    // fig2.json's gains are the model's draws: at the true target the map equals the evaluation.
    expect(crlbAt(scn, 3, q, scn.targets[0]!.position) / ev.crlb!).toBeCloseTo(1, 9);
    // Other seeds draw other phases, same magnitudes: the same CRLB.
    const reseeded = { ...scn, channelModel: { ...scn.channelModel, seed: 999 } };
    expect(crlbAt(reseeded, 3, q, [40, -70]) / crlbAt(scn, 3, q, [40, -70])).toBeCloseTo(1, 9);
    const grid = crlbGrid(FIG2, json, { cx: 0, cy: 0, R: 150 }, 8);
    expect(grid.crlb.length).toBe(64);
    expect(Array.from(grid.crlb).every((v) => v > 0)).toBe(true);
    expect(gridPoint({ cx: 0, cy: 0, R: 150 }, 8, 0, 0)).toEqual([-131.25, 131.25]);
  });
});

describe('formatSig', () => {
  it('writes plain decimals in the usual range and powers of ten beyond, never e-notation', () => {
    expect(formatSig(0.0001)).toBe('0.0001');
    expect(formatSig(1.23456)).toBe('1.235');
    expect(formatSig(1234.5)).toBe('1235');
    expect(formatSig(1.2416e-11)).toBe('1.242 × 10⁻¹¹');
    expect(formatSig(3e12, 2)).toBe('3 × 10¹²');
  });
});

describe('several targets in the draft', () => {
  it('round-trips a targets file with own bounds and explicit gains, and wraps one-target gains when a bound is set', () => {
    const two = structuredClone(FIG2);
    delete two.target;
    two.targets = [{ position: [30, 60] }, { position: [-60, -40], crlbMax: 2 }];
    delete two.radarGains;
    const file = parseScenario(two);
    const withGains = { ...two, radarGains: file.targets.map((t) => t.radarGains) };
    const { draft, explicit } = importScenario(withGains, 'two.json');
    expect(draft.targets).toEqual([{ position: [30, 60] }, { position: [-60, -40], crlbMax: 2 }]);
    const again = parseScenario(draftToJson(draft, explicit));
    expect(again.targets.map((t) => t.crlbMax)).toEqual([FIG2.crlbMax, 2]);
    expect(again.targets[1]!.radarGains).toEqual(file.targets[1]!.radarGains);
    // fig2.json (one `target`, explicit S x S gains): an own bound switches to `targets` and keeps the gains.
    const one = importScenario(FIG2, 'fig2.json');
    const bounded = { ...one.draft, targets: [{ ...one.draft.targets[0]!, crlbMax: 0.5 }] };
    const scn = parseScenario(draftToJson(bounded, one.explicit));
    expect(scn.targets[0]!.crlbMax).toBe(0.5);
    expect(scn.targets[0]!.radarGains).toEqual(parseScenario(FIG2).targets[0]!.radarGains);
    expect(() => removeNode(one.draft, { kind: 'target', index: 0 })).toThrow(/At least one target/);
  });
});

describe('choosing fixed on the map', () => {
  it('a BS click sets the receiver, a user and then a BS assign it, the receiver is refused as a server', () => {
    let s = initialState();
    const apply = (p: Partial<typeof s>) => (s = { ...s, ...p });
    apply(enterFixedMode());
    expect(s.mode).toBe('fixed');
    expect(s.method).toBe('fixed');
    apply(pickForFixed(s, { kind: 'bs', index: 2 }));
    expect(s.fixed.receiver).toBe(2);
    // Nobody is served by the receiver after the repair.
    expect(s.fixed.association).toHaveLength(s.draft.users.length);
    expect(s.fixed.association.includes(2)).toBe(false);
    apply(pickForFixed(s, { kind: 'user', index: 1 }));
    expect(s.fixedPending).toBe(1);
    expect(fixedHint(s)).toMatch(/^U2 picked/);
    apply(pickForFixed(s, { kind: 'bs', index: 3 }));
    expect(s.fixed.association[1]).toBe(3);
    expect(s.fixedPending).toBeNull();
    // The receiver cannot serve: refused with a reason, the choice unchanged.
    const before = s.fixed;
    apply(pickForFixed(s, { kind: 'user', index: 0 }));
    apply(pickForFixed(s, { kind: 'bs', index: 2 }));
    expect(s.fixed).toBe(before);
    expect(s.messages.edit).toMatch(/BS3 receives the echoes/);
    // Picking the same user twice puts it down again; leaving the mode forgets it.
    apply(pickForFixed(s, { kind: 'user', index: 0 }));
    expect(s.fixedPending).toBeNull();
    apply(pickForFixed(s, { kind: 'user', index: 0 }));
    apply(modeChange('move'));
    expect(s.fixedPending).toBeNull();
    expect(s.mode).toBe('move');
  });
});

describe("the solver's infeasibility certificate in the planner's words", () => {
  const scenarioOf = (patch: Record<string, unknown>) => {
    const j = { ...FIG2, ...patch };
    delete j.channels;
    delete j.radarGains;
    return j;
  };
  // Two users and a CRLB bound far too tight for the budget (as in the browser test).
  const tight = scenarioOf({ users: FIG2.users.slice(0, 2), crlbMax: 1e-3 });

  it('weighs every row of a verified Farkas ray: the CRLB and the transmitting BSs’ budgets, not the SINR targets', () => {
    const certs = certificates(tight);
    expect(certs).toHaveLength(FIG2.baseStations.length);
    for (const c of certs) {
      expect(c.status).toBe('infeasible');
      expect(c.unclassified).toBe(0);
      // The ray itself, re-checked here with the size bounds the budgets give.
      const f = relaxationFormulation(tight, c.receiver);
      const sdp = runSdp(f.problem);
      const check = verifyPrimalInfeasibility(f.problem, sdp.y, sizeBounds(f.problem));
      expect(check.rigorous).toBe(true);
      const all = rayShares(f, sdp.y);
      expect(all.shares.reduce((a, s) => a + s.share, 0)).toBeCloseTo(1, 12);
      // The receiver sends nothing: its budget is not in its certificate.
      expect(c.shares.some((s) => s.requirement.kind === 'power' && s.requirement.bs === c.receiver)).toBe(false);
      expect(c.shares[0]!.requirement.kind).toBe('crlb');
    }
    const sum = summarise(certs);
    expect(sum.named.map((n) => n.requirement.kind)).toContain('crlb');
    expect(sum.named.map((n) => n.requirement.kind)).toContain('power');
    expect(sum.idle).toEqual(['sinr']);
    const text = certificateText(certs, 1);
    expect(text).toMatch(
      /^The solver's certificate proves that no design exists, with any receiver: the CRLB bound ε and the budgets of BS\d(, BS\d)* and BS\d conflict; the SINR targets carry almost no weight/,
    );
  });

  it('what the certificate leaves out does not cause it: without any user the scenario is still infeasible', () => {
    // Independent of the ray: the library solves the scenario with the SINR rows gone altogether.
    const noUsers = scenarioOf({ users: [], crlbMax: 1e-3 });
    expect(solveScenarioSync(parseScenario(noUsers), { method: 'proposed' }).status).toBe('infeasible');
    // ...and what it names does: a looser ε (the CRLB carries most of the weight) is feasible.
    expect(['feasible', 'optimal']).toContain(solveScenarioSync(parseScenario({ ...tight, crlbMax: 1 }), { method: 'proposed' }).status);
  });

  it('names the SINR targets when they are out of reach, and then the CRLB carries little weight', () => {
    const loud = scenarioOf({ users: FIG2.users.map((u: { minSinrDb: number }) => ({ ...u, minSinrDb: 45 })) });
    const certs = certificates(loud);
    const sum = summarise(certs);
    expect(sum.certified).toHaveLength(FIG2.baseStations.length);
    expect(sum.named[0]!.requirement.kind).toBe('sinr');
    // The interior-point ray is not the sparsest: the CRLB keeps a few per cent (3-6 % measured),
    // far below the SINR rows' weight.
    for (const c of certs) {
      const crlb = c.shares.filter((s) => s.requirement.kind === 'crlb').reduce((a, s) => a + s.share, 0);
      const sinr = c.shares.filter((s) => s.requirement.kind === 'sinr').reduce((a, s) => a + s.share, 0);
      expect(crlb).toBeLessThan(0.1);
      expect(sinr).toBeGreaterThan(4 * crlb);
    }
    // Independently: with the CRLB bound as loose as the planner allows it is still infeasible.
    const looseCrlb = { ...loud, crlbMax: 1e6 };
    expect(solveScenarioSync(parseScenario(looseCrlb), { method: 'proposed' }).status).toBe('infeasible');
    expect(receiverCertificateText(certs[0]!, 1)).toMatch(/^BS1 receiving: U\d's SINR target \d+ %/);
  });
});

describe('the palette under colour-vision deficiency', () => {
  it('keeps every pair of BS colours and the SINR classes apart under deuteranopia and protanopia', () => {
    for (const M of [DEUTERANOPIA, PROTANOPIA]) {
      const bs = closestPair(M, BS_COLORS);
      expect(bs.delta, `closest BS colours ${bs.pair.join(' / ')}`).toBeGreaterThanOrEqual(MIN_DELTA_E);
      expect(closestPair(M, Object.values(SINR_COLORS)).delta).toBeGreaterThanOrEqual(MIN_DELTA_E);
    }
  });

  it('would catch a red-green palette (the simulation collapses the pair that deuteranopes confuse)', () => {
    expect(
      deltaE(
        [
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, 1],
        ],
        '#d62728',
        '#2ca02c',
      ),
    ).toBeGreaterThan(50);
    expect(deltaE(DEUTERANOPIA, '#d62728', '#2ca02c')).toBeLessThan(MIN_DELTA_E);
  });
});

describe('certificates of a fixed choice and of several targets', () => {
  const plain = () => {
    const j = { ...FIG2 };
    delete j.channels;
    delete j.radarGains;
    return j;
  };

  it("certifies an infeasible fixed choice with that choice's own SDP, naming its serving BS's budget", () => {
    // At 30 dBm Fig. 2 is feasible (exact proves a design exists), but not with BS2 serving everyone.
    const scn = { ...plain(), maxPowerDbm: 30 };
    const choice = { receiver: 3, association: [1, 1, 1, 1, 1] };
    expect(solveScenarioSync(parseScenario(scn), { method: 'fixed', ...choice }).status).toBe('infeasible');
    const certs = certificates(scn, () => {}, choice);
    expect(certs).toHaveLength(1);
    expect(certs[0]!.status).toBe('infeasible');
    expect(certs[0]!.association).toEqual(choice.association);
    const f = fixedFormulation(scn, choice);
    const sdp = runSdp(f.problem);
    expect(verifyPrimalInfeasibility(f.problem, sdp.y, sizeBounds(f.problem)).rigorous).toBe(true);
    const named = summarise(certs).named.map((n) => n.requirement);
    expect(named).toContainEqual({ kind: 'power', bs: 1 });
    expect(certificateText(certs, 1)).toMatch(/with BS4 receiving and this association \(U1→BS2, U2→BS2, U3→BS2, U4→BS2, U5→BS2\): .*the budgets of .*BS2/);
    // The budgets take part: at the paper's 45 dBm the same choice is feasible.
    expect(solveScenarioSync(parseScenario({ ...scn, maxPowerDbm: 45 }), { method: 'fixed', ...choice }).status).toBe('optimal');
  });

  it('with two targets names the one whose bound is too tight, not the other', () => {
    const base = plain();
    const two = { ...base, targets: [{ position: base.target.position }, { position: [-40, -60], crlbMax: 1e-4 }] };
    delete two.target;
    const certs = certificates(two);
    expect(summarise(certs).certified).toHaveLength(base.baseStations.length);
    const named = summarise(certs).named.map((n) => n.requirement);
    expect(named).toContainEqual({ kind: 'crlb', target: 1 });
    expect(named).not.toContainEqual({ kind: 'crlb', target: 0 });
    expect(certificateText(certs, 2)).toMatch(/T2's CRLB bound and the budgets of/);
    // Independently: T1's bound as loose as allowed changes nothing; without T2 it is feasible.
    const looseT1 = { ...two, targets: [{ ...two.targets[0], crlbMax: 1e6 }, two.targets[1]] };
    expect(solveScenarioSync(parseScenario(looseT1), { method: 'proposed' }).status).toBe('infeasible');
    expect(['feasible', 'optimal']).toContain(solveScenarioSync(parseScenario(base), { method: 'proposed' }).status);
  });
});
