// *Export .zip*, the way off Proton: every rendered file of every template, target and instance
// (the engine's `exportAll`), plus the workspace itself (`workspace.json`: inputs, mocks and
// settings), so what produced the files travels with them.
import { zipSync, strToU8 } from 'fflate';
import { answerState } from './engine/answer.js';
import { persisted } from './workspace.js';
import { download } from './dom.js';

/** The file of the export that holds the workspace. */
export const WORKSPACE_FILE = 'workspace.json';

/** Wires the Export button to `page` (main.js). */
export function setUpExport(page) {
  document.getElementById('export').addEventListener('click', async () => {
    const workspace = page.workspace;
    const { files, diagnostics } = await page.engine.call('exportAll', { files: workspace.files, name: workspace.templateName || '', state: answerState(workspace) });
    const entries = { [WORKSPACE_FILE]: strToU8(JSON.stringify(persisted(workspace), null, 2)) };
    for (const f of files) entries[f.path] = strToU8(f.content);
    download(`${workspace.templateName || 'workspace'}-export.zip`, new Blob([zipSync(entries)], { type: 'application/zip' }));
    // Renders that failed, and names that could not be files, are said, never dropped silently.
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const problems = errors.length ? `; ${errors.length} error${errors.length === 1 ? '' : 's'}: ${errors.slice(0, 3).map((d) => `${d.file ? `${d.file}: ` : ''}${d.code}`).join(', ')}${errors.length > 3 ? ', …' : ''}` : '';
    page.status(`Exported ${Object.keys(entries).length} files${problems}`);
  });
}
