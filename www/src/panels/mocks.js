// Mocks: what Proton knew that a bundle does not say — environment outputs (pre-filled for every
// output the templates read), names, account, repository, pipeline instance outputs, an
// attachable component — and the renderer options.
import { h, clear, uid } from '../dom.js';

function textField(label, value, onInput, placeholder = '') {
  const id = uid('mock');
  const input = h('input', { id, type: 'text', value: value || '', placeholder });
  input.addEventListener('input', () => onInput(input.value));
  return h('div', { class: 'field' }, h('label', { for: id }, label), input);
}

/** A free-form key/value editor over `map` (mutated in place). */
function keyValues(title, map, onChange, note) {
  const box = h('div', { class: 'kv' });
  const draw = () => {
    clear(box);
    for (const key of Object.keys(map)) {
      const keyInput = h('input', { type: 'text', value: key, class: 'kv-key', size: Math.max(6, key.length), 'aria-label': `${title} name` });
      const valueInput = h('input', { type: 'text', value: String(map[key]), 'aria-label': `${title} ${key}` });
      let current = key;
      keyInput.addEventListener('change', () => {
        const next = keyInput.value.trim();
        if (!next || next === current || next in map) return;
        const entries = Object.entries(map).map(([k, v]) => [k === current ? next : k, v]);
        for (const k of Object.keys(map)) delete map[k];
        for (const [k, v] of entries) map[k] = v;
        current = next;
        valueInput.setAttribute('aria-label', `${title} ${next}`);
        onChange();
      });
      valueInput.addEventListener('input', () => {
        map[current] = valueInput.value;
        onChange();
      });
      const remove = h('button', { type: 'button', 'aria-label': 'Remove this entry', title: `Remove ${key}` }, '×');
      remove.addEventListener('click', () => {
        delete map[current];
        draw();
        onChange();
      });
      box.append(h('div', { class: 'kv-row' }, keyInput, valueInput, remove));
    }
    const add = h('button', { type: 'button' }, `Add ${title.toLowerCase()}`);
    add.addEventListener('click', () => {
      let n = 1;
      while (`Output${n}` in map) n += 1;
      map[`Output${n}`] = '';
      draw();
      onChange();
    });
    box.append(add);
  };
  draw();
  return h('fieldset', {}, h('legend', {}, title), note ? h('p', { class: 'help' }, note) : null, box);
}

export class MocksPanel {
  constructor(root, onChange) {
    this.root = root;
    this.onChange = onChange;
    this.signature = null;
  }

  /** Drops what the fields were built for: the next `show` rebuilds them. */
  forget() {
    this.signature = null;
  }

  /** Shows the page's view (main.js `view()`): the mock fields of its bundle and target. */
  show({ bundle, workspace }, { force = false } = {}) {
    const signature = JSON.stringify([bundle && bundle.root, bundle && bundle.kind, workspace.selection.target, Object.keys(workspace.mocks.environment.outputs), workspace.mocks.component.attached]);
    if (!force && signature === this.signature) return;
    this.signature = signature;
    clear(this.root);
    if (!bundle) return;
    const m = workspace.mocks;
    const changed = () => this.onChange({});
    const target = workspace.selection.target || bundle.default_target;
    const env = bundle.is_environment;
    this.root.append(h('fieldset', {}, h('legend', {}, 'Environment'),
      textField(env ? 'Environment name' : 'Environment name (when the spec has none)', m.environment.name, (v) => { m.environment.name = v; changed(); }, 'my-env'),
      textField('Account ID', m.environment.account_id, (v) => { m.environment.account_id = v; changed(); }, '123456789012')));
    if (!env) {
      this.root.append(keyValues('Environment outputs', m.environment.outputs, changed, 'Pre-filled for every environment.outputs.X the templates read.'));
      this.root.append(h('fieldset', {}, h('legend', {}, 'Service'),
        textField('Service name', m.service.name, (v) => { m.service.name = v; changed(); }, 'my-service'),
        textField('Branch name', m.service.branch_name, (v) => { m.service.branch_name = v; changed(); }, 'main'),
        textField('Repository ID', m.service.repository_id, (v) => { m.service.repository_id = v; changed(); }, 'myorg/myrepo'),
        textField('Repository connection ARN', m.service.repository_connection_arn, (v) => { m.service.repository_connection_arn = v; changed(); }, 'arn:aws:codestar-connections:…')));
      if (target === 'pipeline') {
        this.root.append(keyValues('Instance outputs', m.instance_outputs, changed, 'Every service_instances[i].outputs.'));
      }
      const attachId = uid('attach');
      const attach = h('input', { id: attachId, type: 'checkbox', checked: m.component.attached });
      attach.addEventListener('change', () => {
        m.component.attached = attach.checked;
        this.onChange({ structure: true });
      });
      const component = h('fieldset', {}, h('legend', {}, 'Component'),
        h('div', { class: 'field check' }, attach, h('label', { for: attachId }, 'Attach a component')),
        textField('Component name', m.component.name, (v) => { m.component.name = v; changed(); }, 'my-component'));
      if (m.component.attached) component.append(keyValues('Component outputs', m.component.outputs, changed));
      this.root.append(component);
    }
    const strictId = uid('strict');
    const strict = h('input', { id: strictId, type: 'checkbox', checked: workspace.options.undefined === 'strict' });
    strict.addEventListener('change', () => { workspace.options.undefined = strict.checked ? 'strict' : 'lenient'; changed(); });
    const compatId = uid('compat');
    const compat = h('input', { id: compatId, type: 'checkbox', checked: !!workspace.options.compat_preview });
    compat.addEventListener('change', () => { workspace.options.compat_preview = compat.checked; changed(); });
    this.root.append(h('fieldset', {}, h('legend', {}, 'Renderer'),
      h('div', { class: 'field check' }, strict, h('label', { for: strictId }, 'Strict undefined (as Proton)')),
      h('div', { class: 'field check' }, compat, h('label', { for: compatId }, 'Pre-GA compatibility mode'))));
  }
}
