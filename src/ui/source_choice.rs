//! The drop-down of the data sources this site offers, and its Load button.

use leptos::prelude::*;

use crate::browser::page;
use crate::state::AppState;
use crate::url::source::DataSource;
use crate::url::sources::SourceList;
use crate::url::view_state::ViewState;

/// Picks another source and opens the same view on it (`data=<name>`; the
/// default writes none). A button loads the choice rather than the
/// drop-down's change event: with the keyboard, each arrow key in a closed
/// `<select>` fires a change, which would reload the page on the way to
/// the wanted option.
#[component]
pub fn SourceChoice(
    /// What is loaded (`None` while the list decides).
    source: Signal<Option<DataSource>>,
    /// The sources offered (`None` until `sources.json` has settled).
    list: Signal<Option<SourceList>>,
) -> impl IntoView {
    let app = AppState::get();
    move || {
        let list = list.get()?;
        let current = source
            .get()
            .and_then(|s| list.entry_of(&s).map(|e| e.name.clone()))
            .unwrap_or_default();
        // The option the drop-down shows; Load opens it when it differs.
        let chosen = RwSignal::new(current.clone());
        let unchanged = {
            let current = current.clone();
            move || chosen.with(|c| *c == current)
        };
        let options = list
            .entries()
            .iter()
            .map(|entry| {
                view! {
                    <option value=entry.name.clone() data-value=entry.name.clone() selected=entry.name == current>
                        {entry.option_text()}
                    </option>
                }
            })
            .collect_view();
        let load = move |_| {
            let name = chosen.get_untracked();
            let Some(entry) = list.find(&name) else {
                return;
            };
            // The whole view as the address bar holds it: filters, view,
            // sort and embed carry over; only the source changes.
            let (mut view, _) = ViewState::from_query(&app.query.get_untracked());
            view.data = list.param_for(&entry.name);
            page::navigate(&view.to_query());
        };
        Some(view! {
            <div class="source-choice">
                <label for="source-choice">"Data source"</label>
                <select
                    id="source-choice"
                    class="control"
                    data-testid="source-choice"
                    on:change=move |ev| chosen.set(event_target_value(&ev))
                >
                    // A link's own file is no entry: it shows as chosen
                    // until another one is picked.
                    {current.is_empty().then(|| view! {
                        <option value="" disabled=true selected=true>"This link's file"</option>
                    })}
                    {options}
                </select>
                <button type="button" class="button secondary" data-testid="source-load" disabled=unchanged on:click=load>
                    "Load"
                </button>
            </div>
        })
    }
}
