/**
 * End-to-end tests of the browser app (web/): the production build served statically and
 * driven by Debian's Chromium through playwright-core. The optimiser runs in the page's Web
 * Worker; the test process runs the same library code on the same scenario file and expects
 * the same answer. Screenshots go to test-artifacts/ (gitignored).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solveScenarioSync } from '../../src/design/solve.ts';
import type { DesignJson } from '../../src/design/api.ts';
import { parseScenario } from '../../src/model/scenario.ts';
import { parseDesign } from '../../src/model/design.ts';
import { evaluateDesign } from '../../src/model/evaluate.ts';
import { parseWatts } from '../../web/src/format.ts';
import { generateScenario } from '../../src/model/generate.ts';
import { estimateSolveSeconds } from '../../src/design/solve.ts';
import { DEFAULT_TIME_ALLOWANCE, formatSeconds } from '../../src/limits.ts';
import { importDesign, importScenarioText, settle } from './page-helpers.ts';
import { ARTIFACTS, REPO, buildApp, hasChromium, launch, removeDir, serveStatic, watchErrors, type Served } from './harness.ts';

const SOLVE_TIMEOUT = 120_000;
const FIG2_TEXT = readFileSync(join(REPO, 'examples/fig2.json'), 'utf8');

if (!hasChromium) {
  console.warn('SKIPPING the browser e2e tests: /usr/bin/chromium is missing (apt-get install chromium; CI installs it).');
}

/** "129.55 mW (21.12 dBm)" -> 0.12955 W and the half-unit of its last digit, in W. */
function shownWatts(text: string): { value: number; halfUlp: number } {
  const m = /^([0-9.]+) (MW|kW|W|mW|µW|nW|pW)/.exec(text.trim());
  if (!m) throw new Error(`no power in '${text}'`);
  const value = parseWatts(text);
  const digits = m[1]!.includes('.') ? m[1]!.split('.')[1]!.length : 0;
  return { value, halfUlp: 0.5 * 10 ** -digits * (value / Number(m[1])) };
}

async function solveInPage(page: Page): Promise<void> {
  await page.click('#solve');
  await page.waitForSelector('body[data-solving="true"]', { timeout: 10_000 }).catch(() => undefined);
  await page.waitForSelector('body[data-solving="false"] #total-power', { timeout: SOLVE_TIMEOUT });
}

async function download(page: Page, button: string): Promise<unknown> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  const path = await dl.path();
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Largest |a - b| over nested number arrays, relative to the largest |b|; Infinity on a shape mismatch. */
function relDiff(a: unknown, b: unknown): number {
  let diff = 0;
  let scale = 0;
  const walk = (x: unknown, y: unknown): boolean => {
    if (typeof x === 'number' && typeof y === 'number') {
      diff = Math.max(diff, Math.abs(x - y));
      scale = Math.max(scale, Math.abs(y));
      return true;
    }
    return Array.isArray(x) && Array.isArray(y) && x.length === y.length && x.every((v, i) => walk(v, y[i]));
  };
  return walk(a, b) ? diff / (scale || 1) : Infinity;
}

const text = async (page: Page, sel: string) => (await page.textContent(sel))?.trim() ?? '';

describe.skipIf(!hasChromium)('web app in Chromium', () => {
  let outDir = '';
  let served: Served | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let errors: string[] = [];
  let libraryDesign: DesignJson;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    outDir = await buildApp();
    served = await serveStatic(outDir);
    browser = await launch();
    const context = await browser.newContext({ viewport: { width: 1500, height: 1000 }, acceptDownloads: true });
    page = await context.newPage();
    errors = watchErrors(page);
    await page.goto(served.url);
    await page.waitForSelector('#map [data-node="bs:0"]');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    if (outDir) removeDir(outDir);
  });

  it('solves the Fig. 2 preset with proposed and shows what the library computes', async () => {
    await page.click('#preset-fig2');
    await page.selectOption('#method', 'proposed');
    await page.click('#solve');
    // The library answer for the same file, computed here while the page's worker solves.
    libraryDesign = solveScenarioSync(parseScenario(JSON.parse(FIG2_TEXT)), { method: 'proposed' });
    expect(libraryDesign.status).toBe('feasible');
    await page.waitForSelector('body[data-solving="false"] #total-power', { timeout: SOLVE_TIMEOUT });
    await page.screenshot({ path: join(ARTIFACTS, 'web-fig2-proposed.png') });

    expect(await text(page, '#receiver')).toBe(`BS${libraryDesign.receiver! + 1}`);
    const shown = shownWatts(await text(page, '#total-power'));
    expect(Math.abs(shown.value - libraryDesign.totalPower!)).toBeLessThanOrEqual(shown.halfUlp * 1.0001);
    const servedBy = await page.$$eval('#users-table tbody tr td:nth-child(2)', (tds) => tds.map((td) => td.textContent?.trim()));
    expect(servedBy).toEqual(libraryDesign.association!.map((s) => `BS${s + 1}`));
    expect(await text(page, '#status')).toBe('feasible');
    // The browser's worker runs the solver's dense kernels in WebAssembly, not the fallback.
    expect(await text(page, '#solve-time')).toContain('(WebAssembly kernels)');
    // The map: receiver ring, one arrow per user, a lobe per transmitting BS, the CRLB ellipse.
    expect(await page.locator(`[data-node="bs:${libraryDesign.receiver}"] .rx-ring`).count()).toBe(1);
    expect(await page.locator('[data-assoc]').count()).toBe(5);
    // Communication lobes for the BSs that serve users; sensing lobes (drawn apart, own scale)
    // for the transmitters whose R_s carries more than 1e-6 of the total power.
    const serving = new Set(libraryDesign.association!);
    expect(await page.locator('[data-lobe]').count()).toBe(serving.size);
    const rs = libraryDesign.sensingCovariances!.map((m, s) => (s === libraryDesign.receiver ? 0 : m.reduce((a, row, i) => a + row[i]![0], 0)));
    expect(await page.locator('[data-sensing-lobe]').count()).toBe(rs.filter((t) => t > Math.max(1e-12, 1e-6 * libraryDesign.totalPower!)).length);
    expect(await page.locator('.crlb-ellipse').count()).toBe(1);

    // Export: the scenario file carries the channels of examples/fig2.json (drawn in the browser
    // from the same seed: equal up to the last bit of Math.log/cos, which differs between the
    // V8 of Node 20 and of Chromium), and the exported design passes the library's evaluation
    // (what `netisac evaluate` runs).
    const scnJson = (await download(page, '#export-scenario')) as Record<string, unknown>;
    const fig2 = JSON.parse(FIG2_TEXT) as Record<string, unknown>;
    expect(relDiff(scnJson.channels, fig2.channels)).toBeLessThan(1e-12);
    expect(relDiff(scnJson.radarGains, fig2.radarGains)).toBeLessThan(1e-12);
    const designJson = await download(page, '#export-design');
    const scn = parseScenario(scnJson);
    const ev = evaluateDesign(scn, parseDesign(designJson, scn));
    expect(ev.feasible).toBe(true);
    expect(ev.totalPower).toBeCloseTo(libraryDesign.totalPower!, 6);
  }, 180_000);

  it('dragging a user re-evaluates the design at once and a re-solve changes the result', async () => {
    const before = await text(page, '#total-power');
    const sinrBefore = await text(page, '#users-table tbody tr:nth-child(2) td:nth-child(3)');
    const box = (await page.locator('[data-node="user:1"] .user-body').boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x - 90, y + 60, { steps: 8 });
    await page.mouse.up();
    // The selection panel shows the new position; the old design is evaluated on the new geometry.
    await page.waitForSelector('#stale-note');
    expect(await page.inputValue('#s-x')).not.toBe('20');
    expect(await text(page, '#users-table tbody tr:nth-child(2) td:nth-child(3)')).not.toBe(sinrBefore);
    await solveInPage(page);
    expect(await page.locator('#stale-note').count()).toBe(0);
    const after = await text(page, '#total-power');
    expect(after).not.toBe(before);
    expect(await text(page, '#status')).toMatch(/feasible|optimal/);
    await page.screenshot({ path: join(ARTIFACTS, 'web-after-drag.png') });
  }, 180_000);

  it('reports bad input next to the field and keeps working', async () => {
    // A typed value out of range: message beside the field, the state keeps the last valid value.
    await page.fill('#p-antennas', '0');
    await page.press('#p-antennas', 'Enter');
    expect(await text(page, '#p-antennas-error')).toContain('between 1 and 32');
    expect(await page.getAttribute('#p-antennas', 'aria-invalid')).not.toBeNull();
    await page.fill('#p-antennas', '8');
    await page.press('#p-antennas', 'Enter');
    expect(await text(page, '#p-antennas-error')).toBe('');

    // An imported scenario that breaks the contract: the library's message with the JSON path.
    const bad = JSON.parse(FIG2_TEXT);
    bad.users[1].position = [20];
    await page.setInputFiles('#import-scenario', { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
    await page.waitForSelector('#import-error:not(:empty)');
    expect(await text(page, '#import-error')).toContain('bad.json: users[1].position');
    await page.setInputFiles('#import-scenario', { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"antennas": 8,') });
    await page.waitForFunction(() => document.querySelector('#import-error')?.textContent?.includes('broken.json'));
    expect(await text(page, '#import-error')).toContain('not valid JSON');

    // A design that names a BS that does not exist.
    const badDesign = { ...libraryDesign, receiver: 7 };
    await page.setInputFiles('#import-design', { name: 'design.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(badDesign)) });
    await page.waitForSelector('#design-error:not(:empty)');
    expect(await text(page, '#design-error')).toContain('design.json: receiver');
    await page.screenshot({ path: join(ARTIFACTS, 'web-bad-input.png') });
    expect(await page.locator('#map [data-node]').count()).toBeGreaterThan(0);
  }, 60_000);

  it('views a CLI result: import the scenario file, then the design', async () => {
    await importScenarioText(page, FIG2_TEXT, 'fig2.json');
    await page.setInputFiles('#import-design', { name: 'cli-design.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(libraryDesign)) });
    await page.waitForSelector('#total-power');
    // The file's channels are kept verbatim, so the evaluation matches the CLI's exactly.
    expect(await text(page, '#channel-note')).toContain("file's explicit channels");
    expect(await text(page, '#receiver')).toBe(`BS${libraryDesign.receiver! + 1}`);
    const shown = shownWatts(await text(page, '#total-power'));
    expect(Math.abs(shown.value - libraryDesign.totalPower!)).toBeLessThanOrEqual(shown.halfUlp * 1.0001);
    expect(await text(page, '#result-body')).toContain('Design imported from cli-design.json');
    // A geometry edit (select a user, nudge it with the arrow key) switches to model draws and says so.
    await page.click('[data-node="user:0"] .user-body');
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('#stale-note');
    expect(await text(page, '#channel-note')).toContain('now drawn in the browser from the channel model');
    expect(await page.inputValue('#s-x')).toBe('-29');
  }, 60_000);

  it('exact shows its lower bound and certified gap; Cancel stops a running search', async () => {
    await page.selectOption('#method', 'exact');
    await solveInPage(page);
    expect(await text(page, '#status')).toBe('optimal');
    const gap = /^(?:< )?([0-9.]+) %$/.exec(await text(page, '#gap'));
    expect(gap).not.toBeNull();
    expect(Number(gap![1])).toBeLessThan(1);
    const bound = shownWatts(await text(page, '#lower-bound')).value;
    expect(bound).toBeLessThanOrEqual(shownWatts(await text(page, '#total-power')).value);

    // A time-limited stop before any bound: "no bound yet", never "lower bound 0, gap 100 %".
    const { lowerBound: _lb, ...noBound } = { ...libraryDesign, method: 'exact', stoppedBy: 'time_limit', status: 'feasible' };
    void _lb;
    await importDesign(page, noBound, 'stopped.json');
    await page.waitForFunction(() => document.querySelector('#lower-bound')?.textContent?.startsWith('no bound yet'));
    expect(await page.locator('#gap').count()).toBe(0);
    await importDesign(page, { ...noBound, lowerBound: 0 }, 'stopped0.json');
    await page.waitForFunction(() => document.querySelector('#result-body')?.textContent?.includes('stopped0.json'));
    expect(await text(page, '#lower-bound')).toMatch(/^no bound yet/);
    expect(await page.locator('#gap').count()).toBe(0);

    // The worker's answer is held back, so the search is certainly still running when Cancel
    // is clicked (the paper case's exact search can finish before the click otherwise).
    await holdSolverAnswers(page, true);
    await page.click('#solve');
    await page.waitForSelector('body[data-solving="true"]');
    await page.click('#cancel');
    await page.waitForSelector('body[data-solving="false"]');
    await holdSolverAnswers(page, false);
    expect(await page.isDisabled('#cancel')).toBe(true);
    // The finished exact result is still shown.
    expect(await text(page, '#result-method')).toBe('exact');
    await page.selectOption('#method', 'proposed');
  }, 120_000);

  /**
   * While `hold` is set, the solver worker keeps its final answer ('done') to itself: progress
   * still arrives, the solve request stays pending until it is cancelled. The tools' workers
   * (requests with a `kind`) are left alone.
   */
  async function holdSolverAnswers(p: Page, hold: boolean): Promise<void> {
    await p.evaluate((on) => {
      const w = window as unknown as { __holdDone?: boolean; __postPatched?: boolean };
      w.__holdDone = on;
      if (w.__postPatched) return;
      w.__postPatched = true;
      const post = Worker.prototype.postMessage as (this: Worker, ...a: unknown[]) => void;
      Worker.prototype.postMessage = function (this: Worker, ...a: unknown[]) {
        const handler = this.onmessage;
        const isSolve = typeof a[0] === 'object' && a[0] !== null && 'method' in a[0] && !('kind' in a[0]);
        if (w.__holdDone && handler && isSolve) {
          this.onmessage = (e: MessageEvent) => {
            if (!(w.__holdDone && (e.data as { type?: string } | null)?.type === 'done')) handler.call(this, e);
          };
        }
        post.apply(this, a);
      } as typeof Worker.prototype.postMessage;
    }, hold);
  }

  /** The Fig. 2 file and the library's design for it, loaded through the import buttons (no solve). */
  async function loadFig2WithDesign(p: Page): Promise<void> {
    await importScenarioText(p, FIG2_TEXT, 'fig2.json');
    await importDesign(p, libraryDesign);
  }

  it('1: Solve and Export wait while a field shows invalid text; a preset replaces stale typing', async () => {
    await page.fill('#p-antennas', '512');
    await page.press('#p-antennas', 'Enter');
    await page.waitForSelector('#solve[disabled]');
    expect(await text(page, '#solve-blocked')).toContain('Antennas N: must be between 1 and 32');
    expect(await page.isDisabled('#export-scenario')).toBe(true);
    // Escape puts the model's value back.
    await page.press('#p-antennas', 'Escape');
    expect(await page.inputValue('#p-antennas')).toBe('8');
    await page.waitForSelector('#solve:not([disabled])');
    // Invalid typing, then a preset: the field shows the preset's value, not the typing.
    await page.fill('#p-eps', '-3');
    await page.press('#p-eps', 'Tab');
    await page.waitForSelector('#solve[disabled]');
    await page.click('#preset-fig2');
    await page.waitForFunction((v) => (document.querySelector('#p-eps') as HTMLInputElement).value === v, String(JSON.parse(FIG2_TEXT).crlbMax));
    expect(await text(page, '#p-eps-error')).toBe('');
    await page.waitForSelector('#solve:not([disabled])');
  });

  it("2: imports obey the panel's limits; a huge file is refused at once and the page stays responsive", async () => {
    const n512 = { ...JSON.parse(FIG2_TEXT), antennas: 512 };
    delete n512.channels;
    await page.setInputFiles('#import-scenario', { name: 'n512.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(n512)) });
    await page.waitForSelector('#import-error:not(:empty)');
    expect(await text(page, '#import-error')).toContain('n512.json: antennas: 512');
    expect(await page.inputValue('#p-antennas')).toBe('8');
    const exported = (await download(page, '#export-scenario')) as { antennas: number };
    expect(exported.antennas).toBe(8);

    // 60,000 users, ~5.6 MB: refused before it is read.
    const users = Array.from({ length: 60_000 }, (_, k) => ({
      position: [(k % 300) - 150 + 0.25, Math.floor(k / 300) - 100 + 0.5],
      minSinrDb: 8,
      noisePowerDbm: -85,
    }));
    const huge = Buffer.from(JSON.stringify({ ...n512, antennas: 8, users }));
    expect(huge.length).toBeGreaterThan(3_000_000);
    const t0 = Date.now();
    await page.setInputFiles('#import-scenario', { name: 'huge.json', mimeType: 'application/json', buffer: huge });
    await page.waitForFunction(() => document.querySelector('#import-error')?.textContent?.includes('huge.json'));
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(await text(page, '#import-error')).toContain('too large');
    // Under the size limit but over the user limit: checked in the worker, named with its path.
    const many = Buffer.from(JSON.stringify({ ...n512, antennas: 8, users: users.slice(0, 100) }));
    await page.setInputFiles('#import-scenario', { name: 'many.json', mimeType: 'application/json', buffer: many });
    await page.waitForFunction(() => document.querySelector('#import-error')?.textContent?.includes('many.json'));
    expect(await text(page, '#import-error')).toContain('users: 100 users; the planner handles at most 64');
    expect(await page.locator('[data-node^="user:"]').count()).toBe(5);
  });

  it('3: typed coordinates are clamped and the view refits, the ellipse stays on the map', async () => {
    await loadFig2WithDesign(page);
    await page.click('[data-node="target:0"] .target-body');
    await page.fill('#s-y', '5000');
    await page.press('#s-y', 'Enter');
    await settle(page); // the refit is drawn on the next frame
    expect(await page.inputValue('#s-y')).toBe('2000');
    expect(await text(page, '#s-y-error')).toContain('Clamped to 2000');
    const map = (await page.locator('#map').boundingBox())!;
    const inside = async (sel: string) => {
      const b = (await page.locator(sel).boundingBox())!;
      return b.x >= map.x && b.y >= map.y && b.x + b.width <= map.x + map.width && b.y + b.height <= map.y + map.height;
    };
    expect(await inside('[data-node="target:0"] .target-body')).toBe(true);
    expect(await inside('.crlb-ellipse')).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'web-target-far.png') });
  });

  it('4: a stale result says so in its badge, names violations like the tables, one number style', async () => {
    await loadFig2WithDesign(page);
    expect(await text(page, '#status')).toBe('feasible');
    await page.fill('#p-eps', '0.0001');
    await page.press('#p-eps', 'Enter');
    await page.waitForSelector('#stale-note');
    expect(await text(page, '#status')).toBe('stale · violates requirements');
    expect(await text(page, '#feasible')).toBe('no');
    const violations = await text(page, '#violations');
    expect(violations).toContain('CRLB');
    expect(violations).not.toMatch(/users\[|baseStations\[/);
    const powers = await page.$$eval('#bs-table tbody td:nth-child(3)', (tds) => tds.map((td) => td.textContent!.trim()));
    for (const p of powers) expect(p).toMatch(/^(\d+\.\d+ (kW|W|mW|µW|nW|pW)|0 W)$/);
    const shares = await page.$$eval('#bs-table tbody td:nth-child(4)', (tds) => tds.map((td) => td.textContent!.trim()));
    for (const p of shares) expect(p).toMatch(/^(\d+\.\d\d %|0 %|< 0\.01 %)$/);
    expect(await text(page, '#result-body')).not.toMatch(/\de[-+]\d/);
    const roles = await page.$$eval('#bs-table tbody td:nth-child(2)', (tds) => tds.map((td) => td.textContent!.trim()));
    expect(roles[libraryDesign.receiver!]).toBe('receives echoes');
    expect(roles.filter((r) => r === 'senses')).toEqual([]);
  });

  it('5: at 1440x900, 1024x768, 768x1024 and 390x844: no sideways scroll, editor next to the map, map and results together', async () => {
    for (const [width, height] of [
      [1440, 900],
      [1024, 768],
      [768, 1024],
      [390, 844],
    ]) {
      // The phone is a touch screen (coarse pointer, taps).
      const ctx = await browser!.newContext({ viewport: { width: width!, height: height! }, hasTouch: width === 390 });
      const p = await ctx.newPage();
      const errs = watchErrors(p);
      await p.goto(served!.url);
      await p.waitForSelector('body[data-ready="true"]');
      await loadFig2WithDesign(p);
      await p.click('[data-node="user:2"] .user-body');
      await p.waitForSelector('#s-x');
      const scroll = await p.evaluate(() => ({ doc: document.documentElement.scrollWidth, win: window.innerWidth }));
      expect(scroll.doc, `sideways scroll at ${width}px`).toBeLessThanOrEqual(scroll.win);
      const box = async (sel: string) => (await p.locator(sel).boundingBox())!;
      const map = await box('#map');
      if (width === 1440) {
        // The selected node's editor opens beside the map, above the fold.
        const editor = await box('#selection');
        expect(editor.y + 40).toBeLessThan(height!);
        expect(editor.x + editor.width).toBeLessThanOrEqual(map.x);
      }
      if (width! >= 768 && width! <= 1180) {
        // Map and results side by side, both on the first screen.
        const res = await box('#result-body');
        expect(res.x).toBeGreaterThanOrEqual(map.x + map.width - 1);
        expect(res.y).toBeLessThan(height!);
        expect(map.y).toBeLessThan(height!);
      }
      if (width === 390) {
        // The sticky bar keeps Solve and the verdict on screen.
        const bar = await box('#status-bar');
        expect(bar.y + bar.height).toBeLessThanOrEqual(height! + 1);
        expect(await p.isVisible('#bar-solve')).toBe(true);
        await p
          .waitForFunction(() => /feasible/.test(document.querySelector('#summary-line')?.textContent ?? ''), undefined, { timeout: 5000 })
          .catch(async () => {
            throw new Error(`summary line: ${await p.textContent('#summary-line')}`);
          });
        // Touch targets: the map's buttons and the layer checkbox's row are at least 44 px tall.
        const small = await p.$$eval(
          '.toolbar button, .map-controls button, #bar-solve, .map-controls .field.checkbox',
          (bs) => bs.filter((b) => b.getBoundingClientRect().height < 43.5).length,
        );
        expect(small).toBe(0);
        // Touch targets on the map: every node's hit area is at least 44 px across...
        const hits = await p.$$eval('#map .node .focus-ring', (cs) =>
          cs.map((c) => {
            const r = c.getBoundingClientRect();
            return Math.min(r.width, r.height);
          }),
        );
        expect(hits.length).toBe(await p.locator('#map .node').count());
        expect(hits.length).toBeGreaterThan(5);
        expect(Math.min(...hits)).toBeGreaterThanOrEqual(44);
        // ...and a tap 20 px beside a user's symbol, outside the symbol but inside that area, selects it.
        const spot = await p.$eval('[data-node="user:0"] .user-body', (c) => {
          const r = c.getBoundingClientRect();
          const [cx, cy] = [r.x + r.width / 2, r.y + r.height / 2];
          const ds = [
            [20, 0],
            [-20, 0],
            [0, 20],
            [0, -20],
          ];
          for (const [dx, dy] of ds) {
            const hit = document.elementFromPoint(cx + dx!, cy + dy!)?.closest('[data-node]');
            if (hit?.getAttribute('data-node') === 'user:0' && r.width / 2 < 20) return { x: cx + dx!, y: cy + dy! };
          }
          return null;
        });
        expect(spot).not.toBeNull();
        await p.touchscreen.tap(spot!.x, spot!.y);
        await p.waitForFunction(() => document.querySelector('#sel-h')?.textContent === 'Selected: User U1');
      }
      await p.screenshot({ path: join(ARTIFACTS, `web-${width}x${height}.png`) });
      expect(errs).toEqual([]);
      await ctx.close();
    }
  }, 120_000);

  it('a solve the CLI would refuse as too long runs here with its estimate shown, and Cancel stops it', async () => {
    // 19 BSs, 8 targets: proposed is estimated at about an hour (the CLI refuses it without
    // --force); the planner, which shows progress and can cancel, runs it and says so.
    const big = generateScenario({ seed: 5, users: 20, antennas: 8, layout: 'hexagon', rings: 2, bsSpacing: 120, radius: 400, targets: 8 });
    const estimate = estimateSolveSeconds(parseScenario(big), 'proposed');
    expect(estimate).toBeGreaterThan(DEFAULT_TIME_ALLOWANCE);
    await importScenarioText(page, JSON.stringify(big), 'city-8-targets.json');
    await page.selectOption('#method', 'proposed');
    await page.click('#solve');
    await page.waitForFunction(
      (words) => document.querySelector('#progress-text')?.textContent?.includes(words),
      `may take up to about ${formatSeconds(estimate)}`,
      { timeout: 30_000 },
    );
    expect(await page.getAttribute('body', 'data-solving')).toBe('true');
    await page.click('#cancel');
    await page.waitForSelector('body[data-solving="false"]');
    expect(await text(page, '#solve-error')).not.toMatch(/could take|--force/);
  }, 60_000);

  it('logged no console errors and keeps element ids unique', async () => {
    expect(errors).toEqual([]);
    const dupes = await page.evaluate(() => {
      const ids = Array.from(document.querySelectorAll('[id]'), (e) => e.id);
      return ids.filter((id, i) => ids.indexOf(id) !== i);
    });
    expect(dupes).toEqual([]);
  });
});
