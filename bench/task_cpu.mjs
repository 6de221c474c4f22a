// How much of each long main-thread task of a first visit is the page's
// own work: a trace of the load (Chromium's `toplevel` category only, the
// lightest) gives each task's wall time and the main thread's CPU time in
// it. A task far longer than its CPU time waited for a core: on a machine
// whose cores the download, the server and the engine's workers share,
// that wait, not the page's code, makes a task long. It also gives the CPU
// of the mount's task and of the table's arrival (the tasks that make the
// `spaces:mount` and `spaces:first-render` start marks; NaN in a build
// without the mount's mark).
//   node bench/task_cpu.mjs bench/out/spaces-1000000.parquet [RUNS] [MIN_MS] [DIST...]
// Several builds load in turn, RUNS rounds, so that a noisy machine slows
// them alike; with none named, SPACES_DIST or dist.
import path from 'node:path';
import { startServer } from '../tests/e2e/server.mjs';
import { launchBare, settle } from './bare.mjs';
import { median } from './stats.mjs';

const file = path.resolve(process.argv[2] || 'bench/out/spaces-1000000.parquet');
const runs = Number(process.argv[3] || 3);
const minMs = Number(process.argv[4] || 35);
const named = process.argv.slice(5);
const roots = (named.length ? named : [process.env.SPACES_DIST || 'dist']).map((d) => path.resolve(d));
const servers = await Promise.all(roots.map((root) => startServer({ root, fixtures: path.dirname(file) })));

/** The trace events of one first visit, up to its first render. */
async function traceOneLoad(server) {
  const browser = await launchBare();
  try {
    await settle();
    const events = [];
    browser.on('Tracing.dataCollected', ({ value }) => events.push(...value));
    const complete = new Promise((resolve) => browser.on('Tracing.tracingComplete', resolve));
    await browser.send('Tracing.start', { categories: 'toplevel,blink.user_timing', transferMode: 'ReportEvents' });
    await browser.goto(`${server.url}/?data=fixtures/${path.basename(file)}`);
    await browser.waitFor(() => performance.getEntriesByName('spaces:first-render').length > 0);
    await browser.send('Tracing.end');
    await complete;
    return events;
  } finally {
    await browser.close();
  }
}

/** The page's main-thread tasks, from navigation. */
function mainTasks(events) {
  const mainThreads = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const start = Math.min(...events.filter((e) => e.name === 'navigationStart').map((e) => e.ts));
  return events
    .filter((e) => e.ph === 'X' && mainThreads.has(`${e.pid}:${e.tid}`))
    .filter((e) => e.name === 'ThreadControllerImpl::RunTask')
    .map((e) => ({ at: (e.ts - start) / 1000, wall: e.dur / 1000, cpu: (e.tdur ?? 0) / 1000, ts: e.ts, dur: e.dur }))
    .sort((a, b) => a.at - b.at);
}

/** The main-thread CPU of the task in which the page made the mark `name`. */
function cpuOfTaskMarking(events, tasks, name) {
  const mark = events.find((e) => e.name === name && e.cat?.includes('blink.user_timing'));
  const task = mark && tasks.find((t) => t.ts <= mark.ts && mark.ts <= t.ts + t.dur);
  return task ? task.cpu : NaN;
}

/** What one build's loads gave. */
const newSamples = () => ({
  all: [],
  mostPerLoad: { wall: [], cpu: [] },
  // The two renders that run most of the page's WebAssembly for the first
  // time: the mount, and the table's arrival (its first render starts there).
  ownTasks: { mount: [], arrival: [] },
});
const samples = roots.map(newSamples);

try {
  for (let run = 0; run < runs; run++) {
    for (const [build, server] of servers.entries()) {
      const { all, mostPerLoad, ownTasks } = samples[build];
      const events = await traceOneLoad(server);
      const everyTask = mainTasks(events);
      ownTasks.mount.push(cpuOfTaskMarking(events, everyTask, 'spaces:mount:start'));
      ownTasks.arrival.push(cpuOfTaskMarking(events, everyTask, 'spaces:first-render:start'));
      const tasks = everyTask.filter((t) => t.wall >= minMs);
      all.push(...tasks);
      mostPerLoad.wall.push(Math.max(0, ...tasks.map((t) => t.wall)));
      mostPerLoad.cpu.push(Math.max(0, ...tasks.map((t) => t.cpu)));
      const shown = tasks.map((t) => `at ${t.at.toFixed(0)} ms: ${t.wall.toFixed(0)} ms, CPU ${t.cpu.toFixed(0)} ms`);
      console.log(`run ${run + 1}, ${roots[build]}: ${shown.join('; ') || `no task of ${minMs} ms or more`}`);
    }
  }
} finally {
  await Promise.all(servers.map((server) => server.close()));
}

const line = (values) => `median ${median(values).toFixed(0)} ms (runs: ${values.map((v) => v.toFixed(0)).join(', ')})`;
for (const [build, { all, mostPerLoad, ownTasks }] of samples.entries()) {
  console.log(`== ${roots[build]}`);
  if (all.length) {
    const most = (key) => Math.max(...all.map((t) => t[key])).toFixed(0);
    console.log(
      `${path.basename(file)}: ${all.length} tasks of ${minMs} ms or more in ${runs} loads; ` +
        `wall median ${median(all.map((t) => t.wall)).toFixed(0)} ms (at most ${most('wall')}), ` +
        `main-thread CPU median ${median(all.map((t) => t.cpu)).toFixed(0)} ms (at most ${most('cpu')})`,
    );
  }
  // Per load, the longest task and the most main-thread CPU any one task
  // took (0 when no task reached MIN_MS): the page's own share is the CPU.
  console.log(`longest task per load: ${line(mostPerLoad.wall)}`);
  console.log(`most main-thread CPU in one task per load: ${line(mostPerLoad.cpu)}`);
  console.log(`CPU of the mount's task: ${line(ownTasks.mount)}`);
  console.log(`CPU of the table's arrival task: ${line(ownTasks.arrival)}`);
}
