/**
 * The SDPA reader's plain entry lines in WebAssembly (src/conic/sdpa-wasm.ts) against the
 * regular expression it stands in for: on random files mixing plain lines (blanks and tabs,
 * LF, CRLF and CR line ends, values of every form: integers, decimals, exponents, signed
 * zeros, 15 to 25 digits, beyond the double range and below it) with lines it must leave to
 * the line reader (comments, Fortran exponents, braces, non-ASCII text, out-of-range indices),
 * parseSdpa gives the same problem to the bit, or the same error, with WebAssembly and without.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EntryBuffer, parseSdpa, type SdpaProblem, sdpaToConic } from '../../src/conic/sdpa.ts';
import { SDPA_WASM_MIN, sdpaRowsWasm, wasmEntries } from '../../src/conic/sdpa-wasm.ts';
import { SCAN_MIN, setWasmDisabled } from '../../src/linalg/wasm-kernels.ts';

afterEach(() => setWasmDisabled(false));

/** parseSdpa's problem, or its error message. */
function parse(text: string): unknown {
  try {
    return parseSdpa(text, 'f');
  } catch (e) {
    return (e as Error).message;
  }
}

function bothWays(text: string): { ts: unknown; wasm: unknown } {
  setWasmDisabled(true);
  const ts = parse(text);
  setWasmDisabled(false);
  return { ts, wasm: parse(text) };
}

const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
const sign = fc.constantFrom('', '-', '+');
const exponent = fc.oneof(
  fc.constant(''),
  fc.tuple(fc.constantFrom('e', 'E'), sign, digits(1, 2)).map((t) => t.join('')),
);
const value = fc.oneof(
  // up to 15 significant digits, the values WebAssembly rounds itself
  fc.tuple(sign, digits(1, 7), fc.constant('.'), digits(1, 8), exponent).map((t) => t.join('')),
  fc.tuple(sign, digits(1, 15), exponent).map((t) => t.join('')),
  fc.tuple(sign, digits(1, 25), exponent).map((t) => t.join('')),
  fc.tuple(sign, digits(0, 12), fc.constant('.'), digits(0, 20), exponent).map((t) => t.join('')),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => String(v)),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => v.toExponential(16)),
  fc.constantFrom('0', '-0', '-0.0', '1e-400', '4.9e-324', '1.7976931348623157e308', '0.000000000000000000001', '5.', '.5', '+.5', '00012.5000'),
);
const blank = fc.constantFrom(' ', '  ', '\t', ' \t ');
const eol = fc.constantFrom('\n', '\r\n', '\r');
/** An entry line for m = 3 and blocks (4, -3), in range (block 2 is diagonal); values that overflow end the parse. */
const plain = fc
  .tuple(
    fc.integer({ min: 0, max: 3 }),
    fc.integer({ min: 1, max: 2 }),
    fc.integer({ min: 1, max: 3 }),
    fc.integer({ min: 1, max: 3 }),
    value,
    blank,
    blank,
    fc.constantFrom('', ' ', '\t'),
  )
  .map(([a, b, i, j, v, s1, s2, lead]) => `${lead}${a}${s1}${b}${s2}${i} ${b === 2 ? i : j}${s1}${v}${s2.trim() === '' ? '' : s2}`);
/** Lines the line reader takes (comments, Fortran exponents, braces, commas, blank lines, long integers). */
const other = fc.constantFrom('* a comment', '"quoted" é', '1 1 1 1 2.5D+00', '{1 1 1 1 1}', '', '1,1,1,1,1', '00000000000000001 1 1 1 1', ' \t ');
/** Lines that end the parse with an error. */
const wrong = fc.constantFrom(
  '1 1 1 1 1 é',
  '1 1 1 1',
  '4 1 1 1 1',
  '1 3 1 1 1',
  '1 2 1 2 1',
  '1 1 0 1 1',
  '1 1 1 5 1',
  '1 1 1 1 1e400',
  '1 1 1 1 -1e400',
  '1 1 1 1 .',
  '1 1 1 1 1e',
  '1 1 1 1 1e+',
);

describe('SDPA entry lines in WebAssembly', () => {
  it('reads a long run of plain lines itself', () => {
    const lines = Array.from({ length: 400 }, (_, k) => `${1 + (k % 3)} 1 ${1 + (k % 4)} ${1 + (k % 4)} ${(k * 0.37).toFixed(3)}`).join('\n');
    const out = new EntryBuffer();
    const r = wasmEntries(lines, 0, 3, [4, -3], out);
    expect(r).toEqual({ at: lines.length, lines: 400 });
    expect(out.length).toBe(400);
    expect(out.vv[399]).toBe(Number((399 * 0.37).toFixed(3)));
    expect(wasmEntries('1 1 1 1 1\n', 0, 3, [4, -3], out)).toBeNull(); // below SDPA_WASM_MIN
  });

  it("gives the regular expression reader's problem or error, to the bit", () => {
    let parsed = 0;
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 1200, arbitrary: plain }, { weight: 24, arbitrary: other }, { weight: 1, arbitrary: wrong }), {
          minLength: 50,
          maxLength: 600,
          size: 'max',
        }),
        eol,
        fc.boolean(),
        (body, end, finalEol) => {
          const head = ['3', '2', '4 -3', '1 2 3'].join(end);
          let text = `${head}${end}${body.join(end)}${finalEol ? end : ''}`;
          // long enough that WebAssembly reads it
          while (text.length < SDPA_WASM_MIN) text += `${end}1 1 1 1 0.5`;
          const { ts, wasm } = bothWays(text);
          expect(wasm).toStrictEqual(ts);
          if (typeof ts !== 'string') parsed++;
        },
      ),
      // no shrinking: a failing file's lines are long to shrink, and the first one says enough
      { numRuns: 150, endOnFailure: true },
    );
    // about half the files parse (a wrong line or a lone '.' ends the others): not vacuous
    expect(parsed).toBeGreaterThan(45);
  });

  it('agrees across its windows (a file of many megabytes, CRLF lines)', () => {
    const n = 120000;
    const body = Array.from({ length: n }, (_, k) => `${1 + (k % 3)}\t2 ${1 + (k % 3)} ${1 + (k % 3)} ${Math.sin(k).toPrecision(1 + (k % 17))}`).join('\r\n');
    const text = `3\r\n2\r\n4 -3\r\n1 2 3\r\n${body}\r\n`;
    const { ts, wasm } = bothWays(text);
    expect(wasm).toStrictEqual(ts);
    expect((wasm as { entries: { v: Float64Array } }).entries.v.length).toBe(n);
  });

  it("makes the standard form's rows as the TypeScript does: duplicates summed in file order, -0, F_0, every kind of block", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: -4, max: 7 }).filter((b) => b !== 0),
          { minLength: 1, maxLength: 5 },
        ),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: SCAN_MIN, max: 1500 }),
        fc.integer({ min: 0, max: 1e6 }),
        (blocks, m, count, seed) => {
          let r = seed;
          const next = () => (r = (r * 1103515245 + 12345) % 2147483648) / 2147483648;
          const mat = new Int32Array(count);
          const blk = new Int32Array(count);
          const i = new Int32Array(count);
          const j = new Int32Array(count);
          const v = new Float64Array(count);
          for (let k = 0; k < count; k++) {
            mat[k] = Math.floor(next() * (m + 1));
            const block = Math.floor(next() * blocks.length);
            blk[k] = block;
            const order = blocks[block]!;
            // few distinct positions: many duplicates
            const a = Math.floor(next() * Math.min(Math.abs(order), 3));
            const b = order <= 1 ? a : Math.floor(next() * Math.min(order, 3));
            i[k] = Math.min(a, b);
            j[k] = Math.max(a, b);
            const u = next();
            v[k] = u < 0.1 ? -0 : u < 0.15 ? 0 : (u - 0.5) * 10 ** Math.floor(next() * 12 - 6);
          }
          const p: SdpaProblem = { m, blocks, c: new Float64Array(m).fill(1), entries: { mat, blk, i, j, v } };
          setWasmDisabled(true);
          const ts = sdpaToConic(p);
          const comparison = sdpaToConic(p, 1); // the comparison sort
          setWasmDisabled(false);
          const wasm = sdpaToConic(p);
          expect(wasm).toStrictEqual(ts);
          expect(comparison).toStrictEqual(ts);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('leaves few entries to TypeScript', () => {
    const p: SdpaProblem = {
      m: 1,
      blocks: [2],
      c: Float64Array.of(1),
      entries: { mat: Int32Array.of(1), blk: Int32Array.of(0), i: Int32Array.of(0), j: Int32Array.of(1), v: Float64Array.of(2) },
    };
    expect(sdpaRowsWasm(p, [0], 3)).toBeNull();
  });
});
