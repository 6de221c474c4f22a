//! Leptos' executor for the page: wasm-bindgen-futures, except that the
//! futures the app's mount spawns (its effects' first runs) start in the
//! task after the mount.
//!
//! wasm-bindgen-futures polls a new future in the microtasks of the task
//! that spawned it, so a mount's render and its effects' first runs were
//! one task: 50-61 ms on a busy two-core machine, the one long task left
//! in most first visits. Most of what those effects do need not come
//! before the mounted page paints: the data was asked for before the
//! mount (`loader::send_early`). What a load does wait on is spawned
//! through `start_at_once`.

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
    let outer = HELD.with(|held| held.borrow_mut().replace(Vec::new()));
    mount();
    // Puts back what an enclosing mount holds (none today); nothing is
    // dropped while the list is borrowed.
    let held = HELD
        .with(|held| std::mem::replace(&mut *held.borrow_mut(), outer))
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

/// Runs `job` with what it spawns started at once, even inside a mount:
/// for what a load waits on (the source list's fetch; the effect that
/// starts the load or asks for consent), which a task later would come
/// after the mounted page's first paint.
pub fn start_at_once<T>(job: impl FnOnce() -> T) -> T {
    let mount_holds = HELD.with(|held| held.borrow_mut().take());
    let result = job();
    HELD.with(|held| *held.borrow_mut() = mount_holds);
    result
}
