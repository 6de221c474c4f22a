use leptos::prelude::*;

use crate::filter::{Field, Filters};
use crate::view_state::View;

/// Overview / Search switch. Opening Search with no stage chosen starts
/// from running Spaces, as the original app did; the stage chip shows it
/// and removes it.
#[component]
pub fn Tabs(view: RwSignal<View>, filters: RwSignal<Filters>) -> impl IntoView {
    let tab = move |target: View, label: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                class="tab"
                aria-selected=move || (view.get() == target).to_string()
                on:click=move |_| {
                    if target == View::Search && view.get_untracked() != View::Search
                        && filters.with_untracked(|f| f.values(Field::Stage).is_empty())
                    {
                        filters.update(|f| f.add(Field::Stage, "RUNNING"));
                    }
                    view.set(target);
                }
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
