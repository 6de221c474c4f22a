// The load's timeline in one fresh headless Chromium, then its revisit:
// when each of the app's timing marks starts and ends, from navigation.
//   node bench/timeline.mjs bench/out/spaces-1000000.parquet
import path from 'node:path';
import { startServer } from '../tests/e2e/server.mjs';
import { launch, waitForLoad, DIST } from '../tests/e2e/browser.mjs';
import { settle } from './bare.mjs';

const file = path.resolve(process.argv[2] || 'bench/out/spaces-1000000.parquet');
const server = await startServer({ root: DIST, fixtures: path.dirname(file) });
const browser = await launch();
await settle();
const show = async (what) => {
  if ((await waitForLoad(browser.page, 300_000)) !== 'ready') throw new Error('load failed');
  await browser.page.waitForFunction(() => performance.getEntriesByName('spaces:first-render').length > 0);
  const marks = await browser.page.evaluate(() =>
    performance.getEntriesByType('measure').map((m) => [m.name, m.startTime, m.startTime + m.duration]),
  );
  console.log(`== ${what}`);
  for (const [name, start, end] of marks.sort((a, b) => a[1] - b[1])) {
    if (name.startsWith('spaces:draw')) continue;
    console.log(`${name.padEnd(34)} ${start.toFixed(0).padStart(6)} → ${end.toFixed(0).padStart(6)} ms`);
  }
};
try {
  await browser.page.goto(`${server.url}/?data=fixtures/${path.basename(file)}`);
  await show('first visit');
  await browser.page.waitForTimeout(4000);
  await browser.page.reload();
  await show('revisit');
} finally {
  await browser.close();
  await server.close();
}
