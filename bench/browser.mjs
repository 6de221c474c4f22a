// In-browser benchmark of the real app: serves the release build and a
// generated file on 127.0.0.1 (with range support), loads `?data=<file>` in
// a fresh headless Chromium RUNS times, then reloads it once (the cached
// revisit, once the decoded table is saved), and prints medians of the app's timing marks, the longest
// main-thread task while loading, bytes fetched and the wasm memory.
//   node bench/browser.mjs bench/out/spaces-1000000.parquet [RUNS]
import path from 'node:path';
import fs from 'node:fs';
import { startServer } from '../tests/e2e/server.mjs';
import { median } from './stats.mjs';
import { launch, waitForLoad, DIST } from '../tests/e2e/browser.mjs';
import { settle } from './bare.mjs';

const file = path.resolve(process.argv[2] || 'bench/out/spaces-1000000.parquet');
const runs = Number(process.argv[3] || 5);
const server = await startServer({ root: DIST, fixtures: path.dirname(file) });
const samples = {};
const add = (name, value) => (samples[name] ||= []).push(value);
let rows;

/** Loads the page and returns what it measured about itself. */
async function measureLoad(page, load) {
  await load();
  const state = await waitForLoad(page, 300_000);
  if (state !== 'ready') throw new Error(`load ended in ${state}: ${await page.textContent('[data-testid=load-status]')}`);
  rows = await page.getAttribute('[data-testid=total-count]', 'data-value');
  await page.waitForFunction(() => performance.getEntriesByName('spaces:first-render').length > 0);
  // After load the page builds the Search indexes in idle tasks: give them
  // time, then report their longest task and the memory they add.
  await page.waitForTimeout(3000);
  return page.evaluate(() => {
    const marks = Object.fromEntries(performance.getEntriesByType('measure').map((m) => [m.name, m.duration]));
    const ready = performance.getEntriesByName('spaces:first-render')[0];
    const loadEnd = ready.startTime + ready.duration;
    const tasks = window.__longTasks.filter((t) => t.startTime < loadEnd);
    const el = document.querySelector('[data-testid=transfer]');
    return {
      marks,
      // From navigation: the first chart drawn, and every chart near the
      // screen drawn (the first render's end).
      firstChartAt: (() => {
        const first = performance.getEntriesByName('spaces:first-chart').at(-1);
        return first ? first.startTime + first.duration : NaN;
      })(),
      nearChartsAt: loadEnd,
      longestTask: Math.max(0, ...tasks.map((t) => t.duration)),
      longestIdleTask: Math.max(0, ...window.__longTasks.filter((t) => t.startTime >= loadEnd).map((t) => t.duration)),
      tasksOver200: tasks.filter((t) => t.duration > 200).length,
      transferred: Number(el?.dataset.transferred),
      fileSize: Number(el?.dataset.fileSize),
      wasmBytes: window.__wasm?.memory?.buffer.byteLength ?? NaN,
      // The engine worker's memory (it holds the table and its indexes;
      // absent in a baseline from before the worker).
      engineBytes: Number(document.querySelector('[data-testid=engine-memory]')?.dataset.bytes ?? 0),
    };
  });
}

try {
  for (let i = 0; i < runs; i++) {
    // A fresh browser each run: nothing cached.
    const browser = await launch();
    await settle();
    try {
      await browser.context.addInitScript(() => {
        window.__longTasks = [];
        new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries())).observe({ type: 'longtask', buffered: true });
        addEventListener('TrunkApplicationStarted', (e) => (window.__wasm = e.detail.wasm));
      });
      const url = `${server.url}/?data=fixtures/${path.basename(file)}`;
      const first = await measureLoad(browser.page, () => browser.page.goto(url));
      for (const [name, ms] of Object.entries(first.marks)) add(name, ms);
      add('first chart since navigation (ms)', first.firstChartAt);
      add('charts near the screen since navigation (ms)', first.nearChartsAt);
      add('longest task (ms)', first.longestTask);
      add('tasks > 200 ms', first.tasksOver200);
      add('fetched (% of file)', (100 * first.transferred) / first.fileSize);
      add('fetched (MB)', first.transferred / 1e6);
      add('wasm memory (MB), indexes built', first.wasmBytes / 1e6);
      add('engine worker wasm peak (MB)', first.engineBytes / 1e6);
      // An upper bound: the worker's peak is over before the page's.
      add('page + engine peak (MB)', (first.wasmBytes + first.engineBytes) / 1e6);
      add('longest idle-build task (ms)', first.longestIdleTask);
      // Titles and descriptions a range-read file left for Search.
      const prose = '[data-testid=prose-summary]';
      if ((await browser.page.getAttribute(prose, 'data-state').catch(() => null)) === 'deferred') {
        const before = server.log.length;
        await browser.page.click('[role=tab]:has-text("Search")');
        await browser.page.waitForSelector(`${prose}[data-state=ready]`, { timeout: 120_000 });
        add('Search: prose fetch (ms)', await browser.page.evaluate(() => performance.getEntriesByName('spaces:prose')[0].duration));
        add('Search: prose fetched (MB)', server.log.slice(before).reduce((sum, e) => sum + (e.sent || 0), 0) / 1e6);
      }
      // The cache writes follow the render: the saved table last (a build
      // from before the saved table, as a baseline, never writes one).
      // Polled from here: waitForFunction takes an async predicate's
      // promise for a true value.
      const savedTable = () =>
        browser.page.evaluate(async () => {
          // A file (src/browser/opfs.rs), whole once it starts with its
          // magic, which is written last; or a Cache Storage entry.
          for await (const [name, handle] of (await navigator.storage.getDirectory()).entries()) {
            if (!name.startsWith('table-')) continue;
            try {
              const head = await (await handle.getFile()).slice(0, 8).text();
              if (head === 'SPSHIPFS') return true;
            } catch (e) {
              // Still being written (the engine holds it).
            }
          }
          for (const name of await caches.keys()) {
            const keys = await (await caches.open(name)).keys();
            if (keys.some((r) => r.url.includes('part=table'))) return true;
          }
          return false;
        });
      const waitFrom = Date.now();
      while (!(await savedTable())) {
        if (Date.now() - waitFrom > 20_000) {
          console.error('no saved table: a baseline build?');
          break;
        }
        await browser.page.waitForTimeout(200);
      }
      await browser.page.waitForTimeout(500);
      const again = await measureLoad(browser.page, () => browser.page.reload());
      for (const [name, ms] of Object.entries(again.marks)) add(`revisit ${name}`, ms);
      add('revisit fetched (bytes)', again.transferred);
      add('revisit first chart since navigation (ms)', again.firstChartAt);
      add('revisit charts near the screen since navigation (ms)', again.nearChartsAt);
      add('revisit longest task (ms)', again.longestTask);
      add('revisit page + engine peak (MB)', (again.wasmBytes + again.engineBytes) / 1e6);
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.close();
}
console.log(`file ${path.basename(file)}: ${rows} rows, ${fs.statSync(file).size} bytes, ${runs} runs, headless Chromium`);
for (const [name, xs] of Object.entries(samples)) {
  console.log(`${name.padEnd(30)} median ${median(xs).toFixed(1).padStart(9)}   (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`);
}
