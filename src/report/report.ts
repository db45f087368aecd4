/**
 * The study report: figures (SVG + PNG), the plotted data (CSV) and a page putting them
 * together (`report.md`, and `report.html` with the SVGs inline).
 */
import { join, resolve } from 'node:path';
import { ensureDirectory, writeFileWhole } from '../model/io.ts';
import type { ResultsHeader, TrialRecord } from '../study/results.ts';
import { aggregate, GAP_HISTOGRAM_METHODS, methodLabel, type Aggregates } from './aggregate.ts';
import { pngUnavailable, renderSvg, svgToPng } from './render.ts';
import { convergenceSpec, gapHistogramSpec, infeasibilitySpec, powerSpec, scenarioMapSpec, type VlSpec } from './specs.ts';
import { escapeHtml, fix, fmt, objectsToCsv, table2, toHtmlTable, toMarkdown, type Cell, type Table2Input } from './table.ts';

export interface Fig2Input {
  /** Scenario JSON (the contract's format). */
  scenario: unknown;
  /** Designs to draw, one map each (the first is "the" Fig. 2). */
  designs: { method: string; design: unknown }[];
  radius?: number;
}

export interface ReportInput {
  header: ResultsHeader;
  records: TrialRecord[];
  outDir: string;
  fig2?: Fig2Input | undefined;
  table2?: Table2Input | undefined;
  /** Extra paragraphs at the top (e.g. how the figures command ran). */
  notes?: string[] | undefined;
  /** Messages such as "PNG unavailable" (default: stderr). */
  log?: ((message: string) => void) | undefined;
  /** Also write PNGs (default true). */
  png?: boolean | undefined;
}

export interface ReportOutput {
  dir: string;
  files: string[];
  aggregates: Aggregates;
}

interface Figure {
  name: string;
  caption: string;
  svg: string;
}

interface Section {
  title: string;
  paragraphs?: string[];
  table?: { header: string[]; rows: Cell[][]; align?: ('l' | 'r' | 'c')[] };
  rawMarkdown?: string;
  rawHtml?: string;
  figures?: Figure[];
  links?: { text: string; href: string }[];
}

function describeStudy(h: ResultsHeader): { header: string[]; rows: Cell[][] } {
  const s = h.study;
  const sc = s.scenario;
  const pts = s.points;
  const uniq = (k: 'minSinrDb' | 'crlbMax' | 'maxPowerDbm'): string => [...new Set(pts.map((p) => p[k]))].join(', ');
  const rows: Cell[][] = [
    ['Study', `${s.name} (hash ${h.studyHash})`],
    [
      'Layout',
      sc.layout === 'paper'
        ? 'paper: 4 BSs at (0,100), (100,0), (0,−100), (−100,0) m'
        : sc.layout === 'hexagon'
          ? `hexagon: 7 BSs, spacing ${sc.bsSpacing ?? 100} m`
          : `${sc.layout.length} BSs at ${sc.layout.map((p) => `(${p[0]},${p[1]})`).join(', ')} m`,
    ],
    ['Service area radius', `${sc.radius} m`],
    ['Users K / antennas N / radar samples L', `${sc.users} / ${sc.antennas} / ${sc.radarSamples}`],
    ['Noise: user σ²_c / radar σ²_r', `${sc.noisePowerDbm} dBm / ${sc.radarNoisePowerDbm} dBm`],
    ['Γ_req (dB)', uniq('minSinrDb')],
    ['ε, CRLB bound (m²)', uniq('crlbMax')],
    ['P, per-BS budget (dBm)', uniq('maxPowerDbm')],
    ['Sweep points × trials', `${pts.length} × ${s.trials}`],
    ['Methods', s.methods.map(methodLabel).join('; ')],
    ['Seed / seed mode', `${s.seed} / ${s.seedMode === 'common' ? 'common (trial t has the same channels at every point)' : 'independent per point'}`],
  ];
  const tl = Object.entries(s.timeLimit);
  if (tl.length) rows.push(['Time limits', tl.map(([m, v]) => `${m}: ${v} s`).join(', ')]);
  if (sc.channelModel) rows.push(['Channel model overrides', JSON.stringify(sc.channelModel)]);
  return { header: ['Parameter', 'Value'], rows };
}

function summaryTable(agg: Aggregates): { header: string[]; rows: Cell[][]; align: ('l' | 'r')[] } {
  return {
    header: [
      'Method',
      'Trials',
      'Errors',
      'Feasible',
      'Feasible %',
      'Mean power (W)',
      'Mean power (dBm)',
      'Median time (s)',
      'Mean gap to exact (%)',
      'Gap trials',
    ],
    rows: agg.summary.map((s) => [
      s.label,
      s.trials,
      s.errors,
      s.feasible,
      fix(s.feasiblePct, 1),
      fmt(s.meanPowerW, 4),
      fix(s.meanPowerDbm, 2),
      fmt(s.medianSeconds, 3),
      s.method === 'exact' ? '—' : fix(s.meanGapPct, 3),
      s.method === 'exact' ? '—' : s.gapTrials,
    ]),
    align: ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  };
}

function ablationTable(agg: Aggregates): { header: string[]; rows: Cell[][]; align: ('l' | 'r')[] } {
  return {
    header: [
      'Method',
      'Drops',
      'Optimal receiver (%)',
      'Optimal design (%)',
      'No design',
      'Mean gap (%)',
      'Median gap (%)',
      'Max gap (%)',
      'Mean iterations',
      'Median time (s)',
    ],
    rows: agg.ablation.map((a) => [
      a.label,
      a.drops,
      fix(a.optimalReceiverPct, 1),
      fix(a.optimalPct, 1),
      a.infeasible,
      fix(a.meanGapPct, 2),
      fix(a.medianGapPct, 3),
      fix(a.maxGapPct, 1),
      fix(a.meanIterations, 2),
      fmt(a.medianSeconds, 3),
    ]),
    align: ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  };
}

const STATS_NOTE = [
  'Power is averaged in watts over the trials with a feasible, independently verified design; the dBm value is 10·log10(mean W) + 30.',
  'Confidence band of a mean over n trials: x̄ ± t(0.975, n−1)·s/√n with s² = Σ(xᵢ − x̄)²/(n − 1) (none for n < 2; a lower limit ≤ 0 W is drawn at the smallest sample).',
  'Infeasibility rate: share of trials without a feasible design; interval: Wilson score, (p̂ + z²/2n ± z·√(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n), z = 1.95996.',
  'Gap to exact: (P_method − P_exact)/P_exact over the trials where exact proved optimality and the method found a design. Records whose runner threw (status "error") are excluded from every statistic.',
];

function renderMarkdown(title: string, intro: string[], sections: Section[], png: boolean): string {
  const out: string[] = [`# ${title}`, '', ...intro.flatMap((p) => [p, ''])];
  for (const s of sections) {
    out.push(`## ${s.title}`, '');
    for (const p of s.paragraphs ?? []) out.push(p, '');
    if (s.table) out.push(toMarkdown(s.table.header, s.table.rows, s.table.align));
    if (s.rawMarkdown) out.push(s.rawMarkdown, '');
    for (const f of s.figures ?? []) out.push(`![${f.caption}](${f.name}.${png ? 'png' : 'svg'})`, '', `*${f.caption}* ([SVG](${f.name}.svg))`, '');
    if (s.links?.length) out.push(`Data: ${s.links.map((l) => `[${l.text}](${l.href})`).join(', ')}`, '');
  }
  return out.join('\n');
}

/** Escapes a paragraph for HTML, turning Markdown `code` spans into <code>. */
function inlineHtml(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function renderHtml(title: string, intro: string[], sections: Section[], png: boolean): string {
  const body: string[] = [`<h1>${escapeHtml(title)}</h1>`, ...intro.map((p) => `<p>${inlineHtml(p)}</p>`)];
  for (const s of sections) {
    body.push(`<h2>${escapeHtml(s.title)}</h2>`);
    for (const p of s.paragraphs ?? []) body.push(`<p>${inlineHtml(p)}</p>`);
    if (s.table)
      body.push(
        toHtmlTable(
          s.table.header,
          s.table.rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c)))),
          s.table.align,
        ),
      );
    if (s.rawHtml) body.push(s.rawHtml);
    for (const f of s.figures ?? [])
      body.push(
        `<figure>${f.svg.replace(/^<\?xml[^>]*>/, '')}<figcaption>${escapeHtml(f.caption)} (<a href="${f.name}.svg">SVG</a>${png ? `, <a href="${f.name}.png">PNG</a>` : ''})</figcaption></figure>`,
      );
    if (s.links?.length) body.push(`<p>Data: ${s.links.map((l) => `<a href="${escapeHtml(l.href)}">${escapeHtml(l.text)}</a>`).join(', ')}</p>`);
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.92em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; }
th { background: #f3f3f3; }
figure { margin: 1.5em 0; }
figcaption { font-size: 0.9em; color: #555; }
svg { max-width: 100%; height: auto; }
</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}

/** Where a section's files go: `write` a data file, `figure` a rendered figure (SVG, spec, PNG). */
interface Sink {
  write(name: string, data: string | Buffer): void;
  figure(name: string, spec: VlSpec, caption: string): Promise<Figure>;
}

/** Writes the figures, their data and the report page into `outDir`. */
export async function writeReport(input: ReportInput): Promise<ReportOutput> {
  const dir = resolve(input.outDir);
  ensureDirectory(dir, input.outDir);
  const files: string[] = [];
  let png = input.png !== false;
  const noPng = png ? pngUnavailable() : undefined;
  if (noPng) {
    (input.log ?? ((m: string) => process.stderr.write(`${m}\n`)))(`netisac: warning: ${noPng}; PNG figures are skipped, SVG and CSV are written`);
    png = false;
  }
  const out: Sink = {
    write(name, data) {
      writeFileWhole(join(dir, name), data);
      files.push(name);
    },
    async figure(name, spec, caption) {
      const svg = await renderSvg(spec);
      out.write(`${name}.svg`, svg);
      out.write(`${name}.vl.json`, `${JSON.stringify(spec, null, 1)}\n`);
      if (png) out.write(`${name}.png`, svgToPng(svg));
      return { name, caption, svg };
    },
  };

  const { header, records } = input;
  const agg = aggregate(header.study, records);
  const complete = agg.completeness.records >= agg.completeness.expected;
  const intro = [
    `Generated by netisac on ${new Date().toISOString()} from ${agg.completeness.records} of ${agg.completeness.expected} task results` +
      (complete ? '.' : ' — the study is INCOMPLETE; statistics cover the finished trials only.'),
    ...(input.notes ?? []),
  ];
  // In page order; each builder writes its data files as it goes.
  const sections: Section[] = [
    { title: 'Study parameters', table: describeStudy(header) },
    summarySection(out, agg),
    ...(input.fig2 ? [await fig2Section(out, input.fig2)] : []),
    ...(input.table2 ? [table2Section(out, input.table2)] : []),
    ...(await powerSections(out, agg)),
    ...(await infeasibilitySections(out, agg)),
    await convergenceSection(out, agg, header.study.historyTrials),
    ...ablationSections(out, agg),
    await gapSection(out, agg),
    { title: 'Statistics', paragraphs: STATS_NOTE },
  ];
  const title = `netisac study report: ${header.study.name}`;
  out.write('report.md', renderMarkdown(title, intro, sections, png));
  out.write('report.html', renderHtml(title, intro, sections, png));
  return { dir, files, aggregates: agg };
}

function summarySection(out: Sink, agg: Aggregates): Section {
  out.write('summary.csv', objectsToCsv(agg.summary));
  return {
    title: 'Summary per method',
    paragraphs: [
      'Feasible % counts designs that passed the independent constraint check; mean power is over those; the gap to exact is (P − P_exact)/P_exact on trials where exact proved optimality.',
    ],
    table: summaryTable(agg),
    links: [{ text: 'summary.csv', href: 'summary.csv' }],
  };
}

/** One scenario map per design, and the scenario and designs they draw. */
async function fig2Section(out: Sink, fig2: Fig2Input): Promise<Section> {
  const figs: Figure[] = [];
  for (const d of fig2.designs) {
    const dj = d.design as { receiver?: number };
    const spec = scenarioMapSpec(fig2.scenario, d.design, { radius: fig2.radius, title: `Fig. 2 — ${methodLabel(d.method)}` });
    const which = Number.isInteger(dj.receiver) ? ` (receiving BS${dj.receiver! + 1})` : ' (no design)';
    figs.push(await out.figure(`fig2-map-${d.method}`, spec, `Scenario map with the ${methodLabel(d.method)} design${which}.`));
  }
  out.write('fig2-scenario.json', `${JSON.stringify(fig2.scenario)}\n`);
  out.write('fig2-designs.json', `${JSON.stringify(fig2.designs, null, 1)}\n`);
  return {
    title: 'Fig. 2: BS selection and association in the paper’s setup',
    figures: figs,
    links: [
      { text: 'fig2-scenario.json', href: 'fig2-scenario.json' },
      { text: 'fig2-designs.json', href: 'fig2-designs.json' },
    ],
  };
}

function table2Section(out: Sink, input: Table2Input): Section {
  const t = table2(input);
  out.write('table2.md', t.markdown);
  out.write('table2.csv', t.csv);
  return {
    title: 'Table II: total power for each receiving BS',
    paragraphs: [
      'Each row: the best design with that BS receiving (best association and beamforming). Bold / "global optimum": the smallest total power.',
      ...t.notes,
    ],
    rawMarkdown: t.markdown,
    rawHtml: t.html,
    links: [{ text: 'table2.csv', href: 'table2.csv' }],
  };
}

/** The columns that say which sweep point a row of power or rates belongs to. */
const POINT_COLUMNS = ['series', 'point', 'minSinrDb', 'crlbMax', 'maxPowerDbm', 'targets'] as const;
const POWER_COLUMNS: (keyof Aggregates['power'][number])[] = ['set', 'method', ...POINT_COLUMNS, 'n', 'meanW', 'loW', 'hiW', 'meanDbm', 'loDbm', 'hiDbm'];

/** Fig. 3 (average power), and the same against T when the study sweeps the targets. */
async function powerSections(out: Sink, agg: Aggregates): Promise<Section[]> {
  out.write('fig3-power.csv', objectsToCsv(agg.power, POWER_COLUMNS));
  const title = 'Fig. 3: average total transmit power';
  if (!agg.power.length) return [{ title, paragraphs: ['No feasible design in any trial: nothing to average.'] }];
  const links = [{ text: 'fig3-power.csv', href: 'fig3-power.csv' }];
  const figs = [
    await out.figure(
      'fig3-power',
      powerSpec(agg, 'feasible'),
      'Fig. 3: average total transmit power over each method’s feasible trials (the paper’s convention), 95% t-interval bands.',
    ),
  ];
  if (agg.power.some((r) => r.set === 'common'))
    figs.push(await out.figure('fig3-power-common', powerSpec(agg, 'common'), 'Fig. 3 (like for like): average over the trials feasible for every method.'));
  const sections: Section[] = [{ title, figures: figs, links }];
  // Several targets (beyond the paper): the same averages against T, under their own name.
  if (agg.axes.x === 'targets') {
    const caption =
      'Average total transmit power vs the number of sensing targets T (one CRLB bound each), over each method’s feasible trials, 95% t-interval bands.';
    sections.push({ title: 'Average power vs number of targets', figures: [await out.figure('targets-power', powerSpec(agg, 'feasible'), caption)], links });
  }
  return sections;
}

const RATE_COLUMNS: (keyof Aggregates['rates'][number])[] = ['method', ...POINT_COLUMNS, 'trials', 'infeasible', 'ratePct', 'loPct', 'hiPct'];

async function infeasibilitySections(out: Sink, agg: Aggregates): Promise<Section[]> {
  out.write('fig4-infeasibility.csv', objectsToCsv(agg.rates, RATE_COLUMNS));
  if (!agg.rates.length) return [];
  return [
    {
      title: 'Fig. 4: infeasibility rate',
      figures: [await out.figure('fig4-infeasibility', infeasibilitySpec(agg), 'Fig. 4: infeasibility rate with 95% Wilson intervals.')],
      links: [{ text: 'fig4-infeasibility.csv', href: 'fig4-infeasibility.csv' }],
    },
  ];
}

async function convergenceSection(out: Sink, agg: Aggregates, historyTrials: number): Promise<Section> {
  out.write('convergence.csv', objectsToCsv(agg.convergence, ['point', 'minSinrDb', 'x', 'trial', 'iteration', 'objective']));
  const title = 'Convergence of Algorithm 1';
  if (!agg.convergence.length) return { title, paragraphs: ['No trial recorded an AO history (the proposed method was not run, or historyTrials is 0).'] };
  const trials = new Set(agg.convergence.map((r) => `${r.point}/${r.trial}`)).size;
  return {
    title,
    paragraphs: [
      `Objective of the penalised problem per AO iteration for the ${trials} trial(s) that recorded their history (the first ${historyTrials} trial(s) of each point).`,
    ],
    figures: [await out.figure('convergence', convergenceSpec(agg.convergence, agg.axes.xTitle.split(' (')[0]), 'Objective vs AO iteration (Algorithm 1).')],
    links: [{ text: 'convergence.csv', href: 'convergence.csv' }],
  };
}

const ABLATION_COLUMNS: (keyof Aggregates['ablation'][number])[] = [
  'method',
  'label',
  'drops',
  'optimalReceiverPct',
  'optimalPct',
  'infeasible',
  'meanGapPct',
  'medianGapPct',
  'maxGapPct',
  'meanIterations',
  'medianSeconds',
];

/** The per-trial gaps (data only) and the ablation against the certified optimum. */
function ablationSections(out: Sink, agg: Aggregates): Section[] {
  out.write('gaps.csv', objectsToCsv(agg.gaps, ['method', 'point', 'trial', 'gapPct']));
  out.write('ablation.csv', objectsToCsv(agg.ablation, ABLATION_COLUMNS));
  if (!agg.ablation.some((a) => a.drops > 0)) return [];
  return [
    {
      title: 'Ablation: Algorithm 1 against the certified optimum',
      paragraphs: [
        'Every method on the drops (point, trial) where `exact` proved optimality. Optimal receiver: the method chose the receiving BS of the optimum. Optimal design: within 0.01 % of the optimal power. No design: the method found no feasible design although one exists. Gaps are over the drops with a design. Iterations: AO iterations (Algorithm 1 and Schemes 1/3), branch-and-bound nodes (exact), interior-point iterations (Scheme 2).',
        "`Proposed (Alg. 1)` is the paper's Algorithm 1 from its neutral start b = (S−1)/S, a = 1/S; `Alg. 1 + relaxation start` starts from the receiver with the smallest association-relaxation bound and that relaxation's power shares.",
      ],
      table: ablationTable(agg),
      links: [{ text: 'ablation.csv', href: 'ablation.csv' }],
    },
  ];
}

/** How far both Algorithm 1 variants are from the exact optimum: a line each and a histogram. */
async function gapSection(out: Sink, agg: Aggregates): Promise<Section> {
  const title = 'Optimality gap of Algorithm 1';
  const variants = GAP_HISTOGRAM_METHODS.filter((m) => agg.gaps.some((g) => g.method === m));
  if (!variants.length) return { title, paragraphs: ['No trial where Algorithm 1 and a proven exact optimum both exist.'] };
  out.write('gap-histogram.csv', objectsToCsv(agg.gapBins, ['method', 'bin', 'fromPct', 'toPct', 'count']));
  const gapsOf = (m: string): number[] =>
    agg.gaps
      .filter((g) => g.method === m)
      .map((g) => g.gapPct)
      .sort((a, b) => a - b);
  const lines = variants.map((m) => {
    const v = gapsOf(m);
    const within = (x: number): number => (100 * v.filter((g) => g <= x).length) / v.length;
    return `${methodLabel(m)} over ${v.length} trial(s): mean ${fix(v.reduce((a, b) => a + b, 0) / v.length, 3)}%, median ${fix(v[(v.length - 1) >> 1], 3)}%, max ${fix(v[v.length - 1], 3)}%; ${fix(within(0.01), 1)}% of trials within 0.01% of the optimum, ${fix(within(1), 1)}% within 1%.`;
  });
  const n = Math.max(...variants.map((m) => gapsOf(m).length));
  return {
    title,
    paragraphs: lines,
    figures: [
      await out.figure('gap-histogram', gapHistogramSpec(agg.gapBins, n), 'Relative gap of both Algorithm 1 variants to the exact optimum, on decade bins.'),
    ],
    links: [
      { text: 'gaps.csv', href: 'gaps.csv' },
      { text: 'gap-histogram.csv', href: 'gap-histogram.csv' },
    ],
  };
}
