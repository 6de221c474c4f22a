//! The page's executor in headless Chromium: what a mount spawns starts in
//! the task after it; anything else starts at once, as before.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use leptos::task::spawn_local;
use spaces_ship::browser::{page, spawner};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Lets this task's queued microtasks run (wasm-bindgen-futures polls a
/// new future in one), without leaving the task.
async fn drain_microtasks() {
    for _ in 0..8 {
        let _ = JsFuture::from(js_sys::Promise::resolve(&JsValue::NULL)).await;
    }
}

/// An element of its own in the page, for a test's mount.
fn new_host() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    host
}

fn flag_on_start() -> (Rc<Cell<bool>>, impl std::future::Future<Output = ()>) {
    let started = Rc::new(Cell::new(false));
    let set = started.clone();
    (started, async move { set.set(true) })
}

#[wasm_bindgen_test]
async fn a_mounts_futures_start_in_the_next_task_and_others_at_once() {
    spawner::install();

    let (plain, future) = flag_on_start();
    spawn_local(future);
    drain_microtasks().await;
    assert!(
        plain.get(),
        "a future spawned outside a mount starts in this task"
    );

    let (held, future) = flag_on_start();
    let mounted = Rc::new(Cell::new(false));
    let mounting = mounted.clone();
    spawner::mount_then_spawn(move || {
        spawn_local(future);
        mounting.set(true);
    });
    assert!(mounted.get(), "the mount itself runs at once");
    drain_microtasks().await;
    assert!(
        !held.get(),
        "a future the mount spawned started in the mount's task"
    );

    let mut tasks = 0;
    while !held.get() && tasks < 20 {
        page::yield_to_browser().await;
        tasks += 1;
    }
    assert!(held.get(), "a future the mount spawned never started");

    // The mount is over: spawning starts at once again.
    let (after, future) = flag_on_start();
    spawn_local(future);
    drain_microtasks().await;
    assert!(after.get(), "spawns after the mount are no longer held");
}

#[wasm_bindgen_test]
async fn a_mounted_effect_first_runs_after_the_mount_unless_started_at_once() {
    use leptos::prelude::*;

    spawner::install();
    let host = new_host();

    let later = Rc::new(Cell::new(0));
    let at_once = Rc::new(Cell::new(0));
    let (later_runs, at_once_runs) = (later.clone(), at_once.clone());
    let mut handle = None;
    spawner::mount_then_spawn(|| {
        handle = Some(leptos::mount::mount_to(host.clone(), move || {
            let later_runs = later_runs.clone();
            Effect::new(move |_| later_runs.set(later_runs.get() + 1));
            let at_once_runs = at_once_runs.clone();
            spawner::start_at_once(|| {
                Effect::new(move |_| at_once_runs.set(at_once_runs.get() + 1))
            });
            view! { <p>"mounted"</p> }
        }));
    });
    assert_eq!(host.text_content().as_deref(), Some("mounted"));
    drain_microtasks().await;
    assert_eq!(
        at_once.get(),
        1,
        "an effect started at once ran in the mount's task"
    );
    assert_eq!(later.get(), 0, "a mounted effect ran in the mount's task");
    let mut tasks = 0;
    while later.get() == 0 && tasks < 20 {
        page::yield_to_browser().await;
        tasks += 1;
    }
    assert_eq!(
        later.get(),
        1,
        "the mounted effect ran once, after the mount"
    );
    drop(handle);
}

#[wasm_bindgen_test]
async fn a_later_part_is_built_in_a_task_after_its_view_and_laters_in_order_unless_at_once() {
    use leptos::prelude::*;
    use spaces_ship::ui::Later;

    spawner::install();
    let host = new_host();

    let handle = leptos::mount::mount_to(host.clone(), || {
        view! {
            <p>"now"</p>
            <Later><p>" first"</p></Later>
            <Later><p>" second"</p></Later>
            <Later at_once=true><p>" third"</p></Later>
        }
    });
    let text = || host.text_content().unwrap_or_default();
    assert_eq!(text(), "now third", "a part `at_once` waited");
    drain_microtasks().await;
    assert_eq!(
        text(),
        "now third",
        "a later part was built in its view's task"
    );

    // The task each part first shows in.
    let (mut first, mut second) = (None, None);
    for task in 1..=20 {
        page::yield_to_browser().await;
        let shown = text();
        first = first.or(shown.contains("first").then_some(task));
        second = second.or(shown.contains("second").then_some(task));
        if second.is_some() {
            break;
        }
    }
    assert_eq!(
        text(),
        "now first second third",
        "the parts keep their places"
    );
    assert!(
        first <= second,
        "the second part showed before the first: {first:?}, {second:?}"
    );
    drop(handle);
}
