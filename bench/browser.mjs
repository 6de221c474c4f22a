// In-browser benchmark of the real app: serves the release build and a
// generated file on 127.0.0.1, loads `?data=<file>` in headless Chromium
// RUNS times, and prints the median of each timing mark the app records.
//   node bench/browser.mjs bench/out/spaces-300k.parquet [RUNS]
import path from 'node:path';
import { startServer } from '../tests/e2e/server.mjs';
import { launch, waitForLoad, DIST } from '../tests/e2e/browser.mjs';

const file = path.resolve(process.argv[2] || 'bench/out/spaces-300k.parquet');
const runs = Number(process.argv[3] || 5);
const server = await startServer({ root: DIST, fixtures: path.dirname(file) });
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const samples = {};
let rows;
try {
  for (let i = 0; i < runs; i++) {
    // A fresh browser each run: no warm caches beyond what a revisit would have.
    const browser = await launch();
    try {
      await browser.page.goto(`${server.url}/?data=fixtures/${path.basename(file)}`);
      const state = await waitForLoad(browser.page, 180_000);
      if (state !== 'ready') throw new Error(`load ended in ${state}: ${await browser.page.textContent('[data-testid=load-status]')}`);
      rows = await browser.page.getAttribute('[data-testid=total-count]', 'data-value');
      await browser.page.waitForFunction(() => performance.getEntriesByName('spaces:first-render').length > 0);
      const marks = await browser.page.evaluate(() =>
        Object.fromEntries(performance.getEntriesByType('measure').map((m) => [m.name, m.duration])),
      );
      for (const [name, ms] of Object.entries(marks)) (samples[name] ||= []).push(ms);
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.close();
}
console.log(`file ${path.basename(file)}: ${rows} rows, ${runs} runs, headless Chromium`);
for (const [name, xs] of Object.entries(samples)) {
  console.log(`${name.padEnd(22)} median ${median(xs).toFixed(1).padStart(8)} ms   (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`);
}
