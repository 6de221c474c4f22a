// Accessibility checkers for the end-to-end tests and scripts/a11y.mjs:
// axe-core run inside a Playwright page, and Lighthouse's accessibility
// category run against the machine's Chromium. Both pinned in tools/.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const TOOLS = new URL('../../tools/node_modules/', import.meta.url);
const require = createRequire(new URL('../../tools/package.json', import.meta.url));

/** axe-core's browser bundle, as text. */
export const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core (its default rules: WCAG 2.0/2.1 A and AA and best
 * practices) on `page`. The source is evaluated through the DevTools
 * protocol, which the page's Content-Security-Policy does not govern (a
 * `<script>` tag would be blocked by its script-src). Returns violations
 * and the checks axe could not decide, each with up to five nodes.
 */
export async function runAxe(page, options = {}) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (options) => {
    const result = await window.axe.run(document, options);
    const brief = (list) =>
      list.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.length,
        examples: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`.trim()),
      }));
    return { violations: brief(result.violations), incomplete: brief(result.incomplete), passes: result.passes.length };
  }, options);
}

/** A readable list of axe findings, for an assertion message. */
export function describeAxe(list) {
  return list.map((v) => `${v.id} (${v.impact}, ${v.nodes} nodes): ${v.help}\n    ${v.examples.join('\n    ')}`).join('\n');
}

/** Chromium for Lighthouse: headless, no network but 127.0.0.1, a DevTools port. */
export async function launchChromeForLighthouse() {
  const chromeLauncher = await import(new URL('chrome-launcher/dist/index.js', TOOLS).href);
  return chromeLauncher.launch({
    chromePath: process.env.CHROMIUM || '/usr/bin/chromium',
    chromeFlags: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      // Only the test server: every other name fails to resolve.
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
    ],
  });
}

/**
 * Lighthouse's accessibility category for `url` (desktop preset), through
 * the DevTools `port` of a running Chromium. Returns the score (0 to 1),
 * the audits that failed with their nodes, and which ones applied.
 */
export async function runLighthouse(url, port) {
  const { default: lighthouse } = await import(new URL('lighthouse/core/index.js', TOOLS).href);
  const { default: desktopConfig } = await import(new URL('lighthouse/core/config/desktop-config.js', TOOLS).href);
  const result = await lighthouse(
    url,
    { port, output: 'json', logLevel: 'error', onlyCategories: ['accessibility'] },
    desktopConfig,
  );
  const lhr = result.lhr;
  const refs = lhr.categories.accessibility.auditRefs.map((r) => lhr.audits[r.id]);
  return {
    score: lhr.categories.accessibility.score,
    runtimeError: lhr.runtimeError?.message,
    finalUrl: lhr.finalDisplayedUrl,
    formFactor: lhr.configSettings.formFactor,
    failed: refs
      .filter((a) => a.scoreDisplayMode === 'binary' && a.score !== 1)
      .map((a) => ({
        id: a.id,
        title: a.title,
        nodes: (a.details?.items ?? []).slice(0, 5).map((i) => `${i.node?.selector}: ${i.node?.explanation ?? ''}`.trim()),
      })),
    applicable: refs.filter((a) => a.scoreDisplayMode === 'binary').map((a) => a.id),
  };
}

/** A readable list of failed Lighthouse audits, for an assertion message. */
export function describeLighthouse(failed) {
  return failed.map((a) => `${a.id}: ${a.title}\n    ${a.nodes.join('\n    ').replace(/\n(?! {4})/g, ' ')}`).join('\n');
}
