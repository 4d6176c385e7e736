//! A readable message for the learner when the app hits a bug.
//!
//! The release build aborts on panic, which would leave a frozen page. The hook below logs the
//! panic to the console (as Yew's default hook does) and puts a banner on top of the page.

use std::panic::PanicHookInfo;

/// The text the learner sees when the playground crashes.
pub const BANNER_TEXT: &str =
    "The playground hit an internal error and stopped. Reload the page to start again.";

/// Installs the hook; call before rendering.
pub fn install() {
    yew::set_custom_panic_hook(Box::new(hook));
}

fn hook(info: &PanicHookInfo<'_>) {
    web_sys_console_error(&info.to_string());
    show_banner();
}

fn web_sys_console_error(message: &str) {
    gloo::console::error!(message.to_string());
}

fn show_banner() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else {
        return;
    };
    if let Ok(banner) = document.create_element("div") {
        banner.set_class_name("panic-banner");
        let _ = banner.set_attribute("role", "alert");
        banner.set_text_content(Some(BANNER_TEXT));
        let _ = body.prepend_with_node_1(&banner);
    }
}
