// End to end: files of a few kilobytes that ask for gigabytes, and files
// valid apart from one odd value (written by `cargo run --example
// gen_fixtures`). Each must reach a clear state within 30 s, with no
// uncaught error, no main-thread task over 1 s and under 1.5 GB of wasm
// memory. Odd values load, and the data-source panel says what was
// repaired. Set HOSTILE_SHOTS=<dir> to keep a screenshot of each end state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import path from 'node:path';
import { startServer } from './server.mjs';
import { launch, waitForLoad, readDataTable, DIST, FIXTURES } from './browser.mjs';

const CLEAR_WITHIN = 30_000;
const LONGEST_TASK = 1_000;
const MEMORY_LIMIT = 1.5e9;

let server;
let browser;

before(async () => {
  server = await startServer({ root: DIST, fixtures: FIXTURES });
  browser = await launch();
  await browser.context.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries())).observe({ type: 'longtask', buffered: true });
    addEventListener('TrunkApplicationStarted', (e) => (window.__wasm = e.detail.wasm));
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Loads `url`, waits for a clear state, checks the limits; returns the state and texts. */
async function loadWithinLimits(url, shot) {
  const { page, errors } = browser;
  errors.length = 0;
  await page.goto(url);
  const state = await waitForLoad(page, CLEAR_WITHIN);
  // A moment for a late trap or a chart's long task to show.
  await page.waitForTimeout(500);
  const measured = await page.evaluate(() => ({
    longest: Math.max(0, ...window.__longTasks.map((t) => t.duration)),
    memory: window.__wasm?.memory?.buffer.byteLength ?? NaN,
    status: document.querySelector('[data-testid=load-status]').dataset.state,
    message: document.querySelector('[data-testid=load-status]').textContent,
    warnings: [...document.querySelectorAll('.source-panel .warnings li')].map((li) => li.textContent),
  }));
  if (process.env.HOSTILE_SHOTS) await page.screenshot({ path: path.join(process.env.HOSTILE_SHOTS, `${shot}.png`) });
  assert.deepEqual(errors, [], `${shot}: uncaught errors`);
  assert.equal(measured.status, state, `${shot}: the state held`);
  assert.ok(measured.longest < LONGEST_TASK, `${shot}: a main-thread task of ${measured.longest} ms`);
  assert.ok(measured.memory < MEMORY_LIMIT, `${shot}: ${measured.memory} bytes of wasm memory`);
  console.log(`${shot}: ${state}, longest task ${Math.round(measured.longest)} ms, wasm ${(measured.memory / 1e6).toFixed(0)} MB`);
  return { state, ...measured };
}

const REFUSED = [
  ['bomb-list.parquet', /too big to decode safely in the browser: column `tags\.list\.item` holds 300,000,000 values for 100 rows/],
  ['bomb-dictionary.parquet', /too big to decode safely in the browser: its ids add up to more than 68\.4 MB for 5,000 rows/],
  ['bomb-zstd.parquet', /too big to decode safely in the browser: a page of column `id` claims 1\.5 GB uncompressed \(a page may hold at most 268 MB\)/],
  ['lying-page-header.parquet', /too big to decode safely in the browser: a page of column `[^`]+` claims 2\.1 GB uncompressed/],
];

test('files that ask for gigabytes are refused with what was too big, and a way out', async () => {
  for (const [name, message] of REFUSED) {
    const seen = await loadWithinLimits(`${server.url}/?data=fixtures/${name}`, name);
    assert.equal(seen.state, 'error', name);
    assert.match(seen.message, message, name);
    assert.ok(await browser.page.isVisible('[data-testid=load-status] >> text=Try again'), name);
    assert.ok(await browser.page.isVisible('[data-testid=load-status] >> text=Load the bundled sample instead'), name);
  }
});

const FAR_DATES = [
  ['dates-year-20000.parquet', 'year 20,000'],
  ['dates-year-100000.parquet', 'year 100,000'],
  ['dates-year-1000000.parquet', 'year 1,000,000'],
  ['dates-i64-extremes.parquet', 'year 292,278,994'],
];

test('far-off dates load, clamped to 1970-2099, and the panel says so', async () => {
  for (const [name, year] of FAR_DATES) {
    const seen = await loadWithinLimits(`${server.url}/?data=fixtures/${name}`, name);
    assert.equal(seen.state, 'ready', `${name}: ${seen.message}`);
    assert.ok(
      seen.warnings.includes(`1 date in \`created_at\` was outside 1970-01-01 to 2099-12-31 (the farthest: ${year}), clamped to that window.`),
      `${name}: ${seen.warnings.join(' | ')}`,
    );
    assert.equal(await browser.page.getAttribute('[data-testid=total-count]', 'data-value'), '51');
    const months = await readDataTable(browser.page, 'chart-growth-data');
    assert.equal(months.at(-1)[0], '2099-12', name);
    assert.ok(months.length <= 1_560, `${name}: ${months.length} months`);
    assert.equal(months.reduce((sum, m) => sum + m[1], 0), 51, name);
  }
  const seen = await loadWithinLimits(`${server.url}/?data=fixtures/dates-i64-extremes.parquet&view=search&sort=-modified`, 'dates-search');
  assert.equal(seen.state, 'ready');
  assert.ok(seen.warnings.some((w) => /`last_modified` was outside .* \(the farthest: year 292,275,056 BC\)/.test(w)), seen.warnings.join(' | '));
});

test('invalid UTF-8, extreme likes, a lying row count and a 50 MB id load, and the panel says what was repaired', async () => {
  const utf8 = await loadWithinLimits(`${server.url}/?data=fixtures/invalid-utf8.parquet`, 'invalid-utf8');
  assert.equal(utf8.state, 'ready', utf8.message);
  for (const column of ['id', 'author', 'sdk', 'tags', 'license', 'duplicated_from', 'models', 'datasets', 'emoji', 'stage', 'hardware', 'custom_domains']) {
    assert.ok(
      utf8.warnings.includes(`1 value in \`${column}\` was not valid UTF-8: the bad bytes are shown as \u{FFFD}.`),
      `${column}: ${utf8.warnings.join(' | ')}`,
    );
  }
  assert.equal(await browser.page.getAttribute('[data-testid=total-count]', 'data-value'), '20');

  const likes = await loadWithinLimits(`${server.url}/?data=fixtures/likes-extreme.parquet`, 'likes-extreme');
  assert.equal(likes.state, 'ready', likes.message);
  assert.ok(likes.warnings.includes('5 like counts were outside 0 to 1,000,000,000 (the farthest: -9223372036854775808), clamped to that range.'), likes.warnings.join(' | '));
  const byLikes = await readDataTable(browser.page, 'table-authors-by-likes-data');
  assert.deepEqual(byLikes[0], ['maxed', 3_000_000_000]);

  const unsigned = await loadWithinLimits(`${server.url}/?data=fixtures/likes-uint64.parquet`, 'likes-uint64');
  assert.equal(unsigned.state, 'ready', unsigned.message);
  assert.deepEqual((await readDataTable(browser.page, 'table-most-liked-data'))[0], ['u/max', 1_000_000_000]);

  const rows = await loadWithinLimits(`${server.url}/?data=fixtures/lying-num-rows.parquet`, 'lying-num-rows');
  assert.equal(rows.state, 'ready', rows.message);
  assert.equal(await browser.page.getAttribute('[data-testid=total-count]', 'data-value'), '1000');
  assert.ok(rows.warnings.includes("The file's footer says it has 4,611,686,018,427,387,904 rows, but its row groups hold 1,000: those 1,000 were loaded."), rows.warnings.join(' | '));

  const id = await loadWithinLimits(`${server.url}/?data=fixtures/id-50mb.parquet&view=search&q=xxxx`, 'id-50mb');
  assert.equal(id.state, 'ready', id.message);
  assert.ok(id.warnings.includes('1 value in `id` was longer than 16.4 kB, cut to that length.'), id.warnings.join(' | '));
  assert.equal(await browser.page.getAttribute('[data-testid=match-count]', 'data-value'), '1');
});

// 200 MB of zeros gzip to 200 kB: the browser inflates what it announced.
const INFLATING = zlib.gzipSync(Buffer.alloc(200_000_000), { level: 9 });
const BODIES = {
  '/inflating.parquet': (req, res) => {
    // Chromium fails a compressed answer to a range request outright: refuse
    // the range, so the app asks for the whole file.
    if (req.headers.range) {
      res.writeHead(416, { 'content-range': 'bytes */0' });
      return res.end();
    }
    res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': INFLATING.length });
    res.end(INFLATING);
  },
  '/endless.parquet': (req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const chunk = Buffer.alloc(1 << 20, 7);
    let open = true;
    res.on('close', () => (open = false));
    const more = () => {
      while (open && res.write(chunk));
      if (open) res.once('drain', more);
    };
    more();
  },
};

test('a body that inflates past its Content-Length, or never ends, is stopped and named', async () => {
  const bodies = await startServer({ root: DIST, routes: BODIES });
  try {
    for (const [name, message] of [
      ['inflating', /The server sent far more than the [\d.]+ kB it announced \([\d.]+ [kM]B so far\): a compressed response that inflates, or a body that does not end\. The download was stopped\./],
      ['endless', /The download passed 1\.1 GB without ending, more than any snapshot of the Hub's Spaces; it was stopped\./],
    ]) {
      const seen = await loadWithinLimits(`${bodies.url}/?data=${name}.parquet`, `body-${name}`);
      assert.equal(seen.state, 'error', `${name}: ${seen.message}`);
      assert.match(seen.message, message, name);
      // Progress never read past its total on the way.
      assert.doesNotMatch(seen.message, /GB of [\d.]+ [kM]B/);
    }
  } finally {
    await bodies.close();
  }
});

// A trap (a failed allocation, `unreachable`) runs no panic hook: it
// surfaces as an uncaught WebAssembly.RuntimeError, from a task or from a
// promise. Raised the same way here, each must end in the error state with
// a way out, never in a page that still looks alive.
test('a wasm trap, thrown or rejected, ends in the error state with a way out', async () => {
  const { page } = browser;
  for (const how of ['thrown', 'rejected']) {
    await page.goto(`${server.url}/?data=fixtures/spaces-5k-pandas.parquet`);
    assert.equal(await waitForLoad(page), 'ready');
    await page.evaluate((how) => {
      const trap = new WebAssembly.RuntimeError('unreachable executed');
      if (how === 'thrown') setTimeout(() => { throw trap; });
      else Promise.reject(trap);
    }, how);
    await page.waitForSelector('[data-testid=load-status][data-state=error]', { timeout: 5000 });
    const message = await page.textContent('[data-testid=load-status]');
    assert.match(message, /stopped\. Reload the page to try again, or load the bundled sample\. \(RuntimeError: unreachable executed\)/, how);
    assert.doesNotMatch(message, /damaged data/, `${how}: not blamed on the file`);
    const links = await page.$$eval('[data-testid=load-status] a', (as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
    assert.deepEqual(links.map(([text]) => text), ['Load the bundled sample instead', 'Reload the page'], how);
  }
});
