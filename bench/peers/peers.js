// Decodes one Parquet file with hyparquet and with duckdb-wasm, RUNS times
// each, and leaves the timings in window.__peerResults for bench/peers.mjs.
// The file is fetched once first; only decoding/loading is timed.
import { parquetReadObjects } from 'hyparquet';
import * as duckdb from '@duckdb/duckdb-wasm';

// The columns Spaces Ship decodes, so every tool does the same work.
const COLUMNS = [
  'id', 'author', 'created_at', 'last_modified', 'likes', 'sdk', 'tags', 'license',
  'duplicated_from', 'models', 'datasets', 'emoji', 'pinned', 'stage', 'hardware',
  'devMode', 'custom_domains',
];
const params = new URLSearchParams(location.search);
const fileUrl = params.get('file');
const runs = Number(params.get('runs') || 3);
const log = (line) => (document.getElementById('log').textContent += `\n${line}`);

async function main() {
  const bytes = await (await fetch(fileUrl)).arrayBuffer();
  const results = { hyparquet: [], duckdbLoad: [], duckdbLoadGroupBy: [] };

  // hyparquet: every row as an object with the 17 columns.
  let hyparquetRows = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const rows = await parquetReadObjects({ file: bytes, columns: COLUMNS });
    results.hyparquet.push(performance.now() - t0);
    hyparquetRows = rows.length;
    log(`hyparquet run ${i + 1}: ${results.hyparquet.at(-1).toFixed(0)} ms, ${rows.length} rows`);
  }

  // duckdb-wasm: start once (not timed per run), then load and group.
  const dist = new URL('./node_modules/@duckdb/duckdb-wasm/dist/', location.href).href;
  const bundle = await duckdb.selectBundle({
    mvp: { mainModule: `${dist}duckdb-mvp.wasm`, mainWorker: `${dist}duckdb-browser-mvp.worker.js` },
    eh: { mainModule: `${dist}duckdb-eh.wasm`, mainWorker: `${dist}duckdb-browser-eh.worker.js` },
  });
  const t0 = performance.now();
  const worker = new Worker(bundle.mainWorker);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
  const conn = await db.connect();
  results.duckdbStartMs = performance.now() - t0;
  const select = COLUMNS.map((c) => `"${c}"`).join(', ');
  let duckdbRows = 0;
  let sdkCounts = [];
  for (let i = 0; i < runs; i++) {
    const copy = new Uint8Array(bytes.slice(0)); // registering transfers it
    const start = performance.now();
    await db.registerFileBuffer('spaces.parquet', copy);
    await conn.query(`CREATE OR REPLACE TABLE spaces AS SELECT ${select} FROM read_parquet('spaces.parquet')`);
    const loaded = performance.now();
    const grouped = await conn.query('SELECT sdk, count(*) AS n FROM spaces GROUP BY sdk ORDER BY n DESC');
    const done = performance.now();
    results.duckdbLoad.push(loaded - start);
    results.duckdbLoadGroupBy.push(done - start);
    sdkCounts = grouped.toArray().map((r) => [String(r.sdk), Number(r.n)]);
    duckdbRows = Number((await conn.query('SELECT count(*) AS n FROM spaces')).toArray()[0].n);
    await db.dropFile('spaces.parquet');
    log(`duckdb run ${i + 1}: load ${(loaded - start).toFixed(0)} ms, +group by ${(done - loaded).toFixed(0)} ms`);
  }
  await conn.close();
  await db.terminate();
  worker.terminate();
  Object.assign(results, { hyparquetRows, duckdbRows, sdkCounts, duckdbBundle: bundle.mainModule.split('/').pop() });
  window.__peerResults = results;
}

main().catch((e) => {
  window.__peerResults = { error: String(e && e.stack || e) };
  log(`error: ${e}`);
});
