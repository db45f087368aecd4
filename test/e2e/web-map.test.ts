/**
 * The planner's map and explanations in Chromium: zoom/pan/fit with metre ticks, cursor
 * coordinates and tooltips, labels apart, undo/redo, persistence and share links, keyboard
 * use, the beam legend and both half-planes, the CRLB coverage map, infeasibility
 * explanations checked against the library, pin and compare, `fixed` from the panel and
 * exact's live progress. Screenshots go to test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solveScenarioSync } from '../../src/design/solve.ts';
import type { DesignJson } from '../../src/design/api.ts';
import { parseScenario } from '../../src/model/scenario.ts';
import { parseDesign } from '../../src/model/design.ts';
import { evaluateDesign } from '../../src/model/evaluate.ts';
import { steering } from '../../src/model/geometry.ts';
import { quadForm } from '../../src/linalg/complex.ts';
import { ARTIFACTS, buildApp, hasChromium, launch, removeDir, serveStatic, watchErrors, type Served } from './harness.ts';
import { closestPair, DEUTERANOPIA, PROTANOPIA } from './cvd.ts';
import { download, FIG2_TEXT, importDesign, importScenarioText, labelOverlap, settle, solveInPage, text } from './page-helpers.ts';

const FIG2 = JSON.parse(FIG2_TEXT);

/** Positions of the users as the map's accessible names state them. */
async function userPositions(page: Page): Promise<string[]> {
  return page.$$eval('[data-node^="user:"]', (els) => els.map((e) => /at (-?[\d.]+, -?[\d.]+) m/.exec(e.getAttribute('aria-label') ?? '')?.[1] ?? ''));
}

async function xTicks(page: Page): Promise<number[]> {
  return page.$$eval('[data-tick-x]', (els) => els.map((e) => Number(e.getAttribute('data-tick-x'))));
}

describe.skipIf(!hasChromium)('the planner map in Chromium', () => {
  let outDir = '';
  let served: Served | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let errors: string[] = [];
  let design: DesignJson;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    outDir = await buildApp();
    served = await serveStatic(outDir);
    browser = await launch();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    errors = watchErrors(page);
    await page.goto(served.url);
    await page.waitForSelector('body[data-ready="true"]');
    design = solveScenarioSync(parseScenario(FIG2), { method: 'proposed' });
    await importScenarioText(page, FIG2_TEXT, 'fig2.json');
    await importDesign(page, design);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    if (outDir) removeDir(outDir);
  });

  it('zooms around the pointer, pans on empty space and fits; the ticks are in metres', async () => {
    const before = await xTicks(page);
    expect(before.length).toBeGreaterThan(2);
    expect(await page.$$eval('[data-tick-x]', (els) => els.every((e) => / m$/.test(e.textContent ?? '')))).toBe(true);
    const map = (await page.locator('#map').boundingBox())!;
    const at = { x: map.x + map.width * 0.3, y: map.y + map.height * 0.7 };
    await page.mouse.move(at.x, at.y);
    await settle(page);
    const coordsBefore = await text(page, '#cursor-coords');
    expect(coordsBefore).toMatch(/^x -?\d+\.\d m · y -?\d+\.\d m$/);
    await page.mouse.wheel(0, -600);
    await settle(page);
    const zoomed = await xTicks(page);
    expect(zoomed[1]! - zoomed[0]!).toBeLessThan(before[1]! - before[0]!);
    // The point under the pointer stays under it.
    await page.mouse.move(at.x + 1, at.y);
    await page.mouse.move(at.x, at.y);
    const coordsAfter = /x (-?[\d.]+) m · y (-?[\d.]+) m/.exec(await text(page, '#cursor-coords'))!;
    const c0 = /x (-?[\d.]+) m · y (-?[\d.]+) m/.exec(coordsBefore)!;
    expect(Math.abs(Number(coordsAfter[1]) - Number(c0[1]))).toBeLessThan(1);
    expect(Math.abs(Number(coordsAfter[2]) - Number(c0[2]))).toBeLessThan(1);

    // Pan: drag on empty space moves the view, never a node.
    const users = await userPositions(page);
    const empty = { x: map.x + 15, y: map.y + map.height - 60 };
    await page.mouse.move(empty.x, empty.y);
    await page.mouse.down();
    await page.mouse.move(empty.x + 120, empty.y - 80, { steps: 6 });
    await page.mouse.up();
    await settle(page);
    expect(await xTicks(page)).not.toEqual(zoomed);
    expect(await userPositions(page)).toEqual(users);
    await page.click('#fit');
    await settle(page);
    expect(await xTicks(page)).toEqual(before);
  });

  it('shows tooltips with SINR and power, and keeps labels apart', async () => {
    await page.hover('[data-node="user:0"] .user-body');
    await page.waitForSelector('#map-tooltip:not([hidden])');
    const tip = await text(page, '#map-tooltip');
    expect(tip).toContain('User U1');
    expect(tip).toMatch(/SINR -?\d+\.\d\d dB/);
    expect(tip).toMatch(/served by BS\d with \d/);
    await page.hover(`[data-node="bs:${design.receiver}"] .bs-body`);
    await page.waitForFunction(() => document.querySelector('#map-tooltip')?.textContent?.includes('receives echoes'));
    expect(await labelOverlap(page)).toBe(0);
  });

  it('zooms with a two-finger pinch on a touch screen around the fingers, moving no node', async () => {
    const ctx = await browser!.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
    const p = await ctx.newPage();
    const errs = watchErrors(p);
    await p.goto(served!.url);
    await p.waitForSelector('body[data-ready="true"]');
    const positions = await userPositions(p);
    const ticks = await xTicks(p);
    const centres = () =>
      p.$$eval('[data-node^="bs:"] .bs-body', (rs) =>
        rs.map((r) => {
          const b = r.getBoundingClientRect();
          return [b.x + b.width / 2, b.y + b.height / 2] as [number, number];
        }),
      );
    const before = await centres();
    const map = (await p.locator('#map').boundingBox())!;
    // The fingers' midpoint: off-centre, so a zoom about the wrong point would show.
    const mid = { x: map.x + map.width * 0.4, y: map.y + map.height * 0.55 };
    const fingers = (half: number) => [
      { x: mid.x - half, y: mid.y, id: 0 },
      { x: mid.x + half, y: mid.y, id: 1 },
    ];
    // Real touch input through the browser's input pipeline (the page sees touch pointer events).
    const cdp = await ctx.newCDPSession(p);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: fingers(30) });
    for (let half = 40; half <= 90; half += 10) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: fingers(half) });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await p.waitForFunction((t) => {
      const xs = Array.from(document.querySelectorAll('[data-tick-x]'), (e) => Number(e.getAttribute('data-tick-x')));
      return xs.length > 1 && xs[1]! - xs[0]! < t;
    }, ticks[1]! - ticks[0]!);
    await settle(p);
    const after = await centres();
    // Fingers 60 -> 180 px apart: every BS moves away from the midpoint by the same factor 3.
    for (let s = 0; s < before.length; s++) {
      const [b, a] = [before[s]!, after[s]!];
      const f = Math.hypot(a[0] - mid.x, a[1] - mid.y) / Math.hypot(b[0] - mid.x, b[1] - mid.y);
      expect(f).toBeGreaterThan(2.85);
      expect(f).toBeLessThan(3.15);
      // ...along the same ray from the midpoint.
      const cos =
        ((a[0] - mid.x) * (b[0] - mid.x) + (a[1] - mid.y) * (b[1] - mid.y)) / (Math.hypot(a[0] - mid.x, a[1] - mid.y) * Math.hypot(b[0] - mid.x, b[1] - mid.y));
      expect(cos).toBeGreaterThan(0.999);
    }
    expect(await userPositions(p)).toEqual(positions);
    await p.screenshot({ path: join(ARTIFACTS, 'web-pinch-390x844.png') });
    expect(errs).toEqual([]);
    await ctx.close();
  });

  it('stays readable under deuteranopia: the drawn BS colours stay apart, and numbers and shapes carry the same facts', async () => {
    const fills = await page.$$eval('[data-node^="bs:"] .bs-body', (rs) => rs.map((r) => getComputedStyle(r).fill));
    expect(fills).toHaveLength(FIG2.baseStations.length);
    for (const M of [DEUTERANOPIA, PROTANOPIA]) expect(closestPair(M, fills).delta).toBeGreaterThanOrEqual(15);
    // Second cues: each BS carries its number, each user its serving BS's number; BSs are
    // squares, users circles, the target a diamond.
    const bsGlyphs = await page.$$eval('[data-node^="bs:"]', (gs) =>
      gs.map((g) => [g.querySelector('rect.bs-body') !== null, g.querySelector('.glyph')?.textContent]),
    );
    expect(bsGlyphs).toEqual(FIG2.baseStations.map((_: unknown, s: number) => [true, String(s + 1)]));
    const userGlyphs = await page.$$eval('[data-node^="user:"]', (gs) =>
      gs.map((g) => [g.querySelector('circle.user-body') !== null, g.querySelector('.glyph')?.textContent]),
    );
    expect(userGlyphs).toEqual(design.association!.map((s) => [true, String(s + 1)]));
    expect(await page.locator('[data-node^="target:"] polygon.target-body').count()).toBe(1);
    // What a deuteranope sees, for the record: the same matrix as an SVG filter on the page.
    await page.evaluate(
      (m) => {
        const ns = 'http://www.w3.org/2000/svg';
        const f = document.createElementNS(ns, 'svg');
        f.setAttribute('id', 'cvd-filter');
        f.setAttribute('width', '0');
        f.setAttribute('height', '0');
        f.innerHTML = `<filter id="deuteranopia"><feColorMatrix type="matrix" values="${m.map((r) => `${r.join(' ')} 0 0`).join(' ')} 0 0 0 1 0"/></filter>`;
        document.body.append(f);
        document.documentElement.style.filter = 'url(#deuteranopia)';
      },
      DEUTERANOPIA.map((r) => [...r]),
    );
    await page.screenshot({ path: join(ARTIFACTS, 'web-deuteranopia.png') });
    await page.evaluate(() => {
      document.documentElement.style.filter = '';
      document.getElementById('cvd-filter')?.remove();
    });
  });

  it('undoes a whole drag in one step and redoes it', async () => {
    const before = await userPositions(page);
    const box = (await page.locator('[data-node="user:1"] .user-body').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x - 60, box.y + 40, { steps: 8 });
    await page.mouse.up();
    await settle(page);
    const moved = await userPositions(page);
    expect(moved[1]).not.toBe(before[1]);
    await page.click('#undo');
    await settle(page);
    expect(await userPositions(page)).toEqual(before);
    await page.keyboard.press('Control+Shift+Z');
    await settle(page);
    expect(await userPositions(page)).toEqual(moved);
  });

  it('keeps the work across a reload and shares the scenario as a link', async () => {
    const positions = await userPositions(page);
    await page.waitForTimeout(500); // the save is debounced by 0.3 s
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForFunction((n) => document.querySelectorAll('[data-node^="user:"]').length === n, positions.length);
    expect(await userPositions(page)).toEqual(positions);
    // The design came back too (stale: the scenario was edited after it was made).
    await page.waitForSelector('#total-power');
    expect(await text(page, '#status')).toMatch(/^stale/);

    await page.click('#share');
    await page.waitForFunction(() => (document.querySelector('#share-url') as HTMLInputElement | null)?.value.includes('#s='));
    const url = await page.inputValue('#share-url');
    expect(url.length).toBeLessThan(8200);
    const other = await browser!.newContext({ viewport: { width: 1024, height: 768 } });
    const p2 = await other.newPage();
    const errs = watchErrors(p2);
    await p2.goto(url);
    await p2.waitForSelector('body[data-ready="true"]');
    expect(await userPositions(p2)).toEqual(positions);
    expect(await p2.inputValue('#p-antennas')).toBe(String(FIG2.antennas));
    expect(errs).toEqual([]);
    await other.close();
    // Back to the file's scenario and design for the tests below.
    await importScenarioText(page, FIG2_TEXT, 'fig2.json');
    await importDesign(page, design);
  });

  it('works from the keyboard: tab into the map and to a node, arrows move it, Backspace on a button deletes nothing', async () => {
    await page.focus('#fit');
    await page.keyboard.press('Tab');
    // Past the layer selects to the map.
    for (let i = 0; i < 6 && (await page.evaluate(() => document.activeElement?.id)) !== 'map'; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('map');
    await page.keyboard.press('Tab');
    await page.waitForFunction(() => document.querySelector('#sel-h')?.textContent === 'Selected: Base station BS1');
    const ring = await page.evaluate(() => getComputedStyle(document.activeElement!.querySelector('.focus-ring')!).stroke);
    expect(ring).not.toBe('none');
    const x0 = Number(await page.inputValue('#s-x'));
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((x) => Number((document.querySelector('#s-x') as HTMLInputElement).value) === x + 1, x0);
    await page.keyboard.press(']');
    await page.waitForFunction(() => document.querySelector('#sel-h')?.textContent === 'Selected: Base station BS2');
    const bss = await page.locator('[data-node^="bs:"]').count();
    await page.focus('#fit');
    await page.keyboard.press('Backspace');
    await settle(page);
    expect(await page.locator('[data-node^="bs:"]').count()).toBe(bss);
    // Delete on a focused user removes it; Ctrl+Z brings it back.
    await page.focus('[data-node="user:4"]');
    await page.keyboard.press('Delete');
    await page.waitForFunction(() => document.querySelectorAll('[data-node^="user:"]').length === 4);
    await page.keyboard.press('Control+z');
    await page.waitForFunction(() => document.querySelectorAll('[data-node^="user:"]').length === 5);
    // One short live region, not the whole panel.
    expect(await page.getAttribute('#summary-line', 'aria-live')).toBe('polite');
    expect((await text(page, '#summary-line')).length).toBeLessThan(160);
    expect(await page.locator('.results[aria-live]').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'web-keyboard.png') });
  });

  it('draws sensing and communication beams apart, on both sides of the array, with their scales', async () => {
    await importScenarioText(page, FIG2_TEXT, 'fig2.json');
    await importDesign(page, design);
    expect(await text(page, '#beam-scale-note')).toMatch(/communication, filled.*(sensing, dashed|no BS spends a significant power on a sensing beam)/);
    // A lobe polygon has points on both sides of its BS's array axis (the mirror image).
    const sides = await page.$$eval('[data-lobe], [data-sensing-lobe]', (polys) =>
      polys.map((poly) => {
        const s = Number(poly.getAttribute('data-lobe') ?? poly.getAttribute('data-sensing-lobe'));
        const bs = document.querySelector(`[data-node="bs:${s}"] .array-axis`)!;
        const [x1, y1, x2, y2] = ['x1', 'y1', 'x2', 'y2'].map((a) => Number(bs.getAttribute(a)));
        const pts = (poly.getAttribute('points') ?? '').split(' ').map((p) => p.split(',').map(Number));
        const side = pts.map(([x, y]) => Math.sign((x2! - x1!) * (y! - y1!) - (y2! - y1!) * (x! - x1!)));
        return side.includes(1) && side.includes(-1);
      }),
    );
    expect(sides.length).toBeGreaterThan(0);
    expect(sides.every(Boolean)).toBe(true);
  });

  it("without users the sensing beams R_s do the work: each drawn lobe is the library's a(θ)ᴴR_s a(θ), strong towards the target", async () => {
    const alone = { ...FIG2, users: [] };
    delete alone.channels;
    delete alone.radarGains;
    await importScenarioText(page, JSON.stringify(alone), 'no-users.json');
    await solveInPage(page);
    expect(await page.locator('[data-lobe]').count()).toBe(0);
    // The page's lobes: each vertex as a direction (world coordinates, y up) and a length.
    const drawn = await page.$$eval('[data-sensing-lobe]', (polys) =>
      polys.map((poly) => {
        const s = Number(poly.getAttribute('data-sensing-lobe'));
        const axis = document.querySelector(`[data-node="bs:${s}"] .array-axis`)!;
        const [x1, y1, x2, y2] = ['x1', 'y1', 'x2', 'y2'].map((a) => Number(axis.getAttribute(a)));
        const c = [(x1! + x2!) / 2, (y1! + y2!) / 2];
        const pts = (poly.getAttribute('points') ?? '').split(' ').map((p) => p.split(',').map(Number));
        return { s, vertices: pts.map(([x, y]) => ({ dir: [x! - c[0]!, c[1]! - y!], r: Math.hypot(x! - c[0]!, y! - c[1]!) })) };
      }),
    );
    expect(drawn.length).toBeGreaterThan(0);
    // The library's view of the exported design, with its own steering vector.
    const scn = parseScenario(alone);
    const d = parseDesign(await download(page, '#export-design'), scn);
    const power = (s: number, v: number[]) => {
      const u = scn.baseStations[s]!.arrayAxis;
      const n = Math.hypot(v[0]!, v[1]!);
      return quadForm(steering(scn.N, (u[0] * v[0]! + u[1] * v[1]!) / n), d.sensingCovariances[s]!)[0];
    };
    for (const { s, vertices } of drawn) {
      // The drawing samples 360 directions, one degree apart, starting along the array axis:
      // take each vertex's exact direction from its index (the drawn coordinates are rounded).
      expect(vertices.length).toBe(360);
      const u = scn.baseStations[s]!.arrayAxis;
      const a0 = Math.atan2(u[1], u[0]);
      const lib = vertices.map((_, i) => power(s, [Math.cos(a0 + (i * Math.PI) / 180), Math.sin(a0 + (i * Math.PI) / 180)]));
      const rMax = Math.max(...vertices.map((v) => v.r));
      const pMax = Math.max(...lib);
      // Shape: the drawn radius (linear scale) follows the library's pattern vertex by vertex,
      // and each vertex lies in its direction (where it is long enough to have one).
      const worst = Math.max(...vertices.map((v, i) => Math.abs(v.r / rMax - lib[i]! / pMax)));
      expect(worst).toBeLessThan(0.005);
      vertices.forEach((v, i) => {
        if (v.r < 0.1 * rMax) return;
        const phi = a0 + (i * Math.PI) / 180;
        expect((v.dir[0]! * Math.cos(phi) + v.dir[1]! * Math.sin(phi)) / v.r).toBeGreaterThan(Math.cos((2 * Math.PI) / 180));
      });
      // The sensing beam works near the target: within ±20° of it the pattern comes within 3 dB
      // of its peak. (Not always on it: the CRLB-optimal R_s may be a difference beam, with a
      // null on the target and two lobes beside it, which carries the angle information.)
      const bs = scn.baseStations[s]!.position;
      const [tx, ty] = scn.targets[0]!.position;
      const t0 = Math.atan2(ty - bs[1], tx - bs[0]);
      let near = 0;
      for (let deg = -20; deg <= 20; deg += 0.5) near = Math.max(near, power(s, [Math.cos(t0 + (deg * Math.PI) / 180), Math.sin(t0 + (deg * Math.PI) / 180)]));
      expect(near).toBeGreaterThan(0.5 * pMax);
    }
    expect(await text(page, '#beam-scale-note')).toMatch(/sensing, dashed/);
    await page.screenshot({ path: join(ARTIFACTS, 'web-sensing-only.png') });
    await importScenarioText(page, FIG2_TEXT, 'fig2.json');
    await importDesign(page, design);
  }, 120_000);

  it('paints the CRLB coverage map with a colour scale', async () => {
    await page.selectOption('#heatmap', 'crlb');
    await page.waitForSelector('image[data-heat]', { timeout: 60_000 });
    await page.waitForSelector('#heat-legend .colorbar .tick');
    expect(await text(page, '#heat-legend')).toContain('CRLB (m²)');
    await page.screenshot({ path: join(ARTIFACTS, 'web-coverage.png') });
    await page.selectOption('#heatmap', 'off');
    await settle(page);
    expect(await page.locator('image[data-heat]').count()).toBe(0);
  }, 90_000);

  it("shows each user's SINR against its target, coloured by the margin, as the library evaluates it", async () => {
    await importScenarioText(page, FIG2_TEXT, 'fig2.json');
    await importDesign(page, design);
    expect(await page.locator('[data-sinr-ring]').count()).toBe(0);
    await page.check('#sinr-layer');
    await page.waitForFunction((n) => document.querySelectorAll('[data-sinr-ring]').length === n, FIG2.users.length);
    // U2's own target raised to 30 dB: the stale design now falls short there.
    await page.click('[data-node="user:1"] .user-body');
    await page.fill('#s-sinr', '30');
    await page.press('#s-sinr', 'Enter');
    await page.waitForFunction(() => document.querySelector('[data-label="sinr:1"]')?.textContent?.endsWith('/ 30 dB'));
    const scn = parseScenario({ ...FIG2, users: FIG2.users.map((u: { minSinrDb: number }, k: number) => (k === 1 ? { ...u, minSinrDb: 30 } : u)) });
    const ev = evaluateDesign(scn, parseDesign(design, scn));
    const classes = new Set<string>();
    for (let k = 0; k < FIG2.users.length; k++) {
      const label = await text(page, `[data-label="sinr:${k}"]`);
      const m = /^(-?[\d.]+) \/ (-?[\d.]+) dB$/.exec(label);
      expect(m, label).not.toBeNull();
      expect(Math.abs(Number(m![1]) - ev.sinrDb[k]!)).toBeLessThanOrEqual(0.051);
      expect(Number(m![2])).toBe(scn.users[k]!.minSinrDb);
      const margin = ev.sinrMarginDb[k]!;
      const expected = margin < -1e-4 ? 'sinr-short' : margin >= 1 ? 'sinr-ok' : 'sinr-tight';
      const ring = (await page.getAttribute(`[data-sinr-ring="${k}"]`, 'class')) ?? '';
      expect(ring.split(' ')).toContain(expected);
      classes.add(expected);
    }
    expect(classes.has('sinr-short')).toBe(true);
    // The short ring has a second cue besides its colour: dashes.
    expect(await page.$eval('[data-sinr-ring="1"]', (c) => getComputedStyle(c).strokeDasharray)).not.toBe('none');
    expect(await text(page, '#sinr-legend')).toContain('achieved / target');
    // Its labels join the others without overlapping them.
    expect(await labelOverlap(page)).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'web-sinr-layer.png') });
    await page.uncheck('#sinr-layer');
    await page.waitForFunction(() => document.querySelectorAll('[data-sinr-ring], [data-label^="sinr:"]').length === 0);
    await page.keyboard.press('Escape');
  });

  it('pins results for comparison and solves fixed with a receiver and association chosen in the panel', async () => {
    await importScenarioText(page, FIG2_TEXT, 'fig2.json');
    await importDesign(page, design);
    await page.click('#pin');
    await page.selectOption('#method', 'fixed');
    await page.click('#fixed-from-result');
    await page.waitForFunction((r) => (document.querySelector('#fixed-receiver') as HTMLSelectElement).value === String(r), design.receiver);
    // Serve U1 from another BS than the library's proposed design does.
    const options = await page.$$eval('#fixed-user-0 option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    const other = options.find((v) => Number(v) !== design.association![0])!;
    await page.selectOption('#fixed-user-0', other);
    await solveInPage(page);
    const expected = solveScenarioSync(parseScenario(FIG2), {
      method: 'fixed',
      receiver: design.receiver!,
      association: design.association!.map((a, k) => (k === 0 ? Number(other) : a)),
    });
    expect(await text(page, '#result-method')).toBe('fixed');
    expect(await text(page, '#status')).toBe(expected.status === 'optimal' ? 'optimal' : expected.status);
    await page.click('#pin');
    // The table exists since the first pin: wait until the second pin's column is drawn.
    await page.waitForFunction(() => document.querySelectorAll('#compare-table thead th').length >= 3);
    const heads = await page.$$eval('#compare-table thead th', (ths) => ths.map((t) => t.textContent));
    expect(heads.slice(1)).toEqual(['#1 proposed', '#2 fixed']);
    const assoc = await page.$$eval('#compare-table tbody tr:nth-child(3) td', (tds) => tds.map((t) => t.textContent));
    expect(assoc[0]).toBe(design.association!.map((a) => a + 1).join(' '));
    expect(assoc[1]!.split(' ')[0]).toBe(String(Number(other) + 1));
    await page.screenshot({ path: join(ARTIFACTS, 'web-compare.png') });
    await page.selectOption('#method', 'proposed');
  }, 120_000);

  it('chooses fixed on the map: a BS becomes the receiver, a user then a BS an assignment (also by keyboard), then solves it', async () => {
    await importScenarioText(page, FIG2_TEXT, 'fig2.json');
    await importDesign(page, design);
    const positions = await userPositions(page);
    await page.click('[data-mode="fixed"]');
    await page.waitForSelector('#map[data-mode="fixed"]');
    expect(await page.inputValue('#method')).toBe('fixed');
    expect(await text(page, '#map-hint')).toContain('Click a BS to make it the receiver');
    expect(await text(page, '#mode-banner')).toContain('Choosing fixed');
    const S = FIG2.baseStations.length as number;
    const rx = (design.receiver! + 1) % S;
    await page.click(`[data-node="bs:${rx}"] .bs-body`);
    await page.waitForFunction((r) => (document.querySelector('#fixed-receiver') as HTMLSelectElement).value === String(r), rx);
    await page.waitForSelector(`[data-fixed-rx="${rx}"]`);
    // U1: a user, then a BS that neither receives nor serves it now.
    const now0 = Number(await page.inputValue('#fixed-user-0'));
    const serve0 = [...Array(S).keys()].find((s) => s !== rx && s !== now0)!;
    await page.click('[data-node="user:0"] .user-body');
    await page.waitForSelector('[data-fixed-pending="0"]');
    expect(await text(page, '#map-hint')).toMatch(/^U1 picked/);
    await page.click(`[data-node="bs:${serve0}"] .bs-body`);
    await page.waitForFunction((v) => (document.querySelector('#fixed-user-0') as HTMLSelectElement).value === String(v), serve0);
    expect(await page.locator(`[data-fixed-assoc="${serve0}-0"]`).count()).toBe(1);
    // The receiver cannot serve a user: refused with the reason.
    await page.click('[data-node="user:1"] .user-body');
    await page.click(`[data-node="bs:${rx}"] .bs-body`);
    await page.waitForFunction(() => document.querySelector('#edit-error')?.textContent?.includes('receives the echoes'));
    // Keyboard: Enter on a focused user, then on a focused BS.
    const now2 = Number(await page.inputValue('#fixed-user-2'));
    const serve2 = [...Array(S).keys()].find((s) => s !== rx && s !== now2)!;
    await page.focus('[data-node="user:2"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-fixed-pending="2"]');
    await page.focus(`[data-node="bs:${serve2}"]`);
    await page.keyboard.press('Enter');
    await page.waitForFunction((v) => (document.querySelector('#fixed-user-2') as HTMLSelectElement).value === String(v), serve2);
    // Clicks chose, nothing moved; Escape leaves the mode and its drawing.
    expect(await userPositions(page)).toEqual(positions);
    await page.screenshot({ path: join(ARTIFACTS, 'web-fixed-on-map.png') });
    await page.keyboard.press('Escape');
    await page.waitForSelector('#map[data-mode="move"]');
    expect(await page.locator('[data-fixed-rx]').count()).toBe(0);
    expect(await page.isVisible('#mode-banner')).toBe(false);
    // The key A enters the mode too, and the banner's Done leaves it.
    await page.focus('#map');
    await page.keyboard.press('a');
    await page.waitForSelector('#map[data-mode="fixed"]');
    await page.click('#fixed-done');
    await page.waitForSelector('#map[data-mode="move"]');
    const association = await page.$$eval('#fixed-choice select[data-user]', (ss) => ss.map((x) => Number((x as HTMLSelectElement).value)));
    expect(association[0]).toBe(serve0);
    expect(association[2]).toBe(serve2);
    await solveInPage(page);
    const got = (await download(page, '#export-design')) as DesignJson;
    const expected = solveScenarioSync(parseScenario(FIG2), { method: 'fixed', receiver: rx, association });
    expect(got.receiver).toBe(rx);
    expect(got.association).toEqual(association);
    expect(got.status).toBe(expected.status);
    if (expected.totalPower !== undefined) expect(Math.abs(got.totalPower! - expected.totalPower) / expected.totalPower).toBeLessThan(1e-3);
    await page.selectOption('#method', 'proposed');
  }, 120_000);

  it('exact shows nodes, bound and gap while it runs', async () => {
    await page.selectOption('#method', 'exact');
    await page.click('#solve');
    // The root relaxations come first (one per receiver), then the search reports its nodes.
    await page.waitForFunction(() => / nodes · bound /.test(document.querySelector('#progress-text')?.textContent ?? ''), undefined, { timeout: 150_000 });
    expect(await text(page, '#progress-text')).toMatch(/^exact: .* · \d+ nodes · bound (no bound yet|[\d.]+ [mµn]?W) · best (none yet|[\d.]+ [mµn]?W) · gap/);
    // Cancel if it is still searching (it may just have finished).
    await page.click('#cancel', { timeout: 2000 }).catch(() => undefined);
    await page.waitForSelector('body[data-solving="false"]', { timeout: 150_000 });
    await page.selectOption('#method', 'proposed');
  }, 200_000);

  it('explains an infeasible scenario: which requirement to relax, checked by the library', async () => {
    // Two users and a CRLB bound too tight for the paper's budget.
    const tight = { ...FIG2, users: FIG2.users.slice(0, 2), crlbMax: 1e-3 };
    delete tight.channels;
    delete tight.radarGains;
    await importScenarioText(page, JSON.stringify(tight), 'tight.json');
    await solveInPage(page);
    expect(await text(page, '#status')).toBe('infeasible');
    await page.waitForSelector('#relaxations', { timeout: 120_000 });
    const eps = await page.textContent('#relaxations li[data-requirement="crlbMax"]');
    const m = /ε ≥ ([\d.]+) m² would be feasible/.exec(eps ?? '');
    expect(m, eps ?? '').not.toBeNull();
    // The library agrees: with that bound, proposed finds a design.
    const check = solveScenarioSync(parseScenario({ ...tight, crlbMax: Number(m![1]) * 1.001 }), { method: 'proposed' });
    expect(['feasible', 'optimal']).toContain(check.status);
    expect(await text(page, '#binding')).toMatch(/Binding: .*the CRLB bound ε/);
    // The solver's certificates name the conflict (checked against the library in web-logic) and
    // the headline carries the probes' threshold for the requirement they name.
    const cert = await text(page, '#certificate-summary');
    expect(cert).toMatch(/^The solver's certificate proves that no design exists, with any receiver: the CRLB bound ε and the budgets of BS\d.* conflict/);
    expect(cert).toContain(`ε ≥ ${m![1]} m² would be feasible`);
    expect(await page.locator('#certificates li').count()).toBe(FIG2.baseStations.length);
    expect(await page.$$eval('#certificates li', (lis) => lis.every((li) => /^BS\d receiving: the CRLB bound ε \d+ %/.test(li.textContent ?? '')))).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'web-infeasible.png') });
  }, 180_000);

  it("explains an infeasible fixed choice with that choice's certificate", async () => {
    // 32 dBm: the choice below is infeasible, and proposed (the probes' method, a heuristic
    // whose path follows the solver's points) finds a design of the scenario; at 30 dBm it
    // now finds none, although exact proves one exists.
    const scn = { ...FIG2, maxPowerDbm: 32 };
    delete scn.channels;
    delete scn.radarGains;
    await importScenarioText(page, JSON.stringify(scn), 'fig2-32dBm.json');
    await page.selectOption('#method', 'fixed');
    // A new receiver changes every user's options, so the selects are redrawn on the next frame;
    // the users' selects are then set back to back, without waiting: none may be lost.
    await page.selectOption('#fixed-receiver', '3');
    await settle(page);
    expect(await page.inputValue('#fixed-receiver')).toBe('3');
    for (let k = 0; k < FIG2.users.length; k++) await page.selectOption(`#fixed-user-${k}`, '1');
    await settle(page);
    for (let k = 0; k < FIG2.users.length; k++) expect(await page.inputValue(`#fixed-user-${k}`)).toBe('1');
    await solveInPage(page);
    expect(await text(page, '#status')).toBe('infeasible');
    await page.waitForSelector('#certificate-summary', { timeout: 120_000 }).catch(async (err) => {
      const state = await page.evaluate(() => ({
        diagnosis: document.querySelector('#diagnosis')?.outerHTML.slice(0, 400),
        status: document.querySelector('#status')?.textContent,
        message: document.querySelector('#design-message')?.textContent,
        solving: document.body.dataset.solving,
      }));
      throw new Error(`${String(err)}\n${JSON.stringify(state)}`);
    });
    expect(await text(page, '#certificate-summary')).toMatch(
      /^The solver's certificate proves that no beamforming meets every requirement with BS4 receiving and this association \(U1→BS2, U2→BS2, U3→BS2, U4→BS2, U5→BS2\): .*BS2/,
    );
    expect(await page.locator('#certificates li').count()).toBe(1);
    // The probes then find that proposed, free to choose, has a design (the library agrees); the certificate stays.
    expect(['feasible', 'optimal']).toContain(solveScenarioSync(parseScenario(scn), { method: 'proposed' }).status);
    await page.waitForSelector('#feasible-now', { timeout: 120_000 });
    expect(await text(page, '#feasible-now')).toMatch(/^The scenario itself is feasible: proposed/);
    expect(await page.isVisible('#certificate-summary')).toBe(true);
    await page.selectOption('#method', 'proposed');
  }, 240_000);

  it('places several targets: one ellipse and one CRLB each, as the library evaluates them', async () => {
    await importScenarioText(page, FIG2_TEXT, 'fig2.json');
    await importDesign(page, design);
    await page.keyboard.press('Escape');
    await page.focus('#map');
    await page.keyboard.press('t');
    const map = (await page.locator('#map').boundingBox())!;
    // A second target in the lower left quadrant, away from every node.
    await page.mouse.click(map.x + map.width * 0.35, map.y + map.height * 0.62);
    await page.waitForFunction(() => document.querySelectorAll('[data-node^="target:"]').length === 2);
    expect(await text(page, '#sel-h')).toBe('Selected: Target T2');
    await page.fill('#s-target-eps', '2');
    await page.press('#s-target-eps', 'Enter');
    await page.keyboard.press('Escape');
    // The shown design, evaluated on the two-target scenario: one ellipse and one CRLB row each.
    await page.waitForSelector('#crlb-2');
    expect(await page.locator('.crlb-ellipse').count()).toBe(2);
    const scnJson = (await download(page, '#export-scenario')) as { targets: { crlbMax?: number }[] };
    expect(scnJson.targets).toHaveLength(2);
    expect(scnJson.targets[1]!.crlbMax).toBe(2);
    const scn = parseScenario(scnJson);
    const ev = evaluateDesign(scn, parseDesign(design, scn));
    expect(ev.targets).toHaveLength(2);
    for (const [t, id] of [
      [0, '#crlb'],
      [1, '#crlb-2'],
    ] as const) {
      const shown = Number(/^([\d.]+) m²/.exec(await text(page, id))![1]);
      expect(Math.abs(shown - ev.targets[t]!.crlb!) / ev.targets[t]!.crlb!).toBeLessThan(1e-3);
      expect(await text(page, id)).toContain(`ε = ${t === 0 ? FIG2.crlbMax : 2} m²`);
    }
    // Solving: whatever the library does with two targets, the page does the same.
    let libraryAnswer: string;
    try {
      libraryAnswer = solveScenarioSync(scn, { method: 'proposed' }).status;
    } catch (err) {
      libraryAnswer = `error: ${(err as Error).message}`;
    }
    // (waiting for data-solving="false" alone can pass before the solve has started)
    await solveInPage(page);
    await page
      .waitForFunction(() => !/stale/.test(document.querySelector('#status')?.textContent ?? ''), undefined, { timeout: 30_000 })
      .catch(() => undefined);
    if (libraryAnswer.startsWith('error: ')) expect(await text(page, '#solve-error')).toContain(libraryAnswer.slice(7));
    else expect(await text(page, '#status')).toMatch(libraryAnswer === 'infeasible' ? /infeasible/ : /feasible|optimal/);
    await page.screenshot({ path: join(ARTIFACTS, 'web-two-targets.png') });
    // Drag the second target; Delete removes it; the last target cannot be removed.
    const box = (await page.locator('[data-node="target:1"] .target-body').boundingBox())!;
    const before = await page.getAttribute('[data-node="target:1"]', 'aria-label');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 40, box.y + 30, { steps: 5 });
    await page.mouse.up();
    await settle(page);
    expect(await page.getAttribute('[data-node="target:1"]', 'aria-label')).not.toBe(before);
    await page.keyboard.press('Delete');
    await page.waitForFunction(() => document.querySelectorAll('[data-node^="target:"]').length === 1);
    await page.focus('[data-node="target:0"]');
    await page.keyboard.press('Delete');
    await page.waitForFunction(() => document.querySelector('#edit-error')?.textContent?.includes('At least one target'));
    expect(await page.locator('[data-node^="target:"]').count()).toBe(1);
  }, 180_000);

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
