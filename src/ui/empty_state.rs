use leptos::prelude::*;

use crate::filter::Filters;

/// Said in place of results when the filters match no Space, with the one
/// action that brings results back.
#[component]
pub fn EmptyState(filters: RwSignal<Filters>) -> impl IntoView {
    view! {
        <div class="empty-state" role="status" data-testid="empty-state">
            <p>"No Spaces match these filters."</p>
            <button type="button" class="button" on:click=move |_| filters.set(Filters::default())>
                "Clear filters"
            </button>
        </div>
    }
}
