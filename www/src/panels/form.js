// The inputs form generated from the schema (docs/proton-semantics.md §4 "Forms"): one labelled control per
// input, defaults shown apart from typed values, live pattern/length checks, per-field errors
// from the engine inline plus a summary list.
import { h, append, clear, uid } from '../dom.js';

const show = (v) => (typeof v === 'string' ? v : JSON.stringify(v));

function typeOf(schema) {
  if (!schema) return 'string';
  if (Array.isArray(schema.enum)) return 'enum';
  if (schema.type === 'array') {
    const item = schema.items || {};
    return item.type === 'object' || item.type === 'array' ? 'json' : 'list';
  }
  if (schema.type === 'object') return 'json';
  return schema.type || 'string';
}

/** Local checks that need no engine round trip (pattern, length, bounds). */
function localErrors(schema, value) {
  if (value === undefined || value === null) return [];
  const errors = [];
  if (typeof value === 'string') {
    const len = [...value].length;
    if (schema.minLength !== undefined && len < schema.minLength) errors.push(`at least ${schema.minLength} characters`);
    if (schema.maxLength !== undefined && len > schema.maxLength) errors.push(`at most ${schema.maxLength} characters`);
    if (schema.pattern) {
      try {
        if (!new RegExp(schema.pattern, 'u').test(value)) errors.push(`must match ${schema.pattern}`);
      } catch { /* the engine reports patterns that do not compile */ }
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`at least ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`at most ${schema.maximum}`);
  }
  return errors;
}

export class InputsForm {
  constructor(root, onChange) {
    this.root = root;
    this.onChange = onChange;
    this.signature = null;
    this.errorSlots = new Map();
  }

  /** Drops what the form was built for: the next `show` rebuilds it. */
  forget() {
    this.signature = null;
  }

  /**
   * Shows the page's view (main.js `view()`): rebuilds the form when the bundle, its schema or the selected
   * instance changed (or `force`), then places the render's input findings.
   */
  show({ bundle, workspace, report }, { force = false } = {}) {
    this.build(bundle, workspace, force);
    if (report !== undefined) this.showErrors(report ? report.diagnostics : []);
  }

  build(bundle, workspace, force) {
    const signature = JSON.stringify([
      bundle && bundle.root,
      bundle && [bundle.environment_inputs, bundle.service_inputs, bundle.pipeline_inputs, bundle.kind],
      workspace.selection.instance,
      workspace.inputs.instances.length,
    ]);
    if (!force && signature === this.signature) return;
    this.signature = signature;
    this.errorSlots.clear();
    clear(this.root);
    if (!bundle) {
      this.root.append(h('p', {}, 'No bundle loaded.'));
      return;
    }
    this.summary = h('ul', { class: 'summary-errors', 'aria-label': 'Input errors' });
    this.root.append(this.summary);
    if (bundle.environment_inputs) {
      this.root.append(this.fieldset(`Environment inputs (${bundle.environment_inputs.name})`, bundle.environment_inputs, workspace.inputs, 'environment', 'environment'));
    }
    if (bundle.kind === 'service' || bundle.kind === 'component') {
      if (bundle.pipeline_inputs) {
        this.root.append(this.fieldset(`Pipeline inputs (${bundle.pipeline_inputs.name})`, bundle.pipeline_inputs, workspace.inputs, 'pipeline', 'pipeline'));
      }
      this.root.append(this.instanceBar(workspace));
      const instance = workspace.inputs.instances[workspace.selection.instance];
      if (bundle.service_inputs && instance) {
        this.root.append(this.fieldset(`Instance inputs: ${instance.name || '(unnamed)'} (${bundle.service_inputs.name})`, bundle.service_inputs, instance, 'spec', 'service-instance'));
      }
    }
  }

  instanceBar(workspace) {
    const sel = workspace.selection.instance;
    const instances = workspace.inputs.instances;
    const select = h('select', { 'aria-label': 'Instance' },
      instances.map((inst, i) => h('option', { value: String(i), selected: i === sel }, inst.name || `(instance ${i + 1})`)));
    select.addEventListener('change', () => {
      workspace.selection.instance = Number(select.value);
      this.onChange({ structure: true });
    });
    const current = instances[sel] || instances[0];
    const nameId = uid('inst');
    const envId = uid('env');
    const name = h('input', { id: nameId, type: 'text', value: current ? current.name : '' });
    name.addEventListener('input', () => {
      current.name = name.value;
      select.options[sel].textContent = name.value || `(instance ${sel + 1})`;
      this.onChange({});
    });
    const env = h('input', { id: envId, type: 'text', value: current ? current.environment : '' });
    env.addEventListener('input', () => {
      current.environment = env.value;
      this.onChange({});
    });
    const add = h('button', { type: 'button', onclick: () => {
      const n = instances.length + 1;
      instances.push({ name: `instance-${n}`, environment: current ? current.environment : 'dev', spec: {} });
      workspace.selection.instance = instances.length - 1;
      this.onChange({ structure: true });
    } }, 'Add instance');
    const remove = h('button', { type: 'button', disabled: instances.length <= 1, onclick: () => {
      instances.splice(sel, 1);
      workspace.selection.instance = Math.max(0, sel - 1);
      this.onChange({ structure: true });
    } }, 'Remove instance');
    return h('fieldset', {},
      h('legend', {}, 'Service instances'),
      h('div', { class: 'instance-bar' }, select, add, remove),
      h('div', { class: 'field' }, h('label', { for: nameId }, 'Instance name'), name),
      h('div', { class: 'field' }, h('label', { for: envId }, 'Environment name'), env));
  }

  fieldset(title, inputType, holder, key, section) {
    if (!holder[key] || typeof holder[key] !== 'object') holder[key] = {};
    const values = holder[key];
    const fs = h('fieldset', {}, h('legend', {}, title));
    if (inputType.properties.length === 0) fs.append(h('p', { class: 'help' }, 'This input type has no inputs.'));
    for (const prop of inputType.properties) fs.append(this.field(prop, values, section));
    return fs;
  }

  field(prop, values, section) {
    const id = uid('input');
    const helpId = uid('help');
    const errorId = uid('err');
    const schema = prop.schema || {};
    const kind = typeOf(schema);
    const hasDefault = prop.default !== undefined && prop.default !== null;
    const labelText = prop.title ? `${prop.title} (${prop.name})` : prop.name;
    const wrapper = h('div', { class: 'field' });
    const labelId = uid('label');
    const label = h('label', { for: id, id: labelId }, labelText, prop.required ? h('span', { class: 'required', 'aria-hidden': 'true' }, '*') : null);
    const defaultTag = h('span', { class: 'default-tag' });
    // Back to the default where there is one; without one, the value is removed (the input absent).
    const reset = hasDefault
      ? h('button', { type: 'button', class: 'reset', title: 'Back to the default', 'aria-describedby': labelId }, 'reset')
      : h('button', { type: 'button', class: 'reset', title: 'Remove the value', 'aria-describedby': labelId }, 'clear');
    const errorEl = h('p', { class: 'error', id: errorId });
    const described = [prop.description ? helpId : null, errorId].filter(Boolean).join(' ');
    const typed = () => Object.prototype.hasOwnProperty.call(values, prop.name);
    let control;
    const refresh = () => {
      const isTyped = typed();
      control.classList.toggle('is-default', !isTyped && hasDefault);
      defaultTag.textContent = !isTyped && hasDefault ? `default: ${show(prop.default)}` : '';
      reset.hidden = !isTyped;
      const local = localErrors(schema, values[prop.name]);
      this.setLocal(section, prop.name, local);
    };
    const set = (value) => {
      if (value === undefined) delete values[prop.name];
      else values[prop.name] = value;
      refresh();
      this.onChange({});
    };
    const common = { id, 'aria-describedby': described, 'aria-required': prop.required ? 'true' : null };
    switch (kind) {
      case 'enum': {
        const options = [h('option', { value: '' }, hasDefault ? `default (${show(prop.default)})` : '(not set)')];
        schema.enum.forEach((v, i) => options.push(h('option', { value: String(i), selected: typed() && JSON.stringify(values[prop.name]) === JSON.stringify(v) }, show(v))));
        control = h('select', common, options);
        control.addEventListener('change', () => set(control.value === '' ? undefined : schema.enum[Number(control.value)]));
        break;
      }
      case 'boolean': {
        control = h('input', { ...common, type: 'checkbox', checked: typed() ? !!values[prop.name] : !!prop.default });
        control.addEventListener('change', () => set(control.checked));
        break;
      }
      case 'number':
      case 'integer': {
        control = h('input', { ...common, type: 'number', value: typed() ? String(values[prop.name]) : '', placeholder: hasDefault ? show(prop.default) : '', min: schema.minimum, max: schema.maximum, step: kind === 'integer' ? '1' : 'any' });
        control.addEventListener('input', () => {
          if (control.value === '') return set(undefined);
          const n = Number(control.value);
          set(Number.isNaN(n) ? control.value : n);
        });
        break;
      }
      case 'list':
        control = this.listEditor(common, prop, values, set);
        break;
      case 'json': {
        control = h('textarea', { ...common, rows: 4, placeholder: hasDefault ? JSON.stringify(prop.default) : '' }, typed() ? JSON.stringify(values[prop.name], null, 2) : '');
        control.addEventListener('input', () => {
          if (control.value.trim() === '') return set(undefined);
          try {
            set(JSON.parse(control.value));
          } catch {
            this.setLocal(section, prop.name, ['not valid JSON']);
          }
        });
        wrapper.append(h('p', { class: 'warning-note' }, 'Objects and lists of objects: the Proton console only offered primitives and lists of them. Edit as JSON.'));
        break;
      }
      default: {
        control = h('input', { ...common, type: 'text', value: typed() ? String(values[prop.name]) : '', placeholder: hasDefault ? show(prop.default) : '', minlength: schema.minLength, maxlength: undefined });
        control.addEventListener('input', () => set(control.value === '' ? undefined : control.value));
      }
    }
    reset.addEventListener('click', () => {
      delete values[prop.name];
      this.onChange({ structure: true, force: true });
    });
    wrapper.prepend(label);
    // Through dom.js's append: the DOM's own would print a missing description as "null".
    append(wrapper, [
      h('div', {}, control, defaultTag, reset),
      prop.description ? h('p', { class: 'help', id: helpId }, prop.description) : null,
      errorEl,
    ]);
    this.errorSlots.set(`${section}:${prop.name}`, { wrapper, errorEl, local: [], engine: [] });
    refresh();
    return wrapper;
  }

  listEditor(common, prop, values, set) {
    const box = h('div', { class: 'list-editor', role: 'group', id: common.id, 'aria-describedby': common['aria-describedby'], 'aria-label': prop.title ? `${prop.title} (${prop.name})` : prop.name });
    const items = () => (Array.isArray(values[prop.name]) ? values[prop.name] : Array.isArray(prop.default) ? [...prop.default] : []);
    const draw = () => {
      clear(box);
      const list = items();
      list.forEach((item, i) => {
        const input = h('input', { type: 'text', value: typeof item === 'string' ? item : JSON.stringify(item), 'aria-label': `Item ${i + 1}` });
        input.addEventListener('input', () => {
          const next = items();
          const itemType = (prop.schema.items || {}).type;
          next[i] = itemType === 'number' || itemType === 'integer' ? Number(input.value) : input.value;
          set(next);
        });
        const remove = h('button', { type: 'button', 'aria-label': `Remove item ${i + 1}` }, '×');
        remove.addEventListener('click', () => {
          const next = items();
          next.splice(i, 1);
          set(next);
          draw();
        });
        box.append(h('div', { class: 'row' }, input, remove));
      });
      const add = h('button', { type: 'button' }, 'Add item');
      add.addEventListener('click', () => {
        set([...items(), '']);
        draw();
      });
      box.append(add);
    };
    draw();
    return box;
  }

  setLocal(section, name, messages) {
    const slot = this.errorSlots.get(`${section}:${name}`);
    if (!slot) return;
    slot.local = messages;
    this.paint(slot);
  }

  paint(slot) {
    // The engine's message names the bound; the local check only fills the gap until it answers.
    const messages = slot.engine.length > 0 ? slot.engine : slot.local;
    // Without an error, the example the engine rendered a missing required input with.
    slot.errorEl.textContent = messages.length > 0 ? messages.join('; ') : (slot.example || '');
    slot.wrapper.classList.toggle('has-error', messages.length > 0);
    slot.wrapper.classList.toggle('has-example', messages.length === 0 && Boolean(slot.example));
  }

  /** Focuses the field an input diagnostic's subject names; false when the form has no such field. */
  focus(subject) {
    const slot = subject && subject.kind === 'input' && this.errorSlots.get(`${subject.section}:${subject.input}`);
    const control = slot && slot.wrapper.querySelector('input, select, textarea');
    if (control) control.focus();
    return Boolean(control);
  }

  /**
   * Shows the engine's input diagnostics beside their fields and in the summary list, placed by
   * each diagnostic's subject (section, input, field path).
   */
  showErrors(diagnostics) {
    for (const slot of this.errorSlots.values()) {
      slot.engine = [];
      slot.example = null;
    }
    clear(this.summary || h('ul'));
    for (const d of diagnostics) {
      const subject = d.subject;
      if (!subject || subject.kind !== 'input') continue;
      if (d.code === 'input-example') {
        const slot = this.errorSlots.get(`${subject.section}:${subject.input}`);
        if (slot) slot.example = subject.problem;
        continue;
      }
      if (d.severity === 'info') continue;
      const slot = this.errorSlots.get(`${subject.section}:${subject.input}`);
      const text = subject.problem;
      if (slot) slot.engine.push(text);
      if (this.summary && d.severity === 'error') this.summary.append(h('li', {}, `${subject.section.replace('-', ' ')} ${subject.field}: ${text}`));
    }
    for (const slot of this.errorSlots.values()) this.paint(slot);
  }
}
