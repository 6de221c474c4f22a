// End to end: the app inside a page that plays the Hugging Face Hub. One
// https server on 127.0.0.1 answers by Host header for huggingface.co (the
// Space page, and the Hub's dataset file), owner-name.static.hf.space (the
// built app, with the Space variables the Hub injects) and other.example (a
// site that is not the Hub framing the app); Chromium maps those names to
// it. Checks that a parent's query string reproduces the view, that view
// changes reach the Hub's page and no other, and that links name the Space.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer } from './server.mjs';
import { launch, waitForLoad, DIST } from './browser.mjs';

const APP_HOST = 'owner-name.static.hf.space';
const APP = `https://${APP_HOST}`;
const HUB = 'https://huggingface.co';
const OTHER = 'https://other.example';
const SPACE_PAGE = '/spaces/owner/name';
const SPACE_URL = `${HUB}${SPACE_PAGE}`;
/** The Hub file the app loads without `data` (src/url/source.rs HUB_URL): the sample stands in. */
const HUB_DATA_PATH = '/datasets/jsulz/space-stats/resolve/main/spaces.parquet';

/**
 * What the app host puts in index.html. `injection`: 'head' (first child
 * of <head>, before the CSP meta), 'script' (right before the app's first
 * <script>, after the CSP meta, which then blocks it) or 'none'. `script`
 * is the inline script's text; `meta` adds the deploy script's
 * `<meta name="spaces-ship-space-id">`.
 */
const space = { injection: 'none', script: '', meta: false };

/** `window.huggingface` as the Hub sets it, with `id` as SPACE_ID (any JSON value). */
function variables(id) {
  const literal = JSON.stringify(id).replace(/</g, '\\u003c');
  return `window.huggingface={variables:{SPACE_ID:${literal},SPACE_HOST:${JSON.stringify(APP_HOST)}}}`;
}

function configure({ injection = 'none', script = variables('owner/name'), meta = false } = {}) {
  Object.assign(space, { injection, script, meta });
}

const escapeAttr = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The Space page: frames the app with its own query string, records every message. */
function parentPage(search) {
  const src = `${APP}/${search.length > 1 ? search : ''}`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>owner/name: a Space</title>
<script>
window.received = [];
addEventListener('message', (e) => window.received.push({ origin: e.origin, data: e.data }));
</script>
<style>body { margin: 0 } iframe { border: 0; width: 1240px; height: 860px }</style>
</head><body>
<iframe src="${escapeAttr(src)}" allow="clipboard-write" title="Space"></iframe>
</body></html>`;
}

/** index.html as the app host serves it, with the configured injection. */
function appIndex() {
  let html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const csp = html.indexOf('http-equiv="Content-Security-Policy"');
  assert.ok(csp > 0, 'index.html has its CSP meta');
  const tag = `<script>${space.script}</script>`;
  if (space.meta) {
    const end = html.indexOf('>', csp) + 1;
    html = `${html.slice(0, end)}\n<meta name="spaces-ship-space-id" content="owner/name" />${html.slice(end)}`;
  }
  if (space.injection === 'head') {
    const head = html.indexOf('<head>') + '<head>'.length;
    assert.ok(head > 0 && head < csp, '<head> comes before the CSP meta');
    html = `${html.slice(0, head)}${tag}${html.slice(head)}`;
  } else if (space.injection === 'script') {
    const first = html.search(/<script[\s>]/);
    assert.ok(first > csp, "the app's first <script> comes after the CSP meta");
    html = `${html.slice(0, first)}${tag}\n${html.slice(first)}`;
  }
  return html;
}

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

/** Answers by Host header; app files other than index.html go to the static server. */
const unknown = [];
function handle(req, res) {
  const host = (req.headers.host || '').replace(/:\d+$/, '');
  const url = new URL(req.url, `https://${host}`);
  if (host === 'huggingface.co' || host === 'other.example') {
    if (url.pathname === SPACE_PAGE) {
      send(res, 200, 'text/html; charset=utf-8', parentPage(url.search));
      return true;
    }
    if (host === 'huggingface.co' && url.pathname === HUB_DATA_PATH) {
      req.url = '/sample.parquet';
      return false;
    }
    send(res, 404, 'text/plain', 'not found');
    return true;
  }
  if (host === APP_HOST) {
    if (url.pathname === '/' || url.pathname === '/index.html') {
      send(res, 200, 'text/html; charset=utf-8', appIndex());
      return true;
    }
    return false;
  }
  unknown.push(`${host}${req.url}`);
  send(res, 421, 'text/plain', 'unknown host');
  return true;
}

let tmp;
let server;
let browser;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spaces-ship-hub-'));
  const key = path.join(tmp, 'key.pem');
  const cert = path.join(tmp, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2',
    '-keyout', key, '-out', cert, '-subj', '/CN=huggingface.co',
    '-addext', 'subjectAltName=DNS:huggingface.co,DNS:*.static.hf.space,DNS:other.example',
  ], { stdio: 'ignore' });
  server = await startServer({
    root: DIST,
    handle,
    tls: { key: fs.readFileSync(key), cert: fs.readFileSync(cert) },
  });
  const p = server.port;
  browser = await launch({
    width: 1280,
    height: 900,
    ignoreHTTPSErrors: true,
    allowHosts: ['huggingface.co', '*.static.hf.space', 'other.example'],
    args: [
      `--host-resolver-rules=MAP huggingface.co 127.0.0.1:${p}, MAP *.static.hf.space 127.0.0.1:${p}, MAP other.example 127.0.0.1:${p}`,
      '--ignore-certificate-errors',
    ],
  });
  // What a click on Copy would put on the clipboard, in every frame.
  await browser.context.addInitScript(() => {
    if (navigator.clipboard) {
      navigator.clipboard.writeText = async (t) => {
        window.__copied = t;
      };
    }
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  // Nothing tried a host the test did not map.
  assert.deepEqual(browser?.offsite ?? [], []);
  assert.deepEqual(unknown, []);
});

/** Opens `origin`'s Space page with `search`; the app's frame once it is ready. */
async function openFramed(origin, search) {
  const { page } = browser;
  await page.goto(`${origin}${SPACE_PAGE}${search}`);
  const frame = await (await page.waitForSelector('iframe')).contentFrame();
  assert.ok(frame, 'the Space page has a frame');
  assert.equal(await waitForLoad(frame), 'ready');
  assert.equal(new URL(frame.url()).origin, APP);
  return frame;
}

/** What a click on `testId` copies in `frame`. */
async function copied(frame, testId) {
  await frame.evaluate(() => {
    window.__copied = undefined;
  });
  await frame.click(`[data-testid=${testId}]`);
  await frame.waitForFunction(() => window.__copied !== undefined, null, { timeout: 10_000 });
  return frame.evaluate(() => window.__copied);
}

const search = (frame) => frame.evaluate(() => location.search);
const received = () => browser.page.evaluate(() => window.received);
const matchCount = (frame) => frame.getAttribute('[data-testid=match-count]', 'data-value');

function resetEvents() {
  browser.errors.length = 0;
  browser.dialogs.length = 0;
}

test('a: the query string the Hub passes on reproduces the view', async () => {
  configure();
  resetEvents();
  const { page } = browser;
  await page.goto(`${APP}/?data=sample&sdk=gradio`);
  assert.equal(await waitForLoad(page), 'ready');
  const direct = await matchCount(page);
  await page.goto(`${APP}/?data=sample`);
  assert.equal(await waitForLoad(page), 'ready');
  const all = await matchCount(page);
  assert.ok(Number(direct) > 0 && Number(direct) < Number(all), `gradio narrows (${direct} of ${all})`);

  const frame = await openFramed(HUB, '?data=sample&sdk=gradio');
  assert.equal(await search(frame), '?data=sample&sdk=gradio');
  assert.equal(await matchCount(frame), direct);
  // The filter shows as a chip, not just as a count.
  assert.match(await frame.textContent('.filter-bar .chips'), /gradio/i);
  assert.deepEqual(browser.errors, []);
});

test('b: each change of view reaches the Hub page, from the app origin, as the frame address', async () => {
  configure();
  resetEvents();
  const frame = await openFramed(HUB, '?data=sample&sdk=gradio');
  const before = Number(await matchCount(frame));
  await frame.fill('.filter-bar input[type=search]', 'ai');
  await frame.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'ai');
  await browser.page.waitForFunction(() => window.received.some((m) => /[?&]q=ai(&|$)/.test(m.data?.queryString)));
  // A change Back can undo (pushState) is sent too.
  await frame.click('[role=tab]:has-text("Search")');
  await frame.waitForFunction(() => new URL(location.href).searchParams.get('view') === 'search');
  await browser.page.waitForFunction(() => /[?&]view=search(&|$)/.test(window.received.at(-1)?.data?.queryString));
  const messages = await received();
  assert.ok(messages.length >= 2, `${messages.length} messages`);
  for (const m of messages) {
    assert.equal(m.origin, APP, 'sent by the app frame');
    assert.equal(typeof m.data.queryString, 'string');
    assert.equal(typeof m.data.hash, 'string');
  }
  const last = messages.at(-1).data;
  const own = await search(frame);
  assert.equal(last.queryString, own, 'the last message is the frame address');
  assert.equal(last.hash, await frame.evaluate(() => location.hash));
  const params = new URLSearchParams(last.queryString);
  assert.equal(params.get('data'), 'sample');
  assert.equal(params.get('sdk'), 'gradio');
  assert.equal(params.get('q'), 'ai');
  assert.equal(params.get('view'), 'search');
  // The Hub's address would now reopen the same view.
  const count = await matchCount(frame);
  assert.ok(Number(count) <= before);
  const again = await openFramed(HUB, last.queryString);
  assert.equal(await matchCount(again), count);
  assert.match(await again.textContent('[role=tab][aria-selected=true]'), /Search/);
  assert.deepEqual(browser.errors, []);
});

test('c: a parent that is not the Hub hears nothing', async () => {
  configure();
  resetEvents();
  const frame = await openFramed(OTHER, '?data=sample&sdk=gradio');
  await frame.fill('.filter-bar input[type=search]', 'ai');
  await frame.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'ai');
  await frame.click('[role=tab]:has-text("Search")');
  await frame.waitForFunction(() => new URL(location.href).searchParams.get('view') === 'search');
  // Long enough for a message posted with the changes to arrive.
  await browser.page.waitForTimeout(500);
  assert.deepEqual(await received(), []);
  // The recorder works: a message this parent may read does arrive.
  await frame.evaluate(() => parent.postMessage({ probe: 1 }, '*'));
  await browser.page.waitForFunction(() => window.received.length === 1);
  assert.deepEqual(await received(), [{ origin: APP, data: { probe: 1 } }]);
  assert.deepEqual(browser.errors, []);
});

/** The frame's own address as the app links to it: origin, path and query. */
const ownAddress = (frame) => frame.evaluate(() => location.origin + location.pathname + location.search);

/** The Space URL for the frame's query string (no `?` when it is empty). */
async function spaceLink(frame) {
  const query = (await search(frame)).replace(/^\?/, '');
  return query ? `${SPACE_URL}?${query}` : SPACE_URL;
}

test('d: with SPACE_ID from the Hub, Copy link gives the Space page', async () => {
  resetEvents();
  configure({ injection: 'head' });
  let frame = await openFramed(HUB, '?data=sample&sdk=gradio');
  assert.equal(await frame.evaluate(() => window.huggingface?.variables?.SPACE_ID), 'owner/name', 'the variables ran');
  assert.equal(await copied(frame, 'copy-link'), `${SPACE_URL}?data=sample&sdk=gradio`);
  assert.equal(await copied(frame, 'copy-link'), await spaceLink(frame));
  // After a change, the link follows the frame's query.
  await frame.fill('.filter-bar input[type=search]', 'ai');
  await frame.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'ai');
  assert.equal(await copied(frame, 'copy-link'), await spaceLink(frame));
  assert.match(await spaceLink(frame), /[?&]q=ai(&|$)/);

  // Without a query (the Hub's own data file): no `?` at all.
  frame = await openFramed(HUB, '');
  assert.equal(await search(frame), '');
  assert.equal(await copied(frame, 'copy-link'), SPACE_URL);
  assert.deepEqual(browser.errors, []);
});

test('d: the embed snippet frames the app host itself', async () => {
  resetEvents();
  configure({ injection: 'head' });
  const frame = await openFramed(HUB, '?data=sample&sdk=gradio');
  await frame.click('[data-testid=embed-toggle]');
  await frame.waitForSelector('[data-testid=embed-panel]');
  const snippet = await frame.inputValue('[data-testid=embed-snippet]');
  assert.equal(await copied(frame, 'copy-embed'), snippet);
  const src = /src="([^"]+)"/.exec(snippet)?.[1];
  assert.ok(src, snippet);
  const url = new URL(src.replace(/&amp;/g, '&'));
  assert.equal(`${url.origin}${url.pathname}`, `${APP}/`);
  assert.equal(url.searchParams.get('embed'), 'chart-sdk');
  assert.equal(url.searchParams.get('data'), 'sample');
  assert.equal(url.searchParams.get('sdk'), 'gradio');
  assert.deepEqual(browser.errors, []);
});

test('d: SPACE_ID blocked by the CSP: the deploy meta names the Space', async () => {
  resetEvents();
  configure({ injection: 'script', meta: true });
  const frame = await openFramed(HUB, '?data=sample&sdk=gradio');
  // The page's policy stopped the inline script.
  assert.equal(await frame.evaluate(() => window.huggingface), undefined);
  const violations = await frame.evaluate(() => window.__cspViolations);
  assert.ok(violations.some((v) => v.startsWith('script-src')), `CSP blocked it: ${violations}`);
  assert.equal(await copied(frame, 'copy-link'), `${SPACE_URL}?data=sample&sdk=gradio`);
  assert.deepEqual(browser.errors, []);
});

test('d: without SPACE_ID (blocked by the CSP and no meta, or none at all), Copy link gives the frame address', async () => {
  resetEvents();
  configure({ injection: 'script', meta: false });
  let frame = await openFramed(HUB, '?data=sample&sdk=gradio');
  assert.equal(await frame.evaluate(() => window.huggingface), undefined);
  assert.equal(await copied(frame, 'copy-link'), `${APP}/?data=sample&sdk=gradio`);
  assert.equal(await copied(frame, 'copy-link'), await ownAddress(frame));

  configure({ injection: 'none' });
  frame = await openFramed(HUB, '?data=sample&sdk=gradio');
  assert.equal(await frame.evaluate(() => window.huggingface), undefined);
  assert.equal(await copied(frame, 'copy-link'), `${APP}/?data=sample&sdk=gradio`);
  assert.deepEqual(browser.errors, []);
  assert.deepEqual(browser.dialogs, []);
});

const HOSTILE = [
  ['markup', variables('<img src=x onerror=alert(1)>')],
  ['a javascript: URL', variables('javascript:alert(1)')],
  ['dot segments', variables('owner/../../logout')],
  ['three segments', variables('a/b/c')],
  ['5,000 characters', variables(`${'a'.repeat(5000)}/x`)],
  ['a number', variables(42)],
  ['not an object', 'window.huggingface = "garbage"'],
];

for (const [what, script] of HOSTILE) {
  test(`e: a hostile SPACE_ID (${what}) is ignored`, async () => {
    resetEvents();
    configure({ injection: 'head', script });
    const frame = await openFramed(HUB, '?data=sample');
    // The script ran: the app saw the value.
    assert.notEqual(await frame.evaluate(() => window.huggingface), undefined);
    assert.equal(await copied(frame, 'copy-link'), `${APP}/?data=sample`);
    assert.equal(await copied(frame, 'copy-link'), await ownAddress(frame));
    assert.equal(await frame.$$eval('img', (imgs) => imgs.length), 0, 'no element injected');
    assert.deepEqual(browser.dialogs, [], 'no dialog opened');
    assert.deepEqual(browser.errors, []);
  });
}
