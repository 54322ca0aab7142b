// The spec for the current inputs, live, with the commands that use it; the workspace's own spec
// files to import.
import { download, h, clear } from '../dom.js';

function shellQuote(s) {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export class SpecPanel {
  /** `onImport(path)` imports one of the workspace's spec files into the form. */
  constructor({ spec, command, copy, downloadButton, specsField, specsSelect }, onStatus, onImport) {
    this.specEl = spec;
    this.specsField = specsField;
    this.specsSelect = specsSelect;
    specsSelect.addEventListener('change', () => {
      const path = specsSelect.value;
      specsSelect.value = '';
      if (path) onImport(path);
    });
    this.commandEl = command;
    this.onStatus = onStatus;
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(this.text || '');
        onStatus('Copied the spec');
      } catch {
        onStatus('Copy failed: the browser refused clipboard access');
      }
    });
    downloadButton.addEventListener('click', () => download('spec.yaml', this.text || ''));
  }

  /**
   * Shows the page's view (main.js `view()`): the spec for the current inputs, the commands that
   * use it now that Proton's API is gone, and the spec files the workspace holds.
   */
  show({ report, bundle, workspace, summary }) {
    this.text = report ? report.spec : '';
    this.specEl.textContent = this.text;
    this.showWorkspaceSpecs(summary ? summary.spec_files : []);
    if (!bundle || !report) {
      this.commandEl.textContent = '';
      return;
    }
    // Where the user keeps the bundle: the folder or archive they opened, when the page knows it.
    const opened = workspace.name && !/\s/.test(workspace.name) ? workspace.name : 'path/to/bundle';
    const source = shellQuote(opened);
    const template = summary && summary.repository ? ` --template ${bundle.name}:${bundle.major || 1}` : '';
    const target = workspace.selection.target;
    const specFile = 'spec.yaml';
    const forMigrate = summary && summary.repository ? `${bundle.name}:${bundle.major || 1}=${specFile}` : specFile;
    this.commandEl.textContent = [
      '# What Proton rendered for these inputs (Download saves spec.yaml; mocks as in the Mocks panel):',
      `proton-playground render ${source}${template} --target ${target} --spec ${specFile}`,
      '',
      '# A CloudFormation Git Sync repository that deploys this stack, proven equal to the render:',
      `proton-playground migrate ${source} --specs ${forMigrate} --out git-sync/`,
    ].join('\n');
  }

  /** The workspace's spec files, offered beside *Import spec…*. */
  showWorkspaceSpecs(paths) {
    const key = paths.join('\n');
    if (key === this.specsKey) return;
    this.specsKey = key;
    this.specsField.hidden = paths.length === 0;
    clear(this.specsSelect);
    this.specsSelect.append(h('option', { value: '' }, `${paths.length} spec file${paths.length === 1 ? '' : 's'}…`));
    for (const path of paths) this.specsSelect.append(h('option', { value: path }, path));
  }
}
