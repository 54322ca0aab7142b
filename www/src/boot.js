// Starts the engine worker (and with it the wasm download, compile and warm-up) and the examples
// download before the page's main bundle is parsed: the first render waits for whichever is later.
window.protonPlaygroundWorker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
window.protonPlaygroundExamples = fetch(new URL('../examples.json', import.meta.url)).then((r) => r.json());
