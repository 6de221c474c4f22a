//! The sorted matches as a virtualised list, with the sort control.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_use_resize_observer::use_resize_observer;

use crate::state::{asking, AppState};

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
/// Rows rendered above and below the visible window. Each new answer
/// rebuilds every rendered row: at 6 (and 12 below a list at its top), a
/// 10-row screen built 22 rows for each facet click.
const OVERSCAN: usize = 3;
/// Rows asked of the engine beyond those shown, each way: a scroll of a
/// screen or so needs no new answer.
const AHEAD: usize = 40;

/// The sorted matches, virtualised: only the rows in view exist in the DOM,
/// so a million matches scroll like a hundred.
#[component]
pub fn ResultsList() -> impl IntoView {
    let AppState {
        table,
        results,
        sort,
        ..
    } = AppState::get();
    let scroll_top = RwSignal::new(0.0f64);
    // The viewport's height, as laid out (72vh), from its resize observer
    // alone: a tall window shows more rows than the overscan would cover.
    let viewport = RwSignal::new(640.0f64);
    let viewport_node = NodeRef::<leptos::html::Div>::new();
    use_resize_observer(viewport_node, move |entries, _| {
        let height = entries.first().map_or(0.0, |e| e.content_rect().height());
        // Zero while hidden or empty: the last height stays.
        if height > 0.0 {
            viewport.set(height);
        }
    });
    let total = move || results.with(|r| r.as_ref().map_or(0, |r| r.total));
    let row_height =
        Memo::new(
            move |_| match table.with(|t| t.as_ref().is_some_and(|t| t.has_descriptions)) {
                true => ROW_HEIGHT_WITH_DESCRIPTION,
                false => ROW_HEIGHT,
            },
        );
    // The positions in view (and a few around): `(first, count)`.
    let window = Memo::new(move |_| {
        let height = row_height.get();
        let top = (scroll_top.get() / height) as usize;
        let first = top.saturating_sub(OVERSCAN);
        let end = top + (viewport.get() / height).ceil() as usize + OVERSCAN;
        (first, end - first)
    });
    // Rows scrolled to that the last answer does not hold are asked for.
    Effect::new(move |_| {
        let (first, count) = window.get();
        let Some(held) = results.get() else { return };
        let end = (first + count).min(held.total);
        if first >= held.start && end <= held.start + held.rows.len() {
            return;
        }
        let start = first.saturating_sub(AHEAD);
        let by = sort.get_untracked();
        asking::ask_rows(by, start, count + 2 * AHEAD, move |rows| {
            // A newer view's answer may be here already.
            let _ = results.try_update(|r| {
                if r.as_ref().is_some_and(|r| r.total == rows.total) {
                    *r = Some(Arc::new(rows));
                }
            });
        });
    });
    let visible = move || {
        let (first, count) = window.get();
        results.with(|r| {
            let Some(held) = r else { return Vec::new() };
            (first..first + count)
                .filter_map(|i| Some((i, held.rows.get(i.checked_sub(held.start)?)?.clone())))
                .collect::<Vec<_>>()
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
    let ready = move || results.with(Option::is_some);
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
                node_ref=viewport_node
                class:is-empty=move || ready() && total() == 0
                id=RESULTS_ID
                tabindex="-1"
                role="region"
                aria-label="Results"
                on:scroll=move |ev| {
                    let target: web_sys::HtmlElement = event_target(&ev);
                    scroll_top.set(f64::from(target.scroll_top()));
                }
            >
                <div class="results-spacer" style=move || format!("height: {}px", total() as f64 * row_height.get())>
                    <For
                        each=visible
                        // Drawn again when the titles arrive, and with
                        // the height they bring.
                        key=move |(i, card)| {
                            (*i, card.row, card.title.is_some() || card.description.is_some(), row_height.get_untracked().to_bits())
                        }
                        children=move |(i, card)| {
                            let height = row_height.get_untracked();
                            view! { <ResultRow card=card top=i as f64 * height height=height /> }
                        }
                    />
                </div>
            </div>
        </section>
    }
}
