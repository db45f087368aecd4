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
import { ARTIFACTS, REPO, buildApp, hasChromium, launch, removeDir, serveStatic, watchErrors, type Served } from './harness.ts';

const SOLVE_TIMEOUT = 120_000;
const FIG2_TEXT = readFileSync(join(REPO, 'examples/fig2.json'), 'utf8');

if (!hasChromium) {
  console.warn('SKIPPING the browser e2e tests: /usr/bin/chromium is missing (apt-get install chromium; CI installs it).');
}

/** "0.12955 W (21.12 dBm)" -> 0.12955 and the half-unit of its last digit. */
function shownWatts(text: string): { value: number; halfUlp: number } {
  const m = /^([0-9.eE+-]+) W/.exec(text.trim());
  if (!m) throw new Error(`no power in '${text}'`);
  const digits = m[1].replace(/^.*?\./, '').replace(/e.*$/i, '').length;
  const exp = /e([+-]?\d+)/i.exec(m[1]);
  return { value: Number(m[1]), halfUlp: 0.5 * 10 ** (-digits + (exp ? Number(exp[1]) : 0)) };
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
    // The map: receiver ring, one arrow per user, a lobe per transmitting BS, the CRLB ellipse.
    expect(await page.locator(`[data-node="bs:${libraryDesign.receiver}"] .rx-ring`).count()).toBe(1);
    expect(await page.locator('[data-assoc]').count()).toBe(5);
    expect(await page.locator('[data-lobe]').count()).toBe(3);
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
    const box = (await page.locator('[data-node="user:1"] circle').boundingBox())!;
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
    await page.setInputFiles('#import-scenario', { name: 'fig2.json', mimeType: 'application/json', buffer: Buffer.from(FIG2_TEXT) });
    await page.waitForSelector('#import-error:empty', { state: 'attached' });
    await page.setInputFiles('#import-design', { name: 'cli-design.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(libraryDesign)) });
    await page.waitForSelector('#total-power');
    // The file's channels are kept verbatim, so the evaluation matches the CLI's exactly.
    expect(await text(page, '#channel-note')).toContain("file's explicit channels");
    expect(await text(page, '#receiver')).toBe(`BS${libraryDesign.receiver! + 1}`);
    const shown = shownWatts(await text(page, '#total-power'));
    expect(Math.abs(shown.value - libraryDesign.totalPower!)).toBeLessThanOrEqual(shown.halfUlp * 1.0001);
    expect(await text(page, '#result-body')).toContain('Design imported from cli-design.json');
    // A geometry edit (select a user, nudge it with the arrow key) switches to model draws and says so.
    await page.click('[data-node="user:0"] circle');
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('#stale-note');
    expect(await text(page, '#channel-note')).toContain('now drawn in the browser from the channel model');
    expect(await page.inputValue('#s-x')).toBe('-29');
  }, 60_000);

  it('exact shows its lower bound and certified gap; Cancel stops a running search', async () => {
    await page.selectOption('#method', 'exact');
    await solveInPage(page);
    expect(await text(page, '#status')).toBe('optimal');
    const gap = /^([0-9.eE+-]+) %$/.exec(await text(page, '#gap'));
    expect(gap).not.toBeNull();
    expect(Number(gap![1])).toBeLessThan(1);
    const bound = shownWatts(await text(page, '#lower-bound')).value;
    expect(bound).toBeLessThanOrEqual(shownWatts(await text(page, '#total-power')).value);

    await page.click('#solve');
    await page.waitForSelector('body[data-solving="true"]');
    await page.click('#cancel');
    await page.waitForSelector('body[data-solving="false"]');
    expect(await page.isDisabled('#cancel')).toBe(true);
    // The finished exact result is still shown.
    expect(await text(page, '#result-method')).toBe('exact');
    await page.selectOption('#method', 'proposed');
  }, 120_000);

  it('logged no console errors and keeps element ids unique', async () => {
    expect(errors).toEqual([]);
    const dupes = await page.evaluate(() => {
      const ids = Array.from(document.querySelectorAll('[id]'), (e) => e.id);
      return ids.filter((id, i) => ids.indexOf(id) !== i);
    });
    expect(dupes).toEqual([]);
  });
});
