//! The engine's Web Worker (trunk builds it beside the page, see
//! `index.html`): fetches and decodes the dataset off the page's thread.

#[cfg(target_arch = "wasm32")]
fn main() {
    spaces_ship::worker::run();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "The engine runs in the browser, in a Web Worker the app starts: `bash scripts/serve.sh`."
    );
}
