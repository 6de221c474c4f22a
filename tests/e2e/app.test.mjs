// End to end: the release build, served on 127.0.0.1, in headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './server.mjs';
import { launch, waitForLoad, readDataTable, assertRanked, EXPECTED as expected, DIST, FIXTURES } from './browser.mjs';

let server;
let browser;

before(async () => {
  assert.ok(fs.existsSync(path.join(DIST, 'index.html')), `no build in ${DIST}: run trunk build --release`);
  server = await startServer({ root: DIST, fixtures: FIXTURES });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});


for (const variant of ['pandas', 'polars', 'duckdb', 'zstd-small-rg']) {
  test(`?data= a ${variant} fixture loads, counts and charts its SDKs`, async () => {
    const { page, errors } = browser;
    await page.goto(`${server.url}/?data=fixtures/spaces-5k-${variant}.parquet`);
    assert.equal(await waitForLoad(page), 'ready');
    assert.equal(await page.getAttribute('[data-testid=total-count]', 'data-value'), String(expected.rows));
    assertRanked(assert, await readDataTable(page, 'chart-sdk-data'), expected.sdk, `${variant} sdk`);
    // The chart itself rendered: ECharts drew a canvas inside the card.
    await page.waitForSelector('[data-testid=chart-sdk] canvas');
    const marks = await page.evaluate(() => performance.getEntriesByType('measure').map((m) => m.name));
    for (const mark of ['spaces:fetch', 'spaces:decode', 'spaces:first-render']) assert.ok(marks.includes(mark), mark);
    assert.deepEqual(errors, []);
  });
}

test('?data=sample loads the bundled sample and labels it', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/?data=sample`);
  assert.equal(await waitForLoad(page), 'ready');
  assert.equal(await page.getAttribute('[data-testid=total-count]', 'data-value'), '5000');
  assert.match(await page.textContent('.source-panel'), /Sample/);
});

test('a file that is not Parquet gives a clear error, a retry and the sample', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/?data=fixtures/spaces-5k.expected.json`);
  assert.equal(await waitForLoad(page), 'error');
  const text = await page.textContent('[data-testid=load-status]');
  assert.match(text, /not a Parquet file/);
  assert.match(text, /looks like JSON/);
  await page.click('text=Load the bundled sample instead');
  assert.equal(await waitForLoad(page), 'ready');
  assert.equal(await page.getAttribute('[data-testid=total-count]', 'data-value'), '5000');
});

test('a missing file reports the HTTP status', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/?data=fixtures/nope.parquet`);
  assert.equal(await waitForLoad(page), 'error');
  assert.match(await page.textContent('[data-testid=load-status]'), /404/);
});

test('the deployable Space folder works under a sub-path', async () => {
  const space = path.join(path.dirname(DIST), 'space');
  assert.ok(fs.existsSync(path.join(space, 'README.md')), 'run scripts/deploy.sh first');
  const readme = fs.readFileSync(path.join(space, 'README.md'), 'utf8');
  assert.match(readme, /^---\n/);
  assert.match(readme, /^sdk: static$/m);
  assert.match(readme, /^app_file: index\.html$/m);
  // The shipped policy allows no local hosts; the test build (dist/) keeps them.
  const policyOf = (dir) => /connect-src ([^;"]*)/.exec(fs.readFileSync(path.join(dir, 'index.html'), 'utf8'))[1];
  assert.equal(policyOf(space), "'self' https:");
  assert.match(policyOf(DIST), /http:\/\/127\.0\.0\.1:\*/);
  const sub = await startServer({ root: space, basePath: '/spaces-ship/nested/' });
  try {
    const { page, errors } = browser;
    await page.goto(`${sub.url}/spaces-ship/nested/?data=sample`);
    assert.equal(await waitForLoad(page), 'ready');
    assert.equal(await page.getAttribute('[data-testid=total-count]', 'data-value'), '5000');
    assert.ok(sub.log.every((entry) => entry.status !== 404), JSON.stringify(sub.log.filter((e) => e.status === 404)));
    assert.deepEqual(errors, []);
  } finally {
    await sub.close();
  }
});
