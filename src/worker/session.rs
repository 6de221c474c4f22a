//! The loaded table in the engine, and the page's questions about it:
//! views, rows, facet lists, the CSV export and the prose. Questions wait
//! in a queue that is worked through a turn of the event loop after they
//! arrive, so that of a burst of views (keystrokes) only the newest is
//! computed; the rows and facet lists asked before it are stale too.
//! Between the answers, the engine builds what later questions need (the
//! facet index, the sort being shown) a part per turn. Wasm only.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::sync::Arc;
use std::thread::LocalKey;

use super::apart::ProseParts;
use super::{post, set_decoding, Attachments};
use crate::browser::cache::{self, Part};
use crate::browser::fetch::{self, ProseSource};
use crate::browser::{page, perf};
use crate::data::sparse::SparseFile;
use crate::data::{decode_prose, Field, SpacesTable};
use crate::protocol::{Kind, Reply, Request, SecondEngineMemory};
use crate::query::{Dataset, QueryEngine};
use crate::search::results::OrderSteps;
use crate::search::{Sort, TextSteps};
use crate::url::view_state::View;

/// The table the engine holds and what comes with it.
pub struct Session {
    engine: QueryEngine,
    /// The titles and descriptions the load left for later.
    prose: Option<ProseLater>,
    /// What a second engine's peak adds to this one's, in every report.
    second_memory: SecondEngineMemory,
    /// The sort the page shows, built ahead when idle.
    sort: Option<Sort>,
}

/// The titles and descriptions a load left for later: only Search needs
/// them, so the first view is answered without them.
pub enum ProseLater {
    /// In the file's chunks of their own: fetched (cache first) and
    /// decoded when Search first needs them.
    Fetch(ProseSource),
    /// Handed on by a second engine: joined before a Search view or a
    /// text query is answered, when the page asks for them, or once the
    /// first view is drawn (before the table is saved). Joined before the
    /// table was in, they held up the first chart by ~40 ms at a million
    /// rows.
    Parts(ProseParts),
}

impl ProseLater {
    /// Bytes still to download for them.
    pub fn bytes(&self) -> u64 {
        match self {
            ProseLater::Fetch(source) => source.bytes,
            ProseLater::Parts(_) => 0,
        }
    }
}

/// How long after the download's save the rest of the idle work waits.
const AFTER_DOWNLOAD_SAVED_MS: i32 = 1_000;
/// How long the idle work waits for the first view to be answered (the
/// page asks for it as soon as the table is in).
const ANSWERED_AT_MOST_MS: i32 = 3_000;
/// How long the download's save waits for the page to say it has drawn
/// its first view ([`Request::Drawn`]): a page that never does (a hidden
/// tab draws nothing) still gets it saved.
const DRAWN_AT_MOST_MS: i32 = 3_000;

thread_local! {
    static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
    static QUEUE: RefCell<VecDeque<(u64, Request)>> = const { RefCell::new(VecDeque::new()) };
    static SCHEDULED: Cell<bool> = const { Cell::new(false) };
    /// A view has been answered (the first paint no longer waits on us).
    static ANSWERED: Cell<bool> = const { Cell::new(false) };
    /// The page has drawn its first view ([`Request::Drawn`]).
    static DRAWN: Cell<bool> = const { Cell::new(false) };
}

/// Holds `data` for the questions that follow; `to_save` is saved for the
/// next visit once the first view is answered.
pub fn install(
    data: Dataset,
    prose: Option<ProseLater>,
    second_memory: SecondEngineMemory,
    to_save: Option<ToSave>,
) {
    let session = Session {
        engine: QueryEngine::new(Arc::new(data)),
        prose,
        second_memory,
        sort: None,
    };
    SESSION.with(|s| *s.borrow_mut() = Some(session));
    wasm_bindgen_futures::spawn_local(build_when_idle(to_save));
}

/// Queues `request` (numbered `seq`) to be answered once the messages that
/// came with it are in.
pub fn ask(seq: u64, request: Request) {
    if request == Request::Prose {
        // Not queued: its download would hold up the questions behind it.
        return wasm_bindgen_futures::spawn_local(fetch_prose(seq));
    }
    QUEUE.with(|q| q.borrow_mut().push_back((seq, request)));
    if !SCHEDULED.with(|s| s.replace(true)) {
        wasm_bindgen_futures::spawn_local(async {
            page::yield_to_browser().await;
            SCHEDULED.with(|s| s.set(false));
            work_through_queue();
        });
    }
}

/// The next question still wanted: those a newer view replaces are
/// skipped (the page dropped them already).
fn next_wanted() -> Option<(u64, Request)> {
    QUEUE.with(|q| {
        let mut q = q.borrow_mut();
        let newest_view = q.iter().rposition(|(_, r)| r.kind() == Kind::Query);
        if let Some(newest) = newest_view {
            let mut at = 0;
            q.retain(|(_, r)| {
                at += 1;
                at > newest || !matches!(r.kind(), Kind::Query | Kind::Rows | Kind::FacetTop)
            });
        }
        q.pop_front()
    })
}

fn work_through_queue() {
    while let Some((seq, request)) = next_wanted() {
        SESSION.with(|s| match s.borrow_mut().as_mut() {
            Some(session) => session.answer(seq, request),
            None => post(
                seq,
                &Reply::Failed {
                    message: "the engine holds no table yet".into(),
                },
                &Attachments::default(),
            ),
        });
    }
}

impl Session {
    /// The engines' memory at its peak, this one's now included.
    fn memory(&self) -> u64 {
        self.second_memory
            .with_this_engine(perf::wasm_memory_bytes())
    }

    /// Joins the parts of prose a second engine handed on into the table,
    /// if the load left them for later: `Ok(true)` when it did, `Err` why
    /// they could not be.
    fn join_prose_parts(&mut self) -> Result<bool, String> {
        let Some(ProseLater::Parts(parts)) =
            self.prose.take_if(|p| matches!(p, ProseLater::Parts(_)))
        else {
            return Ok(false);
        };
        let prose = parts.prose()?;
        self.engine.data().table.set_prose(prose).map_err(|_| {
            "The decoded table could not be read (its titles do not match its rows).".to_string()
        })?;
        Ok(true)
    }

    fn answer(&mut self, seq: u64, request: Request) {
        let reply = match request {
            Request::Query(query) => {
                // Search shows the titles, and a text query searches them:
                // the parts handed on are joined first (an Overview is
                // answered without them).
                if query.view == View::Search || !query.filters.q.is_empty() {
                    if let Err(message) = self.join_prose_parts() {
                        page::console_warn(&format!("Spaces Ship: {message}"));
                    }
                }
                let answer = self.engine.answer(&query, &perf::epoch_now);
                self.sort = (query.view == View::Search).then_some(query.sort);
                ANSWERED.with(|a| a.set(true));
                Reply::View {
                    answer: Box::new(answer),
                    engine_memory: self.memory(),
                }
            }
            Request::Rows { sort, start, count } => {
                Reply::Rows(self.engine.rows(sort, start, count))
            }
            Request::FacetTop { field, needle } => {
                let top = self.engine.facet_top(field, &needle);
                Reply::FacetTop { field, needle, top }
            }
            Request::Csv { filters, sort } => {
                let csv = self.engine.csv(&filters, sort);
                let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&csv));
                let options = web_sys::BlobPropertyBag::new();
                options.set_type("text/csv;charset=utf-8");
                let attachments = Attachments {
                    blob: web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok(),
                    ..Attachments::default()
                };
                return post(seq, &Reply::Csv, &attachments);
            }
            Request::PrepareText => {
                wasm_bindgen_futures::spawn_local(prepare_text());
                return;
            }
            Request::Drawn => return DRAWN.with(|d| d.set(true)),
            other => Reply::Failed {
                message: format!("the engine cannot answer {:?} here", other.kind()),
            },
        };
        post(seq, &reply, &Attachments::default());
    }
}

/// The data held, if any.
fn data() -> Option<Arc<Dataset>> {
    SESSION.with(|s| s.borrow().as_ref().map(|s| Arc::clone(s.engine.data())))
}

/// The text index, a part per turn (the search box took focus).
async fn prepare_text() {
    let Some(data) = data() else { return };
    let mut steps = TextSteps::default();
    while data.index.prepare_text_step(&data.table, &mut steps) {
        page::yield_to_browser().await;
    }
    tell_memory();
}

/// What the next visit and later questions need, a part per turn once the
/// first view is answered: the saved table, every facet field's index
/// (opening Search then finds them built), and the order of the sort
/// Search shows.
async fn build_when_idle(to_save: Option<ToSave>) {
    at_most_until(&ANSWERED, ANSWERED_AT_MOST_MS).await;
    // Once the page has drawn what its first view shows: on two cores,
    // saving the download (40 MB copied into a Blob and written by the
    // browser) while its first charts drew made one of their frames a long
    // task in some loads at a million rows.
    at_most_until(&DRAWN, DRAWN_AT_MOST_MS).await;
    // Before the table is saved: the saved copy holds them.
    if let Err(message) = join_prose_parts() {
        page::console_warn(&format!("Spaces Ship: {message}"));
    }
    if let Some(to_save) = &to_save {
        to_save.save_download().await;
    }
    // The page's first charts are drawn (or being drawn): work here then
    // made their tasks longer.
    page::sleep(AFTER_DOWNLOAD_SAVED_MS).await;
    let Some(data) = data() else { return };
    if let Some(to_save) = &to_save {
        to_save.save_table(&data.table).await;
    }
    for field in Field::ALL {
        page::yield_to_browser().await;
        data.index.facets().prepare(&data.table, field);
    }
    tell_memory();
    // The sort Search shows, once Search is open (a pass of a few hundred
    // ms on a million rows, in parts).
    loop {
        page::sleep(500).await;
        let sort = SESSION.with(|s| s.borrow().as_ref().and_then(|s| s.sort));
        let Some(sort) = sort else { continue };
        if data.orders.cached(sort).is_some() {
            continue;
        }
        let mut steps = OrderSteps::default();
        while data.orders.order_step(&data.table, sort, &mut steps) {
            page::yield_to_browser().await;
        }
        tell_memory();
    }
}

/// Waits until `flag` is set, checking every 30 ms, for at most `millis`.
async fn at_most_until(flag: &'static LocalKey<Cell<bool>>, millis: i32) {
    for _ in 0..millis / 30 {
        if flag.with(Cell::get) {
            return;
        }
        page::sleep(30).await;
    }
}

/// The engine's memory now, with a second engine's peak (once a table is
/// held; this engine's alone before).
pub fn memory() -> u64 {
    SESSION.with(|s| {
        s.borrow()
            .as_ref()
            .map_or_else(perf::wasm_memory_bytes, Session::memory)
    })
}

/// Tells the page the engine's memory.
fn tell_memory() {
    let engine_memory = memory();
    post(0, &Reply::Memory { engine_memory }, &Attachments::default());
}

/// [`Session::join_prose_parts`] on the session held, telling the page
/// the memory it took.
fn join_prose_parts() -> Result<(), String> {
    let joined = SESSION.with(|s| s.borrow_mut().as_mut().map(Session::join_prose_parts));
    if joined == Some(Ok(true)) {
        tell_memory();
    }
    joined.unwrap_or(Ok(false)).map(|_| ())
}

/// Fetches (cache first) and decodes the prose the load left for later, or
/// joins the parts a second engine handed on, puts it in the table, and
/// answers request `seq`; a download is saved for the next visit.
async fn fetch_prose(seq: u64) {
    let send = |reply: Reply| post(seq, &reply, &Attachments::default());
    if let Err(message) = join_prose_parts() {
        return send(Reply::Failed { message });
    }
    let Some((source, data)) = SESSION.with(|s| {
        let s = s.borrow();
        let s = s.as_ref()?;
        let Some(ProseLater::Fetch(source)) = &s.prose else {
            return None;
        };
        Some((source.clone(), Arc::clone(s.engine.data())))
    }) else {
        let facts = SESSION.with(|s| s.borrow().as_ref().map(|s| s.engine.facts()));
        return send(Reply::Prose {
            fetched: 0,
            facts: facts.unwrap_or_default(),
        });
    };
    let failed = |why: String| Reply::Failed {
        message: format!("Titles and descriptions could not be loaded: {why}"),
    };
    let (file, fetched) = match fetch::fetch_prose(&source).await {
        Ok(got) => got,
        Err(why) => return send(failed(why)),
    };
    let to_cache = match fetched {
        0 => None,
        _ => cache::bundle_blob(&file).await.ok(),
    };
    set_decoding(true);
    let decoded = decode_prose(file);
    set_decoding(false);
    let prose = match decoded {
        Ok(prose) => prose,
        Err(error) => return send(failed(error.to_string())),
    };
    if data.table.set_prose(prose).is_err() {
        return send(failed(
            "the file changed on the server since it was loaded; reload the page to read the new one".into(),
        ));
    }
    // Fetched once: a retry has nothing left to fetch.
    SESSION.with(|s| {
        if let Some(s) = s.borrow_mut().as_mut() {
            s.prose = None;
        }
    });
    send(Reply::Prose {
        fetched,
        facts: crate::query::TableFacts::of(&data.table),
    });
    if let Some(bundle) = to_cache {
        let (validator, modified) = (source.validator.as_deref(), source.last_modified.as_deref());
        cache::store_bundle(&source.cache_url, Part::Prose, &bundle, validator, modified).await;
    }
}

/// What a fresh decode saves for the next visit.
pub struct ToSave {
    url: String,
    /// The download, to save as a cache bundle.
    columns: Option<SparseFile>,
    validator: String,
    last_modified: Option<String>,
    /// The decode's warnings, saved with the table.
    pub warnings: Vec<String>,
    /// The file keeps its titles and descriptions apart: they are cached
    /// apart too, not in the table's copy.
    pub prose_apart: bool,
}

impl ToSave {
    pub fn new(
        url: String,
        columns: Option<SparseFile>,
        validator: String,
        last_modified: Option<String>,
        prose_apart: bool,
    ) -> ToSave {
        ToSave {
            url,
            columns,
            validator,
            last_modified,
            warnings: Vec::new(),
            prose_apart,
        }
    }

    /// Saves the download as a cache bundle.
    pub async fn save_download(&self) {
        let Some(file) = &self.columns else {
            return;
        };
        let Ok(bundle) = cache::bundle_blob(file).await else {
            return;
        };
        let (validator, modified) = (Some(self.validator.as_str()), self.last_modified.as_deref());
        cache::store_bundle(&self.url, Part::Columns, &bundle, validator, modified).await;
    }

    /// Saves `table`, a column per turn.
    pub async fn save_table(&self, table: &SpacesTable) {
        let with_prose = !self.prose_apart;
        cache::save_table(
            &self.url,
            table,
            &self.warnings,
            &self.validator,
            with_prose,
        )
        .await;
    }
}
