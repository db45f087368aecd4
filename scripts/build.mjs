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
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const src = join(root, 'src');
const buildInfo = join(root, 'node_modules', '.cache', 'netisac', 'tsconfig.build.tsbuildinfo');

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

// Outputs of deleted or renamed sources.
const outputs = new Set(sources.map((f) => relative(src, f).replace(/\.ts$/, '')));
let removed = 0;
for (const f of files(dist)) {
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
console.error(`build: dist/ is up to date (${rewritten} declaration files rewritten to .js specifiers, ${removed} stale outputs removed)`);
