/**
 * `netisac figures [--quick] --out DIR`: reproduces the paper's Sec. IV: the Fig. 2 setup
 * solved with both Algorithm 1 variants, Scheme 1 and exact; Table II (best design per
 * receiving BS, from the exact search restricted to that receiver); the
 * Fig. 3/4 sweep (a resumable study in DIR/results.jsonl); then the report in DIR.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../errors.ts';
import { ensureDirectory, writeFileWhole } from '../../model/io.ts';
import { capWorkers } from '../../workers.ts';
import type { DesignJson } from '../../design/api.ts';
import { writeReport } from '../../report/report.ts';
import type { ReceiverResult } from '../../report/table.ts';
import { runStudy } from '../../study/engine.ts';
import { readResults } from '../../study/results.ts';
import { PAPER_FIG3_STUDY } from '../../study/paper.ts';
import { canonicalJson, loadStudy, parseStudy } from '../../study/schema.ts';
import { runWithSignals } from './study.ts';

const log = (m: string): void => {
  process.stderr.write(`${m}\n`);
};

interface Fig2Cache {
  scenarioHash: string;
  designs: { method: string; design: DesignJson }[];
  table2?: ReceiverResult[];
}

/** Adds `netisac figures` to the program. */
export function register(program: Command): void {
  program
    .command('figures')
    .description("reproduce the paper's Fig. 2, Table II and Figs. 3-4 (resumable) and write the report into --out")
    .requiredOption('-o, --out <dir>', 'output folder (results.jsonl, figures, CSV, report.md/html)')
    .option('--quick', 'a few points and trials (minutes instead of hours)')
    .option('-w, --workers <n>', 'worker threads for the sweep (default: the number of cores)')
    .option('--study <file>', 'sweep study file instead of the built-in paper-fig3 study')
    .option('--no-table2', 'skip Table II (one exact search per receiving BS)')
    .option('--no-png', 'SVG only')
    .action(async (opts: { out: string; quick?: boolean; workers?: string; study?: string; table2: boolean; png: boolean }) => {
      const workers = opts.workers === undefined ? undefined : Number(opts.workers);
      if (workers !== undefined && (!Number.isInteger(workers) || workers < 0))
        throw new InputError(`--workers must be a non-negative integer, got "${opts.workers}"`);
      const study = opts.study ? loadStudy(opts.study, { quick: opts.quick }) : parseStudy(PAPER_FIG3_STUDY, { quick: opts.quick });
      ensureDirectory(opts.out, '--out');
      // The solver is loaded only here, so the rest of the CLI works without it.
      const runner = await import('../../study/runner.ts');

      // Fig. 2 and Table II (cached in the output folder, keyed by the scenario).
      const scenario = runner.fig2ScenarioJson();
      const scenarioHash = createHash('sha256').update(canonicalJson(scenario)).digest('hex').slice(0, 16);
      const cacheFile = join(opts.out, 'figures-cache.json');
      let cache: Fig2Cache | undefined;
      if (existsSync(cacheFile)) {
        try {
          const c = JSON.parse(readFileSync(cacheFile, 'utf8')) as Fig2Cache;
          if (c.scenarioHash === scenarioHash) cache = c;
        } catch {
          cache = undefined;
        }
      }
      if (!cache) {
        log('Fig. 2: solving the paper setup (Gamma = 8 dB, epsilon = 1) with proposed, proposed-relaxation, scheme1, exact');
        const fig2 = await runner.solveFig2(['proposed', 'proposed-relaxation', 'scheme1', 'exact']);
        cache = { scenarioHash, designs: fig2.designs.map((d) => ({ method: d.method, design: d.design })) };
        for (const d of fig2.designs)
          log(
            `  ${d.method}: ${d.design.status}${d.design.receiver !== undefined ? `, receiving BS${d.design.receiver + 1}` : ''}${d.design.totalPower !== undefined ? `, ${d.design.totalPower.toPrecision(5)} W` : ''}`,
          );
        writeFileWhole(cacheFile, JSON.stringify(cache));
      }
      if (opts.table2 && !cache.table2) {
        log('Table II: the best design for each receiving BS (exact search restricted to each receiver)');
        cache.table2 = await runner.perReceiverBest(scenario, { onProgress: (m) => log(`  ${m}`) });
        writeFileWhole(cacheFile, JSON.stringify(cache));
      }

      // Figs. 3 and 4.
      const resultsFile = join(opts.out, 'results.jsonl');
      log(`Figs. 3-4: study "${study.name}" -> ${resultsFile}`);
      const summary = await runWithSignals((signal) =>
        runStudy({ study, out: resultsFile, workers: workers === undefined ? undefined : capWorkers(workers, log), signal, log }),
      );
      if (summary.interrupted) {
        const code = summary.signal === 'SIGTERM' ? 143 : 130;
        log('netisac: interrupted; run the same command again to resume');
        process.exitCode = code;
        setTimeout(() => process.exit(code), 1500).unref();
        return;
      }
      const rf = readResults(resultsFile);
      const byMethod = new Map(cache.designs.map((d) => [d.method, d.design]));
      const choice = (m: string) => {
        const d = byMethod.get(m);
        return d ? { receiver: d.receiver ?? null, totalPower: d.totalPower ?? null, association: d.association ?? null } : undefined;
      };
      const out = await writeReport({
        header: rf.header!,
        records: rf.records,
        outDir: opts.out,
        png: opts.png,
        fig2: { scenario, designs: cache.designs, radius: 150 },
        table2: cache.table2
          ? { rows: cache.table2, proposed: choice('proposed'), proposedRelaxation: choice('proposed-relaxation'), scheme1: choice('scheme1') }
          : undefined,
        notes: [
          `Produced by \`netisac figures${opts.quick ? ' --quick' : ''}\`: Fig. 2 / Table II on the paper's setup (users and target of Sec. IV, Γ = 8 dB, ε = 1 m²), Figs. 3–4 from the study "${study.name}".`,
          ...(cache.table2
            ? [
                'Table II: for each receiving BS, the best design with that BS receiving: the exact branch and bound restricted to that receiver (its proven optimum covers all (S − 1)^K associations), re-evaluated by the model; if the search is inconclusive, every association is solved as `fixed` and the best kept (docs/study.md).',
              ]
            : []),
        ],
      });
      log(`report: ${join(out.dir, 'report.html')}`);
      process.stdout.write(`${JSON.stringify({ dir: out.dir, files: out.files, study: summary.studyHash })}\n`);
    });
}
