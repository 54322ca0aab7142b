// Loading bundles into the page: *Open archive…*, *Open folder…*, a folder or archive dropped
// anywhere on the page, and *Import spec…* (inputs from a spec file).
import { newWorkspace, applySpec } from './workspace.js';
import { readDroppedItems, readFolderPick } from './loader.js';

const $ = (id) => document.getElementById(id);

/** Wires the open and drop controls to `page` (main.js); returns `loadFiles` for the hooks. */
export function setUpLoading(page) {
  async function loadFiles(name, fileMap, loadDiagnostics = []) {
    const ws = newWorkspace({ id: `bundle:${name}:${Date.now()}`, name, files: fileMap });
    ws.templateName = name.replace(/\.(tar\.gz|tgz|zip|tar)$/i, '').replace(/[^0-9A-Za-z_-]+/g, '-');
    await page.switchTo(ws);
    if (loadDiagnostics.length) page.status(`Loaded ${name}: ${loadDiagnostics.map((d) => d.message).join('; ')}`);
  }

  async function loadArchiveFile(file) {
    const bytes = await file.arrayBuffer();
    const loaded = await page.engine.call('loadArchive', { name: file.name, bytes }, [bytes]);
    await loadFiles(file.name, loaded.files, loaded.diagnostics.filter((d) => d.severity !== 'info'));
  }

  $('open-archive').addEventListener('change', async (event) => {
    const file = event.target.files[0];
    event.target.value = '';
    if (file) await loadArchiveFile(file);
  });
  $('open-folder').addEventListener('change', async (event) => {
    const picked = await readFolderPick(event.target.files);
    event.target.value = '';
    if (picked) await loadFiles(picked.name, picked.files);
  });
  const hint = $('drop-hint');
  window.addEventListener('dragover', (event) => {
    event.preventDefault();
    hint.hidden = false;
  });
  window.addEventListener('dragleave', (event) => {
    if (!event.relatedTarget) hint.hidden = true;
  });
  window.addEventListener('drop', async (event) => {
    event.preventDefault();
    hint.hidden = true;
    const dropped = await readDroppedItems(event.dataTransfer);
    if (dropped.archive) await loadArchiveFile(dropped.archive);
    else if (dropped.files) await loadFiles(dropped.name, dropped.files);
  });
  window.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') hint.hidden = true;
  });
  /** Fills the form from the spec document `text` (a file picked, or one of the workspace's). */
  async function importSpec(name, text) {
    try {
      applySpec(page.workspace, await page.engine.call('parseYaml', { text }));
      page.changed({ structure: true, force: true });
      page.status(`Imported ${name}`);
    } catch (error) {
      page.status(`${name}: ${error.message}`);
    }
  }

  $('import-spec').addEventListener('change', async (event) => {
    const file = event.target.files[0];
    event.target.value = '';
    if (file) await importSpec(file.name, await file.text());
  });
  return { loadFiles, importSpec };
}
