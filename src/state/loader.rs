//! Loading: the engine's worker fetches and decodes the file (or finds
//! this browser's saved table) off the page's thread and keeps the table;
//! the page then asks it for what the views show (`asking`). Each load has
//! a generation and a worker of its own: a retry starts a new one, and an
//! older load that is still running writes nothing.

use std::cell::{Cell, RefCell};

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::load::{LoadInfo, LoadState, ProseState};
use super::{asking, crash, AppState};
use crate::browser::engine::{Engine, Failure};
use crate::browser::{fetch, page, perf, visibility};
use crate::protocol::{Mark, Reply, Request};
use crate::url::source::DataSource;
use crate::url::sources::DataParam;
use crate::url::view_state::ViewState;

/// How long the first render may wait for the engine's answers and the
/// charts' draws before it is measured as it stands.
const FIRST_RENDER_DEADLINE_MS: f64 = 60_000.0;

thread_local! {
    /// The generation of the newest load.
    static GENERATION: Cell<u64> = const { Cell::new(0) };
    /// The load [`send_early`] asked for: its address, its engine and the
    /// request's number, until the first load takes it over.
    static EARLY: RefCell<Option<(String, Engine, u64)>> = const { RefCell::new(None) };
}

/// Asks the engine for the file the page's address names, before the app
/// mounts (after the mount, the request reached the engine 0-56 ms later,
/// medians of four runs at 1M). Only a source known from the address
/// alone and needing no consent; the first load then takes this request
/// over ([`take_early`]). Anything else waits for the app.
pub fn send_early(query: &str, page_url: &str) {
    let (initial, _) = ViewState::from_query(query);
    let (DataParam::Source(source), _) = DataParam::read(initial.data.as_deref(), page_url) else {
        return;
    };
    if source.host_needing_consent().is_some() {
        return;
    }
    // A worker the browser refuses is the first load's to report.
    let Ok(mut engine) = Engine::start() else {
        return;
    };
    let url = page::resolve_url(source.url());
    let sent = engine.send(&Request::Load { url: url.clone() });
    EARLY.with(|early| *early.borrow_mut() = Some((url, engine, sent)));
}

/// The early load's engine and request when it asked for `url`; any other
/// early load is stopped (dropping its engine ends its worker).
fn take_early(url: &str) -> Option<(Engine, u64)> {
    let (asked, engine, sent) = EARLY.with(|early| early.borrow_mut().take())?;
    (asked == url).then_some((engine, sent))
}

/// Starts loading `source`; a load already running becomes stale.
pub fn start(app: AppState, source: DataSource) {
    let generation = GENERATION.with(|g| {
        g.set(g.get() + 1);
        g.get()
    });
    spawn_local(load(source, Generation(generation), app));
}

/// The generation a load belongs to.
#[derive(Clone, Copy)]
struct Generation(u64);

impl Generation {
    /// A newer load has started: this one must not write anything.
    fn is_stale(self) -> bool {
        GENERATION.with(Cell::get) != self.0
    }
}

async fn load(source: DataSource, generation: Generation, app: AppState) {
    let state = app.load;
    asking::disconnect();
    app.forget_answers();
    app.info.set(None);
    app.prose.set(ProseState::Ready { fetched: None });
    state.set(LoadState::Fetching(fetch::Progress::default()));
    let url = page::resolve_url(source.url());
    let (mut engine, sent) = match take_early(&url) {
        Some(early) => early,
        None => match Engine::start() {
            Ok(mut engine) => {
                let sent = engine.send(&Request::Load { url });
                (engine, sent)
            }
            Err(why) => return fail(state, no_engine(&why)),
        },
    };
    let progress = |reply: &Reply| {
        if generation.is_stale() {
            return;
        }
        match reply {
            Reply::Fetching(progress) => state.set(LoadState::Fetching(*progress)),
            Reply::Decoding { done, total } => state.set(LoadState::Decoding {
                done: *done,
                total: *total,
            }),
            Reply::Mark(mark) => measure(mark),
            _ => {}
        }
    };
    let asked = engine.answer(sent, &progress).await;
    if generation.is_stale() {
        return;
    }
    let decoding = matches!(state.get_untracked(), LoadState::Decoding { .. });
    let report = match asked {
        Ok((Reply::Loaded(report), _)) => *report,
        Ok(_) => {
            return fail(
                state,
                "The app's engine answered something else than a table.".into(),
            )
        }
        Err(failure) => return fail(state, engine_failure(failure, 0, decoding)),
    };
    let decode_ms =
        perf::measure_from("spaces:decode", report.decode_start_epoch_ms, None).unwrap_or_default();
    let engine_memory = report.engine_memory;
    let on_failure = move |failure| {
        if generation.is_stale() {
            return;
        }
        asking::disconnect();
        fail(state, engine_failure(failure, engine_memory, false));
    };
    let engine_memory_now = app.engine_memory;
    let on_news = move |news: &Reply| match news {
        Reply::Mark(mark) => measure(mark),
        Reply::Memory { engine_memory } => engine_memory_now.set(*engine_memory),
        _ => {}
    };
    asking::connect(engine.connect(on_news, on_failure));
    // Before the first question: its count says whether it covered them.
    if report.prose_bytes.is_some() {
        app.prose.set(ProseState::Deferred);
    }
    asking::ask_first_view(app);

    perf::start("spaces:first-render");
    app.info.set(Some(LoadInfo {
        transferred: report.transferred,
        file_size: report.file_size,
        transfer: report.transfer,
        fetch_ms: report.fetch_ms,
        decode_ms,
        restored: report.restored,
        last_modified: report.last_modified,
        warnings: report.warnings,
        engine_memory,
        engines: report.engines,
        prose_bytes: report.prose_bytes,
    }));
    app.engine_memory.set(engine_memory);
    perf::await_first_chart();
    app.table.set(Some(report.facts));
    state.set(LoadState::Ready);
    // The page renders on the signal change, asks the engine for the
    // cards near the screen, then each chart draws in its own task: first
    // render ends when none is left (or the view has none).
    page::yield_to_browser().await;
    let began = perf::now();
    while perf::now() - began < FIRST_RENDER_DEADLINE_MS {
        if visibility::unreported() == 0 && perf::parts_pending() == 0 && perf::draws_pending() == 0
        {
            break;
        }
        page::sleep(4).await;
    }
    perf::end("spaces:first-render");
    asking::tell_drawn();
    // A view without charts: a chart drawn later is no first chart.
    if perf::draws_pending() == 0 {
        perf::forget_first_chart();
    }
}

/// Puts a span the engine timed on the page's timeline.
fn measure(mark: &Mark) {
    perf::measure_from(&mark.name, mark.start_epoch_ms, Some(mark.duration_ms));
}

/// What the visitor reads when the engine gave no answer. `memory` is the
/// engine's last known peak; `decoding` says it was reading the file.
fn engine_failure(failure: Failure, memory: u64, decoding: bool) -> String {
    match failure {
        Failure::NotStarted(detail) => no_engine(&detail),
        Failure::Failed(message) => message,
        Failure::Panicked { message, decoding } => crash::describe(&message, decoding),
        Failure::Stopped(detail) => crash::describe_trap(&detail, memory as f64, decoding),
        Failure::Unreadable(why) => format!("The page could not understand its engine: {why}."),
    }
}

/// Why the app cannot load anything: its worker did not start.
fn no_engine(detail: &str) -> String {
    format!(
        "The app's engine could not start ({detail}). Spaces Ship reads the dataset in a Web Worker: \
         it needs a browser with Web Workers and WebAssembly, and a page that allows its own \
         worker script (Content-Security-Policy worker-src 'self')."
    )
}

fn fail(state: RwSignal<LoadState>, message: String) {
    page::console_warn(&format!("Spaces Ship: {message}"));
    state.set(LoadState::Failed(message));
}
