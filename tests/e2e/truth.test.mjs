// End to end: every view tells the truth. Charts redraw exactly their data
// (read back through the ECharts API and compared with each card's data
// table), empty selections say so, a selected value clicks off, legends do
// not silently filter, the Embed panel follows the view, and "Copied" only
// shows for a copy the browser made.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launch, waitForLoad, readDataTable, assertRanked, recordHooks, readHooks, EXPECTED as expected, DIST, FIXTURES } from './browser.mjs';

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

const FIXTURE = 'data=fixtures/spaces-5k-pandas.parquet';
const BAR_CHARTS = ['chart-sdk', 'chart-emoji', 'chart-hardware', 'chart-models', 'chart-model-authors',
  'chart-datasets', 'chart-dataset-authors'];

/** What a chart drew, as ECharts holds it now: [label, value] pairs of its first series. */
async function drawnSeries(page, id) {
  return page.evaluate((id) => {
    const chart = echarts.getInstanceByDom(document.querySelector(`[data-testid=${id}] .echart`));
    const option = chart.getOption();
    const series = option.series[0];
    const axis = [...(option.xAxis || []), ...(option.yAxis || [])].find((a) => a.type === 'category');
    return (series.data || []).map((d, i) => {
      // A log1p bar is [position, index, count]: the count is last.
      const value = typeof d === 'object' && d !== null ? (Array.isArray(d.value) ? d.value.at(-1) : d.value) : d;
      const name = typeof d === 'object' && d !== null && d.name !== undefined ? d.name : axis?.data?.[i];
      return [name, value];
    });
  }, id);
}

/** Waits until every chart has been drawn with the current option. */
async function settle(page) {
  await page.waitForFunction(() => !document.querySelector('[data-testid=load-status][data-state=loading]'));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.waitForTimeout(150);
}

/** Every chart's drawn values equal its data table's numbers. */
async function assertChartsMatchTables(page, what) {
  for (const id of BAR_CHARTS) {
    const drawn = await drawnSeries(page, id);
    const table = await readDataTable(page, `${id}-data`);
    assert.deepEqual(drawn.map(([, v]) => v), table.map(([, n]) => n), `${what}: ${id} values`);
    if (id === 'chart-sdk') assert.deepEqual(drawn.map(([name]) => name), table.map(([name]) => name), `${what}: sdk names`);
  }
  const growth = await drawnSeries(page, 'chart-growth');
  const growthTable = await readDataTable(page, 'chart-growth-data');
  assert.deepEqual(growth.map(([, v]) => v), growthTable.map(([, n]) => n), `${what}: growth`);
  // Scatters: every tabled author / emoji is a drawn point with its numbers.
  for (const [id, ...rest] of [['chart-author-likes'], ['chart-emoji-likes']]) {
    const points = await page.evaluate((id) => echarts.getInstanceByDom(document.querySelector(`[data-testid=${id}] .echart`))
      // Placed at [log1p(spaces), log1p(likes)]; the counts ride along.
      .getOption().series[0].data.map((d) => [d.name, d.value.slice(2), d.value.slice(0, 2)]), id);
    const rows = await page.$$eval(`[data-testid="${id}-data"] tbody tr`, (trs) => trs.map((tr) => {
      const cells = [...tr.querySelectorAll('td')].filter((td) => !td.classList.contains('pick'));
      return [cells[0].textContent, Number(cells[1].textContent.replace(/,/g, '')), Number(cells[2].textContent.replace(/,/g, ''))];
    }));
    for (const [name, spaces, likes] of rows) {
      assert.ok(points.some(([n, [x, y]]) => n === name && x === spaces && y === likes), `${what}: ${id} has ${name}`);
    }
    for (const [name, [spaces, likes], [x, y]] of points) {
      assert.ok(Math.abs(x - Math.log10(1 + spaces)) < 1e-9 && Math.abs(y - Math.log10(1 + likes)) < 1e-9, `${what}: ${id} places ${name} at log1p`);
    }
    if (rows.length === 0) assert.equal(points.length, 0, `${what}: ${id} drew nothing`);
    void rest;
  }
}

test('charts redraw exactly their data: a query that matches nothing, then some, then none', async () => {
  const { page, errors } = browser;
  await page.goto(`${server.url}/?${FIXTURE}`);
  assert.equal(await waitForLoad(page), 'ready');
  await settle(page);
  await assertChartsMatchTables(page, 'all');

  // One letter at a time, as a visitor types: each keystroke redraws.
  await page.click('input[type=search]');
  await page.keyboard.type('zzzqqq', { delay: 60 });
  await page.waitForFunction(() => document.querySelector('[data-testid=match-count]')?.dataset.value === '0');
  await settle(page);
  for (const id of [...BAR_CHARTS, 'chart-growth', 'chart-author-likes', 'chart-emoji-likes']) {
    assert.deepEqual(await drawnSeries(page, id), [], `${id} drew nothing for zzzqqq`);
    assert.equal(await page.isVisible(`[data-testid=${id}] [data-testid=chart-empty]`), true, `${id} says it is empty`);
  }
  await assertChartsMatchTables(page, 'zzzqqq');
  assert.equal(await page.isVisible('[data-testid=empty-state]'), true);
  assert.match(await page.textContent('[data-testid=empty-state]'), /No Spaces match these filters/);

  // Some matches: a query that narrows without emptying.
  await page.fill('input[type=search]', 'gradio');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=match-count]')?.dataset.value) > 0);
  await settle(page);
  const some = Number(await page.getAttribute('[data-testid=match-count]', 'data-value'));
  assert.ok(some > 0 && some < 5000, `gradio matches some (${some})`);
  assert.equal(await page.isVisible('[data-testid=empty-state]'), false);
  await assertChartsMatchTables(page, 'gradio');
  const sdkSum = (await readDataTable(page, 'chart-sdk-data')).reduce((a, [, n]) => a + n, 0);
  assert.equal(sdkSum, some);

  // Cleared: the whole dataset again, as pandas counts it.
  await page.click('[data-testid=empty-state] button, .filter-bar button.button.secondary');
  await page.waitForFunction(() => document.querySelector('[data-testid=match-count]')?.dataset.value === '5000');
  await settle(page);
  await assertChartsMatchTables(page, 'cleared');
  assertRanked(assert, await readDataTable(page, 'chart-sdk-data'), expected.sdk, 'sdk after clearing');
  assert.deepEqual(errors, []);
});

test('in the Hub shape, whose titles a second engine hands on, a query that matches nothing draws every chart empty, and a phrase only descriptions hold draws its matches', async () => {
  const { page, errors } = browser;
  const docker = expected.sdk.find(([sdk]) => sdk === 'docker')[1];
  await page.goto(`${server.url}/?data=fixtures/spaces-5k-hub-api.parquet`);
  assert.equal(await waitForLoad(page), 'ready');
  await settle(page);
  await assertChartsMatchTables(page, 'hub: all');
  // Typed on the Overview: the engine joins the titles before it answers.
  await page.fill('input[type=search]', 'zzzqqq');
  await page.waitForFunction(() => document.querySelector('[data-testid=match-count]')?.dataset.value === '0');
  await settle(page);
  for (const id of [...BAR_CHARTS, 'chart-growth', 'chart-author-likes', 'chart-emoji-likes']) {
    assert.deepEqual(await drawnSeries(page, id), [], `hub: ${id} drew nothing for zzzqqq`);
  }
  await assertChartsMatchTables(page, 'hub: zzzqqq');
  assert.equal(await page.isVisible('[data-testid=empty-state]'), true);
  await page.fill('input[type=search]', '"docker demo"');
  await page.waitForFunction((n) => document.querySelector('[data-testid=match-count]')?.dataset.value === String(n), docker);
  await settle(page);
  await assertChartsMatchTables(page, 'hub: docker demo');
  assert.deepEqual(await readDataTable(page, 'chart-sdk-data'), [['docker', docker]]);
  assert.deepEqual(errors, []);
});

test('the empty state clears the filters', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/?${FIXTURE}&q=zzzqqq&sdk=docker`);
  assert.equal(await waitForLoad(page), 'ready');
  await page.click('[data-testid=empty-state] button');
  await page.waitForFunction(() => document.querySelector('[data-testid=match-count]')?.dataset.value === '5000');
  assert.deepEqual([...new URL(page.url()).searchParams.keys()], ['data']);
});

test('multi-word queries need every word, anywhere in the Space; quotes keep a phrase', async () => {
  const { page } = browser;
  const count = async (q) => {
    await page.goto(`${server.url}/?${FIXTURE}&q=${encodeURIComponent(q)}`);
    assert.equal(await waitForLoad(page), 'ready');
    return Number(await page.getAttribute('[data-testid=match-count]', 'data-value'));
  };
  const stable = await count('stable');
  const diffusion = await count('diffusion');
  const both = await count('stable diffusion');
  assert.ok(both > 0, `"stable diffusion" finds Spaces (${both})`);
  assert.ok(both <= Math.min(stable, diffusion));
  assert.equal(await count('Diffusion   STABLE'), both, 'order and case do not matter');
  assert.equal(await count('"stable zzzqqq"'), 0, 'a quoted phrase must occur as written');
  assert.equal(await count('stable zzzqqq'), 0, 'every word must match');
});

test('the match count is never a zero nobody counted: "ready" comes with it', async () => {
  // Every value the hooks took during a load, in order: before, the load
  // said "ready" while the engine was still counting, with a match count
  // of 0 and the "No Spaces match" card on screen.
  const page = await browser.context.newPage();
  try {
    await recordHooks(page);
    await page.goto(`${server.url}/?${FIXTURE}&q=${encodeURIComponent('stable diffusion')}`);
    assert.equal(await waitForLoad(page), 'ready');
    const hooks = await readHooks(page);
    const final = hooks.at(-1);
    assert.ok(Number(final.count) > 0, `the query matches Spaces (${JSON.stringify(final)})`);
    const counts = hooks.map((h) => h.count).filter((c) => c !== undefined);
    assert.deepEqual([...new Set(counts)], [final.count], 'the only count ever shown is the real one');
    const firstReady = hooks.find((h) => h.state === 'ready');
    assert.equal(firstReady.count, final.count, '"ready" already has the count');
    assert.ok(hooks.every((h) => !h.empty), 'no "No Spaces match" on the way');
  } finally {
    await page.close();
  }
});

test('a selected slice clicks off, and legend entries do not filter', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/?${FIXTURE}`);
  assert.equal(await waitForLoad(page), 'ready');
  await settle(page);
  const click = (index) => page.evaluate((index) => {
    const chart = echarts.getInstanceByDom(document.querySelector('[data-testid=chart-sdk] .echart'));
    chart.trigger('click', { dataIndex: index });
  }, index);
  const dockerIndex = expected.sdk.findIndex(([name]) => name === 'docker');
  await click(dockerIndex);
  await page.waitForFunction(() => new URL(location.href).searchParams.get('sdk') === 'docker');
  await settle(page);
  await click(dockerIndex);
  await page.waitForFunction(() => !new URL(location.href).searchParams.has('sdk'));
  assert.equal(await page.getAttribute('[data-testid=match-count]', 'data-value'), '5000');

  // Legends only name the slices: clicking one leaves data and URL alone.
  const option = await page.evaluate(() => echarts.getInstanceByDom(document.querySelector('[data-testid=chart-sdk] .echart')).getOption());
  assert.equal(option.legend[0].selectedMode, false);
  const box = await page.locator('[data-testid=chart-sdk] canvas').first().boundingBox();
  for (let x = 0.2; x < 0.8; x += 0.05) await page.mouse.click(box.x + box.width * x, box.y + box.height - 10);
  await settle(page);
  assert.equal(new URL(page.url()).searchParams.has('sdk'), false);
  const shown = await page.evaluate(() => {
    const chart = echarts.getInstanceByDom(document.querySelector('[data-testid=chart-sdk] .echart'));
    const selected = chart.getOption().legend[0].selected || {};
    return Object.values(selected).filter((v) => v === false).length;
  });
  assert.equal(shown, 0, 'no slice hidden by a legend click');
});

test('an embed filtered by a click can be reset', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/?${FIXTURE}&embed=chart-sdk`);
  assert.equal(await waitForLoad(page), 'ready');
  await settle(page);
  assert.equal(await page.isVisible('[data-testid=embed-reset]'), false);
  await page.evaluate(() => echarts.getInstanceByDom(document.querySelector('[data-testid=chart-sdk] .echart')).trigger('click', { dataIndex: 1 }));
  await page.waitForSelector('[data-testid=embed-reset]');
  await page.click('[data-testid=embed-reset]');
  await page.waitForFunction(() => !new URL(location.href).searchParams.has('sdk'));
  assert.equal(await page.isVisible('[data-testid=embed-reset]'), false);
});

test('the Embed panel follows the view, copies, closes, and moves nothing', async () => {
  const { page, context } = browser;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await page.goto(`${server.url}/?${FIXTURE}`);
  assert.equal(await waitForLoad(page), 'ready');
  const boxes = () => page.$$eval('.share-bar > * > button, .share-bar > button', (bs) => bs.map((b) => {
    const r = b.getBoundingClientRect();
    return [b.textContent.trim(), Math.round(r.x), Math.round(r.y)];
  }));
  const before = await boxes();
  await page.click('[data-testid=embed-toggle]');
  await page.waitForSelector('[data-testid=embed-panel]');
  assert.deepEqual(await boxes(), before, 'opening the panel moves no button');
  const snippet = () => page.inputValue('[data-testid=embed-snippet]');
  assert.match(await snippet(), /embed=chart-sdk/, 'the Overview offers a card, not search');
  await page.selectOption('[data-testid=embed-card]', 'chart-models');
  assert.match(await snippet(), /embed=chart-models/);
  // It follows the filters while open.
  await page.fill('input[type=search]', 'flux');
  await page.waitForFunction(() => document.querySelector('[data-testid=embed-snippet]').value.includes('q=flux'));
  await page.click('[data-testid=copy-embed]');
  await page.waitForSelector('[data-testid=copy-embed][data-copy-status=copied]');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await snippet());
  // Esc closes it and gives focus back to the Embed button.
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid=embed-panel]', { state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'embed-toggle');
  // The button toggles it too; in Search it offers the Search view.
  await page.click('[role=tab]:has-text("Search")');
  await page.click('[data-testid=embed-toggle]');
  assert.match(await snippet(), /embed=search/);
  assert.match(await snippet(), /view=search/);
  await page.click('[data-testid=embed-toggle]');
  await page.waitForSelector('[data-testid=embed-panel]', { state: 'detached' });
});

test('"Copied" shows only for a real copy, and goes away', async () => {
  const { page, context } = browser;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await page.goto(`${server.url}/?${FIXTURE}&sdk=docker`);
  assert.equal(await waitForLoad(page), 'ready');
  await page.click('[data-testid=copy-link]');
  await page.waitForSelector('[data-testid=copy-link][data-copy-status=copied]');
  assert.match(await page.textContent('[data-testid=copy-link]'), /Copied/);
  const same = (a, b) => {
    const [x, y] = [new URL(a), new URL(b)];
    return x.origin + x.pathname + x.searchParams.toString() === y.origin + y.pathname + y.searchParams.toString();
  };
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.ok(same(copied, page.url()), `${copied} is the page's link`);
  await page.waitForSelector('[data-testid=copy-link][data-copy-status=idle]', { timeout: 5000 });
  assert.equal((await page.textContent('[data-testid=copy-link]')).trim(), 'Copy link');

  // A browser that refuses: no "Copied", the link selected in a field instead.
  await page.evaluate(() => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
  });
  await page.click('[data-testid=copy-link]');
  await page.waitForSelector('[data-testid=copy-link-fallback]');
  assert.equal(await page.getAttribute('[data-testid=copy-link]', 'data-copy-status'), 'refused');
  assert.doesNotMatch(await page.textContent('[data-testid=copy-link]'), /Copied/);
  const field = await page.evaluate(() => {
    const input = document.querySelector('[data-testid=copy-link-fallback] input');
    return { value: input.value, focused: document.activeElement === input, selected: input.selectionEnd - input.selectionStart };
  });
  assert.ok(same(field.value, page.url()));
  assert.ok(field.focused);
  assert.equal(field.selected, field.value.length);
  assert.match(await page.textContent('[data-testid=copy-link-fallback]'), /Ctrl\+C/);
});
