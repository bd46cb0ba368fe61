// Minimal static server for the production build (web/dist), used by the browser tests and the
// bench. Hashed files under /assets/ are cached forever; everything else must revalidate.
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** `script` as the first element of <head>. */
function injectHeadScript(html, script) {
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (!head) throw new Error('static-server: no <head> to inject the test script into');
  const at = head.index + head[0].length;
  return `${html.slice(0, at)}<script>${script}</script>${html.slice(at)}`;
}

/**
 * @param {{ root: string, port?: number, host?: string, headScript?: string }} options
 *   headScript: test mode only, a script put first in <head> of every HTML page, so it runs before
 *   the page's own (the browser tests' error capture; see browsers/errorCapture.cjs)
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
function startStaticServer({ root, port = 0, host = '127.0.0.1', headScript }) {
  const base = path.resolve(root);
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url || '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    let file = path.join(base, pathname);
    if (file !== base && !file.startsWith(base + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    if (pathname.endsWith('/')) file = path.join(file, 'index.html');
    // Unknown extension-less paths get the app shell (client-side routes).
    if (!fs.existsSync(file) && path.extname(file) === '') file = path.join(base, 'index.html');
    fs.stat(file, (error, stat) => {
      if (error || !stat.isFile()) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
        return;
      }
      const type = CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
      const cacheControl = pathname.startsWith('/assets/')
        ? 'public, max-age=31536000, immutable'
        : 'no-cache';
      const headers = {
        'Content-Type': type,
        'Content-Length': stat.size,
        'Cache-Control': cacheControl,
        'X-Content-Type-Options': 'nosniff',
      };
      if (headScript && type.startsWith('text/html')) {
        const html = injectHeadScript(fs.readFileSync(file, 'utf8'), headScript);
        res.writeHead(200, { ...headers, 'Content-Length': Buffer.byteLength(html) });
        res.end(req.method === 'HEAD' ? undefined : html);
        return;
      }
      res.writeHead(200, headers);
      if (req.method === 'HEAD') res.end();
      else fs.createReadStream(file).pipe(res);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      resolve({
        url: `http://${host}:${actualPort}`,
        port: actualPort,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

module.exports = { startStaticServer };
