//! A readable message for the learner when the app hits a bug.
//!
//! The release build aborts on panic, which would leave a frozen page. The hook below logs the
//! panic to the console (as Yew's default hook does) and puts a banner on top of the page with
//! a link that downloads the session as last saved, so no work is lost.

use std::panic::PanicHookInfo;

use wasm_bindgen::JsCast;

/// The text the learner sees when the playground crashes.
pub const BANNER_TEXT: &str =
    "The playground hit an internal error and stopped. Reload the page to start again.";

/// The link's text.
pub const EXPORT_TEXT: &str = "Export your session";

/// Installs the hook; call before rendering.
pub fn install() {
    yew::set_custom_panic_hook(Box::new(hook));
}

fn hook(info: &PanicHookInfo<'_>) {
    gloo::console::error!(info.to_string());
    show_banner();
}

fn show_banner() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else {
        return;
    };
    let Ok(banner) = document.create_element("div") else {
        return;
    };
    banner.set_class_name("panic-banner");
    let _ = banner.set_attribute("role", "alert");
    banner.set_text_content(Some(BANNER_TEXT));
    if let Some(link) = export_link(&document) {
        let _ = banner.append_with_str_1(" ");
        let _ = banner.append_child(&link);
    }
    let _ = body.prepend_with_node_1(&banner);
}

/// An `<a download>` holding the last saved session, made now: once the wasm has trapped,
/// only plain DOM keeps working.
fn export_link(document: &web_sys::Document) -> Option<web_sys::HtmlAnchorElement> {
    let session = crate::ui::storage::last_saved();
    if session.is_empty() {
        return None;
    }
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&session));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let link = document
        .create_element("a")
        .ok()?
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .ok()?;
    link.set_href(&url);
    link.set_download("kubelet-playground-session.json");
    link.set_text_content(Some(EXPORT_TEXT));
    Some(link)
}
