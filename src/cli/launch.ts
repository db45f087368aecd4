/**
 * Starts the bundled `netisac` command (dist/cli/netisac.bundle.cjs, built by
 * scripts/build.mjs) from V8's code cache (dist/cli/netisac.bundle.cache).
 *
 * Why: a fresh process compiles every function the command runs the first time it is called
 * (V8 compiles lazily). Node 20 keeps no compiled code for ES modules between processes, but
 * a classic script compiled through `vm.Script` takes `cachedData`: the bytecode of every
 * function that had run when the cache was made (`createCachedData` after the run). The build
 * makes that cache by running the paper's `fixed` solve once (`writeCodeCache`); measured in
 * docs/benchmarks.md ("Start-up of the command line"): a paper-scale `solve` process about
 * 13 % shorter. V8 refuses a cache made by another V8 version or with other flags
 * (`cachedDataRejected`); the script is then compiled as usual, with the same result.
 *
 * The bundle is CommonJS-shaped: this wrapper hands it `require`, its own file URL (for the
 * `import.meta.url` of the bundled modules, which the build replaces by `__netisacUrl`) and a
 * dynamic import (`__netisacImport`, for `import()` of ES modules such as vega and the
 * compiled worker entry points: a `vm.Script` cannot call `import()` itself on Node 20 without
 * --experimental-vm-modules).
 *
 * One more thing before the command runs: the WebAssembly kernels' module is compiled off the
 * main thread while the bundle loads (compileKernels).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';

const BUNDLE = fileURLToPath(new URL('./netisac.bundle.cjs', import.meta.url));
const CACHE = BUNDLE.replace(/\.cjs$/, '.cache');
/** The WebAssembly kernels' binary, the bytes the bundle embeds in base64 (written by the build). */
const KERNELS = BUNDLE.replace(/\.bundle\.cjs$/, '.kernels.wasm');

type Main = (argv: string[]) => Promise<number>;
interface BundleExports {
  main?: Main;
  adoptKernelModule?: (m: WebAssembly.Module | null) => boolean;
}

/** What the last start made of the code cache (for the package test). */
let cacheStatus: 'accepted' | 'rejected' | 'missing' | 'not read' = 'not read';
export function codeCacheStatus(): typeof cacheStatus {
  return cacheStatus;
}

/** Whether the bundle took the kernels' module compiled here (for the package test). */
let kernelsTaken = false;
export function kernelModuleTaken(): boolean {
  return kernelsTaken;
}

/** Compiles (from the cache when `cached` and it holds) and runs the bundle; its `main`. */
function load(cached: boolean): { main: Main; adopt: BundleExports['adoptKernelModule']; script: vm.Script } {
  // the build writes the bundle in ASCII: read as latin1 it is the same text, decoded ~20x
  // faster than as UTF-8 (0.3 against 7-20 ms for its 1.3 MB) into a one-byte string
  const source = readFileSync(BUNDLE, 'latin1');
  let cachedData: Buffer | undefined;
  if (cached) {
    try {
      cachedData = readFileSync(CACHE);
    } catch {
      // no cache: compiled as usual
    }
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __netisacUrl, __netisacImport) {${source}\n})`, {
    filename: BUNDLE,
    cachedData,
  });
  cacheStatus = !cached ? 'not read' : cachedData === undefined ? 'missing' : script.cachedDataRejected ? 'rejected' : 'accepted';
  const module = { exports: {} as BundleExports };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  const dynamicImport = (specifier: string): Promise<unknown> => import(specifier);
  wrapper(module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE), pathToFileURL(BUNDLE).href, dynamicImport);
  const main = module.exports.main;
  if (typeof main !== 'function') throw new Error(`${BUNDLE} does not export main: rebuild with \`npm run build\``);
  return { main, adopt: module.exports.adoptKernelModule, script };
}

/**
 * The kernels' module, compiled by V8 off the main thread (WebAssembly.compile) while the
 * bundle loads (~10 ms here, the compile ~0.6 ms there); null when the file is missing or does
 * not compile (the bundle then compiles its embedded copy itself, or stays TypeScript).
 * Measured over 100 alternating pairs of processes: the solve and the process each ~1-2 ms
 * shorter. Not kept, measured the same way (docs/solver.md, "First solve of a process"):
 * compiling every function at once there (~3 ms off the solve, a `netisac sdpa` process ~5 ms
 * longer), and fewer background compile tasks for V8's tier-up (6-9 ms off the solve, but the
 * process waits as long for the compiles at its exit: no shorter).
 */
function compileKernels(): Promise<WebAssembly.Module | null> {
  try {
    return WebAssembly.compile(readFileSync(KERNELS)).catch(() => null);
  } catch {
    return Promise.resolve(null);
  }
}

/** The number of WebAssembly compile tasks the last start allowed (for the package test). */
let wasmTasks: number | undefined;
export function wasmCompileTasks(): number | undefined {
  return wasmTasks;
}

/**
 * Leaves the main thread a core: V8's tier-up of hot WebAssembly kernels (recompiled by its
 * optimising compiler, ~20 functions and 35-60 ms of CPU in a paper solve) may run on at most
 * cores - 1 background tasks instead of on all four of Node's worker threads. On two cores
 * the four took the solve's core in 4 ms time slices. 100 alternating pairs of processes
 * (docs/solver.md, "WebAssembly's tier-up on two cores"): the paper solve's reported time
 * 5.4 ms shorter on average and its spread gone, the process 3.8 ms shorter; SDPLIB instances
 * as short or shorter. A `--wasm-num-compilation-tasks` given to node wins. Set after the
 * bundle is compiled: V8 checks a code cache against the flags, and the build made it with
 * the defaults.
 */
function limitWasmCompileTasks(): void {
  if (process.execArgv.some((a) => /^--wasm[-_]num[-_]compilation[-_]tasks/.test(a))) return;
  wasmTasks = Math.max(1, availableParallelism() - 1);
  v8.setFlagsFromString(`--wasm-num-compilation-tasks=${wasmTasks}`);
}

/** Runs the command line `argv` (without node and script) and returns its exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const kernels = compileKernels();
  // NETISAC_CODE_CACHE=0 compiles without the cache (to measure what it saves)
  const { main, adopt } = load(process.env.NETISAC_CODE_CACHE !== '0');
  limitWasmCompileTasks();
  kernelsTaken = adopt?.(await kernels) ?? false;
  return main(argv);
}

/**
 * Runs each command line of `runs` in this process, then writes the code cache of every
 * function they ran (to a temporary file renamed into place: a killed build leaves no
 * half-written cache).
 */
export async function writeCodeCache(runs: string[][]): Promise<number> {
  const { main, script } = load(false);
  for (const argv of runs) {
    const code = await main(argv);
    if (code !== 0) throw new Error(`code cache: \`netisac ${argv.join(' ')}\` exited with ${code}`);
  }
  const data = script.createCachedData();
  writeFileSync(`${CACHE}.tmp`, data);
  renameSync(`${CACHE}.tmp`, CACHE);
  return data.length;
}
