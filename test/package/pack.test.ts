/**
 * The npm package as a user gets it: `npm pack` (which builds dist/ through prepack), the
 * tarball's contents, the package unpacked into a fresh project next to its production
 * dependencies but without the optional ones (so without resvg's native binary), then used
 * from plain Node ESM, from CommonJS `require`, from a strict TypeScript consumer, and
 * through its `netisac` command (a real study on compiled worker threads, a report without
 * PNGs).
 *
 * The project is assembled offline, as `npm install --omit=optional <tarball>` would lay it
 * out: the tarball unpacked into node_modules/netisac, its bin linked into node_modules/.bin,
 * and the production (non-dev, non-optional) packages of package-lock.json linked from this
 * repository's node_modules. (npm itself cannot install offline from the cache `npm ci`
 * leaves, which holds tarballs but not the registry metadata it resolves versions with.) That
 * every module dist/ imports is a declared dependency is checked separately below.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tmp } from '../study/helpers.ts';

interface PackageJson {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

let dir = '';
let project = '';
let installed = '';
let files: string[] = [];

function run(cmd: string, args: string[], cwd: string, input?: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', input, env: { ...process.env, NODE_OPTIONS: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Top-level packages of package-lock.json that a production install without optional ones has. */
function productionPackages(): string[] {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; optional?: boolean }> };
  return Object.entries(lock.packages)
    .filter(([path, p]) => path.startsWith('node_modules/') && !path.slice('node_modules/'.length).includes('node_modules/') && !p.dev && !p.optional)
    .map(([path]) => path.slice('node_modules/'.length));
}

function link(name: string, target: string): void {
  const at = join(project, 'node_modules', name);
  mkdirSync(dirname(at), { recursive: true });
  symlinkSync(target, at);
}

beforeAll(() => {
  dir = tmp('netisac-pack-');
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
  ) as {
    filename: string;
    files: { path: string }[];
  }[];
  const tarball = join(dir, packed[0]!.filename);
  files = packed[0]!.files.map((f) => f.path);
  project = join(dir, 'consumer');
  mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }));
  execFileSync('tar', ['-xzf', tarball, '-C', dir]);
  installed = join(project, 'node_modules', 'netisac');
  renameSync(join(dir, 'package'), installed);
  symlinkSync('../netisac/bin/netisac.js', join(project, 'node_modules', '.bin', 'netisac'));
  for (const name of productionPackages()) link(name, join(ROOT, 'node_modules', name));
  link('@types/node', join(ROOT, 'node_modules', '@types', 'node')); // for the TypeScript consumer only
}, 240_000);

describe('the npm package', () => {
  it('holds the compiled code, its declarations, README, LICENSE and CHANGELOG, and nothing else', () => {
    for (const f of [
      'dist/index.js',
      'dist/index.d.ts',
      'dist/index.d.ts.map',
      'dist/study/index.js',
      'dist/study/worker.js',
      'dist/cli/run.js',
      'dist/cli/launch.js',
      'dist/cli/netisac.bundle.cjs',
      'dist/cli/netisac.bundle.cache',
      'dist/cli/netisac.kernels.wasm',
      'bin/netisac.js',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'package.json',
    ])
      expect(files).toContain(f);
    const outside = files.filter((f) => !/^(dist\/|bin\/netisac\.js$|README\.md$|LICENSE$|CHANGELOG\.md$|package\.json$)/.test(f));
    expect(outside).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(existsSync(join(project, 'node_modules', '@resvg', 'resvg-js'))).toBe(false);
    expect(existsSync(join(project, 'node_modules', 'tsx'))).toBe(false);
  });

  it('declares every package that dist/ imports (tsx is not one of them; resvg is optional)', () => {
    const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.optionalDependencies)]);
    const builtins = new Set(builtinModules);
    const used = new Set<string>();
    for (const f of files.filter((x) => x.endsWith('.js'))) {
      const text = readFileSync(join(installed, f), 'utf8');
      const imports =
        /^(?:import|export)\b[^;\n]*?\bfrom\s*['"]([^'".][^'"]*)['"]|\bimport\(\s*['"]([^'".][^'"]*)['"]\s*\)|\bcreateRequire\(import\.meta\.url\)\(\s*['"]([^'"]+)['"]\s*\)/gm;
      for (const m of text.matchAll(imports)) {
        const spec = (m[1] ?? m[2] ?? m[3])!;
        if (spec.startsWith('node:') || builtins.has(spec)) continue;
        used.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
      }
    }
    expect([...used].filter((u) => !declared.has(u))).toEqual([]);
    expect(used.has('commander')).toBe(true);
    expect(used.has('@resvg/resvg-js')).toBe(true);
    expect(Object.keys(pkg.dependencies)).not.toContain('tsx');
    expect(Object.keys(pkg.optionalDependencies)).toEqual(['@resvg/resvg-js']);
  });

  it('imports from plain Node ESM and solves a scenario', () => {
    const code = `
      import { generateScenario, parseScenario, solveScenario, evaluateDesign, parseDesign } from 'netisac';
      import { runStudy, mergeResults, writeReport, parseStudy } from 'netisac/study';
      const scn = parseScenario(generateScenario({ seed: 3, users: 3 }));
      const d = await solveScenario(scn, { method: 'proposed' });
      const ev = evaluateDesign(scn, parseDesign(d, scn));
      console.log(JSON.stringify({ status: d.status, feasible: ev.feasible, api: [runStudy, mergeResults, writeReport, parseStudy].map((f) => typeof f) }));
    `;
    const r = run(process.execPath, ['--input-type=module', '-e', code], project);
    expect(r.err).toBe('');
    const o = JSON.parse(r.out) as { status: string; feasible: boolean; api: string[] };
    expect(['optimal', 'feasible']).toContain(o.status);
    expect(o.feasible).toBe(true);
    expect(o.api).toEqual(['function', 'function', 'function', 'function']);
  });

  it('loads with CommonJS require', () => {
    const code = `
      const n = require('netisac');
      const s = require('netisac/study');
      const scn = n.parseScenario(n.generateScenario({ seed: 3, users: 3 }));
      const d = n.solveScenarioSync(scn, { method: 'scheme2', seed: 1 });
      console.log(JSON.stringify({ status: d.status, runStudy: typeof s.runStudy, version: require('netisac/package.json').version }));
    `;
    const r = run(process.execPath, ['-e', code], project);
    const o = JSON.parse(r.out) as { status: string; runStudy: string; version: string };
    expect(o.runStudy).toBe('function');
    expect(o.version).toBe(pkg.version);
    expect(typeof o.status).toBe('string');
  });

  it('type-checks a strict consumer (noUncheckedIndexedAccess, exactOptionalPropertyTypes, no skipLibCheck)', () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          skipLibCheck: false,
          noEmit: true,
          types: ['node'],
        },
        include: ['consumer.mts'],
      }),
    );
    writeFileSync(
      join(project, 'consumer.mts'),
      `import { generateScenario, parseScenario, solveScenario, type DesignJson, type SolveOptions } from 'netisac';
import { runStudy, parseStudy, type RunStudySummary } from 'netisac/study';
const opts: SolveOptions = { method: 'exact', timeLimit: 5 };
const design: DesignJson = await solveScenario(parseScenario(generateScenario({ seed: 1, users: 2 })), opts);
const first: number | undefined = design.association?.[0];
const summary: RunStudySummary = await runStudy({ study: parseStudy({ name: 't', scenario: { users: 2 }, trials: 1, methods: ['scheme2'], seed: 1 }), out: 'r.jsonl', workers: 0 });
// @ts-expect-error a misspelt method is a type error
const bad: SolveOptions = { method: 'propsed' };
export { first, summary, bad };
`,
    );
    const r = run(process.execPath, [tsc, '-p', '.'], project);
    expect(r.out + r.err).toBe('');
    expect(r.code).toBe(0);
  }, 240_000);

  it('runs the netisac command: --version, a study and exact on compiled worker threads, a report without resvg', async () => {
    const bin = join(project, 'node_modules', '.bin', 'netisac');
    const v = run(process.execPath, [bin, '--version'], project);
    expect(v.out.trim()).toBe(pkg.version);
    // the command starts from the code cache the build made (src/cli/launch.ts), here with the
    // same Node; and without it (NETISAC_CODE_CACHE=0) gives the same answer
    const launch = `const l = await import(${JSON.stringify(join(installed, 'dist', 'cli', 'launch.js'))});`;
    const status = run(
      process.execPath,
      ['--input-type=module', '-e', `${launch} await l.runCli(['--version']); console.log(l.codeCacheStatus(), l.kernelModuleTaken(), l.wasmCompileTasks());`],
      project,
    );
    // and the kernels' module it compiled while the bundle loaded, from the bytes the bundle
    // embeds; WebAssembly's tier-up left cores - 1 background tasks (set after the cache was
    // accepted: V8 checks a cache against the flags)
    const tasks = Math.max(1, availableParallelism() - 1);
    expect(status.out.trim().split('\n')).toEqual([pkg.version, `accepted true ${tasks}`]);
    // a count given to node wins
    const given = run(
      process.execPath,
      ['--wasm-num-compilation-tasks=3', '--input-type=module', '-e', `${launch} await l.runCli(['--version']); console.log(l.wasmCompileTasks());`],
      project,
    );
    expect(given.out.trim().split('\n')).toEqual([pkg.version, 'undefined']);
    // launch.js reads the bundle as latin1, which is its text only if the build kept it ASCII
    expect(readFileSync(join(installed, 'dist', 'cli', 'netisac.bundle.cjs')).every((b) => b < 0x80)).toBe(true);
    const embedded = await import(pathToFileURL(join(installed, 'dist', 'linalg', 'wasm-kernels-binary.js')).href);
    expect(Buffer.from(readFileSync(join(installed, 'dist', 'cli', 'netisac.kernels.wasm'))).equals(Buffer.from(embedded.KERNELS_WASM, 'base64'))).toBe(true);
    const plain = run(
      process.execPath,
      ['--input-type=module', '-e', `process.env.NETISAC_CODE_CACHE = '0'; ${launch} await l.runCli(['--version']); console.log(l.codeCacheStatus());`],
      project,
    );
    expect(plain.out.trim().split('\n')).toEqual([pkg.version, 'not read']);
    writeFileSync(
      join(project, 'study.json'),
      JSON.stringify({ name: 'pack', scenario: { users: 2 }, sweep: { minSinrDb: [0, 5] }, trials: 2, methods: ['proposed', 'scheme2'], seed: 5 }),
    );
    const s = run(process.execPath, [bin, 'study', 'run', 'study.json', '--out', 'r.jsonl', '--workers', '2', '--no-progress'], project);
    expect(s.err).not.toMatch(/Error|at /);
    expect(s.code).toBe(0);
    expect(JSON.parse(s.out)).toMatchObject({ total: 8, ran: 8, errors: 0 });

    // exact's branch and bound on worker threads (the compiled worker entry).
    const scn = run(process.execPath, [bin, 'scenario', 'generate', '--seed', '2', '--users', '3', '-o', 'scn.json'], project);
    expect(scn.code).toBe(0);
    const exact = run(process.execPath, [bin, 'solve', 'scn.json', '--method', 'exact', '--threads', '2', '--json'], project);
    expect(exact.err).not.toMatch(/Error|^\s+at /m);
    expect(exact.code).toBe(0);
    expect(['optimal', 'infeasible']).toContain((JSON.parse(exact.out) as { status: string }).status);

    const rep = run(process.execPath, [bin, 'study', 'report', 'r.jsonl', '--out', 'report'], project);
    expect(rep.code).toBe(0);
    // One warning, then SVG and CSV as usual, no PNG.
    expect(rep.err.split('\n').filter((l) => l.includes('resvg'))).toHaveLength(1);
    expect(rep.err).toMatch(/netisac: warning: .*@resvg\/resvg-js.*PNG/);
    const out = readdirSync(join(project, 'report'));
    expect(out.some((f) => f.endsWith('.svg'))).toBe(true);
    expect(out.some((f) => f.endsWith('.csv'))).toBe(true);
    expect(out.some((f) => f.endsWith('.png'))).toBe(false);
    expect(out).toContain('report.html');
  }, 240_000);
});
