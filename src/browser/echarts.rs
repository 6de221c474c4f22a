//! ECharts, the global `echarts` that `echarts.min.js` defines (charming
//! builds the options; the page draws them with these calls).

use wasm_bindgen::prelude::*;

use crate::overview::charts::{log1p_label, ChartOption, LOG1P_LABELS};

#[wasm_bindgen]
extern "C" {
    /// An ECharts instance, as returned by `echarts.init`.
    pub type EchartsInstance;

    #[wasm_bindgen(js_namespace = echarts)]
    pub fn init(element: &web_sys::HtmlElement, theme: JsValue) -> EchartsInstance;

    /// Resizes to the container's current size.
    #[wasm_bindgen(method, js_name = resize)]
    pub fn resize(this: &EchartsInstance);

    #[wasm_bindgen(method)]
    pub fn on(this: &EchartsInstance, event: &str, handler: &JsValue);

    #[wasm_bindgen(method)]
    pub fn dispose(this: &EchartsInstance);

    #[wasm_bindgen(method, js_name = setOption)]
    pub fn set_option(this: &EchartsInstance, option: &JsValue, settings: &JsValue);
}

/// Whether `echarts.min.js` has run (it is deferred; a page whose script
/// failed to load draws nothing rather than throwing).
pub fn loaded() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &"echarts".into()).is_ok_and(|e| e.is_object())
}

/// The ECharts theme for the page's colour scheme.
pub fn theme(dark: bool) -> JsValue {
    if dark {
        JsValue::from_str("dark")
    } else {
        JsValue::NULL
    }
}

/// Draws `option` in place of whatever the chart showed. ECharts merges a
/// new option into the old one by default, so a series that became empty
/// would keep its old points: `notMerge` replaces the whole option.
pub fn draw(echarts: &EchartsInstance, option: &ChartOption) {
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
