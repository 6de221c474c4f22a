// Where a load's time goes, thread by thread: a Chromium trace of a first
// visit and its revisit (the page's main thread and the engine's workers),
// listing each task over MIN_MS with what ran in it, from navigation.
//   node bench/load_trace.mjs bench/out/hub-1000000.parquet [MIN_MS] [--dist=DIST] [--revisit-only]
import path from 'node:path';
import { benchSetup, launchBare, settle } from './bare.mjs';

const { args, positional, file, server } = await benchSetup('bench/out/hub-1000000.parquet');
const minMs = Number(positional[1] || 5);
const browser = await launchBare();

/** The trace of a load `go()` starts, until its first chart and 300 ms more. */
const traced = (go) =>
  browser.trace(
    'devtools.timeline,disabled-by-default-devtools.timeline,blink.user_timing,v8.execute,toplevel',
    async () => {
      await go();
      await browser.waitFor(() => performance.getEntriesByName('spaces:first-chart').length > 0);
      await new Promise((resolve) => setTimeout(resolve, 300));
    },
  );

function report(what, events) {
  const names = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
  const navs = events.filter((e) => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL?.startsWith('http'));
  const nav = navs.sort((a, b) => a.ts - b.ts)[0]?.ts;
  const at = (ts) => ((ts - nav) / 1000).toFixed(0).padStart(6);
  console.log(`== ${what}`);
  const marks = events.filter((e) => e.cat?.includes('blink.user_timing') && e.name.startsWith('spaces:') && (e.ph === 'b' || e.ph === 'R' || e.ph === 'I'));
  for (const m of marks) console.log(`mark ${at(m.ts)} ${m.name}`);
  const threads = new Map();
  for (const e of events) {
    const name = names.get(`${e.pid}:${e.tid}`);
    if (!name || !(name === 'CrRendererMain' || name.startsWith('DedicatedWorker'))) continue;
    if (e.ph !== 'X' || e.ts < nav) continue;
    (threads.get(`${name} ${e.tid}`) || threads.set(`${name} ${e.tid}`, []).get(`${name} ${e.tid}`)).push(e);
  }
  for (const [thread, list] of threads) {
    list.sort((a, b) => a.ts - b.ts);
    console.log(`-- ${thread}`);
    // A task may be traced under two names, the scheduler's and the thread's.
    let end = -Infinity;
    const tasks = list
      .filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask')
      .filter((e) => e.ts >= end && (end = e.ts + e.dur));
    for (const t of tasks) {
      if (t.dur / 1000 < minMs) continue;
      const inside = list.filter((e) => e !== t && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && e.dur > 1000 && e.name !== 'RunTask' && e.name !== 'ThreadControllerImpl::RunTask');
      const what = inside.slice(0, 6).map((e) => `${e.name}${e.args?.data?.url ? `(${path.basename(e.args.data.url)})` : ''} ${(e.dur / 1000).toFixed(0)}`).join(', ');
      console.log(`${at(t.ts)} +${(t.dur / 1000).toFixed(0).padStart(4)} cpu ${((t.tdur ?? 0) / 1000).toFixed(0).padStart(4)}  ${what}`);
    }
  }
}

try {
  await settle();
  const url = `${server.url}/?data=fixtures/${path.basename(file)}`;
  const first = await traced(() => browser.goto(url));
  if (!args.includes('--revisit-only')) report('first visit', first);
  await new Promise((resolve) => setTimeout(resolve, 5000));
  report('revisit', await traced(() => browser.reload()));
} finally {
  await browser.close();
  await server.close();
}
