//! One Space in the results list.

use leptos::prelude::*;

use crate::data::{format_date, Field};
use crate::format;
use crate::query::RowCard;
use crate::search::SortKey;
use crate::state::AppState;

/// One Space in the results. Every value is text; the only links are Hub
/// URLs built from encoded ids, or an https custom domain.
#[component]
pub fn ResultRow(
    card: RowCard,
    top: f64,
    /// Rows are this tall (taller when the file has descriptions).
    height: f64,
) -> impl IntoView {
    let AppState { filters, sort, .. } = AppState::get();
    let chip = move |field: Field, value: String| {
        let shown = value.clone();
        view! {
            <button type="button" class="mini-chip" title=format!("Filter by {} {}", field.label(), shown) on:click=move |_| filters.update(|f| f.add(field, &value))>
                {shown.clone()}
            </button>
        }
    };
    let RowCard {
        id,
        href,
        emoji,
        title,
        description,
        likes,
        sdk,
        stage,
        hardware,
        license,
        author,
        created,
        modified,
        tags,
        models,
        datasets,
        ..
    } = card;
    // Sorted by last update, the row shows that date; otherwise creation.
    let date = move || {
        let (label, at) = match sort.with(|s| s.key) {
            SortKey::Modified => ("Updated", modified),
            _ => ("Created", created),
        };
        at.map(|ms| format!("{label} {}", format_date(ms)))
    };
    let hook_id = id.clone();
    view! {
        <div class="result-row" data-testid="result-row" data-space-id=hook_id style=format!("top: {top}px; height: {height}px")>
            // No emoji leaves the slot empty, keeping ids aligned.
            <span class="result-emoji" aria-hidden="true">{emoji}</span>
            <div class="result-main">
                <div class="result-head">
                    <a class="result-id" href=href target="_blank" rel="noopener noreferrer">{id}</a>
                    {title.map(|t| view! { <span class="result-title">{t}</span> })}
                </div>
                {description.map(|d| view! { <div class="result-description">{d}</div> })}
                <div class="result-meta">
                    <span class="result-likes">{format!("♥ {}", format::plural(likes, "like", "likes"))}</span>
                    {sdk.map(|s| view! { <span title="SDK">{s}</span> })}
                    {stage.map(|s| view! { <span class="result-stage">{s}</span> })}
                    {hardware.map(|h| view! { <span title="Hardware">{h}</span> })}
                    {license.map(|l| view! { <span class="result-license">{l}</span> })}
                    <span class="result-date">{date}</span>
                    {author.map(|a| chip(Field::Author, a))}
                    // Short tags before long model and dataset ids, so more
                    // chips fit before the line's ellipsis.
                    {tags.into_iter().map(|tag| chip(Field::Tag, tag)).collect_view()}
                    {models.into_iter().map(|m| chip(Field::Model, m)).collect_view()}
                    {datasets.into_iter().map(|d| chip(Field::Dataset, d)).collect_view()}
                </div>
            </div>
        </div>
    }
}
