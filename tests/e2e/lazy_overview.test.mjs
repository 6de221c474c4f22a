// End to end: the Overview computes and draws a card only when it comes
// near the screen, and then draws exactly the pandas answer; an embed
// computes its own card alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { withBrowser, waitForLoad, readDataTable, assertRanked, EXPECTED as expected, DIST, FIXTURES } from './browser.mjs';

const FIXTURE = 'data=fixtures/spaces-5k-pandas.parquet';
let server;

before(async () => {
  server = await startServer({ root: DIST, fixtures: FIXTURES });
});

after(async () => {
  await server.close();
});

const computed = async (page) => (await page.getAttribute('section.overview', 'data-computed')).split(' ').filter(Boolean);
const hasChart = (page, id) =>
  page.evaluate((id) => Boolean(echarts.getInstanceByDom(document.querySelector(`[data-testid=${id}] .echart`))), id);

test('cards far below the screen are neither computed nor drawn until scrolled near', async () => {
  await withBrowser({ width: 1280, height: 800 }, async ({ page }) => {
    await page.goto(`${server.url}/?${FIXTURE}`);
    assert.equal(await waitForLoad(page), 'ready');
    await page.waitForSelector('[data-testid=chart-growth][data-ready=true]');
    await page.waitForTimeout(300);
    // The first screen: growth and the row below it.
    const first = await computed(page);
    assert.ok(first.includes('growth') && first.includes('sdk'), first.join(' '));
    // The tables at the bottom are two screens away or more.
    for (const part of ['liked', 'duplicated', 'datasets', 'facts']) assert.ok(!first.includes(part), `${part} in ${first}`);
    for (const id of ['table-most-liked', 'table-most-duplicated', 'chart-datasets']) {
      assert.equal(await page.getAttribute(`[data-testid=${id}]`, 'data-ready'), 'false', id);
      assert.equal(await page.getAttribute(`[data-testid=${id}]`, 'aria-busy'), 'true', id);
      assert.equal((await page.$$(`[data-testid=${id}-data] tbody tr`)).length, 0, `${id}: no rows yet`);
      // No sentence that could be wrong ("of 0 Spaces") either.
      assert.equal((await page.textContent(`[data-testid=${id}] .note`)).trim(), '', id);
    }
    assert.equal(await hasChart(page, 'chart-datasets'), false);
    assert.equal(await page.$$eval('[data-testid=chart-datasets] [data-testid=chart-empty]', (e) => e.length), 0);

    // Scrolled near: computed, drawn, and equal to pandas.
    await page.locator('[data-testid=chart-datasets]').scrollIntoViewIfNeeded();
    await page.waitForSelector('[data-testid=chart-datasets][data-ready=true]');
    await page.waitForFunction(() => echarts.getInstanceByDom(document.querySelector('[data-testid=chart-datasets] .echart')));
    assertRanked(assert, await readDataTable(page, 'chart-datasets-data'), expected.top_datasets, 'datasets');
    assertRanked(assert, await readDataTable(page, 'table-most-liked-data'), expected.most_liked, 'most liked');
    assert.ok((await computed(page)).includes('liked'));
    // A filter recomputes what was already wanted, and keeps it ready.
    await page.goto(`${server.url}/?${FIXTURE}&stage=RUNNING`);
    assert.equal(await waitForLoad(page), 'ready');
    assert.equal(await page.getAttribute('[data-testid=match-count]', 'data-value'), String(expected.running_rows));
    const sdk = await readDataTable(page, 'chart-sdk-data');
    assert.equal(sdk.reduce((a, [, n]) => a + n, 0), expected.running_rows);
  });
});

test('an embed computes its own card and nothing else', async () => {
  await withBrowser({}, async ({ page }) => {
    await page.goto(`${server.url}/?${FIXTURE}&embed=chart-hardware`);
    assert.equal(await waitForLoad(page), 'ready');
    await page.waitForSelector('[data-testid=chart-hardware][data-ready=true]');
    await page.waitForTimeout(300);
    assert.deepEqual(await computed(page), ['hardware']);
    assertRanked(assert, await readDataTable(page, 'chart-hardware-data'), expected.hardware, 'hardware');
  });
});
