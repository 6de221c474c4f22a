//! Leptos' executor for the page: wasm-bindgen-futures, except that the
//! futures the app's mount spawns (its effects' first runs, the source
//! list's fetch) start in the task after the mount.
//!
//! wasm-bindgen-futures polls a new future in the microtasks of the task
//! that spawned it, so a mount's render and its effects' first runs were
//! one task: 50-61 ms on a busy two-core machine, the one long task left
//! in most first visits. Nothing the mount's effects do has to happen
//! before the mounted page can paint: the data was asked for before the
//! mount (`loader::send_early`).

use std::cell::RefCell;

use any_spawner::{CustomExecutor, Executor, PinnedFuture, PinnedLocalFuture};

use super::page;

thread_local! {
    /// Futures spawned while a mount holds them, in the order spawned.
    static HELD: RefCell<Option<Vec<PinnedLocalFuture<()>>>> = const { RefCell::new(None) };
}

struct PageSpawner;

impl PageSpawner {
    fn start(future: PinnedLocalFuture<()>) {
        let future = HELD.with(|held| match held.borrow_mut().as_mut() {
            Some(held) => {
                held.push(future);
                None
            }
            None => Some(future),
        });
        if let Some(future) = future {
            wasm_bindgen_futures::spawn_local(future);
        }
    }
}

impl CustomExecutor for PageSpawner {
    fn spawn(&self, future: PinnedFuture<()>) {
        // The page has one thread: a `Send` future runs there too.
        Self::start(future);
    }

    fn spawn_local(&self, future: PinnedLocalFuture<()>) {
        Self::start(future);
    }

    fn poll_local(&self) {
        // wasm-bindgen-futures polls on its own.
    }
}

/// Makes `PageSpawner` Leptos' executor. Call before mounting: the first
/// executor set stays (Leptos' mount sets the plain one only if none is).
pub fn install() {
    let _ = Executor::init_custom_executor(PageSpawner);
}

/// Runs `mount`, then starts the futures it spawned in a task of their
/// own, after it.
pub fn mount_then_spawn(mount: impl FnOnce()) {
    HELD.with(|held| *held.borrow_mut() = Some(Vec::new()));
    mount();
    let held = HELD
        .with(|held| held.borrow_mut().take())
        .unwrap_or_default();
    if held.is_empty() {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        page::yield_to_browser().await;
        for future in held {
            wasm_bindgen_futures::spawn_local(future);
        }
    });
}
