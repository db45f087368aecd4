/** Reading JSON files with InputErrors that name the file, line and column (never a stack trace). */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { parseJsonText } from './json-text.ts';
import type { UnknownFieldPolicy } from './unknown-fields.ts';

/**
 * How files read by the CLI treat unknown fields: a warning on stderr, or (after
 * `netisac --strict ...`, see cli/main.ts) an error.
 */
export const filePolicy: Required<UnknownFieldPolicy> = {
  strict: false,
  warn: (message) => process.stderr.write(`${message}\n`),
};

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
  return parseJsonText(text, what, path);
}

/**
 * Creates `dir` and its missing ancestors, one level at a time. (Node's
 * `mkdirSync(dir, { recursive: true })` loops forever where mkdir keeps failing with ENOENT,
 * e.g. under /proc, so an output path there would hang instead of failing.) Errors are
 * InputErrors naming `what` (the flag or file the path came from).
 */
export function ensureDirectory(dir: string, what: string = dir): void {
  const missing: string[] = [];
  let d = resolve(dir);
  for (;;) {
    try {
      if (!statSync(d).isDirectory()) throw new InputError(`cannot create the folder ${dir}: ${d} is not a folder`, what);
      break;
    } catch (err) {
      if (err instanceof InputError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new InputError(`cannot use the folder ${dir}: ${(err as Error).message}`, what);
    }
    missing.push(d);
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new InputError(`cannot create the folder ${m}: ${(err as Error).message}`, what);
    }
  }
}
