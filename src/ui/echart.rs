//! Hosts one ECharts instance: created once, then updated in place.

use charming::{Chart, WasmRenderer};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

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
    fn dispose(this: &EchartsInstance);
}

/// The observer that resizes a chart, and the callback it holds.
type SizeWatch = Option<(web_sys::ResizeObserver, Closure<dyn FnMut()>)>;

#[component]
pub fn EChart(#[prop(into)] option: Signal<Chart>, label: String, dark: bool) -> impl IntoView {
    let host = NodeRef::<leptos::html::Div>::new();
    let instance = StoredValue::new_local(None::<EchartsInstance>);
    let observer = StoredValue::new_local(SizeWatch::None);

    Effect::new(move |_| {
        let chart = option.get();
        let Some(element) = host.get() else { return };
        instance.update_value(|slot| {
            let echarts = slot.get_or_insert_with(|| {
                let theme = if dark {
                    JsValue::from_str("dark")
                } else {
                    JsValue::NULL
                };
                let created = echarts_init(&element, theme);
                watch_size(&element, &created, observer);
                created
            });
            WasmRenderer::update(echarts.unchecked_ref::<charming::Echarts>(), &chart);
        });
    });

    on_cleanup(move || {
        observer.update_value(|o| {
            if let Some((obs, _)) = o.take() {
                obs.disconnect();
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

/// Charts follow their container (window resizes, phone rotation).
fn watch_size(
    element: &web_sys::HtmlElement,
    echarts: &EchartsInstance,
    observer: StoredValue<SizeWatch, LocalStorage>,
) {
    let target: EchartsInstance = JsValue::clone(echarts.as_ref()).unchecked_into();
    let callback = Closure::<dyn FnMut()>::new(move || target.resize());
    if let Ok(obs) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
        obs.observe(element);
        observer.set_value(Some((obs, callback)));
    }
}
