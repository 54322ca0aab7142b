// Starts engine workers. The wasm is compiled once per page, by streaming from the first script
// on (see startEngineWorker), and every worker (the first, a restart after a crash, the Versions
// panel's) instantiates that module. The module promise lives on `window` because the boot
// script and the page's modules are separate bundles.

/**
 * A worker running the module at `url`. Browsers refuse a worker script from another origin
 * (an embed on someone's documentation site): there the worker is a same-origin `blob:` module
 * that imports the script, which the playground's host serves with CORS headers (README,
 * "Embedding"); the page's own CSP needs `worker-src blob:` then.
 */
function moduleWorker(url) {
  if (url.origin === location.origin) return new Worker(url, { type: 'module' });
  const source = `import ${JSON.stringify(url.href)};`;
  const blob = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  return new Worker(blob, { type: 'module' });
}

/** A new engine worker; its first message tells it where its compiled module comes from. */
export function startEngineWorker(workerUrl, wasmUrl) {
  const worker = moduleWorker(workerUrl);
  const shared = window.protonPlaygroundModule;
  if (shared) {
    shared.then((module) => worker.postMessage({ id: 0, type: 'init', payload: { module, url: wasmUrl.href } }));
    return worker;
  }
  // The wasm's download starts now, with the page's first script, not once the worker's own
  // modules have loaded: compiled by streaming (V8 compiles on background threads as the bytes
  // arrive), the module goes to the worker. Where streaming compilation is refused (a server
  // without `application/wasm`), the worker fetches and compiles it itself.
  const module = WebAssembly.compileStreaming(fetch(wasmUrl)).catch(() => null);
  window.protonPlaygroundModule = module;
  module.then((compiled) => worker.postMessage({ id: 0, type: 'init', payload: { module: compiled, url: wasmUrl.href } }));
  return worker;
}
