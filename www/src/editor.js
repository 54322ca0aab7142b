// CodeMirror 6 set-up shared by the file editor and the read-only output views.
import { EditorState, StateEffect, StateField, RangeSetBuilder } from '@codemirror/state';
import { EditorView, Decoration, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection, hoverTooltip } from '@codemirror/view';
import { autocompletion, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { bracketMatching, indentOnInput } from '@codemirror/language';
import { searchKeymap, highlightSelectionMatches } from '@codemirror/search';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { yaml } from '@codemirror/lang-yaml';
import { json } from '@codemirror/lang-json';
import { jinja } from '@codemirror/lang-jinja';
import { editorTheme } from './editor-theme.js';

/** The language for a file: Jinja over YAML for templates, YAML, JSON, or plain text. */
export function languageFor(path, text = '') {
  if (/\.(ya?ml)$/i.test(path)) return /\{[{%#]/.test(text) || /infrastructure\//.test(path) ? jinja({ base: yaml() }) : yaml();
  if (/\.json$/i.test(path)) return /\{[{%]/.test(text) ? jinja({ base: json() }) : json();
  if (/\.(j2|jinja2?)$/i.test(path)) return jinja();
  return [];
}

const base = () => [
  lineNumbers(),
  highlightActiveLineGutter(),
  drawSelection(),
  highlightActiveLine(),
  highlightSelectionMatches(),
  bracketMatching(),
  editorTheme,
];

/** CodeMirror's completion types for the engine's item kinds (they pick the icons). */
const COMPLETION_TYPES = { variable: 'variable', input: 'property', property: 'property', keyword: 'keyword', function: 'function', filter: 'function', test: 'function', method: 'method' };

/** An input's schema record, as the completion info and the hover show it. */
function inputRecord(input) {
  const parts = [`${input.type}${input.required ? ', required' : ''}`];
  if (input.default !== null && input.default !== undefined) parts.push(`default ${input.default}`);
  const box = document.createElement('div');
  box.className = 'assist-input';
  box.append(`input · ${parts.join(' · ')}`);
  if (input.description) box.append(document.createElement('br'), input.description);
  return box;
}

function infoOf(item) {
  const box = document.createElement('div');
  box.className = 'assist-info';
  if (item.info) box.append(item.info);
  if (item.input) box.append(inputRecord(item.input));
  return box;
}

/** Completion from the engine (src/assist): every name valid at the cursor. */
function completionSource(path, assist) {
  return async (context) => {
    const before = context.state.sliceDoc(Math.max(0, context.pos - 40), context.pos);
    // Typing opens the list after `.`, `|`, an opened tag or within a name; Ctrl+Space always.
    if (!context.explicit && !/([.|]\s*|\{[{%][-+]?\s*|\bis\s+(not\s+)?|[A-Za-z_]\w*)$/.test(before)) return null;
    const answer = await assist.ask('complete', path, context.state.doc.toString(), context.pos);
    if (!answer || answer.items.length === 0 || context.aborted) return null;
    return {
      from: answer.from,
      to: answer.to,
      options: answer.items.map((item) => ({ label: item.label, type: COMPLETION_TYPES[item.kind] || 'text', detail: item.detail, info: () => infoOf(item), boost: -item.rank })),
      validFor: /^\w*$/,
    };
  };
}

/** Hover from the engine: a name's or a tag's current value, an input's schema, a filter's doc. */
function hoverSource(path, assist) {
  return hoverTooltip(async (view, pos) => {
    const answer = await assist.ask('hover', path, view.state.doc.toString(), pos);
    if (!answer) return null;
    return {
      pos: answer.from,
      end: answer.to,
      above: true,
      create() {
        const dom = document.createElement('div');
        dom.className = 'assist-hover';
        const title = document.createElement('code');
        title.className = 'assist-title';
        title.textContent = answer.title;
        dom.append(title);
        if (answer.value !== null && answer.value !== undefined) {
          const value = document.createElement('pre');
          value.className = 'assist-value';
          value.textContent = answer.value;
          dom.append(value);
          if (answer.type) dom.append(Object.assign(document.createElement('div'), { className: 'assist-type', textContent: answer.type }));
        }
        if (answer.error) dom.append(Object.assign(document.createElement('div'), { className: 'assist-error', textContent: answer.error }));
        if (answer.input) dom.append(inputRecord(answer.input));
        if (answer.doc) dom.append(Object.assign(document.createElement('pre'), { className: 'assist-doc', textContent: answer.doc }));
        return { dom };
      },
    };
  }, { hoverTime: 250 });
}

/** F12 or Ctrl/Cmd+click: the engine's definition of the name at the cursor. */
function definitionCommand(path, assist) {
  const go = async (view, pos) => {
    const location = await assist.ask('definition', path, view.state.doc.toString(), pos);
    assist.onDefinition(location, path);
    return true;
  };
  return [
    keymap.of([{ key: 'F12', run: (view) => { go(view, view.state.selection.main.head); return true; } }]),
    EditorView.domEventHandlers({
      mousedown(event, view) {
        if (!(event.ctrlKey || event.metaKey)) return false;
        const pos = view.posAtCoords({ x: event.clientX, y: event.clientY });
        if (pos === null) return false;
        event.preventDefault();
        go(view, pos);
        return true;
      },
    }),
  ];
}

/**
 * A file's editor state. `assist` (optional) answers the editor's questions through the engine:
 * `{ ask(question, path, text, offset), onDefinition(location, path), onCursorLine(path, line) }`.
 */
export function editableState(path, text, onChange, assist = null) {
  return EditorState.create({
    doc: text,
    extensions: [
      base(),
      history(),
      indentOnInput(),
      lintGutter(),
      keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap, ...completionKeymap]),
      languageFor(path, text),
      assist ? [
        autocompletion({ override: [completionSource(path, assist)], icons: true }),
        hoverSource(path, assist),
        definitionCommand(path, assist),
      ] : [],
      linkedLines,
      EditorView.updateListener.of((update) => {
        if (update.docChanged) onChange(update.state.doc.toString());
        if (assist && (update.selectionSet || update.docChanged)) {
          assist.onCursorLine(path, update.state.doc.lineAt(update.state.selection.main.head).number);
        }
      }),
      EditorView.contentAttributes.of({ 'aria-label': `Edit ${path}` }),
    ],
  });
}

/** `onLine(line)` (optional) hears which line a click put the cursor on. */
export function readOnlyState(path, text, onLine = null) {
  return EditorState.create({
    doc: text,
    extensions: [
      base(),
      lintGutter(),
      keymap.of([...defaultKeymap, ...searchKeymap]),
      EditorState.readOnly.of(true),
      EditorView.editable.of(false),
      languageFor(path, text),
      linkedLines,
      onLine ? EditorView.updateListener.of((update) => {
        if (update.transactions.some((tr) => tr.isUserEvent('select.pointer'))) {
          onLine(update.state.doc.lineAt(update.state.selection.main.head).number);
        }
      }) : [],
      EditorView.contentAttributes.of({ 'aria-label': `Rendered ${path} (read only)` }),
    ],
  });
}

/** Lines linked to the other side (the template line under the cursor ↔ the lines it rendered). */
const setLinkedLines = StateEffect.define();
const linkedLineMark = Decoration.line({ class: 'cm-linked-line' });
const linkedLines = StateField.define({
  create: () => Decoration.none,
  update(marks, tr) {
    for (const effect of tr.effects) {
      if (effect.is(setLinkedLines)) {
        const builder = new RangeSetBuilder();
        for (const n of effect.value) if (n >= 1 && n <= tr.state.doc.lines) builder.add(tr.state.doc.line(n).from, tr.state.doc.line(n).from, linkedLineMark);
        return builder.finish();
      }
    }
    return tr.docChanged ? marks.map(tr.changes) : marks;
  },
  provide: (field) => EditorView.decorations.from(field),
});

/** Marks 1-based `lines` (sorted) of `view` as linked, scrolling the first into view if asked. */
export function markLinkedLines(view, lines, { scroll = false } = {}) {
  const effects = [setLinkedLines.of(lines)];
  if (scroll && lines.length && lines[0] <= view.state.doc.lines) effects.push(EditorView.scrollIntoView(view.state.doc.line(lines[0]).from, { y: 'center' }));
  view.dispatch({ effects });
}


/** Shows diagnostics (1-based line/column) in the gutter of `view`. */
export function showDiagnostics(view, diagnostics) {
  const doc = view.state.doc;
  const marks = [];
  for (const d of diagnostics) {
    if (!d.line || d.line > doc.lines) continue;
    const line = doc.line(d.line);
    const from = Math.min(line.from + Math.max(0, (d.column || 1) - 1), line.to);
    marks.push({
      from,
      to: Math.max(from, line.to),
      severity: d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'info',
      message: d.hint ? `${d.message}\nhint: ${d.hint}` : d.message,
      source: d.code,
    });
  }
  view.dispatch(setDiagnostics(view.state, marks));
}

/** Moves the cursor to a 1-based line and column and scrolls it into view. */
export function goTo(view, line, column = 1) {
  const doc = view.state.doc;
  const l = doc.line(Math.max(1, Math.min(line, doc.lines)));
  const pos = Math.min(l.from + Math.max(0, column - 1), l.to);
  view.dispatch({ selection: { anchor: pos }, effects: EditorView.scrollIntoView(pos, { y: 'center' }) });
  view.focus();
}

export { EditorView };
