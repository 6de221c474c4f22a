//! The Overview / Search tabs.

use leptos::prelude::*;

use crate::state::AppState;

use crate::url::view_state::View;

/// Overview / Search switch. Switching changes the view only, never the
/// filters: the same URL always gives the same view, however it was reached.
#[component]
pub fn Tabs() -> impl IntoView {
    let view = AppState::get().view;
    let tab = move |target: View, label: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                class="tab"
                aria-selected=move || (view.get() == target).to_string()
                on:click=move |_| view.set(target)
            >
                {label}
            </button>
        }
    };
    view! {
        <nav class="tabs" role="tablist" aria-label="Views">
            {tab(View::Overview, "Overview")}
            {tab(View::Search, "Search")}
        </nav>
    }
}
