//! Loading as one small state machine: fetch, then decode in steps that
//! yield to the page, then hand the table to the views, and save what was
//! downloaded for the next visit. Each load has a generation: a retry
//! starts a new one, and an older load that is still running stops at its
//! next step without writing anything.

use std::cell::Cell;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::load::{LoadInfo, LoadState, Loaded};
use super::AppState;
use crate::browser::fetch::{Fetched, Transfer};
use crate::browser::{cache, fetch, page, perf};
use crate::data::Field;
use crate::data::SpacesDecoder;
use crate::url::source::DataSource;

thread_local! {
    /// The generation of the newest load.
    static GENERATION: Cell<u64> = const { Cell::new(0) };
    /// Set while a file is being decoded: the Parquet crate still panics on
    /// some damaged data pages, and the visitor should hear that the file
    /// is at fault.
    static DECODING: Cell<bool> = const { Cell::new(false) };
}

/// Whether a file is being decoded right now (for the panic screen).
pub fn is_decoding() -> bool {
    DECODING.with(Cell::get)
}

fn set_decoding(decoding: bool) {
    DECODING.with(|d| d.set(decoding));
}

/// Starts loading `source`; a load already running becomes stale.
pub fn start(app: AppState, source: DataSource) {
    let generation = GENERATION.with(|g| {
        g.set(g.get() + 1);
        g.get()
    });
    spawn_local(load(
        source,
        Generation(generation),
        app.load,
        app.loaded,
        app.info,
    ));
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

async fn load(
    source: DataSource,
    generation: Generation,
    state: RwSignal<LoadState>,
    table: RwSignal<Option<Arc<Loaded>>>,
    info: RwSignal<Option<LoadInfo>>,
) {
    table.set(None);
    info.set(None);
    state.set(LoadState::Fetching(fetch::Progress::default()));
    let url = page::resolve_url(source.url());

    perf::start("spaces:fetch");
    let progress = |p| {
        if !generation.is_stale() {
            state.set(LoadState::Fetching(p));
        }
    };
    let download = match fetch::fetch_dataset(&url, &progress).await {
        Ok(download) => download,
        Err(_) if generation.is_stale() => return,
        Err(message) => return fail(state, message),
    };
    if generation.is_stale() {
        return;
    }
    let fetch_ms = perf::end("spaces:fetch").unwrap_or_default();
    // Kept aside to save after a successful decode.
    let to_cache =
        (!matches!(download.transfer, Transfer::Cached { .. })).then(|| download.to_sparse());

    perf::start("spaces:decode");
    set_decoding(true);
    let decoder = match download.fetched {
        Fetched::Whole(bytes) => SpacesDecoder::new(bytes),
        Fetched::Sparse(file) => SpacesDecoder::from_sparse(file),
    };
    let mut decoder = match decoder {
        Ok(decoder) => decoder,
        Err(error) => return fail(state, error.to_string()),
    };
    let total = decoder.total_rows();
    loop {
        match decoder.step() {
            Ok(true) => {
                state.set(LoadState::Decoding {
                    done: decoder.decoded_rows(),
                    total,
                });
                page::yield_to_browser().await;
                if generation.is_stale() {
                    set_decoding(false);
                    return;
                }
            }
            Ok(false) => break,
            Err(error) => return fail(state, error.to_string()),
        }
    }
    let (decoded, report) = decoder.finish();
    set_decoding(false);
    let decode_ms = perf::end("spaces:decode").unwrap_or_default();
    page::yield_to_browser().await;
    if generation.is_stale() {
        return;
    }

    perf::start("spaces:first-render");
    info.set(Some(LoadInfo {
        transferred: download.transferred,
        file_size: download.file_size,
        transfer: download.transfer,
        fetch_ms,
        decode_ms,
        last_modified: download.last_modified.clone(),
        warnings: report.warnings(),
    }));
    let loaded = Arc::new(Loaded {
        table: decoded,
        index: Default::default(),
        orders: Default::default(),
    });
    table.set(Some(Arc::clone(&loaded)));
    state.set(LoadState::Ready);
    // The page renders on the signal change, then each chart draws in its
    // own task: first render ends when none is left (or the view has none).
    page::yield_to_browser().await;
    for _ in 0..200 {
        if perf::draws_pending() == 0 {
            break;
        }
        page::yield_to_browser().await;
    }
    perf::end("spaces:first-render");

    // The Search view's facet index, a field per task while the page is
    // idle: opening Search then finds it built (a million rows take about
    // 160 ms in all, too long for one task and for a click to wait on).
    // (The results order is not built ahead: on a million rows it is one
    // task of a few hundred ms, which a click could land behind. Opening
    // Search builds it.)
    spawn_local(async move {
        for field in Field::ALL {
            page::yield_to_browser().await;
            loaded.index.facets().prepare(&loaded.table, field);
        }
    });

    if let Some(file) = to_cache {
        let validator = download.validator;
        let last_modified = download.last_modified;
        spawn_local(async move {
            cache::store(&url, &file, validator.as_deref(), last_modified.as_deref()).await;
        });
    }
}

fn fail(state: RwSignal<LoadState>, message: String) {
    set_decoding(false);
    page::console_warn(&format!("Spaces Ship: {message}"));
    state.set(LoadState::Failed(message));
}
