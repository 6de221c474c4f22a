// End to end: hostile data stays text, bad files get a clear message and a
// way out, hostile URLs are refused with a note, other hosts need consent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './server.mjs';
import { launch, waitForLoad, readDataTable, assertRanked, DIST, FIXTURES } from './browser.mjs';

const hostile = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'spaces-hostile.expected.json'), 'utf8'));
const PAYLOAD = `"><img src=x onerror="window.__pwned='img'">`;

let server;
let browser;
let badDir;

/** The bad files a visitor might point the app at, made from the fixtures. */
function writeBadFiles(dir) {
  const good = fs.readFileSync(path.join(FIXTURES, 'spaces-5k-pandas.parquet'));
  const footerLength = good.readUInt32LE(good.length - 8);
  const corrupted = Buffer.from(good);
  // Scramble the footer's metadata but keep its length and the magic.
  for (let i = good.length - 8 - footerLength; i < good.length - 8; i += 3) corrupted[i] ^= 0x5a;
  const files = {
    'empty.parquet': Buffer.alloc(0),
    'error-page.parquet': Buffer.from('<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502</h1></body></html>'),
    'truncated.parquet': good.subarray(0, Math.floor(good.length * 0.6)),
    'corrupted-footer.parquet': corrupted,
  };
  for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), bytes);
  for (const name of ['models-table.parquet', 'spaces-zero-rows.parquet', 'spaces-5k-pandas.parquet', 'spaces-brotli.parquet']) {
    fs.copyFileSync(path.join(FIXTURES, name), path.join(dir, name));
  }
}

before(async () => {
  badDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spaces-ship-bad-'));
  writeBadFiles(badDir);
  server = await startServer({ root: DIST, fixtures: FIXTURES });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(badDir, { recursive: true, force: true });
});

/** Nothing injected ran, no dialog opened, the policy blocked nothing of ours. */
async function assertNothingRan(page, { errors, dialogs }) {
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'injected script ran');
  assert.deepEqual(dialogs, []);
  assert.deepEqual(errors, []);
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  // Markup in the data never became elements.
  const injected = await page.$$eval('body img, body iframe, body script, body svg[onload], body style', (els) =>
    els.filter((e) => !(e.tagName === 'STYLE' && !e.textContent.includes('pwned'))).map((e) => e.outerHTML.slice(0, 80)),
  );
  assert.deepEqual(injected, []);
}

/** Every link goes to the Hub or to an https custom domain that is a plain host name. */
async function assertSafeLinks(page) {
  const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
  for (const href of hrefs) {
    const url = new URL(href);
    const ok =
      (url.protocol === 'https:' && url.hostname === 'huggingface.co') ||
      (url.protocol === 'https:' && /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(url.hostname) && url.pathname === '/') ||
      url.origin === new URL(page.url()).origin;
    assert.ok(ok, `unsafe link ${href}`);
  }
}

test('hostile values render as text in the overview, and the counts are right', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/?data=fixtures/spaces-hostile.parquet`);
  assert.equal(await waitForLoad(page), 'ready');
  assert.equal(await page.getAttribute('[data-testid=total-count]', 'data-value'), String(hostile.rows));
  assertRanked(assert, await readDataTable(page, 'chart-sdk-data'), hostile.sdk, 'hostile sdk');
  const mostLiked = await readDataTable(page, 'table-most-liked-data');
  assert.deepEqual(mostLiked.slice(0, 3), hostile.most_liked);
  // The payload is on the page as text.
  assert.ok((await page.textContent('[data-testid=table-most-liked]')).length > 0);
  assert.ok((await page.textContent('body')).includes(PAYLOAD));
  // Tooltips are HTML in ECharts: sweep the pointer over the scatter charts.
  for (const id of ['chart-author-likes', 'chart-emoji-likes', 'chart-sdk', 'chart-models']) {
    const box = await page.locator(`[data-testid=${id}] canvas`).first().boundingBox();
    if (!box) continue;
    for (let x = 0.1; x < 1; x += 0.08) {
      for (let y = 0.1; y < 1; y += 0.2) await page.mouse.move(box.x + box.width * x, box.y + box.height * y);
    }
  }
  await assertSafeLinks(page);
  await assertNothingRan(page, browser);
});

test('hostile values render as text in search results, chips and facets', async (t) => {
  const { page } = browser;
  // Tall enough for all 15 matches at once: the list builds only the rows
  // in view and a few beyond.
  await page.setViewportSize({ width: 1280, height: 1200 });
  t.after(() => page.setViewportSize({ width: 1280, height: 900 }));
  await page.goto(`${server.url}/?data=fixtures/spaces-hostile.parquet&view=search&stage=RUNNING`);
  assert.equal(await waitForLoad(page), 'ready');
  assert.equal(await page.getAttribute('[data-testid=match-count]', 'data-value'), String(hostile.running_rows));
  const ids = await page.$$eval('[data-testid=result-row]', (rows) => rows.map((r) => r.dataset.spaceId));
  assert.ok(ids.includes(`${PAYLOAD}/0`), ids.join('\n').slice(0, 400));
  // A model chip carrying markup becomes a filter, in the URL, and back.
  const markupModel = `<a href="javascript:window.__pwned='a'">click</a>/model`;
  await page.locator('[data-testid=result-row] .mini-chip', { hasText: markupModel }).first().click();
  await page.waitForFunction(() => new URLSearchParams(location.search).has('model'));
  const model = new URL(page.url()).searchParams.get('model');
  assert.equal(model, markupModel);
  await page.reload();
  assert.equal(await waitForLoad(page), 'ready');
  assert.equal(new URL(page.url()).searchParams.get('model'), model);
  assert.equal(await page.getAttribute('[data-testid=match-count]', 'data-value'), '1');
  const shown = await page.$$eval('[data-testid=result-row]', (rows) => rows.map((r) => r.dataset.spaceId));
  assert.deepEqual(shown, [`<a href="javascript:window.__pwned='a'">click</a>/4`]);
  await assertSafeLinks(page);
  await assertNothingRan(page, browser);
});

const BAD_FILES = [
  ['empty.parquet', /The file is empty \(0 bytes\)/],
  ['error-page.parquet', /not a Parquet file.*HTML/s],
  ['truncated.parquet', /damaged or truncated: it starts like Parquet but its end is missing/],
  ['corrupted-footer.parquet', /damaged or truncated/],
  ['models-table.parquet', /not a table of Hugging Face Spaces.*downloads, pipeline_tag/s],
  ['spaces-brotli.parquet', /compressed with BROTLI, which this app does not decode in the browser/],
];

test('bad files give a clear message, a retry and the sample', async () => {
  const bad = await startServer({ root: DIST, fixtures: badDir });
  try {
    const { page } = browser;
    for (const [name, message] of BAD_FILES) {
      await page.goto(`${bad.url}/?data=fixtures/${name}`);
      assert.equal(await waitForLoad(page), 'error', name);
      const text = await page.textContent('[data-testid=load-status]');
      assert.match(text, message, name);
      assert.ok(await page.isVisible('[data-testid=load-status] >> text=Try again'), name);
      assert.ok(await page.isVisible('text=Load the bundled sample instead'), name);
      // Retry fetches again and lands in the same clear state.
      const requests = bad.log.filter((e) => e.path.endsWith(name)).length;
      await page.click('[data-testid=load-status] >> text=Try again');
      assert.equal(await waitForLoad(page), 'error', name);
      assert.ok(bad.log.filter((e) => e.path.endsWith(name)).length > requests, `${name} retried`);
      assert.match(await page.textContent('[data-testid=load-status]'), message, `${name} after retry`);
    }
    await page.click('text=Load the bundled sample instead');
    assert.equal(await waitForLoad(page), 'ready');
    assert.equal(await page.getAttribute('[data-testid=total-count]', 'data-value'), '5000');
    assert.deepEqual(browser.errors, []);
  } finally {
    await bad.close();
  }
});

test('a file with zero rows is a valid, empty overview', async () => {
  const { page, errors } = browser;
  await page.goto(`${server.url}/?data=fixtures/spaces-zero-rows.parquet`);
  assert.equal(await waitForLoad(page), 'ready');
  assert.equal(await page.getAttribute('[data-testid=total-count]', 'data-value'), '0');
  assert.deepEqual(await readDataTable(page, 'chart-sdk-data'), []);
  assert.match(await page.textContent('.source-panel'), /no Spaces/i);
  await page.click('text=Search');
  assert.equal(await page.getAttribute('[data-testid=match-count]', 'data-value'), '0');
  assert.deepEqual(errors, []);
});

test('hostile URL parameters are ignored with a visible note, never a crash', async () => {
  const { page, errors, dialogs } = browser;
  // Over the codec's 4,096-character limit, under the 16 kB a server takes.
  const huge = 'a'.repeat(6_000);
  const query = [
    'data=sample',
    'q=%E0%A4%A',
    'sdk=%ZZ,gradio',
    'bogus=%3Cscript%3E',
    'likes=-5',
    'created=2024-13-45..',
    'sort=sideways',
    'embed=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E',
    `author=${huge}`,
    'view=search',
  ].join('&');
  await page.goto(`${server.url}/?${query}`);
  assert.equal(await waitForLoad(page), 'ready');
  const notes = await page.textContent('.notice');
  for (const expected of ['bogus', 'likes', 'created', 'sort', 'embed', 'too long']) {
    assert.ok(notes.includes(expected), `note about ${expected}: ${notes}`);
  }
  assert.ok(notes.includes('<img src=x'), 'the refused value is shown as text');
  // The well-formed part still applies.
  assert.equal(new URL(page.url()).searchParams.get('view'), 'search');
  await assertNothingRan(page, browser);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(errors, []);
});

test('data= with another scheme is refused; the refusal is said on the page', async () => {
  const { page, offsite } = browser;
  for (const data of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd']) {
    offsite.length = 0;
    await page.goto(`${server.url}/?data=${encodeURIComponent(data)}`);
    await page.waitForSelector('.notice');
    assert.match(await page.textContent('.notice'), /was not used: it is not an http\(s\) URL/);
    // It falls back to the Hub dataset, which these tests never reach.
    assert.equal(await waitForLoad(page), 'error');
    assert.ok(offsite.every((u) => u.startsWith('https://huggingface.co/')), offsite.join());
  }
  await assertNothingRan(page, browser);
});

test('data on another host loads only after the page names the host and the visitor agrees', async () => {
  // A second origin on 127.0.0.1 stands in for someone else's server.
  const other = await startServer({ root: badDir, fixtures: badDir });
  try {
    const { page, offsite } = browser;
    offsite.length = 0;
    const foreign = `${other.url}/fixtures/spaces-5k-pandas.parquet`;
    await page.goto(`${server.url}/?data=${encodeURIComponent(foreign)}`);
    await page.waitForSelector('[data-testid=consent]');
    const host = new URL(other.url).host;
    assert.equal(await page.getAttribute('[data-testid=consent]', 'data-host'), host);
    assert.match(await page.textContent('[data-testid=consent]'), new RegExp(`${host.replace('.', '\\.')}.*not Hugging Face`, 's'));
    assert.equal(await page.getAttribute('[data-testid=load-status]', 'data-state'), 'loading');
    // Nothing was requested from it yet.
    await page.waitForTimeout(300);
    assert.equal(other.log.length, 0);
    await page.click(`text=Load data from ${host}`);
    assert.equal(await waitForLoad(page), 'ready');
    assert.equal(await page.getAttribute('[data-testid=total-count]', 'data-value'), '5000');
    assert.ok(other.log.length > 0);
    // A Hub address needs no consent (the request is refused offline here).
    await page.goto(`${server.url}/?data=${encodeURIComponent('https://huggingface.co/datasets/x/y/resolve/main/a.parquet')}`);
    assert.equal(await waitForLoad(page), 'error');
    assert.equal(await page.$('[data-testid=consent]'), null);
    // Declining: the Hub link keeps the view and drops the data address.
    await page.goto(`${server.url}/?view=search&sdk=gradio&data=${encodeURIComponent('https://huggingface.co@evil.example/x.parquet')}`);
    assert.equal(await page.getAttribute('[data-testid=consent]', 'data-host'), 'evil.example');
    await page.click('text=Use the bundled sample');
    assert.equal(await waitForLoad(page), 'ready');
    assert.ok(offsite.every((u) => !u.includes('evil.example')), offsite.join());
    assert.deepEqual(browser.errors, []);
  } finally {
    await other.close();
  }
});

test('a file that crashes the Parquet reader shows a readable error and a way out', async () => {
  // Found by the fuzz run (tests/fuzz.rs): a damaged data page on which the
  // Parquet crate itself panics. The page must say so, not go blank.
  const own = await launch();
  try {
    const { page } = own;
    await page.goto(`${server.url}/?data=fixtures/damaged-page.parquet`);
    assert.equal(await waitForLoad(page), 'error');
    const text = await page.textContent('[data-testid=load-status]');
    assert.match(text, /the Parquet reader stopped on damaged data in the file/);
    await page.click('text=Load the bundled sample instead');
    assert.equal(await waitForLoad(page), 'ready');
    assert.equal(await page.getAttribute('[data-testid=total-count]', 'data-value'), '5000');
  } finally {
    await own.close();
  }
});
