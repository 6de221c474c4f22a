//! The toolbar's sharing actions: copy link, embed, download CSV.

use leptos::prelude::*;

use crate::state::AppState;

use super::copy_button::CopyButton;
use super::embed_panel::EmbedPanel;
use crate::browser::page;
use crate::export::file_name;
use crate::state::asking;

/// Copy the link, get an iframe snippet, download the matches as CSV.
#[component]
pub fn ShareBar() -> impl IntoView {
    let AppState {
        view: view_kind,
        query,
        filters,
        sort,
        ..
    } = AppState::get();
    // In a Space, the link people share is the Space's page (the Hub
    // passes the query on to the app); elsewhere, the page's own address.
    let space = page::space_id();
    let link = Signal::derive(move || {
        let query = query.get();
        match &space {
            Some(space) => space.page_url(&query),
            None if query.is_empty() => page::page_base(),
            None => format!("{}?{query}", page::page_base()),
        }
    });
    let download = move |_| {
        // The matches in the order the results list shows, written by the
        // engine.
        let chosen = filters.get_untracked();
        let name = file_name(&chosen, &page::today());
        asking::ask_csv(chosen, sort.get_untracked(), move |csv| {
            page::download_blob(&name, &csv);
        });
    };
    view! {
        <div class="share-bar">
            <CopyButton text=link label="Copy link" test_id="copy-link" />
            <EmbedPanel view_kind=view_kind query=query />
            <button type="button" class="button secondary" data-testid="export-csv" on:click=download>
                "Download CSV"
            </button>
        </div>
    }
}
