use std::sync::Arc;

use leptos::prelude::*;

use super::load_state::Loaded;
use crate::facets::FacetCounts;
use crate::filter::{Field, Filters};
use crate::format;

/// How many values a facet lists before the type-ahead narrows it.
const SHOWN: usize = 8;

/// One facet: its values with counts for the current selection (its own
/// filter left out), a type-ahead for the long tail, and toggles.
#[component]
pub fn FacetList(
    field: Field,
    loaded: RwSignal<Option<Arc<Loaded>>>,
    facets: Memo<Option<Arc<FacetCounts>>>,
    filters: RwSignal<Filters>,
) -> impl IntoView {
    let prefix = RwSignal::new(String::new());
    let values = Memo::new(move |_| {
        let needle = prefix.get();
        facets.with(|f| {
            let Some(f) = f else { return Vec::new() };
            loaded.with(|l| {
                l.as_ref()
                    .map(|l| filters.with(|fs| f.top(&l.table, fs, field, &needle, SHOWN)))
                    .unwrap_or_default()
            })
        })
    });
    // Options are keyed by value: a filter change that keeps the same top
    // values updates counts and pressed states in place instead of
    // rebuilding every button.
    let current = move |value: &str| {
        values.with(|vs| {
            vs.iter()
                .find(|v| v.value == value)
                .map(|v| (v.count, v.selected))
        })
    };
    let input_label = format!("Find a {} value", field.label().to_lowercase());
    view! {
        <fieldset class="facet" data-testid=format!("facet-{}", field.param())>
            <legend>{field.label()}</legend>
            <input
                type="search"
                class="facet-find"
                placeholder="Find…"
                aria-label=input_label
                prop:value=move || prefix.get()
                on:input=move |ev| prefix.set(event_target_value(&ev))
            />
            <ul>
                <For
                    each=move || values.get()
                    key=|v| v.value.clone()
                    children=move |v| {
                        let value = v.value.clone();
                        let shown = if v.value.is_empty() { "(empty)".to_string() } else { v.value.clone() };
                        let for_click = value.clone();
                        let count = Signal::derive(move || current(&v.value).map_or(0, |c| c.0));
                        let pressed = Signal::derive({
                            let value = value.clone();
                            move || current(&value).is_some_and(|c| c.1)
                        });
                        view! {
                            <li>
                                <button
                                    type="button"
                                    class="facet-option"
                                    aria-pressed=move || pressed.get().to_string()
                                    data-value=value
                                    data-count=move || count.get().to_string()
                                    on:click=move |_| filters.update(|f| f.toggle(field, &for_click))
                                >
                                    <span class="facet-value">{shown}</span>
                                    <span class="facet-count">{move || format::count(count.get())}</span>
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
        </fieldset>
    }
}
