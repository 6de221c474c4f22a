// End to end: a revisit of an unchanged file restores the decoded table
// this browser saved, and shows exactly what a decode shows. A damaged
// saved copy is refused and rebuilt; a changed file is decoded afresh.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './server.mjs';
import { withBrowser, waitForLoad, readDataTable, assertRanked, EXPECTED as expected, DIST, FIXTURES } from './browser.mjs';

const NAME = 'spaces.parquet';
let dir;
let server;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spaces-ship-revisit-'));
  fs.copyFileSync(path.join(FIXTURES, 'spaces-5k-pandas.parquet'), path.join(dir, NAME));
  server = await startServer({ root: DIST, fixtures: dir });
});

after(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const SUMMARY = '[data-testid=load-summary]';

async function visit(page, query = '') {
  await page.goto(`${server.url}/?data=fixtures/${NAME}${query}`);
  assert.equal(await waitForLoad(page), 'ready');
  await page.waitForSelector(SUMMARY);
  return page.getAttribute(SUMMARY, 'data-restored');
}

// The engine saves the decoded table as a file in the origin private file
// system (src/browser/opfs.rs), or in Cache Storage where it cannot. The
// helpers below see both, from the page. A file is whole once its
// first eight bytes are the format's magic (written last).
function defineSavedCopies() {
  window.__savedCopies = async () => {
    const out = [];
    const root = await navigator.storage.getDirectory();
    for await (const [name, handle] of root.entries()) {
      if (!name.startsWith('table-')) continue;
      let bytes;
      try { bytes = new Uint8Array(await (await handle.getFile()).arrayBuffer()); } catch (e) { continue; }
      if (new TextDecoder().decode(bytes.subarray(0, 8)) !== 'SPSHIPFS') continue;
      out.push({ key: name, bytes, put: async (damaged) => {
        const writable = await handle.createWritable();
        await writable.write(damaged);
        await writable.close();
      } });
    }
    for (const cacheName of await caches.keys()) {
      const cache = await caches.open(cacheName);
      for (const request of await cache.keys()) {
        if (!request.url.includes('part=table')) continue;
        const response = await cache.match(request);
        const bytes = new Uint8Array(await response.arrayBuffer());
        out.push({ key: request.url, bytes, put: (damaged) => cache.put(request, new Response(damaged, { headers: response.headers })) });
      }
    }
    return out;
  };
}

/** Runs `fn(arg)` in the page with `window.__savedCopies` defined. */
async function withSavedCopies(page, fn, arg) {
  await page.evaluate(defineSavedCopies);
  return page.evaluate(fn, arg);
}

/** The saved tables, by key (file name or cache key), with their sizes. */
async function savedTables(page) {
  return withSavedCopies(page, async () =>
    Object.fromEntries((await window.__savedCopies()).map((c) => [c.key, c.bytes.length])),
  );
}

/** SHA-256 of the saved table's bytes (hex), or null when none is saved. */
async function savedDigest(page) {
  return withSavedCopies(page, async () => {
    const [copy] = await window.__savedCopies();
    if (!copy) return null;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', copy.bytes));
    return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
  });
}

/** Waits until the engine has saved the table (it does so once the page
 *  is drawn). Polled from here: `waitForFunction` takes the promise an
 *  async predicate returns as a truthy answer, and would not wait. */
async function waitForSavedTable(page) {
  for (let tries = 0; ; tries++) {
    if (Object.keys(await savedTables(page)).length > 0) return;
    assert.ok(tries < 300, 'the table was never saved');
    await page.waitForTimeout(100);
  }
}

/** Every overview table the pandas answers cover, and a filtered count. */
async function assertTruth(page, what) {
  assertRanked(assert, await readDataTable(page, 'chart-sdk-data'), expected.sdk, `${what}: sdk`);
  assertRanked(assert, await readDataTable(page, 'chart-hardware-data'), expected.hardware, `${what}: hardware`);
  assertRanked(assert, await readDataTable(page, 'chart-models-data'), expected.top_models, `${what}: models`);
  assertRanked(assert, await readDataTable(page, 'chart-emoji-data'), expected.emoji_top10, `${what}: emoji`);
  assert.equal(await page.getAttribute('[data-testid=match-count]', 'data-value'), String(expected.rows), what);
}

/** Damages the saved table: a byte flipped in its middle, or cut in half
 *  (a cache entry keeps its headers, a file its head). */
async function damageSavedTable(page, how) {
  await withSavedCopies(
    page,
    async (how) => {
      for (const copy of await window.__savedCopies()) {
        const body = copy.bytes;
        const damaged = how === 'cut' ? body.slice(0, body.length >> 1) : body.slice();
        if (how === 'flip') damaged[damaged.length >> 1] ^= 0x55;
        await copy.put(damaged);
      }
    },
    how,
  );
}

test('a revisit restores the saved table and shows what the decode showed; damage is refused and rebuilt', async () => {
  await withBrowser({}, async ({ page }) => {
    const warnings = [];
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    assert.equal(await visit(page), 'false');
    assert.match(await page.textContent(SUMMARY), /\(download .+, decode .+\)/);
    await assertTruth(page, 'decoded');
    await waitForSavedTable(page);
    const saved = await savedTables(page);
    assert.equal(Object.keys(saved).length, 1, JSON.stringify(saved));
    // Named with its format's version, so an older layout is never read.
    assert.match(Object.keys(saved)[0], /(part=table&format=\d+|^table-[0-9a-f]{16}-format-\d+)$/);
    // Chromium keeps it as a file, read straight into the engine's memory.
    assert.match(Object.keys(saved)[0], /^table-/);
    const good = await savedDigest(page);

    assert.equal(await visit(page), 'true');
    assert.match(await page.textContent(SUMMARY), /decoded columns restored from this browser's saved copy in/);
    await assertTruth(page, 'restored');
    // A filtered link on the restored table counts as the pandas answer.
    assert.equal(await visit(page, '&stage=RUNNING'), 'true');
    assert.equal(await page.getAttribute('[data-testid=match-count]', 'data-value'), String(expected.running_rows));

    for (const how of ['flip', 'cut']) {
      await damageSavedTable(page, how);
      warnings.length = 0;
      assert.equal(await visit(page), 'false', `${how}: the damaged copy is not used`);
      assert.ok(warnings.some((w) => /saved table was not used/.test(w)), `${how}: ${warnings.join(' | ')}`);
      await assertTruth(page, `after a ${how}`);
      // Replaced by the decode's save (the same bytes as the first one):
      // the next visit restores again.
      for (let tries = 0; (await savedDigest(page)) !== good; tries++) {
        assert.ok(tries < 300, `${how}: the damaged copy was never replaced`);
        await page.waitForTimeout(100);
      }
      assert.equal(await visit(page), 'true', `${how}: rebuilt`);
    }
  });
});

test('a changed file is decoded afresh, never read from the old saved table', async () => {
  const file = path.join(dir, NAME);
  try {
    await withBrowser({}, async ({ page }) => {
      assert.equal(await visit(page), 'false');
      await waitForSavedTable(page);
      assert.equal(await visit(page), 'true');
      // The same name now holds another file (another size and date).
      fs.copyFileSync(path.join(FIXTURES, 'spaces-5k-zstd-small-rg.parquet'), file);
      const later = new Date(Date.now() + 60_000);
      fs.utimesSync(file, later, later);
      assert.equal(await visit(page), 'false');
      await assertTruth(page, 'the new file');
    });
  } finally {
    fs.copyFileSync(path.join(FIXTURES, 'spaces-5k-pandas.parquet'), file);
  }
});

test('where the saved file cannot be used (another tab holds it), the table is saved and restored through Cache Storage', async () => {
  await withBrowser({}, async ({ page }) => {
    assert.equal(await visit(page), 'false');
    await waitForSavedTable(page);
    const [file] = Object.keys(await savedTables(page));
    assert.match(file, /^table-/);
    // Another tab's worker holds the file: one access handle at a time.
    const other = await page.context().newPage();
    await other.goto(`${server.url}/boot.js`);
    const held = await other.evaluate(async (name) => {
      const code = `navigator.storage.getDirectory()
        .then((root) => root.getFileHandle(${JSON.stringify(name)}))
        .then((file) => file.createSyncAccessHandle())
        .then((handle) => { self.handle = handle; postMessage('held'); }, (e) => postMessage(String(e)));`;
      const worker = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
      window.holder = worker;
      return new Promise((resolve) => (worker.onmessage = (e) => resolve(e.data)));
    }, file);
    assert.equal(held, 'held');
    // The file cannot be opened: decoded, and saved in Cache Storage.
    assert.equal(await visit(page), 'false');
    for (let tries = 0; !Object.keys(await savedTables(page)).some((k) => /part=table&format=\d+$/.test(k)); tries++) {
      assert.ok(tries < 300, 'the table was never saved in Cache Storage');
      await page.waitForTimeout(100);
    }
    assert.equal(await visit(page), 'true');
    assert.match(await page.textContent(SUMMARY), /decoded columns restored from this browser's saved copy in/);
    await assertTruth(page, 'restored from Cache Storage');
    await other.close();
  });
});

test('a front matter of JSON text: an Overview visit saves its titles with the table, and a revisit in Search finds them there', async () => {
  // The second engine hands the titles on; the engine joins them once the
  // first view is drawn, before it saves the table.
  const hub = 'hub.parquet';
  fs.copyFileSync(path.join(FIXTURES, 'spaces-5k-hub-api.parquet'), path.join(dir, hub));
  const docker = expected.sdk.find(([sdk]) => sdk === 'docker')[1];
  await withBrowser({}, async ({ page }) => {
    await page.goto(`${server.url}/?data=fixtures/${hub}`);
    assert.equal(await waitForLoad(page), 'ready');
    // Nothing to download for them: the panel says nothing of them.
    assert.equal(await page.$('[data-testid=prose-summary]'), null);
    await waitForSavedTable(page);
    await page.goto(`${server.url}/?data=fixtures/${hub}&view=search&q=${encodeURIComponent('"docker demo"')}`);
    assert.equal(await waitForLoad(page), 'ready');
    await page.waitForSelector(SUMMARY);
    assert.equal(await page.getAttribute(SUMMARY, 'data-restored'), 'true');
    await page.waitForSelector('[data-testid=result-row] .result-description');
    assert.equal(await page.getAttribute('[data-testid=match-count]', 'data-value'), String(docker));
    // They came with the saved table: none were asked for.
    const marks = await page.evaluate(() => performance.getEntriesByType('measure').map((m) => m.name));
    assert.ok(!marks.includes('spaces:prose'), marks.join());
  });
});
