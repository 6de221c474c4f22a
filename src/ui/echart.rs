//! Hosts one ECharts instance: created once, then updated in place.

use leptos::prelude::*;
use leptos_use_resize_observer::use_resize_observer;
use wasm_bindgen::prelude::*;

use crate::browser::{page, perf};
use crate::overview::charts::{log1p_label, ChartOption, LOG1P_LABELS};

#[wasm_bindgen]
extern "C" {
    /// An ECharts instance, as returned by `echarts.init`.
    type EchartsInstance;

    #[wasm_bindgen(js_namespace = echarts, js_name = init)]
    fn echarts_init(element: &web_sys::HtmlElement, theme: JsValue) -> EchartsInstance;

    /// Resizes to the container's current size.
    #[wasm_bindgen(method, js_name = resize)]
    fn resize(this: &EchartsInstance);

    #[wasm_bindgen(method)]
    fn on(this: &EchartsInstance, event: &str, handler: &JsValue);

    #[wasm_bindgen(method)]
    fn dispose(this: &EchartsInstance);

    #[wasm_bindgen(method, js_name = setOption)]
    fn set_option(this: &EchartsInstance, option: &JsValue, settings: &JsValue);
}

/// Draws `option` in place of whatever the chart showed. ECharts merges a
/// new option into the old one by default, so a series that became empty
/// would keep its old points: `notMerge` replaces the whole option.
fn draw(echarts: &EchartsInstance, option: &ChartOption) {
    let Ok(option) = js_sys::JSON::parse(&option.to_string()) else {
        return;
    };
    for key in ["xAxis", "yAxis"] {
        if let Ok(axes) = js_sys::Reflect::get(&option, &key.into()) {
            let axes = if js_sys::Array::is_array(&axes) {
                js_sys::Array::from(&axes)
            } else {
                js_sys::Array::of1(&axes)
            };
            axes.for_each(&mut |axis, _, _| use_label_functions(&axis));
        }
    }
    let settings = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&settings, &"notMerge".into(), &JsValue::TRUE);
    // Rendered at the next frame, in a task of its own: reading the option
    // and rendering it together took over 100 ms for a first chart.
    let _ = js_sys::Reflect::set(&settings, &"lazyUpdate".into(), &JsValue::TRUE);
    echarts.set_option(&option, &settings);
}

thread_local! {
    /// One label function for every log1p axis on the page.
    static LOG1P_FORMATTER: Closure<dyn Fn(f64) -> String> =
        Closure::new(log1p_label);
}

/// Swaps a formatter marker the pure builders write for the function it
/// names (JSON cannot carry functions).
fn use_label_functions(axis: &JsValue) {
    let Ok(label) = js_sys::Reflect::get(axis, &"axisLabel".into()) else {
        return;
    };
    let marker = js_sys::Reflect::get(&label, &"formatter".into()).ok();
    if marker.and_then(|m| m.as_string()).as_deref() == Some(LOG1P_LABELS) {
        LOG1P_FORMATTER.with(|f| {
            let _ = js_sys::Reflect::set(&label, &"formatter".into(), f.as_ref());
        });
    }
}

/// What keeps a chart's click handler alive while ECharts holds it.
#[derive(Default)]
struct Hooks {
    on_click: Option<Closure<dyn FnMut(JsValue)>>,
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
            let theme = if dark {
                JsValue::from_str("dark")
            } else {
                JsValue::NULL
            };
            let alive = instance.try_with_value(|_| ()).is_some();
            if alive {
                let created = echarts_init(&element, theme);
                hooks.update_value(|h| attach(h, &created, on_pick));
                // The option as it is now: it may have changed meanwhile.
                draw(&created, &option.get_untracked());
                instance.set_value(Some(created));
                creating.set_value(false);
            }
            perf::measure_from(&mark, began, Some(perf::epoch_now() - began));
            perf::draw_finished(alive);
        });
    });

    on_cleanup(move || {
        instance.update_value(|i| {
            if let Some(echarts) = i.take() {
                echarts.dispose();
            }
        });
    });

    view! { <div class="echart" node_ref=host role="img" aria-label=label></div> }
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
