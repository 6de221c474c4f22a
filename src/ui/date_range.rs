use leptos::prelude::*;

use crate::data::{format_date, parse_date, DAY_MS};
use crate::filter::Filters;

/// Created-between dates (inclusive), as the `created` URL parameter.
#[component]
pub fn DateRange(filters: RwSignal<Filters>) -> impl IntoView {
    let from = move || filters.with(|f| f.created_from.map(format_date).unwrap_or_default());
    let to = move || {
        filters.with(|f| {
            f.created_to
                .map(|t| format_date(t - DAY_MS))
                .unwrap_or_default()
        })
    };
    view! {
        <fieldset class="facet date-range" data-testid="created-range">
            <legend>"Created"</legend>
            <label class="facet-inline">
                "From"
                <input
                    type="date"
                    prop:value=from
                    on:change=move |ev| {
                        let day = parse_date(&event_target_value(&ev));
                        filters.update(|f| f.created_from = day);
                    }
                />
            </label>
            <label class="facet-inline">
                "To (inclusive)"
                <input
                    type="date"
                    prop:value=to
                    on:change=move |ev| {
                        let day = parse_date(&event_target_value(&ev));
                        filters.update(|f| f.created_to = day.map(|d| d + DAY_MS));
                    }
                />
            </label>
        </fieldset>
    }
}
