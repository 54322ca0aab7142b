// The engine's answer to a page update: the workspace's selected bundle (else its first),
// rendered with the page's inputs, mocks and options. The worker computes it on every change;
// the build computes it once for the gallery's first example, which a first visit shows while
// the engine is still starting (main.js), from the same engine and the same code.
import { buildRequest } from '../workspace.js';

/** The bundle a selection picks out of a workspace summary (else the first one). */
export function selectedBundle(summary, selection) {
  return summary.bundles.find((b) => b.root === selection.root) || summary.bundles[0];
}

/** The bundle a workspace path belongs to (the deepest whose folder holds it). */
export function bundleOfPath(summary, path) {
  return summary.bundles
    .filter((b) => !b.root || path.startsWith(`${b.root}/`))
    .sort((a, b) => b.root.length - a.root.length)[0] || null;
}

/** `render` is the engine's (wasm) render; `summary` is its analysis of the workspace's files. */
export function answer(render, summary, state) {
  const bundle = selectedBundle(summary, state.selection);
  if (!bundle) return { summary, root: null, target: null, report: null };
  const request = buildRequest(state, bundle);
  request.target = bundle.targets.includes(request.target) ? request.target : bundle.default_target;
  const report = render(bundle.root, request);
  return { summary, root: bundle.root, target: request.target, report };
}

/**
 * What of the page's state an answer depends on (not the open file, nor the output tab): the
 * state the page sends the engine.
 */
export function answerState({ inputs, mocks, options, selection: { root, target, instance } }) {
  return { inputs, mocks, options, selection: { root, target, instance } };
}
