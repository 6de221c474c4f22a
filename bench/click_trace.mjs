// Where a facet click's time goes on the page's thread, from a Chromium
// trace of N clicks at the SDK facet's "docker" (on, off, on, ...):
//   node bench/click_trace.mjs bench/out/spaces-1000000.parquet [CLICKS] [--dist=DIST]
// For each click: the event to the next animation frame (as
// bench/search.mjs times it), the click's own frame callbacks, the page's
// handling of the engine's answer (the `HandlePostMessage` task: reading
// it and updating the elements), and the lifecycle (style, layout, paint)
// of the frame that then draws it. Medians and p95 over the clicks.
import path from 'node:path';
import { benchSetup, launchBare, settle } from './bare.mjs';

const { positional, file, server } = await benchSetup('bench/out/spaces-1000000.parquet');
const clicks = Number(positional[1] || 40);
const browser = await launchBare();

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return `median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms (n=${s.length})`;
};

try {
  await settle();
  await browser.goto(`${server.url}/?data=fixtures/${path.basename(file)}&view=search`);
  await browser.waitFor(() => document.querySelector('[data-testid=facet-sdk] [data-value]'));
  // The page's idle work after the load (indexes, the saved copy) ends.
  await new Promise((resolve) => setTimeout(resolve, 4000));
  await browser.evaluate(`() => { window.__clicks = ${clicks}; }`);
  const events = await browser.trace('devtools.timeline,disabled-by-default-devtools.timeline,blink', () =>
    browser.evaluate(async () => {
      const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
      for (let i = 0; i < window.__clicks; i++) {
        console.timeStamp('click');
        document.querySelector('[data-testid=facet-sdk] [data-value="docker"]').click();
        await frame();
        console.timeStamp('frame');
        for (let k = 0; k < 3; k++) await frame();
      }
    }),
  );

  const names = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
  const main = events
    .filter((e) => names.get(`${e.pid}:${e.tid}`) === 'CrRendererMain')
    .sort((a, b) => a.ts - b.ts);
  const stamps = main.filter((e) => e.name === 'TimeStamp');
  const nextFrame = [];
  const ownFrame = [];
  const answer = [];
  const answerFrame = [];
  for (let i = 0; i + 1 < stamps.length; i++) {
    if (stamps[i].args.data.message !== 'click') continue;
    const [clicked, framed] = [stamps[i].ts, stamps[i + 1].ts];
    const nextClick = stamps[i + 2]?.ts ?? Infinity;
    nextFrame.push((framed - clicked) / 1000);
    const own = main.find((e) => e.name === 'FireAnimationFrame' && e.ts < clicked && e.ts + e.dur > clicked);
    if (own) ownFrame.push(own.dur / 1000);
    // The answer's message (others, such as memory reports, are short).
    const reply = main.find((e) => e.name === 'HandlePostMessage' && e.ts > clicked && e.ts < nextClick && e.dur > 2000);
    if (!reply) continue;
    answer.push(reply.dur / 1000);
    const drawn = main.find((e) => e.name === 'WebFrameWidgetImpl::UpdateLifecycle' && e.ts > reply.ts);
    if (drawn) answerFrame.push(drawn.dur / 1000);
  }
  console.log(`file ${path.basename(file)}, ${clicks} clicks`);
  console.log(`event -> next frame:          ${stats(nextFrame)}`);
  console.log(`the click's frame callbacks:  ${stats(ownFrame)}`);
  console.log(`the answer, handled:          ${stats(answer)}`);
  console.log(`the answer's frame lifecycle: ${stats(answerFrame)}`);
} finally {
  await browser.close();
  await server.close();
}
