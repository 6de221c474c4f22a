//! The app's state, with one home: the signals a view is made of, the
//! answers the engine gives for them, and loading. [`AppState`] is `Copy`
//! and shared through Leptos context, so a component takes it with
//! [`AppState::get`] instead of a prop threaded through its parents.
//! Not components; the components in `ui` read this. Wasm only.
//!
//! The table lives in the engine's worker (`crate::worker`): the page
//! asks for what it shows (`asking`) and keeps only the answers.

pub mod asking;
pub mod crash;
pub mod load;
pub mod loader;
pub mod sources;

use std::sync::Arc;

use leptos::prelude::*;

use self::load::{LoadInfo, LoadState, ProseState};
use crate::browser::fetch::Progress;
use crate::data::{format_date, Field};
use crate::overview::aggregate::Parts;
use crate::overview::Overview;
use crate::query::{RowsPage, TableFacts};
use crate::search::facets::FacetTop;
use crate::search::{Filters, Sort};
use crate::url::view_state::{View, ViewState};

/// Rows the results list shows before it scrolls, picked with the order:
/// enough for the first screen of a tall window, overscan included.
pub const FIRST_PAGE: usize = 40;

/// Every facet's listed values, as the engine answered them.
pub type FacetLists = Vec<(Field, FacetTop)>;

/// The engine's count of the Spaces that match the filters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatchCount {
    pub spaces: usize,
    /// Counted over all of each Space's text: no query, or the titles and
    /// descriptions were in (or could not come, which Search says). A
    /// query's count before they arrive may still grow.
    pub whole_text: bool,
}

/// Every signal and answer of the app. Signals and memos are handles, so
/// the whole struct is `Copy`.
#[derive(Clone, Copy)]
pub struct AppState {
    /// What a link reproduces.
    pub filters: RwSignal<Filters>,
    pub view: RwSignal<View>,
    pub sort: RwSignal<Sort>,
    /// The query string of the whole view, as the address bar holds it.
    pub query: RwSignal<String>,
    /// Loading: where it stands and the panel's report.
    pub load: RwSignal<LoadState>,
    pub info: RwSignal<Option<LoadInfo>>,
    /// The table the engine holds, as far as the page needs to know it
    /// (`None` until one is in).
    pub table: RwSignal<Option<TableFacts>>,
    /// Titles and descriptions, which may come after the rest.
    pub prose: RwSignal<ProseState>,
    /// Derived: whether they are in (what results depend on; the steps on
    /// the way there change nothing they show).
    pub prose_in: Memo<bool>,
    /// The system's colour scheme.
    pub dark: Signal<bool>,
    /// How many Spaces match the filters (`None` until answered).
    pub matched: RwSignal<Option<MatchCount>>,
    /// Search only: every facet's listed values and the first rows of the
    /// matches in the list's order, or the rows the list scrolled to.
    pub facets: RwSignal<Option<Arc<FacetLists>>>,
    pub results: RwSignal<Option<Arc<RowsPage>>>,
    /// The overview aggregates of the matching Spaces, for the parts in
    /// `wanted` (kept as they were while Search is shown).
    pub overview: RwSignal<Option<Arc<Overview>>>,
    /// The aggregate parts of the cards that have come near the screen:
    /// the others are not computed (an embed computes its card's alone).
    pub wanted: RwSignal<Parts>,
    /// Derived once per table: its snapshot date ("unknown" when the file
    /// records none; `None` until a table is in).
    pub snapshot: Memo<Option<String>>,
    /// The engine's WebAssembly memory, as its last answer said.
    pub engine_memory: RwSignal<u64>,
}

impl AppState {
    /// The state the App provided.
    pub fn get() -> AppState {
        expect_context::<AppState>()
    }

    /// Signals for `initial` and the context every component reads.
    pub fn provide(initial: &ViewState, dark: Signal<bool>) -> AppState {
        let prose = RwSignal::new(ProseState::Ready { fetched: None });
        let table = RwSignal::new(None::<TableFacts>);
        let state = AppState {
            filters: RwSignal::new(initial.filters.clone()),
            view: RwSignal::new(initial.view),
            sort: RwSignal::new(initial.sort),
            query: RwSignal::new(initial.to_query()),
            load: RwSignal::new(LoadState::Fetching(Progress::default())),
            info: RwSignal::new(None),
            table,
            prose,
            prose_in: Memo::new(move |_| matches!(prose.get(), ProseState::Ready { .. })),
            dark,
            matched: RwSignal::new(None),
            facets: RwSignal::new(None),
            results: RwSignal::new(None),
            overview: RwSignal::new(None),
            wanted: RwSignal::new(Parts::NONE),
            snapshot: Memo::new(move |_| {
                table.with(|t| {
                    t.as_ref()
                        .map(|t| t.snapshot.map_or_else(|| "unknown".into(), format_date))
                })
            }),
            engine_memory: RwSignal::new(0),
        };
        provide_context(state);
        asking::ask_for_views(state);
        state
    }

    /// How many Spaces match the filters: `None` until the engine has
    /// counted them for this table over all of their text, never a zero it
    /// did not count nor one that may still grow.
    pub fn matches(self) -> Signal<Option<usize>> {
        let matched = self.matched;
        Signal::derive(move || {
            matched
                .get()
                .filter(|count| count.whole_text)
                .map(|count| count.spaces)
        })
    }

    /// Forgets the answers about the previous table.
    pub fn forget_answers(self) {
        self.table.set(None);
        self.matched.set(None);
        self.facets.set(None);
        self.results.set(None);
        self.overview.set(None);
    }
}
