/**
 * Regenerates docs/web-screenshot.png: the Fig. 2 preset solved with `proposed` in the built
 * app at 1440x900, with the CRLB coverage layer, the users' SINR layer and a user's tooltip.
 * Run: npx tsx test/e2e/screenshot.ts [output.png]
 */
import { join } from 'node:path';
import { REPO, buildApp, launch, removeDir, serveStatic, watchErrors } from './harness.ts';

const out = process.argv[2] ?? join(REPO, 'docs/web-screenshot.png');
const dir = await buildApp();
const served = await serveStatic(dir);
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(served.url);
  await page.waitForSelector('body[data-ready="true"]');
  await page.click('#preset-fig2');
  await page.click('#solve');
  await page.waitForSelector('body[data-solving="false"] #total-power', { timeout: 180_000 });
  await page.selectOption('#heatmap', 'crlb');
  await page.waitForSelector('image[data-heat]', { timeout: 60_000 });
  await page.check('#sinr-layer');
  await page.waitForSelector('[data-sinr-ring]');
  await page.hover('[data-node="user:2"] .user-body');
  await page.waitForSelector('#map-tooltip:not([hidden])');
  await page.screenshot({ path: out });
  if (errors.length > 0) throw new Error(`console errors:\n${errors.join('\n')}`);
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await served.close();
  removeDir(dir);
}
