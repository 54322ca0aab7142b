// Starts engine workers. The wasm is compiled once per page, by streaming compilation on the
// browser's background threads as soon as the page starts, and every worker (the first one, a
// restart after a crash, the Versions panel's) instantiates that module instead of fetching
// and compiling its own. The compile promise lives on `window` because the boot script and
// the page's modules are separate bundles.

const compile = (url) => WebAssembly.compileStreaming(fetch(url))
  // A server without the `application/wasm` type: the worker fetches and compiles it itself.
  .catch(() => null);

/// The page's compiled engine module (null when it could not be compiled here).
export function engineModule(wasmUrl) {
  window.protonPlaygroundModule ??= compile(wasmUrl);
  return window.protonPlaygroundModule;
}

/// A new engine worker; its first message hands it the compiled module.
export function startEngineWorker(workerUrl, wasmUrl) {
  const worker = new Worker(workerUrl, { type: 'module' });
  engineModule(wasmUrl).then((module) => worker.postMessage({ id: 0, type: 'init', payload: { module } }));
  return worker;
}
