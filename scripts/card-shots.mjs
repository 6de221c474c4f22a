// Screenshots of every Overview chart card, one PNG each:
//   node scripts/card-shots.mjs QUERY PREFIX [WIDTH] [DARK=0|1]
// e.g. node scripts/card-shots.mjs "?data=sample" /tmp/card 390 1  ->  /tmp/card-chart-sdk.png, …
// Prints each card's position (id, x, y, width) to check the grid.
import { startServer } from '../tests/e2e/server.mjs';
import { launch, waitForLoad, DIST, FIXTURES } from '../tests/e2e/browser.mjs';
const [query, prefix, width = '1280', dark = '0'] = process.argv.slice(2);
const server = await startServer({ root: DIST, fixtures: FIXTURES });
const browser = await launch({ width: Number(width), height: 900, colorScheme: dark === '1' ? 'dark' : 'light' });
try {
  await browser.page.goto(server.url + '/' + query);
  await waitForLoad(browser.page);
  await browser.page.waitForTimeout(800);
  const ids = await browser.page.$$eval('.overview > section', (s) => s.map((e) => e.id));
  for (const id of ids.filter((i) => i.startsWith('chart-'))) {
    await browser.page.locator('#' + id).scrollIntoViewIfNeeded();
    await browser.page.waitForTimeout(300);
    await browser.page.locator('#' + id).screenshot({ path: `${prefix}-${id}.png` });
  }
  const boxes = await browser.page.$$eval('.overview > section', (s) => s.map((e) => { const r = e.getBoundingClientRect(); return [e.id, Math.round(r.x), Math.round(r.y), Math.round(r.width)]; }));
  console.log(JSON.stringify(boxes));
} finally { await browser.close(); await server.close(); }
