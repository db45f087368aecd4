/** Reading JSON files with InputErrors that name the file (never a stack trace). */
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.ts';

/** Reads and parses a JSON file; `what` names it in messages ("scenario", "design"). */
export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new InputError(`cannot read ${what} file: ${reason}`, path);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`invalid JSON in ${what} file: ${(err as Error).message}`, path);
  }
}
