#!/usr/bin/env node
// Builds the package: `tsc -p tsconfig.build.json` into dist/ (JavaScript, .d.ts, maps).
//
// tsc rewrites the sources' relative `.ts` import specifiers to `.js` in the JavaScript it
// emits (rewriteRelativeImportExtensions) but leaves them as written in the declarations; we
// rewrite those too, so the .d.ts files read like any other package's.
//
// The build is incremental (its state in node_modules/.cache/netisac/, outside the package),
// so `npm pack` right after `npm ci` takes seconds. Outputs whose source file is gone are
// deleted; a dist/ that is missing or incomplete forces a full build.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const src = join(root, 'src');
const buildInfo = join(root, 'node_modules', '.cache', 'netisac', 'tsconfig.build.tsbuildinfo');
// The CLI bundle and its code cache in dist/cli (and the ESM bundle and chunks of earlier builds).
const isBundleFile = (f) =>
  relative(join(dist, 'cli'), f).match(/^(netisac\.bundle\.(cjs|cache|cache\.tmp|js)|netisac\.kernels\.wasm|bundle-[\w-]+\.js)$/) !== null;

function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name));
}

// Every source module must have its JavaScript in dist/, else tsc's state is not to be trusted.
const sources = files(src).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
const expected = sources.map((f) => join(dist, relative(src, f)).replace(/\.ts$/, '.js'));
if (!expected.every((f) => existsSync(f))) {
  rmSync(dist, { recursive: true, force: true });
  rmSync(buildInfo, { force: true });
}

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--incremental', '--tsBuildInfoFile', buildInfo], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

// Outputs of deleted or renamed sources (the CLI bundle below is not one).
const outputs = new Set(sources.map((f) => relative(src, f).replace(/\.ts$/, '')));
let removed = 0;
for (const f of files(dist)) {
  if (isBundleFile(f)) continue;
  const stem = relative(dist, f).replace(/(\.d\.ts|\.js)(\.map)?$/, '');
  if (!outputs.has(stem)) {
    rmSync(f);
    removed++;
  }
}

const relativeTs = /((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]*?)\.ts(['"])/g;
let rewritten = 0;
for (const file of files(dist).filter((f) => f.endsWith('.d.ts'))) {
  const text = readFileSync(file, 'utf8');
  const fixed = text.replace(relativeTs, (_, head, path, quote) => `${head}${path}.js${quote}`);
  if (fixed !== text) {
    writeFileSync(file, fixed);
    rewritten++;
  }
}
await bundleCli();
console.error(`build: dist/ is up to date (${rewritten} declaration files rewritten to .js specifiers, ${removed} stale outputs removed)`);

/**
 * The `netisac` command bundled into one classic script (dist/cli/netisac.bundle.cjs, which
 * bin/netisac.js starts through dist/cli/launch.js) and V8's code cache for it
 * (dist/cli/netisac.bundle.cache). Bundled, a fresh process compiles one file instead of ~150
 * modules (our own and zod's), which saves about 100 ms of CPU per command
 * (docs/benchmarks.md); as a classic script it can start from the code cache, which Node 20
 * offers only for scripts (src/cli/launch.ts says why and how). The bundle sits next to
 * dist/cli/run.js, so the paths it resolves from its own URL (package.json, the worker entry
 * points in dist/design and dist/study, which stay separate files) are the same. Dependencies
 * that load files of their own (piscina's workers, resvg's native binary) or are loaded
 * lazily by heavy commands only (vega, vega-lite, cli-progress) stay external.
 */
async function bundleCli() {
  const { build } = await import('esbuild');
  // zod's namespaces `z.locales` and `z.core.locales` re-export every language's messages:
  // 370 KB of the bundle (of 835 KB then), which every process compiled to run `solve`.
  // netisac writes its own messages over zod's default, English, which zod imports on its
  // own (classic/schemas.js); the bundle gets an empty namespace there instead.
  const zodWithoutLocales = {
    name: 'zod-without-locales',
    setup(b) {
      b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
        /[\\/]zod[\\/]v4[\\/](classic|core)[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'netisac-empty' } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'netisac-empty' }, () => ({ contents: 'export {};', loader: 'js' }));
    },
  };
  for (const f of files(join(dist, 'cli'))) if (isBundleFile(f)) rmSync(f);
  const out = join(dist, 'cli', 'netisac.bundle.cjs');
  await build({
    entryPoints: [join(dist, 'cli', 'main.js')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vega', 'vega-lite', '@resvg/resvg-js', 'piscina', 'cli-progress'],
    // launch.js hands the bundle its own file URL under this name
    define: { 'import.meta.url': '__netisacUrl' },
    plugins: [zodWithoutLocales],
    charset: 'ascii',
    logLevel: 'warning',
  });
  // The dynamic imports left (vega, vega-lite, the worker entry points and study runners by
  // URL) go through launch.js's import(): a vm.Script cannot import on Node 20. Only code
  // matches: the one `import()` in the bundle's comments is quoted in backticks.
  const code = readFileSync(out, 'utf8').replace(/(?<![\w$.`])import\(/g, '__netisacImport(');
  // ASCII only, so that launch.js reads it as latin1 (0.3 ms here against 7-20 ms for UTF-8,
  // and a one-byte string for V8). esbuild escapes strings and identifiers (charset 'ascii');
  // what is left is in comments it keeps (one em dash in zod's), escaped the same way.
  const ascii = code.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  writeFileSync(out, ascii);
  // the kernels' binary as a file of its own, for launch.js to compile off the main thread
  // while the bundle loads: the same bytes as the base64 the bundle embeds
  const { KERNELS_WASM } = await import(pathToFileURL(join(dist, 'linalg', 'wasm-kernels-binary.js')).href);
  writeFileSync(join(dist, 'cli', 'netisac.kernels.wasm'), Buffer.from(KERNELS_WASM, 'base64'));
  writeCodeCache();
}

/**
 * The code cache: one process runs the paper's `fixed` solve through the bundle (a scenario
 * generated, solved and evaluated) and a small real SDP from an SDPA file (the real PSD
 * cone's code, which the ISAC SDPs do not use), then saves the bytecode of every function
 * that ran.
 */
function writeCodeCache() {
  const work = mkdtempSync(join(tmpdir(), 'netisac-cache-'));
  const scenario = join(work, 'fig2.json');
  const design = join(work, 'design.json');
  const sdpa = join(work, 'theta7.dat-s');
  writeFileSync(sdpa, thetaOfCycleSdpa(7));
  const runs = [
    ['scenario', 'generate', '--preset', 'fig2', '-o', scenario],
    ['solve', scenario, '--method', 'fixed', '--receiver', '1', '--association', '0,0,2,2,3', '--json', '-o', design],
    ['evaluate', scenario, design],
    ['sdpa', sdpa, '--json'],
  ];
  const launch = pathToFileURL(join(dist, 'cli', 'launch.js')).href;
  const program = `const { writeCodeCache } = await import(${JSON.stringify(launch)}); await writeCodeCache(${JSON.stringify(runs)});`;
  // the user's flags are V8's defaults: the cache records the flags it was made with
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', program], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  rmSync(work, { recursive: true, force: true });
  if (r.status !== 0) {
    console.error(`${r.stderr}build: the CLI bundle failed its code-cache run (above)`);
    process.exit(r.status ?? 1);
  }
}

/** Lovasz's theta of the n-cycle as an SDPA file: one n x n block, 1 + n constraints. */
function thetaOfCycleSdpa(n) {
  const m = 1 + n;
  const lines = [`"Lovasz theta of the ${n}-cycle"`, `${m} =mDIM`, '1 =nBLOCK', `${n} =bLOCKsTRUCT`, [1, ...Array(m - 1).fill(0)].join(' ')];
  for (let i = 1; i <= n; i++) for (let j = i; j <= n; j++) lines.push(`0 1 ${i} ${j} 1`);
  for (let i = 1; i <= n; i++) lines.push(`1 1 ${i} ${i} 1`);
  for (let i = 1; i <= n; i++) lines.push(`${i + 1} 1 ${Math.min(i, (i % n) + 1)} ${Math.max(i, (i % n) + 1)} 1`);
  return `${lines.join('\n')}\n`;
}
