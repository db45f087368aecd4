/**
 * `netisac scenario generate ...`: writes a scenario (contract JSON) with explicit channels
 * drawn from the default channel model; random layouts or the paper's Fig. 2 preset.
 */
import type { Command } from 'commander';
import { InputError } from '../../errors.ts';
import { generateScenario, type GenerateOptions } from '../../model/generate.ts';
import { formatJson } from '../../model/json-format.ts';
import { writeOutput } from '../input.ts';

function integer(value: string, option: string): number {
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(Number(value))) {
    throw new InputError(`expected an integer, got '${value}'`, option);
  }
  return Number(value);
}

function real(value: string, option: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x)) throw new InputError(`expected a finite number, got '${value}'`, option);
  return x;
}

interface GenerateFlags {
  seed?: string;
  users?: string;
  radius?: string;
  antennas?: string;
  layout?: string;
  bsSpacing?: string;
  rings?: string;
  minSinrDb?: string;
  crlbMax?: string;
  targets?: string;
  preset?: string;
  out?: string;
}

/** CLI flags -> generator options (every value checked; errors name the flag). */
export function generateOptionsFromFlags(f: GenerateFlags): GenerateOptions {
  if (f.layout !== undefined && f.layout !== 'paper' && f.layout !== 'hexagon') {
    throw new InputError(`expected paper or hexagon, got '${f.layout}'`, '--layout');
  }
  if (f.preset !== undefined && f.preset !== 'fig2') throw new InputError(`unknown preset '${f.preset}' (known: fig2)`, '--preset');
  const o: GenerateOptions = {};
  if (f.seed !== undefined) o.seed = integer(f.seed, '--seed');
  if (f.users !== undefined) o.users = integer(f.users, '--users');
  if (f.radius !== undefined) o.radius = real(f.radius, '--radius');
  if (f.antennas !== undefined) o.antennas = integer(f.antennas, '--antennas');
  if (f.layout !== undefined) o.layout = f.layout as 'paper' | 'hexagon';
  if (f.bsSpacing !== undefined) o.bsSpacing = real(f.bsSpacing, '--bs-spacing');
  if (f.rings !== undefined) {
    if (f.layout !== 'hexagon') throw new InputError('needs --layout hexagon', '--rings');
    o.rings = integer(f.rings, '--rings');
  }
  if (f.minSinrDb !== undefined) o.minSinrDb = real(f.minSinrDb, '--min-sinr-db');
  if (f.crlbMax !== undefined) o.crlbMax = real(f.crlbMax, '--crlb-max');
  if (f.targets !== undefined) {
    o.targets = integer(f.targets, '--targets');
    if (o.targets < 1) throw new InputError(`expected at least one target, got ${o.targets}`, '--targets');
  }
  if (f.preset !== undefined) o.preset = 'fig2';
  if (o.preset === undefined && o.seed === undefined) throw new InputError('required unless --preset is given', '--seed');
  if (o.preset === undefined && o.users === undefined) throw new InputError('required unless --preset is given', '--users');
  return o;
}

/** Adds `netisac scenario generate` to the program. */
export function register(program: Command): void {
  const scenario = program.command('scenario').description('create scenario files');
  scenario
    .command('generate')
    .description('generate a scenario with explicit channels (users and target uniform in a disc, or a preset)')
    .option('--seed <s>', 'seed of the layout and the channel draws (preset fig2: default 1, channels only)')
    .option('--users <K>', 'number of users')
    .option('--radius <m>', 'radius of the service disc in m', '150')
    .option('--antennas <N>', 'antennas per BS', '8')
    .option('--layout <layout>', 'paper (4 BSs) or hexagon (7 BSs; 19 with --rings 2)')
    .option('--bs-spacing <m>', 'hexagon: distance of the outer BSs from the centre, m', '100')
    .option('--rings <R>', 'hexagon: rings of cells around the centre, 1 + 3R(R+1) BSs (default 1)')
    .option('--min-sinr-db <G>', 'SINR requirement of every user, dB', '8')
    .option('--crlb-max <E>', 'CRLB bound epsilon, m^2', '1')
    .option('--targets <T>', 'T targets uniform in the disc, written as `targets` (default: one `target`)')
    .option('--preset <name>', "fig2: the paper's Fig. 2 scenario (Table I parameters)")
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .action((f: GenerateFlags) => {
      const json = generateScenario(generateOptionsFromFlags(f));
      const text = formatJson(json);
      if (f.out) {
        writeOutput(f.out, text);
        process.stderr.write(`wrote ${f.out}\n`);
      } else {
        process.stdout.write(text);
      }
    });
}
