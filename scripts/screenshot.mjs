// Takes a screenshot of the built app: node scripts/screenshot.mjs <query> <out.png> [width] [height]
import { startServer } from '../tests/e2e/server.mjs';
import { launch, waitForLoad, DIST, FIXTURES } from '../tests/e2e/browser.mjs';

const [query = '?data=sample', out = '/tmp/shot.png', width = '1280', height = '900'] = process.argv.slice(2);
const server = await startServer({ root: DIST, fixtures: FIXTURES });
const browser = await launch({ width: Number(width), height: Number(height), colorScheme: process.env.DARK === '1' ? 'dark' : 'light' });
try {
  await browser.page.goto(server.url + '/' + query);
  const state = await waitForLoad(browser.page);
  await browser.page.waitForTimeout(800);
  await browser.page.screenshot({ path: out, fullPage: process.env.FULL !== '0' });
  console.log(`state=${state} errors=${JSON.stringify(browser.errors)} -> ${out}`);
} finally {
  await browser.close();
  await server.close();
}
