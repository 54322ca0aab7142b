// `window.protonPlayground`: what the browser tests and `make bench` read and drive (and curious
// users can call from the console). Timings go through the same engine round trip as the page.
import { answerState } from './engine/answer.js';
import { newWorkspace } from './workspace.js';

/** Installs the hooks; `firstRender` says when and how the first render was shown. */
export function exposeHooks(page, { firstRenderMs, shipped, engineAnsweredMs, loadFiles }) {
  window.protonPlayground = {
    outputText: (path) => page.outputs.text(path),
    workspace: () => page.workspace,
    firstRenderMs,
    /** Whether the first render was the gallery's shipped answer, and when the engine answered. */
    firstRenderShipped: shipped,
    engineAnsweredMs,
    /** One engine round trip, as the page makes it. */
    engineUpdate: (payload) => page.engine.update(payload),
    loadFiles: (name, fileMap) => loadFiles(name, fileMap),
    engineStats: () => page.engine.call('stats'),
    /** Times `n` engine round trips (analyze + render + report), each after a one-character edit. */
    async timeUpdates(n) {
      const workspace = page.workspace;
      const times = [];
      for (let i = 0; i < n; i += 1) {
        workspace.mocks.service.name = `bench-${i}`;
        const start = performance.now();
        await page.engine.update({ files: workspace.files, name: workspace.templateName || '', state: answerState(workspace) });
        times.push(performance.now() - start);
      }
      return times;
    },
    /**
     * Times `n` editor questions (`complete`, `hover`, `definition`) just after the last
     * `.inputs.` of the bundle file `path`: engine round trips, as the editor asks them.
     */
    async timeAssist(question, path, n) {
      const workspace = page.workspace;
      const text = workspace.files[path];
      const offset = text.lastIndexOf('.inputs.') + '.inputs.'.length + (question === 'complete' ? 0 : 1);
      const times = [];
      for (let i = 0; i < n; i += 1) {
        const start = performance.now();
        const answer = await page.engine.call('assist', { files: workspace.files, name: workspace.templateName || '', state: answerState(workspace), question, path, text, offset });
        times.push(performance.now() - start);
        if (i === 0 && !answer) throw new Error(`no ${question} answer at ${path}:${offset}`);
      }
      return times;
    },
    /**
     * A repository opened with a warm engine: the first answer for its files (every bundle
     * analyzed, the first rendered), then switching to each other template in turn.
     */
    async timeRepository(files) {
      const workspace = newWorkspace({ id: 'bench:repository', name: 'repository', files });
      const call = () => page.engine.update({ files, name: '', state: answerState(workspace) });
      let start = performance.now();
      const first = await call();
      const open = performance.now() - start;
      const switches = [];
      for (const bundle of first.summary.bundles.slice(1)) {
        workspace.selection.root = bundle.root;
        workspace.selection.target = null;
        start = performance.now();
        await call();
        switches.push(performance.now() - start);
      }
      return { open, switches, templates: first.summary.bundles.length };
    },
    /** Times `n` engine round trips, each after an edit of the bundle file `path`. */
    async timeFileEdits(path, n) {
      const workspace = page.workspace;
      const original = workspace.files[path];
      const times = [];
      for (let i = 0; i < n; i += 1) {
        workspace.files = { ...workspace.files, [path]: `${original}# edit ${i}\n` };
        const start = performance.now();
        await page.engine.update({ files: workspace.files, name: workspace.templateName || '', state: answerState(workspace) });
        times.push(performance.now() - start);
      }
      workspace.files = { ...workspace.files, [path]: original };
      return times;
    },
  };
}
