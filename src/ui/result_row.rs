use leptos::prelude::*;

use crate::data::{format_date, SpacesTable};
use crate::filter::{Field, Filters};
use crate::links;
use crate::view_state::{Sort, SortKey};
use crate::{format, wording};

/// One Space in the results. Every value is text; the only links are Hub
/// URLs built from encoded ids, or an https custom domain.
#[component]
pub fn ResultRow(
    table: std::sync::Arc<super::load_state::Loaded>,
    row: u32,
    top: f64,
    filters: RwSignal<Filters>,
    sort: RwSignal<Sort>,
) -> impl IntoView {
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
    // A bare "unknown" or "mit" says nothing without its field's name.
    let labelled = |label: &str, value: Option<String>| {
        value
            .filter(|v| !v.is_empty())
            .map(|v| format!("{label}: {v}"))
    };
    let licenses: Vec<&str> = t.license.row_values(r).collect();
    let license = labelled("License", Some(licenses.join(", ")));
    let hardware = labelled("Hardware", t.hardware.get(r).map(str::to_string));
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
    let hook_id = id.clone();
    view! {
        <div class="result-row" data-testid="result-row" data-space-id=hook_id style=format!("top: {top}px")>
            // No emoji leaves the slot empty, keeping ids aligned.
            <span class="result-emoji" aria-hidden="true">{t.emoji.get(r).unwrap_or("").to_string()}</span>
            <div class="result-main">
                <a class="result-id" href=href target="_blank" rel="noopener noreferrer">{id}</a>
                <div class="result-meta">
                    <span class="result-likes">{format!("♥ {}", format::plural(likes, "like", "likes"))}</span>
                    {sdk.map(|s| view! { <span>{format!("SDK: {s}")}</span> })}
                    {stage.map(|s| view! { <span class="result-stage">{s}</span> })}
                    {hardware.map(|h| view! { <span>{h}</span> })}
                    {license.map(|l| view! { <span class="result-license">{l}</span> })}
                    <span class="result-date">{date}</span>
                    {author.map(|a| chip(Field::Author, a))}
                    {models.into_iter().map(|m| chip(Field::Model, m)).collect_view()}
                    {datasets.into_iter().map(|d| chip(Field::Dataset, d)).collect_view()}
                    {tags.into_iter().map(|tag| chip(Field::Tag, tag)).collect_view()}
                </div>
            </div>
        </div>
    }
}
