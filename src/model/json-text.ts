/**
 * JSON text -> value with messages a person can act on: a UTF-8 byte-order mark is accepted
 * (editors on Windows write one), and a syntax error names its line and column, which
 * JSON.parse does not always give (it reports a character offset, or nothing at all).
 * No Node imports: the browser planner uses it too.
 */
import { InputError } from '../errors.ts';

/** `{ line, column }` (both 1-based) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/**
 * Offset of the first syntax error of `text` (JSON.parse has already failed on it): a small
 * recursive-descent scan of the JSON grammar. Returns text.length for a premature end.
 */
export function syntaxErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          for (let k = 0; k < 4; k++) {
            i++;
            if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail();
          }
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (ch === '"') string();
    else if (ch === 't') literal('true');
    else if (ch === 'f') literal('false');
    else if (ch === 'n') literal('null');
    else if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) number();
    else fail();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
  } catch (at) {
    if (typeof at === 'number') return Math.min(at, text.length);
    throw at;
  }
  return text.length;
}

/** JSON.parse's message without its offset and its echo of the text. */
function reason(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/ (in|after) JSON at position \d+.*$/s, '').replace(/, ".*" is not valid JSON$/s, '');
}

/**
 * How deeply arrays and objects may nest. Every netisac file nests at most six levels (a
 * target's radar gains: targets, S, S, re/im inside the top-level object); the checks that
 * walk a parsed file recurse, and a file nested thousands deep would overflow their stack.
 */
export const MAX_JSON_NESTING = 64;

/**
 * Offset of the bracket that opens level MAX_JSON_NESTING + 1 of `text`, or -1: one pass that
 * counts brackets outside strings (the text need not be valid JSON).
 */
export function nestingTooDeepAt(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // a string: skip to its closing quote, over escapes
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (c === 91 || c === 123) {
      if (++depth > MAX_JSON_NESTING) return i;
    } else if (c === 93 || c === 125) depth--;
  }
  return -1;
}

/**
 * The path to the first array or object of `value` at level `levels` + 1, or undefined (for
 * values that did not come from text, such as a library caller's objects).
 */
export function tooDeepPath(value: unknown, levels = MAX_JSON_NESTING, path: PropertyKey[] = []): PropertyKey[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (levels === 0) return path;
  // indices walked in place: no key array per array (this runs on every file's parsed value)
  const keys = Array.isArray(value) ? undefined : Object.keys(value);
  const count = keys ? keys.length : (value as unknown[]).length;
  for (let i = 0; i < count; i++) {
    const k = keys ? keys[i]! : i;
    path.push(k);
    if (tooDeepPath((value as Record<PropertyKey, unknown>)[k], levels - 1, path)) return path;
    path.pop();
  }
  return undefined;
}

/** Throws the InputError for `text` when it nests too deep (the location from the text). */
function refuseDeepNesting(text: string, what: string, source?: string): void {
  const deep = nestingTooDeepAt(text);
  if (deep < 0) return;
  const { line, column } = lineColumn(text, deep);
  throw new InputError(
    `${what} file at line ${line}, column ${column}: arrays and objects nest more than ${MAX_JSON_NESTING} levels deep (netisac files need at most six)`,
    source,
  );
}

/**
 * Parses JSON text; a leading byte-order mark is skipped. Errors are InputErrors naming
 * `source` and the line and column: `invalid JSON in scenario file at line 3, column 7: ...`;
 * so is nesting deeper than MAX_JSON_NESTING, valid JSON or not. The depth is checked on the
 * parsed value (a pass over the text costs a fresh process an optimising compile of its loop)
 * and located in the text only when too deep.
 */
export function parseJsonText(text: string, what: string, source?: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    // the syntax error's own scan recurses: refuse a deep text before it
    refuseDeepNesting(body, what, source);
    const at = syntaxErrorOffset(body);
    const { line, column } = lineColumn(body, at);
    const where = at >= body.length ? `at the end (line ${line}, column ${column})` : `at line ${line}, column ${column}`;
    throw new InputError(`invalid JSON in ${what} file ${where}: ${reason(err)}`, source);
  }
  if (tooDeepPath(value)) refuseDeepNesting(body, what, source);
  return value;
}
