// End to end: the Search view from a shared URL, facets, sorting, the URL
// following the UI, and virtualised results.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
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

const facetOptions = (page, param) =>
  page.$$eval(`[data-testid=facet-${param}] [data-value]`, (els) =>
    els.map((e) => [e.dataset.value, Number(e.dataset.count), e.getAttribute('aria-pressed') === 'true']),
  );

test('a shared search link reproduces rows, counts and facets', async () => {
  const { page, errors } = browser;
  const url = `${server.url}/?data=fixtures/spaces-5k-pandas.parquet&view=search&stage=RUNNING&likes=100`;
  await page.goto(url);
  assert.equal(await waitForLoad(page), 'ready');
  const want = expected.running_likes_ge_100;
  assert.equal(await page.getAttribute('[data-testid=match-count]', 'data-value'), String(want));
  const likes = await page.$$eval('[data-testid=result-row]', (rows) =>
    rows.map((r) => Number(r.querySelector('.result-meta span').textContent.replace(/[^0-9]/g, ''))),
  );
  assert.equal(likes.length, want);
  assert.ok(likes.every((n) => n >= 100), 'all rows have ≥ 100 likes');
  assert.deepEqual(likes, [...likes].sort((a, b) => b - a), 'most liked first');
  // The SDK facet counts the current matches; the stage facet leaves its own filter out.
  const sdk = await facetOptions(page, 'sdk');
  assert.equal(sdk.reduce((a, [, n]) => a + n, 0), want);
  const stage = await facetOptions(page, 'stage');
  assert.deepEqual(stage.find(([v]) => v === 'RUNNING'), ['RUNNING', want, true]);
  assert.deepEqual(errors, []);
});

test('choosing a facet value updates the URL, and reloading it gives the same view', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/?data=fixtures/spaces-5k-pandas.parquet&view=search`);
  assert.equal(await waitForLoad(page), 'ready');
  await page.click('[data-testid=facet-sdk] [data-value=docker]');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('sdk') === 'docker');
  const docker = String(expected.sdk.find(([n]) => n === 'docker')[1]);
  assert.equal(await page.getAttribute('[data-testid=match-count]', 'data-value'), docker);
  const href = page.url();
  assert.match(href, /view=search/);
  await page.reload();
  assert.equal(await waitForLoad(page), 'ready');
  assert.equal(await page.getAttribute('[data-testid=match-count]', 'data-value'), docker);
  assert.deepEqual((await facetOptions(page, 'sdk')).find(([v]) => v === 'docker'), ['docker', Number(docker), true]);
});

test('results are virtualised and sortable', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/?data=fixtures/spaces-5k-pandas.parquet&view=search&sort=-likes`);
  assert.equal(await waitForLoad(page), 'ready');
  const rendered = await page.$$eval('[data-testid=result-row]', (r) => r.length);
  assert.ok(rendered > 5 && rendered < 60, `only the visible rows exist (${rendered} of 5000)`);
  const first = await page.getAttribute('[data-testid=result-row]', 'data-space-id');
  assert.equal(first, expected.most_liked[0][0]);
  // Scroll to the end: the last rows appear.
  await page.$eval('.results-viewport', (el) => { el.scrollTop = el.scrollHeight; el.dispatchEvent(new Event('scroll')); });
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=result-row]')].some((r) => parseFloat(r.style.top) > 60 * 4990));
  await page.selectOption('.results-head select', 'id');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'id');
});

// Only a few rows beyond the screen are built: in a tall window, at the
// top and scrolled, the rows built must still cover all of the list's box.
test('result rows cover the whole list in a tall window, at the top and scrolled', async () => {
  const { page, errors } = browser;
  await page.setViewportSize({ width: 1280, height: 1700 });
  try {
    await page.goto(`${server.url}/?data=fixtures/spaces-5k-pandas.parquet&view=search`);
    assert.equal(await waitForLoad(page), 'ready');
    const uncovered = () =>
      page.$eval('.results-viewport', (el) => {
        const rows = [...el.querySelectorAll('[data-testid=result-row]')].map((r) => [
          parseFloat(r.style.top),
          parseFloat(r.style.top) + parseFloat(r.style.height),
        ]);
        rows.sort((a, b) => a[0] - b[0]);
        // The first pixel of the box no row covers, if any.
        let reach = el.scrollTop;
        for (const [top, bottom] of rows) if (top <= reach && bottom > reach) reach = bottom;
        return reach >= el.scrollTop + el.clientHeight ? null : { reach, top: el.scrollTop, height: el.clientHeight, rows: rows.length };
      });
    await page.waitForFunction(() => document.querySelector('.results-viewport').clientHeight > 1000);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=result-row]').length > 14);
    assert.equal(await uncovered(), null);
    await page.$eval('.results-viewport', (el) => { el.scrollTop = 64 * 1234 + 20; el.dispatchEvent(new Event('scroll')); });
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid=result-row]')].some((r) => parseFloat(r.style.top) === 64 * 1234),
    );
    assert.equal(await uncovered(), null);
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
  assert.deepEqual(errors, []);
});

test('Back returns to the previous view and Forward comes back', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/?data=fixtures/spaces-5k-pandas.parquet&view=search`);
  assert.equal(await waitForLoad(page), 'ready');
  await page.click('[data-testid=facet-sdk] [data-value=static]');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('sdk') === 'static');
  await page.click('[data-testid=facet-hardware] [data-value=cpu-basic]');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('hardware') === 'cpu-basic');
  const both = await page.getAttribute('[data-testid=match-count]', 'data-value');
  await page.goBack();
  await page.waitForFunction(() => !new URL(location.href).searchParams.has('hardware'));
  const staticCount = String(expected.sdk.find(([n]) => n === 'static')[1]);
  await page.waitForFunction((n) => document.querySelector('[data-testid=match-count]').dataset.value === n, staticCount);
  await page.goBack();
  await page.waitForFunction(() => !new URL(location.href).searchParams.has('sdk'));
  await page.waitForFunction(() => document.querySelector('[data-testid=match-count]').dataset.value === '5000');
  await page.goForward();
  await page.goForward();
  await page.waitForFunction((n) => document.querySelector('[data-testid=match-count]').dataset.value === n, both);
  assert.match(page.url(), /sdk=static/);
  assert.match(page.url(), /hardware=cpu-basic/);
});

/**
 * Runs `actions` on the page, each in a task of its own, as fast as tasks
 * come, starting just after a frame: `{ type: text }` sets the search box,
 * `{ click: selector }` clicks. Clears `window.__writes` first; returns how
 * many frames began meanwhile (1: all before the next frame).
 */
const actTaskByTask = (page, actions) =>
  page.evaluate((actions) => new Promise((resolve) => requestAnimationFrame(() => {
    window.__writes = [];
    let frames = 1;
    const count = () => { frames += 1; requestAnimationFrame(count); };
    requestAnimationFrame(count);
    const next = new MessageChannel();
    next.port1.onmessage = () => {
      const action = actions.shift();
      if (action.type !== undefined) {
        const input = document.querySelector('.filter-bar input[type=search]');
        input.value = action.type;
        input.dispatchEvent(new Event('input', { bubbles: true }));
      } else {
        document.querySelector(action.click).click();
      }
      if (actions.length) next.port2.postMessage(0);
      else resolve(frames);
    };
    next.port2.postMessage(0);
  })), actions);

test('typing rewrites the address once a frame; the entry a click leaves keeps what was typed; Back undoes one click', async () => {
  const page = await browser.context.newPage();
  try {
    await page.addInitScript(() => {
      window.__writes = [];
      for (const name of ['pushState', 'replaceState']) {
        const write = history[name].bind(history);
        history[name] = (state, title, url) => {
          window.__writes.push([name, new URL(url, location.href).searchParams.get('q')]);
          return write(state, title, url);
        };
      }
    });
    await page.goto(`${server.url}/?data=fixtures/spaces-5k-pandas.parquet&view=search`);
    assert.equal(await waitForLoad(page), 'ready');
    const entries = await page.evaluate(() => history.length);
    // Six keystrokes, each a task of its own, as fast as they come: one
    // rewrite a frame (before, one each), the last with the whole word,
    // and no new entry.
    const frames = await actTaskByTask(page, ['s', 'st', 'sta', 'stab', 'stabl', 'stable'].map((type) => ({ type })));
    await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'stable');
    await page.waitForTimeout(200);
    const writes = await page.evaluate(() => window.__writes);
    assert.ok(writes.length <= frames, `${writes.length} rewrites in ${frames} frames: ${JSON.stringify(writes)}`);
    assert.ok(writes.every(([kind]) => kind === 'replaceState'));
    assert.deepEqual(writes.at(-1), ['replaceState', 'stable']);
    assert.equal(await page.evaluate(() => history.length), entries);

    // A word typed, then a facet clicked in the next task, before the
    // frame: the typed word goes into the entry being left, the click into
    // a new one.
    await actTaskByTask(page, [{ type: 'stable diffusion' }, { click: '[data-testid=facet-sdk] [data-value=gradio]' }]);
    await page.waitForFunction(() => new URL(location.href).searchParams.get('sdk') === 'gradio');
    await page.waitForTimeout(200);
    assert.deepEqual(await page.evaluate(() => window.__writes),
      [['replaceState', 'stable diffusion'], ['pushState', 'stable diffusion']]);
    assert.equal(await page.evaluate(() => history.length), entries + 1);
    await page.goBack();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('sdk'));
    assert.equal(new URL(page.url()).searchParams.get('q'), 'stable diffusion');
    await page.waitForFunction(() => document.querySelector('.filter-bar input[type=search]').value === 'stable diffusion');

    // Two clicks before one frame: two entries, written at once, so that
    // Back, however soon, undoes just the last.
    await page.goto(`${server.url}/?data=fixtures/spaces-5k-pandas.parquet&view=search`);
    assert.equal(await waitForLoad(page), 'ready');
    await actTaskByTask(page, [
      { click: '[data-testid=facet-sdk] [data-value=gradio]' },
      { click: '[data-testid=facet-sdk] [data-value=static]' },
    ]);
    await page.waitForFunction(() => new URL(location.href).searchParams.get('sdk') === 'gradio,static');
    await page.waitForTimeout(200);
    assert.deepEqual((await page.evaluate(() => window.__writes)).map(([kind]) => kind), ['pushState', 'pushState']);
    await page.goBack();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('sdk') === 'gradio');
  } finally {
    await page.close();
  }
});

test('?embed=chart-sdk shows that chart alone, without page chrome', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/?data=fixtures/spaces-5k-pandas.parquet&embed=chart-sdk`);
  assert.equal(await waitForLoad(page), 'ready');
  await page.waitForSelector('[data-testid=chart-sdk] canvas');
  assert.equal(await page.isVisible('[data-testid=chart-sdk]'), true);
  for (const hidden of ['[data-testid=chart-growth]', '[data-testid=table-most-liked]']) {
    assert.equal(await page.isVisible(hidden), false, `${hidden} hidden`);
  }
  assert.equal(await page.$('.masthead'), null);
  assert.equal(await page.$('.source-panel'), null);
  // Built alone, not hidden: the page holds one card and one chart.
  assert.deepEqual(await page.$$eval('.overview > section', (s) => s.map((e) => e.id)), ['chart-sdk']);
  assert.equal(await page.$$eval('.echart', (c) => c.length), 1);
});

test('?embed=search shows the search alone; the CSV holds the matches', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/?data=fixtures/spaces-5k-pandas.parquet&embed=search&stage=RUNNING&likes=100`);
  assert.equal(await waitForLoad(page), 'ready');
  await page.waitForSelector('[data-testid=result-row]');
  assert.equal(await page.$('.masthead'), null);
  assert.equal(await page.$$eval('[data-testid=result-row]', (r) => r.length), expected.running_likes_ge_100);
});

test('Download CSV exports exactly the matching Spaces', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/?data=fixtures/spaces-5k-pandas.parquet&view=search&stage=RUNNING&likes=100`);
  assert.equal(await waitForLoad(page), 'ready');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-csv]')]);
  const text = fs.readFileSync(await download.path(), 'utf8');
  // A byte-order mark (Excel then reads UTF-8), a name from the filters
  // and the day, and the rows in the order the results list shows.
  assert.ok(text.startsWith('\uFEFFid,'), text.slice(0, 20));
  assert.match(download.suggestedFilename(), /^spaces-stage-running-likes-100-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = text.slice(1).trim().split('\r\n');
  assert.equal(lines.length - 1, expected.running_likes_ge_100);
  assert.ok(lines.slice(1).every((l) => l.includes(',RUNNING,')));
  const shown = await page.$$eval('[data-testid=result-row]', (rows) => rows.map((r) => r.dataset.spaceId));
  assert.deepEqual(lines.slice(1, 1 + shown.length).map((l) => l.split(',')[0]), shown);
});

// A new answer redraws the rows in view. Each must then read exactly as a
// row drawn on a fresh load of that view: no title, description, stage or
// chip left from the Space there before, and none missing.
test('rows in view after a facet click match the same view loaded fresh, and undoing it restores them', async () => {
  const { page, errors } = browser;
  const base = `${server.url}/?data=fixtures/spaces-5k-hub-api.parquet&view=search`;
  const rows = () =>
    page.$$eval('[data-testid=result-row]', (els) =>
      els
        .map((r) => [r.style.top, r.outerHTML.replace(/<!--.*?-->/g, '')])
        .sort((a, b) => parseFloat(a[0]) - parseFloat(b[0])),
    );
  const count = (n) => page.waitForFunction((n) => document.querySelector('[data-testid=match-count]')?.dataset.value === String(n), n);
  const docker = expected.sdk.find(([n]) => n === 'docker')[1];
  await page.goto(base);
  assert.equal(await waitForLoad(page), 'ready');
  await page.waitForSelector('[data-testid=result-row] .result-description');
  const before = await rows();
  assert.ok(before.length >= 10, `${before.length} rows in view`);
  await page.click('[data-testid=facet-sdk] [data-value=docker]');
  await count(docker);
  await page.waitForFunction(() =>
    [...document.querySelectorAll('[data-testid=result-row] [title=SDK]')].every((s) => s.textContent === 'docker'),
  );
  const updated = await rows();
  await page.goto(`${base}&sdk=docker`);
  assert.equal(await waitForLoad(page), 'ready');
  await count(docker);
  await page.waitForSelector('[data-testid=result-row] .result-description');
  assert.deepEqual(updated, await rows());
  assert.notDeepEqual(updated, before);
  await page.click('[data-testid=facet-sdk] [data-value=docker]');
  await count(5000);
  await page.waitForFunction(
    (first) => document.querySelector('[data-testid=result-row]')?.dataset.spaceId === first,
    before[0][1].match(/data-space-id="([^"]*)"/)[1],
  );
  assert.deepEqual(await rows(), before);
  assert.deepEqual(errors, []);
});
