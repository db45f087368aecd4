/**
 * Reading JSON files with InputErrors that name the file, line and column (never a stack
 * trace), and writing output files whole or not at all.
 */
import { closeSync, fstatSync, mkdirSync, openSync, readSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
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

/**
 * The largest input read (bytes): scenario, design, study and SDPA files and standard input.
 * Far above any of them (the paper's scenario with its channels is 12 KB, SDPLIB's largest
 * files a few MB) and below V8's longest string (~512 MiB), so a device or pipe that keeps
 * giving data (`/dev/zero`) is refused at this size instead of read until memory runs out.
 */
export const MAX_INPUT_BYTES = 256 * 2 ** 20;

/** Why a file cannot be opened or read, in words (no errno jargon for the common cases). */
function readFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
}

/**
 * The bytes of the file at `path`, at most `maxBytes` of them; `what` names it in messages
 * ("cannot read scenario file: no such file"). A regular file larger than `maxBytes` is
 * refused from its size; anything else (a device, a pipe) is read in pieces and refused once
 * it gives more. `regularOnly` refuses what is not a regular file (results files, which are
 * appended to and truncated).
 */
export function readInputBytes(path: string, what: string, opts: { maxBytes?: number; regularOnly?: boolean } = {}): Buffer {
  const maxBytes = opts.maxBytes ?? MAX_INPUT_BYTES;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new InputError(`cannot read ${what}: ${readFailure(err)}`, path);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new InputError(`cannot read ${what}: is a directory`, path);
    if (opts.regularOnly && !st.isFile()) throw new InputError(`cannot read ${what}: not a regular file`, path);
    const tooLarge = () => new InputError(`cannot read ${what}: larger than ${formatMiB(maxBytes)}, more than any netisac input needs`, path);
    if (st.isFile() && st.size > maxBytes) throw tooLarge();
    // one buffer, doubled as needed up to maxBytes + 1 (a regular file fits at once)
    const cap = maxBytes + 1;
    let buf = Buffer.allocUnsafe(Math.min(cap, st.isFile() ? st.size + 1 : 1 << 16));
    let total = 0;
    for (;;) {
      if (total === buf.length) {
        if (total >= cap) throw tooLarge();
        const grown = Buffer.allocUnsafe(Math.min(cap, 2 * total));
        buf.copy(grown, 0, 0, total);
        buf = grown;
      }
      const n = readSync(fd, buf, total, buf.length - total, null);
      if (n === 0) break;
      total += n;
    }
    return buf.subarray(0, total);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read ${what}: ${readFailure(err)}`, path);
  } finally {
    closeSync(fd);
  }
}

/** `n` bytes in MiB for messages (in bytes below one MiB). */
export function formatMiB(n: number): string {
  return n < 2 ** 20 ? `${n} bytes` : `${Math.round(n / 2 ** 20)} MiB`;
}

/** Reads and parses a JSON file; `what` names it in messages ("scenario", "design"). */
export function readJsonFile(path: string, what: string): unknown {
  return parseJsonText(readInputBytes(path, `${what} file`).toString('utf8'), what, path);
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

/**
 * Writes `data` to `path` whole or not at all: into a temporary file beside it, then renamed
 * over it, so a kill or a crash (or a full disk) leaves the previous file or none, never the
 * first half of the new one. A path that exists and is not a regular file (`/dev/stdout`, a
 * pipe) is written directly: it cannot be replaced. Errors are Node's (callers name the option).
 */
export function writeFileWhole(path: string, data: string | Uint8Array): void {
  let target = path;
  try {
    if (!statSync(path).isFile()) {
      writeFileSync(path, data);
      return;
    }
    target = realpathSync(path); // a symbolic link stays one: the file it points to is replaced
  } catch (err) {
    if ((err as NodeJS.ErrnoException).syscall !== 'stat') throw err;
    // does not exist yet (or cannot be looked at: the write below says why)
  }
  const tmp = `${target}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, target);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
    throw err;
  }
}
