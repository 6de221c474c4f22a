//! What the page's window and the engine worker's global scope both offer:
//! the same fetch and cache code runs in either.

use wasm_bindgen::JsCast;

/// The global object of the code running now.
pub enum Global {
    Window(web_sys::Window),
    Worker(web_sys::WorkerGlobalScope),
}

thread_local! {
    /// Whether this code runs on the page, asked once: in a worker,
    /// `instanceof Window` throws (there is no `Window`), and every clock
    /// read and yield asked it (24 ms of thrown errors in a 1M-row load).
    static ON_PAGE: bool = js_sys::global().dyn_ref::<web_sys::Window>().is_some();
}

/// The page's window; none in a worker.
pub fn window() -> Option<web_sys::Window> {
    ON_PAGE
        .with(|on_page| *on_page)
        .then(|| js_sys::global().unchecked_into())
}

/// The window on the page, the worker's scope in the worker.
pub fn global() -> Option<Global> {
    if let Some(window) = window() {
        return Some(Global::Window(window));
    }
    js_sys::global()
        .dyn_into::<web_sys::WorkerGlobalScope>()
        .ok()
        .map(Global::Worker)
}

impl Global {
    pub fn performance(&self) -> Option<web_sys::Performance> {
        match self {
            Global::Window(w) => w.performance(),
            Global::Worker(w) => w.performance(),
        }
    }

    pub fn caches(&self) -> Option<web_sys::CacheStorage> {
        match self {
            Global::Window(w) => w.caches().ok(),
            Global::Worker(w) => w.caches().ok(),
        }
    }

    /// Calls `callback` after `millis` (the page's and the engine's timers
    /// alike).
    pub fn set_timeout(&self, callback: &js_sys::Function, millis: i32) {
        let _ = match self {
            Global::Window(w) => {
                w.set_timeout_with_callback_and_timeout_and_arguments_0(callback, millis)
            }
            Global::Worker(w) => {
                w.set_timeout_with_callback_and_timeout_and_arguments_0(callback, millis)
            }
        };
    }

    /// The address of the page, or of the worker's script (which sits
    /// beside the page, so relative addresses resolve alike).
    pub fn href(&self) -> Option<String> {
        match self {
            Global::Window(w) => w.location().href().ok(),
            Global::Worker(w) => Some(w.location().href()),
        }
    }
}
