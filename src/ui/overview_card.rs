//! One Overview card, built from its entry in the card registry.

use leptos::prelude::*;

use super::chart_card::ChartCard;
use super::table_card::TableCard;
use crate::overview::aggregate::Parts;
use crate::overview::cards::why_blank;
use crate::overview::charts::Theme;
use crate::overview::{Card, Overview};
use crate::search::Filters;
use crate::state::AppState;

/// One card of the registry, drawn from the current aggregates: a chart
/// with its data table, or a table alone.
#[component]
pub fn OverviewCard(card: &'static Card, dark: bool) -> impl IntoView {
    let app = AppState::get();
    let (overview, filters) = (app.overview, app.filters);
    let snapshot = app.snapshot;
    // Its aggregates are computed once it comes near the screen; until
    // then nothing about it is shown (an empty part is not "no Spaces").
    let ready = Memo::new(move |_| {
        overview.with(|o| o.as_ref().is_some_and(|o| o.parts.contains(card.part)))
    });
    let wanted = app.wanted;
    let on_near = Callback::new(move |()| {
        if !wanted.with_untracked(|w| w.contains(card.part)) {
            wanted.update(|w| *w = w.union(Parts::of(card.part)));
        }
    });
    let note = Signal::derive(move || {
        if !ready.get() {
            return String::new();
        }
        overview.with(|o| {
            snapshot.with(|date| card.note_text(o.as_deref(), date.as_deref().unwrap_or("unknown")))
        })
    });
    let rows = Signal::derive(move || {
        if !ready.get() {
            return Vec::new();
        }
        overview.with(|o| o.as_deref().map(|o| card.rows(o)).unwrap_or_default())
    });
    // A click on the n-th bar, slice, point or row filters by the n-th
    // label; a click on a selected one removes it again.
    let on_pick = card.pick.map(|field| {
        Callback::new(move |index: usize| {
            let value = overview.with_untracked(|o| {
                o.as_deref()
                    .and_then(|o| card.labels(o).into_iter().nth(index))
            });
            if let Some(value) = value {
                filters.update(|f| f.toggle(field, &value));
            }
        })
    });
    if !card.is_chart() {
        return view! {
            <TableCard id=card.id title=card.title note=note rows=rows headers=card.headers on_pick=on_pick ready=ready on_near=on_near />
        }
        .into_any();
    }
    let theme = if dark { Theme::Dark } else { Theme::Light };
    let option = Signal::derive(move || {
        let selected = card
            .pick
            .map(|field| filters.with(|f| f.values(field).to_vec()))
            .unwrap_or_default();
        overview.with(|o| match o.as_deref() {
            Some(o) => card.option(o, &selected, theme),
            None => card.option(&Overview::default(), &selected, theme),
        })
    });
    let empty = Signal::derive(move || {
        if !ready.get() {
            return None;
        }
        overview.with(|o| {
            let o = o.as_deref()?;
            card.is_blank(o)
                .then(|| why_blank(o.rows, !filters.with(Filters::is_empty)))
        })
    });
    view! {
        <ChartCard
            id=card.id
            title=card.title
            note=note
            option=option
            empty=empty
            rows=rows
            headers=card.headers
            dark=dark
            on_pick=on_pick
            wide=card.wide
            ready=ready
            on_near=on_near
        />
    }
    .into_any()
}
