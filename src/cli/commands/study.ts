/**
 * `netisac study run|merge|report|info`: Monte Carlo studies (see docs/study.md).
 * Results and summaries go to stdout (JSON), messages to stderr.
 */
import { Option, type Command } from 'commander';
import { InputError } from '../../errors.ts';
import { runStudy, type RunStudySummary } from '../../study/engine.ts';
import { loadResults, mergeResults } from '../../study/merge.ts';
import { loadStudy, parseStudy, studyHash, type Study } from '../../study/schema.ts';
import { formatShard, parseShard, shardFromSlurm, studyTasks, type Shard } from '../../study/tasks.ts';
import { readStdinJson, STDIN_NAME } from '../input.ts';
import { capWorkers } from '../../workers.ts';

function parseWorkers(v: string): number {
  const n = Number(v);
  if (!/^\s*\d+\s*$/.test(v) || !Number.isSafeInteger(n)) throw new InputError(`--workers must be a non-negative integer, got "${v}"`);
  return n;
}

const log = (m: string): void => {
  process.stderr.write(`${m}\n`);
};

/** A study file argument (`-`: stdin). */
async function loadStudyArg(file: string, quick: boolean | undefined): Promise<Study> {
  if (file !== '-') return loadStudy(file, { quick });
  return parseStudy(await readStdinJson('study'), { quick, source: STDIN_NAME });
}

/**
 * Runs a study with SIGINT/SIGTERM handling: the first signal stops dispatching and
 * discards in-flight trials (exit 130 / 143); a second one exits at once.
 */
export async function runWithSignals(run: (signal: AbortSignal) => Promise<RunStudySummary>): Promise<RunStudySummary & { signal?: NodeJS.Signals }> {
  const ac = new AbortController();
  let got: NodeJS.Signals | undefined;
  const handler = (sig: NodeJS.Signals): void => {
    if (got) process.exit(sig === 'SIGTERM' ? 143 : 130);
    got = sig;
    log(`\nnetisac: ${sig}: stopping (finished results are kept; run the same command again to resume)`);
    ac.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  try {
    const summary = await run(ac.signal);
    return got ? { ...summary, signal: got } : summary;
  } finally {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  }
}

/** Adds `netisac study run|merge|report|info` to the program. */
export function register(program: Command): void {
  const study = program.command('study').description('Monte Carlo studies: run (resumable, parallel, shardable), merge shards, report');

  study
    .command('run')
    .description('run or resume a study; appends one JSON line per (point, trial, method) to --out')
    .argument('<study>', 'study file (JSON, see docs/study.md; - reads it from stdin)')
    .requiredOption('-o, --out <file>', 'results file (JSON lines); an existing one of the same study is resumed')
    .option('-w, --workers <n>', 'worker threads (0: run in this thread); default: SLURM_CPUS_PER_TASK inside a Slurm job, else the number of cores')
    .option(
      '--shard <i/n>',
      'run shard i of n (1 <= i <= n): the (point, trial) units u with u mod n = i-1; default inside a Slurm array job: from SLURM_ARRAY_TASK_ID/COUNT/MIN',
    )
    .option('--quick', 'run the study\'s quick variant (a few points and trials; see the study\'s "quick" field)')
    .option('--no-progress', 'no progress display')
    .addOption(new Option('--runner <module>', 'module exporting runTrial (default: the real solver)').hideHelp())
    .action(async (file: string, opts: { out: string; workers?: string; shard?: string; quick?: boolean; progress: boolean; runner?: string }) => {
      const s = await loadStudyArg(file, opts.quick);
      let shard: Shard | undefined;
      if (opts.shard !== undefined) shard = parseShard(opts.shard);
      else {
        shard = shardFromSlurm();
        if (shard) log(`Slurm array task: running shard ${formatShard(shard)}`);
      }
      const workers = opts.workers === undefined ? undefined : capWorkers(parseWorkers(opts.workers), log);
      const summary = await runWithSignals((signal) =>
        runStudy({ study: s, out: opts.out, workers, shard, runner: opts.runner, signal, progress: opts.progress ? {} : false, log }),
      );
      process.stdout.write(`${JSON.stringify(summary)}\n`);
      if (summary.interrupted) {
        const code = summary.signal === 'SIGTERM' ? 143 : 130;
        log(`netisac: interrupted: ${summary.alreadyDone + summary.ran} of ${summary.total} tasks are in ${opts.out}`);
        process.exitCode = code;
        // In-thread trials cannot be cancelled: do not wait for them.
        setTimeout(() => process.exit(code), 1500).unref();
        return;
      }
      const doneAll = summary.alreadyDone + summary.ran;
      log(
        `done: ${doneAll}/${summary.total} tasks in ${opts.out}` +
          (summary.errors ? `; ${summary.errors} trial(s) threw (status "error")` : '') +
          (summary.shard ? `; merge the ${summary.shard.count} shards with: netisac study merge <files> --out all.jsonl` : ''),
      );
    });

  study
    .command('merge')
    .description('merge shard results of one study into one file (checks: same study, no overlap, complete)')
    .argument('<results...>', 'shard results files')
    .requiredOption('-o, --out <file>', 'merged results file')
    .action((files: string[], opts: { out: string }) => {
      const summary = mergeResults(files, opts.out, { log });
      log(`merged ${summary.files} file(s): ${summary.records} records of study ${summary.studyHash} -> ${opts.out}`);
      process.stdout.write(`${JSON.stringify(summary)}\n`);
    });

  study
    .command('report')
    .description('figures (SVG, PNG), their data (CSV) and report.md/report.html from study results')
    .argument('<results...>', 'results file(s) of one study (shards may be given together)')
    .requiredOption('-o, --out <dir>', 'output folder')
    .option('--no-png', 'SVG only')
    .action(async (files: string[], opts: { out: string; png: boolean }) => {
      // The renderers (vega, resvg) load only for this command.
      const { writeReport } = await import('../../report/report.ts');
      const { header, records } = loadResults(files, { log });
      const expected = studyTasks(header.study).length;
      if (records.length < expected) log(`warning: ${records.length} of ${expected} tasks have results; the report covers those`);
      const out = await writeReport({ header, records, outDir: opts.out, png: opts.png });
      log(`report: ${out.dir}/report.html (${out.files.length} files)`);
      process.stdout.write(`${JSON.stringify({ dir: out.dir, files: out.files })}\n`);
    });

  study
    .command('info')
    .description('validate a study file and print its hash and task counts')
    .argument('<study>', 'study file (- reads it from stdin)')
    .option('--quick', 'the quick variant')
    .option('--shards <n>', 'also print the task count of each of n shards')
    .action(async (file: string, opts: { quick?: boolean; shards?: string }) => {
      const s = await loadStudyArg(file, opts.quick);
      const info: Record<string, unknown> = {
        name: s.name,
        hash: studyHash(s),
        points: s.points.length,
        trials: s.trials,
        methods: s.methods,
        tasks: studyTasks(s).length,
      };
      if (opts.shards !== undefined) {
        const n = parseWorkers(opts.shards);
        if (n < 1) throw new InputError('--shards must be at least 1');
        info.shardTasks = Array.from({ length: n }, (_, i) => studyTasks(s, { index: i, count: n }).length);
      }
      process.stdout.write(`${JSON.stringify(info)}\n`);
    });
}
