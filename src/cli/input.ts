/**
 * Input and output files of the commands: `-` reads a scenario, design or study from stdin,
 * `-o FILE` writes results to a file. Errors are InputErrors naming the file.
 */
import { InputError } from '../errors.ts';
import { parseDesign } from '../model/design.ts';
import { filePolicy, formatMiB, MAX_INPUT_BYTES, readJsonFile, writeFileWhole } from '../model/io.ts';
import { parseJsonText } from '../model/json-text.ts';
import { parseScenario } from '../model/scenario.ts';
import type { Design, Scenario } from '../model/types.ts';

/** How messages name standard input. */
export const STDIN_NAME = '<stdin>';

/** Reads all of standard input as text, refusing more than MAX_INPUT_BYTES (`yes | netisac solve -`). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += b.length;
    if (total > MAX_INPUT_BYTES) {
      process.stdin.destroy();
      throw new InputError(`standard input gave more than ${formatMiB(MAX_INPUT_BYTES)}, more than any netisac input needs`, STDIN_NAME);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

/** Parses JSON read from stdin; `what` names it in the message ("scenario", "design"). */
export async function readStdinJson(what: string): Promise<unknown> {
  const text = await readStdin();
  if (text.trim() === '') throw new InputError(`no ${what} on standard input (nothing was piped in)`, STDIN_NAME);
  return parseJsonText(text, what, STDIN_NAME);
}

/** The JSON of a file argument, or of stdin when it is `-`. */
export async function readJsonArg(path: string, what: string): Promise<unknown> {
  return path === '-' ? readStdinJson(what) : readJsonFile(path, what);
}

/** A scenario file argument (`-`: stdin). */
export async function loadScenarioArg(path: string): Promise<Scenario> {
  return parseScenario(await readJsonArg(path, 'scenario'), path === '-' ? STDIN_NAME : path, filePolicy);
}

/** A design file argument (`-`: stdin), checked against the scenario. */
export async function loadDesignArg(path: string, scn: Scenario): Promise<Design> {
  return parseDesign(await readJsonArg(path, 'design'), scn, path === '-' ? STDIN_NAME : path);
}

/** Rejects two arguments that both want stdin. */
export function atMostOneStdin(...paths: string[]): void {
  if (paths.filter((p) => p === '-').length > 1) throw new InputError('only one argument can be - (standard input)');
}

/** Writes `text` to `file` (the `-o/--out` option of the commands), whole or not at all. */
export function writeOutput(file: string, text: string): void {
  try {
    writeFileWhole(file, text);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such folder' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new InputError(`cannot write: ${reason}`, file);
  }
}
