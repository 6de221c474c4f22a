//! Fetch, then decode in steps that yield to the page, then hand the table
//! to the UI, and save what was downloaded for the next visit.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::echart::charts_pending;
use super::load_state::{LoadInfo, LoadState, Loaded};
use super::panic_screen;
use crate::browser::fetch::{Fetched, Transfer};
use crate::browser::{cache, fetch, page, perf};
use crate::data::SpacesDecoder;
use crate::data::Field;
use crate::url::source::DataSource;

pub async fn load(
    source: DataSource,
    state: RwSignal<LoadState>,
    table: RwSignal<Option<Arc<Loaded>>>,
    info: RwSignal<Option<LoadInfo>>,
) {
    table.set(None);
    info.set(None);
    state.set(LoadState::Fetching(fetch::Progress::default()));
    let url = page::resolve_url(source.url());

    perf::start("spaces:fetch");
    let download = match fetch::fetch_dataset(&url, &|p| state.set(LoadState::Fetching(p))).await {
        Ok(download) => download,
        Err(message) => return fail(state, message),
    };
    let fetch_ms = perf::end("spaces:fetch").unwrap_or_default();
    // Kept aside to save after a successful decode.
    let to_cache =
        (!matches!(download.transfer, Transfer::Cached { .. })).then(|| download.to_sparse());

    perf::start("spaces:decode");
    panic_screen::set_decoding(true);
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
            }
            Ok(false) => break,
            Err(error) => return fail(state, error.to_string()),
        }
    }
    let (decoded, report) = decoder.finish();
    panic_screen::set_decoding(false);
    let decode_ms = perf::end("spaces:decode").unwrap_or_default();
    page::yield_to_browser().await;

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
        if charts_pending() == 0 {
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
    panic_screen::set_decoding(false);
    page::console_warn(&format!("Spaces Ship: {message}"));
    state.set(LoadState::Failed(message));
}
