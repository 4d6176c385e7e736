//! The browser entry: mounts the playground. Trunk builds this binary.

#[cfg(target_arch = "wasm32")]
fn main() {
    kubelet_playground::ui::panic_banner::install();
    yew::Renderer::<kubelet_playground::ui::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "kubelet-playground-web is the browser build; serve it with `make serve`.\n\
         For the command line, run `kubelet-playground --help`."
    );
    std::process::exit(2);
}
