//! The page's questions to the engine that holds the table, and where
//! their answers go: a view's matches, facets, first rows and overview
//! whenever what the page shows changes, and rows, facet lists, the CSV,
//! the prose and the text index on demand. A newer view makes the older
//! one's answers stale; they are dropped (`protocol::InFlight`).

use std::cell::{Cell, RefCell};
use std::sync::Arc;

use leptos::prelude::*;

use super::load::ProseState;
use super::FIRST_PAGE;
use super::{AppState, MatchCount};
use crate::browser::engine::{Connection, Payloads};
use crate::browser::perf;
use crate::data::Field;
use crate::overview::aggregate::Parts;
use crate::protocol::{Reply, Request};
use crate::query::{RowsPage, ViewAnswer, ViewQuery};
use crate::search::facets::FacetTop;
use crate::search::{Filters, Sort};
use crate::url::view_state::View;

thread_local! {
    /// The engine holding the current table.
    static ENGINE: RefCell<Option<Connection>> = const { RefCell::new(None) };
    /// The overview the page shows (the engine's number for it).
    static SHOWN_OVERVIEW: Cell<u64> = const { Cell::new(0) };
    /// The view [`ask_first_view`] asked for, until the effect's next run.
    static ASKED_AHEAD: RefCell<Option<ViewQuery>> = const { RefCell::new(None) };
}

/// The engine now holds the table the page shows.
pub fn connect(connection: Connection) {
    SHOWN_OVERVIEW.with(|s| s.set(0));
    ASKED_AHEAD.with(|ahead| ahead.borrow_mut().take());
    ENGINE.with(|e| *e.borrow_mut() = Some(connection));
}

/// Stops the engine (a new load, or it failed).
pub fn disconnect() {
    // Taken out first: dropping it calls back the questions still waiting.
    let engine = ENGINE.with(|e| e.borrow_mut().take());
    drop(engine);
}

/// Asks `request`; `on_answer` gets the reply, or `None` when it went
/// stale or no engine is there to ask.
fn ask(request: &Request, on_answer: impl FnOnce(Option<(Reply, Payloads)>) + 'static) {
    let mut on_answer = Some(on_answer);
    ENGINE.with(|e| {
        if let Some(engine) = e.borrow().as_ref() {
            let on_answer = on_answer.take().expect("called once");
            engine.ask(request, on_answer);
        }
    });
    if let Some(on_answer) = on_answer {
        on_answer(None);
    }
}

/// Asks for the view whenever what the page shows changes: the filters,
/// the view, the sort (in Search), the parts the Overview's cards want,
/// a new table, and the titles arriving (which a query or the rows use).
pub fn ask_for_views(app: AppState) {
    Effect::new(move |_| {
        let Some(_) = app.table.get() else { return };
        let (query, search) = view_query(app);
        // Asked already, while the page rendered the new table.
        if ASKED_AHEAD.with(|ahead| ahead.borrow_mut().take()).as_ref() == Some(&query) {
            return;
        }
        ask_view(app, query, search);
    });
}

/// Asks for the first view of a table that has just arrived, before the
/// page renders it: the engine answers while the page builds its
/// elements (asked after them, the first chart waited ~20 ms longer at a
/// million rows). The same question from [`ask_for_views`] is then not
/// asked again.
pub fn ask_first_view(app: AppState) {
    let (query, search) = untrack(|| view_query(app));
    ASKED_AHEAD.with(|ahead| *ahead.borrow_mut() = Some(query.clone()));
    ask_view(app, query, search);
}

/// The question for the view the page shows now (tracked in an effect),
/// and whether it is the Search view.
fn view_query(app: AppState) -> (ViewQuery, bool) {
    let view = app.view.get();
    let filters = app.filters.get();
    let search = view == View::Search;
    let sort = if search {
        app.sort.get()
    } else {
        Sort::default()
    };
    let wanted = if search {
        Parts::NONE
    } else {
        app.wanted.get()
    };
    if search || !filters.q.is_empty() {
        app.prose_in.track();
    }
    let query = ViewQuery {
        filters,
        view,
        sort,
        wanted,
        first_rows: FIRST_PAGE,
        shown_overview: SHOWN_OVERVIEW.with(|s| s.get()),
    };
    (query, search)
}

fn ask_view(app: AppState, query: ViewQuery, search: bool) {
    // The engine gets the titles and descriptions before the page hears
    // they are in: asked now, its answer covers them if the page has them.
    let whole_text = query.filters.q.is_empty()
        || !matches!(
            app.prose.get_untracked(),
            ProseState::Deferred | ProseState::Fetching
        );
    // The first render waits for the cards' parts to be answered.
    perf::part_queued();
    ask(&Request::Query(query), move |answer| {
        if let Some((
            Reply::View {
                answer,
                engine_memory,
            },
            _,
        )) = answer
        {
            show(app, *answer, search, whole_text);
            app.engine_memory.set(engine_memory);
        }
        // Done once the charts it changes have queued their draws.
        leptos::task::spawn_local(async {
            crate::browser::page::yield_to_browser().await;
            perf::part_done();
        });
    });
}

/// Puts an answer on the page, with its timing marks.
fn show(app: AppState, answer: ViewAnswer, search: bool, whole_text: bool) {
    let start = answer.started_epoch_ms;
    perf::measure_from("spaces:filter", start, Some(answer.filter_ms));
    let mut at = start + answer.filter_ms;
    if let Some(ms) = answer.results_ms {
        perf::measure_from("spaces:results", at, Some(ms));
        at += ms;
    }
    if let Some(ms) = answer.overview_ms {
        perf::measure_from("spaces:overview", at, Some(ms));
    }
    app.matched.set(Some(MatchCount {
        spaces: answer.matches,
        whole_text,
    }));
    if search {
        app.facets.set(Some(Arc::new(answer.facets)));
        app.results.set(answer.results.map(Arc::new));
    }
    // Charts of a query's matches before the titles and descriptions came
    // would show too few Spaces: the cards wait for the whole text (the
    // engine sends the overview again, as the page has not shown it).
    if let Some(sent) = answer.overview.filter(|_| whole_text) {
        SHOWN_OVERVIEW.with(|s| s.set(sent.id));
        app.overview.set(Some(Arc::new(sent.into_overview())));
    }
}

/// Asks for rows `start..start + count` of the matches in `sort` order;
/// `on_rows` gets them unless a newer question made them stale.
pub fn ask_rows(sort: Sort, start: usize, count: usize, on_rows: impl FnOnce(RowsPage) + 'static) {
    ask(&Request::Rows { sort, start, count }, move |answer| {
        if let Some((Reply::Rows(rows), _)) = answer {
            on_rows(rows);
        }
    });
}

/// Asks for a facet's values narrowed by `needle`.
pub fn ask_facet_top(
    field: Field,
    needle: String,
    on_top: impl FnOnce(String, FacetTop) + 'static,
) {
    ask(&Request::FacetTop { field, needle }, move |answer| {
        if let Some((Reply::FacetTop { needle, top, .. }, _)) = answer {
            on_top(needle, top);
        }
    });
}

/// Asks for the matches of `filters` as CSV, in `sort` order.
pub fn ask_csv(filters: Filters, sort: Sort, on_csv: impl FnOnce(web_sys::Blob) + 'static) {
    ask(&Request::Csv { filters, sort }, move |answer| {
        if let Some((
            Reply::Csv,
            Payloads {
                blob: Some(blob), ..
            },
        )) = answer
        {
            on_csv(blob);
        }
    });
}

/// Sends `request`, which the engine does not answer, if one is there.
fn tell(request: &Request) {
    ENGINE.with(|e| {
        if let Some(engine) = e.borrow().as_ref() {
            engine.tell(request);
        }
    });
}

/// Tells the engine the page has drawn its first view.
pub fn tell_drawn() {
    tell(&Request::Drawn);
}

/// Has the engine build its text index now (the search box took focus).
pub fn prepare_text() {
    tell(&Request::PrepareText);
}

/// Fetches the titles and descriptions a load left out, once Search needs
/// them: the Search view, a text query, or the search box taking focus.
pub fn fetch_prose_when_needed(app: AppState) {
    Effect::new(move |_| {
        // Also re-checked when a load leaves prose for later.
        app.prose.track();
        let searching = app.view.get() == View::Search || app.filters.with(|f| !f.q.is_empty());
        if searching {
            want_prose(app, false);
        }
    });
}

/// Starts fetching the prose if it was left out and is not on its way.
/// `retry` (a visitor's action) also tries again after a failure; the
/// Effect does not, or a failure would retry itself forever.
pub fn want_prose(app: AppState, retry: bool) {
    match app.prose.get_untracked() {
        ProseState::Deferred => {}
        ProseState::Failed(_) if retry => {}
        _ => return,
    }
    app.prose.set(ProseState::Fetching);
    perf::start("spaces:prose");
    ask(&Request::Prose, move |answer| {
        perf::end("spaces:prose");
        let failed = |message: String| {
            crate::browser::page::console_warn(&format!("Spaces Ship: {message}"));
            app.prose.set(ProseState::Failed(message));
        };
        match answer {
            Some((Reply::Prose { fetched, facts }, _)) => {
                app.table.set(Some(facts));
                app.prose.set(ProseState::Ready {
                    fetched: Some(fetched),
                });
            }
            Some((Reply::Failed { message }, _)) => failed(message),
            _ => failed(
                "Titles and descriptions could not be loaded: the app's engine stopped.".into(),
            ),
        }
    });
}
