//! One facet field's values with their counts, as checkboxes.

use leptos::prelude::*;

use crate::state::AppState;

use crate::data::Field;
use crate::format;
use crate::search::facets::FacetTop;
use crate::search::{emoji_names, wording};

/// How many values a facet lists before the type-ahead narrows it.
const SHOWN: usize = 8;

/// One facet: its values with counts for the current selection (its own
/// filter left out), a type-ahead for the long tail, and toggles.
#[component]
pub fn FacetList(field: Field) -> impl IntoView {
    let AppState {
        loaded,
        facets,
        filters,
        ..
    } = AppState::get();
    let needle = RwSignal::new(String::new());
    let top = Memo::new(move |_| {
        let needle = needle.get();
        facets.with(|f| {
            let Some(f) = f else {
                return FacetTop::default();
            };
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
        top.with(|t| {
            t.values
                .iter()
                .find(|v| v.value == value)
                .map(|v| (v.count, v.selected))
        })
    };
    let hint = move || {
        let (listed, available) = top.with(|t| (t.values.len(), t.available));
        needle.with(|n| wording::facet_hint(field, n, listed, available))
    };
    let find_label = wording::find_label(field);
    let placeholder = if field == Field::Emoji {
        "Find… (glyph or name)"
    } else {
        "Find…"
    };
    view! {
        <fieldset class="facet" data-testid=format!("facet-{}", field.param())>
            <legend>{field.label()}</legend>
            <input
                type="search"
                class="facet-find"
                placeholder=placeholder
                aria-label=find_label
                prop:value=move || needle.get()
                on:input=move |ev| needle.set(event_target_value(&ev))
            />
            <ul>
                <For
                    each=move || top.get().values
                    key=|v| v.value.clone()
                    children=move |v| {
                        let value = v.value.clone();
                        let shown = wording::facet_value(field, &v.value);
                        // The raw code or the emoji's name, for a hover.
                        let title = match field {
                            Field::Emoji => emoji_names::names_of(&v.value).map(|n| n.replace('\t', ", ")),
                            Field::Stage => Some(v.value.clone()),
                            _ => None,
                        };
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
                                    title=title
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
            {move || hint().map(|text| view! { <p class="facet-hint" data-testid="facet-hint">{text}</p> })}
        </fieldset>
    }
}
