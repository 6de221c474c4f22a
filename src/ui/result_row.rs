use leptos::prelude::*;

use crate::data::{format_date, SpacesTable};
use crate::filter::{Field, Filters};
use crate::format;
use crate::links;

/// One Space in the results. Every value is text; the only links are Hub
/// URLs built from encoded ids, or an https custom domain.
#[component]
pub fn ResultRow(
    table: std::sync::Arc<super::load_state::Loaded>,
    row: u32,
    top: f64,
    filters: RwSignal<Filters>,
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
    let license: Vec<String> = t.license.row_values(r).map(str::to_string).collect();
    let author = t.author.get(r).map(str::to_string);
    let created = t.created(r).map(format_date).unwrap_or_default();
    let hook_id = id.clone();
    view! {
        <div class="result-row" data-testid="result-row" data-space-id=hook_id style=format!("top: {top}px")>
            <span class="result-emoji" aria-hidden="true">{t.emoji.get(r).unwrap_or("·").to_string()}</span>
            <div class="result-main">
                <a class="result-id" href=href target="_blank" rel="noopener noreferrer">{id}</a>
                <div class="result-meta">
                    <span title="Likes">{format!("♥ {}", format::count(t.likes[r].max(0) as u64))}</span>
                    <span>{sdk.unwrap_or("").to_string()}</span>
                    <span>{t.hardware.get(r).unwrap_or("").to_string()}</span>
                    <span>{t.stage.get(r).unwrap_or("").to_string()}</span>
                    <span>{license.join(", ")}</span>
                    <span title="Created">{created}</span>
                    {author.map(|a| chip(Field::Author, a))}
                    {models.into_iter().map(|m| chip(Field::Model, m)).collect_view()}
                    {datasets.into_iter().map(|d| chip(Field::Dataset, d)).collect_view()}
                    {tags.into_iter().map(|tag| chip(Field::Tag, tag)).collect_view()}
                </div>
            </div>
        </div>
    }
}
