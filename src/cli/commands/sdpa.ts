/**
 * `netisac sdpa FILE [--json] [--max-iter N] [--verbose] [--bound]`: solves an SDPA sparse
 * (.dat-s) file with the conic solver and reports in SDPA's convention: the objective is
 * (P)'s c^T x, `primal_infeasible` means (P) is infeasible, `dual_infeasible` that (D) is.
 * `--bound` also certifies a bound on the optimal value (`dualBound`); without it that work is
 * skipped (it is 5-15 % of a small instance's solve and nothing else prints it).
 * Infeasibility certificates are checked either way.
 */
import type { Command } from 'commander';
import { InputError } from '../../errors.ts';
import { solveSdpa } from '../../conic/sdpa.ts';
import { readStdin, STDIN_NAME, writeOutput } from '../input.ts';
import { readInputBytes } from '../../model/io.ts';

/** Statuses that answer the question (exit 0); every other status is a failed run (exit 1). */
const SOLVED = new Set(['optimal', 'primal_infeasible', 'dual_infeasible']);

/** JSON has no infinities: +-Infinity print as the strings "inf" / "-inf". */
const jsonNum = (v: number): number | string => (Number.isFinite(v) ? v : v > 0 ? 'inf' : v < 0 ? '-inf' : 'nan');

/** Adds `netisac sdpa` to the program. */
export function register(program: Command): void {
  program
    .command('sdpa')
    .description("solve an SDPA sparse-format SDP (.dat-s); objective and status in SDPA's (P)/(D) convention")
    .argument('<file>', 'SDPA sparse file (- reads it from stdin)')
    .option('--json', 'print {status, objective, iterations, seconds, ...} as JSON')
    .option('-o, --out <file>', 'also write that JSON to this file')
    .option('--max-iter <n>', 'maximum interior-point iterations (default 100)')
    .option('--verbose', 'print one line per iteration to stderr')
    .option('--bound', "also certify an upper bound on (D)'s objective tr(F0 Y) over every feasible Y (dualBound)")
    .option('--no-facial-reduction', 'do not retry an answer of reduced accuracy over the face a certificate from the data exposes (when (D) has no interior)')
    .action(async (file: string, o: { json?: boolean; out?: string; maxIter?: string; verbose?: boolean; bound?: boolean; facialReduction: boolean }) => {
      let maxIterations: number | undefined;
      if (o.maxIter !== undefined) {
        maxIterations = Number(o.maxIter);
        if (!Number.isInteger(maxIterations) || maxIterations < 0) throw new InputError(`--max-iter must be a non-negative integer, got '${o.maxIter}'`);
      }
      let text: string;
      if (file === '-') text = await readStdin();
      else text = readInputBytes(file, 'SDPA file').toString('utf8');
      const settings = {
        ...(maxIterations === undefined ? {} : { maxIterations }),
        verbose: !!o.verbose,
        certifyBound: !!o.bound,
        facialReduction: o.facialReduction,
      };
      const r = solveSdpa(text, settings, file === '-' ? STDIN_NAME : file);
      if (o.json || o.out) {
        const out = {
          status: r.status,
          almost: r.almost,
          objective: jsonNum(r.objective),
          dualObjective: jsonNum(r.dualObjective),
          iterations: r.iterations,
          seconds: r.seconds,
          relGap: jsonNum(r.result.relGap),
          primalResidual: jsonNum(r.result.primalResidual),
          dualResidual: jsonNum(r.result.dualResidual),
          ...(o.bound ? { dualBound: jsonNum(r.dualBound) } : {}),
          ...(r.result.certificate ? { certificate: { ...r.result.certificate, residual: jsonNum(r.result.certificate.residual) } } : {}),
          ...(r.result.note ? { note: r.result.note } : {}),
        };
        if (o.out) writeOutput(o.out, `${JSON.stringify(out)}\n`);
        if (o.json) process.stdout.write(`${JSON.stringify(out)}\n`);
      }
      if (!o.json) {
        const lines = [
          `status: ${r.status}${r.almost ? ' (reduced accuracy)' : ''}`,
          `primal objective (SDPA c^T x): ${r.objective.toPrecision(10)}`,
          `dual objective (SDPA tr(F0 Y)): ${r.dualObjective.toPrecision(10)}`,
          `iterations: ${r.iterations}`,
          `seconds: ${r.seconds.toFixed(3)}`,
        ];
        if (o.bound) lines.push(`certified bound: tr(F0 Y) <= ${r.dualBound.toPrecision(10)} for every feasible Y`);
        if (r.result.note) lines.push(`note: ${r.result.note}`);
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      // A run that ends without an answer (iteration or time limit, numerical trouble, a
      // certificate that did not hold) is a failed run: exit code 1.
      if (!SOLVED.has(r.status)) process.exitCode = 1;
    });
}
