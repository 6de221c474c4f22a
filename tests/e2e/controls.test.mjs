// End to end: the Search controls added for issue 4's last items: the likes
// slider on a 1-2-5 scale and tag chips on result rows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launch, waitForLoad, EXPECTED as expected, DIST, FIXTURES } from './browser.mjs';

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

test('the likes slider moves in 1-2-5 steps, filters, and agrees with the number box', async () => {
  const { page, errors } = browser;
  await page.goto(`${server.url}/?data=fixtures/spaces-5k-pandas.parquet&view=search&stage=RUNNING`);
  assert.equal(await waitForLoad(page), 'ready');
  const slider = page.locator('[data-testid=likes-slider]');
  assert.equal(await slider.getAttribute('aria-valuetext'), 'any number of likes');
  // Keyboard: seven steps right of 0 is 100 (1, 2, 5, 10, 20, 50, 100).
  await slider.focus();
  for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('likes') === '100');
  assert.equal(await page.getAttribute('[data-testid=match-count]', 'data-value'), String(expected.running_likes_ge_100));
  assert.equal(await page.inputValue('[data-testid=likes-min]'), '100');
  assert.equal(await slider.getAttribute('aria-valuetext'), 'at least 100 likes');
  // A typed value in between rests the slider on the step below it.
  await page.fill('[data-testid=likes-min]', '300');
  await page.press('[data-testid=likes-min]', 'Enter');
  await page.locator('[data-testid=likes-min]').blur();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('likes') === '300');
  assert.equal(await slider.inputValue(), '8'); // 200
  // Back to 0 removes the filter.
  await slider.fill('0');
  await page.waitForFunction(() => !new URL(location.href).searchParams.has('likes'));
  assert.equal(await page.getAttribute('[data-testid=match-count]', 'data-value'), String(expected.running_rows));
  assert.deepEqual(errors, []);
});

test('a tag on a result row adds that tag as a filter', async () => {
  const { page, errors } = browser;
  await page.goto(`${server.url}/?data=fixtures/spaces-hostile.parquet&view=search&sort=id`);
  assert.equal(await waitForLoad(page), 'ready');
  const chip = page.locator('[data-testid=result-row] .mini-chip[title^="Filter by Tag "]').first();
  const tag = (await chip.getAttribute('title')).slice('Filter by Tag '.length);
  assert.ok(tag.length > 0);
  await chip.click();
  await page.waitForFunction(() => new URL(location.href).searchParams.has('tag'));
  assert.equal(new URL(page.url()).searchParams.get('tag'), tag);
  const ids = await page.$$eval('[data-testid=result-row]', (rows) => rows.map((r) => r.dataset.spaceId));
  assert.ok(ids.length >= 1);
  assert.deepEqual(errors, []);
});
