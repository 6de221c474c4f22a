// Two or more builds loaded in turn, so that a noisy machine slows them
// alike: RUNS rounds, each a fresh headless Chromium per build that loads
// `?data=<file>`, then reloads it (the revisit, once the table is saved).
// Prints per build the medians (and every run) of when the request for
// the data reached the engine (`spaces:fetch` starts), the download (its
// span), the decode (`spaces:decode`), the first chart from navigation
// and from the table's arrival (`spaces:first-chart`), and the longest
// main-thread task until the charts near the screen are drawn, on the
// visit and the revisit.
//   node bench/alternate.mjs FILE RUNS DIST [DIST...]
// e.g. node bench/alternate.mjs bench/out/spaces-1000000.parquet 7 dist /tmp/dist-base
import path from 'node:path';
import { startServer } from '../tests/e2e/server.mjs';
import { median } from './stats.mjs';
import { launch, waitForLoad } from '../tests/e2e/browser.mjs';

const [fileArg, runsArg, ...dists] = process.argv.slice(2);
if (!fileArg || !runsArg || dists.length === 0) {
  console.error('usage: node bench/alternate.mjs FILE RUNS DIST [DIST...]');
  process.exit(2);
}
const file = path.resolve(fileArg);
const runs = Number(runsArg);
const servers = await Promise.all(
  dists.map((dist) => startServer({ root: path.resolve(dist), fixtures: path.dirname(file) })),
);
const samples = dists.map(() => ({}));

/** The marks of the load just shown, once its first chart is drawn. */
async function marksOf(page) {
  if ((await waitForLoad(page, 300_000)) !== 'ready') throw new Error('load failed');
  await page.waitForFunction(() =>
    ['spaces:first-chart', 'spaces:first-render'].every((name) => performance.getEntriesByName(name).length > 0),
  );
  return page.evaluate(() => {
    const entry = (name) => performance.getEntriesByName(name)[0];
    const chart = entry('spaces:first-chart');
    const render = entry('spaces:first-render');
    const loading = window.__longTasks.filter((t) => t.startTime < render.startTime + render.duration);
    return {
      'data asked (ms)': entry('spaces:fetch').startTime,
      'download (ms)': entry('spaces:fetch').duration,
      'decode (ms)': entry('spaces:decode').duration,
      'first chart (ms)': chart.startTime + chart.duration,
      'table to first chart (ms)': chart.duration,
      'longest task while loading (ms)': Math.max(0, ...loading.map((t) => t.duration)),
    };
  });
}

try {
  for (let run = 0; run < runs; run++) {
    for (const [k, server] of servers.entries()) {
      const browser = await launch();
      try {
        await browser.context.addInitScript(() => {
          window.__longTasks = [];
          new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries())).observe({ type: 'longtask', buffered: true });
        });
        await browser.page.goto(`${server.url}/?data=fixtures/${path.basename(file)}`);
        const visit = await marksOf(browser.page);
        // Time for the engine to save the table for the revisit.
        await browser.page.waitForTimeout(3500);
        await browser.page.reload();
        const revisit = await marksOf(browser.page);
        for (const [name, ms] of Object.entries(visit)) (samples[k][name] ||= []).push(ms);
        for (const [name, ms] of Object.entries(revisit)) (samples[k][`revisit ${name}`] ||= []).push(ms);
      } finally {
        await browser.close();
      }
    }
  }
} finally {
  await Promise.all(servers.map((server) => server.close()));
}
console.log(`${path.basename(file)}, ${runs} rounds, builds loaded in turn`);
for (const [k, dist] of dists.entries()) {
  console.log(`== ${dist}`);
  for (const [name, values] of Object.entries(samples[k])) {
    const shown = values.map((v) => v.toFixed(0)).join(', ');
    console.log(`${name.padEnd(30)} median ${median(values).toFixed(0).padStart(6)}   (runs: ${shown})`);
  }
}
