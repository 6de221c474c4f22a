//! The sorted matches as a virtualised list, with the sort control.

use std::sync::Arc;

use leptos::prelude::*;

use crate::state::AppState;

use super::empty_state::EmptyState;
use super::prose_status::ProseStatus;
use super::result_row::ResultRow;
use crate::format;
use crate::search::{Sort, SortKey};

/// The results list's id: the skip link's target.
pub const RESULTS_ID: &str = "results";

/// Height of one result row in pixels: an id line and a details line, plus
/// a description line when the file has descriptions.
const ROW_HEIGHT: f64 = 64.0;
const ROW_HEIGHT_WITH_DESCRIPTION: f64 = 86.0;
/// Rows rendered above and below the visible window.
const OVERSCAN: usize = 6;

/// The sorted matches, virtualised: only the rows in view exist in the DOM,
/// so a million matches scroll like a hundred.
#[component]
pub fn ResultsList() -> impl IntoView {
    let AppState {
        loaded,
        order,
        sort,
        prose_in,
        ..
    } = AppState::get();
    let scroll_top = RwSignal::new(0.0f64);
    let viewport = RwSignal::new(640.0f64);
    let total = move || order.with(|o| o.as_ref().map_or(0, |o| o.len()));
    let row_height = Memo::new(move |_| {
        // Read, not just tracked: a memo never read is never computed,
        // so it would not follow the prose state.
        let _ = prose_in.get();
        loaded.with(|l| match l {
            Some(l) if l.table.has_descriptions() => ROW_HEIGHT_WITH_DESCRIPTION,
            _ => ROW_HEIGHT,
        })
    });
    let visible = move || {
        let height = row_height.get();
        let first = ((scroll_top.get() / height) as usize).saturating_sub(OVERSCAN);
        let count = (viewport.get() / height) as usize + 2 * OVERSCAN;
        let Some(l) = loaded.get() else {
            return Vec::new();
        };
        order.with(|o| {
            o.as_ref()
                .map(|o| {
                    o.page(first, count)
                        .into_iter()
                        .enumerate()
                        .map(|(i, row)| (first + i, row, Arc::clone(&l)))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let sort_value = move || {
        let s = sort.get();
        let key = match s.key {
            SortKey::Likes => "likes",
            SortKey::Created => "created",
            SortKey::Modified => "modified",
            SortKey::Id => "id",
        };
        format!("{}{key}", if s.descending { "-" } else { "" })
    };
    let on_sort = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let descending = value.starts_with('-');
        let key = match value.trim_start_matches('-') {
            "created" => SortKey::Created,
            "modified" => SortKey::Modified,
            "id" => SortKey::Id,
            _ => SortKey::Likes,
        };
        sort.set(Sort { key, descending });
    };
    let ready = move || order.with(Option::is_some);
    view! {
        <section class="results" aria-label="Matching Spaces">
            <div class="results-head">
                <p class="results-count" data-testid="results-count" aria-live="polite">
                    {move || ready().then(|| format::plural(total() as u64, "Space", "Spaces"))}
                </p>
                <label class="results-sort">
                    "Sort by "
                    <select class="control" on:change=on_sort prop:value=sort_value>
                        <option value="-likes">"Most liked"</option>
                        <option value="likes">"Least liked"</option>
                        <option value="-created">"Newest"</option>
                        <option value="created">"Oldest"</option>
                        <option value="-modified">"Recently updated"</option>
                        <option value="id">"Id (A–Z)"</option>
                        <option value="-id">"Id (Z–A)"</option>
                    </select>
                </label>
            </div>
            <ProseStatus />
            <Show when=move || ready() && total() == 0>
                <EmptyState test_id="results-empty" clear_test_id="results-clear" />
            </Show>
            <div
                class="results-viewport"
                class:is-empty=move || ready() && total() == 0
                id=RESULTS_ID
                tabindex="-1"
                role="region"
                aria-label="Results"
                on:scroll=move |ev| {
                    let target: web_sys::HtmlElement = event_target(&ev);
                    scroll_top.set(f64::from(target.scroll_top()));
                    viewport.set(f64::from(target.client_height()));
                }
            >
                <div class="results-spacer" style=move || format!("height: {}px", total() as f64 * row_height.get())>
                    <For
                        each=visible
                        // Drawn again when the titles arrive, and with
                        // the height they bring.
                        key=move |(i, row, l)| {
                            (*i, *row, l.table.has_prose(), row_height.get_untracked().to_bits())
                        }
                        children=move |(i, row, l)| {
                            let height = row_height.get_untracked();
                            view! { <ResultRow table=l row=row top=i as f64 * height height=height /> }
                        }
                    />
                </div>
            </div>
        </section>
    }
}
