//! The deployment's source list: `sources.json` beside the page, fetched
//! with a short deadline and validated by `url::sources`; the built-in
//! list when it is missing, broken or late.

use crate::browser::text::fetch_text;
use crate::url::sources::{SourceList, MANIFEST_PATH, MAX_MANIFEST_BYTES};

/// How long the first data request may wait on the list. It is a few
/// hundred bytes from the page's own server; a host that takes longer is
/// unwell, and the built-in list is better than a blank page.
const WAIT_MS: i32 = 3000;

/// The list to offer, and a note when a manifest was there but not used.
pub async fn load_list(page_url: &str) -> (SourceList, Option<String>) {
    let fetched = fetch_text(MANIFEST_PATH, MAX_MANIFEST_BYTES, WAIT_MS).await;
    SourceList::settle(fetched, page_url)
}
