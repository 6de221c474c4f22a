//! One Overview card, built from its entry in the card registry.

use leptos::prelude::*;

use super::chart_card::ChartCard;
use super::table_card::TableCard;
use crate::browser::{page, perf};
use crate::overview::aggregate::{Part, Parts};
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
    // The computation this card's aggregates came from; `None` until they
    // are computed, once it comes near the screen (an empty part is not
    // "no Spaces"). What the card shows follows this, not the whole
    // overview, so another card's part arriving redraws nothing here.
    let stamp = Memo::new(move |_| {
        overview.with(|o| {
            o.as_ref()
                .filter(|o| o.parts.contains(card.part))
                .map(|o| o.stamps.of(card.part))
        })
    });
    let ready = Memo::new(move |_| stamp.with(Option::is_some));
    let on_near = want_when_answered(app.wanted, card.part, move || {
        overview.with(Option::is_some)
    });
    // What the card shows is read from the overview when its part changes.
    let note = Memo::new(move |_| {
        stamp.track();
        let date = snapshot.get();
        let date = date.as_deref().unwrap_or("unknown");
        overview.with_untracked(|o| match o.as_deref() {
            Some(o) if ready.get_untracked() => card.note_text(Some(o), date),
            _ => String::new(),
        })
    });
    let rows = Memo::new(move |_| {
        stamp.track();
        overview.with_untracked(|o| match o.as_deref() {
            Some(o) if ready.get_untracked() => card.rows(o),
            _ => Vec::new(),
        })
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
    let theme = Theme::of_scheme(dark);
    let selected = Memo::new(move |_| {
        card.pick
            .map(|field| filters.with(|f| f.values(field).to_vec()))
            .unwrap_or_default()
    });
    let option = Memo::new(move |_| {
        stamp.track();
        selected.with(|selected| {
            overview.with_untracked(|o| match o.as_deref() {
                Some(o) => card.option(o, selected, theme),
                None => card.option(&Overview::default(), selected, theme),
            })
        })
    });
    let empty = Memo::new(move |_| {
        stamp.track();
        if !ready.get() {
            return None;
        }
        let filtered = !filters.with(Filters::is_empty);
        overview.with_untracked(|o| {
            let o = o.as_deref()?;
            card.is_blank(o).then(|| why_blank(o.rows, filtered))
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

/// What a card calls once it comes near the screen: asks for `part`'s
/// aggregates once the table's first overview is in (`answered()`). The
/// top card's part is asked with the table (`ui::app`), so the first answer
/// computes it alone and the first chart waits for nothing else; the cards
/// that came near meanwhile are asked for just after. The first render
/// waits for them (`perf::parts_pending`).
fn want_when_answered(
    wanted: RwSignal<Parts>,
    part: Part,
    answered: impl Fn() -> bool + 'static,
) -> Callback<()> {
    // Near and not asked for yet: counted as pending until it is (or the
    // card goes).
    let waiting = RwSignal::new(false);
    Effect::new(move |_| {
        if waiting.get() && answered() {
            waiting.set(false);
            want_part(wanted, part);
        }
    });
    on_cleanup(move || {
        if waiting.try_get_untracked() == Some(true) {
            perf::part_done();
        }
    });
    // `use_near` calls it once.
    Callback::new(move |()| {
        perf::part_queued();
        waiting.set(true);
    })
}

/// Asks for `part`'s aggregates (its card is near and counted as pending),
/// computed in a task of their own: the cards that come near the screen
/// together then compute one part per task, top first, instead of all in
/// one long task.
fn want_part(wanted: RwSignal<Parts>, part: Part) {
    if wanted.with_untracked(|w| w.contains(part)) {
        perf::part_done();
        return;
    }
    leptos::task::spawn_local(async move {
        page::yield_to_browser().await;
        // The card (and its page) may be gone by now.
        let _ = wanted.try_update(|w| *w = w.union(Parts::of(part)));
        perf::part_done();
    });
}
