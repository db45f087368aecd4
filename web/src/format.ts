/** Number formatting shared by the panels and the map (and read back by the e2e tests). */

/** Watts with 5 significant digits, e.g. "0.12955 W". */
export function formatWatts(w: number): string {
  return `${w.toPrecision(5)} W`;
}

export function wattToDbm(w: number): number {
  return 10 * Math.log10(w) + 30;
}

/** "21.12 dBm"; "-inf dBm" for zero power. */
export function formatDbm(w: number): string {
  return w > 0 ? `${wattToDbm(w).toFixed(2)} dBm` : '−∞ dBm';
}

export function formatDb(x: number | null): string {
  return x === null ? '−∞ dB' : `${x.toFixed(2)} dB`;
}

export function formatSeconds(s: number): string {
  return s < 10 ? `${s.toFixed(2)} s` : `${s.toFixed(1)} s`;
}

/** Significant digits without trailing zeros: 0.9999 m², 1.2e-5 m². */
export function formatSig(x: number, digits = 4): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e6) return String(Number(x.toPrecision(digits)));
  return x.toExponential(digits - 1);
}

export function formatPercent(x: number): string {
  return `${(100 * x).toPrecision(3)} %`;
}

/** Paper-style 1-based labels for 0-based indices. */
export const bsLabel = (s: number): string => `BS${s + 1}`;
export const userLabel = (k: number): string => `U${k + 1}`;
