// Builds the static site into dist/: bundles the page and the worker with esbuild, copies the
// wasm package and static files, and packs the examples gallery into examples.json.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { initSync, parseYaml, packArchive, analyze, render, loadResourceTypes } from '../target/wasm-pkg/proton_playground.js';
import { exampleWorkspace } from './src/workspace.js';
import { answer, answerState } from './src/engine/answer.js';

const root = new URL('..', import.meta.url).pathname;
const www = join(root, 'www');
const dist = process.env.DIST_DIR || join(root, 'dist');
const pkg = join(root, 'target', 'wasm-pkg');

if (!existsSync(join(pkg, 'proton_playground_bg.wasm'))) {
  console.error('missing target/wasm-pkg: run `make wasm` first');
  process.exit(1);
}

// The engine itself parses the examples' specs and mocks (YAML 1.1, as the page would).
initSync({ module: readFileSync(join(pkg, 'proton_playground_bg.wasm')) });

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'assets'), { recursive: true });

await esbuild.build({
  entryPoints: {
    app: join(www, 'src/main.js'),
    worker: join(www, 'src/engine/worker.js'),
    embed: join(www, 'src/embed.js'),
    'embed-page': join(www, 'src/embed-page.js'),
  },
  bundle: true,
  format: 'esm',
  splitting: true,
  minify: true,
  chunkNames: 'chunk-[hash]',
  sourcemap: false,
  target: ['chrome100', 'firefox100', 'safari16'],
  outdir: join(dist, 'assets'),
  logLevel: 'warning',
});

// The boot script is a classic script, run while the page is parsed.
await esbuild.build({
  entryPoints: [join(www, 'src/boot.js')],
  bundle: true,
  format: 'iife',
  minify: true,
  target: ['chrome100', 'firefox100', 'safari16'],
  outfile: join(dist, 'assets', 'boot.js'),
  logLevel: 'warning',
});

cpSync(join(pkg, 'proton_playground_bg.wasm'), join(dist, 'assets', 'proton_playground_bg.wasm'));
// Fetched by the worker beside the wasm (kept out of it: see src/checks/resource_types.rs).
const resourceTypes = join(root, 'data', 'cfn-resource-types.tsv');
cpSync(resourceTypes, join(dist, 'assets', 'cfn-resource-types.tsv'));
cpSync(join(root, 'data', 'lambda-runtimes.tsv'), join(dist, 'assets', 'lambda-runtimes.tsv'));
cpSync(join(www, 'static'), dist, { recursive: true });

// Examples: every file of each gallery bundle, with its spec and mocks text.
function readTree(dir) {
  const files = {};
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return files;
}
const examplesDir = join(root, 'examples');
const gallery = JSON.parse(readFileSync(join(examplesDir, 'gallery.json'), 'utf8'));
const examples = gallery.map((entry) => ({
  ...entry,
  files: readTree(join(examplesDir, entry.bundle)),
  spec: entry.spec ? parseYaml(readFileSync(join(examplesDir, entry.spec), 'utf8')) : null,
  mocks: entry.mocks ? parseYaml(readFileSync(join(examplesDir, entry.mocks), 'utf8')) : null,
}));
// A first visit opens the first example: the engine's answer for it ships with the gallery, so
// the page shows it while the wasm still compiles (main.js checks the state it was made for).
if (examples.length) {
  loadResourceTypes(readFileSync(resourceTypes, 'utf8'));
  const workspace = exampleWorkspace(examples[0]);
  const state = answerState(workspace);
  examples[0].firstAnswer = { state, answer: answer(render, analyze(workspace.files, workspace.templateName || ''), state) };
}
writeFileSync(join(dist, 'examples.json'), JSON.stringify(examples));

// The documentation page's live examples load each gallery bundle as a .tar.gz.
mkdirSync(join(dist, 'docs', 'examples'), { recursive: true });
for (const ex of examples) {
  const prefix = ex.root ? `${ex.root}/` : '';
  const files = Object.fromEntries(Object.entries(ex.files)
    .filter(([path]) => path.startsWith(prefix))
    .map(([path, text]) => [path.slice(prefix.length), text]));
  writeFileSync(join(dist, 'docs', 'examples', `${ex.id}.tar.gz`), packArchive(files));
}
console.log(`built ${relative(root, dist)}/`);
