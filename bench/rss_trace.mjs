// The resident memory of Chromium's renderer processes through a first
// visit, sampled from /proc (Linux), beside the load's marks: shows whether
// a stopped worker's memory is given back (a second engine is stopped when
// `spaces:engine-apart` ends). The app's own figure counts on that
// (`protocol::SecondEngineMemory`).
//   node bench/rss_trace.mjs bench/out/hub-1000000.parquet [--dist=DIST] [--every=MS]
import fs from 'node:fs';
import path from 'node:path';
import { benchSetup, launchBare, settle } from './bare.mjs';

const { option, file, server } = await benchSetup('bench/out/hub-1000000.parquet');
const every = Number(option('every') ?? 20);
const browser = await launchBare();
await settle();

/** Resident MB of every renderer process (workers are threads in them). */
function rendererMb() {
  let kb = 0;
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.includes('--type=renderer')) continue;
      const rss = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      kb += rss ? Number(rss[1]) : 0;
    } catch {
      // The process ended while being read.
    }
  }
  return kb / 1024;
}

const samples = [];
const timer = setInterval(() => samples.push([Date.now(), rendererMb()]), every);
await browser.goto(`${server.url}/?data=fixtures/${path.basename(file)}`);
await browser.waitFor(() => performance.getEntriesByName('spaces:first-chart').length > 0);
await new Promise((resolve) => setTimeout(resolve, 1500));
clearInterval(timer);
const { origin, marks } = await browser.evaluate(() => ({
  origin: performance.timeOrigin,
  marks: performance
    .getEntriesByType('measure')
    .filter((m) => m.name.startsWith('spaces:'))
    .map((m) => [m.name, m.startTime, m.startTime + m.duration]),
}));
for (const [name, start, end] of marks) console.log(`mark ${name}: ${start.toFixed(0)}-${end.toFixed(0)} ms`);
const apart = marks.find(([name]) => name === 'spaces:engine-apart');
let shown = -Infinity;
for (const [at, mb] of samples) {
  const t = at - origin;
  // Every 100 ms, and every sample near the second engine's stop.
  const near = apart && Math.abs(t - apart[2]) < 150;
  if (t - shown < 100 && !near) continue;
  shown = t;
  console.log(`${t.toFixed(0).padStart(6)} ms  ${mb.toFixed(1).padStart(7)} MB${near ? '  *' : ''}`);
}
if (apart) {
  const before = Math.max(...samples.filter(([at]) => at - origin <= apart[2]).map(([, mb]) => mb));
  const after = samples.filter(([at]) => at - origin > apart[2] && at - origin < apart[2] + 300).map(([, mb]) => mb);
  console.log(`second engine stopped at ${apart[2].toFixed(0)} ms: renderers ${before.toFixed(1)} MB at most before, ${Math.min(...after).toFixed(1)} MB at least in the 300 ms after`);
}
await browser.close();
await server.close();
