/**
 * Colours of the map, chosen to stay apart under deuteranopia and protanopia (the Okabe-Ito
 * set, whose hues differ in lightness as well); every colour has a second cue: BSs carry
 * their number, users their serving BS's number, the receiver the label "RX".
 */
export const BS_COLORS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000', '#F0E442'];
export const bsColor = (s: number): string => BS_COLORS[s % BS_COLORS.length]!;
/** Text on a BS colour: white on the dark ones. */
export const bsInk = (s: number): string => (['#0072B2', '#009E73', '#D55E00', '#000000', '#CC79A7'].includes(bsColor(s)) ? '#ffffff' : '#1d2330');
export const RX_COLOR = '#8a6500';
export const TARGET_COLOR = '#D55E00';
export const SENSING_COLOR = '#1d2330';

/**
 * The per-user SINR layer's classes by margin over the target: comfortable (at least 1 dB),
 * tight (0 to 1 dB), short (below the target; the model's tolerance as in the tables). Okabe-Ito
 * blue, orange and vermillion; the short ring is also dashed and its label carries the values.
 */
export type SinrClass = 'sinr-ok' | 'sinr-tight' | 'sinr-short';
export const SINR_COLORS: Record<SinrClass, string> = { 'sinr-ok': '#0072B2', 'sinr-tight': '#E69F00', 'sinr-short': '#D55E00' };
export function sinrClass(marginDb: number | null): SinrClass {
  if (marginDb === null || !(marginDb >= -1e-4)) return 'sinr-short';
  return marginDb >= 1 ? 'sinr-ok' : 'sinr-tight';
}

/**
 * The heat map's colour ramp (viridis, perceptually uniform and colour-blind safe), t in [0, 1]:
 * dark purple = low CRLB (good sensing), yellow = high.
 */
const VIRIDIS = ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'];

export function ramp(t: number): [number, number, number] {
  const x = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const c = (hex: string) => [1, 3, 5].map((o) => parseInt(hex.slice(o, o + 2), 16));
  const a = c(VIRIDIS[i]!);
  const b = c(VIRIDIS[i + 1]!);
  return [0, 1, 2].map((j) => Math.round(a[j]! + (b[j]! - a[j]!) * f)) as [number, number, number];
}

export const rampCss = (t: number): string => `rgb(${ramp(t).join(',')})`;
