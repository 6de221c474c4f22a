// A small static server for end-to-end tests, on 127.0.0.1 only.
// Serves the built app (optionally under a sub-path) and the test fixtures
// at /fixtures/. Range support can be switched off to mimic servers and CDNs
// that ignore it.
import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.json': 'application/json',
  '.parquet': 'application/octet-stream',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/**
 * `routes` maps a path to a handler `(req, res)` that answers it instead
 * (a body that never ends, one that inflates). `handle(req, res)` sees
 * every request first (by its Host header, say): it returns true when it
 * answered, or false to leave it to the files (it may rewrite `req.url` to
 * serve another one). `tls` ({ key, cert }) serves https instead of http.
 * @param {{ root: string, fixtures?: string, basePath?: string, ranges?: boolean, throttle?: number, routes?: Record<string, Function>, handle?: Function, tls?: { key: string | Buffer, cert: string | Buffer } }} options
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void>, log: Array<{path: string, url?: string, range?: string, status: number, bytes: number, sent?: number, host?: string}> }>}
 */
export async function startServer({
  root,
  fixtures,
  basePath = '/',
  ranges = true,
  throttle = 0,
  routes = {},
  handle,
  tls,
}) {
  const log = [];
  // Long links (a 692 kB query in the address tests) fit in the request line.
  const options = { maxHeaderSize: 4 << 20, ...(tls ? { key: tls.key, cert: tls.cert } : {}) };
  const server = (tls ? https : http).createServer(options, (req, res) => {
    if (handle && handle(req, res)) {
      log.push({ path: req.url, host: req.headers.host, status: res.statusCode, bytes: 0 });
      return;
    }
    const url = new URL(req.url, 'http://127.0.0.1');
    if (routes[url.pathname]) {
      log.push({ path: url.pathname, range: req.headers.range, status: 200, bytes: 0 });
      return routes[url.pathname](req, res);
    }
    let pathname = decodeURIComponent(url.pathname);
    let dir = root;
    if (fixtures && pathname.startsWith('/fixtures/')) {
      dir = fixtures;
      pathname = pathname.slice('/fixtures'.length);
    } else if (pathname.startsWith(basePath)) {
      pathname = '/' + pathname.slice(basePath.length);
    } else {
      return finish(res, req, 404, 'not under ' + basePath);
    }
    if (pathname.endsWith('/')) pathname += 'index.html';
    const file = path.join(dir, path.normalize(pathname));
    if (!file.startsWith(dir)) return finish(res, req, 403, 'forbidden');
    fs.stat(file, (err, stat) => {
      if (err || !stat.isFile()) return finish(res, req, 404, 'not found');
      const type = TYPES[path.extname(file)] || 'application/octet-stream';
      // Only data files are paced; the app itself loads at full speed.
      const pace = dir === fixtures ? throttle : 0;
      const chunk = pace ? 16_384 : 65_536;
      const headers = {
        'content-type': type,
        'last-modified': stat.mtime.toUTCString(),
        'cache-control': 'no-cache',
        'access-control-allow-origin': '*',
      };
      const range = req.headers.range;
      const match = ranges && range && /^bytes=(\d*)-(\d*)$/.exec(range);
      if (match) {
        let start = match[1] === '' ? stat.size - Number(match[2]) : Number(match[1]);
        let end = match[1] === '' || match[2] === '' ? stat.size - 1 : Number(match[2]);
        start = Math.max(0, start);
        end = Math.min(end, stat.size - 1);
        if (start > end) return finish(res, req, 416, 'bad range');
        headers['accept-ranges'] = 'bytes';
        headers['content-range'] = `bytes ${start}-${end}/${stat.size}`;
        headers['content-length'] = end - start + 1;
        res.writeHead(206, headers);
        const entry = { path: url.pathname, url: req.url, range, status: 206, bytes: end - start + 1, sent: 0 };
        log.push(entry);
        return send(fs.createReadStream(file, { start, end, highWaterMark: chunk }), res, entry, pace);
      }
      if (ranges) headers['accept-ranges'] = 'bytes';
      headers['content-length'] = stat.size;
      res.writeHead(200, headers);
      const entry = { path: url.pathname, url: req.url, range, status: 200, bytes: stat.size, sent: 0 };
      log.push(entry);
      if (req.method === 'HEAD') return res.end();
      send(fs.createReadStream(file, { highWaterMark: chunk }), res, entry, pace);
    });
  });
  // Streams a body, counting what was written (a client may cancel early)
  // and, with `throttle` (bytes per second), pacing it so progress shows.
  function send(stream, res, entry, pace) {
    res.on('close', () => stream.destroy());
    stream.on('data', (chunk) => {
      entry.sent += chunk.length;
      const more = res.write(chunk);
      if (pace) {
        stream.pause();
        setTimeout(() => stream.resume(), (chunk.length / pace) * 1000);
      } else if (!more) {
        stream.pause();
        res.once('drain', () => stream.resume());
      }
    });
    stream.on('end', () => res.end());
    stream.on('error', () => res.destroy());
  }
  function finish(res, req, status, text) {
    log.push({ path: req.url, status, bytes: 0 });
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(text);
  }
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    log,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}
