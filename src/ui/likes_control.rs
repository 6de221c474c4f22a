use leptos::prelude::*;

use crate::filter::Filters;
use crate::likes_scale::{minimum_at, position_of, STEPS};

/// Minimum likes: a slider over 0, 1, 2, 5, 10 … 20k for quick moves, and a
/// number box for an exact value. Both write the same filter.
#[component]
pub fn LikesControl(filters: RwSignal<Filters>) -> impl IntoView {
    let minimum = move || filters.with(|f| f.likes_min);
    let exact = move || minimum().map(|n| n.to_string()).unwrap_or_default();
    let position = move || position_of(minimum()).to_string();
    let spoken = move || match minimum() {
        Some(n) => format!("at least {n} likes"),
        None => "any number of likes".to_string(),
    };
    view! {
        <div class="likes-control">
            <label class="facet-inline">
                "Min likes "
                <input
                    type="number"
                    min="0"
                    inputmode="numeric"
                    data-testid="likes-min"
                    prop:value=exact
                    on:change=move |ev| {
                        let text = event_target_value(&ev);
                        filters.update(|f| f.likes_min = text.trim().parse::<i64>().ok().filter(|n| *n > 0));
                    }
                />
            </label>
            <input
                type="range"
                class="likes-slider"
                min="0"
                max=(STEPS.len() - 1).to_string()
                step="1"
                data-testid="likes-slider"
                aria-label="Minimum likes, on a 1-2-5 scale"
                aria-valuetext=spoken
                prop:value=position
                on:input=move |ev| {
                    let position = event_target_value(&ev).parse::<usize>().unwrap_or(0);
                    let chosen = minimum_at(position);
                    if filters.with(|f| f.likes_min) != chosen {
                        filters.update(|f| f.likes_min = chosen);
                    }
                }
            />
        </div>
    }
}
