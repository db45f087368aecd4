import type { Command } from 'commander';

/** Adds every sub-command to the program. Each command module registers itself here. */
export function registerCommands(program: Command): void {
  void program;
}
