// Workshop mode: a WORKSHOP.md at the root of the workspace is a list of steps (`## ` headings),
// each with a ```check block the page evaluates after every render. The current step is shown
// beside the playground, ticked when its check passes, and the next one follows; progress
// persists per workspace. The Markdown is turned into text nodes only (never HTML).
import { h, clear } from '../dom.js';

export const WORKSHOP_FILE = 'WORKSHOP.md';

/** Check kinds: `key: argument` (or a bare key), one per line of a ```check block. */
const CHECKS = {
  template: 'the selected template (bundle folder) is',
  target: 'the selected target is',
  input: 'an input has a value (name = value)',
  'output contains': 'a rendered file contains',
  'output lacks': 'no rendered file contains',
  'no errors': 'there is no error diagnostic',
  diagnostic: 'a diagnostic with this code is shown',
  'component attached': 'a component is attached',
  'versions contains': 'the Versions panel says',
};

/** `{ title, steps: [{ title, blocks, checks, line }], problems }` from WORKSHOP.md text. */
export function parseWorkshop(text) {
  const workshop = { title: 'Workshop', steps: [], problems: [] };
  let step = null;
  let inCheck = false;
  let paragraph = [];
  const flush = () => {
    if (paragraph.length && step) step.blocks.push({ kind: 'p', text: paragraph.join(' ') });
    paragraph = [];
  };
  text.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    if (inCheck) {
      if (line.trim() === '```') {
        inCheck = false;
        return;
      }
      if (!line.trim() || !step) return;
      const match = /^\s*([a-z ]+?)\s*(?::\s*(.*))?$/.exec(line);
      if (!match || !(match[1] in CHECKS)) {
        workshop.problems.push(`${WORKSHOP_FILE}:${index + 1}: unknown check "${line.trim()}" (known: ${Object.keys(CHECKS).join(', ')})`);
        step.checks.push({ kind: 'unknown', arg: line.trim() });
      } else {
        step.checks.push({ kind: match[1], arg: (match[2] || '').trim() });
      }
      return;
    }
    if (line.startsWith('```check')) {
      flush();
      inCheck = true;
    } else if (line.startsWith('# ')) {
      workshop.title = line.slice(2).trim();
    } else if (line.startsWith('## ')) {
      flush();
      step = { title: line.slice(3).trim(), blocks: [], checks: [], line: index + 1 };
      workshop.steps.push(step);
    } else if (/^\s*[-*] /.test(line)) {
      flush();
      if (step) step.blocks.push({ kind: 'li', text: line.replace(/^\s*[-*] /, '') });
    } else if (!line.trim()) {
      flush();
    } else {
      paragraph.push(line.trim());
    }
  });
  flush();
  for (const s of workshop.steps) {
    if (s.checks.length === 0) workshop.problems.push(`${WORKSHOP_FILE}:${s.line}: step "${s.title}" has no \`\`\`check block`);
  }
  return workshop;
}

/** Text with `code` spans as <code> elements. */
function inline(text) {
  return text.split(/(`[^`]+`)/).map((part) => (part.startsWith('`') && part.endsWith('`') && part.length > 1 ? h('code', {}, part.slice(1, -1)) : part));
}

/** Whether one check passes for the page's current state. */
function passes(check, state) {
  const { workspace, report, diagnostics, versionsText } = state;
  const outputs = report ? [...report.outputs, ...report.extras] : [];
  switch (check.kind) {
    case 'template': return workspace.selection.root === check.arg;
    case 'target': return workspace.selection.target === check.arg;
    case 'input': {
      const [name, ...rest] = check.arg.split('=');
      const key = name.trim();
      const instance = workspace.inputs.instances[workspace.selection.instance] || { spec: {} };
      const value = [workspace.inputs.environment, workspace.inputs.pipeline, instance.spec]
        .map((inputs) => inputs && inputs[key])
        .find((v) => v !== undefined);
      return value !== undefined && String(value) === rest.join('=').trim();
    }
    case 'output contains': return outputs.some((o) => o.content.includes(check.arg));
    case 'output lacks': return report !== null && !outputs.some((o) => o.content.includes(check.arg));
    case 'no errors': return report !== null && !diagnostics.some((d) => d.severity === 'error');
    case 'diagnostic': return diagnostics.some((d) => d.code === check.arg);
    case 'component attached': return !!workspace.mocks.component.attached;
    case 'versions contains': return versionsText.includes(check.arg);
    default: return false;
  }
}

/**
 * The Workshop tab among the secondary panels: shown when the workspace has a WORKSHOP.md, its
 * label counting the steps (`2/6`), so the steps never push the inputs out of sight.
 */
export class WorkshopPanel {
  /** `tab` is the panel's tab button, `count` its counter; `onGone()` runs when the workshop disappears while its tab is open. */
  constructor(root, { tab, count, onGone }) {
    this.root = root;
    this.tab = tab;
    this.count = count;
    this.onGone = onGone;
    this.workshop = null;
    this.key = null;
    this.done = 0;
  }

  /**
   * Shows the page's view (main.js `view()`, with the Versions panel's text): the workshop of its workspace
   * (or hides the panel), its steps evaluated.
   */
  show(state) {
    const text = state.workspace.files[WORKSHOP_FILE];
    if (typeof text !== 'string') {
      if (this.workshop && this.tab.getAttribute('aria-selected') === 'true') this.onGone();
      this.tab.hidden = true;
      this.workshop = null;
      return;
    }
    const key = `proton-playground.workshop.${state.workspace.id}`;
    const fresh = !this.workshop || key !== this.key || text !== this.text;
    if (fresh) {
      this.key = key;
      this.text = text;
      this.workshop = parseWorkshop(text);
      this.done = Math.min(Number(localStorage.getItem(key)) || 0, this.workshop.steps.length);
    }
    const steps = this.workshop.steps;
    const before = this.done;
    while (this.done < steps.length && steps[this.done].checks.every((c) => passes(c, state))) this.done += 1;
    // Evaluated on every render: store and redraw only when something moved.
    if (this.done !== before) {
      try {
        localStorage.setItem(key, String(this.done));
      } catch { /* progress is a convenience; the workspace itself warns when storage is full */ }
    }
    if (fresh || this.done !== before) this.draw();
  }

  draw() {
    const { title, steps, problems } = this.workshop;
    this.tab.hidden = false;
    this.count.textContent = this.done < steps.length ? `${this.done + 1}/${steps.length}` : '✓';
    const body = this.root.querySelector('.workshop-body');
    clear(body);
    body.append(h('p', { class: 'workshop-title' }, `${title} — ${Math.min(this.done + 1, steps.length)} of ${steps.length}`));
    const list = h('ol', { class: 'workshop-steps' });
    steps.forEach((step, i) => {
      const state = i < this.done ? 'done' : i === this.done ? 'current' : 'todo';
      list.append(h('li', { class: `step-${state}`, 'aria-current': state === 'current' ? 'step' : null },
        `${state === 'done' ? '✓ ' : ''}${step.title}`));
    });
    body.append(list);
    const current = steps[this.done];
    if (current) {
      const detail = h('div', { class: 'workshop-step', role: 'group', 'aria-label': 'Current step' }, h('h3', {}, current.title));
      for (const block of current.blocks) {
        const bullet = block.kind === 'li';
        detail.append(h('p', { class: bullet ? 'bullet' : null }, bullet ? '• ' : '', inline(block.text)));
      }
      detail.append(h('p', { class: 'workshop-goal' }, 'Done when: ', current.checks.map((c) => `${CHECKS[c.kind] || 'unknown check'}${c.arg ? ` ${c.arg}` : ''}`).join('; ')));
      body.append(detail);
    } else {
      body.append(h('p', { class: 'workshop-complete', role: 'status' }, 'Workshop complete: every step done.'));
    }
    for (const p of problems) body.append(h('p', { class: 'sev-error' }, p));
    const restart = h('button', { type: 'button' }, 'Restart workshop');
    restart.addEventListener('click', () => {
      this.done = 0;
      try {
        localStorage.setItem(this.key, '0');
      } catch { /* see show */ }
      this.draw();
    });
    body.append(restart);
  }
}
