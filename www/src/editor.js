// CodeMirror 6 set-up shared by the file editor and the read-only output views.
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection } from '@codemirror/view';
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
  EditorView.lineWrapping,
];

export function editableState(path, text, onChange) {
  return EditorState.create({
    doc: text,
    extensions: [
      base(),
      history(),
      indentOnInput(),
      lintGutter(),
      keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap]),
      languageFor(path, text),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) onChange(update.state.doc.toString());
      }),
      EditorView.contentAttributes.of({ 'aria-label': `Edit ${path}` }),
    ],
  });
}

export function readOnlyState(path, text) {
  return EditorState.create({
    doc: text,
    extensions: [
      base(),
      lintGutter(),
      keymap.of([...defaultKeymap, ...searchKeymap]),
      EditorState.readOnly.of(true),
      EditorView.editable.of(false),
      languageFor(path, text),
      EditorView.contentAttributes.of({ 'aria-label': `Rendered ${path} (read only)` }),
    ],
  });
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
