// End to end: every Overview chart's data table against pandas' answers,
// filters from the URL, and click-to-filter updating the URL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './server.mjs';
import { launch, waitForLoad, readDataTable, assertRanked, EXPECTED as expected, DIST, FIXTURES } from './browser.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ root: DIST, fixtures: FIXTURES });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});


const TABLES = {
  'chart-sdk-data': 'sdk',
  'chart-emoji-data': 'emoji_top10',
  'chart-hardware-data': 'hardware',
  'chart-models-data': 'top_models',
  'chart-model-authors-data': 'top_model_authors',
  'chart-datasets-data': 'top_datasets',
  'chart-dataset-authors-data': 'top_dataset_authors',
  'chart-author-likes-data': 'authors_by_likes',
  'table-most-duplicated-data': 'most_duplicated',
  'table-most-liked-data': 'most_liked',
  'table-authors-by-spaces-data': 'authors_by_spaces',
  'table-authors-by-likes-data': 'authors_by_likes',
};

// Upstream's writers, then the same rows in the Hub API record's shapes.
for (const variant of ['pandas', 'pandas3', 'license-list', 'zstd-small-rg', 'duckdb', 'polars', 'hub-api', 'hub-api-json', 'hub-api-struct']) {
  test(`every overview table equals pandas for the ${variant} fixture`, async () => {
    const { page, errors } = browser;
    await page.goto(`${server.url}/?data=fixtures/spaces-5k-${variant}.parquet`);
    assert.equal(await waitForLoad(page), 'ready');
    for (const [testId, key] of Object.entries(TABLES)) {
      assertRanked(assert, await readDataTable(page, testId), expected[key], `${variant} ${testId}`);
    }
    const months = (await readDataTable(page, 'chart-growth-data')).filter(([, n]) => n > 0);
    assert.deepEqual(Object.fromEntries(months), expected.created_per_month);
    const emojiLikes = await readDataTable(page, 'chart-emoji-likes-data');
    assert.equal(emojiLikes.length, 20);
    assert.ok(emojiLikes.every((row, i) => i === 0 || emojiLikes[i - 1][1] >= row[1]), 'emoji by likes, most first');
    // Every chart drew.
    for (const id of ['chart-growth', 'chart-sdk', 'chart-emoji', 'chart-author-likes', 'chart-emoji-likes',
      'chart-hardware', 'chart-model-authors', 'chart-models', 'chart-dataset-authors', 'chart-datasets']) {
      assert.ok(await page.$(`[data-testid=${id}] canvas`), `${id} has a canvas`);
    }
    assert.deepEqual(errors, []);
  });
}

test('filters in the URL drive the overview', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/?data=fixtures/spaces-5k-pandas.parquet&stage=RUNNING&likes=100`);
  assert.equal(await waitForLoad(page), 'ready');
  assert.equal(await page.getAttribute('[data-testid=match-count]', 'data-value'), String(expected.running_likes_ge_100));
  assert.equal(await page.getAttribute('[data-testid=total-count]', 'data-value'), '5000');
  const liked = await readDataTable(page, 'table-most-liked-data');
  assert.equal(liked.length, expected.running_likes_ge_100);
  assert.ok(liked.every(([, likes]) => likes >= 100));
  const sdk = await readDataTable(page, 'chart-sdk-data');
  assert.equal(sdk.reduce((a, [, n]) => a + n, 0), expected.running_likes_ge_100);

  await page.goto(`${server.url}/?data=fixtures/spaces-5k-pandas.parquet&stage=RUNNING`);
  assert.equal(await waitForLoad(page), 'ready');
  assert.equal(await page.getAttribute('[data-testid=match-count]', 'data-value'), String(expected.running_rows));
});

test('clicking a slice adds a filter, updates the URL, and a chip removes it', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/?data=fixtures/spaces-5k-pandas.parquet`);
  assert.equal(await waitForLoad(page), 'ready');
  // ECharts draws on a canvas: deliver the click through its own event API.
  await page.evaluate(() => {
    const chart = echarts.getInstanceByDom(document.querySelector('[data-testid=chart-sdk] .echart'));
    chart.trigger('click', { dataIndex: 1, name: 'docker' });
  });
  await page.waitForFunction(() => new URL(location.href).searchParams.get('sdk') === 'docker');
  const docker = expected.sdk.find(([name]) => name === 'docker')[1];
  assert.equal(await page.getAttribute('[data-testid=match-count]', 'data-value'), String(docker));
  // The SDK chart keeps every SDK (the other filters' Spaces), docker
  // highlighted, instead of collapsing to one 100% slice.
  assertRanked(assert, await readDataTable(page, 'chart-sdk-data'), expected.sdk, 'sdk while docker is selected');
  const slices = await page.evaluate(() => echarts.getInstanceByDom(document.querySelector('[data-testid=chart-sdk] .echart'))
    .getOption().series[0].data.map((d) => [d.name, d.selected]));
  assert.deepEqual(slices.filter(([, selected]) => selected).map(([name]) => name), ['docker']);
  assert.equal(slices.length, expected.sdk.length);
  const marks = await page.evaluate(() => performance.getEntriesByName('spaces:filter').length);
  assert.ok(marks >= 2, `one spaces:filter measure per update (${marks})`);
  await page.click('.chip');
  await page.waitForFunction(() => !new URL(location.href).searchParams.has('sdk'));
  assert.equal(await page.getAttribute('[data-testid=match-count]', 'data-value'), '5000');
});

test('typing a query filters as you type and lands in the URL', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/?data=fixtures/spaces-5k-pandas.parquet`);
  assert.equal(await waitForLoad(page), 'ready');
  await page.fill('input[type=search]', 'huggingface/');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'huggingface/');
  const spaces = expected.authors_by_spaces.find(([name]) => name === 'huggingface')[1];
  await page.waitForFunction((n) => document.querySelector('[data-testid=match-count]')?.dataset.value === n, String(spaces));
});

test('a table row\'s filter button filters by that author', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/?data=fixtures/spaces-5k-pandas.parquet`);
  assert.equal(await waitForLoad(page), 'ready');
  // As a visitor would: the card is computed once it comes near the screen.
  await page.locator('[data-testid=table-authors-by-spaces]').scrollIntoViewIfNeeded();
  await page.click('[data-testid=table-authors-by-spaces-data] tbody tr:first-child button.row-filter');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('author') === 'huggingface');
  const [name, spaces] = expected.authors_by_spaces[0];
  assert.equal(name, 'huggingface');
  assert.equal(await page.getAttribute('[data-testid=match-count]', 'data-value'), String(spaces));
  assert.deepEqual(await readDataTable(page, 'table-authors-by-spaces-data'), [[name, spaces]]);
});
