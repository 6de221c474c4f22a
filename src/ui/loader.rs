//! Fetch, then decode in steps that yield to the page, then hand the table
//! to the UI.

use std::sync::Arc;

use bytes::Bytes;
use leptos::prelude::*;

use super::load_state::{LoadInfo, LoadState, Loaded};
use crate::browser::{fetch, page, perf};
use crate::data::SpacesDecoder;
use crate::filter::SearchIndex;
use crate::source::DataSource;

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
    let download =
        match fetch::fetch_with_progress(&url, |p| state.set(LoadState::Fetching(p))).await {
            Ok(download) => download,
            Err(message) => return fail(state, message),
        };
    let fetch_ms = perf::end("spaces:fetch").unwrap_or_default();
    let byte_count = download.bytes.len() as u64;

    perf::start("spaces:decode");
    let mut decoder = match SpacesDecoder::new(Bytes::from(download.bytes)) {
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
    let index = SearchIndex::build(&decoded);
    let decode_ms = perf::end("spaces:decode").unwrap_or_default();

    perf::start("spaces:first-render");
    info.set(Some(LoadInfo {
        bytes: byte_count,
        fetch_ms,
        decode_ms,
        last_modified: download.last_modified,
        warnings: report.warnings(),
    }));
    table.set(Some(Arc::new(Loaded {
        table: decoded,
        index,
        orders: Default::default(),
    })));
    state.set(LoadState::Ready);
    // The overview renders synchronously on the signal change; one turn of
    // the event loop later it has been laid out.
    page::yield_to_browser().await;
    perf::end("spaces:first-render");
}

fn fail(state: RwSignal<LoadState>, message: String) {
    page::console_warn(&format!("Spaces Ship: {message}"));
    state.set(LoadState::Failed(message));
}
