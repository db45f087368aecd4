/**
 * The `netisac` command line. Each sub-command lives in `commands/` and exports
 * `register(program)`; this file only wires them and maps errors to exit codes:
 * 0 success, 1 failed run, 2 bad input or usage.
 */
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { Command, CommanderError } from 'commander';
import { InputError } from '../errors.ts';
import { registerCommands } from './commands/index.ts';
import { setMachineMemory } from '../limits.ts';
import { filePolicy } from '../model/io.ts';

export async function main(argv: string[]): Promise<number> {
  setMachineMemory(totalmem(), getHeapStatistics().heap_size_limit); // requests that cannot fit are refused up front (limits.ts)
  const program = new Command();
  program
    .name('netisac')
    .description('Network ISAC planning: BS selection, user association and beamforming')
    .option('--strict', 'refuse unknown fields in scenario files (default: warn and ignore them)')
    .showHelpAfterError()
    .exitOverride()
    .hook('preAction', () => {
      filePolicy.strict = program.opts().strict === true;
    });
  registerCommands(program);
  try {
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
    process.stderr.write(`netisac: error: ${msg}\n`);
    if (process.env.NETISAC_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}
