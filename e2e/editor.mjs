// End-to-end tests of the manifest editor's browser code: vendor/editor.js (the facade the
// Rust app imports) and vendor/codemirror.js (the lazily loaded bundle), laid out as Trunk and
// wasm-bindgen lay them out in dist/ and served from a sub-path with a relative <base>, in
// headless Chromium. It needs no Rust build. Screenshots go to target/e2e/editor-*.png.
//
// Usage: node e2e/editor.mjs

import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';

import { baseUrl, launch, serve, watchProblems } from './lib.mjs';

const SHOTS = resolve('target/e2e');
const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const TIMEOUT = 10000;
// Where the page lives below the server's root, and where wasm-bindgen puts the facade.
const APP = 'course/play/';
const FACADE = 'snippets/kubelet-playground-0123456789abcdef/vendor/editor.js';

const WEB = `apiVersion: v1
kind: Pod
metadata:
  name: static-web
  labelz: {app: web}
  # the kubelet drops unknown fields
spec:
  containers:
  - name: web
    image: "nginx:1.27"
    command: ["sh", "-c", "echo 😀x"]
`;

const PAGE = `<!DOCTYPE html>
<html lang="en" data-theme="light">
  <head>
    <meta charset="utf-8" />
    <title>Manifest editor test page</title>
    <base href="./" />
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="app.css" />
    <style>
      main { padding: 1rem; }
      #host { display: flex; flex-direction: column; height: 340px; width: 640px;
              font-size: 14px; border: 1px solid var(--border); }
    </style>
  </head>
  <body>
    <main>
      <h1>Manifest editor</h1>
      <button type="button" id="before">Before</button>
      <div id="host"></div>
      <button type="button" id="after">After</button>
    </main>
    <script type="module">
      import * as facade from './${FACADE}';
      window.facade = facade;
      window.changes = [];
      window.saves = 0;
      window.savePrevented = [];
      // WCAG 2 contrast ratio of two opaque CSS rgb() colours.
      window.contrast = (a, b) => {
        const lum = (css) => {
          const [r, g, b] = css.match(/[\\d.]+/g).slice(0, 3).map((v) => {
            v /= 255;
            return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
          });
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
        return (hi + 0.05) / (lo + 0.05);
      };
      addEventListener('keydown', (e) => {
        if (e.key === 's' && e.ctrlKey) window.savePrevented.push(e.defaultPrevented);
      });
      document.body.dataset.ready = 'yes';
    </script>
  </body>
</html>
`;

const tests = [];
function test(name, fn) {
  tests.push({ name, fn });
}

function check(ok, message) {
  if (!ok) throw new Error(message);
}

function same(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/** Creates the editor with `doc` and the app's options; resolves once it is mounted. */
async function mount(page, doc = WEB, options = {}) {
  await page.evaluate(
    async ({ doc, options }) => {
      window.handle = await window.facade.createEditor(
        document.getElementById('host'),
        doc,
        { label: 'Manifest editor', dark: false, readOnly: false, ...options },
        (text) => window.changes.push(text),
        () => {
          window.saves += 1;
        },
      );
    },
    { doc, options },
  );
}

function editor(page) {
  return page.getByRole('textbox', { name: 'Manifest editor', exact: true });
}

const getDoc = (page) => page.evaluate(() => window.handle.getDoc());

/** The colour of the screen pixel at (x, y), read from a 1×1 PNG screenshot. */
async function pixel(page, x, y) {
  const png = await page.screenshot({ clip: { x: Math.floor(x), y: Math.floor(y), width: 1, height: 1 } });
  const chunks = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') chunks.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  // One pixel on the first row: every PNG filter leaves the bytes as they are.
  const row = inflateSync(Buffer.concat(chunks));
  return [...row.subarray(1, 4)];
}

/**
 * Waits until the YAML highlighting shows at least `n` distinct colours, plain text included,
 * counted as `contrasts` counts them. CodeMirror parses in the background, with a time budget,
 * so on a busy machine the first paint may be plain. Spans in the plain colour (a lint range,
 * say) count once with plain text, never as a colour of their own.
 */
async function highlighted(page, n) {
  try {
    await page.waitForFunction(
      (n) => {
        const colours = new Set([...document.querySelectorAll('.cm-line span')].map((s) => getComputedStyle(s).color));
        colours.add(getComputedStyle(document.querySelector('.cm-line')).color);
        return colours.size >= n;
      },
      n,
      { timeout: TIMEOUT },
    );
  } catch {
    throw new Error(`the YAML highlighting never showed ${n} colours`);
  }
}

/** Puts the cursor at the end of the document. */
async function toEnd(page) {
  await editor(page).focus();
  await page.keyboard.press('Control+End');
}

test('the page loads without the bundle; createEditor fetches it once, beside the page', async ({ page, requests, server }) => {
  same(requests.filter((u) => u.includes('codemirror')), [], 'bundle requests before createEditor');
  await mount(page);
  await page.evaluate(() => window.facade.loadEditor());
  same(requests.filter((u) => u.includes('codemirror')), [`${baseUrl(server)}${APP}codemirror.js`], 'bundle requests');
  same(await getDoc(page), WEB, 'initial document');
});

test('the content is a multi-line textbox named by the label and described by the Tab hint', async ({ page }) => {
  await mount(page);
  const box = editor(page);
  same(await box.getAttribute('aria-multiline'), 'true', 'aria-multiline');
  same(await box.getAttribute('contenteditable'), 'true', 'contenteditable');
  same(await box.getAttribute('spellcheck'), 'false', 'spellcheck');
  same(await box.getAttribute('autocapitalize'), 'off', 'autocapitalize');
  const hint = await page.evaluate(() => {
    const id = document.querySelector('.cm-content').getAttribute('aria-describedby');
    const el = id && document.getElementById(id);
    return el && !el.hidden ? el.textContent : null;
  });
  same(hint, 'Tab indents. To leave the editor, press Escape, then Tab.', 'visible description');
});

test('Tab indents, Escape then Tab moves focus on, and focus is visible', async ({ page }) => {
  await mount(page);
  await editor(page).focus();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Tab');
  check((await getDoc(page)).startsWith('  apiVersion: v1\n'), 'Tab did not indent the first line');
  await page.keyboard.press('Shift+Tab');
  check((await getDoc(page)).startsWith('apiVersion: v1\n'), 'Shift-Tab did not outdent it again');
  const ring = await page.evaluate(() => {
    const s = getComputedStyle(document.querySelector('.cm-editor'), '::after');
    return [s.borderLeftStyle, s.borderLeftWidth, s.borderLeftColor, s.borderBottomWidth];
  });
  same(ring, ['solid', '2px', 'rgb(191, 87, 0)', '2px'], "the focused editor's ring (the page's --focus)");
  // The ring is on top: the gutter's left edge shows the focus colour, not the gutter's.
  const box = await page.locator('.cm-editor').boundingBox();
  const edges = [
    [box.x, box.y + box.height / 2, 'left edge (over the gutter)'],
    [box.x + box.width / 2, box.y + box.height - 1, 'bottom edge (over the hint panel)'],
  ];
  for (const [x, y, where] of edges) {
    same(await pixel(page, x, y), [191, 87, 0], `the ring's colour at the ${where}`);
  }
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  same(await page.evaluate(() => document.activeElement.id), 'after', 'focus after Escape, Tab');
  await page.keyboard.press('Shift+Tab');
  check(await editor(page).evaluate((el) => el === document.activeElement), 'Shift-Tab did not come back');
});

test('typing reports the whole document to onChange; setDoc replaces it quietly with its own history', async ({ page }) => {
  await mount(page);
  await toEnd(page);
  await page.keyboard.type('  restartPolicy: Always');
  const doc = await getDoc(page);
  check(doc.endsWith('\n  restartPolicy: Always'), `typed text missing: ${JSON.stringify(doc.slice(-40))}`);
  const changes = await page.evaluate(() => window.changes);
  check(changes.length >= 1, 'onChange was never called');
  same(changes.at(-1), doc, 'the last onChange text');

  await page.evaluate(() => window.handle.setDoc('kind: ConfigMap\n'));
  same(await getDoc(page), 'kind: ConfigMap\n', 'document after setDoc');
  same((await page.evaluate(() => window.changes)).length, changes.length, 'onChange calls after setDoc');
  await editor(page).focus();
  await page.keyboard.press('Control+z');
  same(await getDoc(page), 'kind: ConfigMap\n', 'undo right after setDoc (history must start afresh)');
  await page.keyboard.type('x');
  same(await getDoc(page), 'xkind: ConfigMap\n', 'typing after setDoc (cursor at the start)');
  await page.keyboard.press('Control+z');
  same(await getDoc(page), 'kind: ConfigMap\n', 'undo of the new edit');
});

test('the document round-trips byte for byte; CR and no-break spaces are shown', async ({ page }) => {
  const text = 'kind: Pod\r\nmetadata:\r\n\u00a0 name: x\r\n\u2028\ttab\n';
  await mount(page, text);
  same(await getDoc(page), text, 'getDoc after createEditor');
  await page.evaluate((text) => window.handle.setDoc(text), text);
  same(await getDoc(page), text, 'getDoc after setDoc');
  same(await page.locator('.cm-line').count(), 5, 'lines (LF ends a line, nothing else does)');
  same(await page.locator('.cm-specialChar').count(), 5, 'marked characters (3 CR, 1 no-break space, U+2028)');
});

test('phrases translate CodeMirror\'s own strings', async ({ page }) => {
  await mount(page, WEB, { phrases: { Find: '查找' } });
  await editor(page).focus();
  await page.keyboard.press('Control+f');
  await page.getByRole('textbox', { name: '查找', exact: true }).waitFor({ timeout: TIMEOUT });
});

test('diagnostics mark the right text and gutter line, follow edits, and show their message', async ({ page }) => {
  await mount(page);
  await page.evaluate(() =>
    window.handle.setDiagnostics([
      { fromLine: 5, fromCol: 3, toLine: 5, toCol: 9, severity: 'warning', message: 'unknown field "labelz": the kubelet drops it' },
      // Columns count characters: the emoji is one column, two UTF-16 units.
      { fromLine: 11, fromCol: 34, toLine: 11, toCol: 35, severity: 'error', message: 'after the emoji' },
    ]),
  );
  same(await page.locator('.cm-lintRange-warning').allTextContents(), ['labelz'], 'warning range');
  same(await page.locator('.cm-lintRange-error').allTextContents(), ['x'], 'error range (after a surrogate pair)');
  const aligned = await page.evaluate(() => {
    const marker = document.querySelector('.cm-lint-marker-warning').getBoundingClientRect();
    const line = document.querySelectorAll('.cm-line')[4].getBoundingClientRect();
    return Math.abs(marker.top + marker.height / 2 - (line.top + line.height / 2)) < line.height / 2;
  });
  check(aligned, 'the gutter marker is not on line 5');

  // An edit above moves the mark with its text.
  await editor(page).focus();
  await page.keyboard.press('Control+Home');
  await page.keyboard.type('# header\n');
  same(await page.locator('.cm-lintRange-warning').allTextContents(), ['labelz'], 'warning range after an edit');

  await page.locator('.cm-lintRange-warning').hover();
  const tooltip = page.locator('.cm-tooltip-lint');
  await tooltip.waitFor({ timeout: TIMEOUT });
  check((await tooltip.textContent()).includes('unknown field "labelz"'), 'hover shows the message');

  await page.evaluate(() => window.handle.setDiagnostics('[]'));
  same(await page.locator('.cm-lintRange-warning, .cm-lintRange-error').count(), 0, 'marks after clearing');
});

test('goTo moves the cursor to a line and column, scrolls there and focuses; quietly', async ({ page }) => {
  const filler = Array.from({ length: 120 }, (_, i) => `# filler ${i + 1}`).join('\n');
  const doc = `${WEB}${filler}\nlast: line\n`;
  const lastLine = doc.split('\n').length - 1;
  await mount(page, doc);
  await page.locator('#before').focus();
  const lineVisible = (n) =>
    page.evaluate((n) => {
      const scroller = document.querySelector('.cm-scroller').getBoundingClientRect();
      const line = [...document.querySelectorAll('.cm-line')].find((l) => l.textContent === (n === 'last' ? 'last: line' : n));
      if (!line) return false;
      const r = line.getBoundingClientRect();
      return r.top >= scroller.top && r.bottom <= scroller.bottom;
    }, n);
  same(await lineVisible('last'), false, 'the last line visible before goTo');

  await page.evaluate((line) => window.handle.goTo(line, 7), lastLine);
  check(await editor(page).evaluate((el) => el === document.activeElement), 'goTo did not focus the editor');
  try {
    await page.waitForFunction(() => {
      const scroller = document.querySelector('.cm-scroller').getBoundingClientRect();
      const line = [...document.querySelectorAll('.cm-line')].find((l) => l.textContent === 'last: line');
      return line && line.getBoundingClientRect().bottom <= scroller.bottom;
    }, null, { timeout: TIMEOUT });
  } catch {
    throw new Error('goTo did not scroll the last line into view');
  }
  same((await page.evaluate(() => window.changes)).length, 0, 'onChange calls after goTo');
  await page.keyboard.type('X');
  check((await getDoc(page)).endsWith('\nlast: Xline\n'), 'typing after goTo(last, 7) went elsewhere');

  // Columns are characters: column 34 of line 11 is just after the emoji.
  await page.evaluate(() => window.handle.goTo(11, 34));
  await page.keyboard.type('!');
  check((await getDoc(page)).includes('echo 😀!x"]'), 'goTo(11, 34) did not land after the emoji');

  // Next to a bracket, it and its partner are outlined in the page's --ok colour.
  await page.evaluate(() => window.handle.goTo(5, 11));
  const brackets = await page.evaluate(() => {
    const probe = document.createElement('span');
    probe.style.color = 'var(--ok)';
    document.body.append(probe);
    const ok = getComputedStyle(probe).color;
    probe.remove();
    return [...document.querySelectorAll('.cm-matchingBracket')].map((b) => {
      const style = getComputedStyle(b);
      return `${b.textContent} ${style.outlineStyle} ${style.outlineColor === ok}`;
    });
  });
  same(brackets, ['{ solid true', '} solid true'], 'matching brackets at 5:11');

  // Stale or odd positions are clamped: past the end of a line, past the last line, garbage.
  await page.evaluate(() => window.handle.goTo(1, 500));
  await page.keyboard.type('#');
  check((await getDoc(page)).startsWith('apiVersion: v1#\n'), 'goTo(1, 500) is not the end of line 1');
  await page.evaluate(() => window.handle.goTo(10000, 3));
  await page.keyboard.type('$');
  check((await getDoc(page)).endsWith('\nlast: Xline\n$'), 'goTo past the last line is not the end');
  await page.evaluate(() => window.handle.goTo('x', -1));
  await page.keyboard.type('^');
  check((await getDoc(page)).startsWith('^apiVersion'), 'goTo(garbage) is not the start');
});

test('stale or odd diagnostics are clamped, never thrown', async ({ page }) => {
  await mount(page, 'a: 1\nb: 2\nc: 3\n');
  const error = await page.evaluate(() => {
    try {
      window.handle.setDiagnostics(
        JSON.stringify([
          { fromLine: 99, fromCol: 500, severity: 'error', message: 'past the end' },
          { fromLine: 'x', fromCol: -3, toLine: null, toCol: 2, severity: 'fatal', message: 'line 1' },
          { fromLine: 3, fromCol: 400, toLine: 2, toCol: 1, severity: 'warning', message: 'reversed' },
          null,
        ]),
      );
      return null;
    } catch (err) {
      return String(err);
    }
  });
  same(error, null, 'setDiagnostics error');
  same(await page.locator('.cm-lintRange-info').allTextContents(), ['a'], 'garbage line and column clamp to 1:1');
  same(await page.locator('.cm-lintRange-warning').allTextContents(), ['b: 2', 'c: 3'], 'reversed range (marked line by line)');
  same(await page.locator('.cm-lint-marker-error').count(), 1, 'a marker for the diagnostic past the end');
});

test('Ctrl-S calls onSave and keeps the browser from saving, also from the search field', async ({ page }) => {
  await mount(page);
  await editor(page).focus();
  await page.keyboard.press('Control+s');
  same(await page.evaluate(() => window.saves), 1, 'onSave calls');
  await page.keyboard.press('Control+f');
  const find = page.getByRole('textbox', { name: 'Find', exact: true });
  await find.waitFor({ timeout: TIMEOUT });
  await page.keyboard.type('static-web');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+s');
  same(await page.evaluate(() => window.saves), 2, 'onSave calls from the search field');
  same(await page.evaluate(() => window.savePrevented), [true, true], 'default prevented');
  await page.keyboard.press('Escape');
  check(await editor(page).evaluate((el) => el === document.activeElement), 'Escape in search returns to the text');
  try {
    await page.waitForFunction(() => getSelection().toString() === 'static-web', null, { timeout: TIMEOUT });
  } catch {
    throw new Error(`the search did not select its match: ${JSON.stringify(await page.evaluate(() => getSelection().toString()))}`);
  }
});

test('read-only: no edits, no Tab hint, Tab leaves at once; and back', async ({ page }) => {
  await mount(page, WEB, { readOnly: true });
  const box = editor(page);
  same(await box.getAttribute('aria-readonly'), 'true', 'aria-readonly');
  same(await box.getAttribute('aria-describedby'), null, 'description while read-only');
  same(await page.locator('.cm-tab-hint').isVisible(), false, 'hint visible while read-only');
  await toEnd(page);
  await page.keyboard.type('nope');
  same(await getDoc(page), WEB, 'document after typing read-only');
  await page.keyboard.press('Tab');
  same(await page.evaluate(() => document.activeElement.id), 'after', 'focus after Tab while read-only');

  await page.evaluate(() => window.handle.setReadOnly(false));
  same(await box.getAttribute('aria-readonly'), null, 'aria-readonly after setReadOnly(false)');
  same(await page.locator('.cm-tab-hint').isVisible(), true, 'hint visible again');
  await toEnd(page);
  await page.keyboard.type('#');
  same(await getDoc(page), `${WEB}#`, 'document after typing editable');
});

/** WCAG contrast of every highlighted token against the editor and the active line. */
function contrasts() {
  const rgb = (css) => css.match(/[\d.]+/g).slice(0, 3).map(Number);
  const ratio = (a, b) => window.contrast(`rgb(${a})`, `rgb(${b})`);
  const bg = rgb(getComputedStyle(document.querySelector('.cm-editor')).backgroundColor);
  const active = rgb(getComputedStyle(document.querySelector('.cm-activeLine')).backgroundColor);
  const gutter = document.querySelector('.cm-gutters');
  const out = [];
  const colours = new Map();
  for (const span of document.querySelectorAll('.cm-line span')) {
    colours.set(getComputedStyle(span).color, span.textContent);
  }
  colours.set(getComputedStyle(document.querySelector('.cm-line')).color, 'plain text');
  for (const [colour, text] of colours) {
    out.push({ text, min: Math.min(ratio(rgb(colour), bg), ratio(rgb(colour), active)) });
  }
  out.push({
    text: 'line numbers',
    min: ratio(rgb(getComputedStyle(gutter).color), rgb(getComputedStyle(gutter).backgroundColor)),
  });
  return { bg: `rgb(${bg.join(', ')})`, tokens: colours.size, out };
}

// Every token kind the YAML grammar tags: comment, `---`, key, quoted and plain values, an
// anchor, a tag and a block literal's header.
const ALL_TOKENS = `# a static pod
---
apiVersion: v1
kind: Pod
metadata:
  name: static-web
  labelz: &web {app: web}
spec:
  containers:
  - name: web
    image: "nginx:1.27"
    args: !!seq
    - |
      echo hello
`;

test('themes: the page colours apply, YAML tokens meet AA in both; screenshots', async ({ page }) => {
  await mount(page, ALL_TOKENS);
  await page.evaluate(() =>
    window.handle.setDiagnostics([
      { fromLine: 7, fromCol: 3, toLine: 7, toCol: 9, severity: 'warning', message: 'unknown field "labelz"' },
    ]),
  );
  await editor(page).focus();
  await page.keyboard.press('Control+Home');
  await mkdir(SHOTS, { recursive: true });
  for (const dark of [false, true]) {
    const name = dark ? 'dark' : 'light';
    await page.evaluate((dark) => {
      document.documentElement.dataset.theme = dark ? 'dark' : 'light';
      window.handle.setTheme(dark);
    }, dark);
    await highlighted(page, 7);
    const seen = await page.evaluate(contrasts);
    same(seen.bg, dark ? 'rgb(10, 14, 19)' : 'rgb(255, 255, 255)', `${name} editor background`);
    check(seen.tokens >= 7, `${name}: only ${seen.tokens} token colours`);
    const weak = seen.out.filter((t) => t.min < 4.5);
    check(!weak.length, `${name}: contrast below 4.5: ${JSON.stringify(weak)}`);
    await page.locator('main').screenshot({ path: join(SHOTS, `editor-${name}.png`) });
  }
  // Dark, with the search panel open and a diagnostic's tooltip.
  await page.keyboard.press('Control+f');
  await page.keyboard.type('web');
  await page.locator('.cm-lintRange-warning').hover();
  await page.locator('.cm-tooltip-lint').waitFor({ timeout: TIMEOUT });
  await page.locator('main').screenshot({ path: join(SHOTS, 'editor-dark-panels.png') });
  for (const dark of [false, true]) {
    const weak = await page.evaluate((dark) => {
      document.documentElement.dataset.theme = dark ? 'dark' : 'light';
      window.handle.setTheme(dark);
      const out = [];
      for (const match of document.querySelectorAll('.cm-searchMatch')) {
        const bg = getComputedStyle(match).backgroundColor;
        for (const el of [match, ...match.querySelectorAll('*')]) {
          out.push({ text: el.textContent, ratio: contrast(getComputedStyle(el).color, bg) });
        }
      }
      return out.length ? out.filter((t) => t.ratio < 4.5) : 'no search matches';
    }, dark);
    same(weak, [], `search matches below 4.5 (${dark ? 'dark' : 'light'})`);
  }

  // Without the page's custom properties the facade's own palette takes over.
  await page.evaluate(() => document.querySelector('link[rel=stylesheet]').remove());
  same((await page.evaluate(contrasts)).bg, 'rgb(10, 14, 19)', 'dark fallback background');
  await page.evaluate(() => window.handle.setTheme(false));
  const light = await page.evaluate(contrasts);
  same(light.bg, 'rgb(255, 255, 255)', 'light fallback background');
  check(!light.out.some((t) => t.min < 4.5), `fallback contrast: ${JSON.stringify(light.out)}`);
});

test('diagnostics take the page\'s status colours, 3:1 against the editor, with distinct shapes', async ({ page }) => {
  await mount(page, 'a: 1\nb: 2\nc: 3\n');
  await page.evaluate(() =>
    window.handle.setDiagnostics([
      { fromLine: 1, fromCol: 1, toLine: 1, toCol: 2, severity: 'error', message: 'e' },
      { fromLine: 2, fromCol: 1, toLine: 2, toCol: 2, severity: 'warning', message: 'w' },
      { fromLine: 3, fromCol: 1, toLine: 3, toCol: 2, severity: 'info', message: 'i' },
    ]),
  );
  for (const theme of ['light', 'dark']) {
    const seen = await page.evaluate((dark) => {
      document.documentElement.dataset.theme = dark ? 'dark' : 'light';
      window.handle.setTheme(dark);
      const probe = document.createElement('span');
      document.body.append(probe);
      const resolve = (name) => {
        probe.style.color = `var(${name})`;
        return getComputedStyle(probe).color;
      };
      const want = { error: resolve('--bad'), warning: resolve('--warn'), info: resolve('--accent') };
      probe.remove();
      const bg = getComputedStyle(document.querySelector('.cm-editor')).backgroundColor;
      const gutter = getComputedStyle(document.querySelector('.cm-gutters')).backgroundColor;
      const out = {};
      for (const severity of ['error', 'warning', 'info']) {
        const range = getComputedStyle(document.querySelector(`.cm-lintRange-${severity}`));
        const marker = getComputedStyle(document.querySelector(`.cm-lint-marker-${severity}`));
        out[severity] = {
          underline: range.textDecorationColor === want[severity] && range.textDecorationStyle === 'wavy',
          image: range.backgroundImage,
          marker: marker.backgroundColor === want[severity],
          shape: `${marker.borderRadius} ${marker.clipPath}`,
          contrast: Math.min(contrast(want[severity], bg), contrast(want[severity], gutter)) >= 3,
        };
      }
      return out;
    }, theme === 'dark');
    same(
      seen,
      {
        error: { underline: true, image: 'none', marker: true, shape: '50% none', contrast: true },
        warning: { underline: true, image: 'none', marker: true, shape: '0px polygon(50% 0px, 100% 100%, 0px 100%)', contrast: true },
        info: { underline: true, image: 'none', marker: true, shape: '1px none', contrast: true },
      },
      `${theme} diagnostics`,
    );
  }
  await page.locator('#host').screenshot({ path: join(SHOTS, 'editor-dark-diagnostics.png') });
});

test('axe finds no serious or critical violations in the editor, light and dark', async ({ page }) => {
  await mount(page);
  await page.evaluate(() =>
    window.handle.setDiagnostics([{ fromLine: 5, fromCol: 3, toLine: 5, toCol: 9, severity: 'error', message: 'x' }]),
  );
  await page.addScriptTag({ content: await readFile(AXE, 'utf8') });
  for (const dark of [false, true]) {
    await page.evaluate((dark) => {
      document.documentElement.dataset.theme = dark ? 'dark' : 'light';
      window.handle.setTheme(dark);
    }, dark);
    const results = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const r = await axe.run('#host', { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
    });
    const bad = results.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    if (bad.length) throw new Error(`axe (${dark ? 'dark' : 'light'}): ${JSON.stringify(bad, null, 1)}`);
  }
});

test('destroy empties the parent and later calls do nothing', async ({ page }) => {
  await mount(page);
  const after = await page.evaluate(() => {
    const handle = window.handle;
    handle.destroy();
    handle.setDoc('x');
    handle.setDiagnostics([]);
    handle.setTheme(true);
    handle.setReadOnly(true);
    handle.goTo(1, 1);
    handle.focus();
    handle.destroy();
    return { children: document.getElementById('host').childElementCount, doc: handle.getDoc() };
  });
  same(after, { children: 0, doc: '' }, 'after destroy');
});

test('a failed load rejects with the URL, and the next createEditor tries again', async ({ page, server, problems }) => {
  const url = `${baseUrl(server)}${APP}codemirror.js`;
  await page.route('**/codemirror.js*', (route) => route.fulfill({ status: 503, body: 'down' }));
  const message = await page.evaluate(async () => {
    try {
      await window.facade.createEditor(document.getElementById('host'), 'a: 1\n', {}, null, null);
      return 'resolved';
    } catch (err) {
      return err.message;
    }
  });
  check(message.startsWith(`could not load the editor from ${url}`), `rejection: ${message}`);
  await page.unroute('**/codemirror.js*');
  problems.length = 0; // The 503 above was the point.
  await mount(page);
  same(await page.locator('.cm-editor').count(), 1, 'editors after the retry');
});

test('bad arguments are refused clearly', async ({ page }) => {
  const errors = await page.evaluate(async () => {
    const out = [];
    try {
      await window.facade.createEditor(null, '', {}, null, null);
    } catch (err) {
      out.push(err.message);
    }
    window.handle = await window.facade.createEditor(document.getElementById('host'), '', '{"dark":true}', null, null);
    try {
      window.handle.setDiagnostics({ fromLine: 1 });
    } catch (err) {
      out.push(err.message);
    }
    out.push(window.handle.getDoc());
    return out;
  });
  same(errors, ['createEditor: parent must be an Element', 'setDiagnostics: expected an array', ''], 'errors');
  same(await page.getByRole('textbox', { name: 'Editor', exact: true }).count(), 1, 'an unlabelled editor is named "Editor"');
});

// Lay out the files as dist/ has them: the page and the bundle side by side under a sub-path,
// the facade where wasm-bindgen puts its snippets.
const root = await mkdtemp(join(tmpdir(), 'editor-e2e-'));
await mkdir(join(root, APP, FACADE, '..'), { recursive: true });
await writeFile(join(root, APP, 'index.html'), PAGE);
await cp('styles/app.css', join(root, APP, 'app.css'));
await cp('vendor/codemirror.js', join(root, APP, 'codemirror.js'));
await cp('vendor/editor.js', join(root, APP, FACADE));

const server = await serve(root);
const browser = await launch();
let failed = 0;
const only = process.env.E2E_ONLY;
for (const { name, fn } of tests) {
  if (only && !name.includes(only)) continue;
  const started = Date.now();
  const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
  const page = await context.newPage();
  try {
    const problems = watchProblems(page);
    const requests = [];
    page.on('request', (req) => requests.push(req.url()));
    await page.goto(`${baseUrl(server)}${APP}`);
    await page.waitForSelector('body[data-ready=yes]', { timeout: TIMEOUT });
    await fn({ page, requests, server, problems });
    if (problems.length) throw new Error(problems.join('\n'));
    console.log(`editor e2e: ok   ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    failed += 1;
    console.error(`editor e2e: FAIL ${name}\n${err.stack ?? err}`);
    await mkdir(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `editor-failed-${tests.findIndex((t) => t.name === name)}.png`) });
  } finally {
    await context.close();
  }
}
await browser.close();
server.close();
await rm(root, { recursive: true, force: true });
const ran = only ? tests.filter((t) => t.name.includes(only)).length : tests.length;
console.log(`editor e2e: ${ran - failed} passed, ${failed} failed`);
if (failed) process.exit(1);
