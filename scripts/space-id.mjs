// Writes the Space's id into a built page, for links that point to the
// Space (`scripts/deploy.sh --space <owner>/<name>` runs it):
//   node scripts/space-id.mjs DIR <owner>/<name>
// The app prefers the id the Hub gives it at run time
// (window.huggingface.variables.SPACE_ID) and falls back to this tag; it
// validates both the same way (src/url/space.rs), as does this script.
import fs from 'node:fs';
import path from 'node:path';

const [dir, id] = process.argv.slice(2);
if (!dir || !id) throw new Error('usage: node scripts/space-id.mjs DIR <owner>/<name>');
const part = /^(?!.*--)(?!.*\.\.)[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?$/;
const [owner, name, ...rest] = id.split('/');
if (rest.length || !part.test(owner ?? '') || !part.test(name ?? '')) {
  console.error(`Not a Space id: ${JSON.stringify(id)} (expected <owner>/<name> in letters, digits, - _ .)`);
  process.exit(2);
}
const file = path.join(dir, 'index.html');
const html = fs.readFileSync(file, 'utf8').replace(/\s*<meta name="spaces-ship-space-id"[^>]*>/g, '');
const tag = `<meta name="spaces-ship-space-id" content="${id}">`;
const out = html.replace(/(<meta charset="[^"]*"\s*\/?>)/i, `$1\n    ${tag}`);
if (out === html) throw new Error(`${file}: no <meta charset> to put the Space id after`);
fs.writeFileSync(file, out);
console.log(`${file}: links point to https://huggingface.co/spaces/${id}`);
