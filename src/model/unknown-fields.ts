/**
 * Fields the contract does not know. Zod drops them silently, so a typo such as `"chanels"`
 * would quietly replace explicit channels with drawn ones. This walks the JSON alongside a
 * zod schema and lists every object key the schema does not declare, with its JSON path;
 * the caller warns about them, or refuses them under `--strict`.
 */
import type { z } from 'zod';
import { InputError } from '../errors.ts';
import { formatPath } from './schema.ts';

/** Zod's internal definition: enough of it to walk objects, arrays, tuples, wrappers, unions. */
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  items?: z.ZodType[];
  rest?: z.ZodType | null;
  options?: z.ZodType[];
  in?: z.ZodType;
  catchall?: z.ZodType;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The object schemas a value may match (wrappers unwrapped, every branch of a union). */
function objectShapes(schema: z.ZodType): Def[] {
  const d = defOf(schema);
  if (d.type === 'object') return [d];
  if (d.innerType) return objectShapes(d.innerType);
  if (d.type === 'pipe' && d.in) return objectShapes(d.in);
  if (d.type === 'union' && d.options) return d.options.flatMap(objectShapes);
  return [];
}

/** The schema of element `i` of an array value (arrays and tuples, through wrappers and unions). */
function elementSchemas(schema: z.ZodType, i: number): z.ZodType[] {
  const d = defOf(schema);
  if (d.type === 'array' && d.element) return [d.element];
  if (d.type === 'tuple') {
    const item = d.items?.[i] ?? d.rest;
    return item ? [item] : [];
  }
  if (d.innerType) return elementSchemas(d.innerType, i);
  if (d.type === 'pipe' && d.in) return elementSchemas(d.in, i);
  if (d.type === 'union' && d.options) return d.options.flatMap((o) => elementSchemas(o, i));
  return [];
}

/** JSON paths (`channelModel.sed`, `baseStations[1].arrayaxis`) of keys `schema` does not declare. */
export function unknownFields(schema: z.ZodType, json: unknown, path: PropertyKey[] = []): string[] {
  const out: string[] = [];
  if (Array.isArray(json)) {
    json.forEach((v, i) => {
      for (const s of elementSchemas(schema, i)) out.push(...unknownFields(s, v, [...path, i]));
    });
  } else if (json !== null && typeof json === 'object') {
    const shapes = objectShapes(schema);
    if (shapes.length === 0 || shapes.some((d) => d.catchall && defOf(d.catchall).type !== 'never')) return out;
    for (const [key, value] of Object.entries(json)) {
      const declared = shapes.map((d) => d.shape?.[key]).filter((s): s is z.ZodType => s !== undefined);
      if (declared.length === 0) out.push(formatPath([...path, key]));
      else out.push(...unknownFields(declared[0]!, value, [...path, key]));
    }
  }
  return [...new Set(out)];
}

/** What to do with unknown fields: warn (the default), refuse (`--strict`), or say nothing. */
export interface UnknownFieldPolicy {
  strict?: boolean;
  /** Receives one warning per unknown field; default console.warn. */
  warn?: (message: string) => void;
}

/**
 * Warns about (or, strict, refuses) fields of `json` that `schema` does not know; `what` is
 * "scenario" or "design", `source` the file name.
 */
export function reportUnknownFields(schema: z.ZodType, json: unknown, what: string, source: string | undefined, policy: UnknownFieldPolicy = {}): void {
  const fields = unknownFields(schema, json);
  if (fields.length === 0) return;
  const prefix = source ? `${source}: ` : '';
  if (policy.strict) {
    const list = fields.slice(0, 5).join(', ') + (fields.length > 5 ? `, ... (${fields.length} in all)` : '');
    throw new InputError(
      `unknown field${fields.length > 1 ? 's' : ''} in the ${what}: ${list} (refused under --strict; check the spelling)`,
      source ? `${source}: ${fields[0]}` : fields[0],
    );
  }
  const warn = policy.warn ?? ((m: string) => console.warn(m));
  for (const f of fields) warn(`netisac: warning: ${prefix}${f}: unknown field in the ${what}, ignored (check the spelling; --strict refuses it)`);
}
