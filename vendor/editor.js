// The manifest editor's facade: the one module the Rust app imports (wasm-bindgen,
// `module = "/vendor/editor.js"`). It loads the CodeMirror bundle lazily, so the editor never
// delays the first prompt, and hands back a small handle. Stale or out-of-range data never
// makes a method throw; only a programming error does (a list that is not JSON, say).
//
// The bundle, codemirror.js, is copied unhashed next to index.html (Trunk's copy-file) and
// resolved against document.baseURI, not against this file: wasm-bindgen serves this module
// from snippets/<crate>/vendor/, and the app itself may live under any sub-path.
//
// API
//
//   loadEditor(): Promise<void>
//     Starts loading the bundle (idempotent; a failed load is retried by the next call).
//     Optional: createEditor loads it too. Rejects with an Error naming the bundle's URL.
//
//   createEditor(parent, doc, options, onChange, onSave): Promise<EditorHandle>
//     parent    Element the editor fills (give it a height, e.g. flex: 1; min-height: 0).
//     doc       string, the initial text.
//     options   object or JSON string; properties are read one by one, so a wasm-bindgen
//               struct with getters works too:
//                 dark: bool          dark theme (default false)
//                 readOnly: bool      no edits; still focusable and selectable (default false)
//                 label: string       the content's accessible name (default "Editor"); the
//                                     content is a role="textbox" aria-multiline element
//                 hint: string        shown under the editor and linked as the content's
//                                     description while editable (default: the English Tab
//                                     hint below; "" shows none)
//                 phrases: object     CodeMirror UI strings to translate (optional)
//     onChange  function(docText: string), after every change the learner makes; never for
//               setDoc. Receives the whole document.
//     onSave    function(), on Ctrl-S / Cmd-S (the browser's save dialog is suppressed).
//     Keep both callbacks alive until destroy() (drop wasm-bindgen Closures after it).
//     Rejects if parent is not an Element or the bundle cannot be loaded. If the caller went
//     away while waiting, it should destroy() the handle it gets.
//
//   class EditorHandle
//     getDoc(): string               the text byte for byte: only LF ends a line, so a CR
//                                    (shown as a marked character, as are control characters
//                                    and no-break spaces) is kept, and an untouched file
//                                    saves unchanged. Lines for diagnostics split at LF.
//     setDoc(text: string): void     replaces the document with a fresh editor state: undo
//                                    history and diagnostics cleared, cursor at the start,
//                                    onChange not called. Call it when another file opens
//                                    or the file changed on disk, not to echo onChange back.
//     setDiagnostics(list): void     list: array or JSON string of
//                                      { fromLine, fromCol, toLine?, toCol?,
//                                        severity: "error" | "warning" | "info",
//                                        message: string, source?: string }
//                                    1-based lines and columns, columns in Unicode code
//                                    points (Rust chars), end exclusive. Without toLine and
//                                    toCol the mark runs to the end of fromLine; equal ends
//                                    give a point mark. Positions are clamped to the
//                                    document; an unknown severity counts as "info". An
//                                    empty list clears. Marks then move with later edits.
//     setTheme(dark: bool): void     CodeMirror's own dark or light details and the
//                                    fallback colours; the page's custom properties (its
//                                    data-theme) still decide the colours they define.
//     setReadOnly(readOnly: bool): void
//     goTo(line: number, col: number): void
//                                    puts the cursor at 1-based line and column (columns in
//                                    code points, as for diagnostics), scrolls it into view
//                                    and focuses the editor; clamped like diagnostics, so a
//                                    stale position lands on the nearest existing one.
//     focus(): void
//     destroy(): void                removes the editor; later calls do nothing.
//
// Keyboard: Tab and Shift-Tab indent and outdent; Escape then Tab moves focus on (so does
// Ctrl-M, which toggles Tab between indenting and moving focus); Ctrl-F search, F8 next
// diagnostic, Ctrl-Shift-M the list of diagnostics, Ctrl-Z / Ctrl-Shift-Z undo and redo.
//
// Colours come from the page's custom properties: --editor-bg, --editor-fg, --editor-gutter,
// --editor-gutter-fg, --editor-selection, --editor-cursor, --editor-active-line, --border,
// --focus, --mono, --sans, --editor-search-match; diagnostics from --bad (error), --warn
// (warning) and --accent (info), bracket matching from --ok and --bad; YAML tokens from
// --editor-key, --editor-string, --editor-comment, --editor-meta, --editor-anchor,
// --editor-keyword. Each has a fallback per theme.

const BUNDLE = 'codemirror.js';
const BUNDLE_API = 2;
const DEFAULT_HINT = 'Tab indents. To leave the editor, press Escape, then Tab.';

let loading = null;

/** Loads the CodeMirror bundle once; resolves to its module. */
function bundle() {
  if (!loading) {
    const url = new URL(BUNDLE, document.baseURI).href;
    loading = import(url).then(
      (module) => {
        if (module.BUNDLE_API !== BUNDLE_API) {
          throw new Error(
            `the editor bundle ${url} has API ${module.BUNDLE_API}, this page expects ${BUNDLE_API}`,
          );
        }
        return module;
      },
      (err) => {
        throw new Error(`could not load the editor from ${url}: ${err?.message ?? err}`);
      },
    );
    // Forget a failed load so that the next call tries again.
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

/** Starts loading the editor bundle, e.g. once the first prompt is up. */
export async function loadEditor() {
  await bundle();
}

/** Mounts an editor in `parent`; see the header for the arguments. */
export async function createEditor(parent, doc, options, onChange, onSave) {
  if (!(parent instanceof Element)) throw new TypeError('createEditor: parent must be an Element');
  const settings = readOptions(options);
  const module = await bundle();
  const editor = module.mountEditor(
    parent,
    String(doc ?? ''),
    settings,
    typeof onChange === 'function' ? onChange : null,
    typeof onSave === 'function' ? onSave : null,
  );
  return new EditorHandle(editor);
}

function readOptions(options) {
  const o = typeof options === 'string' ? JSON.parse(options) : (options ?? {});
  return {
    dark: Boolean(o.dark),
    readOnly: Boolean(o.readOnly),
    label: typeof o.label === 'string' && o.label !== '' ? o.label : 'Editor',
    hint: typeof o.hint === 'string' ? o.hint : DEFAULT_HINT,
    phrases: o.phrases && typeof o.phrases === 'object' ? o.phrases : null,
  };
}

/** One mounted editor. Every method is a no-op once destroy() ran. */
export class EditorHandle {
  #editor;

  constructor(editor) {
    this.#editor = editor;
  }

  /** The whole document. */
  getDoc() {
    return this.#editor ? this.#editor.getDoc() : '';
  }

  /** Replaces the document with a fresh state (no onChange, no undo into the old text). */
  setDoc(text) {
    this.#editor?.setDoc(String(text ?? ''));
  }

  /** Replaces the diagnostics; an array or a JSON string of them. */
  setDiagnostics(list) {
    const items = typeof list === 'string' ? JSON.parse(list) : list;
    if (!Array.isArray(items)) throw new TypeError('setDiagnostics: expected an array');
    this.#editor?.setDiagnostics(items.filter((d) => d !== null && typeof d === 'object'));
  }

  /** Switches between the light and the dark look. */
  setTheme(dark) {
    this.#editor?.setTheme(Boolean(dark));
  }

  /** Allows or forbids edits. */
  setReadOnly(readOnly) {
    this.#editor?.setReadOnly(Boolean(readOnly));
  }

  /** Moves the cursor to a 1-based line and column, scrolls there and focuses. */
  goTo(line, col) {
    this.#editor?.goTo(line, col);
  }

  /** Moves keyboard focus into the text. */
  focus() {
    this.#editor?.focus();
  }

  /** Removes the editor from the page and lets go of the callbacks. */
  destroy() {
    this.#editor?.destroy();
    this.#editor = null;
  }
}
