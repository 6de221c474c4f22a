// Writes a deployment's list of data sources (sources.json, served beside
// index.html; README "Choosing the data"). The app reads and validates it at
// start, so changing it needs no rebuild.
//
//   node scripts/sources.mjs OUT [--slim-url URL] [--slim-snapshot YYYY-MM-DD] [--slim-bytes N]
//
// Without options, OUT gets the built-in list (scripts/sources.json, which a
// Rust test keeps equal to src/url/sources.rs). --slim-url adds the
// project's slim daily file as `hub-slim` and makes it the default. The app
// refuses a list that breaks its rules; these checks catch the same
// mistakes here, before a deploy.
import fs from 'node:fs';

const usage = 'usage: node scripts/sources.mjs OUT [--slim-url URL] [--slim-snapshot YYYY-MM-DD] [--slim-bytes N]';
const args = process.argv.slice(2);
const out = args.shift();
if (!out || out.startsWith('--')) fail(usage);
const options = {};
while (args.length) {
  const [key, inline] = args.shift().split(/=(.*)/s);
  const value = inline ?? args.shift();
  if (!['--slim-url', '--slim-snapshot', '--slim-bytes'].includes(key) || value === undefined) fail(usage);
  options[key.slice(2)] = value;
}

const manifest = JSON.parse(fs.readFileSync(new URL('sources.json', import.meta.url), 'utf8'));
if (options['slim-url'] !== undefined) {
  const url = options['slim-url'];
  if (/[\\\u0000-\u001f\u007f-\u009f]/.test(url)) fail(`--slim-url: a backslash or control character in ${JSON.stringify(url)}`);
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    fail(`--slim-url: not an absolute URL: ${JSON.stringify(url)}`);
  }
  if (!['http:', 'https:'].includes(parsed.protocol)) fail('--slim-url: not an http(s) URL');
  if (parsed.username || parsed.password) fail('--slim-url: no user name or password, please');
  if (url.length > 2048) fail('--slim-url: longer than 2,048 characters');
  const slim = { name: 'hub-slim', label: 'Hub daily snapshot (slim)', url };
  if (options['slim-snapshot'] !== undefined) {
    const date = options['slim-snapshot'];
    const day = new Date(`${date}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== date) {
      fail('--slim-snapshot: a date such as 2026-08-01');
    }
    slim.snapshot = date;
  }
  if (options['slim-bytes'] !== undefined) {
    if (!/^\d{1,15}$/.test(options['slim-bytes'])) fail('--slim-bytes: a whole number of bytes');
    slim.bytes = Number(options['slim-bytes']);
  }
  manifest.sources = [slim, ...manifest.sources.filter((s) => s.name !== slim.name)];
  manifest.default = slim.name;
} else if (options['slim-snapshot'] !== undefined || options['slim-bytes'] !== undefined) {
  fail('--slim-snapshot and --slim-bytes describe --slim-url');
}
fs.writeFileSync(out, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`${out}: ${manifest.sources.map((s) => s.name).join(', ')} (default ${manifest.default})`);

function fail(message) {
  console.error(message);
  process.exit(2);
}
