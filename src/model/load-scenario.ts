import type { Scenario } from './types.ts';
import { parseScenario } from './scenario.ts';
import { filePolicy, readJsonFile } from './io.ts';

/** Reads and parses a scenario file (synchronous). Errors name the file and the JSON path; unknown fields warn (or fail under --strict). */
export function loadScenario(path: string): Scenario {
  return parseScenario(readJsonFile(path, 'scenario'), path, filePolicy);
}
