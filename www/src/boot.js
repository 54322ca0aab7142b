// Runs as a classic script while the page is still being parsed: starts the engine worker (which
// compiles the wasm), fetches the examples, and has the worker analyze the workspace the page
// will open (the saved one, else the first example; nothing for a share link) while the main
// bundle loads.
import { loadCurrent } from './store.js';
import { startEngineWorker } from './engine/start.js';

const base = document.currentScript ? document.currentScript.src : location.href;
const worker = startEngineWorker(new URL('worker.js', base), new URL('proton_playground_bg.wasm', base));
window.protonPlaygroundWorker = worker;
window.protonPlaygroundExamples = fetch(new URL('../examples.json', base)).then((r) => r.json());

// The name a lone bundle is named after: the workspace's templateName (workspace.js).
const prepare = (files, name) => worker.postMessage({ id: 0, type: 'prepare', payload: { files, name } });
// A share link opens its own workspace: analyzing another one first would only delay it.
const shared = location.hash.startsWith('#share=');
const saved = shared ? null : loadCurrent();
if (saved && saved.files) prepare(saved.files, saved.templateName || '');
else if (!shared) window.protonPlaygroundExamples.then((examples) => examples[0] && prepare(examples[0].files, examples[0].id));
