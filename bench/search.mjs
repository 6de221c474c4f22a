// In-browser latency of Search updates on a large file: from the user's
// action to the next painted frame, through the real app.
//   node bench/search.mjs bench/out/spaces-1000000.parquet [ROUNDS] [--harness=bare,playwright] [--dist=DIST]
// The harness is `bare` (bench/bare.mjs: Chromium over its DevTools pipe)
// unless named. Under `playwright` (the tests' launcher) every history
// entry and every message to the engine's worker is reported to the
// driver as it happens: on two cores that added spikes of 4-7 ms to a
// click's own work (`history.pushState` alone: p95 5-7 ms there, 1 ms
// bare), which a visitor's browser does not have. Naming both runs each
// in turn.
import path from 'node:path';
import { startServer } from '../tests/e2e/server.mjs';
import { launch, DIST } from '../tests/e2e/browser.mjs';
import { launchBare, settle } from './bare.mjs';

const args = process.argv.slice(2);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const [fileArg, roundsArg] = args.filter((a) => !a.startsWith('--'));
const harnesses = (option('harness') ?? 'bare').split(',');
if (harnesses.some((h) => !['bare', 'playwright'].includes(h))) {
  console.error('usage: node bench/search.mjs FILE [ROUNDS] [--harness=bare,playwright] [--dist=DIST]');
  process.exit(2);
}
const file = path.resolve(fileArg || 'bench/out/spaces-1000000.parquet');
const rounds = Number(roundsArg || 15);
const server = await startServer({ root: path.resolve(option('dist') ?? DIST), fixtures: path.dirname(file) });
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return `median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms (n=${s.length})`;
};

/**
 * A browser under either harness, settled: `goto`, `evaluate(fn, arg)`
 * (awaited, by value) and `waitFor(fn)` (until truthy).
 */
async function open(harness) {
  if (harness === 'bare') {
    const browser = await launchBare();
    await settle();
    return {
      goto: (url) => browser.goto(url),
      // The bare driver evaluates `(fn)()`: the argument goes in as JSON.
      evaluate: (fn, arg) => browser.evaluate(`async () => (${fn})(${JSON.stringify(arg ?? null)})`),
      waitFor: (fn) => browser.waitFor(fn),
      close: browser.close,
    };
  }
  const browser = await launch();
  await settle();
  const { page } = browser;
  return {
    goto: (url) => page.goto(url),
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    waitFor: async (fn) => (await page.waitForFunction(fn, null, { timeout: 300_000 })).jsonValue(),
    close: browser.close,
  };
}

/** Opens `query` and waits for its load to end: throws unless it is ready. */
async function load(browser, query) {
  await browser.goto(`${server.url}/${query}`);
  const state = await browser.waitFor(() => {
    const s = document.querySelector('[data-testid=load-status]')?.dataset.state;
    return s && s !== 'loading' ? s : null;
  });
  if (state !== 'ready') throw new Error(`load ended in ${state}`);
}

async function measure(harness) {
  const browser = await open(harness);
  try {
    return await measureIn(browser);
  } finally {
    await browser.close();
  }
}

async function measureIn(browser) {
  const data = `?data=fixtures/${path.basename(file)}`;
  await load(browser, `${data}&view=search`);
  await browser.waitFor(() => document.querySelector('[data-testid=facet-sdk] [data-value]'));
  // Let the app finish what it builds in the background (the facet index
  // after load, the results sort once Search is open; the engine starts
  // them once the page has drawn its first view): the updates below are
  // timed on a settled page. Opening Search is timed separately at the end.
  await sleep(4000);
  // Five clocks per update: the filter pass itself (the app's
  // `spaces:filter` and `spaces:results` marks: matches, every facet's
  // counts, the matches in the list's order; in the engine's worker since
  // it holds the table); the page's own work for the event (its handlers
  // and what they woke), which the next frame waits for; the event to the
  // next animation frame (the input is answered: that work plus the wait
  // for the display's next frame, up to 16.7 ms); the event to two
  // frames later; and the event to the frame after the answer is shown
  // (the view updated: its `spaces:filter` mark is in, and a frame drawn).
  const timed = (action) =>
    browser.evaluate(async (action) => {
      const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
      performance.clearMeasures('spaces:filter');
      performance.clearMeasures('spaces:results');
      const t0 = performance.now();
      if (action.kind === 'facet') {
        document.querySelector(`[data-testid=facet-sdk] [data-value="${action.value}"]`).click();
      } else {
        const input = document.querySelector('.filter-bar input[type=search]');
        input.value = action.value;
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }
      // The app's own work for the event: its handlers, then the effects
      // and futures they woke (microtasks, run before this continuation).
      for (let i = 0; i < 4; i++) await Promise.resolve();
      const handled = performance.now() - t0;
      await frame();
      const firstFrame = performance.now() - t0;
      await frame();
      const painted = performance.now() - t0;
      while (performance.getEntriesByName('spaces:filter').length === 0 && performance.now() - t0 < 5000) {
        await frame();
      }
      await frame();
      const shown = performance.now() - t0;
      const pass = ['spaces:filter', 'spaces:results']
        .flatMap((name) => performance.getEntriesByName(name))
        .reduce((sum, m) => sum + m.duration, 0);
      return { pass, handled, firstFrame, painted, shown };
    }, action);
  const facet = [];
  const keys = [];
  for (let i = 0; i < rounds; i++) {
    facet.push(await timed({ kind: 'facet', value: 'docker' }));
    facet.push(await timed({ kind: 'facet', value: 'docker' }));
  }
  // The first query builds the search index (once per visit): timed apart.
  const firstQuery = await timed({ kind: 'key', value: 'x' });
  await timed({ kind: 'key', value: '' });
  const word = 'stable-diffusion';
  for (let i = 0; i < rounds; i++) {
    keys.push(await timed({ kind: 'key', value: word.slice(0, 1 + (i % word.length)) }));
  }
  await timed({ kind: 'key', value: '' });
  // A query unrelated to the one before (a paste, a fresh word) scans
  // every text again.
  const fresh = [];
  const words = ['gradio', 'stable', 'chat', 'llama', 'flux'];
  for (let i = 0; i < rounds; i++) {
    fresh.push(await timed({ kind: 'key', value: words[i % words.length] }));
  }
  await timed({ kind: 'key', value: '' });
  // Two- and three-word queries, typed a letter at a time: every word must
  // match, each word's rows are kept, so a keystroke re-searches one word.
  const multi = [];
  const phrases = ['stable diffusion', 'whisper gradio', 'llama chat demo'];
  for (let i = 0; multi.length < rounds * 2; i++) {
    const phrase = phrases[i % phrases.length];
    for (let n = 1; n <= phrase.length && multi.length < rounds * 2; n++) {
      multi.push(await timed({ kind: 'key', value: phrase.slice(0, n) }));
    }
    await timed({ kind: 'key', value: '' });
  }
  // Opening Search from the Overview tab, as a visitor does: the facet
  // index was built while the page sat idle.
  await load(browser, data);
  await sleep(3000);
  const openSearch = await browser.evaluate(async () => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    performance.clearMeasures('spaces:filter');
    const t0 = performance.now();
    [...document.querySelectorAll('[role=tab]')].find((t) => t.textContent.includes('Search')).click();
    await frame();
    const total = performance.now() - t0;
    const mark = (name) => performance.getEntriesByName(name).reduce((sum, m) => sum + m.duration, 0);
    return { total, filter: mark('spaces:filter'), results: mark('spaces:results') };
  });
  const rows = await browser.evaluate(() => document.querySelector('[data-testid=total-count]').dataset.value);
  return { rows, steps: { 'facet toggle': facet, keystroke: keys, 'fresh query': fresh, 'multi-word': multi }, firstQuery, openSearch };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

try {
  for (const harness of harnesses) {
    const { rows, steps, firstQuery, openSearch } = await measure(harness);
    console.log(`file ${path.basename(file)}: ${rows} rows, headless Chromium (${harness})`);
    for (const [name, xs] of Object.entries(steps)) {
      console.log(`${name.padEnd(12)} filter pass (spaces:filter): ${stats(xs.map((x) => x.pass))}`);
      console.log(`${name.padEnd(12)} event handled (page's work): ${stats(xs.map((x) => x.handled))}`);
      console.log(`${name.padEnd(12)} event -> next frame:         ${stats(xs.map((x) => x.firstFrame))}`);
      console.log(`${name.padEnd(12)} event -> painted (2 frames): ${stats(xs.map((x) => x.painted))}`);
      console.log(`${name.padEnd(12)} event -> answer shown:       ${stats(xs.map((x) => x.shown))}`);
    }
    console.log(`first query (builds the search index): ${firstQuery.firstFrame.toFixed(1)} ms to the next frame`);
    console.log(
      `opening Search from the Overview tab: ${openSearch.total.toFixed(1)} ms to the next frame ` +
        `(filter pass ${openSearch.filter.toFixed(1)} ms, results ${openSearch.results.toFixed(1)} ms)`,
    );
  }
} finally {
  await server.close();
}
