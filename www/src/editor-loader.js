// CodeMirror is loaded after the first render (so its parsing does not delay it): the page shows
// plain text until it arrives, then upgrades every view in place.
let loaded = null;
let resolveReady;

export const editorReady = new Promise((resolve) => {
  resolveReady = resolve;
});

/** Starts loading the editor (called once the first render is on screen). */
export function loadEditor() {
  import('./editor.js').then((module) => {
    loaded = module;
    resolveReady(module);
  });
}

/** The editor module once loaded, else null. */
export function editorModule() {
  return loaded;
}
