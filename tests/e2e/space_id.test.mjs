// `scripts/deploy.sh --space <owner>/<name>` writes the Space's id into the
// page through scripts/space-id.mjs: the exact tag the app reads (and
// hub_frame.test.mjs serves), and nothing for an id that does not validate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { DIST, ROOT } from './browser.mjs';

function write(id) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spaces-ship-space-id-'));
  fs.copyFileSync(path.join(DIST, 'index.html'), path.join(dir, 'index.html'));
  const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'space-id.mjs'), dir, id], { encoding: 'utf8' });
  const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  fs.rmSync(dir, { recursive: true });
  return { status: run.status, html };
}

test('a valid id becomes the tag the app reads, once', () => {
  const { status, html } = write('owner/name');
  assert.equal(status, 0);
  assert.equal(html.match(/<meta name="spaces-ship-space-id" content="owner\/name">/g)?.length, 1);
  // Before any script: the tag is in place when the app starts.
  assert.ok(html.indexOf('spaces-ship-space-id') < html.indexOf('<script'));
});

test('an id that does not validate is refused and nothing is written', () => {
  const original = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  for (const id of ['owner/../../logout', 'a/b/c', '"><script>alert(1)</script>/x', `${'a'.repeat(97)}/b`, 'owner']) {
    const { status, html } = write(id);
    assert.equal(status, 2, id);
    assert.equal(html, original, id);
  }
});
