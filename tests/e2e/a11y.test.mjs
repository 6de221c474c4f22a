// End to end: accessibility of the Overview and the Search view. axe-core
// finds no violation in either, in the light and in the dark colour scheme;
// Lighthouse's accessibility category (desktop) scores 100 for both.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launch, waitForLoad, DIST, FIXTURES } from './browser.mjs';
import { runAxe, describeAxe, launchChromeForLighthouse, runLighthouse, describeLighthouse } from './a11y.mjs';

let server;

before(async () => {
  server = await startServer({ root: DIST, fixtures: FIXTURES });
});

after(async () => {
  await server?.close();
});

const VIEWS = [
  // What each view must show before it is checked, so a check never looks
  // at the loading screen.
  { name: 'Overview', query: '?data=sample', shown: '[data-testid=chart-sdk] canvas' },
  { name: 'Search', query: '?data=sample&view=search', shown: '[data-testid=result-row] a.result-id' },
];

/** Relative luminance of a computed `rgb(...)` colour. */
function luminance(color) {
  const [r, g, b] = color.match(/[\d.]+/g).slice(0, 3).map((c) => {
    const v = Number(c) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

for (const scheme of ['light', 'dark']) {
  test(`axe-core: no violations on either view, ${scheme} colour scheme`, async (t) => {
    const browser = await launch({ colorScheme: scheme });
    try {
      const { page, errors } = browser;
      for (const view of VIEWS) {
        await page.goto(`${server.url}/${view.query}`);
        assert.equal(await waitForLoad(page), 'ready', view.name);
        await page.waitForSelector(view.shown);
        // Charts and rows drawn, the colour scheme applied.
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        const background = await page.evaluate(() => {
          for (let e = document.querySelector('main'); e; e = e.parentElement) {
            const c = getComputedStyle(e).backgroundColor;
            if (!/rgba\(.*,\s*0\)$|transparent/.test(c)) return c;
          }
          return 'rgb(255, 255, 255)';
        });
        const l = luminance(background);
        assert.ok(scheme === 'dark' ? l < 0.2 : l > 0.7, `${view.name}: ${scheme} background (${background})`);
        const result = await runAxe(page);
        assert.ok(result.passes > 20, `${view.name}: axe ran its rules (${result.passes} passed)`);
        if (result.incomplete.length) {
          t.diagnostic(`${view.name} (${scheme}), for review: ${result.incomplete.map((v) => `${v.id} ×${v.nodes}`).join(', ')}`);
        }
        assert.deepEqual(
          result.violations.map((v) => v.id),
          [],
          `${view.name} (${scheme}):\n${describeAxe(result.violations)}`,
        );
      }
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });
}

test('Lighthouse: accessibility scores 100 on both views (desktop)', async (t) => {
  const chrome = await launchChromeForLighthouse();
  const failures = [];
  try {
    for (const view of VIEWS) {
      const started = Date.now();
      const url = `${server.url}/${view.query}`;
      const result = await runLighthouse(url, chrome.port);
      t.diagnostic(`${view.name}: score ${result.score} in ${Date.now() - started} ms`);
      assert.equal(result.runtimeError, undefined, `${view.name}: ${result.runtimeError}`);
      assert.equal(result.formFactor, 'desktop');
      assert.equal(result.finalUrl, url);
      // It audited the loaded view, not the loading screen: the audits for
      // the view's own controls applied.
      const wanted = view.name === 'Search'
        ? ['skip-link', 'select-name', 'link-name', 'label', 'button-name']
        : ['td-headers-attr', 'label', 'button-name', 'color-contrast'];
      for (const id of wanted) assert.ok(result.applicable.includes(id), `${view.name}: ${id} applied`);
      if (result.score !== 1) failures.push(`${view.name}: score ${result.score}\n  ${describeLighthouse(result.failed)}`);
    }
  } finally {
    await chrome.kill();
  }
  assert.ok(failures.length === 0, failures.join('\n'));
});
