//! The minimum-likes slider and number box.

use std::time::Duration;

use leptos::prelude::*;

use crate::state::AppState;

use crate::format;
use crate::search::likes_scale::{minimum_at, position_of, steps_up_to};

/// How long typing must pause before the number box applies.
const TYPING_PAUSE: Duration = Duration::from_millis(300);

/// Minimum likes: a slider over 0, 1, 2, 5, 10 … (up to the most liked
/// Space) for quick moves, and a number box for an exact value that applies
/// as you type. Both write the same filter.
#[component]
pub fn LikesControl() -> impl IntoView {
    let AppState { filters, table, .. } = AppState::get();
    let steps = Memo::new(move |_| {
        let most = table.with(|t| t.as_ref().map_or(0, |t| t.most_likes));
        steps_up_to(most)
    });
    let minimum = move || filters.with(|f| f.likes_min);
    let exact = move || minimum().map(|n| n.to_string()).unwrap_or_default();
    let position = move || position_of(steps.get(), minimum()).to_string();
    let spoken = move || match minimum() {
        Some(n) => format!(
            "at least {}",
            format::plural(n.max(0) as u64, "like", "likes")
        ),
        None => "any number of likes".to_string(),
    };
    let set_minimum = move |chosen: Option<i64>| {
        if filters.with_untracked(|f| f.likes_min) != chosen {
            filters.update(|f| f.likes_min = chosen);
        }
    };
    let pending: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
    let apply_text = move |text: String| {
        if let Some(handle) = pending.try_update_value(Option::take).flatten() {
            handle.clear();
        }
        set_minimum(text.trim().parse::<i64>().ok().filter(|n| *n > 0));
    };
    view! {
        <div class="likes-control">
            <label class="facet-inline">
                "Min likes "
                <input
                    type="number"
                    min="0"
                    inputmode="numeric"
                    placeholder="Any, e.g. 100"
                    data-testid="likes-min"
                    prop:value=exact
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        let handle = set_timeout_with_handle(move || apply_text(text), TYPING_PAUSE).ok();
                        if let Some(old) = pending.try_update_value(|p| std::mem::replace(p, handle)).flatten() {
                            old.clear();
                        }
                    }
                    on:change=move |ev| apply_text(event_target_value(&ev))
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" {
                            apply_text(event_target_value(&ev));
                        }
                    }
                />
            </label>
            <input
                type="range"
                class="likes-slider"
                min="0"
                max=move || (steps.get().len() - 1).to_string()
                step="1"
                data-testid="likes-slider"
                aria-label="Minimum likes, on a 1-2-5 scale"
                aria-valuetext=spoken
                prop:value=position
                on:input=move |ev| {
                    let position = event_target_value(&ev).parse::<usize>().unwrap_or(0);
                    set_minimum(minimum_at(steps.get_untracked(), position));
                }
            />
        </div>
    }
}
