use std::sync::Arc;

use leptos::prelude::*;

use super::load_state::Loaded;
use crate::bitmap::Bitmap;
use crate::browser::page;
use crate::export::{file_name, to_csv};
use crate::filter::Filters;
use crate::view_state::Sort;

/// Copy the link, get an iframe snippet, download the matches as CSV.
#[component]
pub fn ShareBar(
    loaded: RwSignal<Option<Arc<Loaded>>>,
    selection: Memo<Option<Arc<Vec<u32>>>>,
    filters: RwSignal<Filters>,
    sort: RwSignal<Sort>,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    let snippet = RwSignal::new(None::<String>);
    let copy_link = move |_| copied.set(page::copy_text(&page::current_url()));
    let show_embed = move |_| {
        let url = page::current_url();
        let joiner = if url.contains('?') { "&" } else { "?" };
        snippet.set(Some(format!(
            "<iframe src=\"{}{joiner}embed=search\" width=\"100%\" height=\"720\" style=\"border:0\" loading=\"lazy\" title=\"Spaces Ship\"></iframe>",
            url.replace('"', "%22")
        )));
    };
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
