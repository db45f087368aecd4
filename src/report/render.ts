/**
 * Rendering in Node: Vega-Lite spec -> Vega view -> SVG (`toSVG`, no canvas needed);
 * SVG -> PNG with resvg. resvg draws text only with a font it can load, so we hand it a
 * font file found on the system (DejaVu Sans, Liberation Sans, Arial...) besides letting it
 * scan the system font folders.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { TopLevelSpec } from 'vega-lite';
import { RunError } from '../errors.ts';
import type { VlSpec } from './specs.ts';

// vega, vega-lite and resvg take a few hundred ms to load, so they load on first use, not
// with this module. resvg (a native binary) is an optional dependency: without it PNG output
// is unavailable and everything else works.
type ResvgModule = typeof import('@resvg/resvg-js');
let resvg: ResvgModule | undefined;
let resvgProblem: string | undefined;

function loadResvg(): ResvgModule | undefined {
  if (resvg || resvgProblem) return resvg;
  try {
    resvg = createRequire(import.meta.url)('@resvg/resvg-js') as ResvgModule;
  } catch (err) {
    const reason = (err as Error).message.split('\n')[0];
    resvgProblem = `PNG output needs the optional dependency @resvg/resvg-js, which could not be loaded (${reason})`;
  }
  return resvg;
}

/** Why PNG output is unavailable (resvg cannot be loaded), or undefined when it works. */
export function pngUnavailable(): string | undefined {
  loadResvg();
  return resvgProblem;
}

/** Candidate sans-serif font files (first found is the default family). */
const FONT_CANDIDATES: { file: string; family: string }[] = [
  { file: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', family: 'DejaVu Sans' },
  { file: '/usr/share/fonts/dejavu/DejaVuSans.ttf', family: 'DejaVu Sans' },
  { file: '/usr/share/fonts/TTF/DejaVuSans.ttf', family: 'DejaVu Sans' },
  { file: '/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf', family: 'DejaVu Sans' },
  { file: '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf', family: 'Liberation Sans' },
  { file: '/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf', family: 'Liberation Sans' },
  { file: '/System/Library/Fonts/Supplemental/Arial.ttf', family: 'Arial' },
  { file: '/Library/Fonts/Arial.ttf', family: 'Arial' },
  { file: 'C:\\Windows\\Fonts\\arial.ttf', family: 'Arial' },
];
const BOLD_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/TTF/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf',
];

export interface FontSetup {
  fontFiles: string[];
  family: string | undefined;
}

let fontCache: FontSetup | undefined;

/** The font files resvg gets (NETISAC_FONT=/path/to/font.ttf adds one first). */
export function findFonts(): FontSetup {
  if (fontCache) return fontCache;
  const files: string[] = [];
  let family: string | undefined;
  const extra = process.env.NETISAC_FONT;
  if (extra && existsSync(extra)) files.push(extra);
  for (const c of FONT_CANDIDATES) {
    if (existsSync(c.file)) {
      files.push(c.file);
      family ??= c.family;
    }
  }
  for (const b of BOLD_CANDIDATES) if (existsSync(b)) files.push(b);
  fontCache = { fontFiles: files, family };
  return fontCache;
}

/** Compiles a Vega-Lite spec and renders it to an SVG string. */
export async function renderSvg(spec: VlSpec): Promise<string> {
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const vgSpec = compile(spec as unknown as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function rendered(svg: string, scale: number) {
  const fonts = findFonts();
  const font: Record<string, unknown> = { loadSystemFonts: true, fontFiles: fonts.fontFiles };
  if (fonts.family) {
    font.defaultFontFamily = fonts.family;
    font.sansSerifFamily = fonts.family;
  }
  const lib = loadResvg();
  if (!lib) throw new RunError(resvgProblem ?? 'PNG output is unavailable');
  return new lib.Resvg(svg, { font, fitTo: { mode: 'zoom', value: scale }, background: 'white' }).render();
}

/** Rasterises an SVG to PNG (white background, `scale` x the SVG's pixel size). */
export function svgToPng(svg: string, scale = 2): Buffer {
  return Buffer.from(rendered(svg, scale).asPng());
}

/** Rasterises an SVG to RGBA pixels (for checks such as "did the text render"). */
export function svgToPixels(svg: string, scale = 1): { width: number; height: number; rgba: Buffer } {
  const img = rendered(svg, scale);
  return { width: img.width, height: img.height, rgba: Buffer.from(img.pixels) };
}
