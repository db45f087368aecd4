/**
 * Sizes that cannot fit (issue 14): refused with exit 2 and the memory they would need,
 * before anything of that size is allocated; workers capped; output paths checked first.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateScenario } from '../../src/model/generate.ts';
import { parseScenario } from '../../src/model/scenario.ts';
import { type ConicShape, conicPeakBytes, designBytes, EMBEDDED_MEMORY_FACTOR, memoryBudget, requireFits, setMachineMemory } from '../../src/limits.ts';
import { estimateSolveBytes } from '../../src/design/solve.ts';
import { METHODS } from '../../src/design/api.ts';
import type { Scenario } from '../../src/model/types.ts';
import { solve } from '../../src/conic/solve.ts';
import type { ConicProblem } from '../../src/conic/types.ts';
import { capWorkers, workerCap } from '../../src/workers.ts';
import { InputError } from '../../src/errors.ts';
import { FAKE_RUNNER, smallStudy } from '../study/helpers.ts';
import { runCli } from '../cli/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'netisac-size-cases-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (json: unknown): string => {
  const f = join(dir, `f${n++}.json`);
  writeFileSync(f, JSON.stringify(json));
  return f;
};

/** A scenario of the paper's layout with N antennas and no explicit channels (they would be drawn). */
function withAntennas(N: number): Record<string, unknown> {
  const s = generateScenario({ seed: 5, users: 2, antennas: 2 });
  delete s.channels;
  delete s.radarGains;
  return { ...s, antennas: N };
}

async function quick(args: string[]): Promise<{ code: number; err: string; ms: number }> {
  const t0 = performance.now();
  const r = await runCli(args);
  return { code: r.code, err: r.err, ms: performance.now() - t0 };
}

describe('requests that cannot fit in memory are refused up front (issue 14)', () => {
  it('N = 1e9: the scenario is refused before a channel is drawn', () => {
    const t0 = performance.now();
    expect(() => parseScenario(withAntennas(1e9), 'f.json')).toThrow(
      /f\.json: antennas: a scenario with S = 4, K = 2, N = 1000000000 would need about [\d.]+ GB/,
    );
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('N = 4096: solve exits 2 with the memory its design needs instead of "Map maximum size exceeded" or a heap crash', async () => {
    const r = await quick(['solve', file(withAntennas(4096)), '-m', 'fixed', '--receiver', '0', '--association', '1,1']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/antennas: a design with S = 4 sensing covariances of 4096 x 4096 entries would need about [\d.]+ GB of memory; this machine allows/);
    expect(r.ms).toBeLessThan(5000);
  });

  it('scenario generate --users 100000000 exits 2 before placing users', async () => {
    const r = await quick(['scenario', 'generate', '--seed', '1', '--users', '100000000']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/users: a scenario with S = 4, K = 100000000, N = 8 would need about/);
    expect(r.ms).toBeLessThan(5000);
  });

  it('study info on a sweep of 1e12 points exits 2 without listing them', async () => {
    const big = {
      ...smallStudy(),
      sweep: { minSinrDb: { from: 0, to: 9999, step: 1 }, crlbMax: { from: 1, to: 10000, step: 1 }, maxPowerDbm: { from: 0, to: 9999, step: 1 } },
    };
    const r = await quick(['study', 'info', file(big)]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/sweep: a study of 1000000000000 points x 4 trials x 3 methods = 1\.20e\+13 tasks would need about/);
    expect(r.ms).toBeLessThan(5000);
    // 1e8 points
    const mid = { ...smallStudy(), sweep: { minSinrDb: { from: 0, to: 9999, step: 1 }, crlbMax: { from: 1, to: 10000, step: 1 } } };
    expect((await quick(['study', 'info', file(mid)])).code).toBe(2);
  });

  it('the estimate follows the budget: the same SDP fits a large machine and not a small one', () => {
    const shape: ConicShape = { rows: 100, psdOrders: [], hpsdOrders: [64, 64, 2], linearDim: 10, nonzeros: 1e6 };
    const bytes = conicPeakBytes(shape);
    try {
      setMachineMemory(4 * bytes);
      expect(() => requireFits(bytes, 'x')).not.toThrow();
      setMachineMemory(bytes);
      expect(memoryBudget()).toBe(bytes / 2);
      expect(() => requireFits(bytes, 'this SDP', 'antennas')).toThrow(InputError);
    } finally {
      setMachineMemory(4 * 2 ** 30);
    }
  });

  /** Only the sizes estimateSolveBytes reads: no channels are drawn for these. */
  const sized = (S: number, K: number, N: number, T = 1) => ({ S, K, N, targets: Array(T).fill({}) }) as unknown as Scenario;

  it('N = 256, K = 2 (a size that must be solved) fits the default 4 GiB assumption with every method', () => {
    for (const method of METHODS) expect(estimateSolveBytes(sized(4, 2, 256), method)).toBeLessThan(memoryBudget());
    expect(designBytes(4, 2, 256)).toBeLessThan(memoryBudget('heap'));
  });

  it("the planner's 4 GiB assumption takes the 19-BS network with 60 users and 32 antennas (it peaked at 1.0-1.4 GB), not 200 users", () => {
    for (const method of METHODS) expect(estimateSolveBytes(sized(19, 60, 32), method)).toBeLessThan(memoryBudget());
    for (const method of METHODS) expect(estimateSolveBytes(sized(19, 200, 32), method)).toBeGreaterThan(memoryBudget());
  });

  it('the estimate grows with the SDP: more users, more antennas and the candidate pairs cost more', () => {
    for (const method of METHODS) {
      expect(estimateSolveBytes(sized(7, 30, 16), method)).toBeGreaterThan(estimateSolveBytes(sized(7, 15, 16), method));
      expect(estimateSolveBytes(sized(7, 30, 32), method)).toBeGreaterThan(estimateSolveBytes(sized(7, 30, 16), method));
    }
    expect(estimateSolveBytes(sized(19, 60, 32), 'proposed')).toBeGreaterThan(estimateSolveBytes(sized(19, 60, 32), 'fixed'));
    // the blocks' order stops at K + 2T: more antennas than that add nothing to the SDP
    expect(estimateSolveBytes(sized(4, 5, 4096), 'fixed')).toBe(estimateSolveBytes(sized(4, 5, 64), 'fixed'));
  });

  it('19 BSs with 2000 users is refused on the SDP, naming the users', async () => {
    expect(() => requireFits(estimateSolveBytes(sized(19, 2000, 64), 'fixed'), 'the SDP')).toThrow(/would need about [\d.]+ GB/);
    const scn: Record<string, unknown> = generateScenario({ seed: 5, users: 2000, antennas: 2, layout: 'hexagon', rings: 2 });
    delete scn.channels;
    delete scn.radarGains;
    scn.antennas = 64;
    const r = await quick(['solve', file(scn), '--method', 'fixed', '--receiver', '0', '--association', Array(2000).fill(1).join(',')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/users: the SDP of a scenario with S = 19, K = 2000, N = 64 \(blocks of order 64\) would need about/);
  });
});

describe('the conic solver checks the SDP it is given against the memory budget', () => {
  // a 2 x 2 Hermitian block with one row: tr X = 1, minimise X_00
  const problem: ConicProblem = {
    c: Float64Array.from([1, 0, 0, 0]),
    A: { rows: 1, cols: 4, rowPtr: Int32Array.from([0, 2]), colIdx: Int32Array.from([0, 3]), values: Float64Array.from([1, 1]) },
    b: Float64Array.from([1]),
    cones: [{ kind: 'hpsd', n: 2 }],
  };
  const shape: ConicShape = { rows: 1, psdOrders: [], hpsdOrders: [2], linearDim: 0, nonzeros: 2 };
  const native = conicPeakBytes(shape);
  const embedded = conicPeakBytes(shape, true);

  it('solves within the budget, refuses below it (InputError with the size), and prices the real embedding higher', () => {
    expect(embedded).toBeGreaterThan(native);
    try {
      setMachineMemory(2 * embedded);
      expect(solve(problem).status).toBe('optimal');
      expect(solve(problem, { hermitian: 'embedded' }).status).toBe('optimal');
      // a budget between the two prices: the native form solves, the embedded one is refused
      setMachineMemory(native + embedded);
      expect(solve(problem).status).toBe('optimal');
      expect(() => solve(problem, { hermitian: 'embedded' })).toThrow(
        /the SDP with m = 1, 1 cones and 2 non-zeros, its Hermitian blocks embedded as real ones would need about/,
      );
      setMachineMemory(native);
      expect(() => solve(problem)).toThrow(InputError);
    } finally {
      setMachineMemory(4 * 2 ** 30);
    }
  });

  it('prices the real embedding of Hermitian arrays at EMBEDDED_MEMORY_FACTOR times, and only Hermitian ones', () => {
    const big: ConicShape = { rows: 10, psdOrders: [], hpsdOrders: [64], linearDim: 0, nonzeros: 1e6 };
    const arrays = conicPeakBytes(big) - conicPeakBytes({ rows: 0, psdOrders: [], hpsdOrders: [], linearDim: 0 });
    expect(conicPeakBytes(big, true) - conicPeakBytes(big)).toBeCloseTo((EMBEDDED_MEMORY_FACTOR - 1) * arrays, -3);
    const real: ConicShape = { ...big, psdOrders: [64], hpsdOrders: [] };
    expect(conicPeakBytes(real, true)).toBe(conicPeakBytes(real));
  });
});

describe('study inputs checked before the run (issue 14)', () => {
  it('duplicate BS positions fail study info (exit 2), naming the layout entry', async () => {
    const r = await quick([
      'study',
      'info',
      file({
        ...smallStudy(),
        scenario: {
          users: 2,
          layout: [
            [0, 0],
            [100, 0],
            [0, 0],
          ],
        },
      }),
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/scenario\.layout\[2\]: base station 2 is at the position of base station 0/);
  });

  it('a sweep value every trial would refuse fails study info', async () => {
    const r = await quick(['study', 'info', file({ ...smallStudy(), sweep: { maxPowerDbm: [45, 1e308] } })]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/point 1 of the sweep: maxPowerDbm: 1e\+308 is outside the usable range/);
  });

  it('--workers 1000000 is capped at the cores (with a note) and the run completes', async () => {
    expect(capWorkers(5, () => undefined, 8)).toBe(5);
    const notes: string[] = [];
    expect(capWorkers(1_000_000, (m) => notes.push(m), 8)).toBe(8);
    expect(notes[0]).toMatch(/--workers 1000000 capped at 8/);
    expect(workerCap({ SLURM_CPUS_PER_TASK: '64' })).toBe(Math.max(64, workerCap({})));
    const out = join(dir, 'w.jsonl');
    const r = await runCli(['study', 'run', file(smallStudy({ trials: 1 })), '--out', out, '--workers', '1000000', '--runner', FAKE_RUNNER, '--no-progress']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(new RegExp(`--workers 1000000 capped at ${workerCap()}`));
    expect(JSON.parse(r.out)).toMatchObject({ ran: 9, errors: 0 });
  });

  it.runIf(existsSync('/proc/self'))('study run --out /proc/nope/x.jsonl fails at once (exit 2) instead of spinning', async () => {
    const r = await quick([
      'study',
      'run',
      file(smallStudy({ trials: 1 })),
      '--out',
      '/proc/nope/x.jsonl',
      '--runner',
      FAKE_RUNNER,
      '--workers',
      '0',
      '--no-progress',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/\/proc\/nope\/x\.jsonl: cannot create the folder \/proc\/nope/);
    expect(r.ms).toBeLessThan(5000);
  });

  it('an output folder under a file is refused; a missing nested folder is created', async () => {
    const plain = join(dir, 'plain.txt');
    writeFileSync(plain, 'x');
    let r = await quick([
      'study',
      'run',
      file(smallStudy({ trials: 1 })),
      '--out',
      join(plain, 'a', 'x.jsonl'),
      '--runner',
      FAKE_RUNNER,
      '--workers',
      '0',
      '--no-progress',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/plain\.txt is not a folder/);
    r = await quick([
      'study',
      'run',
      file(smallStudy({ trials: 1 })),
      '--out',
      join(dir, 'a', 'b', 'x.jsonl'),
      '--runner',
      FAKE_RUNNER,
      '--workers',
      '0',
      '--no-progress',
    ]);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'a', 'b', 'x.jsonl'))).toBe(true);
  });
});
