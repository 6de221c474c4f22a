//! One Space in the results list.

use leptos::prelude::*;

use crate::state::AppState;

use crate::data::Field;
use crate::data::{format_date, SpacesTable};
use crate::format;
use crate::search::wording;
use crate::search::SortKey;
use crate::url::links;

/// One Space in the results. Every value is text; the only links are Hub
/// URLs built from encoded ids, or an https custom domain.
#[component]
pub fn ResultRow(
    table: std::sync::Arc<crate::state::load::Loaded>,
    row: u32,
    top: f64,
    /// Rows are this tall (taller when the file has descriptions).
    height: f64,
) -> impl IntoView {
    let AppState { filters, sort, .. } = AppState::get();
    let t: &SpacesTable = &table.table;
    let r = row as usize;
    let id = t.id(r).to_string();
    let href = t
        .custom_domains
        .row_values(r)
        .find_map(links::custom_domain)
        .unwrap_or_else(|| links::space(&id));
    let chip = move |field: Field, value: String| {
        let shown = value.clone();
        view! {
            <button type="button" class="mini-chip" title=format!("Filter by {} {}", field.label(), shown) on:click=move |_| filters.update(|f| f.add(field, &value))>
                {shown.clone()}
            </button>
        }
    };
    let models: Vec<String> = t.models.row_values(r).take(3).map(str::to_string).collect();
    let datasets: Vec<String> = t
        .datasets
        .row_values(r)
        .take(2)
        .map(str::to_string)
        .collect();
    // The SDK and region tags repeat what the row already says.
    let sdk = t.sdk.get(r);
    let tags: Vec<String> = t
        .tags
        .row_values(r)
        .filter(|tag| Some(*tag) != sdk && !tag.starts_with("region:"))
        .take(3)
        .map(str::to_string)
        .collect();
    // A bare "unknown" or "mit" says nothing without its field's name; the
    // SDK and hardware names say what they are, and stay short so the
    // chips after them fit the line.
    let licenses: Vec<&str> = t.license.row_values(r).collect();
    let license = (!licenses.is_empty()).then(|| format!("License: {}", licenses.join(", ")));
    let hardware = t.hardware.get(r).map(str::to_string);
    let stage = t.stage.get(r).map(wording::stage);
    let author = t.author.get(r).map(str::to_string);
    let (created, modified) = (t.created(r), t.modified(r));
    // Sorted by last update, the row shows that date; otherwise creation.
    let date = move || {
        let (label, at) = match sort.with(|s| s.key) {
            SortKey::Modified => ("Updated", modified),
            _ => ("Created", created),
        };
        at.map(|ms| format!("{label} {}", format_date(ms)))
    };
    let likes = t.likes[r].max(0) as u64;
    // The README's title, when it says more than the id's name does.
    let name = id.split_once('/').map_or(id.as_str(), |(_, name)| name);
    let title = Some(t.title(r))
        .filter(|title| !title.is_empty() && *title != name)
        .map(str::to_string);
    let description = Some(t.description(r))
        .filter(|d| !d.is_empty())
        .map(str::to_string);
    let hook_id = id.clone();
    view! {
        <div class="result-row" data-testid="result-row" data-space-id=hook_id style=format!("top: {top}px; height: {height}px")>
            // No emoji leaves the slot empty, keeping ids aligned.
            <span class="result-emoji" aria-hidden="true">{t.emoji.get(r).unwrap_or("").to_string()}</span>
            <div class="result-main">
                <div class="result-head">
                    <a class="result-id" href=href target="_blank" rel="noopener noreferrer">{id}</a>
                    {title.map(|t| view! { <span class="result-title">{t}</span> })}
                </div>
                {description.map(|d| view! { <div class="result-description">{d}</div> })}
                <div class="result-meta">
                    <span class="result-likes">{format!("♥ {}", format::plural(likes, "like", "likes"))}</span>
                    {sdk.map(|s| view! { <span title="SDK">{s.to_string()}</span> })}
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
