//! A panic must not leave a blank or frozen page: show what happened.

use wasm_bindgen::JsCast;

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show(&info.to_string());
    }));
}

/// Writes the message into the load-status element (or the body) as text.
fn show(detail: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let message = format!(
        "Something went wrong inside the app and it stopped. Reload the page to try again. ({detail})"
    );
    let status = document
        .query_selector("[data-testid=load-status]")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    match status {
        Some(element) => {
            let _ = element.set_attribute("data-state", "error");
            element.set_inner_text(&message);
        }
        None => {
            if let Some(body) = document.body() {
                body.set_inner_text(&message);
            }
        }
    }
}
