// End to end: the Search pane tells the truth (issue 16): no hidden
// default filter, an honest empty state, labelled result rows, facet
// hints, likes and dates that say what they do, a skip link, and phone
// filters that lead back to the results.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launch, waitForLoad, EXPECTED as expected, DIST, FIXTURES } from './browser.mjs';

let server;
let browser;
const DATA = 'data=fixtures/spaces-5k-pandas.parquet';

before(async () => {
  server = await startServer({ root: DIST, fixtures: FIXTURES });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const matchCount = (page) => page.getAttribute('[data-testid=match-count]', 'data-value');
const params = (page) => new URL(page.url()).searchParams;
const waitForParam = (page, name, value) =>
  page.waitForFunction(([n, v]) => new URL(location.href).searchParams.get(n) === v, [name, value]);

test('switching tabs never adds a stage filter: the same URL gives the same view', async () => {
  const { page, errors } = browser;
  await page.goto(`${server.url}/?${DATA}&view=search`);
  assert.equal(await waitForLoad(page), 'ready');
  const direct = await matchCount(page);
  assert.equal(direct, String(expected.rows));

  await page.goto(`${server.url}/?${DATA}`);
  assert.equal(await waitForLoad(page), 'ready');
  for (const tab of ['Search', 'Overview', 'Search']) {
    await page.click(`.tabs [role=tab]:text-is("${tab}")`);
    await page.waitForFunction((t) => document.querySelector('.tabs [aria-selected=true]').textContent === t, tab);
  }
  await page.waitForSelector('[data-testid=result-row]');
  assert.equal(params(page).get('view'), 'search');
  assert.equal(params(page).has('stage'), false, page.url());
  assert.equal(await matchCount(page), direct);
  assert.equal(await page.$$eval('.chips .chip', (c) => c.length), 0, 'no filter chip');
  const pressed = await page.$$eval('[data-testid=facet-stage] [aria-pressed=true]', (o) => o.length);
  assert.equal(pressed, 0);
  assert.deepEqual(errors, []);
});

test('nothing matching says so and offers Clear filters, which restores the results', async () => {
  const { page, errors } = browser;
  await page.goto(`${server.url}/?${DATA}&view=search&q=zzzqqq&sdk=docker`);
  assert.equal(await waitForLoad(page), 'ready');
  assert.equal(await matchCount(page), '0');
  const empty = page.locator('[data-testid=results-empty]');
  await empty.waitFor();
  assert.match(await empty.textContent(), /No Spaces match these filters/);
  assert.equal(await page.textContent('[data-testid=results-count]'), '0 Spaces');
  assert.equal(await page.$$eval('[data-testid=result-row]', (r) => r.length), 0);
  await page.click('[data-testid=results-clear]');
  await page.waitForFunction(() => document.querySelector('[data-testid=match-count]').dataset.value === '5000');
  assert.equal(params(page).has('q'), false);
  assert.equal(params(page).has('sdk'), false);
  assert.equal(await empty.count(), 0);
  assert.ok((await page.$$eval('[data-testid=result-row]', (r) => r.length)) > 5);
  assert.equal(await page.textContent('[data-testid=results-count]'), '5,000 Spaces');
  assert.deepEqual(errors, []);
});

test('result rows label their values, show the sorted date and count results', async () => {
  const { page, errors } = browser;
  const [stage, count] = expected.stage.find(([s]) => s === 'RUNTIME_ERROR');
  await page.goto(`${server.url}/?${DATA}&view=search&${'stage'}=${stage}`);
  assert.equal(await waitForLoad(page), 'ready');
  await page.waitForSelector('[data-testid=result-row]');
  assert.equal(await page.textContent('[data-testid=results-count]'), `${count.toLocaleString('en-US')} Spaces`);
  const meta = await page.$$eval('[data-testid=result-row] .result-meta', (m) => m.map((e) => e.textContent));
  assert.ok(meta.every((t) => !t.includes('RUNTIME_ERROR')), 'no raw stage code');
  const stages = await page.$$eval('[data-testid=result-row] .result-stage', (s) => s.map((e) => e.textContent));
  assert.ok(stages.length > 5 && stages.every((s) => s === 'Runtime error'), stages.join('|'));
  const licenses = await page.$$eval('[data-testid=result-row] .result-license', (s) => s.map((e) => e.textContent));
  assert.ok(licenses.length > 0 && licenses.every((l) => l.startsWith('License: ')), licenses.join('|'));
  // The chip and the stage facet read the stage as words too.
  assert.match(await page.textContent('.chips'), /Stage: Runtime error/);
  const dates = await page.$$eval('[data-testid=result-row] .result-date', (s) => s.map((e) => e.textContent));
  assert.ok(dates.every((d) => /^Created \d{4}-\d{2}-\d{2}$/.test(d)), dates.join('|'));
  await page.selectOption('.results-head select', '-modified');
  await waitForParam(page, 'sort', '-modified');
  await page.waitForFunction(() => document.querySelector('.result-date')?.textContent.startsWith('Updated '));
  const updated = await page.$$eval('[data-testid=result-row] .result-date', (s) => s.map((e) => e.textContent.slice(8)));
  assert.ok(updated.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)));
  assert.deepEqual(updated.slice(0, 5), [...updated.slice(0, 5)].sort().reverse(), 'newest update first');
  // One result reads in the singular.
  const one = expected.most_liked[0][0];
  await page.goto(`${server.url}/?${DATA}&view=search&q=${encodeURIComponent(one)}`);
  assert.equal(await waitForLoad(page), 'ready');
  await page.waitForSelector('[data-testid=result-row]');
  assert.equal(await matchCount(page), '1');
  assert.equal(await page.textContent('[data-testid=results-count]'), '1 Space');
  assert.match(await page.textContent('[data-testid=show-results]'), /^Show 1 result$/);
  assert.deepEqual(errors, []);
});

test('a missing emoji leaves its slot empty, never a stand-in dot', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/?data=fixtures/spaces-hostile.parquet&view=search&sort=id`);
  assert.equal(await waitForLoad(page), 'ready');
  await page.waitForSelector('[data-testid=result-row]');
  const emoji = await page.$$eval('[data-testid=result-row] .result-emoji', (s) => s.map((e) => e.textContent));
  assert.ok(emoji.every((e) => e !== '·'), emoji.join('|'));
});

test('facets: no-match text, +N more, emoji by name, no SDK or region tags', async () => {
  const { page, errors } = browser;
  await page.goto(`${server.url}/?${DATA}&view=search`);
  assert.equal(await waitForLoad(page), 'ready');
  const authors = page.locator('[data-testid=facet-author]');
  assert.equal(await authors.locator('.facet-find').getAttribute('aria-label'), 'Find an author');
  const listed = await authors.locator('[data-value]').count();
  assert.equal(listed, 8);
  const hint = await authors.locator('[data-testid=facet-hint]').textContent();
  const more = Number(hint.match(/^\+([\d,]+) more — type to find$/)[1].replace(/,/g, ''));
  assert.ok(more > 100, hint);

  await authors.locator('.facet-find').fill('zzzqqq');
  await page.waitForFunction(() => document.querySelector('[data-testid=facet-author] [data-testid=facet-hint]')?.textContent === 'No authors match “zzzqqq”');
  assert.equal(await authors.locator('[data-value]').count(), 0);

  const emoji = page.locator('[data-testid=facet-emoji]');
  await emoji.locator('.facet-find').fill('rocket');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=facet-emoji] [data-value]').length === 1);
  const rocket = expected.emoji_top10.find(([e]) => e === '🚀');
  assert.equal(await emoji.locator('[data-value]').getAttribute('data-value'), '🚀');
  assert.equal(Number(await emoji.locator('[data-value]').getAttribute('data-count')), rocket[1]);

  const tags = await page.$$eval('[data-testid=facet-tag] [data-value]', (o) => o.map((e) => e.dataset.value));
  assert.ok(tags.length > 0);
  const sdks = expected.sdk.map(([s]) => s);
  assert.deepEqual(tags.filter((t) => t.startsWith('region:') || sdks.includes(t)), [], tags.join('|'));
  assert.deepEqual(errors, []);
});

test('a tag= link still selects a hidden tag such as an SDK name', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/?${DATA}&view=search&tag=docker`);
  assert.equal(await waitForLoad(page), 'ready');
  const option = page.locator('[data-testid=facet-tag] [data-value=docker]');
  assert.equal(await option.getAttribute('aria-pressed'), 'true');
  const count = await option.getAttribute('data-count');
  assert.ok(Number(count) > 0);
  assert.equal(await matchCount(page), count);
});

test('min likes applies as you type; the slider ends at a step the data reaches', async () => {
  const { page, errors } = browser;
  await page.goto(`${server.url}/?${DATA}&view=search&stage=RUNNING`);
  assert.equal(await waitForLoad(page), 'ready');
  const box = page.locator('[data-testid=likes-min]');
  assert.ok((await box.getAttribute('placeholder')).length > 0);
  await box.pressSequentially('100', { delay: 40 });
  // No Enter, no blur: the pause after typing applies it.
  await waitForParam(page, 'likes', '100');
  assert.equal(await matchCount(page), String(expected.running_likes_ge_100));
  assert.equal(await page.getAttribute('[data-testid=likes-slider]', 'aria-valuetext'), 'at least 100 likes');
  await box.fill('1');
  await waitForParam(page, 'likes', '1');
  assert.equal(await page.getAttribute('[data-testid=likes-slider]', 'aria-valuetext'), 'at least 1 like');

  await page.goto(`${server.url}/?${DATA}&view=search`);
  assert.equal(await waitForLoad(page), 'ready');
  const slider = page.locator('[data-testid=likes-slider]');
  await slider.fill(await slider.getAttribute('max'));
  await page.waitForFunction(() => new URL(location.href).searchParams.has('likes'));
  const top = Number(params(page).get('likes'));
  const most = expected.most_liked[0][1];
  assert.ok(top <= most, `top step ${top} ≤ most likes ${most}`);
  assert.equal(top, 10_000);
  assert.ok(Number(await matchCount(page)) > 0);
  assert.deepEqual(errors, []);
});

test('dates are ISO text; a reversed range is named, not applied; the chip names the dates', async () => {
  const { page, errors } = browser;
  await page.goto(`${server.url}/?${DATA}&view=search`);
  assert.equal(await waitForLoad(page), 'ready');
  const [from, to] = await page.$$('[data-testid=created-range] input');
  assert.equal(await from.getAttribute('placeholder'), 'YYYY-MM-DD');
  assert.equal(await from.getAttribute('type'), 'text');
  await from.fill('2024-06-30');
  await from.press('Enter');
  await waitForParam(page, 'created', '2024-06-30..');
  assert.match(await page.textContent('.chips'), /Created since 2024-06-30/);
  const since = await matchCount(page);

  await to.fill('2023-01-01');
  await to.press('Enter');
  const problem = page.locator('[data-testid=created-problem]');
  await page.waitForFunction(() => document.querySelector('[data-testid=created-problem]').textContent.length > 0);
  assert.match(await problem.textContent(), /“From” \(2024-06-30\) is after “To” \(2023-01-01\)/);
  assert.equal(params(page).get('created'), '2024-06-30..', 'the reversed range was not applied');
  assert.equal(await matchCount(page), since);

  await to.fill('2025-12-31');
  await to.press('Enter');
  await waitForParam(page, 'created', '2024-06-30..2025-12-31');
  assert.equal(await problem.textContent(), '');
  assert.match(await page.textContent('.chips'), /Created 2024-06-30 – 2025-12-31/);

  await from.fill('06/30/2024');
  await from.press('Enter');
  assert.match(await problem.textContent(), /YYYY-MM-DD/);
  assert.equal(params(page).get('created'), '2024-06-30..2025-12-31');
  assert.deepEqual(errors, []);
});

test('Tab reaches "Skip to results" within 3 presses, and it focuses the results', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/?${DATA}&view=search`);
  assert.equal(await waitForLoad(page), 'ready');
  await page.waitForSelector('[data-testid=result-row]');
  let reached = 0;
  for (let press = 1; press <= 3 && !reached; press++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.dataset.testid === 'skip-to-results')) reached = press;
  }
  assert.ok(reached >= 1, 'the skip link took focus');
  assert.ok(await page.isVisible('[data-testid=skip-to-results]'), 'visible while focused');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'results');
  assert.ok(await page.evaluate(() => document.activeElement.querySelector('[data-testid=result-row]') !== null));
  assert.equal(new URL(page.url()).hash, '');
  // The next Tab lands inside the first result.
  await page.keyboard.press('Tab');
  assert.ok(await page.evaluate(() => document.activeElement.closest('[data-testid=result-row]') !== null));
});

test('phone: a compact stats card, and open filters end in "Show N results"', async () => {
  const phone = await launch({ width: 390, height: 844 });
  try {
    const { page, errors } = phone;
    await page.goto(`${server.url}/?${DATA}&view=search&sdk=docker`);
    assert.equal(await waitForLoad(page), 'ready');
    const panel = await page.locator('.source-panel').boundingBox();
    assert.ok(panel.height < 844 / 3, `stats card ${panel.height}px tall`);
    const docker = expected.sdk.find(([s]) => s === 'docker')[1];
    await page.click('.facets-panel > summary');
    const button = page.locator('[data-testid=show-results]');
    assert.equal(await button.textContent(), `Show ${docker.toLocaleString('en-US')} results`);
    // Sticky: visible at the bottom of the screen while the filters are open.
    const box = await button.boundingBox();
    assert.ok(box.y + box.height <= 844 && box.y > 844 - 120, `button at ${box.y}`);
    await button.click();
    assert.equal(await page.$eval('.facets-panel', (d) => d.open), false);
    await page.waitForFunction(() => document.activeElement?.id === 'results');
    const results = await page.locator('.results').boundingBox();
    assert.ok(results.y < 200 && results.y > -10, `results at ${results.y}`);
    assert.deepEqual(errors, []);
  } finally {
    await phone.close();
  }
});
