/**
 * `netisac solve SCENARIO --method M`: runs one design method and writes the design
 * (JSON contract) plus a human-readable summary.
 */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { InputError } from '../../errors.ts';
import { evaluateDesign } from '../../model/evaluate.ts';
import { parseDesign } from '../../model/design.ts';
import type { Scenario } from '../../model/types.ts';
import { METHODS, type DesignJson, type Method, type SolveOptions } from '../../design/api.ts';
import { estimateSolveSeconds, solveScenario, validateSolveOptions } from '../../design/solve.ts';
import { longSolveNote } from '../../limits.ts';
import { loadScenarioArg, writeOutput } from '../input.ts';
import { capWorkers, workerCap } from '../../workers.ts';

function parseInteger(value: string, what: string): number {
  if (!/^-?\d+$/.test(value.trim())) throw new InputError(`expected an integer, got '${value}'`, what);
  const v = Number(value);
  if (!Number.isSafeInteger(v))
    throw new InputError(`${value.trim()} is beyond 2^53 = 9007199254740992, the largest integer a double represents exactly`, what);
  return v;
}

function parseMuStart(value: string): number {
  const v = Number(value);
  if (!(v > 0 && Number.isFinite(v))) throw new InputError(`expected a positive number (W), got '${value}'`, '--mu-start');
  return v;
}

function parseAssociation(value: string): number[] {
  const parts = value.split(',').map((p) => p.trim());
  return parts.map((p, k) => parseInteger(p, `--association[${k}]`));
}

const dB = (x: number): string => (x > 0 ? (10 * Math.log10(x)).toFixed(2) : '-inf');
const fmtDb = (x: number | null): string => (x === null ? '-inf' : x.toFixed(2));

/** The summary the paper would print: who senses, who serves whom, SINR, CRLB, powers. */
export function summarize(scn: Scenario, d: DesignJson): string {
  const lines: string[] = [];
  lines.push(`method ${d.method}: ${d.status}${d.stoppedBy ? ` (stopped by ${d.stoppedBy})` : ''} in ${d.seconds.toFixed(3)} s`);
  if (d.message) lines.push(`  ${d.message}`);
  if (d.status !== 'optimal' && d.status !== 'feasible') return lines.join('\n');
  const ev = evaluateDesign(scn, parseDesign(d, scn));
  lines.push(`receiving BS: BS${d.receiver! + 1}`);
  lines.push('association:');
  d.association!.forEach((s, k) => {
    lines.push(`  user ${k + 1} <- BS${s + 1}   SINR ${fmtDb(ev.sinrDb[k]!)} dB (target ${scn.users[k]!.minSinrDb.toFixed(2)} dB)`);
  });
  ev.targets.forEach((t, i) => {
    const which = ev.targets.length > 1 ? `target ${i + 1} ` : '';
    lines.push(`${which}CRLB ${t.crlb === null ? 'infinite' : t.crlb.toPrecision(6)} m^2 (bound ${t.crlbMax} m^2)`);
  });
  lines.push('power per BS:');
  ev.powerPerBs.forEach((p, s) => {
    const role = s === d.receiver ? ' (receiver)' : '';
    lines.push(`  BS${s + 1}${role}: ${p.toPrecision(6)} W = ${dB(p * 1000)} dBm (budget ${scn.maxPowerDbm} dBm)`);
  });
  lines.push(`total power ${ev.totalPower.toPrecision(8)} W = ${dB(ev.totalPower * 1000)} dBm`);
  if (d.lowerBound !== undefined) {
    const gap = (ev.totalPower - d.lowerBound) / ev.totalPower;
    lines.push(`lower bound ${d.lowerBound.toPrecision(8)} W (relative gap ${gap.toExponential(2)})`);
  }
  return lines.join('\n');
}

/**
 * Progress of a long solve on stderr (stdout keeps only the result): silent for the first
 * few seconds, then the method's latest message at most every 2 s, with the elapsed time.
 */
function stderrProgress(quietSeconds = 3, everySeconds = 2): { report: (fraction: number, message: string) => void; done: () => void } {
  const t0 = performance.now();
  let last = -Infinity;
  let printed = false;
  return {
    report(_fraction, message) {
      const now = performance.now();
      if (now - t0 < quietSeconds * 1000 || now - last < everySeconds * 1000) return;
      last = now;
      printed = true;
      process.stderr.write(`[${((now - t0) / 1000).toFixed(0)} s] ${message}\n`);
    },
    done() {
      if (printed) process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(0)} s] done\n`);
    },
  };
}

/** Adds `netisac solve` to the program. */
export function register(program: Command): void {
  program
    .command('solve')
    .description('optimise the receiving BS, the association and the beamformers of a scenario')
    .argument('<scenario>', 'scenario JSON file (- reads it from stdin)')
    .requiredOption('-m, --method <method>', `one of ${METHODS.join(', ')}`)
    .option('--receiver <r>', 'fixed: the receiving BS (0-based); exact: the best design with this receiver')
    .option('--association <list>', 'fixed: serving BS of each user, comma separated (0-based)')
    .option('--seed <s>', 'seed of scheme2', '1')
    .option('--init <point>', "proposed/scheme1: initial point of Algorithm 1: uniform (default, the paper's b = (S-1)/S, a = 1/S), relaxation, closest")
    .option('--mu-start <W>', "proposed/scheme1: mu continuation, mu starts here and grows 10x per iteration up to the paper's 3e4")
    .option(
      '--time-limit <seconds>',
      'exact: stop after this many seconds and report the gap; every method: allow a solve estimated to take up to this long (default 600 s)',
    )
    .option('--force', 'run even when the solve is estimated to take longer than allowed')
    .option('--threads <n>', 'exact: worker threads for its subproblems (default: the number of CPUs, at most 8)')
    .option('--json', 'print the design as JSON')
    .option('-o, --out <file>', 'write the design JSON to this file')
    .action(async (file: string, o: Record<string, string | boolean | undefined>) => {
      const method = String(o.method);
      if (!(METHODS as readonly string[]).includes(method)) {
        throw new InputError(`unknown method '${method}' (expected one of ${METHODS.join(', ')})`, '--method');
      }
      const scn = await loadScenarioArg(file);
      const timeLimit = o.timeLimit === undefined ? undefined : Number(o.timeLimit);
      if (timeLimit !== undefined && !(timeLimit > 0)) {
        throw new InputError(`expected a positive number of seconds, got '${o.timeLimit}'`, '--time-limit');
      }
      const threads = o.threads === undefined ? Math.min(8, availableParallelism()) : parseInteger(String(o.threads), '--threads');
      if (!(threads >= 1)) throw new InputError(`expected a positive integer, got '${o.threads}'`, '--threads');
      // `--threads 99999999999` would try to start that many worker threads
      const cappedThreads = capWorkers(threads, (m) => process.stderr.write(`${m}\n`), workerCap(), '--threads');
      const progress = stderrProgress();
      const options: SolveOptions = {
        method: method as Method,
        receiver: o.receiver === undefined ? undefined : parseInteger(String(o.receiver), '--receiver'),
        association: o.association === undefined ? undefined : parseAssociation(String(o.association)),
        seed: parseInteger(String(o.seed), '--seed'),
        init: o.init === undefined ? undefined : (String(o.init) as 'relaxation'),
        muStart: o.muStart === undefined ? undefined : parseMuStart(String(o.muStart)),
        timeLimit,
        force: o.force === true,
        threads: method === 'exact' ? cappedThreads : undefined,
        onProgress: progress.report,
      };
      // the options first (a refusal or a bad option ends the run before any note), then the note
      validateSolveOptions(scn, options);
      const note = longSolveNote(estimateSolveSeconds(scn, method as Method));
      if (note) process.stderr.write(`note: this solve ${note} (estimated from its size, on the long side; S = ${scn.S}, K = ${scn.K}, N = ${scn.N})\n`);
      const design = await solveScenario(scn, options);
      progress.done();
      if (o.out) writeOutput(String(o.out), `${JSON.stringify(design, null, 1)}\n`);
      process.stdout.write(o.json ? `${JSON.stringify(design, null, 1)}\n` : `${summarize(scn, design)}\n`);
      if (design.status === 'failed') process.exitCode = 1;
    });
}
