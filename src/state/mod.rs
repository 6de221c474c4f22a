//! The app's state, with one home: the signals a view is made of, the
//! results derived from them, and loading. [`AppState`] is `Copy` and
//! shared through Leptos context, so a component takes it with
//! [`AppState::get`] instead of a prop threaded through its parents.
//! Not components; the components in `ui` read this. Wasm only.

pub mod crash;
pub mod load;
pub mod loader;
pub mod sources;

use std::sync::Arc;

use leptos::prelude::*;

use self::load::{LoadInfo, LoadState, Loaded, ProseState};
use crate::browser::{fetch::Progress, page, perf};
use crate::data::format_date;
use crate::overview::aggregate::{Part, Parts, PICKABLE};
use crate::overview::Overview;
use crate::search::facets::FacetCounts;
use crate::search::results::{top_matches, OrderSteps, OrderedMatches};
use crate::search::{select, Bitmap, Filters, Sort};
use crate::url::view_state::{View, ViewState};

/// Rows the results list shows before it scrolls, picked with the order:
/// enough for the first screen of a tall window, overscan included.
pub const FIRST_PAGE: usize = 40;

/// One filter pass: the matching rows and, in Search, every facet's counts
/// and the matches as a set (for the order and the pages).
#[derive(Clone)]
pub struct Pass {
    pub rows: Arc<Vec<u32>>,
    pub facets: Option<Arc<FacetCounts>>,
    pub matched: Option<Arc<Bitmap>>,
}

/// Every signal and derived result of the app. Signals and memos are
/// handles, so the whole struct is `Copy`.
#[derive(Clone, Copy)]
pub struct AppState {
    /// What a link reproduces.
    pub filters: RwSignal<Filters>,
    pub view: RwSignal<View>,
    pub sort: RwSignal<Sort>,
    /// The query string of the whole view, as the address bar holds it.
    pub query: RwSignal<String>,
    /// Loading: where it stands, the decoded table, the panel's report.
    pub load: RwSignal<LoadState>,
    pub loaded: RwSignal<Option<Arc<Loaded>>>,
    pub info: RwSignal<Option<LoadInfo>>,
    /// Titles and descriptions, which may come after the rest.
    pub prose: RwSignal<ProseState>,
    /// Derived: whether they are in (what results depend on; the steps on
    /// the way there change nothing they show).
    pub prose_in: Memo<bool>,
    /// The system's colour scheme.
    pub dark: Signal<bool>,
    /// Derived: the rows matching the filters (every view).
    pub selection: Memo<Option<Arc<Vec<u32>>>>,
    /// Derived, Search only: facet counts and the ordered matches.
    pub facets: Memo<Option<Arc<FacetCounts>>>,
    pub order: Memo<Option<Arc<OrderedMatches>>>,
    /// Derived, Overview: the aggregates of the matching Spaces, for the
    /// parts in `wanted` (kept as they were while Search is shown).
    pub overview: Memo<Option<Arc<Overview>>>,
    /// The aggregate parts of the cards that have come near the screen:
    /// the others are not computed (an embed computes its card's alone).
    pub wanted: RwSignal<Parts>,
    /// Derived once per table: its snapshot date ("unknown" when the file
    /// records none; `None` until a table is in). A scan of every row, so
    /// the cards' notes read it rather than recompute it per filter change.
    pub snapshot: Memo<Option<String>>,
}

impl AppState {
    /// The state the App provided.
    pub fn get() -> AppState {
        expect_context::<AppState>()
    }

    /// Signals for `initial`, the results derived from them, and the
    /// context every component reads.
    pub fn provide(initial: &ViewState, dark: Signal<bool>) -> AppState {
        let filters = RwSignal::new(initial.filters.clone());
        let view = RwSignal::new(initial.view);
        let sort = RwSignal::new(initial.sort);
        let loaded = RwSignal::new(None::<Arc<Loaded>>);
        let prose = RwSignal::new(ProseState::Ready { fetched: None });
        let prose_in = Memo::new(move |_| matches!(prose.get(), ProseState::Ready { .. }));
        let pass = filter_pass(filters, view, loaded, prose_in);
        let wanted = RwSignal::new(Parts::NONE);
        let selection = Memo::new_with_compare(
            move |_| pass.with(|p| p.as_ref().map(|p| Arc::clone(&p.rows))),
            new_result,
        );
        let facets = Memo::new_with_compare(
            move |_| pass.with(|p| p.as_ref().and_then(|p| p.facets.clone())),
            new_result,
        );
        let state = AppState {
            filters,
            view,
            sort,
            query: RwSignal::new(initial.to_query()),
            load: RwSignal::new(LoadState::Fetching(Progress::default())),
            loaded,
            info: RwSignal::new(None),
            prose,
            prose_in,
            dark,
            selection,
            facets,
            order: results_order(view, sort, pass, loaded, prose_in),
            overview: overview_of(filters, view, selection, loaded, wanted),
            wanted,
            snapshot: Memo::new(move |_| {
                loaded.with(|l| {
                    l.as_ref().map(|l| {
                        l.table
                            .snapshot_time()
                            .map_or_else(|| "unknown".into(), format_date)
                    })
                })
            }),
        };
        provide_context(state);
        state
    }

    /// Builds a sort the results asked for but did not have, a moment
    /// after the view is up: later updates then pick pages from the order
    /// instead of a pass over every match (a few hundred ms on a million
    /// rows, which is why the first page does not wait for it).
    pub fn sort_when_idle(self) {
        Effect::new(move |_| {
            if self.order.with(Option::is_none) {
                return;
            }
            let by = self.sort.get();
            let Some(l) = self.loaded.get_untracked() else {
                return;
            };
            if l.orders.cached(by).is_none() {
                set_timeout(
                    move || {
                        // A part per task: a million rows sorted at once
                        // held the page for about 400 ms.
                        leptos::task::spawn_local(async move {
                            let mut steps = OrderSteps::default();
                            while l.orders.order_step(&l.table, by, &mut steps) {
                                page::yield_to_browser().await;
                            }
                        });
                    },
                    std::time::Duration::from_millis(1500),
                );
            }
        });
    }

    /// How many Spaces match the filters (0 before the data is in).
    pub fn matches(self) -> Signal<usize> {
        Signal::derive(move || self.selection.with(|s| s.as_ref().map_or(0, |s| s.len())))
    }
}

/// One pass gives the matches and, in Search, every facet's counts.
fn filter_pass(
    filters: RwSignal<Filters>,
    view: RwSignal<View>,
    loaded: RwSignal<Option<Arc<Loaded>>>,
    prose_in: Memo<bool>,
) -> Memo<Option<Pass>> {
    Memo::new_with_compare(
        move |_| {
            let current = filters.get();
            if !current.q.is_empty() {
                // Titles and descriptions that arrive can add matches.
                // Read, not just tracked: a memo never read is never computed,
                // so it would not follow the prose state.
                let _ = prose_in.get();
            }
            let search = view.get() == View::Search;
            loaded.with(|l| {
                l.as_ref().map(|l| {
                    perf::start("spaces:filter");
                    let pass = if search {
                        let (facets, matched) =
                            FacetCounts::compute_with_selection(&l.table, &l.index, &current);
                        Pass {
                            rows: Arc::new(matched.rows()),
                            facets: Some(Arc::new(facets)),
                            matched: Some(Arc::new(matched)),
                        }
                    } else {
                        Pass {
                            rows: Arc::new(select(&l.table, &l.index, &current)),
                            facets: None,
                            matched: None,
                        }
                    };
                    perf::end("spaces:filter");
                    pass
                })
            })
        },
        // Every pass is a new result: comparing contents would cost as much.
        |_, _| true,
    )
}

/// The matches in the list's order with the first page picked (Search
/// only). A sort not built yet answers the first page from one bounded
/// pass; the loader's idle work or the list's scrolling builds the rest.
fn results_order(
    view: RwSignal<View>,
    sort: RwSignal<Sort>,
    pass: Memo<Option<Pass>>,
    loaded: RwSignal<Option<Arc<Loaded>>>,
    prose_in: Memo<bool>,
) -> Memo<Option<Arc<OrderedMatches>>> {
    Memo::new_with_compare(
        move |_| {
            if view.get() != View::Search {
                return None;
            }
            // The rows show titles: draw them again when those arrive.
            // Read, not just tracked: a memo never read is never computed,
            // so it would not follow the prose state.
            let _ = prose_in.get();
            let by = sort.get();
            pass.with(|p| {
                let matched = p.as_ref()?.matched.clone()?;
                loaded.with(|l| {
                    l.as_ref().map(|l| {
                        perf::start("spaces:results");
                        let ordered = match l.orders.cached(by) {
                            Some(order) => OrderedMatches::new(order, matched),
                            None => {
                                let first = top_matches(&l.table, &matched, by, FIRST_PAGE);
                                let l = Arc::clone(l);
                                OrderedMatches::deferred(first, matched, move || {
                                    l.orders.order(&l.table, by)
                                })
                            }
                        };
                        // The list shows the first page at once: pick it here.
                        ordered.page(0, FIRST_PAGE);
                        perf::end("spaces:results");
                        Arc::new(ordered)
                    })
                })
            })
        },
        new_result,
    )
}

/// The overview aggregates of the parts the cards near the screen draw
/// (`wanted`). A filtered field's charts also show the values around the
/// selected ones (see `Overview::show_context`). When only `wanted` grows,
/// the parts already computed for this selection are kept and only the new
/// ones computed. In the Search view nothing is computed.
fn overview_of(
    filters: RwSignal<Filters>,
    view: RwSignal<View>,
    selection: Memo<Option<Arc<Vec<u32>>>>,
    loaded: RwSignal<Option<Arc<Loaded>>>,
    wanted: RwSignal<Parts>,
) -> Memo<Option<Arc<Overview>>> {
    // The selection the last value was computed for.
    let computed_for = StoredValue::new(None::<Arc<Vec<u32>>>);
    // Numbers each computation, for the parts' stamps.
    let computations = StoredValue::new(0u64);
    let recent = StoredValue::new(RecentOverviews::default());
    Memo::new_with_compare(
        move |previous: Option<&Option<Arc<Overview>>>| {
            if view.get() == View::Search {
                // No card is on screen: nothing is computed (opening Search
                // recomputed every card's aggregates) until the Overview is
                // back, which then computes for the filters of that moment.
                return previous.cloned().flatten();
            }
            let current = filters.get();
            let wanted = wanted.get();
            let rows = selection.get()?;
            let loaded = loaded.get()?;
            let same_rows = computed_for
                .with_value(|seen| seen.as_ref().is_some_and(|seen| Arc::ptr_eq(seen, &rows)));
            let kept = previous
                .and_then(|p| p.as_ref())
                .filter(|_| same_rows)
                .map(Arc::clone);
            if let Some(kept) = &kept {
                if wanted.without(kept.parts).is_empty() {
                    return Some(Arc::clone(kept));
                }
            }
            if kept.is_none() {
                if let Some(seen) = recent.with_value(|r| r.find(&loaded, &current, wanted)) {
                    computed_for.set_value(Some(rows));
                    return Some(seen);
                }
            }
            let missing = kept.as_ref().map_or(wanted, |k| wanted.without(k.parts));
            perf::start("spaces:overview");
            let table = &loaded.table;
            let mut computed = Overview::compute_parts(table, &rows, missing);
            for field in PICKABLE {
                let selected = current.values(field);
                let part = Part::of_field(field);
                if selected.is_empty() || !missing.contains(part) {
                    continue;
                }
                let mut others = current.clone();
                others.facets.retain(|(f, _)| *f != field);
                let context_rows = select(table, &loaded.index, &others);
                let context = Overview::compute_parts(table, &context_rows, Parts::of(part));
                computed.show_context(field, &context, selected);
            }
            computations.update_value(|n| *n += 1);
            computed.stamps.mark(missing, computations.get_value());
            let overview = match kept {
                Some(kept) => {
                    let mut whole = (*kept).clone();
                    whole.absorb(computed);
                    whole
                }
                None => computed,
            };
            perf::end("spaces:overview");
            computed_for.set_value(Some(rows));
            let overview = Arc::new(overview);
            recent.update_value(|r| r.keep(&loaded, &current, &overview));
            Some(overview)
        },
        new_result,
    )
}

/// The overviews of the last few filters without a text query, for one
/// table: going back to one (clearing a query, undoing a facet) computes
/// nothing. Such filters always select the same rows of the same table;
/// with a text query, titles arriving later can add matches, so those are
/// not kept.
#[derive(Default)]
struct RecentOverviews {
    /// The table they were computed from (weak: a new load frees the old
    /// table, and the allocation it leaves can never be mistaken for a new
    /// one).
    table: std::sync::Weak<Loaded>,
    seen: Vec<(Filters, Arc<Overview>)>,
}

/// Overviews kept: each is a few kilobytes of top lists.
const RECENT_OVERVIEWS: usize = 4;

impl RecentOverviews {
    /// The overview of `filters` on `table`, if kept with every part in
    /// `wanted`.
    fn find(&self, table: &Arc<Loaded>, filters: &Filters, wanted: Parts) -> Option<Arc<Overview>> {
        if !self.is_for(table) {
            return None;
        }
        self.seen
            .iter()
            .find(|(f, o)| f == filters && wanted.without(o.parts).is_empty())
            .map(|(_, o)| Arc::clone(o))
    }

    /// Whether the overviews kept are of `table`.
    fn is_for(&self, table: &Arc<Loaded>) -> bool {
        std::ptr::eq(self.table.as_ptr(), Arc::as_ptr(table))
    }

    fn keep(&mut self, table: &Arc<Loaded>, filters: &Filters, overview: &Arc<Overview>) {
        if !self.is_for(table) {
            *self = RecentOverviews {
                table: Arc::downgrade(table),
                seen: Vec::new(),
            };
        }
        if !filters.q.is_empty() {
            return;
        }
        self.seen.retain(|(f, _)| f != filters);
        if self.seen.len() == RECENT_OVERVIEWS {
            self.seen.remove(0);
        }
        self.seen.push((filters.clone(), Arc::clone(overview)));
    }
}

/// Memo comparator for shared results: a recomputed result is a new value.
/// Comparing a million-row selection by contents would cost as much as
/// computing it.
fn new_result<T>(old: Option<&Option<Arc<T>>>, new: Option<&Option<Arc<T>>>) -> bool {
    !matches!((old, new), (Some(Some(a)), Some(Some(b))) if Arc::ptr_eq(a, b))
}
