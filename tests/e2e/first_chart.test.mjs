// End to end: the first chart is measured when ECharts has painted it,
// and while the data loads an off-screen chart warms ECharts' code up,
// unseen, then is gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { withBrowser, waitForLoad, DIST, FIXTURES } from './browser.mjs';

const FIXTURE = 'data=fixtures/spaces-5k-pandas.parquet';

/**
 * Records every ECharts instance the page creates: its element's class,
 * whether that element is in a card, and when ECharts painted it (its
 * `rendered` events, caught before the app's own handlers).
 */
function recordCharts() {
  window.__charts = [];
  document.addEventListener('DOMContentLoaded', () => {
    // ECharts' exports are read-only getters: the page gets a copy whose
    // `init` records.
    const { init } = echarts;
    window.echarts = { ...echarts };
    window.echarts.init = (element, ...rest) => {
      const chart = init(element, ...rest);
      // The warm-up draws in an element inside its own.
      const outer = element.closest('.chart-warm-up') ?? element;
      const record = {
        className: outer.className,
        card: element.closest('[data-testid]')?.dataset.testid ?? null,
        ariaHidden: outer.getAttribute('aria-hidden'),
        box: outer.getBoundingClientRect().toJSON(),
        visibility: getComputedStyle(element).visibility,
        paints: [],
        // The series types of each option set.
        options: [],
      };
      window.__charts.push(record);
      const setOption = chart.setOption.bind(chart);
      chart.setOption = (option, ...more) => {
        record.options.push([option.series ?? []].flat().map((s) => s.type));
        return setOption(option, ...more);
      };
      chart.on('rendered', () => {
        record.paints.push(performance.now());
        // Where the chart's outermost box sits once ECharts has drawn in it.
        record.painted ??= { position: getComputedStyle(outer).position, box: outer.getBoundingClientRect().toJSON() };
      });
      return chart;
    };
  });
}

test('the first chart is measured once ECharts has painted it, not when its option is set', async () => {
  const server = await startServer({ root: DIST, fixtures: FIXTURES });
  try {
    await withBrowser({}, async ({ page, context }) => {
      await context.addInitScript(recordCharts);
      await page.goto(`${server.url}/?${FIXTURE}`);
      assert.equal(await waitForLoad(page), 'ready');
      await page.waitForFunction(() => performance.getEntriesByName('spaces:first-chart').length > 0);
      const { end, drawEnd, growth } = await page.evaluate(() => {
        const chart = performance.getEntriesByName('spaces:first-chart')[0];
        const draw = performance.getEntriesByName('spaces:draw Growth of Spaces')[0];
        return {
          end: chart.startTime + chart.duration,
          drawEnd: draw.startTime + draw.duration,
          growth: window.__charts.find((c) => c.card === 'chart-growth'),
        };
      });
      assert.ok(growth && growth.paints.length > 0, 'the growth chart was painted');
      // The option is set with `lazyUpdate`: ECharts lays the chart out and
      // paints it at a later frame, and only then is it on screen.
      assert.ok(end >= growth.paints[0], `first chart ends ${end} ms, painted at ${growth.paints[0]} ms`);
      assert.ok(end > drawEnd, `first chart ends ${end} ms, after its option was set at ${drawEnd} ms`);
    });
  } finally {
    await server.close();
  }
});

test('while the data downloads, an unseen chart warms ECharts up in steps, gone once the table is in; not on a revisit', async () => {
  // Paced so that the load outlasts the warm-up's seven frames.
  const server = await startServer({ root: DIST, fixtures: FIXTURES, throttle: 400_000 });
  try {
    await withBrowser({}, async ({ page, context }) => {
      await context.addInitScript(recordCharts);
      await page.goto(`${server.url}/?${FIXTURE}`);
      await page.waitForSelector('.chart-warm-up', { state: 'attached' });
      assert.equal(await waitForLoad(page), 'ready');
      const warmUps = await page.evaluate(() => window.__charts.filter((c) => c.className === 'chart-warm-up'));
      assert.equal(warmUps.length, 1, 'one warm-up chart');
      const [warmUp] = warmUps;
      assert.equal(warmUp.card, null, 'in no card');
      assert.equal(warmUp.ariaHidden, 'true', 'hidden from assistive technology');
      assert.equal(warmUp.visibility, 'hidden');
      assert.ok(warmUp.box.right <= 0, `off screen: ${JSON.stringify(warmUp.box)}`);
      // Out of the page's flow once drawn (ECharts makes the element it
      // draws in `position: relative`): nothing on the page moves.
      assert.equal(warmUp.painted.position, 'fixed');
      assert.ok(warmUp.painted.box.right <= 0, `still off screen: ${JSON.stringify(warmUp.painted.box)}`);
      // Every step of charts::warm_up_step was set and painted, the last
      // the Growth chart's bars and line.
      assert.deepEqual(warmUp.options, [[], [], [], ['bar'], ['line'], ['line'], ['bar', 'line']]);
      assert.ok(warmUp.paints.length >= 7, `${warmUp.paints.length} paints`);
      // Gone once the table is in, before any card's chart was painted.
      assert.equal(await page.locator('.chart-warm-up').count(), 0);
      const firstCardPaint = await page.evaluate(() =>
        Math.min(...window.__charts.filter((c) => c.card).flatMap((c) => c.paints)),
      );
      assert.ok(warmUp.paints.at(-1) < firstCardPaint, 'the warm-up finished before the first chart');
      // What the visitor sees is the real data: the growth card's chart.
      await page.waitForSelector('[data-testid=chart-growth][data-ready=true]');
      assert.equal(await page.locator('canvas').count() > 0, true);

      // A revisit reads its saved table in a moment: no warm-up competes.
      // (The engine saves the table a moment after the page is drawn.)
      for (let tries = 0; ; tries++) {
        await page.waitForTimeout(2500);
        await page.reload();
        assert.equal(await waitForLoad(page), 'ready');
        await page.waitForSelector('[data-testid=chart-growth][data-ready=true]');
        if (await page.evaluate(() => performance.getEntriesByName('spaces:saved-restore').length > 0)) break;
        assert.ok(tries < 4, 'the revisit read the saved table');
      }
      const revisitCharts = await page.evaluate(() => window.__charts.map((c) => c.className));
      assert.ok(revisitCharts.includes('echart'), 'the revisit drew its charts');
      assert.ok(!revisitCharts.includes('chart-warm-up'), `no warm-up on the revisit: ${revisitCharts}`);
    });
  } finally {
    await server.close();
  }
});

test('Search and an embedded table draw no chart, so nothing is warmed up', async () => {
  const server = await startServer({ root: DIST, fixtures: FIXTURES, throttle: 400_000 });
  try {
    for (const view of ['view=search', 'embed=table-most-liked']) {
      await withBrowser({}, async ({ page, context }) => {
        await context.addInitScript(recordCharts);
        await page.goto(`${server.url}/?${FIXTURE}&${view}`);
        assert.equal(await waitForLoad(page), 'ready');
        const created = await page.evaluate(() => window.__charts.map((c) => c.className));
        assert.deepEqual(created, [], `${view}: no chart created`);
      });
    }
  } finally {
    await server.close();
  }
});
