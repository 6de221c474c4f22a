//! What the page says when nothing matches, with the way back.

use leptos::prelude::*;

use crate::state::AppState;

use crate::search::Filters;

/// Said in place of results when nothing is there: either the filters
/// match no Space (with the one action that brings results back), or the
/// file itself holds none (and no filter is to blame).
#[component]
pub fn EmptyState(
    /// `data-testid` of the message and of its Clear button.
    test_id: &'static str,
    clear_test_id: &'static str,
) -> impl IntoView {
    let filters = AppState::get().filters;
    let filtered = move || filters.with(|f| !f.is_empty());
    view! {
        <div class="empty-state" role="status" data-testid=test_id>
            <p class="empty-state-title">
                {move || if filtered() { "No Spaces match these filters." } else { "This file holds no Spaces." }}
            </p>
            <Show when=filtered>
                <button type="button" class="button" data-testid=clear_test_id on:click=move |_| filters.set(Filters::default())>
                    "Clear filters"
                </button>
            </Show>
        </div>
    }
}
