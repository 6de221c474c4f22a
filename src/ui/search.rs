//! The Search view: facets beside the results.

use leptos::prelude::*;

use crate::state::AppState;

use super::date_range::DateRange;
use super::facet_list::FacetList;
use super::likes_control::LikesControl;
use super::results_list::ResultsList;
use super::skip_link::focus_results;
use crate::browser::page;
use crate::data::Field;
use crate::format;

/// The Search view: facets beside the virtualised, sortable results.
#[component]
pub fn Search() -> impl IntoView {
    let AppState {
        filters, results, ..
    } = AppState::get();
    let dev_value = move || match filters.with(|f| f.dev_mode) {
        Some(true) => "1",
        Some(false) => "0",
        None => "",
    };
    let panel: NodeRef<leptos::html::Details> = NodeRef::new();
    // No count before the first answer: "Show 0 results" would be untrue.
    let show_label = move || {
        results.with(|r| match r {
            Some(r) => format!(
                "Show {}",
                format::plural(r.total as u64, "result", "results")
            ),
            None => "Show results".to_string(),
        })
    };
    // On a phone the open filters run thousands of pixels: this button
    // folds them and goes to the results.
    let show_results = move |_| {
        if let Some(details) = panel.get() {
            let _ = details.remove_attribute("open");
        }
        focus_results();
    };
    view! {
        <div class="search-layout">
            // On a phone the filters start folded so the results show first.
            <details class="facets-panel" open=page::is_wide() node_ref=panel>
            <summary>"Filters"</summary>
            <aside class="facets" aria-label="Filters">
                <LikesControl />
                <label class="facet-inline">
                    "Dev mode "
                    <select
                        data-testid="dev-mode"
                        prop:value=dev_value
                        on:change=move |ev| {
                            let value = event_target_value(&ev);
                            filters.update(|f| f.dev_mode = match value.as_str() {
                                "1" => Some(true),
                                "0" => Some(false),
                                _ => None,
                            });
                        }
                    >
                        <option value="">"Any"</option>
                        <option value="1">"On"</option>
                        <option value="0">"Off"</option>
                    </select>
                </label>
                <DateRange />
                {Field::ALL
                    .into_iter()
                    .map(|field| view! { <FacetList field=field /> })
                    .collect_view()}
                <div class="show-results">
                    <button type="button" data-testid="show-results" on:click=show_results>
                        {show_label}
                    </button>
                </div>
            </aside>
            </details>
            <ResultsList />
        </div>
    }
}
