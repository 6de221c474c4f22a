//! The created-between date filter.

use leptos::prelude::*;

use crate::state::AppState;

use crate::data::{format_date, DAY_MS};
use crate::search::date_input::check;

/// Created-between dates (inclusive), as the `created` URL parameter.
///
/// ISO text boxes rather than `type=date`: the browser's date widget shows
/// the visitor's locale (mm/dd/yyyy) and takes four Tab stops, while the
/// app writes `YYYY-MM-DD` everywhere. A typo or a reversed range is named
/// beside the boxes and not applied, instead of silently matching nothing.
#[component]
pub fn DateRange() -> impl IntoView {
    let filters = AppState::get().filters;
    // A memo, so other filters changing leave what is being typed alone.
    let applied = Memo::new(move |_| {
        filters.with(|f| {
            (
                f.created_from.map(format_date).unwrap_or_default(),
                f.created_to
                    .map(|t| format_date(t - DAY_MS))
                    .unwrap_or_default(),
            )
        })
    });
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    // The boxes follow the filter (a chip removed, Back, a link), which
    // also clears a pending message.
    Effect::new(move |_| {
        let (a, b) = applied.get();
        from.set(a);
        to.set(b);
        problem.set(None);
    });
    let apply = move || match check(&from.get_untracked(), &to.get_untracked()) {
        Ok((start, end)) => {
            problem.set(None);
            if filters.with_untracked(|f| (f.created_from, f.created_to)) != (start, end) {
                filters.update(|f| {
                    f.created_from = start;
                    f.created_to = end;
                });
            }
        }
        Err(message) => problem.set(Some(message)),
    };
    let input = move |label: &'static str, text: RwSignal<String>| {
        view! {
            <label class="facet-inline">
                {label}
                <input
                    type="text"
                    inputmode="numeric"
                    pattern=r"\d{4}-\d{2}-\d{2}"
                    placeholder="YYYY-MM-DD"
                    maxlength="10"
                    autocomplete="off"
                    spellcheck="false"
                    aria-invalid=move || problem.with(Option::is_some).to_string()
                    aria-describedby="created-problem"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                    on:change=move |_| apply()
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" {
                            apply();
                        }
                    }
                />
            </label>
        }
    };
    view! {
        <fieldset class="facet date-range" data-testid="created-range">
            <legend>"Created"</legend>
            {input("From", from)}
            {input("To (inclusive)", to)}
            <p class="date-problem" id="created-problem" data-testid="created-problem" role="alert">
                {move || problem.get()}
            </p>
        </fieldset>
    }
}
