/**
 * `netisac evaluate SCENARIO DESIGN [--json]`: SINR (5) per user, CRLB (7), power per BS and
 * feasibility of a design file against a scenario file. Human tables print BS1..BSS and
 * users 1..K as the paper does; JSON keeps the contract's 0-based indices.
 */
import type { Command } from 'commander';
import { evaluateDesign, type Evaluation } from '../../model/evaluate.ts';
import type { Design, Scenario } from '../../model/types.ts';
import { atMostOneStdin, loadDesignArg, loadScenarioArg, writeOutput } from '../input.ts';

const dbm = (w: number): string => (w > 0 ? (10 * Math.log10(w * 1000)).toFixed(2) : '-inf');
const fixed = (x: number | null, digits = 2): string => (x === null ? '-inf' : x.toFixed(digits));

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
}

/** The readable report of an evaluation. */
export function formatEvaluation(scn: Scenario, design: Design, ev: Evaluation): string {
  const out: string[] = [];
  const head = [design.method && `method ${design.method}`, design.status && `status ${design.status}`].filter(Boolean).join(', ');
  if (head) out.push(head);
  out.push(`receiving BS: BS${ev.receiver + 1}`);
  out.push('');
  if (scn.K > 0) {
    const rows = [['user', 'served by', 'SINR dB', 'target dB', 'margin dB', 'ok']];
    ev.sinr.forEach((_, k) => {
      const margin = ev.sinrMarginDb[k]!;
      const ok = ev.violations.some((v) => v.startsWith(`users[${k}]:`)) ? 'NO' : 'yes';
      rows.push([
        `${k + 1}`,
        `BS${ev.association[k]! + 1}`,
        fixed(ev.sinrDb[k]!),
        ev.sinrTargetDb[k]!.toFixed(2),
        margin === null ? '-inf' : (margin >= 0 ? '+' : '') + margin.toFixed(2),
        ok,
      ]);
    });
    out.push(...table(rows), '');
  }
  if (!scn.targetsGiven) {
    const crlbOk = ev.violations.some((v) => v.startsWith('CRLB')) ? 'NO' : 'yes';
    out.push(`CRLB ${ev.crlb === null ? 'infinite' : ev.crlb.toPrecision(6)} m^2   (epsilon ${ev.crlbMax} m^2)   ok: ${crlbOk}`, '');
  } else {
    const rows = [['target', 'position m', 'CRLB m^2', 'epsilon m^2', 'ok']];
    ev.targets.forEach((t, i) => {
      const ok = ev.violations.some((v) => v.startsWith(`targets[${i}]:`)) ? 'NO' : 'yes';
      rows.push([`${i + 1}`, `(${t.position.map((x) => x.toFixed(1)).join(', ')})`, t.crlb === null ? 'infinite' : t.crlb.toPrecision(6), `${t.crlbMax}`, ok]);
    });
    out.push(...table(rows), '');
  }
  const rows = [['BS', 'role', 'power W', 'power dBm', 'budget dBm', 'ok']];
  ev.powerPerBs.forEach((p, s) => {
    const served = ev.association.filter((b) => b === s).length;
    const role = s === ev.receiver ? 'receiver' : `tx, ${served} user${served === 1 ? '' : 's'}`;
    const ok = ev.violations.some((v) => v.startsWith(`baseStations[${s}]:`)) ? 'NO' : 'yes';
    rows.push([`BS${s + 1}`, role, p.toPrecision(6), dbm(p), scn.maxPowerDbm.toFixed(2), ok]);
  });
  out.push(...table(rows));
  out.push(`total power ${ev.totalPower.toPrecision(6)} W (${dbm(ev.totalPower)} dBm)`, '');
  out.push(`feasible: ${ev.feasible ? 'yes' : 'no'}`);
  if (ev.violations.length > 0) {
    out.push('violations (0-based indices as in the files):');
    for (const v of ev.violations) out.push(`  - ${v}`);
  }
  for (const n of ev.notes) out.push(`note: ${n}`);
  return out.join('\n');
}

/** Adds `netisac evaluate` to the program. */
export function register(program: Command): void {
  program
    .command('evaluate')
    .description('evaluate a design against a scenario: SINR per user, CRLB per target, power per BS, feasibility')
    .argument('<scenario>', 'scenario JSON file (- reads it from stdin)')
    .argument('<design>', 'design JSON file, as written by solve (- reads it from stdin)')
    .option('--json', 'print the evaluation as JSON (0-based indices, W, m^2, linear and dB SINR)')
    .option('-o, --out <file>', 'also write the evaluation JSON to this file')
    .action(async (scenarioFile: string, designFile: string, o: { json?: boolean; out?: string }) => {
      atMostOneStdin(scenarioFile, designFile);
      const scn = await loadScenarioArg(scenarioFile);
      const design = await loadDesignArg(designFile, scn);
      const ev = evaluateDesign(scn, design);
      if (o.out) writeOutput(o.out, `${JSON.stringify(ev, null, 2)}\n`);
      process.stdout.write(o.json ? `${JSON.stringify(ev, null, 2)}\n` : `${formatEvaluation(scn, design, ev)}\n`);
    });
}
