/**
 * The heat map's colour scale: log10 of the CRLB between its 2nd and 98th percentiles over the
 * finite cells (so one point next to a BS does not wash the scale out), with nice tick values.
 */
export function heatRange(crlb: Float64Array): { lo: number; hi: number } {
  const logs = Array.from(crlb)
    .filter((v) => Number.isFinite(v) && v > 0)
    .map(Math.log10)
    .sort((a, b) => a - b);
  if (logs.length === 0) return { lo: 0, hi: 1 };
  const at = (q: number) => logs[Math.min(logs.length - 1, Math.floor(q * logs.length))];
  const lo = at(0.02);
  const hi = at(0.98);
  return hi > lo ? { lo, hi } : { lo: lo - 0.5, hi: lo + 0.5 };
}

/** Decades (10^k) inside [lo, hi] (log10 values), at most 6; the two ends when none falls inside. */
export function heatTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let k = Math.ceil(lo); k <= Math.floor(hi); k++) out.push(k);
  if (out.length > 6) return out.filter((_, i) => i % Math.ceil(out.length / 6) === 0);
  return out.length > 0 ? out : [lo, hi];
}
