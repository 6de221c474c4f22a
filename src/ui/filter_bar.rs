//! The active filters as chips, and the text query.

use leptos::prelude::*;

use crate::state::AppState;

use crate::format;
use crate::search::wording;
use crate::search::Filters;

/// A chip's text and what removing it does.
type Chip = (String, Box<dyn Fn(&mut Filters) + Send + Sync>);

/// The active filters as removable chips, the text query, and a reset.
#[component]
pub fn FilterBar(
    /// The search box took focus: a query is likely coming.
    on_search_focus: Callback<()>,
) -> impl IntoView {
    let filters = AppState::get().filters;
    let chips = move || {
        filters.with(|f| {
            let mut out: Vec<Chip> = Vec::new();
            for (field, values) in &f.facets {
                for value in values {
                    let (field, owned) = (*field, value.clone());
                    out.push((
                        format!("{}: {}", field.label(), wording::facet_value(field, value)),
                        Box::new(move |f: &mut Filters| f.remove(field, &owned)),
                    ));
                }
            }
            if let Some(min) = f.likes_min {
                out.push((
                    format!("Likes ≥ {}", format::count(min.max(0) as u64)),
                    Box::new(|f| f.likes_min = None),
                ));
            }
            if let Some(dev) = f.dev_mode {
                let text = if dev { "Dev mode on" } else { "Dev mode off" };
                out.push((text.to_string(), Box::new(|f| f.dev_mode = None)));
            }
            if let Some(text) = wording::created_chip(f.created_from, f.created_to) {
                out.push((
                    text,
                    Box::new(|f| {
                        f.created_from = None;
                        f.created_to = None;
                    }),
                ));
            }
            out
        })
    };
    view! {
        <div class="filter-bar" role="search">
            <label class="search-box">
                <span class="sr-only">"Search Spaces by id, author, model, dataset, tag or emoji"</span>
                <input
                    type="search"
                    // A link keeps this much of the query: the box takes no more.
                    maxlength=crate::url::view_state::MAX_VALUE_CHARS.to_string()
                    placeholder="Search: every word must match"
                    title="Every word must appear, in any case, in the Space's id, author, emoji, models, datasets or tags. Put \"quotes\" around words that belong together."
                    aria-describedby="search-help"
                    prop:value=move || filters.with(|f| f.q.clone())
                    on:focus=move |_| on_search_focus.run(())
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        filters.update(|f| f.q = text);
                    }
                />
                <span id="search-help" class="sr-only">
                    "Every word must appear somewhere in the Space; quotes keep a phrase together."
                </span>
            </label>
            <ul class="chips" aria-label="Active filters">
                {move || {
                    chips()
                        .into_iter()
                        .map(|(text, remove)| {
                            let label = format!("Remove filter {text}");
                            view! {
                                <li>
                                    <button type="button" class="chip" aria-label=label on:click=move |_| filters.update(|f| remove(f))>
                                        {text}
                                        <span aria-hidden="true">" ×"</span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <Show when=move || filters.with(|f| !f.is_empty())>
                <button type="button" class="button secondary" on:click=move |_| filters.set(Filters::default())>
                    "Clear all filters"
                </button>
            </Show>
        </div>
    }
}
