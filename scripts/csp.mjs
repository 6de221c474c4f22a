// Trunk post-build hook: the page's Content-Security-Policy allows inline
// scripts only by hash, and trunk writes one inline module script (the wasm
// loader) whose text changes with every build. This fills the hashes of the
// inline scripts into the policy in the staged index.html.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const PLACEHOLDER = "'inline-script-hashes'";
const dir = process.env.TRUNK_STAGING_DIR || process.argv[2];
if (!dir) throw new Error('usage: node scripts/csp.mjs DIR (or run as a trunk hook)');
const file = path.join(dir, 'index.html');
const html = fs.readFileSync(file, 'utf8');
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
