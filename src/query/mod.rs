//! The engine's answers: what the page asks of a loaded table and what it
//! gets back, computed where the table lives (the engine's Web Worker),
//! so the page holds only what it draws. Plain Rust, tested natively; the
//! worker (`crate::worker`) carries these through `protocol`.
//!
//! A [`QueryEngine`] keeps the last filter pass: asking again with only
//! the sort, the wanted overview parts or a facet's find box changed
//! reuses it, and a page of rows is picked from it.

mod row_card;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::data::{Field, SpacesTable};
use crate::export::to_csv;
use crate::overview::aggregate::{Part, Parts, Stamps, PICKABLE};
use crate::overview::Overview;
use crate::search::facets::{FacetCounts, FacetTop};
use crate::search::results::{top_matches, OrderedMatches, SortCache};
use crate::search::{select, Bitmap, Filters, SearchIndex, Sort};
use crate::url::view_state::View;

pub use row_card::RowCard;

/// Values a facet lists before its find box narrows it.
pub const FACET_SHOWN: usize = 8;

/// Overviews kept for going back to recent filters: each is a few
/// kilobytes of top lists.
const RECENT_OVERVIEWS: usize = 4;

/// A decoded table with its search index and sort orders, which are built
/// when first needed.
pub struct Dataset {
    pub table: SpacesTable,
    pub index: SearchIndex,
    pub orders: SortCache,
}

impl Dataset {
    pub fn new(table: SpacesTable) -> Dataset {
        Dataset {
            table,
            index: SearchIndex::new(),
            orders: SortCache::default(),
        }
    }
}

/// What the page shows of a view: the filters, the view, the sort, the
/// overview parts its cards near the screen draw, and how many result rows
/// its first screen holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViewQuery {
    pub filters: Filters,
    pub view: View,
    pub sort: Sort,
    pub wanted: Parts,
    pub first_rows: usize,
    /// The overview the page shows (its [`SentOverview::id`]; 0 for none):
    /// sent again only when it is not the one to show.
    pub shown_overview: u64,
}

/// The answer to a [`ViewQuery`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViewAnswer {
    pub matches: usize,
    /// Search only: each facet's listed values (its find box empty).
    pub facets: Vec<(Field, FacetTop)>,
    /// Search only: the first rows in the list's order.
    pub results: Option<RowsPage>,
    /// The Overview's aggregates, when they changed (`None`: keep what is
    /// shown; in Search nothing is computed).
    pub overview: Option<SentOverview>,
    /// When the engine began, since the epoch, and how long each step
    /// took, in ms: the filter pass, the results' first page, the overview
    /// (when sent).
    pub started_epoch_ms: f64,
    pub filter_ms: f64,
    pub results_ms: Option<f64>,
    pub overview_ms: Option<f64>,
}

/// Rows `start..` of the ordered matches, of `total`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowsPage {
    pub total: usize,
    pub start: usize,
    pub rows: Vec<RowCard>,
}

/// An [`Overview`] as sent: its bookkeeping (which parts, from which
/// computation, with what context) is left out of its own serialized form,
/// which the pandas comparisons read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentOverview {
    /// Which of the engine's overviews this is.
    pub id: u64,
    pub aggregates: Overview,
    pub parts: Parts,
    pub stamps: Stamps,
    pub contexts: Vec<(Field, u64)>,
}

impl SentOverview {
    pub fn of(id: u64, overview: &Overview) -> SentOverview {
        SentOverview {
            id,
            // Its bookkeeping travels beside it: what JSON would not carry
            // is not kept twice.
            aggregates: Overview {
                contexts: Vec::new(),
                parts: Parts::NONE,
                stamps: Stamps::default(),
                ..overview.clone()
            },
            parts: overview.parts,
            stamps: overview.stamps,
            contexts: overview.contexts.clone(),
        }
    }

    pub fn into_overview(self) -> Overview {
        Overview {
            parts: self.parts,
            stamps: self.stamps,
            contexts: self.contexts,
            ..self.aggregates
        }
    }
}

/// What the page needs to know of the table itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableFacts {
    pub rows: usize,
    /// When the snapshot was taken (UTC ms), when the file says.
    pub snapshot: Option<i64>,
    pub most_likes: i64,
    pub has_prose: bool,
    pub has_descriptions: bool,
}

impl TableFacts {
    pub fn of(table: &SpacesTable) -> TableFacts {
        TableFacts {
            rows: table.len(),
            snapshot: table.snapshot_time(),
            most_likes: table.likes.iter().copied().max().unwrap_or(0),
            has_prose: table.has_prose(),
            has_descriptions: table.has_descriptions(),
        }
    }
}

/// One filter pass, kept for the questions that follow it.
struct Pass {
    filters: Filters,
    search: bool,
    /// Titles and descriptions were in: once they arrive, a text query can
    /// match more.
    with_prose: bool,
    /// How many rows match.
    matches: usize,
    /// The matching rows, ascending. A Search pass makes them from
    /// `matched` only when an overview needs them: at a million rows the
    /// list took as long as the facet counts of an unfiltered pass.
    rows: Option<Arc<Vec<u32>>>,
    facets: Option<FacetCounts>,
    matched: Option<Arc<Bitmap>>,
    ordered: Option<(Sort, OrderedMatches)>,
}

/// Answers the page's questions about one table.
pub struct QueryEngine {
    data: Arc<Dataset>,
    pass: Option<Pass>,
    /// The overview of the current pass, numbered.
    overview: Option<(u64, Arc<Overview>)>,
    /// Numbers each overview computation: the parts' stamps, the ids.
    computations: u64,
    /// Overviews of recent filters without a text query (those always
    /// select the same rows): going back to one computes nothing.
    recent: Vec<(Filters, u64, Arc<Overview>)>,
}

impl QueryEngine {
    pub fn new(data: Arc<Dataset>) -> QueryEngine {
        QueryEngine {
            data,
            pass: None,
            overview: None,
            computations: 0,
            recent: Vec::new(),
        }
    }

    pub fn data(&self) -> &Arc<Dataset> {
        &self.data
    }

    pub fn facts(&self) -> TableFacts {
        TableFacts::of(&self.data.table)
    }

    /// The answer to `query`, from the kept pass when it still holds.
    pub fn answer(&mut self, query: &ViewQuery, clock: &dyn Fn() -> f64) -> ViewAnswer {
        let search = query.view == View::Search;
        let started_epoch_ms = clock();
        self.pass_for(&query.filters, search);
        let filter_ms = clock() - started_epoch_ms;
        let pass = self.pass.as_ref().expect("pass_for leaves a pass");
        let matches = pass.matches;
        let mut answer = ViewAnswer {
            matches,
            facets: Vec::new(),
            results: None,
            overview: None,
            started_epoch_ms,
            filter_ms,
            results_ms: None,
            overview_ms: None,
        };
        if search {
            let started = clock();
            answer.facets = Field::ALL
                .iter()
                .map(|&field| (field, self.facet_top(field, "")))
                .collect();
            answer.results = Some(self.rows(query.sort, 0, query.first_rows));
            answer.results_ms = Some(clock() - started);
        } else {
            let started = clock();
            let (id, overview) = self.overview_for(&query.filters, query.wanted);
            if id != query.shown_overview {
                answer.overview = Some(SentOverview::of(id, &overview));
                answer.overview_ms = Some(clock() - started);
            }
        }
        answer
    }

    /// Makes the kept pass the one for `filters` (with every facet's
    /// counts in Search).
    fn pass_for(&mut self, filters: &Filters, search: bool) {
        let with_prose = self.data.table.has_prose();
        let holds = self.pass.as_ref().is_some_and(|p| {
            p.filters == *filters
                && (p.search || !search)
                && (filters.q.is_empty() || p.with_prose == with_prose)
        });
        if holds {
            return;
        }
        let (table, index) = (&self.data.table, &self.data.index);
        let pass = if search {
            let (facets, matched) = FacetCounts::compute_with_selection(table, index, filters);
            Pass {
                filters: filters.clone(),
                search,
                with_prose,
                matches: matched.count(),
                rows: None,
                facets: Some(facets),
                matched: Some(Arc::new(matched)),
                ordered: None,
            }
        } else {
            let rows = select(table, index, filters);
            Pass {
                filters: filters.clone(),
                search,
                with_prose,
                matches: rows.len(),
                rows: Some(Arc::new(rows)),
                facets: None,
                matched: None,
                ordered: None,
            }
        };
        self.pass = Some(pass);
        // A new selection: its overview is computed afresh.
        self.overview = None;
    }

    /// A facet's listed values for the kept pass, narrowed by `needle`.
    pub fn facet_top(&self, field: Field, needle: &str) -> FacetTop {
        let Some(pass) = &self.pass else {
            return FacetTop::default();
        };
        let Some(facets) = &pass.facets else {
            return FacetTop::default();
        };
        facets.top(&self.data.table, &pass.filters, field, needle, FACET_SHOWN)
    }

    /// The kept pass's matches in `sort` order, picked as far as asked;
    /// before the table is sorted that way, the first `first` come from
    /// one bounded pass and the whole order waits for someone to look past
    /// them.
    fn ordered(&mut self, sort: Sort, first: usize) -> Option<&OrderedMatches> {
        let pass = self.pass.as_mut()?;
        let matched = pass.matched.clone()?;
        if pass.ordered.as_ref().is_none_or(|(s, _)| *s != sort) {
            let ordered = match self.data.orders.cached(sort) {
                Some(order) => OrderedMatches::new(order, matched),
                None => {
                    let leading = top_matches(&self.data.table, &matched, sort, first);
                    let data = Arc::clone(&self.data);
                    OrderedMatches::deferred(leading, matched, move || {
                        data.orders.order(&data.table, sort)
                    })
                }
            };
            pass.ordered = Some((sort, ordered));
        }
        pass.ordered.as_ref().map(|(_, o)| o)
    }

    /// Matches `start..start + count` of the kept pass in `sort` order
    /// (fewer past the end; none before a Search pass).
    pub fn rows(&mut self, sort: Sort, start: usize, count: usize) -> RowsPage {
        let Some(ordered) = self.ordered(sort, start + count) else {
            return RowsPage {
                total: 0,
                start,
                rows: Vec::new(),
            };
        };
        let total = ordered.len();
        let picked = ordered.page(start, count);
        let table = &self.data.table;
        RowsPage {
            total,
            start,
            rows: picked
                .into_iter()
                .map(|row| RowCard::of(table, row))
                .collect(),
        }
    }

    /// The overview of the kept pass with at least the parts in `wanted`:
    /// the parts already computed for it are kept and only the missing
    /// ones computed. A filtered field's charts also show the values
    /// around the selected ones (see `Overview::show_context`).
    fn overview_for(&mut self, filters: &Filters, wanted: Parts) -> (u64, Arc<Overview>) {
        if let Some((id, kept)) = &self.overview {
            if wanted.without(kept.parts).is_empty() {
                return (*id, Arc::clone(kept));
            }
        } else if let Some((_, id, seen)) = self
            .recent
            .iter()
            .find(|(f, _, o)| f == filters && wanted.without(o.parts).is_empty())
        {
            self.overview = Some((*id, Arc::clone(seen)));
            return (*id, Arc::clone(seen));
        }
        let pass = self.pass.as_mut().expect("a pass is kept");
        let rows = Arc::clone(pass.rows.get_or_insert_with(|| {
            let matched = pass
                .matched
                .as_ref()
                .expect("a pass without rows has a selection");
            Arc::new(matched.rows())
        }));
        let missing = self
            .overview
            .as_ref()
            .map_or(wanted, |(_, k)| wanted.without(k.parts));
        let (table, index) = (&self.data.table, &self.data.index);
        let mut computed = Overview::compute_parts(table, &rows, missing);
        for field in PICKABLE {
            let selected = filters.values(field);
            let part = Part::of_field(field);
            if selected.is_empty() || !missing.contains(part) {
                continue;
            }
            let mut others = filters.clone();
            others.facets.retain(|(f, _)| *f != field);
            let context_rows = select(table, index, &others);
            let context = Overview::compute_parts(table, &context_rows, Parts::of(part));
            computed.show_context(field, &context, selected);
        }
        self.computations += 1;
        computed.stamps.mark(missing, self.computations);
        let overview = Arc::new(match self.overview.take() {
            Some((_, kept)) => {
                let mut whole = (*kept).clone();
                whole.absorb(computed);
                whole
            }
            None => computed,
        });
        let id = self.computations;
        self.overview = Some((id, Arc::clone(&overview)));
        if filters.q.is_empty() {
            self.recent.retain(|(f, _, _)| f != filters);
            if self.recent.len() == RECENT_OVERVIEWS {
                self.recent.remove(0);
            }
            self.recent
                .push((filters.clone(), id, Arc::clone(&overview)));
        }
        (id, overview)
    }

    /// The Spaces matching `filters` as CSV, in `sort` order.
    pub fn csv(&self, filters: &Filters, sort: Sort) -> String {
        let (table, index) = (&self.data.table, &self.data.index);
        let rows = select(table, index, filters);
        let mut chosen = Bitmap::empty(table.len());
        rows.iter().for_each(|&r| chosen.insert(r as usize));
        let ordered: Vec<u32> = self
            .data
            .orders
            .order(table, sort)
            .iter()
            .copied()
            .filter(|&r| chosen.contains(r as usize))
            .collect();
        to_csv(table, &ordered)
    }
}

// Native only: the tables come from the synthetic Parquet writer.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
