// Two or more builds loaded in turn, so that a noisy machine slows them
// alike: RUNS rounds, each a fresh headless Chromium per build that loads
// `?data=<file>`, then reloads it (the revisit, once the table is saved).
// Prints per build the medians (and every run) of when the request for
// the data reached the engine (`spaces:fetch` starts), the download (its
// span), the decode (`spaces:decode`), the first chart from navigation
// and from the table's arrival (`spaces:first-chart`), when ECharts first
// painted a card's chart (its `rendered` event), and the longest
// main-thread task until the charts near the screen are drawn (and when
// each task over 50 ms began, against when the table came in), on the
// visit and the revisit.
//   node bench/alternate.mjs FILE RUNS DIST [DIST...] [--harness=bare,playwright] [--pace=BYTES_PER_S] [--revisit-after=MS]
// e.g. node bench/alternate.mjs bench/out/spaces-1000000.parquet 7 dist /tmp/dist-base
// The harness is `bare` (bench/bare.mjs: Chromium over its DevTools pipe,
// nothing intercepted) unless named; `playwright` loads through the
// tests' launcher, whose request interception and network events cost
// the download about 100 ms on two cores. Naming both loads every build
// under each. Either way a browser navigates only once it has finished
// starting (`settle` in bench/bare.mjs).
import path from 'node:path';
import { startServer } from '../tests/e2e/server.mjs';
import { median } from './stats.mjs';
import { launch } from '../tests/e2e/browser.mjs';
import { launchBare, settle } from './bare.mjs';

const args = process.argv.slice(2);
const harnessArg = args.find((a) => a.startsWith('--harness='));
// --pace=BYTES_PER_S paces each response of the data file, as a network
// would (the tests' server: 16 kB chunks, per connection).
const paceArg = args.find((a) => a.startsWith('--pace='));
const pace = paceArg ? Number(paceArg.slice('--pace='.length)) : 0;
const harnesses = harnessArg ? harnessArg.slice('--harness='.length).split(',') : ['bare'];
// --revisit-after=MS: how long after the visit's marks the page reloads
// (3.5 s by default: the table is saved by then).
const revisitArg = args.find((a) => a.startsWith('--revisit-after='));
const revisitAfter = revisitArg ? Number(revisitArg.slice('--revisit-after='.length)) : 3500;
const [fileArg, runsArg, ...dists] = args.filter((a) => ![harnessArg, paceArg, revisitArg].includes(a));
if (!fileArg || !runsArg || dists.length === 0 || harnesses.some((h) => !['bare', 'playwright'].includes(h))) {
  console.error('usage: node bench/alternate.mjs FILE RUNS DIST [DIST...] [--harness=bare,playwright] [--pace=BYTES_PER_S]');
  process.exit(2);
}
const file = path.resolve(fileArg);
const runs = Number(runsArg);
const servers = await Promise.all(
  dists.map((dist) => startServer({ root: path.resolve(dist), fixtures: path.dirname(file), throttle: pace })),
);
const builds = dists.flatMap((dist, k) => harnesses.map((harness) => ({ dist, server: servers[k], harness })));
const samples = builds.map(() => ({}));

/** Once the load just started shows its first chart: the load's marks. */
function marksOf() {
  const entry = (name) => performance.getEntriesByName(name)[0];
  const status = document.querySelector('[data-testid=load-status]')?.dataset.state;
  if (status === 'error') return { failed: true };
  const [chart, render] = [entry('spaces:first-chart'), entry('spaces:first-render')];
  if (status !== 'ready' || !chart || !render || window.__firstPaint === undefined) return null;
  const loading = window.__longTasks.filter((t) => t.startTime < render.startTime + render.duration);
  return {
    'data asked (ms)': entry('spaces:fetch').startTime,
    'download (ms)': entry('spaces:fetch').duration,
    'decode (ms)': entry('spaces:decode').duration,
    'first chart (ms)': chart.startTime + chart.duration,
    'first chart painted (ms)': window.__firstPaint,
    'table to first chart (ms)': chart.duration,
    'longest task while loading (ms)': Math.max(0, ...loading.map((t) => t.duration)),
    // Where they fell: before the table came (its first chart's span
    // starts then) or among the charts drawn after.
    'table in (ms)': chart.startTime,
    'tasks over 50 ms (at:length)': loading
      .filter((t) => t.duration > 50)
      .map((t) => `${t.startTime.toFixed(0)}:${t.duration.toFixed(0)}`)
      .join(' '),
  };
}

/**
 * Before the page's scripts: records long tasks, and when ECharts first
 * paints a chart in a card (its first `rendered` event), whatever the
 * app's own marks say, so that builds measuring differently compare alike.
 */
function watchPage() {
  window.__longTasks = [];
  new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries())).observe({ type: 'longtask', buffered: true });
  document.addEventListener('DOMContentLoaded', () => {
    if (!window.echarts) return;
    // ECharts' exports are read-only getters: the page gets a copy.
    const { init } = echarts;
    window.echarts = { ...echarts };
    window.echarts.init = (element, ...rest) => {
      const chart = init(element, ...rest);
      if (element.closest('[data-testid]')) {
        chart.on('rendered', () => (window.__firstPaint ??= performance.now()));
      }
      return chart;
    };
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A browser under either harness, started and settled (`settle`). */
async function open(harness) {
  if (harness === 'bare') {
    const browser = await launchBare();
    await settle();
    await browser.addInitScript(watchPage);
    const marks = () => browser.waitFor(marksOf);
    return { goto: (url) => browser.goto(url), reload: () => browser.reload(), marks, close: browser.close };
  }
  const browser = await launch();
  await settle();
  await browser.context.addInitScript(watchPage);
  const marks = async () => (await browser.page.waitForFunction(marksOf, null, { timeout: 300_000 })).jsonValue();
  return { goto: (url) => browser.page.goto(url), reload: () => browser.page.reload(), marks, close: browser.close };
}

async function loaded(browser) {
  const marks = await browser.marks();
  if (marks.failed) throw new Error('load failed');
  return marks;
}

try {
  for (let run = 0; run < runs; run++) {
    for (const [k, { server, harness }] of builds.entries()) {
      const browser = await open(harness);
      try {
        await browser.goto(`${server.url}/?data=fixtures/${path.basename(file)}`);
        const visit = await loaded(browser);
        // Time for the engine to save the table for the revisit.
        await sleep(revisitAfter);
        await browser.reload();
        const revisit = await loaded(browser);
        for (const [name, ms] of Object.entries(visit)) (samples[k][name] ||= []).push(ms);
        for (const [name, ms] of Object.entries(revisit)) (samples[k][`revisit ${name}`] ||= []).push(ms);
      } finally {
        await browser.close();
      }
    }
  }
} finally {
  await Promise.all(servers.map((server) => server.close()));
}
console.log(`${path.basename(file)}, ${runs} rounds, builds loaded in turn${pace ? `, each response paced at ${pace} B/s` : ''}`);
for (const [k, { dist, harness }] of builds.entries()) {
  console.log(`== ${dist} (${harness})`);
  for (const [name, values] of Object.entries(samples[k])) {
    if (typeof values[0] === 'string') {
      console.log(`${name.padEnd(30)} (runs: ${values.map((v) => `[${v}]`).join(', ')})`);
      continue;
    }
    const shown = values.map((v) => v.toFixed(0)).join(', ');
    console.log(`${name.padEnd(30)} median ${median(values).toFixed(0).padStart(6)}   (runs: ${shown})`);
  }
}
