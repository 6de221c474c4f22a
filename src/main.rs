//! The wasm entry point: mounts the app.

#[cfg(target_arch = "wasm32")]
fn main() {
    spaces_ship::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Spaces Ship is a web app: build and serve it with `bash scripts/serve.sh`.");
}
