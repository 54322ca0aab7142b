// The bundle's files: a tree, one CodeMirror editor, add/rename/delete, gutter diagnostics.
import { h, clear } from '../dom.js';
import { editorReady } from '../editor-loader.js';

export class FilesPanel {
  constructor({ tree, editor, newName, addButton, renameButton, deleteButton }, onChange) {
    this.treeEl = tree;
    this.onChange = onChange;
    this.states = new Map();
    this.editorEl = editor;
    this.view = null;
    this.placeholder = h('pre', { class: 'code', 'aria-label': 'File (loading the editor)' });
    editor.append(this.placeholder);
    editorReady.then((cm) => {
      this.cm = cm;
      this.placeholder.remove();
      this.view = new cm.EditorView({ parent: editor });
      if (this.workspace) this.open(this.path);
    });
    this.newName = newName;
    this.path = null;
    addButton.addEventListener('click', () => this.add());
    renameButton.addEventListener('click', () => this.rename());
    deleteButton.addEventListener('click', () => this.remove());
  }

  attach(workspace) {
    this.workspace = workspace;
    Object.freeze(workspace.files); // see `edit`
    this.states.clear();
    const paths = Object.keys(workspace.files).sort();
    const wanted = workspace.selection.file;
    this.open(paths.includes(wanted) ? wanted : paths.find((p) => /infrastructure\/.*\.(ya?ml|json)$/.test(p) && !p.endsWith('manifest.yaml')) || paths[0] || null);
  }

  stateFor(path) {
    if (!this.states.has(path)) {
      this.states.set(path, this.cm.editableState(path, this.workspace.files[path] ?? '', (text) => {
        this.edit((files) => { files[path] = text; });
      }));
    }
    return this.states.get(path);
  }

  open(path) {
    this.path = path;
    this.workspace.selection.file = path;
    if (!this.view) this.placeholder.textContent = path ? this.workspace.files[path] ?? '' : '';
    else if (path !== null && path in this.workspace.files) this.view.setState(this.stateFor(path));
    else this.view.setState(this.cm.editableState('(none)', '', () => {}));
    this.drawTree();
    this.showDiagnostics(this.lastDiagnostics || []);
  }

  /** Opens `path` (if it is a bundle file) at a line. */
  reveal(path, line, column) {
    if (!(path in this.workspace.files)) return false;
    if (path !== this.path) this.open(path);
    if (line && this.view) this.cm.goTo(this.view, line, column || 1);
    return true;
  }

  drawTree(errorFiles = this.errorFiles || new Set()) {
    this.errorFiles = errorFiles;
    clear(this.treeEl);
    for (const path of Object.keys(this.workspace.files).sort()) {
      const button = h('button', { type: 'button', role: 'treeitem', 'aria-selected': String(path === this.path), class: errorFiles.has(path) ? 'has-error' : '' }, path);
      button.addEventListener('click', () => this.open(path));
      this.treeEl.append(h('li', {}, button));
    }
  }

  showDiagnostics(diagnostics) {
    this.lastDiagnostics = diagnostics;
    if (this.view) this.cm.showDiagnostics(this.view, diagnostics.filter((d) => d.file === this.path));
    this.drawTree(new Set(diagnostics.filter((d) => d.severity === 'error' && d.file).map((d) => d.file)));
  }

  add() {
    const path = this.newName.value.trim().replace(/^\/+/, '');
    if (!path || path.includes('..') || path in this.workspace.files) return;
    this.edit((files) => { files[path] = ''; }, path);
    this.newName.value = '';
  }

  rename() {
    const path = this.newName.value.trim().replace(/^\/+/, '');
    if (!this.path || !path || path.includes('..') || path in this.workspace.files) return;
    const from = this.path;
    this.states.delete(from);
    this.newName.value = '';
    this.edit((files) => {
      files[path] = files[from];
      delete files[from];
    }, path);
  }

  remove() {
    if (!this.path) return;
    const gone = this.path;
    this.states.delete(gone);
    this.edit((files) => { delete files[gone]; }, null);
  }

  /**
   * Changes the files through a copy: `workspace.files` is replaced, never mutated, so that
   * "the files changed" is a comparison of objects (the engine sends files to its worker only
   * then). `open` is the file to show afterwards (`null`: the first one), if any.
   */
  edit(change, open) {
    const files = { ...this.workspace.files };
    change(files);
    this.workspace.files = Object.freeze(files);
    if (open !== undefined) this.open(open ?? (Object.keys(files).sort()[0] || null));
    this.onChange();
  }

  currentFile() {
    return this.path ? { path: this.path, text: this.workspace.files[this.path] ?? '' } : null;
  }
}
