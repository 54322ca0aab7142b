// The playground page: wires the panels to the engine worker and the persisted workspace. The
// page's other parts (loading, sharing, export, tab conflicts, hooks) get `page`, below.
import { Engine } from './engine/client.js';
import { answerState } from './engine/answer.js';
import * as store from './store.js';
import { h, clear, download } from './dom.js';
import { exampleWorkspace, fillSuggestedMocks, persisted, SPEC_PATH } from './workspace.js';
import { bundleOfPath } from './engine/answer.js';
import { InputsForm } from './panels/form.js';
import { MocksPanel } from './panels/mocks.js';
import { FilesPanel } from './panels/files.js';
import { OutputsPanel } from './panels/outputs.js';
import { DiagnosticsPanel } from './panels/diagnostics.js';
import { SpecPanel } from './panels/spec.js';
import { VersionsPanel } from './panels/versions.js';
import { loadEditor } from './editor-loader.js';
import { WorkshopPanel } from './panels/workshop.js';
import { setUpLoading } from './loading.js';
import { setUpSharing } from './share-dialog.js';
import { setUpTabConflicts } from './tab-conflicts.js';
import { setUpExport } from './export.js';
import { setUpMigration } from './migrate-dialog.js';
import { exposeHooks } from './bench-hooks.js';
import { setUpSplitters, setUpPaneSwitcher, setUpTabs, setUpFolding, setUpMenu } from './layout.js';
import { setUpHelp } from './help.js';
import { linkLines } from './line-links.js';

const $ = (id) => document.getElementById(id);
/**
 * Everything the page knows between answers, in one place: the panels are shown views of it
 * (`view()`), and only this controller changes it.
 */
const state = {
  /** The gallery. */
  examples: [],
  workspace: null,
  /** The engine's description of the workspace, its selected bundle, and its render. */
  summary: null,
  bundle: null,
  report: null,
  /** The workspace's findings and the render's, with workspace paths. */
  diagnostics: [],
  // The Versions panel's findings (the repository's compatibility), counted on the status line.
  versionFindings: [],
  /** The render with files that fail now kept from the last good render (`stale` names them). */
  shown: null,
  stale: [],
  /** The last good render of each file of the shown template and target (keepLastGood). */
  lastGood: { key: null, outputs: new Map() },
  /** The last save's failure (storage full): it stays in the status line until a save works. */
  storageProblem: null,
  /** Why the engine was restarted: it stays in the status line until the next edit. */
  engineNotice: null,
  /** The status line's text when a render last wrote it. */
  renderStatus: null,
  firstRenderMs: null,
  /** How long the last engine answer took, round trip (shown in the status line). */
  renderMs: null,
  /** When the engine's first answer was shown (after the shipped one, on a first visit). */
  engineAnswered: null,
  lastCrash: -Infinity,
  /** The Versions panel's own engine (started on first use) and its refresh timer. */
  versionsEngine: null,
  versionsTimer: null,
};

/** What every panel shows (the page's `view()`: workspace, summary, bundle, report, diagnostics, shown, stale). */
function view() {
  const { workspace, summary, bundle, report, diagnostics, shown, stale } = state;
  return { workspace, summary, bundle, report, diagnostics, shown, stale };
}

const status = (text) => {
  const line = $('status');
  state.renderStatus = null;
  line.textContent = text;
  if (state.engineNotice && state.engineNotice !== text) line.append(' ', state.engineNotice);
  if (state.storageProblem) {
    line.append(' ', state.storageProblem, ' ', h('button', { type: 'button', onclick: () => download(`${state.workspace.name || 'workspace'}.json`, JSON.stringify(persisted(state.workspace), null, 2), 'application/json') }, 'Download workspace'));
  }
};

const engine = new Engine((reason, { timedOut }) => {
  // A second crash soon after the first is the same input failing again, and a render that ran
  // past the deadline would run past it again: both wait for an edit.
  const again = performance.now() - state.lastCrash < 5000;
  state.lastCrash = performance.now();
  if (timedOut || again) {
    state.engineNotice = `The engine stopped${again ? ' again' : ''} (${reason}) and was restarted: change what you last edited to render again. Your edits are kept.`;
    status(state.engineNotice);
  } else {
    state.engineNotice = `The engine stopped (${reason}) and was restarted: your edits are kept.`;
    status(state.engineNotice);
    update();
  }
}, () => update({ quiet: true }));

setUpSplitters($('workbench'));
setUpFolding($('files-toggle'));
setUpMenu($('open-menu'));
const panes = setUpPaneSwitcher(document.querySelector('.pane-switcher'), $('workbench'));
const panelTabs = setUpTabs(document.querySelector('.panel-tabs'));

/** The editor's questions, answered by the engine from the analyzed workspace (src/assist). */
const assist = {
  ask: (question, path, text, offset) => engine.call('assist', { files: state.workspace.files, name: state.workspace.templateName || '', state: answerState(state.workspace), question, path, text, offset }).catch(() => null),
  onDefinition(location, from) {
    if (!location) {
      status(`No definition found at the cursor in ${from}`);
      return;
    }
    panes.show('editor');
    files.reveal(location.file, location.line, location.column);
  },
  onCursorLine: (path, line) => links.fromTemplate(path, line),
};

const form = new InputsForm($('form'), (change) => changed(change));
const mocks = new MocksPanel($('mocks'), (change) => changed(change));
const files = new FilesPanel({
  tree: $('file-tree'), editor: $('editor'), newName: $('new-file-name'),
  addButton: $('add-file'), renameButton: $('rename-file'), deleteButton: $('delete-file'),
}, (change) => changed(change), { assist, onOpen: openedFile });
const outputs = new OutputsPanel({
  tabs: $('output-tabs'), views: $('outputs'), state: $('rendered-state'), copy: $('copy-output'),
  downloadOne: $('download-output'), downloadZip: $('download-zip'),
}, status, (path, line) => links.fromOutput(path, line));
const links = linkLines({
  engine,
  files,
  outputs,
  status,
  get workspace() { return state.workspace; },
  get report() { return state.report; },
  get bundle() { return state.bundle; },
});
const diagnosticsPanel = new DiagnosticsPanel($('diagnostics'), $('diagnostic-counts'), jump, jumpRendered);
// Comparing versions and checking a fleet render many templates: they run in a worker of their
// own, started after the first render, so typing never waits behind them.
const versions = new VersionsPanel($('versions'), () => {
  state.versionsEngine ??= new Engine(() => {
    versions.forget();
    update();
  });
  return state.versionsEngine;
}, (findings) => {
  const serious = findings.filter((d) => d.severity !== 'info').length;
  $('count-versions').textContent = serious ? String(serious) : '';
  state.versionFindings = findings;
  showCounts();
});
const workshop = new WorkshopPanel($('workshop-panel'), { tab: $('tab-workshop'), count: $('count-workshop'), onGone: () => panelTabs.select('diagnostics-panel') });
const evaluateWorkshop = () => workshop.show({ ...view(), versionsText: $('versions').textContent });
// Version verdicts arrive after the render: a workshop step may be waiting for one.
new MutationObserver(() => { if (state.workspace) evaluateWorkshop(); }).observe($('versions'), { childList: true, subtree: true, characterData: true });
/** Opening bundles and importing specs (loading.js), set up once the page starts. */
let loading = null;
const spec = new SpecPanel({
  spec: $('spec'), command: $('spec-command'), copy: $('copy-spec'), downloadButton: $('download-spec'),
  specsField: $('workspace-specs-field'), specsSelect: $('workspace-specs'),
}, status, (path) => loading.importSpec(path, state.workspace.files[path]));

function changed({ structure = false, force = false } = {}) {
  state.engineNotice = null;
  if (structure) {
    form.show(view(), { force: true });
    mocks.show(view(), { force });
  }
  update();
}

function persist() {
  if (conflicts.blocksSaving() || sharing.blocksSaving()) return;
  state.storageProblem = store.saveCurrent(state.workspace);
}

/** What an answer is shown for: the workspace, template and target. */
const shownKey = () => JSON.stringify([state.workspace.id, state.workspace.selection.root, state.workspace.selection.target]);

/**
 * Re-renders with the current state (latest wins) and refreshes every panel. `quiet` (the engine re-rendering because data arrived, not
 * because the user did something) leaves the status line to what else it says (an export's count).
 */
async function update({ quiet = false } = {}) {
  persist();
  const asked = shownKey();
  const started = performance.now();
  let result;
  try {
    result = await engine.update({ files: state.workspace.files, name: state.workspace.templateName || '', state: answerState(state.workspace) });
  } catch (error) {
    if (!error.restarted) status(`Engine error: ${error.message}`);
    return;
  }
  if (!result) return; // superseded by a newer edit
  // The user picked another workspace, template or target meanwhile: a newer update answers.
  if (asked !== shownKey()) return;
  state.engineAnswered ??= performance.now();
  state.renderMs = performance.now() - started;
  show(result, { quiet });
}

/**
 * Refreshes every panel with an engine answer (engine/answer.js). `shipped` marks the gallery's
 * answer, shown before the engine is up: the engine's own follows.
 */
function show(result, { shipped = false, quiet = false } = {}) {
  state.summary = result.summary;
  state.report = result.report;
  state.workspace.selection.root = result.root;
  state.workspace.selection.target = result.target;
  state.bundle = state.summary.bundles.find((b) => b.root === result.root) || null;
  if (state.bundle && fillSuggestedMocks(state.workspace, state.bundle)) {
    mocks.show(view(), { force: true });
    update();
    return;
  }
  state.diagnostics = [...state.summary.diagnostics, ...(state.report ? state.report.diagnostics : [])];
  Object.assign(state, keepLastGood(state.report));
  refreshSelectors();
  openBundleFile();
  labelOpenFile(state.workspace.selection.file);
  const shownView = view();
  for (const panel of [form, mocks, outputs, diagnosticsPanel, files, spec]) panel.show(shownView);
  links.refresh();
  showCounts();
  evaluateWorkshop();
  // The comparison renders two versions: it waits for the engine's own answer, and lets typing
  // in a file settle first (a change of template or workspace refreshes at once).
  clearTimeout(state.versionsTimer);
  if (!shipped) {
    const refreshVersions = () => versions.show(view());
    if (state.workspace.selection.root !== versions.followed) refreshVersions();
    else state.versionsTimer = setTimeout(refreshVersions, 250);
  }
  const all = state.diagnostics;
  const errors = all.filter((d) => d.severity === 'error').length;
  const staleNote = state.stale.length ? ` (${state.stale.length} shown from the last good render)` : '';
  const said = state.report ? `Rendered ${state.report.outputs.length} file${state.report.outputs.length === 1 ? '' : 's'}${errors ? `, ${errors} error${errors === 1 ? '' : 's'}` : ''}${staleNote}` : 'No bundle found';
  if (quiet && state.renderStatus === null && $('status').textContent) return;
  status(said);
  state.renderStatus = said;
}

/**
 * The last good render of each file of the shown template and target: a file whose render fails
 * now (a half-typed edit) stays on screen from it, marked stale, until it renders again.
 */
function keepLastGood(current) {
  if (!current) return { shown: current, stale: [] };
  const key = shownKey();
  if (state.lastGood.key !== key) state.lastGood = { key, outputs: new Map() };
  const prefix = state.bundle && state.bundle.root ? `${state.bundle.root}/` : '';
  const failing = new Set(current.diagnostics.filter((d) => d.severity === 'error' && d.code.startsWith('template-') && d.file).map((d) => d.file));
  const rendered = new Map(current.outputs.map((o) => [o.path, o]));
  const stale = [...state.lastGood.outputs.keys()].filter((path) => !rendered.has(path) && failing.has(prefix + path));
  const order = [...new Set([...state.lastGood.outputs.keys(), ...rendered.keys()])];
  const outputsShown = order.filter((path) => rendered.has(path) || stale.includes(path)).map((path) => rendered.get(path) || state.lastGood.outputs.get(path));
  for (const o of current.outputs) state.lastGood.outputs.set(o.path, o);
  return { shown: { ...current, outputs: outputsShown }, stale };
}

/** Error and warning counts in the Diagnostics tab and the status line, and the render time. */
/**
 * One count everywhere: the status line counts the render's and the workspace's findings and the
 * Versions panel's (the repository's compatibility); the Diagnostics tab its own.
 */
function showCounts() {
  const own = state.diagnostics;
  const ownErrors = own.filter((d) => d.severity === 'error').length;
  const ownWarnings = own.filter((d) => d.severity === 'warning').length;
  $('count-diagnostics').textContent = ownErrors + ownWarnings ? String(ownErrors + ownWarnings) : '';
  $('count-diagnostics').title = `${ownErrors} errors, ${ownWarnings} warnings`;
  const all = [...own, ...state.versionFindings];
  const errors = all.filter((d) => d.severity === 'error').length;
  const warnings = all.filter((d) => d.severity === 'warning').length;
  $('status-counts').textContent = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  $('render-time').textContent = state.renderMs === null ? '' : `engine ${state.renderMs.toFixed(0)} ms`;
}

/**
 * A file was opened: one the user chose from another template of the workspace selects that
 * template (what is edited is what renders); the path heads the editor. Opens by the page (the
 * editor arriving, a template's first file) never change the selection.
 */
function openedFile(path, chosen) {
  const owner = state.summary && path ? bundleOfPath(state.summary, path) : null;
  if (chosen && owner && state.workspace && owner.root !== state.workspace.selection.root) {
    state.workspace.selection.root = owner.root;
    state.workspace.selection.target = null;
    form.forget();
    mocks.forget();
    update();
  }
  labelOpenFile(path);
}

/** The open file's path over the editor, with what it is to its bundle. */
function labelOpenFile(path) {
  // The folders give way before the file's name when the pane is narrow.
  const cut = path ? path.lastIndexOf('/') + 1 : 0;
  clear($('editor-path')).append(h('span', { class: 'folders' }, path ? path.slice(0, cut) : ''), h('span', { class: 'name' }, path ? path.slice(cut) : '(no file)'));
  $('editor-path').title = path || '';
  const owner = state.summary && path ? bundleOfPath(state.summary, path) : null;
  const rel = owner && owner.root ? path.slice(owner.root.length + 1) : path;
  const infra = owner && owner.infrastructure.find((i) => i.files.includes(rel));
  $('editor-role').textContent = infra ? `${infra.target} template of ${owner.label}` : owner ? owner.label : '';
}

/** When the open file is not in the selected bundle, opens the bundle's first template. */
function openBundleFile() {
  if (!state.bundle) return;
  const prefix = state.bundle.root ? `${state.bundle.root}/` : '';
  const open = state.workspace.selection.file;
  if (open && open.startsWith(prefix) && open in state.workspace.files) return;
  const infra = state.bundle.infrastructure.find((i) => i.target === state.workspace.selection.target) || state.bundle.infrastructure[0];
  // The target's template; without one (CodeBuild provisioning), its manifest, then the schema;
  // a dotfile (`.compatible-envs`) only when the bundle has nothing else.
  const inBundle = Object.keys(state.workspace.files).filter((p) => p.startsWith(prefix));
  const candidates = [
    infra && infra.files[0] && `${prefix}${infra.files[0]}`,
    infra && `${prefix}${infra.folder ? `${infra.folder}/` : ''}manifest.yaml`,
    `${prefix}schema/schema.yaml`,
    inBundle.find((p) => !p.slice(prefix.length).split('/').some((part) => part.startsWith('.'))),
    inBundle[0],
  ];
  const first = candidates.find((p) => p && p in state.workspace.files);
  if (first) files.open(first);
}

function refreshSelectors() {
  const templatePicker = $('template-picker');
  const templateSelect = $('template');
  templatePicker.hidden = state.summary.bundles.length < 2;
  clear(templateSelect);
  for (const b of state.summary.bundles) templateSelect.append(h('option', { value: b.root, selected: b.root === state.workspace.selection.root }, `${b.label} (${b.kind})`));
  const targetSelect = $('target');
  clear(targetSelect);
  for (const t of state.bundle ? state.bundle.targets : []) targetSelect.append(h('option', { value: t, selected: t === state.workspace.selection.target }, t));
}

function jump(d) {
  if (form.focus(d.subject)) {
    panes.show('side');
    return;
  }
  panes.show('editor');
  if (d.file && files.reveal(d.file, d.line, d.column)) return;
  if (d.file && d.file !== SPEC_PATH) status(`${d.file} is not a bundle file`);
}

function jumpRendered(at) {
  panes.show('results');
  if (!outputs.reveal(at.file, at.line, at.column)) status(`${at.file} was not rendered`);
}

function attach(ws) {
  state.workspace = ws;
  state.summary = null; // the last one described the previous workspace
  files.attach(state.workspace);
  form.forget();
  mocks.forget();
  const example = $('example');
  example.value = state.workspace.id.startsWith('example:') ? state.workspace.id.slice(8) : '';
  refreshRecent();
}

async function switchTo(ws) {
  store.remember(state.workspace);
  attach(ws);
  await update();
}

function refreshRecent() {
  const select = $('recent');
  clear(select);
  select.append(h('option', { value: '' }, '—'));
  for (const w of store.recentList()) {
    if (w.id === state.workspace.id) continue;
    select.append(h('option', { value: w.id }, w.name));
  }
}

/** After a switch of target, the editor shows that target's template if it showed another's. */
function openTargetFile() {
  if (!state.bundle) return;
  const prefix = state.bundle.root ? `${state.bundle.root}/` : '';
  const open = state.workspace.selection.file || '';
  const rel = open.startsWith(prefix) ? open.slice(prefix.length) : null;
  const target = state.bundle.infrastructure.find((i) => i.target === state.workspace.selection.target);
  const elsewhere = state.bundle.infrastructure.some((i) => i !== target && i.files.includes(rel));
  if (target && target.files[0] && (rel === null || elsewhere)) files.open(`${prefix}${target.files[0]}`);
}

function setUpSelectors() {
  $('example').addEventListener('change', async (event) => {
    const ex = state.examples.find((e) => e.id === event.target.value);
    if (!ex) return;
    const saved = store.findRecent(`example:${ex.id}`);
    await switchTo(saved || exampleWorkspace(ex));
  });
  $('template').addEventListener('change', (event) => {
    state.workspace.selection.root = event.target.value;
    state.workspace.selection.target = null;
    form.forget();
    mocks.forget();
    update();
  });
  $('target').addEventListener('change', (event) => {
    state.workspace.selection.target = event.target.value;
    mocks.forget();
    openTargetFile();
    update();
  });
  $('status-counts').addEventListener('click', () => {
    panes.show('results');
    panelTabs.select('diagnostics-panel');
  });
  $('recent').addEventListener('change', async (event) => {
    const saved = store.findRecent(event.target.value);
    if (saved) await switchTo(saved);
  });
  window.addEventListener('keydown', (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === 's') {
      event.preventDefault();
      const file = files.currentFile();
      if (file) download(file.path.split('/').pop(), file.text);
    }
  });
}

/** The saved workspace, else the gallery's first example. */
function savedOrFirstExample() {
  const saved = store.loadCurrent();
  return saved && saved.files ? saved : exampleWorkspace(state.examples[0]);
}

/**
 * The gallery's answer for its first example (build.mjs), when that is what the page opened,
 * untouched: a first visit.
 */
function shippedAnswer() {
  const first = state.examples[0] && state.examples[0].firstAnswer;
  if (!first || state.workspace.id !== `example:${state.examples[0].id}`) return null;
  const shipped = state.examples[0].files;
  const sameFiles = Object.keys(state.workspace.files).length === Object.keys(shipped).length
    && Object.keys(shipped).every((path) => state.workspace.files[path] === shipped[path]);
  return sameFiles && JSON.stringify(answerState(state.workspace)) === JSON.stringify(first.state) ? first.answer : null;
}

/** What the page's parts (loading, sharing, export, tab conflicts, hooks) work with. */
const page = {
  get workspace() { return state.workspace; },
  /** The engine's summary of the workspace and the bundle shown. */
  get summary() { return state.summary; },
  get bundle() { return state.bundle; },
  engine,
  outputs,
  status,
  attach,
  update,
  changed,
  switchTo,
  persist,
  refreshRecent,
  savedOrFirstExample,
  /** The workspace's bundle of template `name` at major `version` (as adoption names it). */
  bundleNamed(name, version) {
    return (state.summary ? state.summary.bundles : []).find((b) => b.name === name && String(b.major ?? 1) === String(version)) || null;
  },
  /** Opens a workspace file at a line in the editor. */
  reveal(path, line) {
    panes.show('editor');
    files.reveal(path, line, 1);
  },
};
const conflicts = setUpTabConflicts(page);
const sharing = setUpSharing(page);

async function main() {
  loading = setUpLoading(page);
  const { loadFiles } = loading;
  setUpHelp();
  setUpExport(page);
  setUpMigration(page);
  setUpSelectors();
  state.examples = await (window.protonPlaygroundExamples || fetch('examples.json').then((r) => r.json()));
  const exampleSelect = $('example');
  // Shown while the workspace is not a gallery example (a bundle of the user's).
  exampleSelect.append(h('option', { value: '', disabled: true }, 'Choose an example…'));
  for (const ex of state.examples) exampleSelect.append(h('option', { value: ex.id }, ex.title));
  attach(sharing.sharedWorkspace() || savedOrFirstExample());
  engine.call('version').then((v) => { $('version').textContent = `Engine ${v}.`; });
  // On a first visit the gallery's answer is on screen at once; the editor (CodeMirror) loads
  // once the engine has answered too and that answer is painted: evaluating its 600 KB of script
  // before the frame would hold the render off the screen.
  const afterPaint = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const shipped = shippedAnswer();
  if (shipped) {
    show(shipped, { shipped: true });
    update().then(afterPaint).then(loadEditor);
  } else {
    await update();
    afterPaint().then(loadEditor);
  }
  state.firstRenderMs = performance.now();
  exposeHooks(page, { firstRenderMs: state.firstRenderMs, shipped: !!shipped, engineAnsweredMs: () => state.engineAnswered, loadFiles });
}

main();
