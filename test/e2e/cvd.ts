/**
 * Colour-vision deficiency for the palette tests: the simulation of Machado, Oliveira and
 * Fernandes (2009) at severity 1 (a 3x3 matrix on linear RGB), and the CIE76 colour difference
 * in CIELAB (D65). Two flat colours about 10 apart are told apart easily side by side.
 */
export type Matrix3 = readonly [readonly [number, number, number], readonly [number, number, number], readonly [number, number, number]];

export const DEUTERANOPIA: Matrix3 = [
  [0.367322, 0.860646, -0.227968],
  [0.280085, 0.672501, 0.047413],
  [-0.01182, 0.04294, 0.968881],
];
export const PROTANOPIA: Matrix3 = [
  [0.152286, 1.052583, -0.204868],
  [0.114503, 0.786281, 0.099216],
  [-0.003882, -0.048116, 1.051998],
];

const toLinear = (c: number) => {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
};

/** "#rrggbb" or "rgb(r, g, b)" -> linear RGB in [0, 1]. */
export function linearRgb(css: string): [number, number, number] {
  const m = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(css.trim());
  const bytes = m ? [m[1], m[2], m[3]].map(Number) : [1, 3, 5].map((o) => Number.parseInt(css.slice(o, o + 2), 16));
  return bytes.map(toLinear) as [number, number, number];
}

export function simulate(M: Matrix3, rgb: [number, number, number]): [number, number, number] {
  return M.map((row) => Math.min(1, Math.max(0, row[0] * rgb[0] + row[1] * rgb[1] + row[2] * rgb[2]))) as [number, number, number];
}

export function lab([r, g, b]: [number, number, number]): [number, number, number] {
  const X = 0.4124 * r + 0.3576 * g + 0.1805 * b;
  const Y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const Z = 0.0193 * r + 0.1192 * g + 0.9505 * b;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  const [fx, fy, fz] = [f(X / 0.95047), f(Y), f(Z / 1.08883)];
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** CIE76 difference of two CSS colours as seen with the deficiency M. */
export function deltaE(M: Matrix3, a: string, b: string): number {
  const [p, q] = [lab(simulate(M, linearRgb(a))), lab(simulate(M, linearRgb(b)))];
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

/** The smallest pairwise difference in a set of colours, and the pair. */
export function closestPair(M: Matrix3, colours: readonly string[]): { delta: number; pair: [string, string] } {
  let best = { delta: Infinity, pair: ['', ''] as [string, string] };
  for (let i = 0; i < colours.length; i++)
    for (let j = i + 1; j < colours.length; j++) {
      const d = deltaE(M, colours[i]!, colours[j]!);
      if (d < best.delta) best = { delta: d, pair: [colours[i]!, colours[j]!] };
    }
  return best;
}
