// End to end: the data panel says how much memory the app holds, as the
// `memory` hook's data-bytes: all of its WebAssembly memory, the page's
// and the engine's (which holds the table and its indexes, and says its
// size with each answer). Wasm memory only grows, so the figure is the
// peak so far.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launch, waitForLoad, DIST, FIXTURES } from './browser.mjs';

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

/** The hook's figure and text, and the engine's part. */
async function memory(page) {
  return page.evaluate(() => ({
    shown: Number(document.querySelector('[data-testid=memory]').dataset.bytes),
    text: document.querySelector('[data-testid=memory]').textContent,
    engine: Number(document.querySelector('[data-testid=engine-memory]').dataset.bytes),
  }));
}

test('the panel shows the wasm memory the app holds, and it follows the indexes', async () => {
  const { page, errors } = browser;
  // The app's wasm memory, captured from the module trunk started.
  await page.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e) => { window.__wasmMemory = e.detail.wasm.memory; });
  });
  await page.goto(`${server.url}/?data=fixtures/spaces-5k-pandas.parquet`);
  assert.equal(await waitForLoad(page), 'ready');
  await page.waitForSelector('[data-testid=memory]');
  const first = await memory(page);
  const actual = await page.evaluate(() => window.__wasmMemory.buffer.byteLength);
  assert.ok(first.engine >= 1 << 20, `the engine holds ${first.engine} bytes`);
  assert.equal(first.shown % 65536, 0, 'whole wasm pages');
  assert.equal(first.engine % 65536, 0, 'whole wasm pages');
  // Read at most a second apart: the page's memory can only have grown.
  assert.ok(first.shown - first.engine <= actual, `${first.shown - first.engine} <= ${actual}`);
  assert.ok(first.shown - first.engine > 0, 'the page\'s own memory counts too');
  assert.match(first.text, /^The app holds [\d.,]+ (kB|MB|GB) of memory\.$/);
  // Search builds the facet and text indexes in the engine: the figure
  // follows with its answers, and the page's within a second or so.
  await page.click('[role=tab]:has-text("Search")');
  await page.fill('input[type=search]', 'stable diffusion');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=result-row]').length > 0);
  await page.waitForFunction(
    () =>
      Number(document.querySelector('[data-testid=memory]').dataset.bytes) ===
      window.__wasmMemory.buffer.byteLength + Number(document.querySelector('[data-testid=engine-memory]').dataset.bytes),
    null,
    { timeout: 5000 },
  );
  const later = await memory(page);
  assert.ok(later.shown >= first.shown, 'wasm memory never shrinks');
  assert.ok(later.engine >= first.engine, 'the engine\'s never shrinks');
  assert.deepEqual(errors, []);
});
