import type { Command } from 'commander';
import { register as registerStudy } from './study.ts';
import { register as registerFigures } from './figures.ts';
import { register as registerSolve } from './solve.ts';
import { register as registerEvaluate } from './evaluate.ts';
import { register as registerScenario } from './scenario.ts';
import { register as registerSdpa } from './sdpa.ts';

/** Adds every sub-command to the program. Each command module registers itself here. */
export function registerCommands(program: Command): void {
  registerScenario(program);
  registerSolve(program);
  registerEvaluate(program);
  registerStudy(program);
  registerFigures(program);
  registerSdpa(program);
}
