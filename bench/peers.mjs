// One headless-Chromium run that times, on the same Parquet file:
//   (a) this app's decode (the `spaces:decode` mark: Parquet → columnar table),
//   (b) hyparquet reading the same 17 columns into row objects,
//   (c) duckdb-wasm 1.28 loading them into a table, and then GROUP BY sdk,
// and prints medians and the ratios against the app. Everything is served
// from 127.0.0.1: the app's release build, bench/peers/ and the file.
//   node bench/peers.mjs bench/out/spaces-1000000.parquet [RUNS]
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from '../tests/e2e/server.mjs';
import { median } from './stats.mjs';
import { launch, waitForLoad, DIST, ROOT } from '../tests/e2e/browser.mjs';

const file = path.resolve(process.argv[2] || 'bench/out/spaces-1000000.parquet');
const runs = Number(process.argv[3] || 3);
const peersDir = path.join(ROOT, 'bench', 'peers');
if (!fs.existsSync(path.join(peersDir, 'node_modules', 'hyparquet'))) {
  throw new Error('run `npm ci` in bench/peers first (scripts/bench.sh does)');
}

const app = await startServer({ root: DIST, fixtures: path.dirname(file) });
const peers = await startServer({ root: peersDir, fixtures: path.dirname(file) });
const browser = await launch();
const appDecode = [];
let appRows;
try {
  const { page } = browser;
  for (let i = 0; i < runs; i++) {
    // No saved copy: every run fetches and decodes afresh.
    await page.goto(`${app.url}/?data=sample`);
    await waitForLoad(page);
    await page.evaluate(async () => Promise.all((await caches.keys()).map((k) => caches.delete(k))));
    await page.goto(`${app.url}/?data=fixtures/${path.basename(file)}`);
    if ((await waitForLoad(page, 300_000)) !== 'ready') throw new Error(await page.textContent('[data-testid=load-status]'));
    appRows = Number(await page.getAttribute('[data-testid=total-count]', 'data-value'));
    appDecode.push(await page.evaluate(() => performance.getEntriesByName('spaces:decode')[0].duration));
  }
  await page.goto(`${peers.url}/page.html?file=/fixtures/${path.basename(file)}&runs=${runs}`);
  await page.waitForFunction(() => window.__peerResults, null, { timeout: 1_800_000, polling: 1000 });
  const results = await page.evaluate(() => window.__peerResults);
  if (results.error) throw new Error(results.error);
  if (results.hyparquetRows !== appRows || results.duckdbRows !== appRows) {
    throw new Error(`row counts differ: app ${appRows}, hyparquet ${results.hyparquetRows}, duckdb ${results.duckdbRows}`);
  }
  const appMedian = median(appDecode);
  const line = (name, xs) => {
    const m = median(xs);
    const ratio = (m / appMedian).toFixed(1);
    console.log(`${name.padEnd(34)} median ${m.toFixed(0).padStart(7)} ms  ${ratio.padStart(5)}x the app   (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`);
  };
  console.log(`file ${path.basename(file)}: ${appRows} rows, ${fs.statSync(file).size} bytes; ${runs} runs each; headless Chromium ${await browser.context.browser()?.version?.() ?? ''}`);
  line('Spaces Ship decode (spaces:decode)', appDecode);
  line('hyparquet 17 columns → objects', results.hyparquet);
  line(`duckdb-wasm 1.28 load (${results.duckdbBundle})`, results.duckdbLoad);
  line('duckdb-wasm 1.28 load + GROUP BY sdk', results.duckdbLoadGroupBy);
  console.log(`duckdb-wasm start (worker + instantiate, once): ${results.duckdbStartMs.toFixed(0)} ms`);
  console.log(`GROUP BY sdk (duckdb): ${results.sdkCounts.map(([s, n]) => `${s} ${n}`).join(', ')}`);
} finally {
  await browser.close();
  await app.close();
  await peers.close();
}
