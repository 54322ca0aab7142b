// The diagnostics list: every finding with file, line and message; clicking one jumps there.
import { h, clear } from '../dom.js';

export class DiagnosticsPanel {
  constructor(list, counts, onJump) {
    this.list = list;
    this.counts = counts;
    this.onJump = onJump;
  }

  show(diagnostics) {
    clear(this.list);
    const n = (s) => diagnostics.filter((d) => d.severity === s).length;
    this.counts.textContent = `(${n('error')} errors, ${n('warning')} warnings)`;
    if (diagnostics.length === 0) {
      this.list.append(h('li', {}, 'No problems found.'));
      return;
    }
    for (const d of diagnostics) {
      const where = d.file ? `${d.file}${d.line ? `:${d.line}${d.column ? `:${d.column}` : ''}` : ''}` : '(bundle)';
      const button = h('button', { type: 'button', class: `sev-${d.severity}` },
        `${where} ${d.severity}[${d.code}]: ${d.message}`,
        d.hint ? h('span', { class: 'hint' }, `hint: ${d.hint}`) : null);
      button.addEventListener('click', () => this.onJump(d));
      this.list.append(h('li', {}, button));
    }
  }
}
