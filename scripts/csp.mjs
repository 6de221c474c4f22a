// Content-Security-Policy of the built page.
//
// As a trunk post-build hook (or `node scripts/csp.mjs DIR`): the policy
// allows inline scripts only by hash, and trunk writes one inline module
// script (the wasm loader) whose text changes with every build. This fills
// the hashes of the inline scripts into the policy in DIR/index.html.
//
// `node scripts/csp.mjs --production DIR` (scripts/deploy.sh, on the
// deployable Space folder): removes the local-host allowances from
// connect-src. Test and dev builds keep them (the end-to-end tests serve
// data from a second 127.0.0.1 origin); a deployed app has no use for them,
// and they would let a link make a visitor's browser probe their own machine.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const PLACEHOLDER = "'inline-script-hashes'";
const LOCAL_HOSTS = ['http://127.0.0.1:*', 'http://localhost:*'];

const production = process.argv[2] === '--production';
const dir = production ? process.argv[3] : process.env.TRUNK_STAGING_DIR || process.argv[2];
if (!dir) throw new Error('usage: node scripts/csp.mjs [--production] DIR (or run as a trunk hook)');
const file = path.join(dir, 'index.html');
const html = fs.readFileSync(file, 'utf8');

if (production) {
  let out = html;
  for (const host of LOCAL_HOSTS) out = out.replaceAll(` ${host}`, '');
  if (/127\.0\.0\.1|localhost/.test(out)) throw new Error(`${file}: a local-host allowance is left in the policy`);
  if (out === html) throw new Error(`${file}: no local-host allowance to remove (was index.html's policy changed?)`);
  fs.writeFileSync(file, out);
  console.log(`[csp] local-host allowances removed from ${file}`);
} else {
  if (!html.includes(PLACEHOLDER)) throw new Error(`${file}: no ${PLACEHOLDER} in its Content-Security-Policy`);
  const hashes = [];
  // Inline scripts: <script ...> without a src attribute.
  for (const [, attributes, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\bsrc\s*=/.test(attributes)) continue;
    const digest = crypto.createHash('sha256').update(body, 'utf8').digest('base64');
    hashes.push(`'sha256-${digest}'`);
  }
  if (hashes.length === 0) throw new Error(`${file}: trunk wrote no inline loader script`);
  fs.writeFileSync(file, html.replace(PLACEHOLDER, hashes.join(' ')));
  console.log(`[csp] ${hashes.length} inline script hash(es) written into ${file}`);
}
