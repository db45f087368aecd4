import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { aggregate } from '../../src/report/aggregate.ts';
import { renderSvg, svgToPixels } from '../../src/report/render.ts';
import { scenarioMapSpec } from '../../src/report/specs.ts';
import { table2 } from '../../src/report/table.ts';
import { headerFor } from '../../src/study/engine.ts';
import type { TrialRecord } from '../../src/study/results.ts';
import { parseStudy, type Study } from '../../src/study/schema.ts';
import { scenarioSeed, taskIndex } from '../../src/study/tasks.ts';

const T3 = 3.1824463052837078; // t(0.975, 3)

const study: Study = parseStudy({
  name: 'synthetic',
  sweep: { minSinrDb: [0, 10] },
  trials: 4,
  methods: ['proposed', 'exact', 'scheme1'],
  seed: 1,
  historyTrials: 2,
});

// power[point][method][trial]; null = no feasible design
const POWER: Record<string, (number | null)[]>[] = [
  { proposed: [1, 2, 3, 4], exact: [0.9, 1.9, 2.9, 3.9], scheme1: [2, null, 4, 5] },
  { proposed: [10, 20, null, 40], exact: [10, 19, null, 38], scheme1: [null, null, null, 50] },
];

function syntheticRecords(): TrialRecord[] {
  const out: TrialRecord[] = [];
  study.points.forEach((params, point) => {
    for (const method of study.methods) {
      for (let trial = 0; trial < study.trials; trial++) {
        const p = POWER[point]![method]![trial]!;
        out.push({
          kind: 'trial',
          study: 'x',
          task: taskIndex(study, point, trial, method),
          point,
          params,
          trial,
          method,
          seed: scenarioSeed(study, point, trial),
          status: p === null ? 'infeasible' : method === 'exact' ? 'optimal' : 'feasible',
          feasible: p !== null,
          totalPower: p!,
          crlb: p === null ? null : 0.9,
          minSinrMarginDb: p === null ? null : 0,
          receiver: p === null ? null : 1,
          association: p === null ? null : [0, 0, 2, 3, 3],
          seconds: 0.5 + trial,
          iterations: 3,
          lowerBound: null,
          gap: null,
          wallSeconds: 1,
          ...(method === 'proposed' && trial < 2 && p !== null ? { history: [3 * p, 1.5 * p, p] } : {}),
        });
      }
    }
  });
  return out;
}

function csv(file: string): Record<string, string>[] {
  const [head, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i], v])));
}

describe('aggregation', () => {
  it('averages over feasible trials and over the trials feasible for every method', () => {
    const agg = aggregate(study, syntheticRecords());
    const row = (set: string, method: string, point: number) => agg.power.find((r) => r.set === set && r.method === method && r.point === point)!;
    const p0 = row('feasible', 'proposed', 0);
    expect(p0.n).toBe(4);
    expect(p0.meanW).toBeCloseTo(2.5, 12);
    const half = (T3 * Math.sqrt(5 / 3)) / 2;
    expect(p0.loW).toBeCloseTo(2.5 - half, 8);
    expect(p0.hiW).toBeCloseTo(2.5 + half, 8);
    expect(p0.meanDbm).toBeCloseTo(10 * Math.log10(2.5) + 30, 10);
    // common set at point 0: trials 0, 2, 3 (scheme1 fails trial 1)
    expect(row('common', 'proposed', 0).n).toBe(3);
    expect(row('common', 'proposed', 0).meanW).toBeCloseTo((1 + 3 + 4) / 3, 12);
    expect(row('common', 'exact', 0).meanW).toBeCloseTo((0.9 + 2.9 + 3.9) / 3, 12);
    // point 1: only trial 3 is feasible for all; n = 1 has no interval (band = mean)
    const c1 = row('common', 'scheme1', 1);
    expect(c1).toMatchObject({ n: 1, meanW: 50, loW: 50, hiW: 50 });
    // infeasibility rates with Wilson intervals
    const r = agg.rates.find((x) => x.method === 'scheme1' && x.point === 1)!;
    expect(r).toMatchObject({ trials: 4, infeasible: 3, ratePct: 75 });
    // gaps to exact (exact optimal and method feasible): point 0 all four, point 1 trials 0, 1, 3
    const g = agg.gaps.filter((x) => x.method === 'proposed');
    expect(g).toHaveLength(7);
    expect(g[0]!.gapPct).toBeCloseTo((100 * (1 - 0.9)) / 0.9, 10);
    const s = agg.summary.find((x) => x.method === 'scheme1')!;
    expect(s).toMatchObject({ trials: 8, feasible: 4, feasiblePct: 50 });
    expect(s.meanPowerW).toBeCloseTo((2 + 4 + 5 + 50) / 4, 12);
    expect(agg.summary.find((x) => x.method === 'proposed')!.medianSeconds).toBe(2);
    expect(agg.convergence.filter((c) => c.point === 0 && c.trial === 1).map((c) => c.objective)).toEqual([6, 3, 2]);
  });
});

describe('ablation', () => {
  it('compares each method with the certified optimum on the same drops', () => {
    const recs = syntheticRecords();
    // Proposed picks another receiver at point 0, trial 1 (its power stays as given).
    recs.find((r) => r.method === 'proposed' && r.point === 0 && r.trial === 1)!.receiver = 2;
    const agg = aggregate(study, recs);
    const row = (m: string) => agg.ablation.find((a) => a.method === m)!;
    // Drops with a proven optimum: point 0 trials 0-3, point 1 trials 0, 1, 3.
    const gapsProposed = [1 / 0.9, 2 / 1.9, 3 / 2.9, 4 / 3.9, 10 / 10, 20 / 19, 40 / 38].map((x) => 100 * (x - 1)).sort((a, b) => a - b);
    expect(row('proposed')).toMatchObject({ drops: 7, infeasible: 0, meanIterations: 3, medianSeconds: 1.5 });
    expect(row('proposed').optimalReceiverPct).toBeCloseTo((100 * 6) / 7, 10);
    expect(row('proposed').optimalPct).toBeCloseTo(100 / 7, 10); // point 1, trial 0: equal power
    expect(row('proposed').meanGapPct).toBeCloseTo(gapsProposed.reduce((a, b) => a + b, 0) / 7, 10);
    expect(row('proposed').medianGapPct).toBeCloseTo(gapsProposed[3]!, 10);
    expect(row('proposed').maxGapPct).toBeCloseTo(100 / 9, 10);
    // Scheme 1: no design at point 0 trial 1 and point 1 trials 0, 1 (receiver unknown there).
    const s1 = row('scheme1');
    expect(s1).toMatchObject({ drops: 7, infeasible: 3, optimalPct: 0 });
    expect(s1.optimalReceiverPct).toBeCloseTo((100 * 4) / 7, 10);
    expect(s1.maxGapPct).toBeCloseTo(100 * (2 / 0.9 - 1), 10);
    expect(row('exact')).toMatchObject({ drops: 7, optimalReceiverPct: 100, optimalPct: 100, maxGapPct: 0 });
    // Decade bins of the gap histogram: 0 %; 2.56, 3.45, 5.26 (x3) %; 11.1 %.
    expect(agg.gapBins.filter((b) => b.method === 'proposed').map((b) => [b.bin, b.count])).toEqual([
      ['≤ 0.01 %', 1],
      ['0.01–1 %', 0],
      ['1–10 %', 5],
      ['10–100 %', 1],
      ['100–1000 %', 0],
      ['> 1000 %', 0],
    ]);
  });
});

describe('study report', () => {
  it('writes SVG, PNG, CSV and the report page from a results file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netisac-report-'));
    const file = join(dir, 'results.jsonl');
    const header = headerFor(study, null);
    const recs = syntheticRecords().map((r) => ({ ...r, study: header.studyHash }));
    writeFileSync(file, [header, ...recs].map((x) => JSON.stringify(x)).join('\n') + '\n');
    const out = join(dir, 'report');
    const code = await main(['study', 'report', file, '--out', out]);
    expect(code).toBe(0);
    for (const f of [
      'report.md',
      'report.html',
      'summary.csv',
      'fig3-power.svg',
      'fig3-power.png',
      'fig3-power-common.svg',
      'fig3-power.csv',
      'fig4-infeasibility.svg',
      'fig4-infeasibility.png',
      'fig4-infeasibility.csv',
      'convergence.svg',
      'convergence.csv',
      'gap-histogram.svg',
      'gap-histogram.png',
      'ablation.csv',
      'gaps.csv',
    ])
      expect(existsSync(join(out, f)), f).toBe(true);
    const png = readFileSync(join(out, 'fig3-power.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const fig3 = csv(join(out, 'fig3-power.csv'));
    const p0 = fig3.find((r) => r.set === 'feasible' && r.method === 'proposed' && r.point === '0')!;
    expect(Number(p0.meanW)).toBeCloseTo(2.5, 12);
    expect(Number(p0.n)).toBe(4);
    const fig4 = csv(join(out, 'fig4-infeasibility.csv'));
    const s1 = fig4.find((r) => r.method === 'scheme1' && r.point === '0')!;
    expect(Number(s1.ratePct)).toBe(25);
    expect(Number(s1.loPct)).toBeGreaterThan(0);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/\| Proposed \(Alg\. 1\) \| 8 \| 0 \| 7 \| 87\.5 \|/);
    expect(md).toMatch(/!\[.*\]\(fig4-infeasibility\.png\)/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/<svg[^>]*class="marks"/);
    expect(html).toMatch(/Infeasibility rate/);
    for (const f of ['report.md', 'report.html', 'fig3-power.csv', 'fig4-infeasibility.csv', 'summary.csv', 'gaps.csv', 'convergence.csv', 'fig3-power.svg'])
      expect(readFileSync(join(out, f), 'utf8'), f).not.toMatch(/NaN|undefined|Infinity/);
  });
});

describe('figures', () => {
  const scenario = {
    baseStations: [{ position: [0, 100] }, { position: [100, 0] }, { position: [0, -100] }, { position: [-100, 0] }],
    users: [{ position: [-30, 80] }, { position: [20, 130] }, { position: [50, -80] }, { position: [-40, -70] }, { position: [-70, -20] }],
    target: { position: [30, 60] },
  };

  it('draws the Fig. 2 map with labels, the receiving BS and association arrows', async () => {
    const spec = scenarioMapSpec(scenario, { receiver: 1, association: [0, 0, 2, 3, 3], method: 'proposed', totalPower: 0.14 });
    const svg = await renderSvg(spec);
    for (const label of ['BS1', 'BS2', 'BS3', 'BS4', 'CU1', 'CU5', 'ST', 'Receiving BS']) expect(svg).toContain(label);
    expect(svg).toContain('BS1 → CU2');
    const layers = (spec.layer as { data: { values: { label?: string; kind?: string }[] } }[]).map((l) => l.data.values);
    const nodes = layers.find((v) => v.some((n) => n.kind))!;
    expect(nodes.find((n) => n.label === 'BS2')!.kind).toBe('Receiving BS');
    expect(nodes.find((n) => n.label === 'BS1')!.kind).toBe('Base station');
    expect(() => scenarioMapSpec({ baseStations: [] })).toThrow(TypeError);
    // geometry only
    expect(await renderSvg(scenarioMapSpec(scenario))).toContain('ST');
  });

  it('renders text into PNGs (a font is found)', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="10" y="28" font-family="sans-serif" font-size="24" fill="black">BS1 text</text></svg>';
    const { rgba } = svgToPixels(svg);
    let dark = 0;
    for (let i = 0; i < rgba.length; i += 4) if (rgba[i]! < 100 && rgba[i + 3]! > 0) dark++;
    expect(dark).toBeGreaterThan(100);
  });

  it('Table II marks the proposed choice, Scheme 1 and the optimum', () => {
    const t = table2({
      rows: [
        { receiver: 0, status: 'optimal', totalPower: 0.2, association: [1, 1, 2, 3, 3] },
        { receiver: 1, status: 'optimal', totalPower: 0.1435, association: [0, 0, 2, 3, 3] },
        { receiver: 2, status: 'optimal', totalPower: 0.3, association: [0, 0, 1, 3, 3] },
        { receiver: 3, status: 'infeasible', totalPower: null, association: null },
      ],
      proposed: { receiver: 1, totalPower: 0.1435 },
      scheme1: { receiver: 0, totalPower: 0.21 },
    });
    expect(t.rows.map((r) => [r.bs, r.optimum, r.proposed, r.scheme1])).toEqual([
      ['BS1', false, false, true],
      ['BS2', true, true, false],
      ['BS3', false, false, false],
      ['BS4', false, false, false],
    ]);
    expect(t.markdown).toContain('| **BS2** | 0.1435 | 21.57 | CU1→BS1, CU2→BS1, CU3→BS3, CU4→BS4, CU5→BS4 | global optimum, proposed |');
    expect(t.markdown).toContain('infeasible (infeasible)');
    expect(t.notes[0]).toMatch(/Proposed scheme \(Alg\. 1\): receiving BS2, total power 0.1435 W .*the global optimum/);
    expect(t.notes[1]).toMatch(/Scheme 1: receiving BS1.*46\.34% above the optimum/);
    const withVariant = table2({
      rows: t.rows.map((r) => ({ receiver: r.receiver, status: r.status, totalPower: r.totalPowerW, association: null })),
      proposedRelaxation: { receiver: 2, totalPower: 0.3 },
    });
    expect(withVariant.rows.map((r) => r.proposedRelaxation)).toEqual([false, false, true, false]);
    expect(withVariant.notes[0]).toMatch(/Alg\. 1 \+ relaxation start: receiving BS3.*109\.06% above the optimum/);
    expect(t.csv.split('\n')[0]).toBe('bs,receiver,status,totalPowerW,totalPowerDbm,association,proposed,proposedRelaxation,scheme1,optimum');
  });
});
