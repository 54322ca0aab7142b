// The rendered files: one tab and one read-only view per output file, each a region labelled
// `Rendered <path>`; copy, download, and a .zip of everything rendered.
import { zipSync, strToU8 } from 'fflate';
import { h, clear, download } from '../dom.js';
import { editorReady, editorModule } from '../editor-loader.js';

/** Each path's shortest end (whole `/` segments) that no other path of `paths` ends with. */
export function shortLabels(paths) {
  const labels = new Map();
  for (const path of paths) {
    const parts = path.split('/');
    let take = 1;
    const ends = (p, n) => p.split('/').slice(-n).join('/');
    while (take < parts.length && paths.some((other) => other !== path && ends(other, take) === ends(path, take))) take += 1;
    labels.set(path, ends(path, take));
  }
  return labels;
}

export class OutputsPanel {
  /** `onLine(path, line)` hears a click on a rendered line (the page links it to its template). */
  constructor({ tabs, views, state, copy, downloadOne, downloadZip }, onStatus, onLine = () => {}) {
    this.tabs = tabs;
    this.state = state;
    this.onLine = onLine;
    this.views = views;
    this.onStatus = onStatus;
    this.outputs = [];
    this.selected = null;
    this.editors = new Map();
    this.diagnostics = [];
    editorReady.then(() => {
      this.rebuild();
      this.select(this.selected);
      this.showDiagnostics(this.diagnostics);
    });
    copy.addEventListener('click', () => this.copy());
    downloadOne.addEventListener('click', () => this.downloadCurrent());
    downloadZip.addEventListener('click', () => this.downloadZip());
  }

  /**
   * Shows a render's files. `stale` names files shown from the last good render because the
   * current one failed on them (a half-typed edit): they stay, dimmed, until the next good one.
   */
  show({ shown: report, stale, workspace }) {
    this.showFiles(report, workspace.selection.output, stale);
    this.showDiagnostics(report ? report.diagnostics : []);
  }

  showFiles(report, preferred, stale) {
    const outputs = report ? [...report.outputs, ...report.extras] : [];
    this.stale = stale;
    this.views.classList.toggle('stale', stale.length > 0);
    this.state.textContent = stale.length ? `(stale: ${stale.join(', ')} does not render now; see Diagnostics)` : '';
    const paths = outputs.map((o) => o.path);
    const samePaths = paths.join('\n') === this.outputs.map((o) => o.path).join('\n');
    this.outputs = outputs;
    if (!paths.includes(this.selected)) this.selected = paths.includes(preferred) ? preferred : paths[0] || null;
    if (!samePaths) this.rebuild();
    for (const o of outputs) {
      const view = this.editors.get(o.path);
      if (view instanceof HTMLElement) view.textContent = o.content;
      else if (view && view.state.doc.toString() !== o.content) {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: o.content } });
      }
    }
    this.select(this.selected);
  }

  rebuild() {
    clear(this.tabs);
    clear(this.views);
    this.editors.clear();
    if (this.outputs.length === 0) {
      this.views.append(h('p', {}, 'Nothing rendered (see the diagnostics).'));
      return;
    }
    const labels = shortLabels(this.outputs.map((o) => o.path));
    for (const o of this.outputs) {
      // The tab shows the shortest distinct end of the path; its name and title are the whole path.
      const tab = h('button', { type: 'button', role: 'tab', 'aria-selected': 'false', 'aria-label': o.path, title: o.path, dataset: { path: o.path } }, labels.get(o.path));
      tab.addEventListener('click', () => this.select(o.path));
      this.tabs.append(tab);
      const region = h('section', { role: 'region', 'aria-label': `Rendered ${o.path}`, class: 'output-view', dataset: { path: o.path } });
      this.views.append(region);
      const cm = editorModule();
      if (cm) this.editors.set(o.path, new cm.EditorView({ parent: region, state: cm.readOnlyState(o.path, o.content, (line) => this.onLine(o.path, line)) }));
      else this.editors.set(o.path, region.appendChild(h('pre', { class: 'code' }, o.content)));
    }
  }

  select(path) {
    this.selected = path;
    for (const tab of this.tabs.querySelectorAll('[role=tab]')) tab.setAttribute('aria-selected', String(tab.dataset.path === path));
    for (const region of this.views.querySelectorAll('section')) region.hidden = region.dataset.path !== path;
  }

  /**
   * Rendered-file findings (CloudFormation checks) in the output views' gutters, at their
   * rendered line.
   */
  showDiagnostics(diagnostics) {
    this.diagnostics = diagnostics;
    const cm = editorModule();
    if (!cm) return;
    for (const [path, view] of this.editors) {
      if (view instanceof HTMLElement) continue;
      const here = diagnostics
        .filter((d) => d.rendered && d.rendered.file === path)
        .map((d) => ({ ...d, line: d.rendered.line, column: d.rendered.column }));
      cm.showDiagnostics(view, here);
    }
  }

  /** Marks the 1-based `lines` of output `path` as made by the template line at the cursor. */
  markLinked(path, lines, { scroll = false } = {}) {
    const cm = editorModule();
    for (const [p, view] of this.editors) {
      if (!cm || view instanceof HTMLElement) continue;
      cm.markLinkedLines(view, p === path ? lines : [], { scroll: scroll && p === path });
    }
  }

  /** Shows `path` and puts the cursor on `line`; false when no such output exists. */
  reveal(path, line, column) {
    if (!this.outputs.some((o) => o.path === path)) return false;
    this.select(path);
    const view = this.editors.get(path);
    const cm = editorModule();
    if (cm && view && !(view instanceof HTMLElement)) cm.goTo(view, line, column || 1);
    return true;
  }

  text(path) {
    const o = this.outputs.find((x) => x.path === path);
    return o ? o.content : null;
  }

  current() {
    return this.outputs.find((o) => o.path === this.selected) || null;
  }

  async copy() {
    const o = this.current();
    if (!o) return;
    try {
      await navigator.clipboard.writeText(o.content);
      this.onStatus(`Copied ${o.path}`);
    } catch {
      this.onStatus('Copy failed: the browser refused clipboard access');
    }
  }

  downloadCurrent() {
    const o = this.current();
    if (o) download(o.path.split('/').pop(), o.content);
  }

  downloadZip(name = 'rendered') {
    if (this.outputs.length === 0) return;
    const entries = {};
    for (const o of this.outputs) entries[o.path] = strToU8(o.content);
    download(`${name}.zip`, new Blob([zipSync(entries)], { type: 'application/zip' }));
  }
}
