/**
 * The table of sub-commands. Each command module exports `register(program)`; main.ts loads
 * only the module of the command being run (the solver, the study engine and the renderers
 * are heavy), so `netisac --help` and the other commands start fast. Top-level help shows
 * `summary`, which a test keeps equal to each module's own description.
 */
import type { Command } from 'commander';

export interface CommandModule {
  register(program: Command): void;
}

export interface CommandEntry {
  name: string;
  summary: string;
  /** Shown under the command's own --help. */
  examples: string[];
  load(): Promise<CommandModule>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'scenario',
    summary: 'create scenario files',
    examples: ['netisac scenario generate --seed 7 --users 5 -o scn.json', 'netisac scenario generate --preset fig2 | netisac solve - --method proposed'],
    load: () => import('./scenario.ts'),
  },
  {
    name: 'solve',
    summary: 'optimise the receiving BS, the association and the beamformers of a scenario',
    examples: [
      'netisac solve examples/fig2.json --method proposed',
      'netisac solve scn.json --method fixed --receiver 1 --association 0,0,2,2,3 -o design.json',
      'netisac solve scn.json --method exact --time-limit 60 --json',
    ],
    load: () => import('./solve.ts'),
  },
  {
    name: 'evaluate',
    summary: 'evaluate a design against a scenario: SINR per user, CRLB per target, power per BS, feasibility',
    examples: ['netisac evaluate scn.json design.json', 'netisac solve scn.json -m scheme2 --json | netisac evaluate scn.json - --json'],
    load: () => import('./evaluate.ts'),
  },
  {
    name: 'study',
    summary: 'Monte Carlo studies: run (resumable, parallel, shardable), merge shards, report',
    examples: [
      'netisac study run studies/quick.json -o results.jsonl',
      'netisac study run studies/paper-fig3.json -o shard-2.jsonl --shard 2/8',
      'netisac study merge shard-*.jsonl -o all.jsonl && netisac study report all.jsonl -o report/',
    ],
    load: () => import('./study.ts'),
  },
  {
    name: 'figures',
    summary: "reproduce the paper's Fig. 2, Table II and Figs. 3-4 (resumable) and write the report into --out",
    examples: ['netisac figures --quick -o out/', 'netisac figures -o paper/ --workers 8'],
    load: () => import('./figures.ts'),
  },
  {
    name: 'sdpa',
    summary: "solve an SDPA sparse-format SDP (.dat-s); objective and status in SDPA's (P)/(D) convention",
    examples: ['netisac sdpa problem.dat-s --json'],
    load: () => import('./sdpa.ts'),
  },
];

/** Formats an examples block for commander's help text. */
export function examplesHelp(examples: readonly string[]): string {
  return `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`;
}

/** Registers one command fully (its options, arguments and examples). */
export async function registerCommand(program: Command, entry: CommandEntry): Promise<void> {
  (await entry.load()).register(program);
  const cmd = program.commands.find((c) => c.name() === entry.name);
  cmd?.addHelpText('after', examplesHelp(entry.examples));
}

/** Adds every sub-command to the program, fully (for tests and embedding). */
export async function registerCommands(program: Command): Promise<void> {
  for (const entry of COMMANDS) await registerCommand(program, entry);
}
