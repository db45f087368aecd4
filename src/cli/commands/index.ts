import type { Command } from 'commander';
import { register as registerStudy } from './study.ts';
import { register as registerFigures } from './figures.ts';

/** Adds every sub-command to the program. Each command module registers itself here. */
export function registerCommands(program: Command): void {
  void program;
  registerStudy(program);
  registerFigures(program);
}
