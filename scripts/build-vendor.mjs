// Bundles the editor's CodeMirror set-up (vendor-src/codemirror.mjs) with esbuild into the
// committed vendor/codemirror.js, or with --check proves that the committed file is what the
// pinned packages build. Run it through scripts/build-vendor.
//
// The output is deterministic: esbuild is pinned, every bundled package is checked against
// package-lock.json before building, there is no source map, and the header (versions and
// licences) is derived from the bundle's own inputs in a fixed order.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = 'vendor-src/codemirror.mjs';
const OUTPUT = 'vendor/codemirror.js';

function fail(message) {
  console.error(`build-vendor: ${message}`);
  process.exit(1);
}

const check = process.argv.includes('--check');
const unknown = process.argv.slice(2).filter((arg) => arg !== '--check');
if (unknown.length) fail(`unknown argument ${unknown[0]} (usage: scripts/build-vendor [--check])`);

const lock = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8'));

/** The version package-lock.json pins for a top-level package. */
function lockedVersion(name) {
  return lock.packages?.[`node_modules/${name}`]?.version;
}

/** The version installed in node_modules, or undefined. */
async function installedVersion(name) {
  try {
    return JSON.parse(await readFile(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** Fails unless node_modules holds exactly the locked version of `name`. */
async function requireLocked(name) {
  const want = lockedVersion(name);
  if (!want) fail(`${name} is not in package-lock.json; add it with npm install --save-dev --save-exact`);
  const have = await installedVersion(name);
  if (have !== want) {
    fail(`node_modules has ${name} ${have ?? '(missing)'}, package-lock.json pins ${want}: run npm ci`);
  }
  return want;
}

const esbuildVersion = await requireLocked('esbuild');
const esbuild = await import('esbuild');

const result = await esbuild.build({
  absWorkingDir: ROOT,
  entryPoints: [ENTRY],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  legalComments: 'none',
  sourcemap: false,
  metafile: true,
  write: false,
  logLevel: 'warning',
});

// The packages the bundle contains: those with code in the output (one esbuild reads but
// tree-shakes away entirely is neither shipped nor listed).
const [output] = Object.values(result.metafile.outputs);
const packages = new Map();
for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
  const match = input.match(/^node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (match && bytesInOutput > 0) packages.set(match[1], null);
}
const names = [...packages.keys()].sort();
for (const name of names) packages.set(name, await requireLocked(name));

// One licence block per distinct licence text, naming the packages that carry it.
const licences = new Map();
for (const name of names) {
  let text;
  for (const file of ['LICENSE', 'LICENSE.md', 'LICENSE.txt']) {
    try {
      text = (await readFile(join(ROOT, 'node_modules', name, file), 'utf8')).trim();
      break;
    } catch {
      // Try the next spelling.
    }
  }
  if (!text) fail(`${name} ships no LICENSE file; its licence must be reviewed before it is bundled`);
  if (text.includes('*/')) fail(`${name}'s licence text contains "*/" and cannot sit in a comment`);
  const users = licences.get(text) ?? [];
  users.push(`${name}@${packages.get(name)}`);
  licences.set(text, users);
}

const header = [
  '/*',
  ` * ${OUTPUT}: generated from ${ENTRY} by scripts/build-vendor (esbuild ${esbuildVersion}).`,
  ' * Do not edit: change the entry or package.json, run scripts/build-vendor and commit both.',
  ' *',
  ' * Bundled packages:',
  ...names.map((name) => ` *   ${name}@${packages.get(name)}`),
  ...[...licences].flatMap(([text, users]) => [
    ' *',
    ` * ${users.join(', ')}:`,
    ' *',
    ...text.split('\n').map((line) => (line.trim() ? ` * ${line.trimEnd()}` : ' *')),
  ]),
  ' */',
  '',
].join('\n');

const bundle = header + result.outputFiles[0].text;

if (!check) {
  await writeFile(join(ROOT, OUTPUT), bundle);
  console.log(`build-vendor: wrote ${OUTPUT} (${bundle.length} bytes, ${names.length} packages)`);
  process.exit(0);
}

const scratch = join(await mkdtemp(join(tmpdir(), 'build-vendor-')), 'codemirror.js');
await writeFile(scratch, bundle);
let committed;
try {
  committed = await readFile(join(ROOT, OUTPUT), 'utf8');
} catch {
  fail(`${OUTPUT} is missing: run scripts/build-vendor and commit it`);
}
if (committed !== bundle) {
  let at = 0;
  while (at < bundle.length && committed[at] === bundle[at]) at += 1;
  fail(
    `${OUTPUT} is not what ${ENTRY} and package-lock.json build ` +
      `(first difference at character ${at}; the fresh build is ${scratch}).\n` +
      '  Run scripts/build-vendor and commit vendor/codemirror.js.',
  );
}
await rm(dirname(scratch), { recursive: true, force: true });
console.log(`build-vendor: ${OUTPUT} is up to date`);
