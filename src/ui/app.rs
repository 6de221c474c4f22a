use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::load_state::{LoadInfo, LoadState};
use super::load_status::LoadStatus;
use super::loader::load;
use super::overview::Overview;
use super::source_panel::SourcePanel;
use crate::browser::{fetch::Progress, page};
use crate::data::SpacesTable;
use crate::query::{parse_query, query_value};
use crate::source::DataSource;

#[component]
pub fn App() -> impl IntoView {
    let pairs = parse_query(&page::query_string());
    let (source, source_note) = match DataSource::from_param(query_value(&pairs, "data")) {
        Ok(source) => (source, None),
        Err(note) => (DataSource::Hub, Some(note)),
    };
    let state = RwSignal::new(LoadState::Fetching(Progress::default()));
    let table: RwSignal<Option<Arc<SpacesTable>>> = RwSignal::new(None);
    let info: RwSignal<Option<LoadInfo>> = RwSignal::new(None);
    let attempt = RwSignal::new(0u32);
    let source = StoredValue::new(source);

    Effect::new(move |_| {
        attempt.track();
        spawn_local(load(source.get_value(), state, table, info));
    });

    view! {
        <header class="masthead">
            <div class="brand">
                <span class="logo" aria-hidden="true">"🚀"</span>
                <div>
                    <h1>"Spaces Ship"</h1>
                    <p class="tagline">"Every Hugging Face Space, explored in your browser."</p>
                </div>
            </div>
        </header>
        <main class="page">
            {source_note.map(|note| view! { <p class="notice" role="note">{note}</p> })}
            <SourcePanel source=source.get_value() info=info table=table />
            <LoadStatus state=state on_retry=Callback::new(move |_| attempt.update(|n| *n += 1)) />
            <Show when=move || table.with(Option::is_some)>
                <Overview table=table />
            </Show>
        </main>
    }
}
