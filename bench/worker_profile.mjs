// A CPU profile of the engine's worker during a revisit (the saved
// table's restore): the functions that took the most self time.
//   node bench/worker_profile.mjs bench/out/hub-1000000.parquet [--dist=DIST] [--first]
// Release builds drop the WebAssembly's function names; for a build that
// keeps them, copy a dist and replace its engine with the one
// `wasm-bindgen --target no-modules --keep-debug --out-name engine
// --out-dir OUT target/wasm32-unknown-unknown/release/engine.wasm` writes.
import path from 'node:path';
import { benchSetup, launchBare, settle } from './bare.mjs';

const { args, file, server } = await benchSetup('bench/out/hub-1000000.parquet');
const browser = await launchBare();
const url = `${server.url}/?data=fixtures/${path.basename(file)}`;
const workers = [];
try {
  await settle();
  if (!args.includes('--first')) {
    await browser.goto(url);
    await browser.waitFor(() => performance.getEntriesByName('spaces:first-chart').length > 0);
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
  browser.on('Target.attachedToTarget', async ({ sessionId, targetInfo }) => {
    if (targetInfo.type !== 'worker') return;
    try {
      await browser.send('Profiler.enable', {}, sessionId);
      await browser.send('Profiler.setSamplingInterval', { interval: 100 }, sessionId);
      await browser.send('Profiler.start', {}, sessionId);
      await browser.send('Runtime.runIfWaitingForDebugger', {}, sessionId);
      workers.push(sessionId);
    } catch {
      // A worker of the page being left.
    }
  });
  await browser.sendToPage('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true });
  await (args.includes('--first') ? browser.goto(url) : browser.reload());
  await browser.waitFor(() => performance.getEntriesByName('spaces:first-chart').length > 0);
  for (const sessionId of workers) {
    const stopped = await browser.send('Profiler.stop', {}, sessionId).catch(() => null);
    if (!stopped) continue;
    const { profile } = stopped;
    const self = new Map();
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const deltas = profile.timeDeltas;
    profile.samples.forEach((id, i) => {
      const n = byId.get(id);
      const name = `${n.callFrame.functionName || '(anon)'} ${path.basename(n.callFrame.url || '')}`;
      self.set(name, (self.get(name) || 0) + (deltas[i + 1] ?? 0) / 1000);
    });
    const total = [...self.values()].reduce((a, b) => a + b, 0);
    console.log(`== worker ${sessionId.slice(0, 6)}: ${total.toFixed(0)} ms sampled`);
    for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
      console.log(`${ms.toFixed(1).padStart(8)} ms  ${name}`);
    }
  }
} finally {
  await browser.close();
  await server.close();
}
