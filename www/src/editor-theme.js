// The editors' look. Every colour is one of the page's CSS variables (styles.css), so the
// editors follow the system's light or dark theme together with the page, without a reload.
import { EditorView } from '@codemirror/view';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';

const view = EditorView.theme({
  '&': { color: 'var(--fg)', backgroundColor: 'var(--bg)' },
  '.cm-content': { caretColor: 'var(--fg)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--fg)' },
  '.cm-gutters': { backgroundColor: 'var(--panel)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'var(--active-line)' },
  '.cm-selectionBackground, &.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground': { backgroundColor: 'var(--selection)' },
  '.cm-selectionMatch, .cm-searchMatch': { backgroundColor: 'var(--match)' },
  '.cm-searchMatch.cm-searchMatch-selected': { backgroundColor: 'var(--selection)' },
  '&.cm-focused .cm-matchingBracket': { backgroundColor: 'var(--match)', outline: '1px solid var(--border)' },
  '.cm-tooltip': { backgroundColor: 'var(--panel)', color: 'var(--fg)', border: '1px solid var(--border)' },
  '.cm-panels': { backgroundColor: 'var(--panel)', color: 'var(--fg)' },
  '.cm-linked-line': { backgroundColor: 'var(--linked)', boxShadow: 'inset 3px 0 0 var(--accent)' },
  '.cm-tooltip.cm-tooltip-hover': { maxWidth: '36rem' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': { backgroundColor: 'var(--accent)', color: 'var(--bg)' },
  '.cm-panels.cm-panels-top': { borderBottom: '1px solid var(--border)' },
  '.cm-panels.cm-panels-bottom': { borderTop: '1px solid var(--border)' },
  '.cm-textfield': { backgroundColor: 'var(--bg)', color: 'var(--fg)', border: '1px solid var(--border)' },
  '.cm-button': { backgroundImage: 'none', backgroundColor: 'var(--bg)', color: 'var(--fg)', border: '1px solid var(--border)' },
});

// YAML (keys, strings, `!Ref` tags, comments) and Jinja (statements, variables, filters).
const syntax = HighlightStyle.define([
  { tag: [t.definition(t.propertyName), t.propertyName], color: 'var(--syntax-key)' },
  { tag: [t.string, t.special(t.string), t.attributeValue], color: 'var(--syntax-string)' },
  { tag: [t.number, t.bool, t.null, t.atom], color: 'var(--syntax-literal)' },
  { tag: [t.keyword, t.controlKeyword, t.definitionKeyword, t.operatorKeyword, t.modifier, t.logicOperator], color: 'var(--syntax-keyword)' },
  { tag: [t.typeName, t.labelName, t.meta], color: 'var(--syntax-tag)' },
  { tag: [t.variableName, t.definition(t.variableName), t.standard(t.variableName), t.self], color: 'var(--syntax-variable)' },
  { tag: t.special(t.variableName), color: 'var(--syntax-filter)' },
  { tag: [t.lineComment, t.blockComment, t.comment], color: 'var(--syntax-comment)', fontStyle: 'italic' },
  { tag: [t.brace, t.paren, t.squareBracket, t.separator, t.punctuation, t.operator, t.compareOperator, t.arithmeticOperator, t.definitionOperator, t.derefOperator], color: 'var(--syntax-punctuation)' },
  { tag: t.invalid, color: 'var(--error)' },
]);

export const editorTheme = [view, syntaxHighlighting(syntax)];
