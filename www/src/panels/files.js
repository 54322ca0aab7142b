// The bundle's files: a tree, one CodeMirror editor, add/rename/delete, gutter diagnostics.
import { h, clear } from '../dom.js';
import { editorReady } from '../editor-loader.js';

export class FilesPanel {
  /**
   * `assist` answers the editor's questions (editor.js); `onOpen(path, chosen)` hears which file
   * the editor shows, and whether the user chose it (the tree, a jump) or the page did.
   */
  constructor({ tree, editor, newName, addButton, renameButton, deleteButton }, onChange, { assist = null, onOpen = () => {} } = {}) {
    this.treeEl = tree;
    this.onChange = onChange;
    this.assist = assist;
    this.onOpen = onOpen;
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
    this.setUpTreeKeys();
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
      }, this.assist));
    }
    return this.states.get(path);
  }

  open(path, { chosen = false } = {}) {
    this.path = path;
    this.workspace.selection.file = path;
    if (!this.view) this.placeholder.textContent = path ? this.workspace.files[path] ?? '' : '';
    else if (path !== null && path in this.workspace.files) this.view.setState(this.stateFor(path));
    else this.view.setState(this.cm.editableState('(none)', '', () => {}));
    this.drawTree();
    this.showDiagnostics(this.lastDiagnostics || []);
    this.onOpen(path, chosen);
  }

  /** Opens `path` (if it is a bundle file) at a line. */
  reveal(path, line, column) {
    if (!(path in this.workspace.files)) return false;
    if (path !== this.path) this.open(path, { chosen: true });
    if (line && this.view) this.cm.goTo(this.view, line, column || 1);
    return true;
  }

  drawTree(errorFiles = this.errorFiles || new Set()) {
    this.errorFiles = errorFiles;
    const paths = Object.keys(this.workspace.files).sort();
    // A small workspace shows every file; a large one the folders down to the open file.
    if (!this.expanded || this.expandedFor !== this.workspace) {
      this.expanded = new Set(paths.length <= 60 ? paths.flatMap(ancestors) : []);
      this.expandedFor = this.workspace;
    }
    if (this.path) for (const folder of ancestors(this.path)) this.expanded.add(folder);
    const hadFocus = this.treeEl.contains(document.activeElement);
    // A redraw (new diagnostics, a render) keeps the keyboard where the user left it.
    const focused = hadFocus ? { ...document.activeElement.dataset } : null;
    clear(this.treeEl);
    const root = folderTree(paths);
    this.items = [];
    // A flat list of tree items with levels (ARIA's flat tree): each item's name is its own text,
    // a file's with its folders (in zero-size text), so it is found by its full path.
    const draw = (node, level) => {
      const indent = `padding-left: ${(level - 1) * 0.8 + 0.25}rem`;
      for (const [name, child] of node.folders) {
        const open = this.expanded.has(child.path);
        const hasError = !open && [...errorFiles].some((f) => f.startsWith(`${child.path}/`));
        const item = h('li', { role: 'treeitem', class: `folder${hasError ? ' has-error' : ''}`, 'aria-level': String(level), 'aria-expanded': String(open), tabindex: '-1', style: indent, dataset: { folder: child.path } },
          h('span', { class: 'row' }, name));
        this.treeEl.append(item);
        this.items.push(item);
        if (open) draw(child, level + 1);
      }
      for (const path of node.files) {
        const cut = path.lastIndexOf('/') + 1;
        const item = h('li', { role: 'treeitem', 'aria-level': String(level), 'aria-selected': String(path === this.path), tabindex: '-1', class: errorFiles.has(path) ? 'has-error' : '', style: indent, dataset: { file: path }, title: path },
          h('span', { class: 'row' }, cut ? h('span', { class: 'folder-prefix' }, path.slice(0, cut)) : null, path.slice(cut)));
        this.treeEl.append(item);
        this.items.push(item);
      }
    };
    draw(root, 1);
    const same = focused && this.items.find((i) => (focused.folder !== undefined ? i.dataset.folder === focused.folder : i.dataset.file === focused.file));
    const current = same || this.items.find((i) => i.dataset.file === this.path) || this.items[0];
    if (current) current.tabIndex = 0;
    if (hadFocus && current) current.focus();
  }

  /** Click and keys on the tree: one Tab stop, arrows move, → / ← open and close folders. */
  setUpTreeKeys() {
    const act = (item) => {
      if (item.dataset.folder !== undefined) this.toggle(item.dataset.folder);
      else this.open(item.dataset.file, { chosen: true });
    };
    this.treeEl.addEventListener('click', (event) => {
      const item = event.target.closest('[role=treeitem]');
      if (item) act(item);
    });
    this.treeEl.addEventListener('keydown', (event) => {
      const item = event.target.closest('[role=treeitem]');
      if (!item) return;
      const at = this.items.indexOf(item);
      const focus = (next) => {
        if (!next) return;
        for (const i of this.items) i.tabIndex = -1;
        next.tabIndex = 0;
        next.focus();
      };
      const folder = item.dataset.folder;
      const level = Number(item.getAttribute('aria-level'));
      const parentFolder = this.items.slice(0, at).reverse().find((i) => Number(i.getAttribute('aria-level')) < level);
      switch (event.key) {
        case 'ArrowDown': focus(this.items[at + 1]); break;
        case 'ArrowUp': focus(this.items[at - 1]); break;
        case 'Home': focus(this.items[0]); break;
        case 'End': focus(this.items[this.items.length - 1]); break;
        case 'ArrowRight':
          if (folder === undefined) return;
          if (!this.expanded.has(folder)) this.toggle(folder);
          else focus(this.items[at + 1]);
          break;
        case 'ArrowLeft':
          if (folder !== undefined && this.expanded.has(folder)) this.toggle(folder);
          else focus(parentFolder);
          break;
        case 'Enter':
        case ' ':
          act(item);
          break;
        default: return;
      }
      event.preventDefault();
    });
  }

  toggle(folder) {
    if (this.expanded.has(folder)) this.expanded.delete(folder);
    else this.expanded.add(folder);
    this.drawTree();
    const item = this.items.find((i) => i.dataset.folder === folder);
    if (item) {
      for (const i of this.items) i.tabIndex = -1;
      item.tabIndex = 0;
      item.focus();
    }
  }

  /** Shows the page's view (main.js `view()`): its findings in the editor's gutter and the tree. */
  show({ diagnostics }) {
    this.showDiagnostics(diagnostics);
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

/** The folders holding `path`, outermost first (`a/b/c.yaml` → `a`, `a/b`). */
function ancestors(path) {
  const parts = path.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** Paths as nested folders: `{ path, folders: Map(name → node), files: [path] }`. */
function folderTree(paths) {
  const root = { path: '', folders: new Map(), files: [] };
  for (const path of paths) {
    let node = root;
    const parts = path.split('/');
    for (const part of parts.slice(0, -1)) {
      if (!node.folders.has(part)) node.folders.set(part, { path: node.path ? `${node.path}/${part}` : part, folders: new Map(), files: [] });
      node = node.folders.get(part);
    }
    node.files.push(path);
  }
  return root;
}
