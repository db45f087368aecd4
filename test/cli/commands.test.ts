/**
 * The command line as a whole: the lazily loaded command table, --version, `-` for stdin,
 * `-o/--out` on the commands that write, one error prefix, examples in --help.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands/index.ts';
import { generateScenario } from '../../src/model/generate.ts';
import { BIN, ROOT, tmp } from '../study/helpers.ts';

const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** The CLI (from the sources) as a process, with `input` on stdin. */
function cli(args: string[], input?: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, input: input ?? '', encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('the command table', () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))('%s: the top-level summary is the command’s own description', async (name, entry) => {
    const program = new Command();
    (await entry.load()).register(program);
    const cmd = program.commands.find((c) => c.name() === name);
    expect(cmd?.description()).toBe(entry.summary);
    expect(entry.examples.length).toBeGreaterThan(0);
  });
});

describe('netisac as a process', () => {
  it('--version prints the package version; --help lists every command with examples', () => {
    expect(cli(['--version']).out.trim()).toBe(version);
    const help = cli(['--help']);
    expect(help.code).toBe(0);
    for (const c of COMMANDS) expect(help.out).toContain(`  ${c.name} `);
    expect(help.out).toMatch(/Examples:\n {2}\$ netisac/);
    const solveHelp = cli(['solve', '--help']).out;
    expect(solveHelp).toMatch(/-o, --out <file>/);
    expect(solveHelp).toContain('$ netisac solve scn.json --method fixed --receiver 1');
    expect(cli(['help', 'study']).out).toContain('$ netisac study run');
  });

  it('pipes a scenario and a design through stdin (-) and writes results with -o', () => {
    const dir = tmp('netisac-cli-');
    const scn = cli(['scenario', 'generate', '--seed', '3', '--users', '3']);
    expect(scn.code).toBe(0);
    expect(JSON.parse(scn.out)).toEqual(generateScenario({ seed: 3, users: 3 }));
    const scnFile = join(dir, 'scn.json');
    expect(cli(['scenario', 'generate', '--seed', '3', '--users', '3', '-o', scnFile]).code).toBe(0);
    expect(readFileSync(scnFile, 'utf8')).toBe(scn.out);

    const designFile = join(dir, 'design.json');
    const solved = cli(['solve', '-', '--method', 'scheme2', '--json', '-o', designFile], scn.out);
    expect(solved.code).toBe(0);
    const design = JSON.parse(solved.out) as { status: string; totalPower?: number };
    expect(JSON.parse(readFileSync(designFile, 'utf8'))).toEqual(design);

    const evalFile = join(dir, 'eval.json');
    const ev = cli(['evaluate', scnFile, '-', '--json', '-o', evalFile], solved.out);
    expect(ev.code).toBe(0);
    const evaluation = JSON.parse(ev.out) as { feasible: boolean; totalPower: number };
    expect(JSON.parse(readFileSync(evalFile, 'utf8'))).toEqual(evaluation);
    if (design.status === 'feasible' || design.status === 'optimal') {
      expect(evaluation.feasible).toBe(true);
      expect(evaluation.totalPower).toBeCloseTo(design.totalPower!, 9);
    }
  });

  it('reads a study from stdin', () => {
    const study = JSON.stringify({ name: 'piped', scenario: { users: 2 }, sweep: { minSinrDb: [0, 5] }, trials: 3, methods: ['scheme2'], seed: 1 });
    const r = cli(['study', 'info', '-'], study);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ name: 'piped', tasks: 6 });
  });

  it('every error starts with "netisac: ", without a stack trace', () => {
    const cases: [string[], string | undefined, number][] = [
      [['solve', '--bogus'], undefined, 2],
      [['nonsense'], undefined, 2],
      [['solve', join(ROOT, 'no-such.json'), '--method', 'proposed'], undefined, 2],
      [['solve', '-', '--method', 'proposed'], '', 2],
      [['solve', '-', '--method', 'proposed'], '{"not": json', 2],
      [['evaluate', '-', '-'], '{}', 2],
      [['scenario', 'generate', '--preset', 'fig2', '-o', join(ROOT, 'no-such-dir', 'x.json')], undefined, 2],
    ];
    for (const [args, input, code] of cases) {
      const r = cli(args, input);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.err, args.join(' ')).toMatch(/^netisac: /);
      expect(r.err).not.toMatch(/^\s+at /m);
    }
    expect(cli(['solve', '-', '--method', 'proposed'], '').err).toMatch(/<stdin>: no scenario on standard input/);
  });
});
