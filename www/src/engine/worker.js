// The engine worker: the Rust core compiled to WebAssembly, off the main thread so typing never
// waits for a render.
import init, { Engine, loadResourceTypes, loadLambdaRuntimes, installShard, loadArchive, parseYaml, version, packArchive, lineMap } from '../../../target/wasm-pkg/proton_playground.js';
import { buildRequest } from '../workspace.js';
import { answer, selectedBundle } from './answer.js';

// The CloudFormation resource type table and the Lambda runtime lifecycle are fetched beside the
// wasm, in parallel with it.
const fetchText = (name) => fetch(new URL(name, import.meta.url))
  .then((response) => (response.ok ? response.text() : null))
  .catch(() => null);
const table = fetchText('./cfn-resource-types.tsv');
const runtimes = fetchText('./lambda-runtimes.tsv');
/**
 * The first message says where the compiled module comes from (see start.js): the
 * page's, else this worker compiles it and hands it back for the workers after it.
 */
let receiveInit;
const initMessage = new Promise((resolve) => { receiveInit = resolve; });

async function compiled({ module, url }) {
  if (module) return module;
  // The page could not compile it by streaming (a server without the `application/wasm` type).
  return WebAssembly.compile(await (await fetch(url)).arrayBuffer());
}

/** The engine of this worker: it owns the analyzed workspace (src/engine.rs). */
let engine = null;

// The two tables come with the engine: they are small and fetched while the larger wasm
// downloads, so they arrive first; a first answer without them would need a second render to
// show the type checks.
const ready = Promise.all([
  initMessage.then(compiled).then((module) => init({ module_or_path: module })),
  table,
  runtimes,
]).then(([exports, types, lifecycle]) => {
  if (types) loadResourceTypes(types);
  if (lifecycle) loadLambdaRuntimes(lifecycle);
  engine = new Engine();
  return exports;
});

/** Shard files fetched or being fetched, by name. */
const loading = new Map();

/**
 * Fetches the data shards an answer's checks lacked (`pending_data`: a service's property
 * schemas, an IAM prefix's actions: src/checks/data.rs) and installs them: a missing file as
 * empty (no such key), a failed fetch or an HTML page as unavailable (the checks then say what
 * they skipped); either way it is not asked for again.
 */
function loadShards(files) {
  return Promise.all(files.map((file) => {
    // A file another answer is already fetching is fetched once.
    if (!loading.has(file)) {
      loading.set(file, fetch(new URL(file, import.meta.url)).catch(() => null).then(async (response) => {
        // A host that answers every path with its HTML page (a single-page app fallback) has
        // no such file: that is not data.
        const html = response && (response.headers.get('content-type') || '').includes('html');
        if (response && response.ok && !html) installShard(file, await response.text());
        else if (response && response.status === 404) installShard(file, '');
        else installShard(file, undefined);
      }));
    }
    return loading.get(file);
  }));
}

/**
 * Runs `work` (an engine call answering `{value, pending_data}`) until its checks lack no data
 * (exports, checks: complete answers), and gives the value.
 */
async function complete(work) {
  let answer = work();
  for (let round = 0; round < 3 && answer.pending_data.length; round += 1) {
    await loadShards(answer.pending_data);
    answer = work();
  }
  return answer.value;
}

/**
 * A render answers at once with the data the engine has; the shards it lacked are fetched after
 * and the page told (`shards`), so it renders again with those checks done: a first answer never
 * waits for them.
 */
function atOnce(answer) {
  if (answer.pending_data.length) {
    loadShards(answer.pending_data).then(() => self.postMessage({ id: 0, type: 'shards' }));
  }
  return answer.value;
}

/**
 * The files the page sent last (it sends them again only when they change: client.js) and,
 * once asked for, their summary; while it is there, the engine's current workspace is theirs.
 */
let held = { files: null, name: '', summary: null };

/** The files sent with a request (and the name they were loaded as), else the held ones. */
function filesOf({ files, name }) {
  if (files) held = { files, name: name || '', summary: null };
  if (!held.files) throw new Error('the engine was sent no files');
  return held.files;
}

/**
 * The summary of the files; analyzing them also makes them the engine's current workspace, which
 * `render`, `compare`, `checkRepository`, … work on.
 */
function summaryOf(payload) {
  const files = filesOf(payload);
  held.summary ??= engine.analyze(files, held.name);
  return held.summary;
}

const handlers = {
  // Analyze the files (when they changed) and render the selected bundle in one round trip.
  update(payload) {
    return answer((root, request) => atOnce(engine.render(root, request)), summaryOf(payload), payload.state);
  },
  /** Analyzes a workspace ahead of its first render (the result is cached by the engine). */
  prepare(payload) {
    summaryOf(payload);
    return null;
  },
  async versions(payload) {
    summaryOf(payload);
    const { oldRoot, newRoot, declared, service, compatible, instances } = payload;
    return {
      comparison: oldRoot && newRoot ? await complete(() => engine.compare({ old_root: oldRoot, new_root: newRoot, declared: declared || null })) : null,
      findings: await complete(() => engine.checkRepository()),
      instances: service !== null && service !== undefined
        ? await complete(() => engine.instanceCompatibility({ root: service, declared: compatible || [], instances: instances || [] }))
        : [],
    };
  },
  /** Every rendered file of every bundle, target and instance, plus the specs, and the findings. */
  exportAll(payload) {
    const bundle = selectedBundle(summaryOf(payload), payload.state.selection);
    if (!bundle) return { files: [], diagnostics: [] };
    return complete(() => engine.export(bundle.root, buildRequest(payload.state, bundle)));
  },
  /**
   * Off Proton: the Git Sync repository for the stacks of `specs` (`[{path, text}]`), plus the
   * selected template's stack from the form's inputs under the name `formStack` gives it, with the
   * page's mocks.
   */
  migrate(payload) {
    const bundle = selectedBundle(summaryOf(payload), payload.state.selection);
    const request = bundle ? buildRequest(payload.state, bundle) : null;
    // The page's mocks are suggested or typed, never confirmed as what Proton passed; the form's
    // inputs are not a spec file: the migration marks what rests on them (docs/migration.md).
    const specs = payload.specs.map((spec) => ({ ...spec, unconfirmed_mocks: true }));
    const form = payload.formStack && request ? { root: bundle.root, name: payload.formStack, inputs: request.inputs } : null;
    const outputs = payload.importOutputs ? 'import' : 'parameters';
    return complete(() => engine.migrate({ specs, form, mocks: request ? request.mocks : {}, outputs }));
  },
  /**
   * Off Proton from the running stacks (docs/adoption.md): `stacks` and `templates` are the
   * account's describe-stacks and get-template files (`[[name, text]]`), read back against the
   * workspace's templates.
   */
  adopt(payload) {
    summaryOf(payload);
    const outputs = payload.importOutputs ? 'import' : 'parameters';
    return complete(() => engine.adopt({ stacks: payload.stacks, templates: payload.templates, outputs }));
  },
  /**
   * The editor's question (`complete`, `hover`, `definition`) about file `path` at `offset` of
   * its current `text`: the engine answers the selected bundle's files with the page's inputs
   * and mocks, another bundle's with its defaults (and examples for required inputs).
   */
  assist(payload) {
    const selected = selectedBundle(summaryOf(payload), payload.state.selection);
    const request = selected ? buildRequest(payload.state, selected) : {};
    return engine.assist({ question: payload.question, path: payload.path, text: payload.text, offset: payload.offset, selected: selected ? selected.root : null, request });
  },
  /** For each rendered line, the template line that produced it (0: unknown). */
  lineMap({ template, rendered }) {
    return Array.from(lineMap(template, rendered));
  },
  packArchive(payload) {
    return packArchive(filesOf(payload));
  },
  fleetCheck(payload) {
    summaryOf(payload);
    return complete(() => engine.fleetCheck(payload.root, payload.specs));
  },
  loadArchive({ name, bytes }) {
    return loadArchive(name, new Uint8Array(bytes));
  },
  parseYaml({ text }) {
    return parseYaml(text);
  },
  version() {
    return version();
  },
  /** The engine's memory (WebAssembly linear memory only grows: this is its peak). */
  async stats() {
    return { wasmBytes: (await ready).memory.buffer.byteLength };
  },
};

/**
 * One message at a time, in order: a message waiting for data shards (`complete`) must not let
 * the next one change the held files under it.
 */
let queue = Promise.resolve();

async function handle({ id, type, payload }) {
  try {
    await ready;
    const result = await handlers[type](payload || {});
    self.postMessage({ id, ok: true, result });
  } catch (error) {
    // A trap (a Rust panic aborts) leaves the instance unusable: ask for a fresh worker.
    const fatal = error instanceof WebAssembly.RuntimeError;
    self.postMessage({ id, ok: false, fatal, error: String((error && error.message) || error) });
  }
}

self.onmessage = (event) => {
  if (event.data.type === 'init') {
    receiveInit(event.data.payload);
    return;
  }
  queue = queue.then(() => handle(event.data));
};
