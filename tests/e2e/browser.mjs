// Launches the machine's Chromium (Debian package) through playwright-core.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../tools/package.json', import.meta.url));
const { chromium } = require('playwright-core');

export const ROOT = path.resolve(new URL('../..', import.meta.url).pathname);
export const DIST = process.env.SPACES_DIST || path.join(ROOT, 'dist');
export const FIXTURES = path.join(ROOT, 'tests', 'fixtures');

/** Whether `hostname` is one of `patterns` (`*.example` matches subdomains). */
function hostAllowed(hostname, patterns) {
  return patterns.some((p) => (p.startsWith('*.') ? hostname.endsWith(p.slice(1)) : hostname === p));
}

/**
 * A fresh persistent context, closed (and its profile removed) by `close()`.
 * `args` adds Chromium switches (say `--host-resolver-rules` mapping names
 * to a local server); `allowHosts` lets those names through the offsite
 * guard (`*.example` for subdomains); `ignoreHTTPSErrors` accepts a test's
 * self-signed certificate.
 */
export async function launch({
  width = 1280,
  height = 900,
  colorScheme = 'light',
  args = [],
  allowHosts = [],
  ignoreHTTPSErrors = false,
} = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'spaces-ship-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width, height },
    colorScheme,
    ignoreHTTPSErrors,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      ...args,
    ],
  });
  // Tests never reach other hosts: anything not on 127.0.0.1 (or a name
  // the test mapped there) is refused and recorded, so a test can also
  // assert that nothing was attempted.
  const offsite = [];
  await context.route(
    (url) =>
      !['127.0.0.1', 'localhost'].includes(url.hostname) &&
      !hostAllowed(url.hostname, allowHosts) &&
      url.protocol.startsWith('http'),
    (route) => {
      offsite.push(route.request().url());
      return route.abort('blockedbyclient');
    },
  );
  // Content-Security-Policy violations, and whether injected markup ran.
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__cspViolations.push(`${e.effectiveDirective} ${e.blockedURI}`),
    );
  });
  const page = context.pages()[0] || (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  return {
    context,
    page,
    errors,
    offsite,
    dialogs,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `body` with a fresh browser (`launch(options)`), checks that the
 * page threw nothing, and closes the browser whatever happened.
 */
export async function withBrowser(options, body) {
  const browser = await launch(options);
  try {
    await body(browser);
    assert.deepEqual(browser.errors, [], 'nothing thrown on the page');
  } finally {
    await browser.close();
  }
}

/** Waits until load-status leaves `loading`, and returns its state. */
export async function waitForLoad(page, timeout = 60_000) {
  await page.waitForSelector('[data-testid=load-status]:not([data-state=loading])', { timeout, state: 'attached' });
  return page.getAttribute('[data-testid=load-status]', 'data-state');
}

/**
 * Records, on every page `page` opens from now on, each change of what the
 * hooks say (`load-status`'s state, `match-count`'s value, whether the
 * "No Spaces match" card or an empty chart shows); `readHooks` returns them
 * in order, for the page's current load.
 */
export async function recordHooks(page) {
  await page.addInitScript(() => {
    window.__hooks = [];
    const record = () => {
      const now = {
        state: document.querySelector('[data-testid=load-status]')?.dataset.state,
        count: document.querySelector('[data-testid=match-count]')?.dataset.value,
        empty: !!document.querySelector('[data-testid=empty-state]'),
        chartEmpty: !!document.querySelector('[data-testid=chart-empty]'),
      };
      const last = window.__hooks.at(-1);
      if (!last || Object.keys(now).some((key) => last[key] !== now[key])) window.__hooks.push(now);
    };
    new MutationObserver(record).observe(document, { subtree: true, childList: true, attributes: true });
  });
}

export const readHooks = (page) => page.evaluate(() => window.__hooks);

/**
 * Scrolls the Overview card `id` into view and waits for its aggregates:
 * the Overview computes a card only when it comes near the screen.
 */
export async function revealCard(page, id) {
  const card = page.locator(`[data-testid="${id}"]`);
  if ((await card.count()) === 0) return;
  await card.scrollIntoViewIfNeeded();
  await page.waitForSelector(`[data-testid="${id}"][data-ready=true]`);
}

/** Reads a `<table data-testid=...>` as [label, number] pairs (revealing its card first). */
export async function readDataTable(page, testId) {
  await revealCard(page, testId.replace(/-data$/, ''));
  return page.$$eval(`[data-testid="${testId}"] tbody tr`, (rows) =>
    rows.map((row) => {
      const cells = row.querySelectorAll('td');
      const last = cells[cells.length - 1];
      return [cells[0].textContent, Number(last.dataset.value ?? last.textContent.replace(/,/g, ''))];
    }),
  );
}

/** Counts in order; names only where a count is unique (pandas orders ties arbitrarily). */
export function assertRanked(assert, actual, wanted, what) {
  assert.deepEqual(actual.map((p) => p[1]), wanted.map((p) => p[1]), `${what}: counts`);
  wanted.forEach(([name, count], i) => {
    if (wanted.filter((p) => p[1] === count).length === 1) assert.equal(actual[i][0], name, `${what}: entry ${i}`);
  });
}

/** The pandas answers for the 5,000-row fixtures. */
export const EXPECTED = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'spaces-5k.expected.json'), 'utf8'));
