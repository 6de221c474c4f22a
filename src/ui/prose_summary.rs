//! The data panel's sentence about titles and descriptions when the file
//! keeps them apart: fetched later, on their way, in, or failed.

use leptos::prelude::*;

use crate::format;
use crate::state::load::ProseState;
use crate::state::AppState;

#[component]
pub fn ProseSummary() -> impl IntoView {
    let AppState { prose, info, .. } = AppState::get();
    // Nothing to say when nothing is to be fetched (a second engine handed
    // them on: the engine joins them in a few tens of milliseconds).
    let planned = move || {
        info.with(|i| {
            i.as_ref()
                .and_then(|i| i.prose_bytes)
                .filter(|&bytes| bytes > 0)
                .map(format::bytes)
        })
    };
    let sentence = move || {
        let planned = planned()?;
        Some(match prose.get() {
            ProseState::Deferred => format!(
                "Titles and descriptions ({planned} more) are fetched when Search first needs them."
            ),
            ProseState::Fetching => format!("Fetching titles and descriptions ({planned})…"),
            ProseState::Ready { fetched: Some(0) } => {
                "Titles and descriptions came from this browser's cache.".to_string()
            }
            ProseState::Ready {
                fetched: Some(bytes),
            } => format!(
                "Titles and descriptions: {} fetched when Search first needed them.",
                format::bytes(bytes)
            ),
            ProseState::Ready { fetched: None } => return None,
            ProseState::Failed(message) => message,
        })
    };
    view! {
        {move || sentence().map(|s| view! {
            <p class="load-summary" data-testid="prose-summary" data-state=move || match prose.get() {
                ProseState::Deferred => "deferred",
                ProseState::Fetching => "fetching",
                ProseState::Ready { .. } => "ready",
                ProseState::Failed(_) => "error",
            }>{s}</p>
        })}
    }
}
