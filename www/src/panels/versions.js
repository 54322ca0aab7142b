// The Versions panel: pick two versions, see each change with the rule that decided it, the
// verdict on the declared bump, the rendered diff; and the repository's compatibility findings.
import { h, clear } from '../dom.js';

export class VersionsPanel {
  /**
   * `engine()` gives the engine to ask (its own worker, started on first use); `onFindings`
   * hears the repository's findings (the tab counts them).
   */
  constructor(root, engine, onFindings = () => {}) {
    this.root = root;
    this.engine = engine;
    this.onFindings = onFindings;
    this.oldRoot = null;
    this.newRoot = null;
    this.declared = '';
    this.signature = null;
  }

  /** Drops what the panel last compared: the next `show` asks the engine again. */
  forget() {
    this.signature = null;
  }

  /**
   * Shows the page's view (main.js `view()`): refreshes when the files or the bundle list changed (the
   * comparison uses default inputs).
   */
  show({ workspace, summary }, { force = false } = {}) {
    return this.refresh(workspace, summary, workspace.selection.root, force);
  }

  async refresh(workspace, summary, selectedRoot, force = false) {
    if (!summary) return;
    const bundles = summary.bundles;
    const roots = bundles.map((b) => b.root);
    const followedBundle = bundles.find((b) => b.root === selectedRoot);
    // Follow the template picked at the top, from the comparison the engine proposes for it
    // (its previous major, or for the first major the next one).
    if (selectedRoot !== this.followed || !roots.includes(this.oldRoot) || !roots.includes(this.newRoot)) {
      this.followed = selectedRoot;
      [this.oldRoot, this.newRoot] = (followedBundle && followedBundle.default_comparison) || [selectedRoot, selectedRoot];
    }
    // With one version of the template there is nothing to compare (unless any two are asked for).
    this.versionsOfFollowed = followedBundle ? followedBundle.versions : [];
    const selected = bundles.find((b) => b.root === selectedRoot);
    const service = selected && selected.kind === 'service' ? selected : null;
    const environments = bundles.filter((b) => b.is_environment).map((b) => b.label);
    // Workspaces saved before these fields existed lack them.
    workspace.instanceEnvironments ??= {};
    const instances = service
      ? workspace.inputs.instances.map((i) => {
        const fallback = service.compatible_environments[0] || environments[0] || '';
        return [i.name, workspace.instanceEnvironments[i.name] || fallback];
      })
      : [];
    const compatible = (workspace.declaredCompatible || '').split(',').map((x) => x.trim()).filter(Boolean);
    const lone = this.versionsOfFollowed.length < 2 && !this.anyTwo;
    const signature = JSON.stringify([this.oldRoot, this.newRoot, this.declared, roots, service && service.root, instances, compatible, lone]);
    // Edits replace `workspace.files` (panels/files.js): the same object means the same files.
    if (!force && signature === this.signature && workspace.files === this.files) return;
    this.signature = signature;
    this.files = workspace.files;
    // Only the latest request draws: a slower, older answer must not replace a newer one.
    this.latest = (this.latest || 0) + 1;
    const request = this.latest;
    const context = { service, environments, oldRoot: this.oldRoot, newRoot: this.newRoot, lone, followed: followedBundle };
    let result;
    try {
      result = await this.engine().call('versions', {
        files: workspace.files, name: workspace.templateName || '', oldRoot: lone ? null : this.oldRoot, newRoot: lone ? null : this.newRoot, declared: this.declared,
        service: service ? service.root : null, compatible, instances,
      });
    } catch (error) {
      clear(this.root).append(h('p', {}, `Versions unavailable: ${error.message}`));
      return;
    }
    if (request !== this.latest) return;
    this.context = context;
    this.draw(bundles, result, workspace, selectedRoot);
  }

  draw(bundles, { comparison, findings, instances }, workspace, selectedRoot) {
    // Verdicts can arrive while a field of the panel is being typed in: what was typed is
    // committed before the redraw, and the field keeps the focus.
    const active = document.activeElement;
    const typing = active && this.root.contains(active) && active.matches('input[type=text]') ? active.getAttribute('aria-label') : null;
    if (typing && active.value !== active.defaultValue) active.dispatchEvent(new Event('change'));
    clear(this.root);
    // The pickers list the followed template's versions; any two bundles behind a choice.
    const choices = this.anyTwo || !this.context.followed ? bundles : bundles.filter((b) => b.name === this.context.followed.name);
    const pick = (label, value, onChange) => {
      const select = h('select', { 'aria-label': label }, choices.map((b) => h('option', { value: b.root, selected: b.root === value }, b.label)));
      select.addEventListener('change', () => onChange(select.value));
      return h('label', { class: 'field-inline' }, `${label} `, select);
    };
    const again = () => this.refresh(workspace, { bundles }, selectedRoot, true);
    const anyTwo = h('input', { type: 'checkbox', checked: !!this.anyTwo, 'aria-label': 'Compare any two bundles' });
    anyTwo.addEventListener('change', () => {
      this.anyTwo = anyTwo.checked;
      again();
    });
    const anyTwoLabel = h('label', { class: 'field-inline' }, anyTwo, ' any two bundles');
    if (this.context.lone) {
      const only = this.context.followed ? this.context.followed.label : 'This template';
      this.root.append(h('p', { class: 'verdict-none', 'aria-label': 'Verdict' },
        `${only} is the only version of this template here: there is nothing to compare. A new major version goes in a vN+1/ folder beside it; open the repository folder to compare its versions.`),
      h('div', { class: 'output-actions' }, anyTwoLabel));
    } else {
      const declared = h('select', { 'aria-label': 'Declared bump' },
        [['', 'implied by the folders'], ['minor', 'minor'], ['major', 'major']].map(([v, t]) => h('option', { value: v, selected: v === this.declared }, t)));
      declared.addEventListener('change', () => { this.declared = declared.value; again(); });
      this.root.append(h('div', { class: 'output-actions' },
        pick('Old version', this.context.oldRoot, (v) => { this.oldRoot = v; again(); }),
        pick('New version', this.context.newRoot, (v) => { this.newRoot = v; again(); }),
        h('label', { class: 'field-inline' }, 'Declared ', declared),
        anyTwoLabel));
    }
    if (comparison) {
      const label = (root) => (bundles.find((b) => b.root === root) || { label: root }).label;
      this.root.append(h('p', { class: comparison.honest ? 'verdict-ok' : 'verdict-bad', 'aria-label': 'Verdict' },
        verdictText(comparison, label(this.context.newRoot)),
        h('span', { class: 'verdict-rule' }, ` Needs ${comparison.required}; declared ${comparison.declared}. Rule: a change that can break a running instance (an input removed, narrowed or retyped, a resource replaced) needs a major version.`)));
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
      if (comparison.rendered_diff) this.root.append(h('h3', {}, 'Rendered diff (default inputs)'), coloredDiff(comparison.rendered_diff));
    }
    const { service, environments } = this.context;
    if (service) this.root.append(this.instancesSection(service, environments, instances, workspace, again));
    this.root.append(this.fleetSection(workspace, selectedRoot));
    this.onFindings(findings);
    this.root.append(h('h3', {}, 'Compatibility and output contracts'));
    const list = h('ul', { class: 'diagnostics', 'aria-label': 'Compatibility findings' });
    if (findings.length === 0) list.append(h('li', {}, 'Every service is compatible with its environments, and every output it reads is declared.'));
    for (const d of findings) list.append(h('li', { class: `sev-${d.severity}` }, `${d.file || ''}${d.line ? `:${d.line}` : ''} ${d.severity}[${d.code}]: ${d.message}`));
    this.root.append(list);
    if (typing) [...this.root.querySelectorAll('input[type=text]')].find((i) => i.getAttribute('aria-label') === typing)?.focus();
  }

  /** Fleet check: spec files of running instances against the selected version. */
  fleetSection(workspace, selectedRoot) {
    const box = h('div', { role: 'group', 'aria-label': 'Fleet check' }, h('h3', {}, 'Fleet check'),
      h('p', { class: 'help' }, 'Drop or pick the spec files of running instances: which validate and render on the selected version?'));
    const results = h('ul', { class: 'diagnostics', 'aria-label': 'Fleet results' });
    // The last results survive redraws of the panel (they concern the same version).
    const show = (lines) => {
      clear(results);
      for (const [cls, text] of lines) results.append(h('li', { class: cls }, text));
    };
    if (this.fleet && this.fleet.root === selectedRoot) show(this.fleet.lines);
    const run = async (fileList) => {
      const specs = await Promise.all([...fileList].map(async (f) => ({ path: f.name, text: await f.text() })));
      let lines;
      try {
        const report = await this.engine().call('fleetCheck', { files: workspace.files, name: workspace.templateName || '', root: selectedRoot, specs });
        lines = [['', `${report.template}: ${report.passed} pass, ${report.failed} fail`]];
        for (const v of report.verdicts) {
          const errors = v.errors.length ? `: ${v.errors.map((e) => e.message).join('; ')}` : '';
          lines.push([v.ok ? 'sev-info' : 'sev-error', `${v.ok ? 'ok' : 'FAIL'} ${v.spec}${v.instance ? ` ${v.instance}` : ''}${errors}`]);
        }
      } catch (error) {
        lines = [['sev-error', `Fleet check failed: ${error.message}`]];
      }
      this.fleet = { root: selectedRoot, lines };
      const current = this.root.querySelector('[aria-label="Fleet results"]');
      if (current) {
        clear(current);
        for (const [cls, text] of lines) current.append(h('li', { class: cls }, text));
      }
    };
    const input = h('input', { type: 'file', multiple: true, accept: '.yaml,.yml,.json', 'aria-label': 'Spec files for the fleet check' });
    input.addEventListener('change', () => run(input.files));
    box.addEventListener('dragover', (e) => { e.preventDefault(); e.stopPropagation(); });
    box.addEventListener('drop', (e) => {
      e.preventDefault();
      e.stopPropagation();
      run(e.dataTransfer.files);
    });
    box.append(input, results);
    return box;
  }

  /** Per service instance: the environment template it runs in, and the verdict with reasons. */
  instancesSection(service, environments, verdicts, workspace, again) {
    const box = h('div', { role: 'group', 'aria-label': 'Compatibility per instance' }, h('h3', {}, 'Compatibility per instance'));
    const known = [...new Set([...service.compatible_environments, ...environments])];
    const listId = `env-templates-${Math.random().toString(36).slice(2)}`;
    box.append(h('datalist', { id: listId }, known.map((k) => h('option', { value: k }))));
    if (service.compatible_environments.length === 0) {
      const input = h('input', { type: 'text', value: workspace.declaredCompatible || '', placeholder: 'my-env-template:1, other-env:2', 'aria-label': 'Compatible environments' });
      input.addEventListener('change', () => { workspace.declaredCompatible = input.value; again(); });
      box.append(h('p', { class: 'help' }, 'This bundle has no .template-registration.yaml: declare its compatible environment templates.'), input);
    } else {
      box.append(h('p', { class: 'help' }, `Registered for: ${service.compatible_environments.join(', ')}`));
    }
    for (const v of verdicts) {
      const input = h('input', { type: 'text', value: v.environment_template, list: listId, 'aria-label': `Environment for ${v.instance}` });
      input.addEventListener('change', () => { workspace.instanceEnvironments[v.instance] = input.value.trim(); again(); });
      const verdict = v.undecided
        ? h('p', { class: 'verdict-none', 'aria-label': `Verdict for ${v.instance}` }, `Which environment template does ${v.instance} run in? Type its name:major above to check it.`)
        : h('p', { class: v.compatible ? 'verdict-ok' : 'verdict-bad', 'aria-label': `Verdict for ${v.instance}` },
          `${v.compatible ? 'compatible' : 'NOT compatible'}: ${v.reasons.join('; ')}`);
      box.append(h('div', { class: 'field' }, h('label', {}, `${v.instance} `, input), verdict));
    }
    return box;
  }
}

/** The verdict on a declared bump, in plain words. */
function verdictText({ required, declared, honest }, newLabel) {
  if (!honest) return `NOT honest: ${newLabel} is published as a ${declared} version, but its changes can break running instances and need a major version. Publish it as a new major version (a vN+1/ folder).`;
  if (required === 'none') return `${newLabel} changes nothing that needs a new version: the bump is honest.`;
  if (required === declared) return `${newLabel} is published as a ${declared} version and its changes need exactly that: the bump is honest.`;
  return `${newLabel} is published as a ${declared} version; its changes would fit a ${required} version: the bump is honest (instances move to a new major only when asked).`;
}

/** A unified diff with its added, removed, hunk and file lines coloured. */
function coloredDiff(diff) {
  const pre = h('pre', { class: 'code diff', 'aria-label': 'Rendered diff' });
  for (const line of diff.split('\n')) {
    const kind = line.startsWith('+++') || line.startsWith('---') ? 'diff-file' : line.startsWith('@@') ? 'diff-hunk' : line.startsWith('+') ? 'diff-add' : line.startsWith('-') ? 'diff-del' : null;
    pre.append(kind ? h('span', { class: kind }, line) : line, '\n');
  }
  return pre;
}
