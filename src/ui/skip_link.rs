//! The skip link from the top of Search to its results.

use leptos::prelude::*;

use super::results_list::RESULTS_ID;

/// "Skip to results": the Search view's first stop for the keyboard, past
/// the tabs, the search box and every facet. Hidden until focused.
#[component]
pub fn SkipLink() -> impl IntoView {
    view! {
        <a
            class="skip-link"
            data-testid="skip-to-results"
            href=format!("#{RESULTS_ID}")
            on:click=move |ev| {
                // Focus by hand: following the fragment would add it to the
                // address bar, which holds only the view's state.
                ev.prevent_default();
                focus_results();
            }
        >
            "Skip to results"
        </a>
    }
}

/// Moves focus (and the page) to the results list.
pub fn focus_results() {
    use wasm_bindgen::JsCast;
    let target = document()
        .get_element_by_id(RESULTS_ID)
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(results) = target {
        let _ = results.focus();
        // Bring the list's head (its count and sort) into view too.
        if let Some(section) = results.parent_element() {
            section.scroll_into_view();
        }
    }
}
