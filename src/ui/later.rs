//! Part of a view built in a task after the rest, so that no one task
//! holds the page long. The first render of a part runs its WebAssembly
//! for the first time, and V8 compiles each function then, on the page's
//! thread: the mount and the table's first render were 17-25 ms of CPU
//! each on a two-core machine. With the binary built for size (the `page`
//! profile in Cargo.toml), the load status built after the mount and the
//! Overview's cards after the table's render, they are about 9-14 ms.
//! A part built later should sit below what is shown already, so that
//! nothing moves when it comes.

use leptos::prelude::*;

use crate::browser::page;

/// Shows `children` in a task of its own after the one that builds this
/// (and after the `Later`s built before it), before the next frame where
/// the browser allows. Until then it is empty. With `at_once`, as when the
/// code has run before, it shows them at once.
#[component]
pub fn Later(#[prop(optional)] at_once: bool, children: ChildrenFn) -> impl IntoView {
    let shown = RwSignal::new(at_once);
    if !at_once {
        page::in_next_task(move || {
            // Gone already when the view it was in was replaced meanwhile.
            let _ = shown.try_set(true);
        });
    }
    move || shown.get().then(|| children())
}
