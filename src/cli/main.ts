/**
 * The `netisac` command line. Each sub-command lives in `commands/` and exports
 * `register(program)`; this file wires them, loading only the one being run, and maps errors
 * to exit codes: 0 success, 1 failed run, 2 bad input or usage. Every error message starts
 * with `netisac: `.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { InputError, RunError } from '../errors.ts';
import { COMMANDS, examplesHelp, registerCommand } from './commands/index.ts';
import { useThisMachinesMemory } from '../machine-memory.ts';
import { filePolicy } from '../model/io.ts';

/** The package version (package.json sits two folders up, from src/cli and from dist/cli). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The sub-command named on the command line (also for `netisac help <command>`). */
function requestedCommand(argv: string[]): string | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

const TOP_EXAMPLES = [
  'netisac scenario generate --preset fig2 -o fig2.json',
  'netisac solve fig2.json --method proposed',
  'netisac solve fig2.json --method exact --json -o design.json && netisac evaluate fig2.json design.json',
  'netisac figures --quick -o out/',
  'netisac <command> --help',
];

/** Builds the program with `wanted` registered fully and the other commands as help entries. */
async function buildProgram(wanted: string | undefined): Promise<Command> {
  const program = new Command();
  program
    .name('netisac')
    .description('Network ISAC planning: BS selection, user association and beamforming')
    .version(packageVersion(), '-V, --version', 'print the version')
    .showHelpAfterError('(netisac --help and netisac <command> --help list the options, with examples)')
    .option('--strict', 'refuse unknown fields in scenario files (default: warn and ignore them)')
    .exitOverride()
    .hook('preAction', () => {
      filePolicy.strict = program.opts().strict === true;
    })
    .configureOutput({ outputError: (text, write) => write(`netisac: ${text.replace(/^error: /, '')}`) })
    .addHelpText('after', examplesHelp(TOP_EXAMPLES));
  for (const entry of COMMANDS) {
    if (entry.name === wanted) await registerCommand(program, entry);
    else program.command(entry.name).description(entry.summary);
  }
  return program;
}

// for launch.ts: the kernels' module it compiled while this bundle loaded
export { adoptKernelModule } from '../linalg/wasm-kernels.ts';

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  useThisMachinesMemory(); // requests that cannot fit are refused up front (limits.ts)
  try {
    const program = await buildProgram(requestedCommand(argv));
    await program.parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version come through here with exitCode 0.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof InputError) {
      process.stderr.write(`netisac: ${err.message}\n`);
      return 2;
    }
    const msg = err instanceof Error ? err.message : String(err);
    const hint = err instanceof RunError || process.env.NETISAC_DEBUG ? '' : ' (NETISAC_DEBUG=1 prints the stack trace)';
    process.stderr.write(`netisac: ${msg}${hint}\n`);
    if (process.env.NETISAC_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}
