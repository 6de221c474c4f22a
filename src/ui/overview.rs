//! The Overview grid: every card of the registry, or the one an embed names.

use leptos::prelude::*;

use super::later::Later;
use super::overview_card::OverviewCard;
use crate::overview::aggregate::Part;
use crate::overview::{Card, CARDS};
use crate::state::AppState;

/// The cards of the Overview's first part; the others come in a task after.
const FIRST_CARDS: usize = 2;

thread_local! {
    /// Whether an Overview was built before in this page.
    static BUILT_BEFORE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

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
        // The first time, built in two tasks after the Overview's (see
        // `Later`): the cards a first screen shows, then the others. Below
        // all else, so nothing moves when they come. Later builds (a theme
        // flip, a tab) run compiled code, and keep the page's height.
        let at_once = BUILT_BEFORE.with(|built| built.replace(true));
        let (first, rest) = cards.split_at(cards.len().min(FIRST_CARDS));
        let parts = [first.to_vec(), rest.to_vec()].map(|part| {
            view! {
                <Later at_once=at_once>
                    {part.iter().map(|&card| view! { <OverviewCard card=card dark=dark /> }).collect_view()}
                </Later>
            }
        });
        view! {
            <section class="overview" class:single=only.is_some() aria-label="Overview" data-computed=computed>
                {parts.into_iter().collect_view()}
            </section>
        }
    }
}
