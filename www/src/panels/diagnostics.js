// The diagnostics list: every finding with file, line and message; clicking one jumps there.
// A finding in rendered CloudFormation also names its rendered line, which jumps to the output;
// each finding links its rule's documentation.
import { h, clear } from '../dom.js';

export class DiagnosticsPanel {
  constructor(list, counts, onJump, onJumpRendered) {
    this.list = list;
    this.counts = counts;
    this.onJump = onJump;
    this.onJumpRendered = onJumpRendered;
  }

  /** Shows the page's view (main.js `view()`): every finding of the workspace and the render. */
  show({ diagnostics }) {
    clear(this.list);
    const n = (s) => diagnostics.filter((d) => d.severity === s).length;
    this.counts.textContent = `(${n('error')} errors, ${n('warning')} warnings)`;
    // An empty list shrinks its panel to one line (styles.css), leaving the room to the output.
    this.list.classList.toggle('empty', diagnostics.length === 0);
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
      // The rule's documentation: the docs page's section for its family (`cfn-…`, `input-…`).
      const family = d.code.split('-')[0];
      const item = h('li', {}, button, h('a', { class: 'rule', href: `docs/#rule-${family}`, target: '_blank', rel: 'noopener', title: `What ${d.code} means and what to do` }, `about ${d.code}`));
      if (d.rendered) {
        const at = `${d.rendered.file}:${d.rendered.line}:${d.rendered.column}`;
        const rendered = h('button', { type: 'button', class: 'rendered-at', title: 'Show in the rendered output' }, `rendered ${at}`);
        rendered.addEventListener('click', () => this.onJumpRendered(d.rendered));
        item.append(rendered);
      }
      this.list.append(item);
    }
  }
}
