// End-to-end tests of the browser app: the release bundle in dist/ served on 127.0.0.1 and
// driven in headless Chromium through playwright-core, by the accessible names a learner's
// assistive technology would use. No sleeps: every step waits for what it expects.
//
// Usage: node e2e/app.mjs [DIST_DIR]   (screenshots go to target/e2e/)

import { appendFile, copyFile, cp, mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

import { baseUrl, launch, serve, watchProblems } from './lib.mjs';

const DIST = resolve(process.argv[2] ?? 'dist');
const SHOTS = resolve('target/e2e');
const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const TIMEOUT = 20000;

const WEB = `apiVersion: v1
kind: Pod
metadata:
  name: static-web
spec:
  containers:
  - name: web
    image: nginx:1.27
`;

const tests = [];
function test(name, fn) {
  tests.push({ name, fn });
}

function terminal(page) {
  return page.getByRole('textbox', { name: 'Terminal', exact: true });
}

/** Opens the app with a fresh storage and closes the first-visit tour. */
async function open(browser, server, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, ...options });
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(baseUrl(server));
  await terminal(page).waitFor({ timeout: TIMEOUT });
  const tour = page.getByRole('dialog');
  if (await tour.isVisible()) await page.keyboard.press('Escape');
  await tour.waitFor({ state: 'hidden', timeout: TIMEOUT });
  return { context, page, problems };
}

/** Types `command` into the terminal and presses Enter; resolves to the command's block. */
async function run(page, command) {
  const before = await page.locator('.block').count();
  await terminal(page).click();
  await terminal(page).fill(command);
  await page.keyboard.press('Enter');
  const block = page.locator('.block').nth(before);
  await block.waitFor({ timeout: TIMEOUT });
  return block;
}

/** Pastes `text` (several lines) into the terminal as a learner's paste does. */
async function paste(page, text) {
  await terminal(page).click();
  await terminal(page).fill(text);
}

function podRow(page, name) {
  return page.locator('#pods-pane tr', { has: page.getByText(name, { exact: true }) });
}

/**
 * The Pods pane's rows are grids of their own: every cell in view must start where its
 * heading starts, and the table must still read as a table with a row per pod.
 */
async function expectPodColumnsAligned(page) {
  const misplaced = await page.evaluate(() => {
    const headings = [...document.querySelectorAll('#pods-pane thead th')].map((th) => th.getBoundingClientRect().left);
    const bad = [];
    for (const tr of document.querySelectorAll('#pods-pane tbody tr')) {
      const cells = [...tr.children];
      const box = tr.getBoundingClientRect();
      if (box.bottom < 0 || box.top > innerHeight) continue;
      cells.forEach((td, i) => {
        const left = td.getBoundingClientRect().left;
        if (Math.abs(left - headings[i]) > 0.5) bad.push(`${tr.textContent.slice(0, 40)}: column ${i} at ${left}, heading at ${headings[i]}`);
      });
      const name = cells[1];
      if (name.scrollWidth > name.clientWidth + 1) bad.push(`${name.textContent}: NAME overflows its column`);
    }
    return bad;
  });
  if (misplaced.length) throw new Error(`pod table columns:\n${misplaced.join('\n')}`);
  const rows = await page.locator('#pods-pane').getByRole('table').getByRole('row').count();
  const pods = await page.locator('#pods-pane tbody tr').count();
  if (rows !== pods + 1) throw new Error(`the pod table has ${rows} rows for assistive technology, ${pods} pods and a heading`);
}

async function expectText(locator, text, what) {
  try {
    await locator.getByText(text).first().waitFor({ timeout: TIMEOUT });
  } catch {
    throw new Error(`${what}: "${text}" did not appear; saw:\n${(await locator.innerText()).slice(0, 2000)}`);
  }
}

async function play(page) {
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
}

async function pause(page) {
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
}

test('kubectl in the terminal lists the control plane', async ({ page }) => {
  const block = await run(page, 'kubectl get pods -n kube-system');
  await expectText(block, 'etcd-controlplane', 'kubectl output');
  await expectText(block, 'kube-apiserver-controlplane', 'kubectl output');
});

test('a heredoc static pod appears in the Pods pane while playing, and its mirror comes back after a delete', async ({ page }) => {
  await paste(page, `cat <<'EOF' > /etc/kubernetes/manifests/web.yaml\n${WEB}EOF\n`);
  await play(page);
  const row = podRow(page, 'static-web-controlplane');
  await expectText(row, 'Running', 'the mirror pod row');
  await expectText(row, 'static pod on controlplane', 'the mirror badge');
  await pause(page);
  await expectPodColumnsAligned(page);
  const restarts = await row.locator('td').nth(4).innerText();
  await row.getByRole('button', { name: 'Delete static-web-controlplane' }).click();
  await expectText(page.locator('.block').last(), 'pod "static-web-controlplane" deleted', 'the row action');
  await play(page);
  await expectText(row, 'Running', 'the mirror pod after the delete');
  await pause(page);
  const after = await row.locator('td').nth(4).innerText();
  if (after !== restarts) throw new Error(`RESTARTS changed from ${restarts} to ${after}`);
});

test('crictl stop raises the container ATTEMPT in the node card', async ({ page }) => {
  await paste(page, `cat <<'EOF' > /etc/kubernetes/manifests/web.yaml\n${WEB}EOF\n`);
  await play(page);
  const card = page.getByRole('article', { name: 'controlplane' });
  const web = card.locator('tr', { has: page.getByText('static-web-controlplane') }).first();
  await expectText(web, 'Running', 'the web container');
  await pause(page);
  const id = (await web.locator('td').first().innerText()).trim();
  await run(page, `crictl stop ${id}`);
  await play(page);
  await expectText(card.locator('tr', { has: page.getByText('static-web-controlplane') }).first(), /^1$/, 'ATTEMPT 1');
  await pause(page);
});

test('a new static pod from the editor runs, and an edit recreates it', async ({ page }) => {
  const card = page.getByRole('article', { name: 'controlplane' });
  await card.getByRole('button', { name: 'New static pod' }).click();
  const editor = page.getByRole('textbox', { name: 'Manifest editor' });
  await editor.waitFor({ timeout: TIMEOUT });
  await expectText(page.locator('#editor-pane'), 'image: nginx:1.27', 'the template');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.locator('#editor-pane .badge.warn').waitFor({ state: 'detached', timeout: TIMEOUT });
  await play(page);
  const row = podRow(page, 'static-web-controlplane');
  await expectText(row, 'Running', 'the new static pod');
  await pause(page);
  const uid = await row.locator('.badge.mirror').getAttribute('title');

  // vi opens the file; change the image with the keyboard and save with Ctrl-S.
  await run(page, 'vi /etc/kubernetes/manifests/static-web.yaml');
  await editor.waitFor();
  await editor.click();
  const text = await editor.innerText();
  if (!text.includes('nginx:1.27')) throw new Error(`the editor shows: ${text}`);
  // A misspelt field: the kubelet would drop it silently; the editor says so at its line.
  await editor.press('Control+a');
  await page.keyboard.insertText(text.replace('image: nginx:1.27', 'image: nginx:1.27\n    imagePullPolcy: Always'));
  const problems = page.getByRole('list', { name: 'Problems' });
  await expectText(problems, 'imagePullPolcy": the kubelet ignores it (did you mean "imagePullPolicy"?)', 'the diagnostic');
  await expectText(problems, '11:5', 'the diagnostic position');
  await page.locator('#editor-pane .cm-lint-marker').first().waitFor({ timeout: TIMEOUT });
  // Fixed, with a new image: saving recreates the pod (a new hash, so REMOVE + ADD).
  await editor.press('Control+a');
  await page.keyboard.insertText(text.replace('nginx:1.27', 'nginx:1.26'));
  await problems.waitFor({ state: 'detached', timeout: TIMEOUT });
  await expectText(page.locator('#editor-pane .preview'), 'will be recreated', 'the save preview');
  await expectText(page.locator('#editor-pane'), 'unsaved', 'the unsaved marker');
  await editor.press('Control+s');
  await page.locator('#editor-pane .badge.warn').waitFor({ state: 'detached', timeout: TIMEOUT });
  const cat = await run(page, 'grep image: /etc/kubernetes/manifests/static-web.yaml');
  await expectText(cat, 'nginx:1.26', 'the saved file');
  await play(page);
  await page.waitForFunction(
    (old) => {
      const badge = [...document.querySelectorAll('#pods-pane tr')]
        .find((tr) => tr.textContent.includes('static-web-controlplane'))
        ?.querySelector('.badge.mirror');
      return badge && badge.getAttribute('title') !== old;
    },
    uid,
    { timeout: TIMEOUT },
  );
  await pause(page);
});

test('the line editor: Tab completion, Ctrl-C at the prompt, Ctrl-R, a heredoc typed line by line', async ({ page }) => {
  const input = terminal(page);
  await input.click();
  await input.fill('kubectl get po');
  await input.press('Tab');
  await page.waitForFunction(() => document.querySelector('textarea[aria-label="Terminal"]').value === 'kubectl get pods ');
  await input.fill('kubectl des');
  await input.press('Control+c');
  await expectText(page.locator('.block').last(), '^C', 'the abandoned line');
  const status = await run(page, 'echo $?');
  await expectText(status, '130', 'the status after Ctrl-C');
  await input.press('Control+r');
  await page.keyboard.type('echo');
  await expectText(page.locator('.line-editor'), "(reverse-i-search)`echo': echo $?", 'the search line');
  await page.keyboard.press('Escape');
  if ((await input.inputValue()) !== 'echo $?') throw new Error(`search left ${await input.inputValue()}`);
  await input.fill('cat <<EOF > /tmp/typed');
  await input.press('Enter');
  await expectText(page.locator('.line-editor'), '> ', 'the continuation prompt');
  await page.keyboard.type('typed line');
  await input.press('Enter');
  await page.keyboard.type('EOF');
  await input.press('Enter');
  const cat = await run(page, 'cat /tmp/typed');
  await expectText(cat, 'typed line', 'the heredoc');
  await input.press('Control+l');
  await page.locator('.block').first().waitFor({ state: 'detached', timeout: TIMEOUT });
});

test('with the API server manifest moved away the Pods pane keeps its last answer, greyed', async ({ page }) => {
  await run(page, 'mv /etc/kubernetes/manifests/kube-apiserver.yaml /tmp/');
  await play(page);
  await page.getByText('The API server is not answering').waitFor({ timeout: TIMEOUT });
  await pause(page);
  await expectText(page.locator('#pods-pane .stale'), 'etcd-controlplane', 'the last answer');
  const block = await run(page, 'kubectl get pods');
  await expectText(block, 'The connection to the server controlplane:6443 was refused', 'kubectl');
  await run(page, 'mv /tmp/kube-apiserver.yaml /etc/kubernetes/manifests/');
  await play(page);
  await page.getByText('The API server is not answering').waitFor({ state: 'detached', timeout: TIMEOUT });
  await pause(page);
});

test('kubectl get pods -w streams while the clock runs and Ctrl-C stops it; sleep fast-forwards', async ({ page }) => {
  const block = await run(page, 'kubectl get pods -A -w');
  await page.getByText('Running — press Ctrl-C to stop').waitFor({ timeout: TIMEOUT });
  // A command that keeps running starts a paused clock.
  await page.getByRole('button', { name: 'Pause', exact: true }).waitFor({ timeout: TIMEOUT });
  await page.getByRole('article', { name: 'controlplane' }).getByRole('button', { name: 'New static pod' }).click();
  await page.getByRole('textbox', { name: 'Manifest editor' }).waitFor({ timeout: TIMEOUT });
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expectText(block, 'static-web-controlplane', 'the streamed rows');
  await terminal(page).click();
  await terminal(page).press('Control+c');
  await expectText(block, '^C', 'the interrupted watch');
  await expectText(page.locator('.line-editor'), 'controlplane $', 'the prompt after Ctrl-C');
  await pause(page);
  const before = await page.locator('.clock-elapsed').innerText();
  const sleeping = await run(page, 'sleep 600');
  await page.locator('.block', { hasText: 'sleep 600' }).last().waitFor();
  await expectText(page.locator('.line-editor'), 'controlplane $', 'the prompt after the sleep');
  const after = await page.locator('.clock-elapsed').innerText();
  if (before === after) throw new Error(`the clock did not move: ${before}`);
  const status = await run(page, 'echo $?');
  await expectText(status, '0', 'the sleep status');
  void sleeping;
});

test('a reload brings the session back as it was', async ({ page }) => {
  await run(page, 'touch /root/remember-me');
  await run(page, 'ssh node01');
  await run(page, 'hostname');
  await page.reload();
  await terminal(page).waitFor({ timeout: TIMEOUT });
  await page.locator('.replay').waitFor({ state: 'detached', timeout: TIMEOUT });
  await expectText(page.locator('.scrollback'), 'remember-me', 'the restored scrollback');
  await expectText(page.locator('.line-editor'), 'node01 $', 'the restored prompt');
  const block = await run(page, 'ssh controlplane ls /root');
  await expectText(block, 'remember-me', 'the restored file');
  await terminal(page).press('ArrowUp');
  const recalled = await terminal(page).inputValue();
  if (recalled !== 'ssh controlplane ls /root') throw new Error(`history recalled ${JSON.stringify(recalled)}`);
});

test('the page has no serious or critical accessibility violations, in either theme', async ({ page }) => {
  await run(page, 'kubectl get pods');
  await page.getByRole('article', { name: 'controlplane' }).getByRole('button', { name: 'New static pod' }).click();
  await page.getByRole('textbox', { name: 'Manifest editor' }).waitFor({ timeout: TIMEOUT });
  await page.getByRole('list', { name: 'Problems' }).or(page.locator('.preview')).first().waitFor({ timeout: TIMEOUT });
  await page.addScriptTag({ content: await readFile(AXE, 'utf8') });
  const scan = async (theme) => {
    const results = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
    });
    const bad = results.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    if (bad.length) throw new Error(`axe (${theme}): ${JSON.stringify(bad, null, 1)}`);
  };
  await scan('first theme');
  const toggle = page.getByRole('button', { name: /^(Dark|Light) theme$/ });
  await toggle.click();
  await page.waitForFunction(() => document.documentElement.dataset.theme);
  await scan('the other theme');
});

test('damaged saved data is explained and a fresh start works', async ({ browser, server }) => {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem('kubelet-playground/session', '{"format":1,"seed":1,"inputs":[{"cmd":');
      localStorage.setItem('kubelet-playground/settings', '{"tour_seen":true}');
      sessionStorage.setItem('seeded', '1');
    }
  });
  const page = await context.newPage();
  const problems = watchProblems(page);
  try {
    await page.goto(baseUrl(server));
    const dialog = page.getByRole('dialog', { name: 'Your last session could not be restored' });
    await dialog.waitFor({ timeout: TIMEOUT });
    await expectText(dialog, 'the saved session is damaged', 'the explanation');
    await dialog.getByRole('button', { name: 'Start fresh' }).click();
    const block = await run(page, 'hostname');
    await expectText(block, 'controlplane', 'a fresh session');
    // The fresh session replaced the damaged one.
    const saved = await page.evaluate(() => localStorage.getItem('kubelet-playground/session'));
    if (!saved.includes('"cmd":"hostname')) throw new Error(`saved: ${saved}`);
    if (problems.length) throw new Error(problems.join('\n'));
  } finally {
    await context.close();
  }
});

test('without storage the learner is told work is not saved, and the app still works', async ({ browser, server }) => {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    Storage.prototype.setItem = function () {
      throw new DOMException('quota', 'QuotaExceededError');
    };
  });
  const page = await context.newPage();
  try {
    await page.goto(baseUrl(server));
    await terminal(page).waitFor({ timeout: TIMEOUT });
    await page.keyboard.press('Escape');
    await page.getByText('Your work is not being saved').waitFor({ timeout: TIMEOUT });
    const block = await run(page, 'echo still here');
    await expectText(block, 'still here', 'the terminal');
  } finally {
    await context.close();
  }
});

test('Reset asks first, then boots a fresh cluster', async ({ page }) => {
  await run(page, 'touch /root/gone-after-reset');
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Start over?' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expectText(page.locator('.scrollback'), 'gone-after-reset', 'the kept session');
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await page.getByRole('dialog', { name: 'Start over?' }).getByRole('button', { name: 'Reset' }).click();
  const block = await run(page, 'ls /root');
  if ((await block.innerText()).includes('gone-after-reset')) throw new Error('the file survived the reset');
});

function lessonPanel(page) {
  return page.locator('#lesson-pane');
}

async function pickLesson(page, id) {
  await page.getByRole('combobox', { name: 'Lesson', exact: true }).selectOption(id);
  await lessonPanel(page).getByRole('list', { name: 'Steps' }).waitFor({ timeout: TIMEOUT });
}

/** Answers the open step's "predict first" question, if it asks one, with its first choice. */
async function answerIfAsked(panel) {
  const question = panel.getByRole('group', { name: 'Predict first' });
  if (!(await question.isVisible())) return;
  await question.getByRole('button').first().click();
  await panel.locator('.explanation').waitFor({ timeout: TIMEOUT });
}

test('a lesson is completed in the browser by clicking its command blocks, and a reload keeps it done', async ({ page }) => {
  await pickLesson(page, 'meet-your-node');
  const panel = lessonPanel(page);
  await expectText(panel, 'Step 1 of 2', 'the first step');
  await answerIfAsked(panel);
  await panel.getByRole('button', { name: 'Run: systemctl restart kubelet' }).click();
  await expectText(page.locator('.scrollback'), 'systemctl restart kubelet', 'the command echoed as if typed');
  await expectText(panel, 'Step 2 of 2', 'the second step opening by itself');
  await answerIfAsked(panel);
  await panel.getByRole('button', { name: 'Run: cp -r /etc/kubernetes/manifests /root/manifests-backup' }).click();
  await expectText(panel, 'Lesson complete', 'the end of the lesson');
  const checks = await panel.locator('.check.done').count();
  if (checks !== 2) throw new Error(`${checks} steps ticked, expected 2`);
  const picked = page.getByRole('combobox', { name: 'Lesson', exact: true }).locator('option:checked');
  if (!(await picked.innerText()).includes('✓')) throw new Error(`picker says ${await picked.innerText()}`);
  await page.reload();
  await page.locator('.replay').waitFor({ state: 'detached', timeout: TIMEOUT });
  await expectText(lessonPanel(page), 'Lesson complete', 'the lesson after a reload');
});

test('hints come one at a time, the solution fills the command line, restart step goes back', async ({ page }) => {
  await pickLesson(page, 'mirror-mirror');
  const panel = lessonPanel(page);
  await answerIfAsked(panel);
  await panel.getByRole('button', { name: 'Show a hint' }).click();
  await panel.locator('.hint').first().waitFor({ timeout: TIMEOUT });
  await panel.getByRole('button', { name: 'Show the solution' }).click();
  await panel.getByRole('button', { name: 'Put on the command line' }).first().click();
  const line = await terminal(page).inputValue();
  if (line !== 'kubectl delete pod web-controlplane') throw new Error(`the line holds ${JSON.stringify(line)}`);
  const blocks = await page.locator('.block').count();
  if (blocks !== 0) throw new Error('the solution ran instead of waiting on the line');
  await terminal(page).press('Enter');
  await expectText(panel, 'Step 2 of 2', 'the next step');
  if (await panel.locator('.hint').count()) throw new Error('the new step opened with the old hints');
  await run(page, 'touch /root/undo-me');
  await panel.getByRole('button', { name: 'Restart step' }).click();
  await page.locator('.replay').waitFor({ state: 'detached', timeout: TIMEOUT });
  await expectText(panel, 'Step 2 of 2', 'the same step');
  const block = await run(page, 'ls /root');
  if ((await block.innerText()).includes('undo-me')) throw new Error('restart step kept what came after the step began');
});

test('switching lessons keeps each session, and the sandbox stays', async ({ page }) => {
  await run(page, 'touch /root/sandbox-file');
  await pickLesson(page, 'mirror-mirror');
  await run(page, 'touch /root/lesson-file');
  await page.getByRole('combobox', { name: 'Lesson', exact: true }).selectOption('');
  await lessonPanel(page).waitFor({ state: 'detached', timeout: TIMEOUT });
  await page.locator('.replay').waitFor({ state: 'detached', timeout: TIMEOUT });
  let block = await run(page, 'ls /root');
  await expectText(block, 'sandbox-file', 'the sandbox session');
  await pickLesson(page, 'mirror-mirror');
  await page.locator('.replay').waitFor({ state: 'detached', timeout: TIMEOUT });
  block = await run(page, 'ls /root');
  await expectText(block, 'lesson-file', 'the lesson session');
});

test('the lesson panel has no serious or critical accessibility violations, in Chinese too', async ({ page }) => {
  await pickLesson(page, 'meet-your-node');
  await page.addScriptTag({ content: await readFile(AXE, 'utf8') });
  const scan = async (what) => {
    const results = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
    });
    const bad = results.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    if (bad.length) throw new Error(`axe (${what}): ${JSON.stringify(bad, null, 1)}`);
  };
  await scan('question');
  await answerIfAsked(lessonPanel(page));
  await lessonPanel(page).getByRole('button', { name: 'Show the solution' }).click();
  await scan('step text and solution');
  await page.getByRole('combobox', { name: 'Language', exact: true }).selectOption('zh-CN');
  await expectText(lessonPanel(page), '第 1 步，共 2 步', 'the Chinese panel');
  await scan('Chinese');
});

test('a challenge shows only its task and a timer; its result scores each check and explains each miss', async ({ page }) => {
  await page.getByRole('combobox', { name: 'Lesson', exact: true }).selectOption('challenge-scheduler-down');
  const panel = lessonPanel(page);
  const timer = panel.getByRole('timer');
  await timer.waitFor({ timeout: TIMEOUT });
  if (!/^\d+:\d\d left$/.test(await timer.innerText())) throw new Error(`timer reads ${await timer.innerText()}`);
  if (await panel.getByRole('button', { name: 'Show a hint' }).count()) throw new Error('a challenge offers hints');
  await panel.getByRole('button', { name: 'Check my work' }).click();
  await expectText(panel, 'of 4 checks pass', 'the score');
  const missed = panel.locator('.result-check.missed');
  if ((await missed.count()) === 0) throw new Error('nothing missed at the start');
  await expectText(missed.first(), 'kube-scheduler.yaml', 'the explanation of a miss');
  await panel.getByRole('button', { name: 'Keep working' }).click();
  await run(page, 'for d in /root/backup /tmp/k8s-parked /opt/manifests.old; do test -f $d/kube-scheduler.yaml && mv $d/kube-scheduler.yaml /etc/kubernetes/manifests/; done');
  await run(page, 'sleep 60');
  await expectText(page.locator('.line-editor'), 'controlplane $', 'the prompt after the sleep');
  await panel.getByRole('button', { name: 'Check my work' }).click();
  await expectText(panel, '4 of 4 checks pass', 'the score after the fix');
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, 'challenge.png') });
});

test('the course page embeds two lessons from a sub-path, drives one with run-command and hears lesson-completed', async ({ browser }) => {
  const site = await mkdtemp(join(tmpdir(), 'kp-site-'));
  await copyFile('examples/course-page.html', join(site, 'course-page.html'));
  await symlink(DIST, join(site, 'playground'));
  const siteServer = await serve(site);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = watchProblems(page);
  try {
    await page.goto(`${baseUrl(siteServer)}course-page.html`);
    const first = page.frameLocator('#meet iframe');
    const second = page.frameLocator('#mirror iframe');
    await first.getByRole('textbox', { name: 'Terminal', exact: true }).waitFor({ timeout: TIMEOUT });
    await second.getByRole('textbox', { name: 'Terminal', exact: true }).waitFor({ timeout: TIMEOUT });
    await expectText(page.locator('#events'), 'ready', 'the ready message');
    await first.locator('#lesson-pane').getByText('Step 1 of 2').waitFor({ timeout: TIMEOUT });
    await page.getByRole('button', { name: /systemctl restart kubelet/ }).click();
    await expectText(page.locator('#events'), 'step-completed meet-your-node step 1', 'the first step');
    await page.getByRole('button', { name: /backup/ }).click();
    await expectText(page.getByRole('list', { name: 'Lessons completed' }), 'meet-your-node', 'lesson-completed');
    await expectText(page.locator('#events'), 'command controlplane $ cp -r /etc/kubernetes/manifests /root/manifests-backup → 0', 'the command message');
    if ((await page.getByRole('list', { name: 'Lessons completed' }).innerText()).includes('mirror-mirror')) {
      throw new Error('the other lesson reported a completion');
    }
    // The second playground kept its own session.
    await second.locator('#lesson-pane').getByText('Step 1 of 2').waitFor({ timeout: TIMEOUT });
    await mkdir(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'course-page.png'), fullPage: true });
    if (problems.length) throw new Error(problems.join('\n'));
  } finally {
    await context.close();
    siteServer.close();
  }
});

test('a share link replays the session in a fresh browser, and a damaged one is explained', async ({ page, browser, server }) => {
  await run(page, 'touch /root/shared-file');
  await run(page, 'ssh node01');
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Share this session' });
  const url = await dialog.getByRole('textbox').inputValue();
  if (!url.includes('#s=1.')) throw new Error(`share URL ${url}`);
  await dialog.getByRole('button', { name: 'Close' }).click();
  const context = await browser.newContext();
  const other = await context.newPage();
  try {
    await other.goto(url);
    await terminal(other).waitFor({ timeout: TIMEOUT });
    await other.locator('.replay').waitFor({ state: 'detached', timeout: TIMEOUT });
    await expectText(other.locator('.line-editor'), 'node01 $', 'the shared prompt');
    const block = await run(other, 'ssh controlplane ls /root');
    await expectText(block, 'shared-file', 'the shared file');
    if (other.url().includes('#s=')) throw new Error('the fragment stayed in the address bar');
    const third = await context.newPage();
    await third.goto(`${baseUrl(server)}#s=1.notalink`);
    const broken = third.getByRole('dialog', { name: 'Your last session could not be restored' });
    await broken.waitFor({ timeout: TIMEOUT });
    await expectText(broken, 'the shared link is damaged', 'the explanation');
  } finally {
    await context.close();
  }
});

test('markup typed, saved, named, printed by a pod or shared renders as text and runs nothing', async ({ page, browser }) => {
  // Any dialog, failed request (an <img src=x> would fetch /x) or console error fails the test.
  const img = '<img src=x onerror=alert(1)>';
  const script = '</script><b>bold</b><script>alert(2)</script>';
  const echoed = await run(page, `echo '${img}${script}'`);
  await expectText(echoed, `${img}${script}`, 'the terminal shows the markup as text');
  // A file named with markup and holding it: the node card lists the name, the editor shows
  // the text.
  const file = `/etc/kubernetes/manifests/${img}.yaml`;
  await run(page, `printf '# %s\\n' '${script}' > '${file}'`);
  await play(page);
  await expectText(page.locator('#nodes-pane'), `${img}.yaml`, 'the node card lists the file');
  await pause(page);
  await page.locator('#nodes-pane').getByText(`${img}.yaml`, { exact: true }).click();
  await expectText(page.locator('.cm-content'), script, 'the editor shows the text');
  // A pod whose container prints markup.
  await run(page, `kubectl run printer --image=busybox --restart=Never -- echo '${img}'`);
  await page.getByText('60×', { exact: true }).click();
  await play(page);
  await expectText(podRow(page, 'printer'), 'Completed', 'the printer pod');
  await pause(page);
  const logs = await run(page, 'kubectl logs printer');
  await expectText(logs, img, 'the pod output as text');
  // A share link carries it all to a fresh page.
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Share this session' });
  const url = await dialog.getByRole('textbox').inputValue();
  await dialog.getByRole('button', { name: 'Close' }).click();
  const context = await browser.newContext();
  const other = await context.newPage();
  const problems = watchProblems(other);
  try {
    await other.goto(url);
    await other.locator('.replay').waitFor({ state: 'detached', timeout: TIMEOUT });
    await expectText(other.locator('.block').first(), `${img}${script}`, 'the shared terminal');
    for (const p of [page, other]) {
      const injected = await p.evaluate(() => ({
        img: document.querySelectorAll('img[src="x"]').length,
        bold: [...document.querySelectorAll('b')].filter((b) => b.textContent === 'bold').length,
        scripts: [...document.querySelectorAll('script')].filter((s) => s.textContent.includes('alert')).length,
      }));
      if (injected.img || injected.bold || injected.scripts) throw new Error(`markup reached the DOM: ${JSON.stringify(injected)}`);
    }
    if (problems.length) throw new Error(problems.join('\n'));
  } finally {
    await context.close();
  }
});

test('an embedded read-only demo shows the lesson without site chrome and takes no typing', async ({ browser, server }) => {
  const context = await browser.newContext({ viewport: { width: 720, height: 480 } });
  const page = await context.newPage();
  const problems = watchProblems(page);
  try {
    await page.goto(`${baseUrl(server)}?embed=1&lesson=mirror-mirror&readonly=1&lang=zh-CN`);
    await expectText(page.locator('#lesson-pane'), '第 1 步，共 2 步', 'the lesson panel, first in an embedded lesson');
    if (await page.locator('.app-title').isVisible()) throw new Error('site chrome in the embed');
    await page.getByRole('button', { name: '在完整的 playground 中打开' }).waitFor({ timeout: TIMEOUT });
    await mkdir(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'embed.png') });
    await page.getByRole('tab', { name: '终端' }).click();
    const line = page.getByRole('textbox', { name: '终端', exact: true });
    await line.waitFor({ timeout: TIMEOUT });
    if (!(await line.isDisabled())) throw new Error('the terminal takes input');
    if (problems.length) throw new Error(problems.join('\n'));
  } finally {
    await context.close();
  }
});

test('offline after the first visit, and a new release is announced', async ({ browser }) => {
  const copy = await mkdtemp(join(tmpdir(), 'kp-dist-'));
  await cp(DIST, copy, { recursive: true });
  const copyServer = await serve(copy);
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(baseUrl(copyServer));
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: TIMEOUT });
    await context.setOffline(true);
    await page.reload();
    await terminal(page).waitFor({ timeout: TIMEOUT });
    await page.keyboard.press('Escape');
    const block = await run(page, 'hostname');
    await expectText(block, 'controlplane', 'the offline app');
    await context.setOffline(false);
    // A new release: one file changes, so the worker and its cache name change.
    await appendFile(join(copy, 'embed.js'), '\n// a new release\n');
    execFileSync('bash', ['scripts/build-sw', copy]);
    await page.reload();
    await page.getByText('A new version of kubelet-playground is ready').waitFor({ timeout: TIMEOUT });
  } finally {
    await context.close();
    copyServer.close();
  }
});

test("a teacher's own lesson loads from another origin, shows where it came from, and is completed", async ({ browser, server }) => {
  const runner = resolve('target/debug/kubelet-playground');
  const json = execFileSync(runner, ['lesson', 'build', 'examples/author-lesson.yaml']);
  const site = await mkdtemp(join(tmpdir(), 'kp-teacher-'));
  await writeFile(join(site, 'label.json'), json);
  await writeFile(join(site, 'broken.json'), '{"id": "x"}');
  // The same lesson with markup in its title, its text and a code span.
  const img = '<img src=x onerror=alert(1)>';
  const markup = JSON.parse(json);
  markup.id = 'markup-lesson';
  markup.title.en = `${img} title`;
  markup.steps[0].title.en = `</script><b>bold</b> step`;
  markup.steps[0].text.en[0].paragraph = [{ text: `${img} text ` }, { code: '<script>alert(2)</script>' }];
  await writeFile(join(site, 'markup.json'), JSON.stringify(markup));
  const teacher = await serve(site, { cors: true });
  // The same host under another name is another origin.
  const teacherUrl = baseUrl(teacher).replace('127.0.0.1', 'localhost');
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`${baseUrl(server)}?lesson-url=${encodeURIComponent(teacherUrl + 'label.json')}`);
    const panel = lessonPanel(page);
    await expectText(panel, "An author's lesson from http://localhost:", 'the origin');
    await expectText(panel, 'Label it in the manifest', 'the step');
    await panel.getByRole('button', { name: /^Run: sed -i/ }).click();
    await expectText(panel, 'Lesson complete', 'the end of the author lesson');
    await page.goto(`${baseUrl(server)}?lesson-url=${encodeURIComponent(teacherUrl + 'broken.json')}`);
    const dialog = page.getByRole('dialog', { name: 'The lesson could not start' });
    await dialog.waitFor({ timeout: TIMEOUT });
    await expectText(dialog, 'cannot be used', 'the loader error');
    // Lesson text is text: markup in an author's lesson runs nothing and makes no element.
    // (A fresh page: in this one the first lesson's goal already holds.)
    const fresh = await context.newPage();
    const problems = watchProblems(fresh);
    await fresh.goto(`${baseUrl(server)}?lesson-url=${encodeURIComponent(teacherUrl + 'markup.json')}`);
    await expectText(lessonPanel(fresh), `${img} text <script>alert(2)</script>`, 'the markup as text');
    await expectText(lessonPanel(fresh), '</script><b>bold</b> step', 'the step title as text');
    const injected = await fresh.evaluate(() => ({
      img: document.querySelectorAll('img[src="x"]').length,
      bold: [...document.querySelectorAll('b')].filter((b) => b.textContent === 'bold').length,
      scripts: [...document.querySelectorAll('script')].filter((s) => s.textContent.includes('alert')).length,
    }));
    if (injected.img || injected.bold || injected.scripts) throw new Error(`lesson markup reached the DOM: ${JSON.stringify(injected)}`);
    if (problems.length) throw new Error(problems.join('\n'));
  } finally {
    await context.close();
    teacher.close();
  }
});

test('screenshots: a lesson in English and in Chinese, desktop and phone', async ({ browser, server }) => {
  await mkdir(SHOTS, { recursive: true });
  for (const [name, lang, options] of [
    ['lesson-en', 'en', { colorScheme: 'light' }],
    ['lesson-zh', 'zh-CN', { colorScheme: 'dark' }],
    ['lesson-phone', 'en', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme: 'light' }],
  ]) {
    const { context, page, problems } = await open(browser, server, options);
    await page.getByRole('combobox', { name: 'Language', exact: true }).selectOption(lang);
    const label = lang === 'en' ? 'Lesson' : '课程';
    await page.getByRole('combobox', { name: label, exact: true }).selectOption('mirror-mirror');
    const panel = lessonPanel(page);
    await panel.locator('.checklist').waitFor({ timeout: TIMEOUT });
    const question = panel.locator('.question');
    if (await question.isVisible()) {
      await question.getByRole('button').first().click();
      await panel.locator('.explanation').waitFor({ timeout: TIMEOUT });
    }
    await page.screenshot({ path: join(SHOTS, `${name}.png`) });
    if (problems.length) throw new Error(problems.join('\n'));
    await context.close();
  }
});

test('screenshots: desktop light, desktop dark, phone', async ({ browser, server }) => {
  await mkdir(SHOTS, { recursive: true });
  for (const [name, options] of [
    ['desktop-light', { colorScheme: 'light' }],
    ['desktop-dark', { colorScheme: 'dark' }],
    ['phone', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme: 'light' }],
  ]) {
    const { context, page, problems } = await open(browser, server, options);
    await paste(page, `cat <<'EOF' > /etc/kubernetes/manifests/web.yaml\n${WEB}EOF\n`);
    await play(page);
    const phone = name === 'phone';
    if (phone) await page.getByRole('tab', { name: 'Pods' }).click();
    await expectText(podRow(page, 'static-web-controlplane'), 'Running', 'the mirror pod row');
    await pause(page);
    if (phone) {
      await page.screenshot({ path: join(SHOTS, 'phone-pods.png') });
      await page.getByRole('tab', { name: 'Nodes' }).click();
      await page.screenshot({ path: join(SHOTS, 'phone-nodes.png') });
      await page.getByRole('tab', { name: 'Terminal' }).click();
    }
    await run(page, 'kubectl get pods -A');
    await page.screenshot({ path: join(SHOTS, `${name}.png`) });
    if (name === 'desktop-dark') {
      // With no theme chosen, the page follows the browser's preference as it changes.
      await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark', null, { timeout: TIMEOUT });
      await page.emulateMedia({ colorScheme: 'light' });
      await page.waitForFunction(() => document.documentElement.dataset.theme === 'light', null, { timeout: TIMEOUT });
    }
    if (problems.length) throw new Error(problems.join('\n'));
    await context.close();
  }
});

test('Inside the kubelet: a written manifest lights the file source, mux and sync loop in order; an edit is REMOVE then ADD', async ({ page }) => {
  await page.getByRole('button', { name: 'Inside the kubelet', exact: true }).click();
  const pane = page.getByRole('region', { name: 'Inside the kubelet' });
  await pane.waitFor({ timeout: TIMEOUT });
  const box = (stage) => pane.locator(`g.box[data-stage="${stage}"]`);
  const last = async (stage) => Number((await box(stage).getAttribute('data-last-record')) || -1);
  const before = await last('file-source');
  await paste(page, `cat <<'EOF' > /etc/kubernetes/manifests/web.yaml\n${WEB}EOF\n`);
  for (const stage of ['file-source', 'mux', 'sync-loop']) {
    await pane.locator(`g.box.lit[data-stage="${stage}"]`).waitFor({ timeout: TIMEOUT });
  }
  const [file, mux, sync] = [await last('file-source'), await last('mux'), await last('sync-loop')];
  if (!(before < file && file < mux && mux < sync)) {
    throw new Error(`boxes lit out of order: file source ${file} (was ${before}), mux ${mux}, sync loop ${sync}`);
  }
  const timeline = pane.getByRole('list', { name: 'Timeline' });
  await timeline.getByRole('listitem').filter({ hasText: 'ADD' }).filter({ hasText: 'static-web-controlplane' })
    .first().waitFor({ timeout: TIMEOUT });
  await play(page);
  await expectText(pane.locator('g.box[data-stage="runtime"]'), 'web Running', 'the runtime box');
  await run(page, 'sed -i s/nginx:1.27/nginx:1.28/ /etc/kubernetes/manifests/web.yaml');
  await mkdir(SHOTS, { recursive: true });
  await pane.locator('g.pulse').first().waitFor({ timeout: TIMEOUT });
  await page.screenshot({ path: join(SHOTS, 'inside-animating.png') });
  await pause(page);
  const fileOps = timeline.getByRole('listitem').filter({ hasText: 'file/merge' })
    .filter({ hasText: 'static-web-controlplane' });
  const remove = fileOps.filter({ hasText: 'REMOVE' }).last();
  const add = fileOps.filter({ hasText: 'ADD' }).last();
  await remove.waitFor({ timeout: TIMEOUT });
  await add.waitFor({ timeout: TIMEOUT });
  const texts = await fileOps.allInnerTexts();
  const removeAt = texts.findLastIndex((t) => t.includes('REMOVE'));
  const addAt = texts.findLastIndex((t) => t.includes('ADD'));
  if (!(removeAt >= 0 && removeAt + 1 === addAt)) throw new Error(`REMOVE then ADD expected, saw:\n${texts.join('\n')}`);
  await add.getByRole('button').click();
  const inspector = pane.getByRole('complementary', { name: 'Inspector' });
  await expectText(inspector, 'spec.containers[0].image: "nginx:1.27" → "nginx:1.28"', 'the inspector on the ADD');
  await expectText(inspector, 'pkg/kubelet/config/config.go', 'the upstream function');
  await page.screenshot({ path: join(SHOTS, 'inside-inspector.png') });
  await page.addScriptTag({ content: await readFile(AXE, 'utf8') });
  const bad = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run('#kubelet-pane', { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  if (bad.length) throw new Error(`axe on Inside the kubelet: ${JSON.stringify(bad, null, 1)}`);
});

test('the replay scrubber shows the kubelet as it was, read-only, and Return to now comes back', async ({ page }) => {
  await page.getByRole('button', { name: 'Inside the kubelet', exact: true }).click();
  const pane = page.getByRole('region', { name: 'Inside the kubelet' });
  const slider = pane.getByRole('slider', { name: 'Replay history' });
  await slider.waitFor({ timeout: TIMEOUT });
  const readout = pane.locator('.scrub-readout');
  await expectText(readout, 'Live', 'the scrubber at first');
  // Some time passes before the manifest, so the start of the history has no web pod.
  await page.getByText('60×', { exact: true }).click();
  await play(page);
  await page.locator('.clock-elapsed', { hasText: /^0:00:(1[5-9]|[2-5]\d)/ }).waitFor({ timeout: TIMEOUT });
  await paste(page, `cat <<'EOF' > /etc/kubernetes/manifests/web.yaml\n${WEB}EOF\n`);
  const runtime = pane.locator('g.box[data-stage="runtime"]');
  await expectText(runtime, 'web Running', 'the runtime box now');
  await pause(page);
  const timeline = pane.getByRole('list', { name: 'Timeline' });
  const webAdd = timeline.getByRole('listitem').filter({ hasText: 'ADD' }).filter({ hasText: 'static-web-controlplane' });
  await webAdd.first().waitFor({ timeout: TIMEOUT });

  // Home: the earliest instant kept. The runtime had no web container then, and the
  // timeline stops there.
  await slider.focus();
  await page.keyboard.press('Home');
  await expectText(readout, 'Viewing 0:00:00', 'the scrubber in the past');
  await pane.getByRole('button', { name: 'Return to now' }).waitFor({ timeout: TIMEOUT });
  await webAdd.first().waitFor({ state: 'detached', timeout: TIMEOUT });
  if ((await runtime.textContent()).includes('web Running')) throw new Error('the past runtime box shows the web container');
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, 'inside-replay.png') });
  // Arrow keys move a second at a time.
  await page.keyboard.press('ArrowRight');
  await expectText(readout, 'Viewing 0:00:01', 'one second on');
  // Typing a command is acting now: the panes come back to now.
  await run(page, 'hostname');
  await expectText(readout, 'Live', 'after a command');
  await expectText(runtime, 'web Running', 'the runtime box back at now');
  // End goes back to now by keyboard too.
  await slider.focus();
  await page.keyboard.press('Home');
  await expectText(readout, 'Viewing', 'in the past again');
  await pane.getByRole('button', { name: 'Return to now' }).click();
  await expectText(readout, 'Live', 'after Return to now');
  await webAdd.first().waitFor({ timeout: TIMEOUT });
});

test('a lesson step about the mux opens Inside the kubelet on its node with only mux records', async ({ page }) => {
  await pickLesson(page, 'change-the-manifest');
  const pane = page.getByRole('region', { name: 'Inside the kubelet' });
  await pane.waitFor({ timeout: TIMEOUT });
  const kind = (name) => pane.getByRole('checkbox', { name, exact: true });
  await kind('mux').waitFor({ timeout: TIMEOUT });
  const checked = { mux: await kind('mux').isChecked(), sources: await kind('sources').isChecked() };
  if (!checked.mux || checked.sources) throw new Error(`kind filter as the step set it: ${JSON.stringify(checked)}`);
  const node = pane.getByRole('tab', { name: 'controlplane', exact: true });
  if ((await node.getAttribute('aria-selected')) !== 'true') throw new Error('the step names controlplane');
  // The learner's own choices stand afterwards.
  await kind('sources').check();
  await run(page, 'hostname');
  if (!(await kind('sources').isChecked())) throw new Error('a later action reset the learner\'s filter');
});

test('screenshots: Inside the kubelet on a phone and in Chinese', async ({ browser, server }) => {
  await mkdir(SHOTS, { recursive: true });
  const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme: 'light' };
  const { context, page, problems } = await open(browser, server, phone);
  await paste(page, `cat <<'EOF' > /etc/kubernetes/manifests/web.yaml\n${WEB}EOF\n`);
  await page.getByRole('tab', { name: 'Inside the kubelet' }).click();
  const pane = page.getByRole('region', { name: 'Inside the kubelet' });
  await pane.getByRole('list', { name: 'Timeline' }).getByRole('listitem').filter({ hasText: 'ADD' }).first()
    .waitFor({ timeout: TIMEOUT });
  await page.screenshot({ path: join(SHOTS, 'phone-inside.png') });
  if (problems.length) throw new Error(problems.join('\n'));
  await context.close();
  const zh = await open(browser, server, { colorScheme: 'dark' });
  await paste(zh.page, `cat <<'EOF' > /etc/kubernetes/manifests/web.yaml\n${WEB}EOF\n`);
  await zh.page.getByRole('combobox', { name: 'Language', exact: true }).selectOption('zh-CN');
  await zh.page.getByRole('button', { name: 'kubelet 内部', exact: true }).click();
  const zhPane = zh.page.getByRole('region', { name: 'kubelet 内部' });
  await zhPane.getByRole('list', { name: '时间线' }).getByRole('listitem').filter({ hasText: 'ADD' }).first()
    .waitFor({ timeout: TIMEOUT });
  await zh.page.screenshot({ path: join(SHOTS, 'desktop-zh-inside.png') });
  if (zh.problems.length) throw new Error(zh.problems.join('\n'));
  await zh.context.close();
});

const server = await serve(DIST);
const browser = await launch();
let failed = 0;
const only = process.env.E2E_ONLY;
for (const { name, fn } of tests) {
  if (only && !name.includes(only)) continue;
  const started = Date.now();
  let context;
  try {
    const own = name.startsWith('screenshots') || name.includes('storage') || name.startsWith('damaged') || name.includes('course page') || name.includes('embedded') || name.startsWith('offline') || name.includes("teacher's own");
    const opened = own ? null : await open(browser, server);
    context = opened?.context;
    await fn({ ...opened, browser, server });
    if (opened?.problems.length) throw new Error(opened.problems.join('\n'));
    console.log(`e2e: ok   ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    failed += 1;
    console.error(`e2e: FAIL ${name}\n${err.stack ?? err}`);
    if (context) {
      await mkdir(SHOTS, { recursive: true });
      const page = context.pages()[0];
      if (page) await page.screenshot({ path: join(SHOTS, `failed-${tests.findIndex((t) => t.name === name)}.png`) });
    }
  } finally {
    await context?.close();
  }
}
await browser.close();
server.close();
if (failed) {
  console.error(`e2e: ${failed} failed`);
  process.exit(1);
}
console.log('e2e: all passed');
