// Shared pieces of the end-to-end tests: a static server for dist/ on 127.0.0.1, headless
// Debian Chromium through playwright-core, and small waiting helpers (no sleeps: every test
// waits for what it expects to appear).

import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
// Flags that keep Chromium from reaching for the network at start-up (closed network here).
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Each test's browser context opens a window, and for each window Chromium built its own
  // omnibox popup (a WebUI page of some 300 files) at the very moment the test's page loaded,
  // on the same two cores: about 90 ms of a cold first prompt was the browser's own UI.
  '--disable-features=WebUIOmniboxPopup,PreloadTopChromeWebUI',
];
const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** Serves `root` on an ephemeral 127.0.0.1 port (to any origin with `cors`); resolves to the server. */
export function serve(root, { cors = false } = {}) {
  root = resolve(root);
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let path = normalize(join(root, decodeURIComponent(url.pathname)));
    if (!path.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(path)).isDirectory()) path = join(path, 'index.html');
      const body = await readFile(path);
      const headers = { 'content-type': MIME[extname(path)] ?? 'application/octet-stream' };
      if (cors) headers['access-control-allow-origin'] = '*';
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

/** The base URL of a server started by `serve`. */
export function baseUrl(server) {
  return `http://127.0.0.1:${server.address().port}/`;
}

/** Launches headless Chromium. */
export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Collects console errors, page errors, failed requests and HTTP errors of `page`. */
export function watchProblems(page) {
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.url()}`);
  });
  page.on('dialog', (dialog) => {
    problems.push(`a browser dialog opened: ${dialog.message()}`);
    dialog.dismiss();
  });
  return problems;
}
