// Builds the static site into dist/: bundles the page and the worker with esbuild, copies the
// wasm package and static files, and packs the examples gallery into examples.json.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { initSync, Engine, parseYaml, packArchive, loadResourceTypes, loadLambdaRuntimes, installShard } from '../target/wasm-pkg/proton_playground.js';
import { exampleWorkspace, newWorkspace, fillSuggestedMocks } from './src/workspace.js';
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
// The build's own engine: it has every data shard installed, so its answers lack none.
const engine = new Engine();
const render = (root, request) => engine.render(root, request).value;

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
// The large tables, one file per key, fetched by the worker when a check first needs one
// (src/checks/data.rs): `cfn-schemas/AWS-S3.txt`, `iam-actions/s3.txt`. The build's own renders
// (the first example's answer, the docs page's embeds) have them all.
for (const table of ['cfn-schemas', 'iam-actions']) {
  mkdirSync(join(dist, 'assets', table), { recursive: true });
  for (const line of readFileSync(join(root, 'data', `${table}.tsv`), 'utf8').split('\n')) {
    const tab = line.indexOf('\t');
    if (line.startsWith('#') || tab < 0) continue;
    const file = `${table}/${line.slice(0, tab).replaceAll('::', '-')}.txt`;
    writeFileSync(join(dist, 'assets', file), line.slice(tab + 1));
    installShard(file, line.slice(tab + 1));
  }
}
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
  loadLambdaRuntimes(readFileSync(join(root, 'data', 'lambda-runtimes.tsv'), 'utf8'));
  const workspace = exampleWorkspace(examples[0]);
  const state = answerState(workspace);
  examples[0].firstAnswer = { state, answer: answer(render, engine.analyze(workspace.files, workspace.templateName || ''), state) };
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
// The documentation page's embeds are pre-rendered by the same engine: readable without
// JavaScript and by search engines, and shown until each embed is live.
const escapeHtml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
function prerender(html) {
  return html.replace(/<proton-playground ([^>]*)><\/proton-playground>/g, (whole, attributes) => {
    const attribute = (name) => (new RegExp(`${name}=(?:"([^"]*)"|'([^']*)')`).exec(attributes) || []).slice(1).find((v) => v !== undefined);
    const id = attribute('example') || ((attribute('src') || '').match(/([^/]+)\.tar\.gz$/) || [])[1];
    const entry = examples.find((ex) => ex.id === id);
    if (!entry) return whole;
    // As the element does: an `example` is the gallery's workspace; a `src` archive only its
    // files, with the `inputs` attribute and the suggested mocks applied after a first look.
    let workspace;
    if (attribute('example')) {
      workspace = exampleWorkspace(entry);
    } else {
      const prefix = entry.root ? `${entry.root}/` : '';
      const files = Object.fromEntries(Object.entries(entry.files)
        .filter(([path]) => path.startsWith(prefix))
        .map(([path, text]) => [path.slice(prefix.length), text]));
      workspace = newWorkspace({ id: `docs:${id}`, name: id, files });
    }
    workspace.selection.target = attribute('target') || null;
    const summary = engine.analyze(workspace.files, workspace.templateName || '');
    const first = answer(render, summary, answerState(workspace));
    const bundle = summary.bundles.find((b) => b.root === first.root);
    if (!bundle) return whole;
    workspace.selection.root = first.root;
    workspace.selection.target = first.target;
    const inputs = JSON.parse(attribute('inputs') || '{}');
    const kind = bundle.kind === 'service' || bundle.kind === 'component' ? workspace.inputs.instances[0].spec : workspace.inputs.environment;
    Object.assign(kind, inputs);
    fillSuggestedMocks(workspace, bundle);
    const { report } = answer(render, summary, answerState(workspace));
    const output = report && report.outputs[0];
    if (!output) return whole;
    return `<proton-playground ${attributes}><pre aria-label="Rendered ${escapeHtml(output.path)} (pre-rendered)">${escapeHtml(output.content)}</pre></proton-playground>`;
  });
}
const docsPage = join(dist, 'docs', 'index.html');
writeFileSync(docsPage, prerender(readFileSync(docsPage, 'utf8')));
console.log(`built ${relative(root, dist)}/`);
