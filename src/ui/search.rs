use std::sync::Arc;

use leptos::prelude::*;

use crate::results::OrderedMatches;

use super::date_range::DateRange;
use super::facet_list::FacetList;
use super::likes_control::LikesControl;
use super::load_state::Loaded;
use super::results_list::ResultsList;
use crate::browser::page;
use crate::facets::FacetCounts;
use crate::filter::{Field, Filters};
use crate::view_state::Sort;

/// The Search view: facets beside the virtualised, sortable results.
#[component]
pub fn Search(
    loaded: RwSignal<Option<Arc<Loaded>>>,
    filters: RwSignal<Filters>,
    facets: Memo<Option<Arc<FacetCounts>>>,
    order: Memo<Option<Arc<OrderedMatches>>>,
    sort: RwSignal<Sort>,
) -> impl IntoView {
    let dev_value = move || match filters.with(|f| f.dev_mode) {
        Some(true) => "1",
        Some(false) => "0",
        None => "",
    };
    view! {
        <div class="search-layout">
            // On a phone the filters start folded so the results show first.
            <details class="facets-panel" open=page::is_wide()>
            <summary>"Filters"</summary>
            <aside class="facets" aria-label="Filters">
                <LikesControl filters=filters />
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
                <DateRange filters=filters />
                {Field::ALL
                    .into_iter()
                    .map(|field| view! { <FacetList field=field loaded=loaded facets=facets filters=filters /> })
                    .collect_view()}
            </aside>
            </details>
            <ResultsList loaded=loaded order=order sort=sort filters=filters />
        </div>
    }
}
