// A headless Chromium driven over its DevTools pipe with only what a
// benchmark needs (navigate, reload, evaluate), so the timings are the
// page's own. Playwright, which the tests use, intercepts every request
// (the offsite guard) and listens to every network event, page and worker
// alike, and on two cores that work competes with the download.
// Here other hosts are refused by the resolver instead.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../tests/e2e/server.mjs';
import { DIST } from '../tests/e2e/browser.mjs';

/**
 * Waits until a browser just launched has finished starting. For about
 * two seconds after launch Chromium builds its own interface (the toolbar
 * and omnibox pages, in a renderer of their own), which on two cores took
 * half a core from a load measured at once. A visitor opens a link in a
 * browser already running. `SETTLE_MS` overrides the wait (3 s).
 */
export const settle = () => new Promise((resolve) => setTimeout(resolve, Number(process.env.SETTLE_MS ?? 3000)));

/**
 * A benchmark's command line, `FILE [COUNT] [--flag] [--name=value]`, and
 * a test server of the build `--dist=` names (else SPACES_DIST, else dist)
 * with FILE's folder as its fixtures.
 */
export async function benchSetup(defaultFile) {
  const args = process.argv.slice(2);
  const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const positional = args.filter((a) => !a.startsWith('--'));
  const file = path.resolve(positional[0] || defaultFile);
  const server = await startServer({ root: path.resolve(option('dist') ?? DIST), fixtures: path.dirname(file) });
  return { args, option, positional, file, server };
}

/** A fresh Chromium with one page; `close()` removes its profile. */
export async function launchBare({ width = 1280, height = 900 } = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'spaces-ship-bare-'));
  const child = spawn(
    process.env.CHROMIUM || '/usr/bin/chromium',
    [
      // The browser as the tests' launcher configures it (playwright-core's
      // switches that change what a page costs), without its instrumentation.
      '--headless',
      '--remote-debugging-pipe',
      `--user-data-dir=${profile}`,
      `--window-size=${width},${height}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-field-trial-config',
      '--disable-background-networking',
      '--disable-background-timer-throttling',
      '--disable-backgrounding-occluded-windows',
      '--disable-renderer-backgrounding',
      '--disable-back-forward-cache',
      '--disable-breakpad',
      '--disable-extensions',
      '--disable-component-extensions-with-background-pages',
      '--disable-component-update',
      '--disable-default-apps',
      '--disable-sync',
      '--disable-dev-shm-usage',
      '--disable-features=PaintHolding,MediaRouter,OptimizationHints,LensOverlay',
      '--hide-scrollbars',
      '--mute-audio',
      '--force-color-profile=srgb',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
  );
  const [toBrowser, fromBrowser] = [child.stdio[3], child.stdio[4]];
  const waiting = new Map();
  const listeners = new Map();
  let nextId = 1;
  let pending = '';
  fromBrowser.on('data', (chunk) => {
    pending += chunk.toString('utf8');
    let end;
    while ((end = pending.indexOf('\0')) >= 0) {
      const message = JSON.parse(pending.slice(0, end));
      pending = pending.slice(end + 1);
      if (!message.id) listeners.get(message.method)?.(message.params);
      const waiter = message.id && waiting.get(message.id);
      if (!waiter) continue;
      waiting.delete(message.id);
      if (message.error) waiter.reject(new Error(`${waiter.method}: ${message.error.message}`));
      else waiter.resolve(message.result);
    }
  });
  const send = (method, params = {}, sessionId) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject, method });
      toBrowser.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    });

  const { targetInfos } = await send('Target.getTargets');
  const { targetId } = targetInfos.find((t) => t.type === 'page');
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  const inPage = (method, params) => send(method, params, sessionId);
  // Scripts added for new documents run only with the Page domain on.
  await inPage('Page.enable');
  // The viewport the tests' launcher sets (the window's is smaller).
  await inPage('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });

  return {
    /** Sends a DevTools command to the browser (`Tracing.start`, say). */
    send,
    /** Sends a DevTools command to the page (`Profiler.start`, say). */
    sendToPage: inPage,
    /** Calls `handler(params)` on each DevTools event named `method`. */
    on: (method, handler) => listeners.set(method, handler),
    /** The events of a Chromium trace of `categories` while `during()` runs. */
    trace: async (categories, during) => {
      const events = [];
      listeners.set('Tracing.dataCollected', ({ value }) => events.push(...value));
      const complete = new Promise((resolve) => listeners.set('Tracing.tracingComplete', resolve));
      await send('Tracing.start', { categories, transferMode: 'ReportEvents' });
      await during();
      await send('Tracing.end');
      await complete;
      return events;
    },
    /** Runs `source` before any of the page's own scripts, on every load. */
    addInitScript: (fn) => inPage('Page.addScriptToEvaluateOnNewDocument', { source: `(${fn})()` }),
    goto: (url) => inPage('Page.navigate', { url }),
    reload: () => inPage('Page.reload', {}),
    /** The value of `fn()` in the page (awaited, returned by value). */
    evaluate: async (fn) => {
      const { result, exceptionDetails } = await inPage('Runtime.evaluate', {
        expression: `(${fn})()`,
        awaitPromise: true,
        returnByValue: true,
      });
      if (exceptionDetails) throw new Error(exceptionDetails.exception?.description || exceptionDetails.text);
      return result.value;
    },
    /** Polls `fn()` every 50 ms until it is truthy. */
    waitFor: async (fn, timeout = 300_000) => {
      const until = Date.now() + timeout;
      for (;;) {
        const value = await inPage('Runtime.evaluate', { expression: `(${fn})()`, returnByValue: true }).then(
          (r) => r.result.value,
          () => undefined, // between documents while a reload commits
        );
        if (value) return value;
        if (Date.now() > until) throw new Error(`timed out waiting for ${fn}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: async () => {
      await send('Browser.close').catch(() => {});
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve()));
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
