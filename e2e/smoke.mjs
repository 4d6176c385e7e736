// End-to-end smoke test: serves the release bundle in dist/ on 127.0.0.1, opens it in headless
// Debian Chromium through playwright-core, checks that the app mounted without console errors
// and saves a screenshot under target/e2e/.
//
// Usage: node e2e/smoke.mjs [DIST_DIR]

import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const DIST = resolve(process.argv[2] ?? 'dist');
const SHOT_DIR = resolve('target/e2e');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
// Flags that keep Chromium from reaching for the network at start-up (closed network here).
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

function serve(root) {
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
      res.writeHead(200, { 'content-type': MIME[extname(path)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

function fail(message) {
  console.error(`e2e: FAIL: ${message}`);
  process.exitCode = 1;
}

const server = await serve(DIST);
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.url()}`);
  });

  const started = Date.now();
  await page.goto(base, { waitUntil: 'load' });
  await page.waitForSelector('.app-title', { timeout: 15000 });
  const mountedMs = Date.now() - started;

  const title = (await page.textContent('.app-title'))?.trim();
  if (title !== 'kubelet-playground') fail(`title is ${JSON.stringify(title)}`);
  for (const pane of ['.terminal-pane', '.manifests-pane', '.pods-pane']) {
    if (!(await page.isVisible(pane))) fail(`${pane} is not visible`);
  }
  if (await page.$('.panic-banner')) fail('the panic banner is showing');
  for (const p of problems) fail(p);

  await mkdir(SHOT_DIR, { recursive: true });
  const shot = join(SHOT_DIR, 'frame.png');
  await page.screenshot({ path: shot });
  console.log(`e2e: app mounted in ${mountedMs} ms; screenshot ${shot}\n`);
} finally {
  await browser.close();
  server.close();
}
if (process.exitCode) process.exit(process.exitCode);
console.log('e2e: ok');
