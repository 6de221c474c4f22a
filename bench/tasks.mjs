// The page's long main-thread tasks (over 50 ms, the browser's own
// `longtask` entries) in what a visitor does after the data is in, through
// the real app in headless Chromium: typing queries on the Overview,
// focusing the search box, opening Search (and the results order built
// when the page is idle after it), and changing the sort. Prints, per
// step, the median over RUNS fresh browsers of the longest task (0 when
// none was over 50 ms). SPACES_DIST=<dist> measures another build.
//   node bench/tasks.mjs bench/out/spaces-1000000.parquet [RUNS]
import path from 'node:path';
import { startServer } from '../tests/e2e/server.mjs';
import { median } from './stats.mjs';
import { launch, waitForLoad, DIST } from '../tests/e2e/browser.mjs';
import { settle } from './bare.mjs';

const file = path.resolve(process.argv[2] || 'bench/out/spaces-1000000.parquet');
const runs = Number(process.argv[3] || 3);
const server = await startServer({ root: DIST, fixtures: path.dirname(file) });
const samples = {};

/** Runs `act`, waits `settle` ms, and records the longest task it caused. */
async function step(page, name, act, settle = 1500) {
  await page.evaluate(() => { window.__longTasks.length = 0; });
  await act();
  await page.waitForTimeout(settle);
  const longest = await page.evaluate(() => Math.max(0, ...window.__longTasks.map((t) => t.duration)));
  (samples[name] ||= []).push(longest);
}

try {
  for (let i = 0; i < runs; i++) {
    const browser = await launch();
    await settle();
    try {
      const { page } = browser;
      await browser.context.addInitScript(() => {
        window.__longTasks = [];
        new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries())).observe({ type: 'longtask', buffered: true });
      });
      await page.goto(`${server.url}/?data=fixtures/${path.basename(file)}`);
      if ((await waitForLoad(page, 300_000)) !== 'ready') throw new Error('load failed');
      // What the page builds when idle after the load is left to finish.
      await page.waitForTimeout(5000);
      await step(page, 'Overview: focus the search box', () => page.click('input[type=search]'), 1000);
      for (const q of ['gradio', 'stable', 'chat', '']) {
        await step(page, `Overview: query "${q}"`, () => page.fill('input[type=search]', q));
      }
      await step(page, 'open Search (and the idle sort after it)', () => page.click('[role=tab]:has-text("Search")'), 4000);
      await step(page, 'Search: sort by newest', () => page.selectOption('.results-sort select', '-created'), 2000);
      await step(page, 'Search: facet sdk=docker', () => page.click('[data-testid=facet-sdk] [data-value="docker"]'));
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.close();
}
console.log(`file ${path.basename(file)}, ${runs} runs, headless Chromium, longest main-thread task (ms, 0 = none over 50)`);
for (const [name, xs] of Object.entries(samples)) {
  console.log(`${name.padEnd(44)} median ${median(xs).toFixed(0).padStart(5)}   (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`);
}
