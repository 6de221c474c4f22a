// End to end: choosing the data. The site's list of sources (sources.json,
// served here by a route the test swaps) fills the data-source panel's
// drop-down; choosing one opens the same view on it (data=<name>, none for
// the default) and Back returns to the source before; `data=<name>` loads a
// listed source; a missing list is silent, a broken or late one is noted,
// and either way the built-in list applies; an unknown name is noted and
// the default loads. Listed sources obey the rules of `data=` URLs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './server.mjs';
import { launch, waitForLoad, EXPECTED as expected, DIST, FIXTURES, ROOT } from './browser.mjs';

const HUB_2024 = 'https://huggingface.co/datasets/jsulz/space-stats/resolve/main/spaces.parquet';
const BUILTIN = ['hub-2024', 'hub-daily', 'sample'];
const HOSTILE_LABEL = '<img src=x onerror="window.__pwned=1">Pandas & co';

let server;
let browser;
/** What `/sources.json` answers: set by each test. */
let answer;

function json(body) {
  return (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
}

/** A deployment's list: the pandas fixture (the default), the Hub file, the sample. */
function deployed() {
  return {
    default: 'pandas',
    sources: [
      {
        name: 'pandas',
        label: HOSTILE_LABEL,
        url: 'fixtures/spaces-5k-pandas.parquet',
        snapshot: '2024-09-30',
        bytes: 1234567,
      },
      { name: 'hub-2024', label: 'Hub snapshot, September 2024', url: HUB_2024 },
      { name: 'sample', label: 'The sample' },
    ],
  };
}

before(async () => {
  server = await startServer({
    root: DIST,
    fixtures: FIXTURES,
    routes: { '/sources.json': (req, res) => answer(req, res) },
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** The drop-down: each option's short name, text, and which is selected. */
async function choices(page) {
  await page.waitForSelector('[data-testid=source-choice]');
  return page.$$eval('[data-testid=source-choice] option', (options) =>
    options.map((o) => ({ value: o.dataset.value ?? null, text: o.textContent, selected: o.selected })),
  );
}

const search = (page) => new URL(page.url()).search;

test('the panel lists the sources of the site\'s sources.json, as text', async () => {
  answer = json(deployed());
  const { page, errors } = browser;
  await page.goto(`${server.url}/?data=sample`);
  assert.equal(await waitForLoad(page), 'ready');
  const options = await choices(page);
  assert.deepEqual(options.map((o) => o.value), ['pandas', 'hub-2024', 'sample']);
  assert.equal(options[0].text, `${HOSTILE_LABEL} · 2024-09-30 · 1.2 MB`);
  assert.equal(options[1].text, 'Hub snapshot, September 2024');
  assert.deepEqual(options.filter((o) => o.selected).map((o) => o.value), ['sample']);
  // Markup in a label is text: no element, nothing ran.
  assert.equal(await page.$('.source-panel img'), null);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  // Labelled, and the button does nothing until another source is chosen.
  assert.equal(await page.$eval('[data-testid=source-choice]', (s) => s.labels[0].textContent), 'Data source');
  assert.equal(await page.isDisabled('[data-testid=source-load]'), true);
  assert.equal(await page.$('[data-testid=sources-note]'), null);
  assert.deepEqual(errors, []);
});

test('choosing the sample keeps the view in the address, loads it, and Back returns', async () => {
  answer = json(deployed());
  const { page, errors, offsite } = browser;
  offsite.length = 0;
  // No data=: the list's default, the pandas fixture.
  await page.goto(`${server.url}/?view=search&sdk=gradio&likes=1&sort=id`);
  assert.equal(await waitForLoad(page), 'ready');
  const gradio = expected.sdk.find(([s]) => s === 'gradio')[1];
  assert.equal(await page.getAttribute('[data-testid=total-count]', 'data-value'), String(expected.rows));
  assert.ok((await page.textContent('.source-name')).endsWith('/fixtures/spaces-5k-pandas.parquet'));
  assert.equal((await choices(page)).find((o) => o.selected).value, 'pandas');

  server.log.length = 0;
  await page.selectOption('[data-testid=source-choice]', 'sample');
  await Promise.all([page.waitForURL(/data=sample/), page.click('[data-testid=source-load]')]);
  assert.equal(search(page), '?data=sample&view=search&sdk=gradio&likes=1&sort=id');
  assert.equal(await waitForLoad(page), 'ready');
  assert.equal(await page.getAttribute('[data-testid=total-count]', 'data-value'), '5000');
  assert.match(await page.textContent('.source-panel .badge'), /Sample/);
  assert.ok(server.log.some((e) => e.path === '/sample.parquet'), 'the sample was fetched');
  // The filters came along: the chip is there and the view is Search.
  assert.equal(await page.$$eval('.chips .chip', (chips) => chips.length) >= 1, true);
  assert.equal((await choices(page)).find((o) => o.selected).value, 'sample');

  await page.goBack();
  assert.equal(search(page), '?view=search&sdk=gradio&likes=1&sort=id');
  assert.equal(await waitForLoad(page), 'ready');
  assert.ok((await page.textContent('.source-name')).endsWith('/fixtures/spaces-5k-pandas.parquet'));
  assert.ok(Number(await page.getAttribute('[data-testid=match-count]', 'data-value')) <= gradio);

  // Back on the sample, choosing the default writes no data=.
  await page.goForward();
  assert.equal(await waitForLoad(page), 'ready');
  await page.selectOption('[data-testid=source-choice]', 'pandas');
  await Promise.all([page.waitForURL((url) => !url.search.includes('data=')), page.click('[data-testid=source-load]')]);
  assert.equal(search(page), '?view=search&sdk=gradio&likes=1&sort=id');
  assert.equal(await waitForLoad(page), 'ready');
  assert.deepEqual(offsite, []);
  assert.deepEqual(errors, []);
});

test('by keyboard: arrows pick a source without leaving, Load opens it', async () => {
  answer = json(deployed());
  const { page } = browser;
  await page.goto(`${server.url}/?data=sample&sdk=docker`);
  assert.equal(await waitForLoad(page), 'ready');
  await page.focus('[data-testid=source-choice]');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await page.waitForTimeout(300);
  assert.equal(search(page), '?data=sample&sdk=docker', 'an arrow key does not navigate');
  assert.equal(await page.$eval('[data-testid=source-choice]', (s) => s.value), 'pandas');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'source-load');
  await Promise.all([page.waitForURL((url) => !url.search.includes('data=')), page.keyboard.press('Enter')]);
  assert.equal(search(page), '?sdk=docker');
  assert.equal(await waitForLoad(page), 'ready');
  assert.equal(await page.getAttribute('[data-testid=total-count]', 'data-value'), String(expected.rows));
});

test('data=<a name from sources.json> loads that source', async () => {
  const list = deployed();
  list.default = 'hub-2024';
  answer = json(list);
  const { page, errors, offsite } = browser;
  offsite.length = 0;
  server.log.length = 0;
  await page.goto(`${server.url}/?data=pandas&sdk=static`);
  assert.equal(await waitForLoad(page), 'ready');
  assert.equal(await page.getAttribute('[data-testid=total-count]', 'data-value'), String(expected.rows));
  const statics = expected.sdk.find(([s]) => s === 'static')[1];
  assert.equal(await page.getAttribute('[data-testid=match-count]', 'data-value'), String(statics));
  assert.ok(server.log.some((e) => e.path === '/fixtures/spaces-5k-pandas.parquet'));
  // The list was read before the first data request.
  const order = server.log.map((e) => e.path);
  assert.ok(order.indexOf('/sources.json') < order.indexOf('/fixtures/spaces-5k-pandas.parquet'), order.join(' '));
  assert.equal((await choices(page)).find((o) => o.selected).value, 'pandas');
  assert.equal(await page.$('[data-testid=url-notes]'), null);
  // Names are read in any case.
  await page.goto(`${server.url}/?data=PANDAS`);
  assert.equal(await waitForLoad(page), 'ready');
  assert.deepEqual(offsite, []);
  assert.deepEqual(errors, []);
});

test('an unknown name is noted, with the names this site knows, and the default loads', async () => {
  answer = json(deployed());
  const { page } = browser;
  await page.goto(`${server.url}/?data=hub-daily&view=search`);
  assert.equal(await waitForLoad(page), 'ready');
  const note = await page.textContent('[data-testid=url-notes]');
  assert.match(note, /Ignored data “hub-daily”: no data source has that name\. The names this site knows are pandas, hub-2024, sample; showing the default, pandas\./);
  assert.equal(await page.getAttribute('[data-testid=total-count]', 'data-value'), String(expected.rows));
  assert.equal(search(page), '?data=hub-daily&view=search', 'the link stays as it was given');
});

test('without sources.json (404) the built-in list applies, silently', async () => {
  answer = (req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  };
  const { page, offsite } = browser;
  offsite.length = 0;
  await page.goto(`${server.url}/?data=hub-daily`);
  assert.equal(await waitForLoad(page), 'error');
  assert.deepEqual(offsite, ['https://huggingface.co/datasets/cfahlgren1/hub-stats/resolve/main/spaces.parquet']);
  const options = await choices(page);
  assert.deepEqual(options.map((o) => o.value), BUILTIN);
  assert.equal(options.find((o) => o.selected).value, 'hub-daily');
  assert.equal(await page.$('[data-testid=sources-note]'), null);
  assert.equal(await page.$('[data-testid=url-notes]'), null);
});

for (const [what, body, why] of [
  ['cut short', '{"default": "pandas", "sources": [', /it is not a valid list/],
  ['an HTML page', '<!DOCTYPE html><p>Not here</p>', /it is not a valid list/],
  ['a javascript: URL', JSON.stringify({ default: 'x', sources: [{ name: 'x', label: 'X', url: 'javascript:alert(1)' }] }), /the url of “x” was refused: it is not an http\(s\) URL\./],
  ['a 10 MB file', `{"default": "a", "sources": []}${' '.repeat(10 << 20)}`, /it is larger than 65\.5 kB/],
  ['the wrong types', JSON.stringify({ default: 'x', sources: [{ name: 'x', label: ['X'], url: '/x' }] }), /it is not a valid list \(invalid type/],
  ['two sources of one name', JSON.stringify({ default: 'x', sources: [{ name: 'x', label: 'X', url: '/x' }, { name: 'x', label: 'Y', url: '/y' }] }), /two sources are named “x”/],
]) {
  test(`a broken sources.json (${what}) is noted and the built-in list applies`, async () => {
    answer = json(body);
    const { page, errors, offsite } = browser;
    offsite.length = 0;
    await page.goto(`${server.url}/?sdk=gradio`);
    // The built-in default: the Hub file, which tests never reach.
    assert.equal(await waitForLoad(page), 'error');
    assert.deepEqual(offsite, [HUB_2024]);
    const note = await page.textContent('[data-testid=sources-note]');
    assert.match(note, /^This site's list of data sources \(sources\.json\) was not used: /);
    assert.match(note, why);
    assert.match(note, /The built-in list is offered instead: hub-2024, hub-daily, sample\.$/);
    assert.deepEqual((await choices(page)).map((o) => o.value), BUILTIN);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    // From here the sample is one choice away.
    await page.selectOption('[data-testid=source-choice]', 'sample');
    await Promise.all([page.waitForURL(/data=sample/), page.click('[data-testid=source-load]')]);
    assert.equal(search(page), '?data=sample&sdk=gradio');
    assert.equal(await waitForLoad(page), 'ready');
    assert.equal(await page.getAttribute('[data-testid=total-count]', 'data-value'), '5000');
    assert.deepEqual(errors, []);
  });
}

test('a list that never arrives: the sample loads at once, a name waits 3 s at most', async () => {
  const pending = [];
  answer = (req, res) => pending.push(res);
  const { page } = browser;
  try {
    let started = Date.now();
    await page.goto(`${server.url}/?data=sample`);
    assert.equal(await waitForLoad(page), 'ready');
    assert.ok(Date.now() - started < 2500, `the sample waited ${Date.now() - started} ms`);
    const note = await page.waitForSelector('[data-testid=sources-note]', { timeout: 6000 });
    assert.match(await note.textContent(), /not used: it did not arrive within 3 seconds\./);
    assert.deepEqual((await choices(page)).map((o) => o.value), BUILTIN);

    started = Date.now();
    await page.goto(`${server.url}/?data=sample-not`);
    assert.equal(await waitForLoad(page), 'error');
    const waited = Date.now() - started;
    assert.ok(waited >= 2900 && waited < 8000, `waited ${waited} ms`);
    assert.match(await page.textContent('[data-testid=url-notes]'), /Ignored data “sample-not”/);
  } finally {
    for (const res of pending) res.destroy();
  }
});

test('a listed source on another host asks first, as a data= URL does', async () => {
  const { page, errors } = browser;
  // localhost is another origin than the page's 127.0.0.1.
  const elsewhere = `http://localhost:${server.port}/fixtures/spaces-5k-pandas.parquet`;
  answer = json({ default: 'hub-2024', sources: [{ name: 'hub-2024', label: 'Hub', url: HUB_2024 }, { name: 'elsewhere', label: 'Elsewhere', url: elsewhere }] });
  server.log.length = 0;
  await page.goto(`${server.url}/?data=elsewhere`);
  await page.waitForSelector('[data-testid=consent]');
  assert.equal(await page.getAttribute('[data-testid=consent]', 'data-host'), `localhost:${server.port}`);
  assert.ok(!server.log.some((e) => e.path.startsWith('/fixtures/')), 'nothing fetched before consent');
  await page.click(`text=Load data from localhost:${server.port}`);
  assert.equal(await waitForLoad(page), 'ready');
  assert.equal(await page.getAttribute('[data-testid=total-count]', 'data-value'), String(expected.rows));
  assert.deepEqual(errors, []);
});

test('deploy.sh ships the built-in list; --slim-url makes hub-slim the default', async () => {
  const space = path.join(path.dirname(DIST), 'space');
  assert.ok(fs.existsSync(path.join(space, 'sources.json')), 'run scripts/deploy.sh first');
  const read = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.deepEqual(read(path.join(space, 'sources.json')), read(path.join(ROOT, 'scripts', 'sources.json')));
  // What `deploy.sh --slim-url … --slim-snapshot … --slim-bytes …` writes, served to the app.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spaces-ship-sources-'));
  try {
    const out = path.join(tmp, 'sources.json');
    const slim = `${server.url}/fixtures/spaces-5k-pandas.parquet`;
    execFileSync('node', [path.join(ROOT, 'scripts', 'sources.mjs'), out, '--slim-url', slim, '--slim-snapshot', '2026-08-01', '--slim-bytes', '48123456']);
    answer = json(fs.readFileSync(out, 'utf8'));
    const { page, errors } = browser;
    await page.goto(`${server.url}/?sdk=docker`);
    assert.equal(await waitForLoad(page), 'ready');
    assert.equal(await page.getAttribute('[data-testid=total-count]', 'data-value'), String(expected.rows));
    const options = await choices(page);
    assert.deepEqual(options.map((o) => o.value), ['hub-slim', ...BUILTIN]);
    assert.equal(options[0].text, 'Hub daily snapshot (slim) · 2026-08-01 · 48.1 MB');
    assert.ok(options[0].selected);
    assert.equal(await page.$('[data-testid=sources-note]'), null);
    assert.deepEqual(errors, []);
    // A bad option is refused before anything is written or built.
    assert.throws(() => execFileSync('node', [path.join(ROOT, 'scripts', 'sources.mjs'), out, '--slim-url', 'javascript:alert(1)'], { stdio: 'pipe' }));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
