/** Page actions shared by the browser tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO } from './harness.ts';

export const FIG2_TEXT = readFileSync(join(REPO, 'examples/fig2.json'), 'utf8');
export const SOLVE_TIMEOUT = 120_000;

export const text = async (page: Page, sel: string): Promise<string> => (await page.textContent(sel))?.trim() ?? '';

/** Imports a scenario file through the button and waits until the map shows its users. */
export async function importScenarioText(page: Page, json: string, name = 'scenario.json'): Promise<void> {
  const users = (JSON.parse(json) as { users: unknown[] }).users.length;
  const before = await page.evaluate(() => document.body.dataset.version);
  await page.setInputFiles('#import-scenario', { name, mimeType: 'application/json', buffer: Buffer.from(json) });
  // The file is checked in a worker: wait until the scenario was replaced and drawn.
  await page.waitForFunction(
    ([v, n]) =>
      document.body.dataset.version !== v &&
      document.querySelector('#import-status')?.textContent === '' &&
      document.querySelectorAll('[data-node^="user:"]').length === n,
    [before, users] as const,
  );
}

/** Imports a design file (contract JSON) and waits for its evaluation. */
export async function importDesign(page: Page, design: unknown, name = 'design.json'): Promise<void> {
  await page.setInputFiles('#import-design', { name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(design)) });
  await page.waitForSelector('#total-power');
}

export async function solveInPage(page: Page): Promise<void> {
  await page.click('#solve');
  await page.waitForSelector('body[data-solving="true"]', { timeout: 10_000 }).catch(() => undefined);
  await page.waitForSelector('body[data-solving="false"] #status', { timeout: SOLVE_TIMEOUT });
}

/** Waits for the next two animation frames (the store renders once per frame). */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
}

/** Clicks a button that downloads a JSON file and returns the parsed file. */
export async function download(page: Page, button: string): Promise<unknown> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  return JSON.parse(readFileSync(await dl.path(), 'utf8'));
}

/** Total area (px²) where the map's text labels overlap each other, pairwise. */
export async function labelOverlap(page: Page): Promise<number> {
  return page.$$eval('.labels text', (els) => {
    const boxes = els.map((e) => (e as SVGGraphicsElement).getBBox());
    let total = 0;
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        total +=
          Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
      }
    return total;
  });
}
