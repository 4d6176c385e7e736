// Browser figures for `make bench`: the release bundle in dist/ served on 127.0.0.1 and
// measured in headless Chromium.
//
// - first_prompt_ms: a cold load (fresh profile, nothing saved, nothing cached) from
//   navigation until the terminal's line editor is on the page and enabled; median of RUNS
//   loads. The instant is read inside the page (a MutationObserver notes it, against the
//   navigation's start), so the harness's own polling adds nothing.
// - return_prompt_ms: the same page reloaded by a learner who has been here before: the build
//   comes from the service worker's cache and the browser keeps the module's compiled code.
// - frame_p95_ms: with 100 nginx and 10 crash-looping static pods on controlplane, playing at
//   60×, the 95th percentile of the work each animation frame causes: from the start of the
//   frame's requestAnimationFrame callbacks until a task queued at their end runs (script,
//   the app's render, and the browser's style and layout in between).
//
// - restore_hour_ms: a session whose clock ran one virtual hour (`sleep 3600` typed at the
//   terminal, on the default cluster) is saved, and the learner reloads the page: timed, inside
//   the page, from the reload's navigation until the replay is over and the terminal takes
//   input again (a learner's reload, budget 1 s). cold_restore_hour_ms is the same restore
//   with nothing cached (a browser whose caches were cleared but whose storage was kept).
//
// - scrub_hour_ms: in that restored hour, the replay scrubber of "Inside the kubelet" is set to
//   20 instants spread over the hour; each is timed from the slider's input event until the
//   pane says which instant it shows (the world then replayed from the nearest snapshot and
//   drawn). Median and max of the 20.
//
// Writes target/bench/browser.json: { key: { median, min, max, runs, unit } }.
//
// Usage: node e2e/bench.mjs [DIST_DIR]

import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { baseUrl, launch, serve } from './lib.mjs';

const DIST = resolve(process.argv[2] ?? 'dist');
const OUT = resolve('target/bench');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const FRAME_SECONDS = Number(process.env.BENCH_FRAME_SECONDS ?? 10);

const SEEN = () => localStorage.setItem('kubelet-playground/settings', '{"tour_seen":true}');

// Notes in window.__promptAt the instant (ms since this navigation started) the terminal's line
// editor is first on the page and enabled.
const PROMPT_WATCH = () => {
  const check = () => {
    const line = document.querySelector('textarea[aria-label="Terminal"]');
    if (line && !line.disabled && window.__promptAt === undefined) window.__promptAt = performance.now();
  };
  new MutationObserver(check).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['disabled'],
  });
};

// The virtual milliseconds the saved session's clock moved (run in the page).
const SAVED_MS = () => {
  const session = JSON.parse(localStorage.getItem('kubelet-playground/session') ?? 'null');
  return (session?.inputs ?? []).reduce((sum, input) => sum + (input.adv ?? 0), 0);
};

/** Waits for an enabled terminal and returns when, inside the page, it became so. */
async function promptAt(page) {
  await page.locator('textarea[aria-label="Terminal"]:enabled').waitFor({ timeout: 600000 });
  return page.evaluate(() => window.__promptAt);
}

function stats(values, unit) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const round = (v) => Math.round(v * 10) / 10;
  return { median: round(median), min: round(sorted[0]), max: round(sorted[sorted.length - 1]), runs: values.length, unit };
}

async function firstPrompt(browser, url) {
  const context = await browser.newContext();
  await context.addInitScript(SEEN);
  await context.addInitScript(PROMPT_WATCH);
  const page = await context.newPage();
  await page.goto(url);
  const ms = await promptAt(page);
  await context.close();
  return ms;
}

/**
 * Loads `url` once in `context` (which installs the service worker), then times `runs` reloads;
 * `check(page)` runs after each. Closes the context.
 */
async function timedReloads(context, url, runs, check = async () => {}) {
  const page = await context.newPage();
  await page.goto(url);
  await promptAt(page);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  const times = [];
  for (let i = 0; i < runs; i += 1) {
    await page.reload();
    times.push(await promptAt(page));
    await check(page);
  }
  await context.close();
  return times;
}

/** A returning learner's first prompt: reloads of a page with nothing saved. */
async function returnPrompts(browser, url, runs) {
  const context = await browser.newContext();
  await context.addInitScript(SEEN);
  await context.addInitScript(PROMPT_WATCH);
  return timedReloads(context, url, runs);
}

async function frameP95(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript(SEEN);
  await context.addInitScript(() => {
    // Time every frame's rAF callbacks plus the work they leave behind.
    window.__frames = [];
    const channel = new MessageChannel();
    let start = null;
    channel.port1.onmessage = () => {
      if (start !== null) window.__frames.push(performance.now() - start);
      start = null;
    };
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (callback) =>
      raf((ts) => {
        if (start === null) {
          start = performance.now();
          channel.port2.postMessage(0);
        }
        callback(ts);
      });
  });
  const page = await context.newPage();
  await page.goto(url);
  const terminal = page.getByRole('textbox', { name: 'Terminal', exact: true });
  await terminal.waitFor({ timeout: 30000 });
  const manifests = [
    'for i in $(seq 1 100); do printf "apiVersion: v1\\nkind: Pod\\nmetadata:\\n  name: web-%s\\nspec:\\n  containers:\\n  - name: web\\n    image: nginx:1.27\\n" $i > /etc/kubernetes/manifests/web-$i.yaml; done',
    'for i in $(seq 1 10); do printf "apiVersion: v1\\nkind: Pod\\nmetadata:\\n  name: crash-%s\\nspec:\\n  containers:\\n  - name: crash\\n    image: busybox\\n    command: [\\"sh\\", \\"-c\\", \\"sleep 3; exit 1\\"]\\n" $i > /etc/kubernetes/manifests/crash-$i.yaml; done',
  ];
  for (const line of manifests) {
    await terminal.fill(line);
    await terminal.press('Enter');
  }
  await page.getByText('crash-10.yaml').first().waitFor({ state: 'attached', timeout: 60000 });
  await page.getByRole('radio', { name: '60×' }).check();
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  // Warm up, then measure a fixed stretch of wall time.
  await page.evaluate(() => new Promise((ok) => setTimeout(ok, 2000)));
  await page.evaluate(() => (window.__frames.length = 0));
  const frames = await page.evaluate(
    (seconds) => new Promise((ok) => setTimeout(() => ok(window.__frames.slice()), seconds * 1000)),
    FRAME_SECONDS,
  );
  await context.close();
  if (frames.length < 10) throw new Error(`only ${frames.length} frames measured`);
  const sorted = frames.sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))];
}

async function hourSession(browser, url) {
  const context = await browser.newContext();
  await context.addInitScript(SEEN);
  const page = await context.newPage();
  await page.goto(url);
  const terminal = page.getByRole('textbox', { name: 'Terminal', exact: true });
  await terminal.waitFor({ timeout: 30000 });
  await terminal.fill('sleep 3600');
  await terminal.press('Enter');
  // The autosave follows the clock; wait until it holds the whole hour.
  await page.waitForFunction(
    () => {
      const saved = JSON.parse(localStorage.getItem('kubelet-playground/session') ?? 'null');
      const moved = (saved?.inputs ?? []).reduce((sum, input) => sum + (input.adv ?? 0), 0);
      return moved >= 3600000;
    },
    null,
    { timeout: 600000, polling: 250 },
  );
  const saved = await page.evaluate(() => localStorage.getItem('kubelet-playground/session'));
  await context.close();
  return saved;
}

/** Restores the saved hour in a fresh browser profile (nothing cached). */
async function coldRestoreHour(browser, url, saved) {
  const context = await browser.newContext();
  await context.addInitScript(SEEN);
  await context.addInitScript(PROMPT_WATCH);
  await context.addInitScript((text) => localStorage.setItem('kubelet-playground/session', text), saved);
  const page = await context.newPage();
  await page.goto(url);
  const ms = await promptAt(page);
  await context.close();
  return ms;
}

/** A learner with the saved hour reloads the page `runs` times; each restore is timed. */
async function restoreHour(browser, url, saved, runs) {
  const context = await browser.newContext();
  await context.addInitScript(SEEN);
  await context.addInitScript(PROMPT_WATCH);
  // Seeded once: every later load of the tab restores what the page itself saved.
  await context.addInitScript((text) => {
    if (!sessionStorage.getItem('bench-seeded')) {
      localStorage.setItem('kubelet-playground/session', text);
      sessionStorage.setItem('bench-seeded', '1');
    }
  }, saved);
  return timedReloads(context, url, runs, async (page) => {
    const moved = await page.evaluate(SAVED_MS);
    if (moved < 3600000) throw new Error(`the reloaded session holds ${moved} ms, not an hour`);
  });
}

async function scrubHour(browser, url, saved) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript(SEEN);
  await context.addInitScript((text) => localStorage.setItem('kubelet-playground/session', text), saved);
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('textarea[aria-label="Terminal"]:enabled').waitFor({ timeout: 600000 });
  await page.getByRole('button', { name: 'Inside the kubelet', exact: true }).click();
  const slider = page.getByRole('slider', { name: 'Replay history' });
  await slider.waitFor();
  const times = [];
  for (let i = 0; i < 20; i += 1) {
    const ms = await slider.evaluate((input, i) => new Promise((done) => {
      const span = Number(input.max) - Number(input.min);
      const target = Number(input.min) + Math.floor((span * (i + 0.5)) / 20 / 1000) * 1000;
      const readout = document.querySelector('.scrub-readout');
      const before = readout.textContent;
      const started = performance.now();
      const seen = new MutationObserver(() => {
        if (readout.textContent !== before) {
          seen.disconnect();
          done(performance.now() - started);
        }
      });
      seen.observe(readout, { childList: true, characterData: true, subtree: true });
      input.value = String(target);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }), i);
    times.push(ms);
  }
  await context.close();
  return times;
}

const server = await serve(DIST);
const url = baseUrl(server);
const browser = await launch();
try {
  const prompts = [];
  for (let i = 0; i < RUNS; i += 1) prompts.push(await firstPrompt(browser, url));
  const returns = await returnPrompts(browser, url, RUNS);
  const p95s = [];
  for (let i = 0; i < Math.max(1, Math.min(RUNS, 3)); i += 1) p95s.push(await frameP95(browser, url));
  const saved = await hourSession(browser, url);
  const restores = await restoreHour(browser, url, saved, RUNS);
  const coldRestores = [];
  for (let i = 0; i < Math.max(1, Math.min(RUNS, 3)); i += 1) coldRestores.push(await coldRestoreHour(browser, url, saved));
  const scrubs = await scrubHour(browser, url, saved);
  const result = {
    first_prompt_ms: stats(prompts, 'ms'),
    return_prompt_ms: stats(returns, 'ms'),
    frame_p95_ms: stats(p95s, 'ms'),
    restore_hour_ms: stats(restores, 'ms'),
    cold_restore_hour_ms: stats(coldRestores, 'ms'),
    scrub_hour_ms: stats(scrubs, 'ms'),
  };
  await mkdir(OUT, { recursive: true });
  await writeFile(join(OUT, 'browser.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
  server.close();
}
