//! Loading as one small state machine: fetch, then decode in steps that
//! yield to the page, then hand the table to the views, and save what was
//! downloaded for the next visit. Each load has a generation: a retry
//! starts a new one, and an older load that is still running stops at its
//! next step without writing anything.

use std::cell::Cell;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::load::{LoadInfo, LoadState, Loaded, ProseState};
use super::AppState;
use crate::browser::fetch::{Fetched, ProseSource, Transfer};
use crate::browser::{cache, fetch, page, perf, visibility};
use crate::data::sparse::SparseFile;
use crate::data::Field;
use crate::data::SpacesDecoder;
use crate::url::source::DataSource;
use crate::url::view_state::View;

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
    let (state, table, info) = (app.load, app.loaded, app.info);
    table.set(None);
    info.set(None);
    app.prose.set(ProseState::Ready { fetched: None });
    state.set(LoadState::Fetching(fetch::Progress::default()));
    let url = page::resolve_url(source.url());

    perf::start("spaces:fetch");
    let progress = |p| {
        if !generation.is_stale() {
            state.set(LoadState::Fetching(p));
        }
    };
    // The saved table (if any) is looked up while the file is checked; it
    // is read only if the file proves unchanged.
    let fetch = async {
        let fetched = fetch::fetch_dataset(&url, &progress).await;
        // A newer load owns the mark.
        let ms = if generation.is_stale() {
            None
        } else {
            perf::end("spaces:fetch")
        };
        (fetched, ms.unwrap_or_default())
    };
    let ((fetched, fetch_ms), saved_entry) = futures::join!(fetch, cache::find_saved_table(&url));
    let download = match fetched {
        Ok(download) => download,
        Err(_) if generation.is_stale() => return,
        Err(message) => return fail(state, message),
    };
    if generation.is_stale() {
        return;
    }
    let from_cache = matches!(download.transfer, Transfer::Cached { .. });
    // Kept aside to save after a successful decode.
    let to_cache = (!from_cache).then(|| download.to_sparse());

    perf::start("spaces:decode");
    // An unchanged file seen before: its decoded table, if saved whole.
    let saved_entry = saved_entry.filter(|saved| {
        from_cache && download.validator.as_deref() == Some(saved.validator.as_str())
    });
    let saved = match saved_entry {
        Some(entry) => cache::restore_table(entry).await,
        None => None,
    };
    if generation.is_stale() {
        return;
    }
    set_decoding(true);
    // Kept until the decode says which prose it left for later.
    let sparse = match &download.fetched {
        Fetched::Sparse(file) => Some(file.clone()),
        Fetched::Whole(_) => None,
    };
    let decoder = match download.fetched {
        Fetched::Whole(bytes) => SpacesDecoder::new(bytes),
        Fetched::Sparse(file) => SpacesDecoder::from_sparse(file),
    };
    let mut decoder = match decoder {
        Ok(decoder) => decoder,
        Err(error) => return fail(state, error.to_string()),
    };
    // The saved table stands for the decode when it holds what the decode
    // would: the prose (unless the decoder leaves it for later), and as
    // many rows.
    let saved = saved.filter(|saved| {
        (saved.table.prose.get().is_some() || decoder.prose_deferred())
            && saved.table.len() == decoder.total_rows()
    });
    let restored = saved.is_some();
    if !restored {
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
    }
    // What a later prose fetch needs: the footer and the prose bytes
    // already here (copied: the rest is freed after the decode).
    let prose_wanted =
        decoder.prose_deferred() && saved.as_ref().is_none_or(|s| s.table.prose.get().is_none());
    let prose_source = sparse.filter(|_| prose_wanted).map(|file| {
        let ranges = decoder.deferred_ranges().to_vec();
        let held = file.keep(&ranges);
        ProseSource {
            url: download.direct_url.clone(),
            cache_url: url.clone(),
            file_len: download.file_size,
            bytes: held.missing(&ranges).iter().map(|r| r.end - r.start).sum(),
            held,
            ranges,
            validator: download.validator.clone(),
            last_modified: download.last_modified.clone(),
        }
    });
    let (decoded, warnings) = match saved {
        Some(saved) => (saved.table, saved.warnings),
        None => {
            let (table, report) = decoder.finish();
            (table, report.warnings())
        }
    };
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
        restored,
        last_modified: download.last_modified.clone(),
        warnings: warnings.clone(),
    }));
    let loaded = Arc::new(Loaded {
        table: decoded,
        index: Default::default(),
        orders: Default::default(),
        prose_source,
    });
    if loaded.prose_source.is_some() {
        app.prose.set(ProseState::Deferred);
    }
    perf::await_first_chart();
    table.set(Some(Arc::clone(&loaded)));
    state.set(LoadState::Ready);
    let to_save = Arc::clone(&loaded);
    // The page renders on the signal change, then each chart draws in its
    // own task: first render ends when none is left (or the view has none).
    page::yield_to_browser().await;
    for _ in 0..200 {
        // The cards near the screen are known, and their charts drawn.
        if visibility::unreported() == 0 && perf::draws_pending() == 0 {
            break;
        }
        page::yield_to_browser().await;
    }
    perf::end("spaces:first-render");
    // A view without charts: a chart drawn later is no first chart.
    if perf::draws_pending() == 0 {
        perf::forget_first_chart();
    }

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
        let (url, validator) = (url.clone(), download.validator.clone());
        let last_modified = download.last_modified;
        spawn_local(async move {
            let (validator, last_modified) = (validator.as_deref(), last_modified.as_deref());
            cache::store(&url, cache::Part::Columns, &file, validator, last_modified).await;
        });
    }
    // The decoded table for the next visit, once the page is idle.
    if let (false, Some(validator)) = (restored, download.validator) {
        spawn_local(async move {
            page::yield_to_browser().await;
            if !generation.is_stale() {
                let stale = move || generation.is_stale();
                cache::store_table(&url, &to_save.table, &warnings, &validator, &stale).await;
            }
        });
    }
}

fn fail(state: RwSignal<LoadState>, message: String) {
    set_decoding(false);
    page::console_warn(&format!("Spaces Ship: {message}"));
    state.set(LoadState::Failed(message));
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
    let Some(loaded) = app.loaded.get_untracked() else {
        return;
    };
    let Some(source) = loaded.prose_source.clone() else {
        return;
    };
    app.prose.set(ProseState::Fetching);
    spawn_local(async move {
        // A new load replaced this table: its work stops and its state is
        // not ours to write.
        let mine = Arc::clone(&loaded);
        let current = move || {
            app.loaded
                .with_untracked(|c| c.as_ref().is_some_and(|c| Arc::ptr_eq(c, &mine)))
        };
        perf::start("spaces:prose");
        let outcome = fetch_and_decode_prose(&source, &loaded, &current).await;
        perf::end("spaces:prose");
        if !current() {
            return;
        }
        match outcome {
            Ok((fetched, file)) => {
                app.prose.set(ProseState::Ready {
                    fetched: Some(fetched),
                });
                if let Some(file) = file {
                    spawn_local(async move { fetch::cache_prose(&source, &file).await });
                }
            }
            Err(message) => {
                page::console_warn(&format!("Spaces Ship: {message}"));
                app.prose.set(ProseState::Failed(message));
            }
        }
    });
}

/// Downloads (or reads from the cache) and decodes the prose, a batch per
/// task, and puts it in the table; returns the bytes downloaded and, when
/// they came from the network, the file to cache.
async fn fetch_and_decode_prose(
    source: &ProseSource,
    loaded: &Loaded,
    current: &dyn Fn() -> bool,
) -> Result<(u64, Option<SparseFile>), String> {
    let failed = |why: String| format!("Titles and descriptions could not be loaded: {why}");
    let stale = || failed("a newer load replaced this one".into());
    let (file, fetched) = fetch::fetch_prose(source).await.map_err(failed)?;
    if !current() {
        return Err(stale());
    }
    let to_cache = (fetched > 0).then(|| file.clone());
    set_decoding(true);
    let decoded = async {
        let mut decoder = SpacesDecoder::for_prose(file).map_err(|e| failed(e.to_string()))?;
        while decoder.step().map_err(|e| failed(e.to_string()))? {
            page::yield_to_browser().await;
            if !current() {
                return Err(stale());
            }
        }
        Ok(decoder.finish_prose())
    }
    .await;
    // A new load's decode owns the flag from here.
    if current() {
        set_decoding(false);
    }
    let prose = decoded?;
    loaded.table.set_prose(prose).map_err(|_| {
        failed("the file changed on the server since it was loaded; reload the page to read the new one".into())
    })?;
    Ok((fetched, to_cache))
}
