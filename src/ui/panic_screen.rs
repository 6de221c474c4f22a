//! A panic or a wasm trap must not leave a blank, frozen or forever
//! "Loading" page: show what happened, in the load-status hook, with a way
//! out that needs no app code.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::crash;

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show(&crash::describe(&info.to_string(), false));
    }));
    // A trap (an allocation that failed, `unreachable` after an abort) runs
    // no panic hook: it surfaces as an uncaught `RuntimeError`, from an
    // event handler or from a task's promise.
    on_window_event("error", |event| {
        event
            .dyn_ref::<web_sys::ErrorEvent>()
            .map(|e| (e.error(), e.message()))
    });
    on_window_event("unhandledrejection", |event| {
        event
            .dyn_ref::<web_sys::PromiseRejectionEvent>()
            .map(|e| (e.reason(), String::new()))
    });
}

/// Shows a trap's message when `read` finds a `WebAssembly.RuntimeError`
/// in the event.
fn on_window_event(name: &str, read: fn(&web_sys::Event) -> Option<(JsValue, String)>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let callback = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
        let Some((error, message)) = read(&event) else {
            return;
        };
        if !error.is_instance_of::<js_sys::WebAssembly::RuntimeError>() {
            return;
        }
        let detail = js_sys::Error::from(error).to_string().as_string();
        show(&crash::describe_trap(
            &detail.unwrap_or(message),
            crate::browser::perf::wasm_memory_bytes() as f64,
            false,
        ));
    });
    let _ = window.add_event_listener_with_callback(name, callback.as_ref().unchecked_ref());
    // Lives as long as the page.
    callback.forget();
}

/// Writes the message into the load-status element (or the body) as text.
fn show(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let status = document
        .query_selector("[data-testid=load-status]")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    match status {
        Some(element) => {
            let _ = element.set_attribute("data-state", "error");
            element.set_inner_text(message);
            // Ways out that need no app code: plain links.
            for (href, text) in [
                ("?data=sample", "Load the bundled sample instead"),
                ("", "Reload the page"),
            ] {
                if let Ok(link) = document.create_element("a") {
                    let href = if href.is_empty() {
                        crate::browser::page::current_url()
                    } else {
                        href.to_string()
                    };
                    let _ = link.set_attribute("href", &href);
                    let _ = link.set_attribute("class", "button secondary");
                    link.set_text_content(Some(text));
                    let _ = element.append_child(&link);
                }
            }
        }
        None => {
            if let Some(body) = document.body() {
                body.set_inner_text(message);
            }
        }
    }
}
