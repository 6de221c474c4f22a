// End to end: `data=` addresses are resolved as the browser resolves them
// before anything is fetched (backslashes and control characters refused),
// consent is never offered inside a stranger's frame, credentials and
// look-alike hosts are never shown as written, and oversized links stay
// bounded (facet values capped, notes capped and dismissable).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './server.mjs';
import { launch, waitForLoad, DIST, FIXTURES } from './browser.mjs';

const FILE = '/fixtures/spaces-5k-pandas.parquet';
let server;
let other;
let otherRoot;
let browser;

before(async () => {
  server = await startServer({ root: DIST, fixtures: FIXTURES });
  // A second origin on 127.0.0.1 stands in for someone else's site.
  otherRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'spaces-ship-other-'));
  other = await startServer({ root: otherRoot, fixtures: FIXTURES });
  browser = await launch();
  // Main-thread tasks over 50 ms, as the browser reports them.
  await browser.context.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
  await other?.close();
  fs.rmSync(otherRoot, { recursive: true, force: true });
});

test('addresses that only look like paths are refused before any request', async () => {
  const { page } = browser;
  const port = new URL(other.url).port;
  // As they appear in the address bar: each would reach the other origin.
  for (const data of [
    `/%5Clocalhost:${port}${FILE}`,
    `%5C%5Clocalhost:${port}${FILE}`,
    `/%09/localhost:${port}${FILE}`,
    `/%0A/localhost:${port}${FILE}`,
    `%01http://localhost:${port}${FILE}`,
    `ht%09tp://localhost:${port}${FILE}`,
    `/%5C127.0.0.1:${port}${FILE}`,
  ]) {
    other.log.length = 0;
    await page.goto(`${server.url}/?data=${data}`);
    await page.waitForSelector('[data-testid=url-notes]');
    const note = await page.textContent('[data-testid=url-notes]');
    assert.match(note, /was not used: it contains a backslash or a control character/, data);
    // Falls back to the Hub file, which these tests never reach.
    assert.equal(await waitForLoad(page), 'error', data);
    assert.equal(await page.$('[data-testid=consent]'), null, data);
    assert.deepEqual(other.log, [], data);
  }
  assert.deepEqual(browser.errors, []);
});

test('inside another site\'s frame there is no consent button, only a link to open it directly', async () => {
  const foreign = `${other.url}${FILE}`;
  const framed = `${server.url}/?data=${encodeURIComponent(foreign)}&embed=search`;
  fs.writeFileSync(
    path.join(otherRoot, 'frame.html'),
    `<!DOCTYPE html><button style="position:absolute;top:120px">Win a prize</button>
     <iframe src="${framed}" style="opacity:0.05;width:900px;height:700px;border:0"></iframe>`,
  );
  const { page } = browser;
  other.log.length = 0;
  await page.goto(`${other.url}/frame.html`);
  const frame = page.frames().find((f) => f.url().startsWith(server.url));
  await frame.waitForSelector('[data-testid=open-directly]');
  const host = new URL(other.url).host;
  assert.equal(await frame.getAttribute('[data-testid=open-directly]', 'data-host'), host);
  const text = await frame.textContent('[data-testid=load-status]');
  assert.ok(text.includes(`Open this link directly to load data from ${host}`), text);
  assert.equal(await frame.$('[data-testid=consent]'), null);
  assert.equal(await frame.$('[data-testid=load-status] button'), null);
  const link = await frame.$('a:has-text("Open this link directly")');
  assert.equal(await link.getAttribute('href'), framed);
  assert.equal(await link.getAttribute('target'), '_blank');
  assert.match(await link.getAttribute('rel'), /\bnoopener\b/);
  await page.waitForTimeout(300);
  assert.deepEqual(other.log.map((e) => e.path), ['/frame.html']);
  // The same address as a page of its own asks, as before.
  await page.goto(framed);
  await page.waitForSelector('[data-testid=consent]');
  assert.deepEqual(browser.errors, []);
});

test('credentials are never shown or sent, and the address is requested exactly as given', async () => {
  const { page } = browser;
  const host = new URL(other.url).host;
  other.log.length = 0;
  const data = `http://visitor:s3cret@${host}${FILE}?sig=a%2Bb&exp=1`;
  await page.goto(`${server.url}/?data=${encodeURIComponent(data)}`);
  await page.waitForSelector('[data-testid=consent]');
  assert.equal(await page.getAttribute('[data-testid=consent]', 'data-host'), host);
  await page.click(`text=Load data from ${host}`);
  assert.equal(await waitForLoad(page), 'ready');
  const body = await page.textContent('body');
  assert.ok(!body.includes('s3cret') && !body.includes('visitor:'), 'credentials shown');
  assert.match(body, /user name or password; they were removed and not sent/);
  assert.ok(other.log.length > 0);
  for (const entry of other.log) assert.equal(entry.url, `${FILE}?sig=a%2Bb&exp=1`);
});

test('a look-alike host is shown in punycode', async () => {
  const { page, offsite } = browser;
  offsite.length = 0;
  await page.goto(`${server.url}/?data=${encodeURIComponent('https://раураl.com/spaces.parquet')}`);
  await page.waitForSelector('[data-testid=consent]');
  assert.equal(await page.getAttribute('[data-testid=consent]', 'data-host'), 'xn--l-7sba6dbr.com');
  const text = await page.textContent('body');
  assert.ok(text.includes('Load data from xn--l-7sba6dbr.com'), text);
  assert.ok(!text.includes('раураl'), 'the look-alike name is shown');
  assert.deepEqual(offsite, []);
});

test('a 692 kB link of 100,000 author values reaches a clear view in seconds', async () => {
  const { page } = browser;
  const params = [];
  for (let p = 0; p < 500; p++) {
    const values = [];
    for (let v = 0; v < 200; v++) values.push(`a${p * 200 + v}`);
    params.push(`author=${values.join(',')}`);
  }
  const query = `data=sample&${params.join('&')}`;
  assert.ok(query.length > 690_000, String(query.length));
  const started = Date.now();
  await page.goto(`${server.url}/?${query}`);
  assert.equal(await waitForLoad(page, 30_000), 'ready');
  await page.waitForSelector('[data-testid=match-count]');
  const elapsed = Date.now() - started;
  console.log(`# 692 kB link: ready in ${elapsed} ms`);
  assert.ok(elapsed < 10_000, `${elapsed} ms`);
  assert.equal(await page.$$eval('.chips .chip', (chips) => chips.length), 200);
  assert.match(await page.textContent('[data-testid=url-notes]'), /Kept the first 200 author values of this link; 99,800 more were left out\./);
  const longest = Math.max(0, ...(await page.evaluate(() => window.__longTasks)));
  console.log(`# 692 kB link: longest main-thread task ${Math.round(longest)} ms`);
  assert.ok(longest < 1000, `a ${longest} ms task`);
});

test('notes are capped with "+N more" and can be dismissed', async () => {
  const { page } = browser;
  const unknown = Array.from({ length: 50_000 }, (_, i) => `x${i}=1`).join('&');
  await page.goto(`${server.url}/?data=sample&${unknown}`);
  assert.equal(await waitForLoad(page, 30_000), 'ready');
  const items = await page.$$eval('[data-testid=url-notes] li', (lis) => lis.map((li) => li.textContent));
  assert.equal(items.length, 9, items.join('\n'));
  assert.equal(items[0], 'Ignored the unknown parameter “x0”.');
  assert.equal(items[8], '+49,992 more');
  assert.ok(items.every((t) => !t.includes('`')));
  const dismiss = await page.$('[data-testid=url-notes] button[aria-label="Dismiss these notes"]');
  assert.ok(dismiss, 'a labelled dismiss button');
  await dismiss.click();
  assert.equal(await page.$('[data-testid=url-notes]'), null);
  assert.equal(await page.getAttribute('[data-testid=total-count]', 'data-value'), '5000');
});
