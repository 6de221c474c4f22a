//! While the data downloads, an off-screen chart runs ECharts through
//! the steps of `charts::warm_up_step`, one frame each, so that the first
//! real chart finds its code compiled. Drawn cold, that chart held the
//! page for one frame of 57-75 ms at 1M rows; with the steps, 7 of 11
//! loads had no task over 50 ms (every load had one before), and the first
//! chart was painted 57 ms sooner (bench/alternate.mjs, 11 rounds).
//! Each step's option is built in the task that draws it, and the first
//! one in a task before the chart is created: built all at once with the
//! chart, they held the page for up to 62 ms at 2.5M rows.
//! Nothing of it is ever shown or read aloud; it stops when it unmounts
//! (the table is in).

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use crate::browser::echarts::{self, draw, EchartsInstance};
use crate::browser::page;
use crate::overview::charts::{warm_up_step, Theme};

struct WarmUp {
    echarts: EchartsInstance,
    theme: Theme,
    /// The step to draw next.
    next_step: usize,
    /// Keeps the handler alive while ECharts holds it.
    _on_rendered: Closure<dyn FnMut(JsValue)>,
    next_queued: bool,
}

#[component]
pub fn ChartWarmUp(dark: bool) -> impl IntoView {
    let host = NodeRef::<leptos::html::Div>::new();
    let warm_up = StoredValue::new_local(None::<WarmUp>);
    let started = StoredValue::new_local(false);

    Effect::new(move |_| {
        let Some(element) = host.get() else { return };
        if started.get_value() || !echarts::loaded() {
            return;
        }
        started.set_value(true);
        let theme = Theme::of_scheme(dark);
        // Building the first option (the app's first use of its chart
        // code) and creating the chart took up to 62 ms in one task at 2.5M:
        // a task each.
        page::in_own_task(move || {
            // Gone already (the table came in): nothing left to warm up.
            if warm_up.try_with_value(|_| ()).is_none() {
                return;
            }
            let Some(first) = warm_up_step(0, theme) else {
                return;
            };
            page::in_own_task(move || {
                if warm_up.try_with_value(|_| ()).is_none() {
                    return;
                }
                let instance = echarts::init(&element, echarts::theme(dark));
                let on_rendered = Closure::<dyn FnMut(JsValue)>::new(move |_| queue_next(warm_up));
                instance.on("rendered", on_rendered.as_ref());
                draw(&instance, &first);
                warm_up.set_value(Some(WarmUp {
                    echarts: instance,
                    theme,
                    next_step: 1,
                    _on_rendered: on_rendered,
                    next_queued: false,
                }));
            });
        });
    });

    on_cleanup(move || {
        warm_up.update_value(|w| {
            if let Some(w) = w.take() {
                w.echarts.dispose();
            }
        });
    });

    // ECharts makes the element it draws in `position: relative`: it is
    // the inner one, so the fixed outer one keeps it out of the page's
    // flow (drawn in the outer one, it pushed the page down while loading).
    view! {
        <div class="chart-warm-up" aria-hidden="true">
            <div node_ref=host></div>
        </div>
    }
}

/// A step was painted: the next one is drawn in a task of its own (not
/// inside ECharts' frame), and after the last the chart is disposed.
fn queue_next(warm_up: StoredValue<Option<WarmUp>, LocalStorage>) {
    let queued = warm_up.try_update_value(|w| match w {
        Some(w) if !w.next_queued => {
            w.next_queued = true;
            true
        }
        _ => false,
    });
    if queued != Some(true) {
        return;
    }
    page::in_own_task(move || {
        let _ = warm_up.try_update_value(|w| {
            let Some(current) = w.as_mut() else { return };
            current.next_queued = false;
            match warm_up_step(current.next_step, current.theme) {
                Some(step) => {
                    current.next_step += 1;
                    draw(&current.echarts, &step);
                }
                None => {
                    if let Some(done) = w.take() {
                        done.echarts.dispose();
                    }
                }
            }
        });
    });
}
