// End to end: titles and descriptions that a file keeps in chunks of
// their own are not downloaded for the Overview; Search fetches them by
// range (or from this browser's cache) when it first needs them, and then
// searches and shows them as a file read whole would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './server.mjs';
import { launch, waitForLoad, readDataTable, recordHooks, readHooks, DIST, FIXTURES } from './browser.mjs';

// `cardData` as a struct: its title and short_description are leaves of
// their own. The JSON-text variant holds the same Spaces, read at once.
const APART = 'spaces-5k-hub-api-struct.parquet';
const TOGETHER = 'spaces-5k-hub-api-json.parquet';
let dir;
let server;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spaces-ship-prose-'));
  for (const name of [APART, TOGETHER]) fs.copyFileSync(path.join(FIXTURES, name), path.join(dir, name));
  server = await startServer({ root: DIST, fixtures: dir });
});

after(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const PROSE = '[data-testid=prose-summary]';
const rangesOf = (entries) =>
  entries
    .filter((e) => e.path === `/fixtures/${APART}`)
    .map((e) => {
      assert.equal(e.status, 206, JSON.stringify(e));
      const [, start, end] = /^bytes=(\d+)-(\d+)$/.exec(e.range);
      return [Number(start), Number(end)];
    });
const overlaps = ([a, b], [c, d]) => a <= d && c <= b;

async function matchCount(page) {
  await page.waitForFunction(() => document.querySelector('[data-testid=match-count]')?.dataset.value);
  return Number(await page.getAttribute('[data-testid=match-count]', 'data-value'));
}

test('the Overview never downloads the prose; Search fetches it apart, then a revisit reads it from the cache', async () => {
  const browser = await launch();
  try {
    const { page, errors } = browser;
    const start = server.log.length;
    await page.goto(`${server.url}/?data=fixtures/${APART}`);
    assert.equal(await waitForLoad(page), 'ready');
    await page.waitForTimeout(800); // idle work after the first render
    assert.equal(await page.getAttribute(PROSE, 'data-state'), 'deferred');
    assert.match(await page.textContent(PROSE), /Titles and descriptions \(.+ more\) are fetched when Search first needs them\./);
    const overview = rangesOf(server.log.slice(start));
    assert.ok(overview.length >= 2, JSON.stringify(overview));

    const mid = server.log.length;
    await page.click('[role=tab]:has-text("Search")');
    await page.waitForSelector(`${PROSE}[data-state=ready]`);
    assert.match(await page.textContent(PROSE), /Titles and descriptions: .+ fetched when Search first needed them\./);
    const search = rangesOf(server.log.slice(mid));
    assert.ok(search.length >= 1, 'Search fetched the prose');
    for (const range of search) {
      assert.ok(!overview.some((o) => overlaps(o, range)), `${range} was not fetched before`);
    }
    // Every row shows its description (each Space of the fixture has one).
    await page.waitForSelector('[data-testid=result-row] .result-description');
    const descriptions = await page.$$eval('[data-testid=result-row]', (rows) =>
      rows.map((r) => r.querySelector('.result-description')?.textContent ?? ''),
    );
    assert.ok(descriptions.length > 5);
    for (const d of descriptions) assert.match(d, /^A (gradio|docker|static|streamlit) demo$/);

    // Revisit on Search: the columns and the prose come from the cache,
    // after the four-byte check that the file is unchanged.
    await page.waitForTimeout(500); // the cache write follows the decode
    const again = server.log.length;
    await page.goto(`${server.url}/?data=fixtures/${APART}&view=search`);
    assert.equal(await waitForLoad(page), 'ready');
    await page.waitForSelector(`${PROSE}[data-state=ready]`);
    assert.equal(await page.textContent(PROSE), "Titles and descriptions came from this browser's cache.");
    const revisit = server.log.slice(again).filter((e) => e.path === `/fixtures/${APART}`);
    assert.deepEqual(revisit.map((e) => e.range), ['bytes=0-3']);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('a query in the link fetches the prose at once and finds what the whole file finds', async () => {
  const browser = await launch();
  try {
    const { page, errors } = browser;
    // Every value the hooks take during each load, in order.
    await recordHooks(page);
    // A phrase only descriptions hold (ids have no spaces).
    const query = `q=${encodeURIComponent('"docker demo"')}`;
    await page.goto(`${server.url}/?data=fixtures/${TOGETHER}&${query}`);
    assert.equal(await waitForLoad(page), 'ready');
    const expected = await matchCount(page);
    assert.ok(expected > 100, `${expected} docker demos`);

    await page.goto(`${server.url}/?data=fixtures/${APART}&${query}`);
    assert.equal(await waitForLoad(page), 'ready');
    // The count made before the descriptions came (0: only they hold the
    // phrase) is never shown, nor "No Spaces match", nor an empty chart:
    // "ready" comes with the count over the whole text.
    assert.equal(await matchCount(page), expected);
    const hooks = await readHooks(page);
    const counts = [...new Set(hooks.map((h) => h.count).filter((c) => c !== undefined))];
    assert.deepEqual(counts, [String(expected)], JSON.stringify(hooks));
    assert.ok(hooks.every((h) => !h.empty), 'no "No Spaces match" on the way');
    assert.ok(hooks.every((h) => !h.chartEmpty), 'no empty chart on the way');
    await page.waitForSelector(`${PROSE}[data-state=ready]`);
    // The Overview counted the same Spaces.
    assert.deepEqual(await readDataTable(page, 'chart-sdk-data'), [['docker', expected]]);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
