use std::sync::Arc;

use leptos::prelude::*;

use super::load_state::Loaded;
use crate::browser::page;
use crate::export::to_csv;

/// Copy the link, get an iframe snippet, download the matches as CSV.
#[component]
pub fn ShareBar(
    loaded: RwSignal<Option<Arc<Loaded>>>,
    selection: Memo<Option<Arc<Vec<u32>>>>,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    let snippet = RwSignal::new(None::<String>);
    let copy_link = move |_| copied.set(page::copy_text(&page::current_url()));
    let show_embed = move |_| {
        let url = crate::links::with_embed(&page::current_url(), "search");
        snippet.set(Some(format!(
            "<iframe src=\"{}\" width=\"100%\" height=\"720\" style=\"border:0\" loading=\"lazy\" title=\"Spaces Ship\"></iframe>",
            url.replace('"', "%22")
        )));
    };
    let download = move |_| {
        loaded.with(|l| {
            selection.with(|s| {
                if let (Some(l), Some(rows)) = (l, s) {
                    page::download_text(
                        "spaces.csv",
                        "text/csv;charset=utf-8",
                        &to_csv(&l.table, rows),
                    );
                }
            })
        })
    };
    view! {
        <div class="share-bar">
            <button type="button" class="button secondary" on:click=copy_link>
                {move || if copied.get() { "Link copied" } else { "Copy link" }}
            </button>
            <button type="button" class="button secondary" on:click=show_embed>"Embed"</button>
            <button type="button" class="button secondary" data-testid="export-csv" on:click=download>
                "Download CSV"
            </button>
            {move || snippet.get().map(|code| view! {
                <label class="embed-snippet">
                    "Paste this into your page (add ?embed=chart-sdk or another chart id instead of search to embed one chart):"
                    <textarea readonly rows="3">{code}</textarea>
                </label>
            })}
        </div>
    }
}
