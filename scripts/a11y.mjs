#!/usr/bin/env node
// Accessibility report for the built app: axe-core (light and dark colour
// scheme) and Lighthouse's accessibility category (desktop) on the
// Overview and the Search view with the bundled sample. What
// tests/e2e/a11y.test.mjs asserts, printed in full for fixing.
//
//   node scripts/a11y.mjs                      # dist/ (or $SPACES_DIST)
//   node scripts/a11y.mjs --no-lighthouse      # axe only (a few seconds)
//   node scripts/a11y.mjs '?data=sample&view=search&sdk=gradio'   # other views
//
// Exits 1 when anything fails. Needs tools/ installed (scripts/setup.sh).
import { startServer } from '../tests/e2e/server.mjs';
import { launch, waitForLoad, DIST, FIXTURES } from '../tests/e2e/browser.mjs';
import { runAxe, describeAxe, launchChromeForLighthouse, runLighthouse, describeLighthouse } from '../tests/e2e/a11y.mjs';

const args = process.argv.slice(2);
const lighthouse = !args.includes('--no-lighthouse');
const queries = args.filter((a) => !a.startsWith('--'));
const views = queries.length ? queries : ['?data=sample', '?data=sample&view=search'];

const server = await startServer({ root: DIST, fixtures: FIXTURES });
let failed = false;
try {
  for (const scheme of ['light', 'dark']) {
    const browser = await launch({ colorScheme: scheme });
    try {
      for (const query of views) {
        await browser.page.goto(`${server.url}/${query}`);
        const state = await waitForLoad(browser.page);
        await browser.page.waitForTimeout(300);
        const result = await runAxe(browser.page);
        const label = `axe ${scheme} ${query} (${state})`;
        if (result.violations.length) {
          failed = true;
          console.log(`✗ ${label}: ${result.violations.length} violations\n  ${describeAxe(result.violations).replace(/\n/g, '\n  ')}`);
        } else {
          console.log(`✓ ${label}: no violations (${result.passes} rules passed)`);
        }
        if (result.incomplete.length) {
          console.log(`  to review: ${result.incomplete.map((v) => `${v.id} ×${v.nodes}`).join(', ')}`);
        }
      }
    } finally {
      await browser.close();
    }
  }
  if (lighthouse) {
    const chrome = await launchChromeForLighthouse();
    try {
      for (const query of views) {
        const result = await runLighthouse(`${server.url}/${query}`, chrome.port);
        const score = Math.round((result.score ?? 0) * 100);
        if (score !== 100 || result.runtimeError) {
          failed = true;
          console.log(`✗ Lighthouse ${query}: ${score}${result.runtimeError ? ` (${result.runtimeError})` : ''}\n  ${describeLighthouse(result.failed).replace(/\n/g, '\n  ')}`);
        } else {
          console.log(`✓ Lighthouse ${query}: 100`);
        }
      }
    } finally {
      await chrome.kill();
    }
  }
} finally {
  await server.close();
}
process.exit(failed ? 1 : 0);
