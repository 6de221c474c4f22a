// End to end: the engine's Web Worker. The file is fetched and decoded
// there and the table stays there: the page asks for what it shows. A
// worker that cannot start, stops mid-load or later, or answers out of
// turn leaves a usable page that says what happened and offers the sample.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './server.mjs';
import { withBrowser, waitForLoad, readDataTable, assertRanked, DIST, FIXTURES, ROOT } from './browser.mjs';

let server;

before(async () => {
  server = await startServer({ root: DIST, fixtures: FIXTURES });
});

after(async () => {
  await server?.close();
});

const FIXTURE = 'fixtures/spaces-5k-pandas.parquet';

/** The error the load-status hook shows, once loading has ended. */
async function loadError(page) {
  assert.equal(await waitForLoad(page), 'error');
  return page.textContent('[data-testid=load-status]');
}

/** The way out every failure offers: the bundled sample loads. */
async function sampleStillLoads(page) {
  await page.click('text=Load the bundled sample instead');
  assert.equal(await waitForLoad(page), 'ready');
  assert.equal(await page.getAttribute('[data-testid=total-count]', 'data-value'), '5000');
}

/** "Try again" loads the file, in the same page. */
async function retryLoads(page) {
  await page.click('button:has-text("Try again")');
  await page
    .waitForSelector('[data-testid=load-status][data-state=ready]', { state: 'attached' })
    .catch(async (error) => {
      throw new Error(`${error.message}: ${await page.textContent('[data-testid=load-status]')}`);
    });
  assert.equal(await page.getAttribute('[data-testid=total-count]', 'data-value'), '5000');
}

test('the file is decoded in a worker, which keeps it: the page gets the marks and the worker\'s memory', async () => {
  await withBrowser({}, async ({ page }) => {
    const workers = [];
    page.on('worker', (w) => workers.push(w.url()));
    await page.goto(`${server.url}/?data=${FIXTURE}`);
    assert.equal(await waitForLoad(page), 'ready');
    assert.equal(await page.getAttribute('[data-testid=total-count]', 'data-value'), '5000');
    assert.deepEqual(workers.map((u) => new URL(u).pathname), ['/engine_start.js']);
    // The worker's fetch span, relayed onto the page's timeline before the
    // decode that follows it.
    const spans = await page.evaluate(() =>
      Object.fromEntries(
        performance.getEntriesByType('measure').map((m) => [m.name, [m.startTime, m.duration]]),
      ),
    );
    const [fetchStart, fetchTook] = spans['spaces:fetch'];
    const [decodeStart] = spans['spaces:decode'];
    assert.ok(fetchStart >= 0 && fetchTook > 0, `fetch ${fetchStart} + ${fetchTook}`);
    assert.ok(decodeStart >= fetchStart + fetchTook - 1, `decode starts ${decodeStart} after the fetch`);
    const engineBytes = Number(await page.getAttribute('[data-testid=engine-memory]', 'data-bytes'));
    assert.ok(engineBytes >= 1 << 20 && engineBytes % 65536 === 0, `${engineBytes} bytes`);
  });
});

/** Records every message the page posts to a worker (`window.__posted`),
 * with what the page showed at that moment. */
async function recordPosts(page) {
  await page.addInitScript(() => {
    window.__posted = [];
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (message, ...rest) {
      const body = JSON.parse(message?.text ?? 'null')?.body;
      window.__posted.push({
        kind: body == null ? 'not a request' : typeof body === 'string' ? body : Object.keys(body)[0],
        body: JSON.stringify(body),
        mounted: !document.getElementById('boot'),
        tableShown: !!document.querySelector('.toolbar'),
      });
      return post.call(this, message, ...rest);
    };
  });
}

test('the data is asked for before the app mounts, once; the first view before the page renders the table', async () => {
  await withBrowser({}, async ({ page }) => {
    await recordPosts(page);
    await page.goto(`${server.url}/?data=${FIXTURE}`);
    assert.equal(await waitForLoad(page), 'ready');
    await page.waitForSelector('[data-testid=chart-growth] canvas');
    const posted = await page.evaluate(() => window.__posted);
    const loads = posted.filter((p) => p.kind === 'Load');
    assert.equal(loads.length, 1, JSON.stringify(posted));
    assert.equal(loads[0].mounted, false, 'the load was asked for before the app mounted');
    assert.equal(JSON.parse(loads[0].body).Load.url, `${server.url}/${FIXTURE}`);
    const queries = posted.filter((p) => p.kind === 'Query');
    assert.ok(queries.length >= 1, JSON.stringify(posted));
    assert.equal(queries[0].tableShown, false, 'the first view was asked for before the table was shown');
    // Asked ahead, the same view is not asked again when the page renders
    // the table (later questions follow the cards that come near).
    if (queries.length > 1) assert.notEqual(queries[1].body, queries[0].body, 'the first view was asked twice');
  });
  // An address that needs consent is not asked for early: nothing is
  // posted before the visitor agrees (sources.test.mjs checks the server).
  await withBrowser({}, async ({ page }) => {
    await recordPosts(page);
    await page.goto(`${server.url}/?data=${encodeURIComponent(`http://localhost:${server.port}/${FIXTURE}`)}`);
    await page.waitForSelector('[data-testid=consent]');
    await page.waitForTimeout(300);
    assert.deepEqual(await page.evaluate(() => window.__posted), []);
  });
});

test('a worker script that cannot load: a clear message, the page usable, the sample offered', async () => {
  await withBrowser({}, async ({ page }) => {
    await page.route('**/engine_start.js', (route) => route.fulfill({ status: 404, body: 'missing', headers: { 'cache-control': 'no-store' } }));
    await page.goto(`${server.url}/?data=${FIXTURE}`);
    const text = await loadError(page);
    assert.match(text, /The app's engine could not start \(its script could not be loaded\)/);
    assert.match(text, /Web Worker/);
    await page.unroute('**/engine_start.js');
    // Trying again starts a new worker, which now loads.
    await retryLoads(page);
  });
});

test('a policy that forbids workers: the message says what the app needs', async () => {
  await withBrowser({}, async ({ page }) => {
    await page.route(/\/(\?.*)?$/, async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace("worker-src 'self' blob:", "worker-src 'none'");
      assert.ok(body.includes("worker-src 'none'"), 'the page has the policy to change');
      await route.fulfill({ response, body });
    });
    await page.goto(`${server.url}/?data=${FIXTURE}`);
    const text = await loadError(page);
    assert.match(text, /The app's engine could not start/);
    assert.match(text, /worker-src 'self'/);
  });
});

test('WebAssembly that does not load in the worker is an error, not a page stuck loading', async () => {
  await withBrowser({}, async ({ page }) => {
    await page.route('**/engine_bg.wasm', (route) => route.fulfill({ status: 500, body: 'no', headers: { 'cache-control': 'no-store' } }));
    await page.goto(`${server.url}/?data=${FIXTURE}`);
    const text = await loadError(page);
    assert.match(text, /The app's engine could not start/);
    assert.match(text, /WebAssembly did not load/);
    await page.unroute('**/engine_bg.wasm');
    await sampleStillLoads(page);
  });
});

test('a worker that stops mid-load (a trap): the page stays usable and offers the sample', async () => {
  await withBrowser({}, async ({ page, context }) => {
    // The data never finishes arriving, and the worker traps meanwhile.
    await context.route(`**/${FIXTURE}`, () => {});
    await page.route('**/engine_start.js', async (route) => {
      const response = await route.fetch();
      const body = `${await response.text()}
        setTimeout(() => { throw new WebAssembly.RuntimeError('unreachable executed'); }, 1500);`;
      // Not kept in the HTTP cache: the retry below gets the real script.
      const headers = { ...response.headers(), 'cache-control': 'no-store' };
      await route.fulfill({ response, body, headers });
    });
    await page.goto(`${server.url}/?data=${FIXTURE}`);
    const text = await loadError(page);
    assert.match(text, /Something went wrong inside the app and it stopped/);
    assert.match(text, /RuntimeError: unreachable executed/);
    assert.equal(await page.getAttribute('a:has-text("Load the bundled sample instead")', 'href'), '?data=sample');
    // The page itself did not stop: without a reload, trying again starts
    // a new worker and loads the file.
    await context.unroute(`**/${FIXTURE}`);
    await page.unroute('**/engine_start.js');
    await retryLoads(page);
  });
});

test('replies to an older or a newer request are dropped; another version\'s are refused by name', async () => {
  await withBrowser({}, async ({ page }) => {
    // Before the table arrives, the page is handed forged replies: a
    // failure numbered one before and one after the request in flight.
    // Only the real reply may count.
    await page.addInitScript(() => {
      const Real = window.Worker;
      window.__forged = [];
      window.Worker = class extends Real {
        set onmessage(handler) {
          super.onmessage = handler && ((event) => {
            const message = JSON.parse(event.data?.text ?? 'null');
            if (message?.body?.Loaded && window.__forged.length === 0) {
              for (const seq of [message.seq - 1, message.seq + 1]) {
                const text = JSON.stringify({ version: message.version, seq, body: { Failed: { message: `stale reply ${seq}` } } });
                window.__forged.push(seq);
                handler(new MessageEvent('message', { data: { text } }));
              }
            }
            handler(event);
          });
        }
        get onmessage() {
          return super.onmessage;
        }
      };
    });
    await page.goto(`${server.url}/?data=${FIXTURE}`);
    assert.equal(await waitForLoad(page), 'ready');
    assert.equal((await page.evaluate(() => window.__forged)).length, 2, 'the forged replies were sent');
    assert.equal(await page.getAttribute('[data-testid=total-count]', 'data-value'), '5000');
    assert.doesNotMatch(await page.textContent('body'), /stale reply/);
  });
  await withBrowser({}, async ({ page }) => {
    await page.addInitScript(() => {
      const Real = window.Worker;
      window.Worker = class extends Real {
        set onmessage(handler) {
          super.onmessage = handler && ((event) => {
            const message = JSON.parse(event.data.text);
            message.version += 1;
            handler(new MessageEvent('message', { data: { text: JSON.stringify(message) } }));
          });
        }
        get onmessage() {
          return super.onmessage;
        }
      };
    });
    await page.goto(`${server.url}/?data=${FIXTURE}`);
    const text = await loadError(page);
    assert.match(text, /the app was updated while this page was open/);
    assert.match(text, /reload the page/);
  });
});

test('a view answered after a newer one was asked is dropped, whatever it says', async () => {
  await withBrowser({}, async ({ page }) => {
    // Each answer to a view comes twice: first as a forged copy numbered
    // one before (an older request's) claiming 4,321 matches, then as
    // itself. Only the real one may count.
    await page.addInitScript(() => {
      const Real = window.Worker;
      window.__forgedViews = 0;
      window.Worker = class extends Real {
        set onmessage(handler) {
          super.onmessage = handler && ((event) => {
            const message = JSON.parse(event.data?.text ?? 'null');
            if (message?.body?.View) {
              const forged = structuredClone(message);
              forged.seq -= 1;
              forged.body.View.answer.matches = 4321;
              window.__forgedViews += 1;
              handler(new MessageEvent('message', { data: { text: JSON.stringify(forged) } }));
            }
            handler(event);
          });
        }
        get onmessage() {
          return super.onmessage;
        }
      };
    });
    await page.goto(`${server.url}/?data=${FIXTURE}&view=search&sdk=docker`);
    assert.equal(await waitForLoad(page), 'ready');
    await page.waitForSelector('[data-testid=result-row]');
    const docker = Number(await page.getAttribute('[data-testid=match-count]', 'data-value'));
    await page.fill('input[type=search]', 'a');
    await page.waitForFunction((before) => document.querySelector('[data-testid=match-count]').dataset.value !== String(before), docker);
    const narrowed = Number(await page.getAttribute('[data-testid=match-count]', 'data-value'));
    assert.ok(narrowed < docker && narrowed > 0, `${narrowed} of ${docker}`);
    assert.ok((await page.evaluate(() => window.__forgedViews)) >= 2, 'forged answers were sent');
    await page.waitForTimeout(300);
    assert.equal(Number(await page.getAttribute('[data-testid=match-count]', 'data-value')), narrowed);
    assert.doesNotMatch(await page.textContent('body'), /4,321/);
  });
});

test('a worker that stops after the load: the page says so and offers the sample', async () => {
  await withBrowser({}, async ({ page }) => {
    await page.route('**/engine_start.js', async (route) => {
      const response = await route.fetch();
      // Traps once the table is in and the page asks about it.
      const body = `${await response.text()}
        self.addEventListener('message', (event) => {
          if (String(event.data?.text).includes('"Csv"')) throw new WebAssembly.RuntimeError('unreachable executed');
        });`;
      const headers = { ...response.headers(), 'cache-control': 'no-store' };
      await route.fulfill({ response, body, headers });
    });
    await page.goto(`${server.url}/?data=${FIXTURE}`);
    assert.equal(await waitForLoad(page), 'ready');
    await page.click('[data-testid=export-csv]');
    const text = await loadError(page);
    assert.match(text, /Something went wrong inside the app and it stopped/);
    assert.equal(await page.getAttribute('a:has-text("Load the bundled sample instead")', 'href'), '?data=sample');
    await page.unroute('**/engine_start.js');
    await retryLoads(page);
  });
});

test('titles and descriptions are fetched by the engine when Search needs them; a failed fetch is said, and retried', async () => {
  // Its titles and descriptions sit in chunks of their own: left for Search.
  const APART = 'spaces-5k-hub-api-struct.parquet';
  await withBrowser({}, async ({ page, context }) => {
    const workers = [];
    page.on('worker', (w) => workers.push(new URL(w.url()).pathname));
    await page.goto(`${server.url}/?data=fixtures/${APART}`);
    assert.equal(await waitForLoad(page), 'ready');
    // The file's server fails from now on.
    await context.route(`**/${APART}`, (route) => route.fulfill({ status: 503, body: 'down', headers: { 'cache-control': 'no-store' } }));
    await page.click('[role=tab]:has-text("Search")');
    await page.waitForSelector('[data-testid=prose-status]');
    const status = await page.textContent('[data-testid=prose-status]');
    assert.match(status, /Titles and descriptions could not be loaded/);
    assert.match(status, /Select the search box to try again\./);
    // The table itself stays usable, and a retry (the search box taking
    // focus) loads the prose once the server is back.
    assert.ok(Number(await page.getAttribute('[data-testid=match-count]', 'data-value')) > 0);
    await context.unroute(`**/${APART}`);
    await page.focus('input[type=search]');
    await page.waitForSelector('[data-testid=prose-summary][data-state=ready]');
    await page.waitForSelector('[data-testid=result-row] .result-description');
    assert.deepEqual(workers, ['/engine_start.js'], 'one engine did it all');
  });
});

/** Loads `address` (after the page's origin) through `srv`, as a visitor
 * would, then reads `tables` of the Overview; with what the console said,
 * the memory panel, and how many engines' scripts were fetched. `inSearch`
 * reads the Search view first. */
async function readThrough(srv, address, tables, inSearch) {
  let read;
  await withBrowser({}, async ({ page, context }) => {
    const said = [];
    context.on('console', (m) => said.push(m.text()));
    const scripts = () => srv.log.filter((e) => e.path === '/engine_start.js').length;
    const before = scripts();
    await page.goto(`${srv.url}/${address}`);
    assert.equal(await waitForLoad(page), 'ready');
    const marks = await page.evaluate(() => performance.getEntriesByType('measure').map((m) => m.name));
    assert.ok(marks.includes('spaces:engine-apart'), marks.join());
    const shown = inSearch ? await inSearch(page) : {};
    // The Overview (of the Spaces the query matches, if any).
    await page.click('[role=tab]:has-text("Overview")');
    for (const id of tables) shown[id] = await readDataTable(page, id);
    const panel = await page.textContent('[data-testid=engine-memory]');
    read = { shown, said, panel, scripts: scripts() - before };
  });
  return read;
}

/** A server like the suite's, whose engine script refuses to run as a
 * second engine (a browser without nested workers, in effect). */
function serverWithoutSecondEngine(fixtures) {
  const engineScript = fs.readFileSync(path.join(DIST, 'engine_start.js'), 'utf8');
  return startServer({
    root: DIST,
    fixtures,
    routes: {
      '/engine_start.js': (req, res) => {
        res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
        res.end(`if (self.name === 'spaces-engine-apart') throw new Error('no second engine here');\n${engineScript}`);
      },
    },
  });
}

/** Writes `name` with `gen_spaces ROWS … SEED [FLAGS]` (`args` without the
 * file) in a folder of its own, serves that folder, and runs
 * `fn(server, dir, file)`; then stops the server and removes the folder. */
async function withGenerated(name, [rows, ...rest], fn) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spaces-generated-'));
  const file = path.join(dir, name);
  execFileSync('cargo', ['run', '--quiet', '--example', 'gen_spaces', '--', rows, file, ...rest], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const server = await startServer({ root: DIST, fixtures: dir });
  try {
    await fn(server, dir, file);
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What two engines read, checked, then what one reads alone: the same. */
async function sameWithoutSecondEngine(fixtures, address, tables, inSearch, beside) {
  // The page's engine, then the second one it started.
  assert.equal(beside.scripts, 2);
  assert.ok(!beside.said.some((s) => /second engine/i.test(s)), beside.said.join('\n'));
  assert.match(beside.panel, /read in two background workers, side by side, which used [\d.]+ MB together; the first holds it/);
  const refusing = await serverWithoutSecondEngine(fixtures);
  try {
    const alone = await readThrough(refusing, address, tables, inSearch);
    assert.ok(alone.said.some((s) => /second engine stopped.*decoded here/i.test(s)), alone.said.join('\n'));
    assert.deepEqual(alone.shown, beside.shown);
    assert.match(alone.panel, /read in a background worker, which used/);
  } finally {
    await refusing.close();
  }
}

test('a front matter of JSON text is decoded by a second engine beside the first; without one, by the first, alike', async () => {
  // `cardData` as JSON text, `runtime` as a struct: the Hub snapshot's shape.
  // A phrase only descriptions hold, and tables the front matter feeds.
  const address = `?data=fixtures/spaces-5k-hub-api.parquet&q=${encodeURIComponent('"docker demo"')}&view=search`;
  const TABLES = ['chart-emoji-data', 'table-most-duplicated-data', 'chart-sdk-data'];
  const inSearch = async (page) => {
    await page.waitForSelector('[data-testid=result-row] .result-description');
    return {
      matches: Number(await page.getAttribute('[data-testid=match-count]', 'data-value')),
      first: await page.textContent('[data-testid=result-row]'),
    };
  };
  const beside = await readThrough(server, address, TABLES, inSearch);
  assert.ok(beside.shown.matches > 100, `${beside.shown.matches} docker demos`);
  assert.equal(beside.shown['chart-emoji-data'].length, 10);
  const sdk = beside.shown['chart-sdk-data'];
  assert.deepEqual(sdk, [['docker', beside.shown.matches]]);
  // Without a second engine, the first decodes the front matter itself.
  await sameWithoutSecondEngine(FIXTURES, address, TABLES, inSearch, beside);
});

test('titles and descriptions a second engine hands on in several parts read as the first engine alone reads them', async () => {
  // 200,000 Spaces with a JSON-text front matter: about 7 MB of titles and
  // descriptions, handed from the second engine in parts of about 4 MB
  // (`data::PROSE_PART_BYTES`) and joined by the first.
  await withGenerated('hub-200k.parquet', ['200000', '5', '--hub'], async (hub, dir) => {
    // Descriptions read "A docker demo": every docker Space, whichever part
    // its description came in.
    const address = `?data=fixtures/hub-200k.parquet&q=${encodeURIComponent('"docker demo"')}&view=search`;
    const TABLES = ['chart-sdk-data', 'chart-emoji-data'];
    const inSearch = async (page) => {
      await page.waitForSelector('[data-testid=result-row] .result-description');
      return {
        matches: Number(await page.getAttribute('[data-testid=match-count]', 'data-value')),
        rows: await page.$$eval('[data-testid=result-row]', (rows) => rows.slice(0, 20).map((r) => r.textContent)),
      };
    };
    const beside = await readThrough(hub, address, TABLES, inSearch);
    assert.ok(beside.shown.matches > 10_000, `${beside.shown.matches} docker demos`);
    assert.deepEqual(beside.shown['chart-sdk-data'], [['docker', beside.shown.matches]]);
    assert.ok(beside.shown.rows.every((row) => /A docker demo/.test(row)), beside.shown.rows.join('\n'));
    await sameWithoutSecondEngine(dir, address, TABLES, inSearch, beside);
  });
});

test('a large file of plain columns is decoded in two halves, its authors and card columns by a second engine; without one, by the first, alike', async () => {
  // Generated here: 500,000 rows (where the split starts), with answers
  // counted naively from the same rows.
  await withGenerated('spaces-500k.parquet', ['500000', '3', '--answers'], async (plain, dir, file) => {
    const expected = JSON.parse(fs.readFileSync(`${file}.expected.json`, 'utf8'));
    const address = '?data=fixtures/spaces-500k.parquet';
    const TABLES = ['table-authors-by-spaces-data', 'chart-emoji-data', 'table-most-duplicated-data'];
    const beside = await readThrough(plain, address, TABLES);
    const wanted = {
      'table-authors-by-spaces-data': expected.authors_by_spaces,
      'chart-emoji-data': expected.emoji,
      'table-most-duplicated-data': expected.most_duplicated,
    };
    for (const id of TABLES) {
      const shown = beside.shown[id];
      assert.ok(shown.length >= 5, `${id}: ${shown.length} rows`);
      assertRanked(assert, shown, wanted[id].slice(0, shown.length), id);
    }
    await sameWithoutSecondEngine(dir, address, TABLES, undefined, beside);
  });
});
