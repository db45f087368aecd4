/** Number formatting shared by the panels and the map (and read back by the e2e tests). */

const PREFIXES: [number, string][] = [
  [1e6, 'MW'],
  [1e3, 'kW'],
  [1, 'W'],
  [1e-3, 'mW'],
  [1e-6, 'µW'],
  [1e-9, 'nW'],
  [1e-12, 'pW'],
];

/** Powers below this (W) are shown as 0: solver noise on an unused BS, not a transmission. */
export const NEGLIGIBLE_W = 1e-12;

/**
 * Whether a BS's share of power counts as a transmission: more than 10⁻⁶ of the design's total
 * (and than 1 pW). Below that it is the solver's numerical residue, shown as no beam / idle.
 */
export function significantPower(w: number, total: number): boolean {
  return w > Math.max(NEGLIGIBLE_W, 1e-6 * total);
}

/**
 * Power with 5 significant digits and an SI prefix, one style everywhere: "129.55 mW",
 * "1.0000 W", "3.1623 µW"; "0 W" for zero or negligible power.
 */
export function formatWatts(w: number): string {
  if (!(Math.abs(w) >= NEGLIGIBLE_W)) return '0 W';
  const [scale, unit] = PREFIXES.find(([f]) => Math.abs(w) >= f) ?? PREFIXES[PREFIXES.length - 1];
  let m = w / scale;
  // 999.996 mW rounds to "1000.0 mW": move up to the next prefix instead.
  if (Math.abs(Number(m.toPrecision(5))) >= 1000 && scale < 1e6) {
    const up = PREFIXES[PREFIXES.findIndex(([f]) => f === scale) - 1];
    m = w / up[0];
    return `${m.toPrecision(5)} ${up[1]}`;
  }
  return `${m.toPrecision(5)} ${unit}`;
}

/** Reads a formatWatts string back in W (tests, and the compare table's sort). */
export function parseWatts(text: string): number {
  const m = /^(-?[0-9.]+(?:e[+-]?\d+)?)\s*(MW|kW|W|mW|µW|nW|pW)\b/.exec(text.trim());
  if (!m) return NaN;
  const f = PREFIXES.find(([, u]) => u === m[2])![0];
  return Number(m[1]) * f;
}

export function wattToDbm(w: number): number {
  return 10 * Math.log10(w) + 30;
}

/** "21.12 dBm"; "−∞ dBm" for zero or negligible power. */
export function formatDbm(w: number): string {
  return w >= NEGLIGIBLE_W ? `${wattToDbm(w).toFixed(2)} dBm` : '−∞ dBm';
}

export function formatDb(x: number | null): string {
  return x === null ? '−∞ dB' : `${x.toFixed(2)} dB`;
}

export function formatSeconds(s: number): string {
  return s < 10 ? `${s.toFixed(2)} s` : `${s.toFixed(1)} s`;
}

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

/**
 * Significant digits without trailing zeros, in plain decimals from 10⁻⁶ to 10⁹ (0.0001 m²,
 * 1234 m²) and as "1.2 × 10⁻⁸" beyond: never the "1.2e-8" of JavaScript.
 */
export function formatSig(x: number, digits = 4): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  const a = Math.abs(x);
  if (a >= 1e-6 && a < 1e9) {
    const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(a)));
    return String(Number(x.toFixed(Math.min(20, decimals))));
  }
  const [m, e] = x.toExponential(digits - 1).split('e');
  const mant = String(Number(m));
  const exp = String(Number(e)).replace(/[-0-9]/g, (c) => SUPERSCRIPT[c]);
  return `${mant} × 10${exp}`;
}

/** A share in percent with 2 decimals: "37.51 %", "0 %", "< 0.01 %" (never an exponent). */
export function formatPercent(x: number): string {
  const p = 100 * x;
  if (p === 0) return '0 %';
  if (Math.abs(p) < 0.005) return '< 0.01 %';
  return `${p.toFixed(2)} %`;
}

/** Paper-style 1-based labels for 0-based indices. */
export const bsLabel = (s: number): string => `BS${s + 1}`;
export const userLabel = (k: number): string => `U${k + 1}`;
