// The manifest editor's CodeMirror 6 set-up: the entry point that scripts/build-vendor bundles
// with esbuild into vendor/codemirror.mjs. Only vendor/editor.mjs imports the bundle (lazily),
// so the contract here is `mountEditor` and `BUNDLE_API`; everything else is private.
//
// Extensions are picked by hand rather than taken from `basicSetup`: a YAML manifest needs
// line numbers, undo history, the YAML grammar, a lint gutter, search and bracket matching,
// and every extra (autocompletion, folding, multiple cursors) would add weight and keys to
// learn without helping a learner write a pod.

import { Compartment, EditorState } from '@codemirror/state';
import {
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  showPanel,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, lintKeymap, setDiagnostics } from '@codemirror/lint';
import { search, searchKeymap } from '@codemirror/search';
import { yaml } from '@codemirror/lang-yaml';
import { tags } from '@lezer/highlight';

/** Bumped whenever `mountEditor` or the `Editor` methods change; the facade checks it. */
export const BUNDLE_API = 2;

// Fallback colours for a page that does not define the custom properties. They are the
// playground's own theme colours; every text colour meets WCAG AA (4.5:1) on both the editor
// background and the active-line background of its theme.
const PALETTES = {
  light: {
    bg: '#ffffff',
    fg: '#1f2328',
    gutter: '#f6f8fa',
    gutterFg: '#57606a',
    selection: '#c8e1ff',
    cursor: '#0a63c9',
    activeLine: '#f3f6f9',
    border: '#d0d7de',
    focus: '#bf5700',
    match: '#fff2a8',
    ok: '#116329',
    warn: '#8a5a00',
    bad: '#c4251c',
    accent: '#0a63c9',
    key: '#116329',
    string: '#0a3069',
    comment: '#57606a',
    meta: '#8250df',
    anchor: '#953800',
    keyword: '#cf222e',
  },
  dark: {
    bg: '#0a0e13',
    fg: '#d8e1ea',
    gutter: '#11171f',
    gutterFg: '#8b9bb0',
    selection: '#264f78',
    cursor: '#ffd866',
    activeLine: '#141b24',
    border: '#2c3a4b',
    focus: '#ffd866',
    match: '#4d3f00',
    ok: '#4cc765',
    warn: '#e0a93a',
    bad: '#ff7b72',
    accent: '#5aa9ff',
    key: '#7ee787',
    string: '#a5d6ff',
    comment: '#8b9bb0',
    meta: '#d2a8ff',
    anchor: '#ffa657',
    keyword: '#ff7b72',
  },
};

/** The editor's look: the page's custom properties first, the palette when one is unset. */
function chromeTheme(dark) {
  const p = dark ? PALETTES.dark : PALETTES.light;
  return EditorView.theme(
    {
      '&': {
        height: '100%',
        color: `var(--editor-fg, ${p.fg})`,
        backgroundColor: `var(--editor-bg, ${p.bg})`,
      },
      // The focus ring goes round the whole editor, gutter and panels included, in the page's
      // focus colour. An outline would be painted over by the sticky gutter and the panels
      // (and cut off by a parent's overflow), so it is a border on a layer above them.
      '&.cm-focused': { outline: 'none' },
      '&.cm-focused::after': {
        content: '""',
        position: 'absolute',
        inset: '0',
        border: `2px solid var(--focus, ${p.focus})`,
        pointerEvents: 'none',
        zIndex: '500',
      },
      '.cm-scroller': {
        fontFamily: 'var(--mono, monospace)',
        lineHeight: '1.45',
        overflow: 'auto',
      },
      '.cm-content': { caretColor: `var(--editor-cursor, ${p.cursor})` },
      '.cm-cursor, .cm-dropCursor': { borderLeftColor: `var(--editor-cursor, ${p.cursor})` },
      // The browser's own selection (no drawSelection): it paints above the active line's
      // background, so an opaque active-line colour never hides what is selected.
      '.cm-content ::selection, .cm-line::selection': {
        backgroundColor: `var(--editor-selection, ${p.selection})`,
        color: 'inherit',
      },
      '.cm-activeLine': { backgroundColor: `var(--editor-active-line, ${p.activeLine})` },
      // Search matches keep every token colour at 4.5:1; the current one is also outlined.
      '.cm-searchMatch': { backgroundColor: `var(--editor-search-match, ${p.match})` },
      '.cm-searchMatch.cm-searchMatch-selected': {
        backgroundColor: `var(--editor-search-match, ${p.match})`,
        outline: `1px solid var(--focus, ${p.focus})`,
      },
      '.cm-gutters': {
        backgroundColor: `var(--editor-gutter, ${p.gutter})`,
        color: `var(--editor-gutter-fg, ${p.gutterFg})`,
        borderRight: `1px solid var(--border, ${p.border})`,
      },
      '.cm-activeLineGutter': {
        backgroundColor: `var(--editor-active-line, ${p.activeLine})`,
        color: `var(--editor-fg, ${p.fg})`,
      },
      '.cm-panels': {
        backgroundColor: `var(--editor-gutter, ${p.gutter})`,
        color: `var(--editor-fg, ${p.fg})`,
      },
      '.cm-panels-top': { borderBottom: `1px solid var(--border, ${p.border})` },
      '.cm-panels-bottom': { borderTop: `1px solid var(--border, ${p.border})` },
      '.cm-tooltip': {
        backgroundColor: `var(--editor-gutter, ${p.gutter})`,
        color: `var(--editor-fg, ${p.fg})`,
        border: `1px solid var(--border, ${p.border})`,
      },
      // Brackets: an outline in the page's ok or bad colour rather than CodeMirror's tinted
      // background, which would lower the contrast of the bracket itself.
      '&.cm-focused .cm-matchingBracket': {
        backgroundColor: 'transparent',
        outline: `1px solid var(--ok, ${p.ok})`,
      },
      '&.cm-focused .cm-nonmatchingBracket': {
        backgroundColor: 'transparent',
        outline: `1px solid var(--bad, ${p.bad})`,
      },
      ...lintTheme(p),
      '.cm-tab-hint': {
        padding: '2px 8px',
        fontFamily: 'var(--sans, sans-serif)',
        fontSize: '0.8em',
        color: `var(--editor-gutter-fg, ${p.gutterFg})`,
      },
    },
    { dark },
  );
}

/**
 * Diagnostics in the page's status colours (error --bad, warning --warn, info --accent),
 * which keep 3:1 against the editor in both themes; CodeMirror's own are fixed pastel
 * images (a pale yellow warning triangle all but vanishes on white). The gutter keeps
 * CodeMirror's shapes, so severity never rests on colour alone: a circle for an error, a
 * triangle for a warning, a square for information.
 */
function lintTheme(p) {
  const colour = {
    error: `var(--bad, ${p.bad})`,
    warning: `var(--warn, ${p.warn})`,
    info: `var(--accent, ${p.accent})`,
  };
  const shape = {
    error: { borderRadius: '50%' },
    warning: { clipPath: 'polygon(50% 0, 100% 100%, 0 100%)' },
    info: { borderRadius: '1px', transform: 'scale(0.8)' },
  };
  const rules = {
    // Under the range: a wavy underline drawn by the browser, so it can take a variable.
    '.cm-lintRange': { backgroundImage: 'none', paddingBottom: '0' },
    '.cm-lintRange-active': { backgroundColor: `var(--editor-search-match, ${p.match})` },
    '.cm-lint-marker': { boxSizing: 'border-box', width: '0.8em', height: '0.8em', margin: '0.1em' },
  };
  for (const severity of ['error', 'warning', 'info']) {
    rules[`.cm-lintRange-${severity}`] = {
      textDecoration: `underline wavy ${colour[severity]}`,
      textDecorationSkipInk: 'none',
      textUnderlineOffset: '3px',
    };
    rules[`.cm-lintPoint-${severity}:after`] = { borderBottomColor: colour[severity] };
    rules[`.cm-diagnostic-${severity}`] = { borderLeft: `5px solid ${colour[severity]}` };
    rules[`.cm-lint-marker-${severity}`] = {
      content: 'normal',
      backgroundColor: colour[severity],
      ...shape[severity],
    };
  }
  return rules;
}

/** YAML colours. lang-yaml tags keys, quoted strings, comments, `---`, tags and anchors. */
function yamlHighlight(dark) {
  const p = dark ? PALETTES.dark : PALETTES.light;
  return HighlightStyle.define([
    { tag: tags.propertyName, color: `var(--editor-key, ${p.key})` },
    { tag: [tags.string, tags.attributeValue], color: `var(--editor-string, ${p.string})` },
    { tag: tags.comment, color: `var(--editor-comment, ${p.comment})`, fontStyle: 'italic' },
    { tag: [tags.meta, tags.typeName], color: `var(--editor-meta, ${p.meta})` },
    { tag: tags.labelName, color: `var(--editor-anchor, ${p.anchor})` },
    {
      tag: [tags.keyword, tags.special(tags.string), tags.invalid],
      color: `var(--editor-keyword, ${p.keyword})`,
    },
  ]);
}

function themeExtension(dark) {
  return [chromeTheme(dark), syntaxHighlighting(yamlHighlight(dark))];
}

let nextId = 0;

/** The editor behind one facade handle. */
class Editor {
  constructor(parent, doc, settings, onChange, onSave) {
    this.settings = { ...settings };
    this.onChange = onChange;
    this.onSave = onSave;
    this.hintId = `cm-tab-hint-${++nextId}`;
    this.theme = new Compartment();
    this.access = new Compartment();
    this.view = new EditorView({ parent, state: this.freshState(doc) });
  }

  /** A new state for `doc`: empty history, no diagnostics, the current theme and mode. */
  freshState(doc) {
    const { dark, readOnly, label, hint, phrases } = this.settings;
    return EditorState.create({
      doc,
      extensions: [
        keymap.of([
          {
            key: 'Mod-s',
            // Also while the search field has focus, so the browser's save dialog never shows.
            scope: 'editor search-panel',
            preventDefault: true,
            run: () => {
              this.onSave?.();
              return true;
            },
          },
        ]),
        lineNumbers(),
        highlightActiveLineGutter(),
        lintGutter(),
        // Control characters, and the no-break space that pasted YAML often hides in its
        // indentation, show as a marked placeholder.
        highlightSpecialChars({ addSpecialChars: /\u00a0/ }),
        // Lines end at LF only, so a CR stays in the text (marked as above) and getDoc gives
        // back byte for byte what setDoc was given: saving an untouched file changes nothing.
        EditorState.lineSeparator.of('\n'),
        history(),
        bracketMatching(),
        highlightActiveLine(),
        search({ top: true }),
        yaml(),
        keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap, ...lintKeymap, indentWithTab]),
        EditorView.contentAttributes.of({ 'aria-label': label }),
        phrases ? EditorState.phrases.of(phrases) : [],
        hint ? this.hintPanel(hint) : [],
        this.theme.of(themeExtension(dark)),
        this.access.of(this.accessExtension(readOnly)),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) this.onChange?.(update.state.doc.toString());
        }),
      ],
    });
  }

  /**
   * Tab indents, so the way out for a keyboard user is written under the editor and linked
   * as the content's description: Escape then Tab moves focus on (CodeMirror's tab-focus
   * mode). A read-only editor neither indents nor needs the hint.
   */
  hintPanel(hint) {
    const id = this.hintId;
    return showPanel.of((view) => {
      const dom = document.createElement('div');
      dom.className = 'cm-tab-hint';
      dom.id = id;
      dom.textContent = hint;
      dom.hidden = view.state.readOnly;
      return {
        dom,
        top: false,
        update: (update) => {
          dom.hidden = update.state.readOnly;
        },
      };
    });
  }

  accessExtension(readOnly) {
    const described = this.settings.hint && !readOnly;
    return [
      EditorState.readOnly.of(readOnly),
      described ? EditorView.contentAttributes.of({ 'aria-describedby': this.hintId }) : [],
    ];
  }

  getDoc() {
    return this.view.state.doc.toString();
  }

  setDoc(text) {
    // A new state, not a transaction: the undo history of the previous file must not reach
    // into this one, and the change is the app's, so onChange stays quiet.
    this.view.setState(this.freshState(text));
  }

  setDiagnostics(list) {
    const doc = this.view.state.doc;
    const diagnostics = list.map((d) => toDiagnostic(doc, d));
    diagnostics.sort((a, b) => a.from - b.from || a.to - b.to);
    this.view.dispatch(setDiagnostics(this.view.state, diagnostics));
  }

  setTheme(dark) {
    this.settings.dark = dark;
    this.view.dispatch({ effects: this.theme.reconfigure(themeExtension(dark)) });
  }

  setReadOnly(readOnly) {
    this.settings.readOnly = readOnly;
    this.view.dispatch({ effects: this.access.reconfigure(this.accessExtension(readOnly)) });
  }

  goTo(line, col) {
    const pos = offsetOf(this.view.state.doc, line, col);
    this.view.dispatch({
      selection: { anchor: pos },
      // A margin so that the line does not end up hidden under a panel or at the very edge.
      effects: EditorView.scrollIntoView(pos, { y: 'nearest', yMargin: 48 }),
      userEvent: 'select',
    });
    this.view.focus();
  }

  focus() {
    this.view.focus();
  }

  destroy() {
    this.view.destroy();
    this.onChange = null;
    this.onSave = null;
  }
}

const SEVERITIES = new Set(['error', 'warning', 'info']);

/**
 * A diagnostic from 1-based lines and columns (columns in Unicode code points, the end
 * exclusive). Every position is clamped to the document, so diagnostics computed for an
 * older version of the text land somewhere sensible instead of throwing.
 */
function toDiagnostic(doc, d) {
  const from = offsetOf(doc, d.fromLine, d.fromCol);
  let to;
  if (d.toLine == null && d.toCol == null) {
    to = doc.lineAt(from).to;
  } else {
    to = offsetOf(doc, d.toLine ?? d.fromLine, d.toCol ?? d.fromCol);
  }
  return {
    from: Math.min(from, to),
    to: Math.max(from, to),
    severity: SEVERITIES.has(d.severity) ? d.severity : 'info',
    message: String(d.message ?? ''),
    ...(d.source ? { source: String(d.source) } : {}),
  };
}

function offsetOf(doc, line, col) {
  const lineNo = wholeNumber(line);
  if (lineNo > doc.lines) return doc.length;
  const { from, text } = doc.line(lineNo);
  let steps = wholeNumber(col) - 1;
  let i = 0;
  while (steps > 0 && i < text.length) {
    i += text.codePointAt(i) > 0xffff ? 2 : 1;
    steps -= 1;
  }
  return from + i;
}

/** A 1-based position: anything that is not a number of at least 1 counts as 1. */
function wholeNumber(value) {
  const n = Math.floor(Number(value));
  return Number.isFinite(n) && n >= 1 ? n : 1;
}

/**
 * Mounts an editor in `parent` holding `doc`. `settings` is a plain object
 * `{ dark, readOnly, label, hint, phrases }` already checked by the facade.
 */
export function mountEditor(parent, doc, settings, onChange, onSave) {
  return new Editor(parent, doc, settings, onChange, onSave);
}
