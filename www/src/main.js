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
import { setUpSplitters, setUpPaneSwitcher, setUpTabs } from './layout.js';
import { setUpHelp } from './help.js';
import { linkLines } from './line-links.js';

const $ = (id) => document.getElementById(id);
/** The last save's failure (storage full): it stays in the status line until a save works. */
let storageProblem = null;
/** Why the engine was restarted: it stays in the status line until the next edit. */
let engineNotice = null;
/** The status line's text when a render last wrote it. */
let renderStatus = null;
const status = (text) => {
  const line = $('status');
  renderStatus = null;
  line.textContent = text;
  if (engineNotice && engineNotice !== text) line.append(' ', engineNotice);
  if (storageProblem) {
    line.append(' ', storageProblem, ' ', h('button', { type: 'button', onclick: () => download(`${workspace.name || 'workspace'}.json`, JSON.stringify(persisted(workspace), null, 2), 'application/json') }, 'Download workspace'));
  }
};

let examples = [];
let workspace = null;
let summary = null;
let bundle = null;
let report = null;
let firstRenderMs = null;
/** How long the last engine answer took, round trip (shown in the status line). */
let renderMs = null;
/** When the engine's first answer was shown (after the shipped one, on a first visit). */
let engineAnswered = null;

let lastCrash = -Infinity;
const engine = new Engine((reason, { timedOut }) => {
  // A second crash soon after the first is the same input failing again, and a render that ran
  // past the deadline would run past it again: both wait for an edit.
  const again = performance.now() - lastCrash < 5000;
  lastCrash = performance.now();
  if (timedOut || again) {
    engineNotice = `The engine stopped${again ? ' again' : ''} (${reason}) and was restarted: change what you last edited to render again. Your edits are kept.`;
    status(engineNotice);
  } else {
    engineNotice = `The engine stopped (${reason}) and was restarted: your edits are kept.`;
    status(engineNotice);
    update();
  }
}, () => update({ quiet: true }));

setUpSplitters($('workbench'));
const panes = setUpPaneSwitcher(document.querySelector('.pane-switcher'), $('workbench'));
const panelTabs = setUpTabs(document.querySelector('.panel-tabs'));

/** The editor's questions, answered by the engine from the analyzed workspace (src/assist). */
const assist = {
  ask: (question, path, text, offset) => engine.call('assist', { files: workspace.files, name: workspace.templateName || '', state: answerState(workspace), question, path, text, offset }).catch(() => null),
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
  get workspace() { return workspace; },
  get report() { return report; },
  get bundle() { return bundle; },
});
const diagnosticsPanel = new DiagnosticsPanel($('diagnostics'), $('diagnostic-counts'), jump, jumpRendered);
// Comparing versions and checking a fleet render many templates: they run in a worker of their
// own, started after the first render, so typing never waits behind them.
let versionsEngine = null;
const versions = new VersionsPanel($('versions'), () => {
  versionsEngine ??= new Engine(() => {
    versions.signature = null;
    update();
  });
  return versionsEngine;
}, (findings) => {
  const serious = findings.filter((d) => d.severity !== 'info').length;
  $('count-versions').textContent = serious ? String(serious) : '';
});
const workshop = new WorkshopPanel($('workshop-panel'));
let lastDiagnostics = [];
const evaluateWorkshop = () => workshop.evaluate({ workspace, report, diagnostics: lastDiagnostics, versionsText: $('versions').textContent });
// Version verdicts arrive after the render: a workshop step may be waiting for one.
new MutationObserver(() => { if (workspace) evaluateWorkshop(); }).observe($('versions'), { childList: true, subtree: true, characterData: true });
let versionsTimer = null;
const spec = new SpecPanel({ spec: $('spec'), command: $('spec-command'), copy: $('copy-spec'), downloadButton: $('download-spec') }, status);

function changed({ structure = false, force = false } = {}) {
  engineNotice = null;
  if (structure) {
    form.render(bundle, workspace, true);
    mocks.render(bundle, workspace, force);
  }
  update();
}

function persist() {
  if (conflicts.blocksSaving() || sharing.blocksSaving()) return;
  storageProblem = store.saveCurrent(workspace);
}

/** What an answer is shown for: the workspace, template and target. */
const shownKey = () => JSON.stringify([workspace.id, workspace.selection.root, workspace.selection.target]);

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
    result = await engine.update({ files: workspace.files, name: workspace.templateName || '', state: answerState(workspace) });
  } catch (error) {
    if (!error.restarted) status(`Engine error: ${error.message}`);
    return;
  }
  if (!result) return; // superseded by a newer edit
  // The user picked another workspace, template or target meanwhile: a newer update answers.
  if (asked !== shownKey()) return;
  engineAnswered ??= performance.now();
  renderMs = performance.now() - started;
  show(result, { quiet });
}

/**
 * Refreshes every panel with an engine answer (engine/answer.js). `shipped` marks the gallery's
 * answer, shown before the engine is up: the engine's own follows.
 */
function show(result, { shipped = false, quiet = false } = {}) {
  summary = result.summary;
  report = result.report;
  workspace.selection.root = result.root;
  workspace.selection.target = result.target;
  bundle = summary.bundles.find((b) => b.root === result.root) || null;
  if (bundle && fillSuggestedMocks(workspace, bundle)) {
    mocks.render(bundle, workspace, true);
    update();
    return;
  }
  refreshSelectors();
  openBundleFile();
  labelOpenFile(workspace.selection.file);
  form.render(bundle, workspace);
  mocks.render(bundle, workspace);
  const { shown, stale } = keepLastGood(report);
  outputs.show(shown, workspace.selection.output, stale);
  links.refresh();
  const all = allDiagnostics();
  diagnosticsPanel.show(all);
  showCounts(all);
  files.showDiagnostics(all);
  outputs.showDiagnostics(report ? report.diagnostics : []);
  lastDiagnostics = all;
  evaluateWorkshop();
  form.showErrors(report ? report.diagnostics : []);
  spec.show(report, bundle, workspace);
  // The comparison renders two versions: it waits for the engine's own answer, and lets typing
  // in a file settle first (a change of template or workspace refreshes at once).
  clearTimeout(versionsTimer);
  if (!shipped) {
    const refreshVersions = () => versions.refresh(workspace, summary, workspace.selection.root);
    if (workspace.selection.root !== versions.followed) refreshVersions();
    else versionsTimer = setTimeout(refreshVersions, 250);
  }
  const errors = all.filter((d) => d.severity === 'error').length;
  const staleNote = stale.length ? ` (${stale.length} shown from the last good render)` : '';
  const said = report ? `Rendered ${report.outputs.length} file${report.outputs.length === 1 ? '' : 's'}${errors ? `, ${errors} error${errors === 1 ? '' : 's'}` : ''}${staleNote}` : 'No bundle found';
  if (quiet && renderStatus === null && $('status').textContent) return;
  status(said);
  renderStatus = said;
}

/**
 * The last good render of each file of the shown template and target: a file whose render fails
 * now (a half-typed edit) stays on screen from it, marked stale, until it renders again.
 */
let lastGood = { key: null, outputs: new Map() };
function keepLastGood(current) {
  if (!current) return { shown: current, stale: [] };
  const key = shownKey();
  if (lastGood.key !== key) lastGood = { key, outputs: new Map() };
  const prefix = bundle && bundle.root ? `${bundle.root}/` : '';
  const failing = new Set(current.diagnostics.filter((d) => d.severity === 'error' && d.code.startsWith('template-') && d.file).map((d) => d.file));
  const rendered = new Map(current.outputs.map((o) => [o.path, o]));
  const stale = [...lastGood.outputs.keys()].filter((path) => !rendered.has(path) && failing.has(prefix + path));
  const order = [...new Set([...lastGood.outputs.keys(), ...rendered.keys()])];
  const outputsShown = order.filter((path) => rendered.has(path) || stale.includes(path)).map((path) => rendered.get(path) || lastGood.outputs.get(path));
  for (const o of current.outputs) lastGood.outputs.set(o.path, o);
  return { shown: { ...current, outputs: outputsShown }, stale };
}

/** Error and warning counts in the Diagnostics tab and the status line, and the render time. */
function showCounts(all) {
  const errors = all.filter((d) => d.severity === 'error').length;
  const warnings = all.filter((d) => d.severity === 'warning').length;
  $('count-diagnostics').textContent = errors + warnings ? String(errors + warnings) : '';
  $('count-diagnostics').title = `${errors} errors, ${warnings} warnings`;
  $('status-counts').textContent = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  $('render-time').textContent = renderMs === null ? '' : `engine ${renderMs.toFixed(0)} ms`;
}

/**
 * A file was opened: one the user chose from another template of the workspace selects that
 * template (what is edited is what renders); the path heads the editor. Opens by the page (the
 * editor arriving, a template's first file) never change the selection.
 */
function openedFile(path, chosen) {
  const owner = summary && path ? bundleOfPath(summary, path) : null;
  if (chosen && owner && workspace && owner.root !== workspace.selection.root) {
    workspace.selection.root = owner.root;
    workspace.selection.target = null;
    form.signature = null;
    mocks.signature = null;
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
  const owner = summary && path ? bundleOfPath(summary, path) : null;
  const rel = owner && owner.root ? path.slice(owner.root.length + 1) : path;
  const infra = owner && owner.infrastructure.find((i) => i.files.includes(rel));
  $('editor-role').textContent = infra ? `${infra.target} template of ${owner.label}` : owner ? owner.label : '';
}

/** The workspace's findings and the render's, all with workspace paths (the engine puts them there). */
function allDiagnostics() {
  return [...summary.diagnostics, ...(report ? report.diagnostics : [])];
}

/** When the open file is not in the selected bundle, opens the bundle's first template. */
function openBundleFile() {
  if (!bundle) return;
  const prefix = bundle.root ? `${bundle.root}/` : '';
  const open = workspace.selection.file;
  if (open && open.startsWith(prefix) && open in workspace.files) return;
  const infra = bundle.infrastructure.find((i) => i.target === workspace.selection.target) || bundle.infrastructure[0];
  const first = infra && infra.files[0] ? `${prefix}${infra.files[0]}` : Object.keys(workspace.files).find((p) => p.startsWith(prefix));
  if (first) files.open(first);
}

function refreshSelectors() {
  const templatePicker = $('template-picker');
  const templateSelect = $('template');
  templatePicker.hidden = summary.bundles.length < 2;
  clear(templateSelect);
  for (const b of summary.bundles) templateSelect.append(h('option', { value: b.root, selected: b.root === workspace.selection.root }, `${b.label} (${b.kind})`));
  const targetSelect = $('target');
  clear(targetSelect);
  for (const t of bundle ? bundle.targets : []) targetSelect.append(h('option', { value: t, selected: t === workspace.selection.target }, t));
}

function jump(d) {
  if (form.focus(d.subject)) {
    panes.show('inputs');
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
  workspace = ws;
  summary = null; // the last one described the previous workspace
  files.attach(workspace);
  form.signature = null;
  mocks.signature = null;
  const example = $('example');
  example.value = workspace.id.startsWith('example:') ? workspace.id.slice(8) : '';
  refreshRecent();
}

async function switchTo(ws) {
  store.remember(workspace);
  attach(ws);
  await update();
}

function refreshRecent() {
  const select = $('recent');
  clear(select);
  select.append(h('option', { value: '' }, '—'));
  for (const w of store.recentList()) {
    if (w.id === workspace.id) continue;
    select.append(h('option', { value: w.id }, w.name));
  }
}

/** After a switch of target, the editor shows that target's template if it showed another's. */
function openTargetFile() {
  if (!bundle) return;
  const prefix = bundle.root ? `${bundle.root}/` : '';
  const open = workspace.selection.file || '';
  const rel = open.startsWith(prefix) ? open.slice(prefix.length) : null;
  const target = bundle.infrastructure.find((i) => i.target === workspace.selection.target);
  const elsewhere = bundle.infrastructure.some((i) => i !== target && i.files.includes(rel));
  if (target && target.files[0] && (rel === null || elsewhere)) files.open(`${prefix}${target.files[0]}`);
}

function setUpSelectors() {
  $('example').addEventListener('change', async (event) => {
    const ex = examples.find((e) => e.id === event.target.value);
    if (!ex) return;
    const saved = store.findRecent(`example:${ex.id}`);
    await switchTo(saved || exampleWorkspace(ex));
  });
  $('template').addEventListener('change', (event) => {
    workspace.selection.root = event.target.value;
    workspace.selection.target = null;
    form.signature = null;
    mocks.signature = null;
    update();
  });
  $('target').addEventListener('change', (event) => {
    workspace.selection.target = event.target.value;
    mocks.signature = null;
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
  return saved && saved.files ? saved : exampleWorkspace(examples[0]);
}

/**
 * The gallery's answer for its first example (build.mjs), when that is what the page opened,
 * untouched: a first visit.
 */
function shippedAnswer() {
  const first = examples[0] && examples[0].firstAnswer;
  if (!first || workspace.id !== `example:${examples[0].id}`) return null;
  const shipped = examples[0].files;
  const sameFiles = Object.keys(workspace.files).length === Object.keys(shipped).length
    && Object.keys(shipped).every((path) => workspace.files[path] === shipped[path]);
  return sameFiles && JSON.stringify(answerState(workspace)) === JSON.stringify(first.state) ? first.answer : null;
}

/** What the page's parts (loading, sharing, export, tab conflicts, hooks) work with. */
const page = {
  get workspace() { return workspace; },
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
  /** Opens a workspace file at a line in the editor. */
  reveal(path, line) {
    panes.show('editor');
    files.reveal(path, line, 1);
  },
};
const conflicts = setUpTabConflicts(page);
const sharing = setUpSharing(page);

async function main() {
  const { loadFiles } = setUpLoading(page);
  setUpHelp();
  setUpExport(page);
  setUpMigration(page);
  setUpSelectors();
  examples = await (window.protonPlaygroundExamples || fetch('examples.json').then((r) => r.json()));
  const exampleSelect = $('example');
  // Shown while the workspace is not a gallery example (a bundle of the user's).
  exampleSelect.append(h('option', { value: '', disabled: true }, 'Choose an example…'));
  for (const ex of examples) exampleSelect.append(h('option', { value: ex.id }, ex.title));
  attach(sharing.sharedWorkspace() || savedOrFirstExample());
  engine.call('version').then((v) => { $('version').textContent = `Engine ${v}.`; });
  // On a first visit the gallery's answer is on screen at once; the editor (CodeMirror) loads
  // once the engine has answered too, not to compete with it for the processor.
  const shipped = shippedAnswer();
  if (shipped) {
    show(shipped, { shipped: true });
    update().then(loadEditor);
  } else {
    await update();
    loadEditor();
  }
  firstRenderMs = performance.now();
  exposeHooks(page, { firstRenderMs, shipped: !!shipped, engineAnsweredMs: () => engineAnswered, loadFiles });
}

main();
