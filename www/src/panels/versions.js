// The Versions panel: pick two versions, see each change with the rule that decided it, the
// verdict on the declared bump, the rendered diff; and the repository's compatibility findings.
import { h, clear } from '../dom.js';

export class VersionsPanel {
  constructor(root, engine) {
    this.root = root;
    this.engine = engine;
    this.oldRoot = null;
    this.newRoot = null;
    this.declared = '';
    this.signature = null;
  }

  /// Refreshes when the files or the bundle list changed (the comparison uses default inputs).
  async refresh(workspace, summary, selectedRoot, filesVersion, force = false) {
    if (!summary) return;
    const bundles = summary.bundles;
    const roots = bundles.map((b) => b.root);
    // Follow the template picked at the top: compare it with its previous major by default.
    if (selectedRoot !== this.followed) {
      this.followed = selectedRoot;
      this.newRoot = selectedRoot;
      this.oldRoot = null;
    }
    if (!roots.includes(this.newRoot)) this.newRoot = selectedRoot;
    if (!roots.includes(this.oldRoot)) {
      const current = bundles.find((b) => b.root === this.newRoot);
      const earlier = bundles.filter((b) => current && b.name === current.name && (b.major || 0) < (current.major || 0));
      this.oldRoot = earlier.length ? earlier[earlier.length - 1].root : this.newRoot;
    }
    const signature = JSON.stringify([filesVersion, this.oldRoot, this.newRoot, this.declared, roots]);
    if (!force && signature === this.signature) return;
    this.signature = signature;
    let result;
    try {
      result = await this.engine.call('versions', { files: workspace.files, oldRoot: this.oldRoot, newRoot: this.newRoot, declared: this.declared });
    } catch (error) {
      clear(this.root).append(h('p', {}, `Versions unavailable: ${error.message}`));
      return;
    }
    this.draw(bundles, result, workspace, selectedRoot, filesVersion);
  }

  draw(bundles, { comparison, findings }, workspace, selectedRoot, filesVersion) {
    clear(this.root);
    const pick = (label, value, onChange) => {
      const select = h('select', { 'aria-label': label }, bundles.map((b) => h('option', { value: b.root, selected: b.root === value }, b.label)));
      select.addEventListener('change', () => onChange(select.value));
      return h('label', { class: 'field-inline' }, `${label} `, select);
    };
    const again = () => this.refresh(workspace, { bundles }, selectedRoot, filesVersion, true);
    const declared = h('select', { 'aria-label': 'Declared bump' },
      [['', 'implied by the folders'], ['minor', 'minor'], ['major', 'major']].map(([v, t]) => h('option', { value: v, selected: v === this.declared }, t)));
    declared.addEventListener('change', () => { this.declared = declared.value; again(); });
    this.root.append(h('div', { class: 'output-actions' },
      pick('Old version', this.oldRoot, (v) => { this.oldRoot = v; again(); }),
      pick('New version', this.newRoot, (v) => { this.newRoot = v; again(); }),
      h('label', { class: 'field-inline' }, 'Declared ', declared)));
    if (comparison) {
      const verdict = comparison.honest
        ? `Needs ${comparison.required}; declared ${comparison.declared}: the bump is honest.`
        : `Needs ${comparison.required}; declared ${comparison.declared}: NOT honest — publish a new major version (vN+1/).`;
      this.root.append(h('p', { class: comparison.honest ? 'verdict-ok' : 'verdict-bad', 'aria-label': 'Verdict' }, verdict));
      if (comparison.changes.length === 0) this.root.append(h('p', {}, 'No input changes.'));
      else {
        this.root.append(h('table', { class: 'changes', 'aria-label': 'Changes' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Input'), h('th', {}, 'Change'), h('th', {}, 'Needs'), h('th', {}, 'Rule'))),
          h('tbody', {}, comparison.changes.map((c) => h('tr', { class: c.warning ? 'warn' : '' },
            h('td', {}, c.subject), h('td', {}, c.description), h('td', {}, c.needs), h('td', {}, c.rule))))));
      }
      for (const r of comparison.resources) {
        const what = r.change === 'type-changed' ? `type ${r.old_type} → ${r.new_type}: CloudFormation replaces it` : `${r.change} (${r.new_type || r.old_type})`;
        this.root.append(h('p', { class: 'resource-change' }, `Resource ${r.logical_id} in ${r.file}: ${what}`));
      }
      if (comparison.rendered_diff) this.root.append(h('h3', {}, 'Rendered diff (default inputs)'), h('pre', { class: 'code', 'aria-label': 'Rendered diff' }, comparison.rendered_diff));
    }
    this.root.append(h('h3', {}, 'Compatibility and output contracts'));
    const list = h('ul', { class: 'diagnostics', 'aria-label': 'Compatibility findings' });
    if (findings.length === 0) list.append(h('li', {}, 'Every service is compatible with its environments, and every output it reads is declared.'));
    for (const d of findings) list.append(h('li', { class: `sev-${d.severity}` }, `${d.file || ''}${d.line ? `:${d.line}` : ''} ${d.severity}[${d.code}]: ${d.message}`));
    this.root.append(list);
  }
}
