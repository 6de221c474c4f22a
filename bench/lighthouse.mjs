// Lighthouse performance of the real app on a generated file: desktop
// preset, no throttling (the machine as it is), a fresh load each run.
// Prints medians of the score, Total Blocking Time, Largest Contentful
// Paint and First Contentful Paint.
//   node bench/lighthouse.mjs bench/out/spaces-1000000.parquet [RUNS]
// SPACES_DIST=<dir> measures another build (a baseline).
import path from 'node:path';
import { startServer } from '../tests/e2e/server.mjs';
import { DIST } from '../tests/e2e/browser.mjs';
import { launchChromeForLighthouse } from '../tests/e2e/a11y.mjs';

const TOOLS = new URL('../tools/node_modules/', import.meta.url);
const file = path.resolve(process.argv[2] || 'bench/out/spaces-1000000.parquet');
const runs = Number(process.argv[3] || 3);
const { default: lighthouse } = await import(new URL('lighthouse/core/index.js', TOOLS).href);
const { default: desktop } = await import(new URL('lighthouse/core/config/desktop-config.js', TOOLS).href);
const config = {
  ...desktop,
  settings: { ...desktop.settings, throttlingMethod: 'provided', maxWaitForLoad: 120_000 },
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const server = await startServer({ root: DIST, fixtures: path.dirname(file) });
const samples = { score: [], 'TBT (ms)': [], 'LCP (ms)': [], 'FCP (ms)': [], 'SI (ms)': [], 'CLS (x1000)': [] };
try {
  for (let i = 0; i < runs; i++) {
    const chrome = await launchChromeForLighthouse();
    try {
      const url = `${server.url}/?data=fixtures/${path.basename(file)}`;
      const { lhr } = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] }, config);
      if (lhr.runtimeError) throw new Error(lhr.runtimeError.message);
      samples.score.push(Math.round(lhr.categories.performance.score * 100));
      samples['TBT (ms)'].push(lhr.audits['total-blocking-time'].numericValue);
      samples['LCP (ms)'].push(lhr.audits['largest-contentful-paint'].numericValue);
      samples['FCP (ms)'].push(lhr.audits['first-contentful-paint'].numericValue);
      samples['SI (ms)'].push(lhr.audits['speed-index'].numericValue);
      samples['CLS (x1000)'].push(lhr.audits['cumulative-layout-shift'].numericValue * 1000);
    } finally {
      await chrome.kill();
    }
  }
} finally {
  await server.close();
}
console.log(`Lighthouse performance, ${path.basename(file)}, desktop, no throttling, ${runs} runs`);
for (const [name, xs] of Object.entries(samples)) {
  console.log(`${name.padEnd(10)} median ${median(xs).toFixed(0).padStart(6)}   (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`);
}
