// End to end: the Search view by keyboard alone. Tab reaches an SDK facet
// with its focus visible at every stop, Space toggles it, the skip link
// (src/ui/skip_link.rs: "the Search view's first stop for the keyboard")
// leads to the results, and Enter on a result opens its Space on the Hub.
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

const MAX_TABS = 80;
const URL_PATH = '/?data=fixtures/spaces-5k-pandas.parquet&view=search';

/** The focused element: what it is, where it is, and how its focus shows. */
function focused(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return { tag: 'BODY' };
    const cs = getComputedStyle(e);
    const r = e.getBoundingClientRect();
    return {
      tag: e.tagName,
      name: `${e.tagName.toLowerCase()}${e.className ? `.${String(e.className).trim().replace(/\s+/g, '.')}` : ''} “${(e.getAttribute('aria-label') || e.textContent || e.getAttribute('placeholder') || '').trim().slice(0, 40)}”`,
      skipLink: e.matches('[data-testid=skip-to-results]'),
      sdkFacet: e.matches('[data-testid=facet-sdk] button.facet-option'),
      resultLink: e.matches('[data-testid=result-row] a.result-id'),
      results: e.id === 'results',
      value: e.dataset.value ?? null,
      pressed: e.getAttribute('aria-pressed'),
      outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0,
      shadow: cs.boxShadow !== 'none',
      onScreen: r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth && r.width > 0,
    };
  });
}

/**
 * Whether a stop's focus can be seen. A button, link, input or select has an
 * outline or a box shadow; the skip link, off screen until focused, shows
 * by appearing (checked separately).
 */
function assertFocusVisible(stop) {
  if (!['BUTTON', 'A', 'INPUT', 'SELECT'].includes(stop.tag)) return;
  assert.ok(stop.onScreen, `${stop.name} is on screen when focused`);
  if (stop.skipLink) return;
  assert.ok(stop.outline || stop.shadow, `${stop.name} shows its focus (outline or box shadow)`);
}

/** Presses `key` until `wanted(stop)`, at most `max` times; every stop is checked. */
async function pressUntil(page, key, wanted, max, stops) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const stop = await focused(page);
    stops.push(stop);
    assertFocusVisible(stop);
    if (wanted(stop)) return stop;
  }
  assert.fail(`${key} × ${max} never reached the target; stops: ${stops.map((s) => s.name).join(', ')}`);
}

test('by keyboard alone: an SDK facet, the skip link, a result opened on the Hub', async (t) => {
  const { page, context, errors, offsite } = browser;
  await page.goto(`${server.url}${URL_PATH}`);
  assert.equal(await waitForLoad(page), 'ready');
  await page.waitForSelector('[data-testid=result-row]');
  // The skip link waits off screen until it has focus.
  const hidden = await page.$eval('[data-testid=skip-to-results]', (e) => e.getBoundingClientRect().bottom);
  assert.ok(hidden <= 0, `skip link off screen before focus (bottom ${hidden})`);

  const stops = [];
  const facet = await pressUntil(page, 'Tab', (s) => s.sdkFacet, MAX_TABS, stops);
  t.diagnostic(`${stops.length} Tab stops to the SDK facet`);
  assert.ok(stops[0].skipLink, `the first stop is the skip link, not ${stops[0].name}`);
  assert.ok(stops.length > 3, 'the tabs, share bar and filters come before the facets');
  assert.equal(facet.pressed, 'false');
  const sdk = facet.value;
  const want = expected.sdk.find(([name]) => name === sdk);
  assert.ok(want, `${sdk} is an SDK pandas counted`);

  await page.keyboard.press('Space');
  await page.waitForFunction((sdk) => new URL(location.href).searchParams.get('sdk') === sdk, sdk);
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid=match-count]')?.dataset.value === n,
    String(want[1]),
  );
  assert.equal(await page.getAttribute('[data-testid=match-count]', 'data-value'), String(want[1]));
  // Focus stays on the option, now pressed: the next key goes on from here.
  const after = await focused(page);
  assert.ok(after.sdkFacet && after.value === sdk, `focus stayed on ${sdk}, not ${after.name}`);
  assert.equal(after.pressed, 'true');

  // Back to the skip link, which goes past every facet to the results.
  await pressUntil(page, 'Shift+Tab', (s) => s.skipLink, MAX_TABS, stops);
  await page.keyboard.press('Enter');
  const results = await focused(page);
  assert.ok(results.results, `Enter on the skip link focuses the results, not ${results.name}`);
  assert.equal(new URL(page.url()).hash, '', 'the fragment stays out of the address');
  await pressUntil(page, 'Tab', (s) => s.resultLink, 5, stops);
  const row = await page.evaluate(() => {
    const a = document.activeElement;
    const r = a.closest('[data-testid=result-row]');
    return { id: r.dataset.spaceId, href: a.href, top: parseFloat(r.style.top), text: a.textContent };
  });
  assert.equal(row.top, 0, 'the first result');
  assert.equal(row.text, row.id);
  const hubUrl = `https://huggingface.co/spaces/${row.id.split('/').map(encodeURIComponent).join('/')}`;
  assert.equal(row.href, hubUrl);

  const [popup, request] = await Promise.all([
    context.waitForEvent('page', { timeout: 10_000 }),
    context.waitForEvent('request', { predicate: (r) => r.url().startsWith('https://'), timeout: 10_000 }),
    page.keyboard.press('Enter'),
  ]);
  assert.equal(request.url(), hubUrl);
  assert.notEqual(popup, page, 'a new page, not this one');
  assert.ok(offsite.includes(hubUrl), 'the offsite request was blocked, not loaded');
  assert.equal(new URL(page.url()).searchParams.get('sdk'), sdk, 'the app itself stayed');
  await popup.close();
  assert.deepEqual(errors, []);
});

test('Tab alone also gets past every filter to the results (no trap)', async (t) => {
  const { page } = browser;
  await page.goto(`${server.url}${URL_PATH}&sdk=static`);
  assert.equal(await waitForLoad(page), 'ready');
  await page.waitForSelector('[data-testid=result-row]');
  const stops = [];
  await pressUntil(page, 'Tab', (s) => s.resultLink, 200, stops);
  t.diagnostic(`${stops.length} Tab stops to the first result`);
  const id = await page.evaluate(() => document.activeElement.closest('[data-testid=result-row]').dataset.spaceId);
  assert.equal(
    await page.getAttribute('[data-testid=result-row]', 'data-space-id'),
    id,
    'the first result link is the first stop in the results',
  );
  // Every facet value and the sort control came before.
  const names = stops.map((s) => s.name);
  assert.ok(stops.filter((s) => s.sdkFacet).length >= 1, names.join(', '));
  assert.ok(stops.some((s) => s.tag === 'SELECT'), 'the sort control is reachable');
});
