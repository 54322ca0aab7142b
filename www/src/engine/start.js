// Starts engine workers. The wasm is compiled once per page: the first worker compiles it (by
// streaming, off the main thread, which is busy laying out the page meanwhile) and hands the
// module back, and every later worker (a restart after a crash, the Versions panel's)
// instantiates that module instead of fetching and compiling its own. The module promise lives
// on `window` because the boot script and the page's modules are separate bundles.

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
  window.protonPlaygroundModule = new Promise((resolve) => {
    const compiled = (event) => {
      if (event.data.type !== 'module') return;
      worker.removeEventListener('message', compiled);
      resolve(event.data.module);
    };
    worker.addEventListener('message', compiled);
    // A worker that dies first leaves later ones to compile their own.
    worker.addEventListener('error', () => resolve(null));
  });
  worker.postMessage({ id: 0, type: 'init', payload: { module: null, url: wasmUrl.href } });
  return worker;
}
