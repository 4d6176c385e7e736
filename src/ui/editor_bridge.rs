//! The Rust side of `vendor/editor.js`, the CodeMirror facade: wasm-bindgen bindings, in the
//! browser build only (the native build renders the plain text box instead).

#![cfg(target_arch = "wasm32")]

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/vendor/editor.js")]
extern "C" {
    /// One mounted editor.
    pub type EditorHandle;

    /// Mounts an editor in `parent`; resolves to an [`EditorHandle`].
    #[wasm_bindgen(js_name = createEditor)]
    pub fn create_editor(
        parent: &web_sys::Element,
        doc: &str,
        options_json: &str,
        on_change: &Closure<dyn FnMut(String)>,
        on_save: &Closure<dyn FnMut()>,
    ) -> js_sys::Promise;

    /// The whole document.
    #[wasm_bindgen(method, js_name = getDoc)]
    pub fn get_doc(this: &EditorHandle) -> String;

    /// Replaces the document (no change callback, fresh undo history).
    #[wasm_bindgen(method, js_name = setDoc)]
    pub fn set_doc(this: &EditorHandle, text: &str);

    /// Replaces the diagnostics (a JSON array).
    #[wasm_bindgen(method, js_name = setDiagnostics)]
    pub fn set_diagnostics(this: &EditorHandle, json: &str);

    /// Moves the cursor to 1-based `line` and `col` (chars), scrolls there and focuses.
    #[wasm_bindgen(method, js_name = goTo)]
    pub fn go_to(this: &EditorHandle, line: u32, col: u32);

    /// Light or dark details.
    #[wasm_bindgen(method, js_name = setTheme)]
    pub fn set_theme(this: &EditorHandle, dark: bool);

    /// Allows or forbids edits.
    #[wasm_bindgen(method, js_name = setReadOnly)]
    pub fn set_read_only(this: &EditorHandle, read_only: bool);

    /// Moves keyboard focus into the text.
    #[wasm_bindgen(method)]
    pub fn focus(this: &EditorHandle);

    /// Removes the editor.
    #[wasm_bindgen(method)]
    pub fn destroy(this: &EditorHandle);
}
