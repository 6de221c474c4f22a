// End to end: how the dataset arrives. With a server that answers ranges,
// only the footer and the used column chunks are fetched; without, one
// whole GET; a revisit of an unchanged file downloads (almost) nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './server.mjs';
import { launch, waitForLoad, DIST, FIXTURES } from './browser.mjs';

const NAME = 'spaces-5k-pandas.parquet';
let dir;
let size;

before(() => {
  // A private copy, so a test can change the file under the app.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spaces-ship-load-'));
  fs.copyFileSync(path.join(FIXTURES, NAME), path.join(dir, NAME));
  size = fs.statSync(path.join(dir, NAME)).size;
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

const requestsFor = (server) => server.log.filter((e) => e.path === `/fixtures/${NAME}`);
const sent = (entries) => entries.reduce((sum, e) => sum + e.sent, 0);

async function transfer(page) {
  const el = '[data-testid=transfer]';
  return {
    transferred: Number(await page.getAttribute(el, 'data-transferred')),
    fileSize: Number(await page.getAttribute(el, 'data-file-size')),
    text: await page.textContent(el),
  };
}

test('with range support: progress shows, only the used columns are fetched, a revisit uses the cache', async () => {
  // Paced at 300 kB/s so the progress display can be watched.
  const server = await startServer({ root: DIST, fixtures: dir, throttle: 300_000 });
  const browser = await launch();
  try {
    const { page, errors } = browser;
    await page.goto(`${server.url}/?data=fixtures/${NAME}`);
    // Progress: the message moves while bytes arrive, with a total.
    const seen = new Set();
    while ((await page.getAttribute('[data-testid=load-status]', 'data-state')) === 'loading') {
      const text = await page.textContent('[data-testid=load-status]');
      if (/Downloading the dataset: .* of .* \(\d+%\)/.test(text)) seen.add(text);
      await page.waitForTimeout(40);
    }
    assert.ok(seen.size >= 3, `progress moved: ${[...seen].join(' | ')}`);
    assert.equal(await waitForLoad(page), 'ready');
    assert.equal(await page.getAttribute('[data-testid=total-count]', 'data-value'), '5000');

    const first = requestsFor(server);
    assert.ok(first.every((e) => e.status === 206 && e.range), JSON.stringify(first));
    const fetched = sent(first);
    assert.ok(fetched < 0.7 * size, `fetched ${fetched} of ${size}`);
    const shown = await transfer(page);
    assert.equal(shown.transferred, fetched);
    assert.equal(shown.fileSize, size);
    assert.match(shown.text, /\d+%\): only the columns the app uses, in \d+ range requests/);
    assert.match(await page.textContent('[data-testid=load-summary]'), /^Loaded 5,000 Spaces in /);

    // Revisit: the saved copy is used after a four-byte check.
    await page.waitForTimeout(500); // the cache write finishes after render
    const before = server.log.length;
    await page.reload();
    assert.equal(await waitForLoad(page), 'ready');
    const revisit = requestsFor({ log: server.log.slice(before) });
    assert.equal(revisit.length, 1, JSON.stringify(revisit));
    assert.equal(revisit[0].bytes, 4);
    const cached = await transfer(page);
    assert.equal(cached.transferred, 4);
    assert.match(cached.text, /came from this browser's cache, and the server confirmed it is unchanged/);
    assert.equal(await page.getAttribute('[data-testid=total-count]', 'data-value'), '5000');

    // A changed file (new Last-Modified) is fetched again.
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(dir, NAME), later, later);
    const beforeChange = server.log.length;
    await page.reload();
    assert.equal(await waitForLoad(page), 'ready');
    const changed = requestsFor({ log: server.log.slice(beforeChange) });
    assert.ok(changed.length > 1 && sent(changed) > 4, JSON.stringify(changed));
    assert.match((await transfer(page)).text, /range requests/);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});

test('the download is saved for the next visit only once the page has drawn its first view', async () => {
  // Saving it copies the whole download into a Blob that the browser
  // writes: done while the first charts drew, it made one of their frames
  // a long task in some loads at a million rows.
  const server = await startServer({ root: DIST, fixtures: dir });
  const browser = await launch();
  try {
    const { page, errors } = browser;
    // From before the app's scripts: when the download's entry is first in
    // Cache Storage (src/browser/cache.rs: the data URL's key, no part).
    await page.addInitScript(() => {
      const poll = async () => {
        const cache = await caches.open('spaces-ship-data-v1');
        const keys = await cache.keys();
        if (keys.some((r) => r.url.includes('__spaces-ship-cache__') && !r.url.includes('part='))) {
          window.__downloadSavedAt = performance.now();
          return;
        }
        setTimeout(poll, 2);
      };
      poll();
    });
    await page.goto(`${server.url}/?data=fixtures/${NAME}`);
    assert.equal(await waitForLoad(page), 'ready');
    await page.waitForFunction(() => window.__downloadSavedAt !== undefined, null, { timeout: 10_000 });
    const { savedAt, drawnAt } = await page.evaluate(() => {
      const drawn = performance.getEntriesByName('spaces:first-render')[0];
      return { savedAt: window.__downloadSavedAt, drawnAt: drawn.startTime + drawn.duration };
    });
    assert.ok(savedAt > drawnAt, `saved at ${savedAt.toFixed(0)} ms, the first view drawn at ${drawnAt.toFixed(0)} ms`);
    // And a revisit then uses it.
    const before = server.log.length;
    await page.reload();
    assert.equal(await waitForLoad(page), 'ready');
    assert.equal(sent(requestsFor({ log: server.log.slice(before) })), 4);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});

test('without range support: one whole GET, said in the panel; a revisit still uses the cache', async () => {
  const server = await startServer({ root: DIST, fixtures: dir, ranges: false });
  const browser = await launch();
  try {
    const { page, errors } = browser;
    await page.goto(`${server.url}/?data=fixtures/${NAME}`);
    assert.equal(await waitForLoad(page), 'ready');
    const first = requestsFor(server);
    assert.equal(first.length, 1, JSON.stringify(first));
    assert.equal(first[0].status, 200);
    assert.equal(sent(first), size);
    const shown = await transfer(page);
    assert.equal(shown.transferred, size);
    assert.match(shown.text, /the whole file, because the server does not answer range requests/);

    await page.waitForTimeout(500);
    const before = server.log.length;
    await page.reload();
    assert.equal(await waitForLoad(page), 'ready');
    const cached = await transfer(page);
    assert.equal(cached.transferred, 0);
    assert.match(cached.text, /came from this browser's cache/);
    // The answer to the check was the whole file: the app stopped reading it.
    assert.equal(requestsFor({ log: server.log.slice(before) }).length, 1);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
