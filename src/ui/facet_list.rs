//! One facet field's values with their counts, as checkboxes.

use leptos::prelude::*;

use crate::state::{asking, AppState};

use crate::data::Field;
use crate::format;
use crate::search::facets::FacetTop;
use crate::search::{emoji_names, wording};

/// One facet: its values with counts for the current selection (its own
/// filter left out), a type-ahead for the long tail, and toggles.
#[component]
pub fn FacetList(field: Field) -> impl IntoView {
    let AppState {
        facets, filters, ..
    } = AppState::get();
    let needle = RwSignal::new(String::new());
    // The list for the find box's text, from the engine: `(needle, list)`.
    let found = RwSignal::new(None::<(String, FacetTop)>);
    Effect::new(move |_| {
        facets.track();
        let needle = needle.get();
        if needle.trim().is_empty() {
            return;
        }
        asking::ask_facet_top(field, needle, move |needle, top| {
            // The facet may be gone by now.
            let _ = found.try_set(Some((needle, top)));
        });
    });
    let top = Memo::new(move |_| {
        let needle = needle.get();
        let listed = move || {
            facets.with(|f| {
                f.as_ref()
                    .and_then(|f| f.iter().find(|(f, _)| *f == field))
                    .map(|(_, top)| top.clone())
                    .unwrap_or_default()
            })
        };
        if needle.trim().is_empty() {
            return listed();
        }
        // Until the engine answers for this text, the last answer stays.
        found.with(|found| match found {
            Some((_, top)) => top.clone(),
            None => listed(),
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
