//! The toolbar's sharing actions: copy link, embed, download CSV.

use leptos::prelude::*;

use crate::state::AppState;

use super::copy_button::CopyButton;
use super::embed_panel::EmbedPanel;
use crate::browser::page;
use crate::export::{file_name, to_csv};
use crate::search::bitmap::Bitmap;

/// Copy the link, get an iframe snippet, download the matches as CSV.
#[component]
pub fn ShareBar() -> impl IntoView {
    let AppState {
        loaded,
        selection,
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
        loaded.with(|l| {
            selection.with(|s| {
                if let (Some(l), Some(rows)) = (l, s) {
                    // The matches in the order the results list shows.
                    let mut chosen = Bitmap::empty(l.table.len());
                    rows.iter().for_each(|&r| chosen.insert(r as usize));
                    let ordered: Vec<u32> = l
                        .orders
                        .order(&l.table, sort.get_untracked())
                        .iter()
                        .copied()
                        .filter(|&r| chosen.contains(r as usize))
                        .collect();
                    let name = filters.with_untracked(|f| file_name(f, &page::today()));
                    page::download_text(
                        &name,
                        "text/csv;charset=utf-8",
                        &to_csv(&l.table, &ordered),
                    );
                }
            })
        })
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
