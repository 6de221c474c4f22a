//! A line above the results while titles and descriptions are on their
//! way (or could not come): the count may still grow, and the visitor
//! should know why.

use leptos::prelude::*;

use crate::state::load::ProseState;
use crate::state::AppState;

#[component]
pub fn ProseStatus() -> impl IntoView {
    let AppState { prose, filters, .. } = AppState::get();
    let message = move || match prose.get() {
        ProseState::Fetching if filters.with(|f| !f.q.is_empty()) => Some(
            "Loading titles and descriptions: matches in them are added when they arrive."
                .to_string(),
        ),
        ProseState::Fetching => Some("Loading titles and descriptions…".to_string()),
        ProseState::Failed(message) => {
            Some(format!("{message} Select the search box to try again."))
        }
        ProseState::Ready { .. } | ProseState::Deferred => None,
    };
    view! {
        {move || message().map(|m| view! {
            <p class="results-note" data-testid="prose-status" role="status">{m}</p>
        })}
    }
}
