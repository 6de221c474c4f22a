//! The Overview grid: every card of the registry, or the one an embed names.

use leptos::prelude::*;

use super::later::Later;
use super::overview_card::OverviewCard;
use crate::overview::aggregate::Part;
use crate::overview::{Card, CARDS};
use crate::state::AppState;

/// The cards built with the Overview; the others come in the task after.
const FIRST_CARDS: usize = 2;

/// The Overview: every card of the registry for the Spaces that match the
/// current filters, or only `only` (an `embed=<card>` link builds that
/// card alone).
#[component]
pub fn Overview(#[prop(optional_no_strip)] only: Option<&'static Card>) -> impl IntoView {
    let app = AppState::get();
    let cards: Vec<&'static Card> = match only {
        Some(card) => vec![card],
        None => CARDS.iter().collect(),
    };
    // Charts take their theme at creation: re-create them only when the
    // system theme flips.
    let overview = app.overview;
    // Which aggregates exist (tests read it: off-screen cards are not
    // computed, and an embed computes its card alone).
    let computed = move || {
        overview.with(|o| {
            o.as_ref()
                .map(|o| o.parts.iter().map(Part::name).collect::<Vec<_>>().join(" "))
                .unwrap_or_default()
        })
    };
    move || {
        let dark = app.dark.get();
        // The cards a first screen shows are built at once, the others
        // in a task after (see `Later`).
        let (first, rest) = cards.split_at(cards.len().min(FIRST_CARDS));
        let first = first.to_vec();
        let rest = rest.to_vec();
        view! {
            <section class="overview" class:single=only.is_some() aria-label="Overview" data-computed=computed>
                {first.into_iter().map(|card| view! { <OverviewCard card=card dark=dark /> }).collect_view()}
                <Later>
                    {rest.iter().map(|&card| view! { <OverviewCard card=card dark=dark /> }).collect_view()}
                </Later>
            </section>
        }
    }
}
