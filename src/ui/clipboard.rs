//! The system clipboard, where the browser offers one.

/// Puts `text` on the system clipboard; `false` where the browser offers no clipboard.
pub fn write(text: &str) -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::{JsCast, JsValue};
        let navigator = gloo::utils::window().navigator();
        let Ok(clipboard) = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        else {
            return false;
        };
        let Ok(write) = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText")) else {
            return false;
        };
        let Some(write) = write.dyn_ref::<js_sys::Function>() else {
            return false;
        };
        // The promise is dropped: a refused write leaves the page as it was.
        write.call1(&clipboard, &JsValue::from_str(text)).is_ok()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = text;
        false
    }
}
