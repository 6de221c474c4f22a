//! A panic must not leave a blank or frozen page: show what happened.

use std::cell::Cell;
use wasm_bindgen::JsCast;

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show(&info.to_string(), DECODING.with(Cell::get));
    }));
}

thread_local! {
    /// Set while a file is being decoded: the Parquet crate still panics on
    /// some damaged data pages, and the visitor should hear that the file
    /// is at fault.
    static DECODING: Cell<bool> = const { Cell::new(false) };
}

/// Marks the start and end of decoding, for the message above.
pub fn set_decoding(decoding: bool) {
    DECODING.with(|d| d.set(decoding));
}

/// Writes the message into the load-status element (or the body) as text.
fn show(detail: &str, decoding: bool) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let message = if decoding {
        format!(
            "The dataset could not be loaded: the Parquet reader stopped on damaged data in the file, and the app stopped with it. Reload the page to try again, or load the bundled sample. ({detail})"
        )
    } else {
        format!(
            "Something went wrong inside the app and it stopped. Reload the page to try again. ({detail})"
        )
    };
    let status = document
        .query_selector("[data-testid=load-status]")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    match status {
        Some(element) => {
            let _ = element.set_attribute("data-state", "error");
            element.set_inner_text(&message);
            // A way out that needs no app code: a plain link.
            if let Ok(link) = document.create_element("a") {
                let _ = link.set_attribute("href", "?data=sample");
                let _ = link.set_attribute("class", "button secondary");
                link.set_text_content(Some("Load the bundled sample instead"));
                let _ = element.append_child(&link);
            }
        }
        None => {
            if let Some(body) = document.body() {
                body.set_inner_text(&message);
            }
        }
    }
}
