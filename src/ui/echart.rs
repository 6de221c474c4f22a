//! Hosts one ECharts instance: created once, then updated in place.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use leptos_use_resize_observer::use_resize_observer;
use wasm_bindgen::prelude::*;

use crate::browser::echarts::{self, draw, EchartsInstance};
use crate::browser::{page, perf};
use crate::overview::charts::ChartOption;

/// What keeps a chart's handlers alive while ECharts holds them.
#[derive(Default)]
struct Hooks {
    on_click: Option<Closure<dyn FnMut(JsValue)>>,
    on_rendered: Option<Closure<dyn FnMut(JsValue)>>,
    /// Set from the first draw until ECharts has painted it.
    paint_pending: Rc<Cell<bool>>,
}

#[component]
pub fn EChart(
    #[prop(into)] option: Signal<ChartOption>,
    label: String,
    dark: bool,
    /// Called with the index (in the series data) of the bar, slice or
    /// point the user clicked.
    on_pick: Option<Callback<usize>>,
) -> impl IntoView {
    let host = NodeRef::<leptos::html::Div>::new();
    let instance = StoredValue::new_local(None::<EchartsInstance>);
    let hooks = StoredValue::new_local(Hooks::default());
    let creating = StoredValue::new_local(false);
    // Charts follow their container (window resizes, phone rotation).
    use_resize_observer(host, move |_, _| {
        instance.with_value(|i| {
            if let Some(echarts) = i {
                echarts.resize();
            }
        });
    });

    // A redraw waiting for its task.
    let redraw_queued = StoredValue::new_local(false);
    let mark = format!("spaces:draw {label}");
    Effect::new(move |_| {
        option.track();
        let Some(element) = host.get() else { return };
        if instance.with_value(Option::is_some) {
            // Each chart redraws in a task of its own, with the option as it
            // is by then (a burst of changes draws once): a filter change
            // redraws every chart on screen, which in one task took over
            // 100 ms on a million rows.
            if !redraw_queued.get_value() {
                redraw_queued.set_value(true);
                page::in_own_task(move || {
                    let _ = redraw_queued.try_set_value(false);
                    let _ = instance.try_with_value(|i| {
                        if let (Some(echarts), Some(chart)) = (i, option.try_get_untracked()) {
                            draw(echarts, &chart);
                        }
                    });
                });
            }
            return;
        }
        if creating.get_value() {
            return;
        }
        // Drawing a chart the first time takes tens of milliseconds: each
        // gets its own task, so the page never stalls while the overview
        // appears (no task over 200 ms).
        creating.set_value(true);
        perf::draw_started();
        let mark = mark.clone();
        page::in_own_task(move || {
            let began = perf::epoch_now();
            let alive = instance.try_with_value(|_| ()).is_some();
            if alive {
                let created = echarts::init(&element, echarts::theme(dark));
                hooks.update_value(|h| {
                    attach(h, &created, on_pick);
                    await_first_paint(h, &created);
                });
                // The option as it is now: it may have changed meanwhile.
                draw(&created, &option.get_untracked());
                instance.set_value(Some(created));
                creating.set_value(false);
            } else {
                perf::draw_finished(false);
            }
            perf::measure_from(&mark, began, Some(perf::epoch_now() - began));
        });
    });

    on_cleanup(move || {
        // A chart gone before it was painted is no first chart.
        let _ = hooks.try_with_value(|h| {
            if h.paint_pending.replace(false) {
                perf::draw_finished(false);
            }
        });
        instance.update_value(|i| {
            if let Some(echarts) = i.take() {
                echarts.dispose();
            }
        });
    });

    view! { <div class="echart" node_ref=host role="img" aria-label=label></div> }
}

/// A chart's first draw ends when ECharts paints it, at the frame after
/// the option is set (`lazyUpdate`): that frame lays the chart out and
/// paints it, so the chart is on screen only then.
fn await_first_paint(hooks: &mut Hooks, echarts: &EchartsInstance) {
    hooks.paint_pending.set(true);
    let pending = Rc::clone(&hooks.paint_pending);
    let on_rendered = Closure::<dyn FnMut(JsValue)>::new(move |_| {
        if pending.replace(false) {
            perf::draw_finished(true);
        }
    });
    echarts.on("rendered", on_rendered.as_ref());
    hooks.on_rendered = Some(on_rendered);
}

/// Clicks report the index of what was clicked.
fn attach(hooks: &mut Hooks, echarts: &EchartsInstance, on_pick: Option<Callback<usize>>) {
    if let Some(pick) = on_pick {
        let on_click = Closure::<dyn FnMut(JsValue)>::new(move |params: JsValue| {
            // The index, not the label: axis labels may be shortened.
            let index = js_sys::Reflect::get(&params, &"dataIndex".into())
                .ok()
                .and_then(|n| n.as_f64());
            if let Some(index) = index.filter(|i| *i >= 0.0) {
                pick.run(index as usize);
            }
        });
        echarts.on("click", on_click.as_ref());
        hooks.on_click = Some(on_click);
    }
}
