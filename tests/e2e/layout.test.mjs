// End to end: charts that read at a glance. The Overview grid leaves no
// card alone on a row (desktop, middle width, phone), every hardware bar
// is named, and the scatters use log1p axes with round ticks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launch, waitForLoad, revealCard, EXPECTED as expected, DIST, FIXTURES } from './browser.mjs';

let server;

before(async () => {
  server = await startServer({ root: DIST, fixtures: FIXTURES });
});

after(async () => {
  await server?.close();
});

const FIXTURE = 'data=fixtures/spaces-5k-pandas.parquet';

/** The Overview's cards grouped by row: [[id, width], …] per row. */
async function rows(page) {
  return page.$$eval('.overview > section', (sections) => {
    const byTop = new Map();
    for (const s of sections) {
      const r = s.getBoundingClientRect();
      const top = Math.round(r.top);
      if (!byTop.has(top)) byTop.set(top, []);
      byTop.get(top).push([s.id, Math.round(r.width), Math.round(r.left)]);
    }
    return [...byTop.values()];
  });
}

for (const [width, perRow] of [[1280, [1, 3, 3, 3, 2, 2]], [900, [1, 2, 1, 2, 2, 2, 2, 2]], [390, Array(14).fill(1)]]) {
  for (const colorScheme of ['light', 'dark']) {
    test(`no card alone on a row at ${width} px (${colorScheme})`, async () => {
      const browser = await launch({ width, height: 900, colorScheme });
      try {
        await browser.page.goto(`${server.url}/?${FIXTURE}`);
        assert.equal(await waitForLoad(browser.page), 'ready');
        const grid = await rows(browser.page);
        const full = await browser.page.$eval('.overview', (o) => Math.round(o.getBoundingClientRect().width));
        assert.deepEqual(grid.map((r) => r.length), perRow, JSON.stringify(grid));
        for (const row of grid) {
          // Each row fills the grid's width: a lone card spans it.
          const used = row.reduce((sum, [, w]) => sum + w, 0) + 16 * (row.length - 1);
          assert.ok(Math.abs(used - full) <= 2, `row ${JSON.stringify(row)} fills ${full}`);
        }
        assert.deepEqual(browser.errors, []);
      } finally {
        await browser.close();
      }
    });
  }
}

test('every hardware bar is named, ids keep their ends, scatters are log1p', async () => {
  const browser = await launch({ width: 1280, height: 900 });
  try {
    const { page } = browser;
    await page.goto(`${server.url}/?${FIXTURE}`);
    assert.equal(await waitForLoad(page), 'ready');
    // Charts draw once they come near the screen: bring each one read here.
    for (const id of ['chart-hardware', 'chart-models', 'chart-author-likes', 'chart-emoji-likes', 'chart-datasets']) {
      await revealCard(page, id);
      await page.waitForSelector(`[data-testid=${id}] canvas`);
    }
    const hardware = await page.evaluate(() => {
      const o = echarts.getInstanceByDom(document.querySelector('[data-testid=chart-hardware] .echart')).getOption();
      return { labels: o.yAxis[0].data, interval: o.yAxis[0].axisLabel.interval, formatter: typeof o.xAxis[0].axisLabel.formatter, names: o.series[0].data.map((d) => d.name), values: o.series[0].data.map((d) => d.value) };
    });
    // Every hardware the pandas answer counts (ties may order differently).
    assert.deepEqual([...hardware.names].sort(), expected.hardware.map(([name]) => name).sort());
    assert.deepEqual(hardware.labels, hardware.names, 'short hardware names are shown whole');
    assert.equal(hardware.interval, 0);
    assert.equal(hardware.formatter, 'function', 'a log1p axis labelled in counts');
    // Even a count of 1 draws a bar: [log1p(count), index, count].
    for (const [position, , count] of hardware.values) {
      assert.ok(position > 0 && Math.abs(position - Math.log10(1 + count)) < 1e-9, `${count} drawn at ${position}`);
    }
    const models = await page.evaluate(() => {
      const o = echarts.getInstanceByDom(document.querySelector('[data-testid=chart-models] .echart')).getOption();
      return { labels: o.yAxis[0].data, names: o.series[0].data.map((d) => d.name) };
    });
    assert.deepEqual([...models.names].sort(), expected.top_models.map(([name]) => name).sort(), 'tooltips name the whole id');
    for (const [i, label] of models.labels.entries()) {
      const full = models.names[i];
      assert.ok(label.length <= 34, label);
      if (label !== full) {
        const [head, tail] = label.split('…');
        assert.ok(full.startsWith(head) && full.endsWith(tail), `${label} shortens ${full} in the middle`);
      }
    }
    assert.equal(new Set(models.labels).size, models.labels.length, 'no two shortened ids read the same');
    // The data table always shows the whole id.
    const tableIds = await page.$$eval('[data-testid=chart-models-data] tbody tr td:first-child', (tds) => tds.map((t) => t.textContent));
    assert.deepEqual(tableIds, models.names);
    for (const id of ['chart-author-likes', 'chart-emoji-likes']) {
      const axes = await page.evaluate((id) => {
        const o = echarts.getInstanceByDom(document.querySelector(`[data-testid=${id}] .echart`)).getOption();
        const shown = (a) => ({ name: a.name, ticks: a.axisLabel.customValues, formatter: typeof a.axisLabel.formatter, max: a.max });
        return { x: shown(o.xAxis[0]), y: shown(o.yAxis[0]) };
      }, id);
      assert.equal(axes.x.name, 'Spaces (log scale)');
      assert.equal(axes.y.name, 'Likes (log scale)');
      for (const axis of [axes.x, axes.y]) {
        assert.equal(axis.formatter, 'function', `${id}: labels read as counts`);
        assert.deepEqual(axis.ticks.map((t) => Math.round(10 ** t - 1)).slice(0, 3), [0, 10, 100]);
        assert.equal(axis.ticks.at(-1), axis.max);
      }
    }
  } finally {
    await browser.close();
  }
});
