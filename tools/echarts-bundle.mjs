// Bundles tools/echarts.js into the file the app serves (the path given),
// keeping ECharts' Apache-2.0 notice at its head. Rewrites the file only
// when the bundle changed, so trunk does not rebuild for nothing.
//   node tools/echarts-bundle.mjs public/vendor/echarts.min.js
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const here = path.dirname(new URL(import.meta.url).pathname);
const require = createRequire(path.join(here, 'package.json'));
const esbuild = require('esbuild');
const out = process.argv[2];
if (!out) throw new Error('usage: node tools/echarts-bundle.mjs OUT');

// The notice the upstream builds open with.
const upstream = fs.readFileSync(path.join(here, 'node_modules/echarts/dist/echarts.min.js'), 'utf8');
const notice = upstream.slice(0, upstream.indexOf('*/') + 2);
if (!notice.includes('Apache')) throw new Error('ECharts license notice not found');
const { version } = require('echarts/package.json');

const result = await esbuild.build({
  entryPoints: [path.join(here, 'echarts.js')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  legalComments: 'none',
  banner: { js: `${notice}\n/* ECharts ${version}: core, bar, line, pie, scatter, grid, legend, tooltip, label layout, canvas (tools/echarts.js). */` },
  write: false,
  logLevel: 'error',
});
const text = result.outputFiles[0].text;
const old = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : null;
if (old !== text) {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, text);
}
