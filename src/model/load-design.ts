import type { Design, Scenario } from './types.ts';
import { parseDesign } from './design.ts';
import { readJsonFile } from './io.ts';

/** Reads a design file (sync) and validates it against the scenario; errors name the file and JSON path. */
export function loadDesign(path: string, scn: Scenario): Design {
  return parseDesign(readJsonFile(path, 'design'), scn, path);
}
